"""Import boundaries, read from the source with `ast` (no module is imported).

1. Only the embedded hosting (dashboard/project/embedded_hosting.py, the `rundashboard`
   command) and the `simulate` command import `statsbridge.simulator`: a real tenant's
   processes never load the simulator.
2. statsbridge is the bridge with no Django: apart from its Django glue (DJANGO_GLUE),
   no statsbridge module imports django, channels, asgiref or daphne, and none imports
   dashboard.

Every import counts, also those inside functions and `if TYPE_CHECKING` blocks.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SIMULATOR = "statsbridge.simulator"
SIMULATOR_HOSTS = {
    "dashboard.project.embedded_hosting",
    "dashboard.project.commands.rundashboard",
    "statsbridge.management.commands.simulate",
}
DJANGO = ("django", "channels", "asgiref", "daphne")
# The statsbridge modules that are Django glue: the service that reads settings and runs
# the bridge in a Channels worker, the fan-out onto the channel layer, the app, commands.
DJANGO_GLUE = ("statsbridge.service", "statsbridge.fanout", "statsbridge.apps", "statsbridge.management")


def module_name(path: Path, root: Path = ROOT) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_modules(path: Path, root: Path = ROOT) -> Iterator[tuple[int, str]]:
    """(line, module) for every import in the file, relative ones resolved."""
    package = module_name(path, root).split(".")
    if path.name != "__init__.py":
        package = package[:-1]
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            base = ".".join(package[: len(package) - node.level + 1]) if node.level else ""
            module = ".".join(p for p in (base, node.module or "") if p)
            yield node.lineno, module
            for alias in node.names:  # `from statsbridge import simulator`
                yield node.lineno, f"{module}.{alias.name}"


def product_files(root: Path = ROOT) -> list[Path]:
    files = [*root.glob("dashboard/**/*.py"), *root.glob("statsbridge/**/*.py"), root / "manage.py"]
    return sorted(p for p in files if p.exists() and "__pycache__" not in p.parts)


def _within(module: str, prefix: str) -> bool:
    return module == prefix or module.startswith(prefix + ".")


def simulator_violations(root: Path = ROOT) -> list[str]:
    found = []
    for path in product_files(root):
        name = module_name(path, root)
        if _within(name, SIMULATOR) or name in SIMULATOR_HOSTS:
            continue
        found += [
            f"{path.relative_to(root)}:{line} imports {module}"
            for line, module in imported_modules(path, root)
            if _within(module, SIMULATOR)
        ]
    return sorted(set(found))


def django_violations(root: Path = ROOT) -> list[str]:
    found = []
    for path in product_files(root):
        name = module_name(path, root)
        if not _within(name, "statsbridge") or any(_within(name, glue) for glue in DJANGO_GLUE):
            continue
        for line, module in imported_modules(path, root):
            if any(_within(module, banned) for banned in (*DJANGO, "dashboard")):
                found.append(f"{path.relative_to(root)}:{line} imports {module}")
    return sorted(set(found))


def test_only_the_embedded_hosting_and_simulate_import_the_simulator() -> None:
    found = simulator_violations()
    assert not found, "only the embedded hosting and `simulate` may import the simulator:\n" + "\n".join(found)


def test_statsbridge_outside_its_glue_imports_no_django_and_no_dashboard() -> None:
    found = django_violations()
    assert not found, "statsbridge outside its Django glue:\n" + "\n".join(found)


def test_the_checks_see_a_planted_violation(tmp_path: Path) -> None:
    (tmp_path / "dashboard" / "boards").mkdir(parents=True)
    (tmp_path / "statsbridge").mkdir()
    (tmp_path / "dashboard" / "boards" / "demo.py").write_text(
        "def f():\n    from statsbridge.simulator.model import ContactCenter\n"
    )
    (tmp_path / "statsbridge" / "rest.py").write_text("from django.conf import settings\n")
    (tmp_path / "statsbridge" / "service.py").write_text("from django.conf import settings\n")
    assert simulator_violations(tmp_path) == [
        "dashboard/boards/demo.py:2 imports statsbridge.simulator.model",
        "dashboard/boards/demo.py:2 imports statsbridge.simulator.model.ContactCenter",
    ]
    assert django_violations(tmp_path) == [
        "statsbridge/rest.py:1 imports django.conf",
        "statsbridge/rest.py:1 imports django.conf.settings",
    ]

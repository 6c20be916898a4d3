"""The front end's own tests as pytest items, so they count in the test total.

Each `unit/*.test.mjs` runs once under node's test runner (`node --test`, with
`reporter.mjs` printing one JSON line per finished test); every JS test becomes a pytest
item that passes, fails with node's account of the failure, or is skipped. ESLint over
`static/js` is one more item (`eslint.config.mjs`). No build step: the browser's own
ES modules are what node imports.

The npm packages (ESLint) come from `make jstest` / `make test` (`npm ci` here): a test
never reaches outside 127.0.0.1, so a missing install fails with that hint.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

JS_DIR = Path(__file__).resolve().parent
ROOT = JS_DIR.parent.parent
UNIT = JS_DIR / "unit"
ESLINT = JS_DIR / "node_modules" / ".bin" / "eslint"
RUN_TIMEOUT_S = 120


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    if file_path.parent == UNIT and file_path.name.endswith(".test.mjs"):
        return NodeTestFile.from_parent(parent, path=file_path)
    if file_path == JS_DIR / "eslint.config.mjs":
        return ESLintFile.from_parent(parent, path=file_path)
    return None


def run_node_tests(path: Path) -> tuple[list[dict], str, int]:
    """(finished tests, the file's own output, exit code) of one test file."""
    node = shutil.which("node")
    if node is None:
        return [], "node is not on PATH: the front-end tests need Node.js 20 or later", 1
    proc = subprocess.run(
        [node, "--test", f"--test-reporter={JS_DIR / 'reporter.mjs'}", str(path)],
        cwd=JS_DIR,
        capture_output=True,
        text=True,
        timeout=RUN_TIMEOUT_S,
    )
    results, output = [], []
    for line in proc.stdout.splitlines():
        try:
            event = json.loads(line)
        except json.JSONDecodeError:  # not the reporter's: keep it for the failure message
            event = {"output": line + "\n"}
        if "output" in event:
            output.append(event["output"])
        else:
            results.append(event)
    return results, "".join(output) + proc.stderr, proc.returncode


def reported(results: list[dict]) -> list[dict]:
    """The tests themselves, plus any suite that failed with no failing test inside
    (a hook threw): a passing suite is only the sum of its tests."""
    leaves = [r for r in results if not r["suite"]]
    failing = [r["names"] for r in leaves if not r["passed"]]
    lone = [
        r
        for r in results
        if r["suite"] and not r["passed"] and not any(names[: len(r["names"])] == r["names"] for names in failing)
    ]
    return leaves + lone


class NodeTestFile(pytest.File):
    def collect(self) -> Iterator[pytest.Item]:
        results, output, code = run_node_tests(self.path)
        for result in reported(results):
            yield NodeTest.from_parent(self, name=" > ".join(result["names"]), result=result, output=output)
        if code != 0 and not any(not r["passed"] for r in results):
            yield NodeTest.from_parent(
                self,
                name="node --test",
                output=output,
                result={"passed": False, "skipped": False, "error": f"exit {code}"},
            )


class NodeTest(pytest.Item):
    def __init__(self, *, result: dict, output: str, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.result, self.output = result, output

    def runtest(self) -> None:
        if self.result["skipped"]:
            pytest.skip("skipped in the JS test file")
        if not self.result["passed"]:
            raise NodeTestFailure(self.result["error"] or "failed", self.output)

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException]) -> str:
        if isinstance(excinfo.value, NodeTestFailure):
            return str(excinfo.value)
        return super().repr_failure(excinfo)  # type: ignore[return-value]

    def reportinfo(self) -> tuple[Path, int | None, str]:
        return self.path, None, f"{self.path.name}: {self.name}"


class NodeTestFailure(Exception):
    def __init__(self, error: str, output: str) -> None:
        super().__init__(error + (f"\n\nnode's output:\n{output}" if output.strip() else ""))


class ESLintFile(pytest.File):
    def collect(self) -> Iterator[pytest.Item]:
        yield ESLintItem.from_parent(self, name="eslint static/js tests/js")


class ESLintItem(pytest.Item):
    def runtest(self) -> None:
        if not ESLINT.exists():
            raise NodeTestFailure(f"ESLint is not installed in {JS_DIR}: run `make jstest` (npm ci there)", "")
        proc = subprocess.run(
            [str(ESLINT), "--max-warnings", "0", "-c", str(JS_DIR / "eslint.config.mjs"), "static/js", "tests/js"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=RUN_TIMEOUT_S,
        )
        if proc.returncode != 0:
            raise NodeTestFailure(f"eslint exit {proc.returncode}:\n{proc.stdout}{proc.stderr}", "")

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException]) -> str:
        if isinstance(excinfo.value, NodeTestFailure):
            return str(excinfo.value)
        return super().repr_failure(excinfo)  # type: ignore[return-value]

    def reportinfo(self) -> tuple[Path, int | None, str]:
        return self.path, None, self.name

"""Our German catalogues are complete and compiled: no empty or fuzzy entry, every
committed .mo says what its .po says, every placeholder survives translation, and
every string our templates and scripts mark is in the catalogue (so a new string
without `makemessages` fails here, not on a German screen)."""

from __future__ import annotations

import gettext
import re
from pathlib import Path

import pytest

from dashboard.i18n.po import mo_bytes, read_po
from tests.support.processes import ROOT

LOCALE = ROOT / "locale"
CATALOGUES = sorted(LOCALE.glob("*/LC_MESSAGES/*.po"))
PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sdr]|\{[a-z_]+\}")


def test_there_is_a_german_catalogue_for_pages_and_scripts() -> None:
    names = {(p.parts[-3], p.name) for p in CATALOGUES}
    assert {("de", "django.po"), ("de", "djangojs.po")} <= names


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda p: f"{p.parts[-3]}/{p.name}")
def test_every_msgid_is_translated_and_none_is_fuzzy(po: Path) -> None:
    entries = read_po(po)
    assert len(entries) > 20, "the catalogue looks empty"
    header = entries[0]
    assert header.msgid == "" and "fuzzy" not in header.flags
    missing = [e.msgid for e in entries[1:] if not e.translated]
    assert not missing, f"{po}: untranslated or fuzzy: {missing}"


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda p: f"{p.parts[-3]}/{p.name}")
def test_translations_keep_every_placeholder(po: Path) -> None:
    wrong = [
        (e.msgid, text)
        for e in read_po(po)[1:]
        for text in e.msgstr.values()
        if sorted(PLACEHOLDER.findall(text)) != sorted(PLACEHOLDER.findall(e.msgid))
    ]
    assert not wrong, wrong


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda p: f"{p.parts[-3]}/{p.name}")
def test_the_committed_mo_file_matches_its_po(po: Path) -> None:
    """Django reads only the .mo: a .po edited without `python -m dashboard.i18n.po` fails."""
    mo = po.with_suffix(".mo")
    assert mo.exists(), f"{mo} is missing: run `python -m dashboard.i18n.po`"
    committed = gettext.GNUTranslations(mo.open("rb"))._catalog  # type: ignore[attr-defined]
    expected: dict = {}
    for e in read_po(po)[1:]:
        if e.msgid_plural is None:
            expected[e.msgid] = e.msgstr[0]
        else:
            expected.update({(e.msgid, n): text for n, text in e.msgstr.items()})
    assert {k: v for k, v in committed.items() if k} == expected
    assert mo.read_bytes() == mo_bytes(read_po(po))


def _literals(pattern: str, files: list[Path]) -> set[str]:
    found = set()
    for path in files:
        for match in re.finditer(pattern, path.read_text(encoding="utf-8")):
            found.add(match.group(2).encode("utf-8").decode("unicode_escape").encode("latin-1").decode("utf-8"))
    return found


def test_every_script_string_is_in_the_javascript_catalogue() -> None:
    scripts = sorted((ROOT / "static" / "js").rglob("*.js"))
    marked = _literals(r"\b(?:gettext|ngettext)\((\"|')((?:[^\"'\\]|\\.)*)\1[,)]", scripts)
    assert len(marked) > 40
    known = {e.msgid for e in read_po(LOCALE / "de" / "LC_MESSAGES" / "djangojs.po")}
    assert not marked - known, f"run makemessages -d djangojs: {sorted(marked - known)}"


def test_every_template_string_is_in_the_catalogue() -> None:
    templates = sorted((ROOT / "templates").rglob("*.html"))
    marked = _literals(r"{% translate (\"|')((?:[^\"'\\]|\\.)*)\1 %}", templates)
    assert len(marked) > 30
    known = {e.msgid.replace("%%", "%") for e in read_po(LOCALE / "de" / "LC_MESSAGES" / "django.po")}
    assert not marked - known, f"run makemessages: {sorted(marked - known)}"


def test_every_template_loads_the_translation_tags() -> None:
    """Each of our templates with words in it marks them: it loads i18n (admin's own excepted)."""
    bare = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "templates").rglob("*.html")
        if "{% load i18n" not in path.read_text(encoding="utf-8") and "change_list" not in path.name
    ]
    assert not bare, f"templates without {{% load i18n %}}: {bare}"

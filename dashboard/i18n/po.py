"""A small reader for our .po files and a writer of .mo files, in pure Python.

Why: Django's compilemessages needs GNU msgfmt, which a fresh machine may lack. The
compiled .mo files are committed (Django only reads those), and the tests use this
module to prove each .mo matches its .po and that German is complete (no empty, no
fuzzy entry). `python -m dashboard.i18n.po` recompiles every locale/*/LC_MESSAGES/*.po.
Handles what makemessages writes: msgctxt, msgid, msgid_plural, msgstr[n], flags.
"""

from __future__ import annotations

import ast
import struct
import sys
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)

    @property
    def translated(self) -> bool:
        return bool(self.msgstr) and all(self.msgstr.values()) and "fuzzy" not in self.flags

    @property
    def key(self) -> str:
        """The .mo key: context EOT msgid (NUL msgid_plural)."""
        base = self.msgid if self.msgid_plural is None else f"{self.msgid}\0{self.msgid_plural}"
        return base if self.msgctxt is None else f"{self.msgctxt}\x04{base}"


def _unquote(text: str) -> str:
    return ast.literal_eval(text) if text.startswith('"') else ""


def read_po(path: Path) -> list[Entry]:
    """Every entry, the header (msgid "") first; obsolete (#~) entries are skipped."""
    entries: list[Entry] = []
    current, last = Entry(), ""
    for raw in path.read_text(encoding="utf-8").splitlines() + [""]:
        line = raw.strip()
        if not line:
            if last:
                entries.append(current)
            current, last = Entry(), ""
        elif line.startswith("#,"):
            current.flags |= {f.strip() for f in line[2:].split(",")}
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            _append(current, last, _unquote(line))
        else:
            keyword, _, rest = line.partition(" ")
            last = keyword
            _append(current, keyword, _unquote(rest), start=True)
    return entries


def _append(entry: Entry, keyword: str, text: str, start: bool = False) -> None:
    if keyword.startswith("msgstr"):
        index = int(keyword[7:-1]) if "[" in keyword else 0
        entry.msgstr[index] = ("" if start else entry.msgstr.get(index, "")) + text
    elif keyword in ("msgid", "msgid_plural", "msgctxt"):
        attr = keyword
        setattr(entry, attr, ("" if start else getattr(entry, attr) or "") + text)


def mo_bytes(entries: list[Entry]) -> bytes:
    """GNU .mo (little-endian, no hash table) of the translated entries and the header."""
    pairs = sorted(
        (e.key, "\0".join(e.msgstr[i] for i in sorted(e.msgstr))) for e in entries if e.msgid == "" or e.translated
    )
    ids = [k.encode() for k, _ in pairs]
    strs = [v.encode() for _, v in pairs]
    count = len(pairs)
    id_table, str_table = 7 * 4, 7 * 4 + count * 8
    data_start = str_table + count * 8
    offsets, blob = [], b""
    for chunk in ids + strs:
        offsets.append((len(chunk), data_start + len(blob)))
        blob += chunk + b"\0"
    header = struct.pack("<7I", 0x950412DE, 0, count, id_table, str_table, 0, data_start)
    table = b"".join(struct.pack("<2I", n, at) for n, at in offsets)
    return header + table + blob


def compile_all(root: Path) -> list[Path]:
    written = []
    for po in sorted(root.glob("*/LC_MESSAGES/*.po")):
        mo = po.with_suffix(".mo")
        mo.write_bytes(mo_bytes(read_po(po)))
        written.append(mo)
    return written


if __name__ == "__main__":  # python -m dashboard.i18n.po [locale-dir]
    for path in compile_all(Path(sys.argv[1] if len(sys.argv) > 1 else "locale")):
        print(path)

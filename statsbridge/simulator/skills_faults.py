"""Faults the skills endpoints can be told to answer, for the product's error paths.

Set through `POST /simulator/v1/skills-faults` (skills_control.py). A fault stays on
until cleared, so a client that retries sees it again, as it would a real outage.

Export faults wait for `after_pages` good pages first, so a test can show that what a
client yielded before the fault is intact. Kinds:
- "status": that HTTP status with a `{"detail"}` body;
- "cursor-loop": `next_starting_after` points back at the first cursor issued since the
  fault was set (or, if none was issued yet, at the cursor the request sent), with
  `has_next` true, so a naive client pages forever;
- "missing-field": records without `external_id`;
- "not-json": 200 with an HTML body, as a misrouted proxy would answer.

`ws_uris_only` makes every Web Services list answer only `uris`, whatever `fields`
the request names (ws_v2_api.py), as a GWS that does not honour `fields` would.
"""

from __future__ import annotations

from dataclasses import dataclass

EXPORT_KINDS = ("status", "cursor-loop", "missing-field", "not-json")


@dataclass
class ExportFault:
    kind: str
    after_pages: int = 0
    status: int = 500
    good_pages: int = 0
    loop_cursor: str | None = None

    @property
    def due(self) -> bool:
        return self.good_pages >= self.after_pages

    def served_good_page(self, next_cursor: str | None) -> None:
        self.good_pages += 1
        if self.loop_cursor is None:
            self.loop_cursor = next_cursor


@dataclass
class SkillFaults:
    export: ExportFault | None = None
    ws_status: int | None = None  # every authenticated WS v2 call answers this status
    ws_uris_only: bool = False  # every WS v2 list ignores `fields`

    def clear(self) -> None:
        self.export = None
        self.ws_status = None
        self.ws_uris_only = False

    def describe(self) -> dict:
        export = None
        if self.export is not None:
            f = self.export
            export = {"kind": f.kind, "after_pages": f.after_pages, "status": f.status, "good_pages": f.good_pages}
        return {
            "export": export,
            "ws": {"status": self.ws_status} if self.ws_status else None,
            "uris_only": self.ws_uris_only,
        }

"""What a skills sync did (`SyncSummary`) or why it stopped (`SkillSyncError`):
shared by the sync and its Web Services and export steps, so those import
this and not the sync that calls them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, fields

Progress = Callable[[str], None]


@dataclass
class Counts:
    added: int = 0
    changed: int = 0
    removed: int = 0

    def __bool__(self) -> bool:
        return bool(self.added or self.changed or self.removed)

    def __str__(self) -> str:
        return f"{self.added} added, {self.changed} changed, {self.removed} removed"


@dataclass
class SyncSummary:
    skills: Counts = field(default_factory=Counts)
    agent_skills: Counts = field(default_factory=Counts)
    clusters: Counts = field(default_factory=Counts)
    agent_clusters: Counts = field(default_factory=Counts)
    mappings: Counts = field(default_factory=Counts)
    pages: int = 0
    unmapped: list[str] = field(default_factory=list)

    LABELS = {
        "skills": "skills",
        "agent_skills": "agent skills",
        "clusters": "skill clusters",
        "agent_clusters": "agent clusters",
        "mappings": "mappings",
    }

    @property
    def changed(self) -> bool:
        return any(getattr(self, name) for name in self.LABELS)

    def add(self, other: SyncSummary) -> None:
        for name in self.LABELS:
            mine, theirs = getattr(self, name), getattr(other, name)
            for part in fields(Counts):
                setattr(mine, part.name, getattr(mine, part.name) + getattr(theirs, part.name))
        self.pages += other.pages

    def changes(self) -> str:
        parts = [f"{label}: {getattr(self, name)}" for name, label in self.LABELS.items() if getattr(self, name)]
        return "; ".join(parts) if parts else "no changes"

    def __str__(self) -> str:
        text = self.changes()
        if self.unmapped:
            shown = ", ".join(self.unmapped[:20]) + (
                f" and {len(self.unmapped) - 20} more" if len(self.unmapped) > 20 else ""
            )
            text += f"; {len(self.unmapped)} unmapped: {shown}"
        return text


class SkillSyncRefused(Exception):
    """The safety valve (dashboard/skills/ws.py): this run would lose too much; nothing
    was written. The message says what; `force` accepts it."""


class SkillSyncError(Exception):
    """A sync stopped. `summary` is what was imported (and kept) before it stopped."""

    def __init__(self, message: str, summary: SyncSummary) -> None:
        super().__init__(message)
        self.summary = summary

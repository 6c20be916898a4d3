"""Skill-coverage widgets in dashboard files (dashboard/boards/files.py).

In a file a coverage widget names skills, not statistics:
`{"type": "skill-coverage", "title": "Coverage", "skills": ["Spanish"], "thresholds": {...}}`.
Skill names need not exist yet (they may arrive with the next skills sync): an
unknown one is a warning on the import summary, not an error. Synced skills and
skill-source secrets are never part of a file.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext

from dashboard.boards.models import Widget

COVERAGE = Widget.Kind.SKILL_COVERAGE.value


def coverage_skills(raw: dict, where: str, errors: list[str]) -> list[str]:
    """The widget's skill names, checked: a non-empty list of distinct non-empty strings."""
    skills = raw.get("skills")
    if not isinstance(skills, list) or not skills or not all(isinstance(s, str) and s.strip() for s in skills):
        errors.append(
            gettext("%(where)s: a skill-coverage widget needs a non-empty list of skill names")
            % {"where": f"{where}.skills"}
        )
        return []
    names = [s.strip() for s in skills]
    if len(set(names)) != len(names):
        errors.append(gettext("%(where)s: a skill appears twice") % {"where": f"{where}.skills"})
    if any(len(s) > 120 for s in names):
        errors.append(gettext("%(where)s: skill names have at most 120 characters") % {"where": f"{where}.skills"})
    if raw.get("statistics"):
        errors.append(
            gettext("%(where)s: a skill-coverage widget takes skills, not statistics")
            % {"where": f"{where}.statistics"}
        )
    return names


def coverage_entry(widget: Widget) -> dict:
    entry: dict[str, Any] = {
        "type": widget.kind,
        "title": widget.title,
        "width": widget.width,
        "skills": list(widget.skills or []),
    }
    if widget.thresholds():
        entry["thresholds"] = widget.thresholds()
    return entry


def unknown_skill_warnings(dashboards: list[dict]) -> list[str]:
    from dashboard.skills.models import Skill

    known = set(Skill.objects.values_list("name", flat=True))
    warnings = []
    for i, dashboard in enumerate(dashboards):
        for j, widget in enumerate(dashboard["widgets"]):
            for name in (widget or {}).get("skills", []):
                if name not in known:
                    warnings.append(
                        gettext(
                            "%(where)s: %(name)s is not a known skill yet (it may arrive with the next skills sync)"
                        )
                        % {"where": f"dashboards[{i}].widgets[{j}].skills", "name": repr(name)}
                    )
    return warnings

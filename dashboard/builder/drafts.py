"""Draft, publish, discard, restore. Publishing is an import of the draft
(dashboard/boards/files.py: validated first, applied all-or-nothing) plus a new
version, in one transaction; the import's saves send the `config` frame to the
screens of that dashboard once it commits (dashboard/boards/signals.py)."""

from __future__ import annotations

import copy
from typing import Any

from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext

from dashboard.boards.files import (
    DashboardFileError,
    _definition_warnings,
    _validate,
    dashboard_entry,
    import_dashboards,
)
from dashboard.boards.models import Dashboard
from dashboard.builder.budget import Budget, budget_for
from dashboard.builder.models import DashboardDraft, DashboardVersion
from dashboard.skills.files import unknown_skill_warnings


class NothingToPublish(Exception):
    pass


class ChangedMeanwhile(Exception):
    """The published dashboard changed (another editor, the admin, an import) since the draft began."""


class OverBudget(Exception):
    def __init__(self, budget: Budget) -> None:
        super().__init__(budget.refusal())
        self.budget = budget


def editing_document(dashboard: Dashboard) -> tuple[dict, bool]:
    """(the document being edited, whether it is a saved draft)."""
    draft = DashboardDraft.objects.filter(dashboard=dashboard).first()
    if draft is not None:
        return draft.document, True
    return dashboard_entry(dashboard), False


def check(dashboard: Dashboard, document: Any) -> tuple[list[str], list[str]]:
    """(what "Publish" would refuse, what it would only warn about), each with its place
    (e.g. dashboards[0].widgets[1].title), as `import_dashboards` says them."""
    if not isinstance(document, dict):
        return [gettext("the draft must be a JSON object (one dashboard of a dashboard file)")], []
    if document.get("slug") != dashboard.slug:
        return [
            gettext("dashboards[0].slug: the builder edits %(slug)s; rename it in the admin")
            % {"slug": repr(dashboard.slug)}
        ], []
    try:
        dashboards = _validate({"dashboards": [document], "wallboards": []})[1]
    except DashboardFileError as error:
        return error.errors, []
    return [], unknown_skill_warnings(dashboards) + _definition_warnings(dashboards)


def problems_of(dashboard: Dashboard, document: Any) -> list[str]:
    return check(dashboard, document)[0]


class DraftConflict(Exception):
    """The draft was saved (or published, or discarded) by someone else since this editor
    loaded it: saving would silently replace their work."""

    def __init__(self, message: str, draft: DashboardDraft | None) -> None:
        super().__init__(message)
        self.draft = draft


def _conflict(draft: DashboardDraft | None, base_revision: int, user: str) -> DraftConflict | None:
    """None when a save based on `base_revision` (0: no draft then) may go ahead."""
    current = draft.revision if draft is not None else 0
    if current == base_revision:
        return None
    if draft is None:
        return DraftConflict(gettext("the draft you were editing was published or discarded meanwhile"), None)
    when = timezone.localtime(draft.updated_at).strftime("%H:%M:%S")
    if draft.updated_by == user:
        message = gettext("you, in another window, saved this draft at %(time)s, after you loaded it")
        return DraftConflict(message % {"time": when}, draft)
    who = draft.updated_by or gettext("another editor")
    message = gettext("%(editor)s saved this draft at %(time)s, after you loaded it")
    return DraftConflict(message % {"editor": who, "time": when}, draft)


@transaction.atomic
def save_draft(dashboard: Dashboard, document: Any, user: str, base_revision: int | None = None) -> list[str]:
    """Keep the edits (even half-done ones: a draft may be invalid until published).
    With `base_revision` (the revision the editor last saw), a draft saved since by
    someone else raises DraftConflict instead of being overwritten."""
    if not isinstance(document, dict):
        return problems_of(dashboard, document)
    document = {**document, "slug": dashboard.slug}
    draft = DashboardDraft.objects.select_for_update().filter(dashboard=dashboard).first()
    if base_revision is not None:
        conflict = _conflict(draft, base_revision, user)
        if conflict is not None:
            raise conflict
    if draft is None:
        DashboardDraft.objects.create(
            dashboard=dashboard, document=document, updated_by=user, base=dashboard_entry(dashboard)
        )
    else:
        draft.document, draft.updated_by, draft.revision = document, user, draft.revision + 1
        draft.save()
    return problems_of(dashboard, document)


def discard(dashboard: Dashboard) -> bool:
    return DashboardDraft.objects.filter(dashboard=dashboard).delete()[0] > 0


# What a dashboard was before its first publish is kept as version 0, so that the first
# publish is version 1 (as an admin counts) and the pre-builder board can still be restored.
# A board with no widgets yet (new from the builder) has nothing worth restoring: no version 0.
BEFORE_FIRST_PUBLISH = 0


def _next_number(dashboard: Dashboard) -> int:
    latest = dashboard.versions.aggregate(n=Max("number"))["n"]
    return 1 if latest is None else latest + 1


def _record(dashboard: Dashboard, user: str, note: str, number: int | None = None) -> DashboardVersion:
    dashboard.refresh_from_db()
    return DashboardVersion.objects.create(
        dashboard=dashboard,
        number=_next_number(dashboard) if number is None else number,
        document=dashboard_entry(dashboard),
        published_by=user,
        note=note,
    )


@transaction.atomic
def publish(dashboard: Dashboard, user: str, overwrite: bool = False) -> DashboardVersion:
    """Apply the draft or change nothing: DashboardFileError (with every place),
    OverBudget (with the numbers), ChangedMeanwhile (unless `overwrite`) or NothingToPublish."""
    draft = DashboardDraft.objects.select_for_update().filter(dashboard=dashboard).first()
    if draft is None:
        raise NothingToPublish(gettext("there is no draft to publish"))
    if not overwrite and draft.base is not None and draft.base != dashboard_entry(dashboard):
        raise ChangedMeanwhile(
            gettext(
                "the published dashboard changed since this draft began (another editor, the "
                "admin or an import): publishing replaces that change. Publish again to do so."
            )
        )
    problems = problems_of(dashboard, draft.document)
    if problems:
        raise DashboardFileError(problems)
    budget = budget_for(dashboard.slug, draft.document)
    if budget.over:
        raise OverBudget(budget)
    if not dashboard.versions.exists() and dashboard.widgets.exists():  # the pre-builder board
        _record(dashboard, user, "before the first publish", number=BEFORE_FIRST_PUBLISH)
    import_dashboards({"dashboards": [draft.document], "wallboards": []})
    draft.delete()
    return _record(dashboard, user, "published")


def restore(dashboard: Dashboard, number: int, user: str) -> DashboardDraft:
    """A version becomes the draft again; "Publish" then applies it."""
    version = DashboardVersion.objects.get(dashboard=dashboard, number=number)
    draft, created = DashboardDraft.objects.update_or_create(
        dashboard=dashboard,
        defaults={
            "document": copy.deepcopy(version.document),
            "updated_by": user,
            "based_on": version.number,
            "base": dashboard_entry(dashboard),
        },
    )
    if not created:  # editors who had the old draft open must not save over this one
        DashboardDraft.objects.filter(pk=draft.pk).update(revision=F("revision") + 1)
        draft.refresh_from_db()
    return draft

"""Who may see a dashboard: signed-in users by group, or a wallboard's kiosk token.

Connections (dashboard/connections) narrow it: a connection with groups is seen only by
those groups' members (superusers see all), and a dashboard carrying any statistic of a
connection the user may not see is closed to them (page, socket, and anything else that
asks `dashboard_visible_to`: Dashboard.visible_to is this function). A connection with no
groups, and `default`, restrict nothing.

A kiosk token is a signed value naming one WallboardToken row: read-only, valid only
for that wallboard's dashboards, dead as soon as the row is revoked. It is never a
login: it opens no admin page and no supervisor page.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.core import signing
from django.db import models
from django.utils import timezone
from django.utils.crypto import constant_time_compare

from dashboard.access.models import WallboardToken
from dashboard.boards.models import Dashboard, Wallboard
from dashboard.connections.models import Connection

SALT = "dashboard.wallboard-token"
LAST_SEEN_EVERY = timedelta(seconds=60)


@dataclass(frozen=True)
class Access:
    dashboard: Dashboard
    user_id: int | None = None
    token_id: str | None = None


def dashboard_visible_to(dashboard: Dashboard, user: object) -> bool:
    """The one rule for signed-in users: active, then superuser, else a group of the
    dashboard's and every connection its statistics come from."""
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return False
    if user.is_superuser:  # type: ignore[attr-defined]
        return True
    groups = user.groups.values("id")  # type: ignore[attr-defined]
    if not dashboard.groups.filter(id__in=groups).exists():
        return False
    return not forbidden_connections(dashboard, groups).exists()


def forbidden_connections(dashboard: Dashboard, user_groups: object) -> models.QuerySet[Connection]:
    """Connections of the dashboard's statistics that are limited to groups the user is
    in none of."""
    return (
        Connection.objects.filter(statistics__widgetstatistic__widget__dashboard=dashboard, groups__isnull=False)
        .exclude(groups__in=user_groups)
        .distinct()
    )


def visible_connections(user: object) -> list[str]:
    """The names of the connections a user may see (`default` always), for pickers."""
    from dashboard.connections.models import DEFAULT_CONNECTION

    rows = Connection.objects.all()
    if not getattr(user, "is_superuser", False):
        groups = user.groups.values("id")  # type: ignore[attr-defined]
        rows = rows.filter(models.Q(groups__isnull=True) | models.Q(groups__in=groups))
    return [DEFAULT_CONNECTION, *rows.distinct().order_by("name").values_list("name", flat=True)]


def issue_token(wallboard: Wallboard, label: str = "") -> str:
    row = WallboardToken.objects.create(wallboard=wallboard, label=label)
    return signing.dumps({"w": wallboard.slug, "t": row.token_id}, salt=SALT, compress=True)


def wallboard_for_token(value: str | None, wallboard_slug: str | None = None) -> WallboardToken | None:
    """The live token row, or None if the value is forged, revoked or for another wallboard."""
    if not value:
        return None
    try:
        data = signing.loads(value, salt=SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or (wallboard_slug and data.get("w") != wallboard_slug):
        return None
    row = (
        WallboardToken.objects.select_related("wallboard")
        .filter(token_id=data.get("t"), wallboard__slug=data.get("w"), revoked__isnull=True)
        .first()
    )
    if row is not None and (row.last_seen is None or timezone.now() - row.last_seen > LAST_SEEN_EVERY):
        WallboardToken.objects.filter(pk=row.pk).update(last_seen=timezone.now())
    return row


def access_for(user: object, token: str | None, slug: str) -> Access | None:
    dashboard = Dashboard.objects.filter(slug=slug).first()
    if dashboard is None:
        return None
    if token:
        row = wallboard_for_token(token)
        if row and row.wallboard.wallboardpage_set.filter(dashboard=dashboard).exists():
            return Access(dashboard, token_id=row.token_id)
        return None
    if dashboard.visible_to(user):
        return Access(dashboard, user_id=user.pk)  # type: ignore[attr-defined]
    return None


def still_allowed(access: Access, session_key: str | None, token: str | None) -> bool:
    """Is this open socket still allowed? (One socket: see `allowed_sockets`.)"""
    return allowed_sockets([(access, session_key, token)])[0]


def allowed_sockets(checks: list[tuple[Access, str | None, str | None]]) -> list[bool]:
    """Re-checked every few seconds for every open socket of a process, in a few
    queries whatever their number: sign-out, a password change, a disabled user or a
    revoked token closes the socket (issue 7, row 14; issue 14). One query per socket kept the database thread too
    busy to admit new sockets at 5,000 wallboards."""
    live_tokens = _live_tokens({a.token_id for a, _, _ in checks if a.token_id is not None})
    users = _active_users({a.user_id for a, _, _ in checks if a.token_id is None})
    sessions = _session_users({k for a, k, _ in checks if a.token_id is None and k})
    visible: dict[tuple[int, int], bool] = {}
    verdicts = []
    for access, session_key, _ in checks:
        if access.token_id is not None:
            verdicts.append(access.token_id in live_tokens)
            continue
        user = users.get(access.user_id)
        if user is None:
            verdicts.append(False)
            continue
        seen = (user.pk, access.dashboard.pk)
        if seen not in visible:
            visible[seen] = access.dashboard.visible_to(user)
        # no session key: the scope was authenticated directly (tests)
        signed_in = not session_key or _session_valid_for(user, sessions.get(session_key))
        verdicts.append(visible[seen] and signed_in)
    return verdicts


def _session_valid_for(user: object, session: tuple[str | None, str] | None) -> bool:
    """The session still belongs to `user` and carries the hash of their current
    password (as django.contrib.auth.get_user checks on every request): a password
    change elsewhere ends the socket, not only a sign-out."""
    if session is None or session[0] != str(user.pk):  # type: ignore[attr-defined]
        return False
    stored = session[1]
    if not stored:
        return False
    if constant_time_compare(stored, user.get_session_auth_hash()):  # type: ignore[attr-defined]
        return True
    return any(constant_time_compare(stored, old) for old in user.get_session_auth_fallback_hash())  # type: ignore[attr-defined]


def _chunks(values: set, size: int = 500) -> list[list]:
    items = list(values)
    return [items[i : i + size] for i in range(0, len(items), size)]


def _live_tokens(token_ids: set[str]) -> set[str]:
    live: set[str] = set()
    for chunk in _chunks(token_ids):
        live.update(
            WallboardToken.objects.filter(token_id__in=chunk, revoked__isnull=True).values_list("token_id", flat=True)
        )
    stale = timezone.now() - LAST_SEEN_EVERY
    for chunk in _chunks(live):
        WallboardToken.objects.filter(token_id__in=chunk).filter(
            models.Q(last_seen__isnull=True) | models.Q(last_seen__lt=stale)
        ).update(last_seen=timezone.now())
    return live


def _active_users(user_ids: set[int | None]) -> dict[int, object]:
    from django.contrib.auth import get_user_model

    users: dict[int, object] = {}
    for chunk in _chunks({u for u in user_ids if u is not None}):
        users.update({u.pk: u for u in get_user_model().objects.filter(pk__in=chunk, is_active=True)})
    return users


def _session_users(keys: set[str]) -> dict[str, tuple[str | None, str]]:
    """session key -> (the id of the user signed in with it, their session auth hash),
    for live sessions."""
    from django.contrib.auth import HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.models import Session

    found: dict[str, tuple[str | None, str]] = {}
    for chunk in _chunks(keys):
        for session in Session.objects.filter(session_key__in=chunk, expire_date__gt=timezone.now()):
            data = session.get_decoded()
            user_id = data.get(SESSION_KEY)
            found[session.session_key] = (
                str(user_id) if user_id is not None else None,
                str(data.get(HASH_SESSION_KEY) or ""),
            )
    return found

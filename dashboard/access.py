"""Who may see a dashboard: signed-in users by group, or a wallboard's kiosk token.

A kiosk token is a signed value naming one WallboardToken row: read-only, valid only
for that wallboard's dashboards, dead as soon as the row is revoked. It is never a
login: it opens no admin page and no supervisor page.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.core import signing
from django.utils import timezone

from dashboard.models import Dashboard, Wallboard, WallboardToken

SALT = "dashboard.wallboard-token"
LAST_SEEN_EVERY = timedelta(seconds=60)


@dataclass(frozen=True)
class Access:
    dashboard: Dashboard
    user_id: int | None = None
    token_id: str | None = None


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
    row = WallboardToken.objects.select_related("wallboard").filter(
        token_id=data.get("t"), wallboard__slug=data.get("w"), revoked__isnull=True).first()
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
    """Re-checked every few seconds for open sockets: sign-out, a disabled user or a
    revoked token closes the socket (issue 7, row 14)."""
    if access.token_id is not None:
        row = wallboard_for_token(token)
        return row is not None and row.token_id == access.token_id
    from django.contrib.auth import get_user_model
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    user = get_user_model().objects.filter(pk=access.user_id, is_active=True).first()
    if user is None or not access.dashboard.visible_to(user):
        return False
    if not session_key:
        return True  # no session (tests authenticate the scope directly)
    session = Session.objects.filter(session_key=session_key, expire_date__gt=timezone.now()).first()
    return session is not None and str(session.get_decoded().get("_auth_user_id")) == str(user.pk)

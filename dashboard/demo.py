"""Demo content for the embedded default: created once, never on a real tenant."""
from __future__ import annotations

from django.contrib.auth.models import Group, User
from django.db import transaction

DEMO_LOGINS = (("admin", "admin"), ("supervisor", "supervisor"))
SUPERVISORS_GROUP = "Supervisors"


@transaction.atomic
def ensure_demo_content() -> list[str]:
    """Create the demo users (and later dashboards) if missing; return what was made."""
    made: list[str] = []
    supervisors, _ = Group.objects.get_or_create(name=SUPERVISORS_GROUP)
    if not User.objects.filter(username="admin").exists():
        User.objects.create_superuser("admin", "admin@example.invalid", "admin")
        made.append("user admin")
    if not User.objects.filter(username="supervisor").exists():
        user = User.objects.create_user("supervisor", "supervisor@example.invalid", "supervisor")
        user.groups.add(supervisors)
        made.append("user supervisor")
    return made

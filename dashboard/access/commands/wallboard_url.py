"""`wallboard_url <slug>`: a kiosk URL with a fresh token, for an unattended display.

Each run issues a new WallboardToken row, so every screen gets its own revocable URL
(label it to know which screen to revoke later).
"""

from __future__ import annotations

from urllib.parse import quote

from django.core.management.base import BaseCommand, CommandError, CommandParser

from dashboard.access.policy import issue_token
from dashboard.boards.models import Wallboard


class Command(BaseCommand):
    help = "Print a full kiosk URL for a wallboard, with a fresh signed token."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug", help="the wallboard's slug")
        parser.add_argument(
            "--base", default="http://127.0.0.1:8000", help="the dashboard's public address (default %(default)s)"
        )
        parser.add_argument("--label", default="", help="which screen this is, e.g. 'TV by sales'")

    def handle(self, *args: object, **options: object) -> None:
        wallboard = self._wallboard(str(options["slug"]))
        token = issue_token(wallboard, label=str(options["label"]))
        base = str(options["base"]).rstrip("/")
        self.stdout.write(f"{base}/wallboards/{wallboard.slug}/?token={quote(token, safe='')}")

    def _wallboard(self, slug: str) -> Wallboard:
        wallboard = Wallboard.objects.filter(slug=slug).first()
        if wallboard is None:
            known = ", ".join(Wallboard.objects.order_by("slug").values_list("slug", flat=True))
            raise CommandError(f"no wallboard {slug!r}; the wallboards are: {known or '(none yet)'}")
        return wallboard

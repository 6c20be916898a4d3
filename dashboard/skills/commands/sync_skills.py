"""`sync_skills [--source NAME] [--resume] [--force]`: import skills, levels and skill
clusters from the configured skill sources, printing progress and a summary of what
changed. A Web Services run that reads no skills at all, or would remove more than half
of a source's agent skills, stops and changes nothing unless `--force` accepts it.

`rundashboard` runs the same sync every SKILLS_SYNC_MINUTES; deployments that run
the bridge elsewhere (`--no-bridge`) run this command from a timer instead.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, CommandParser

from dashboard.skills.outcome import SkillSyncError, SyncSummary
from dashboard.skills.pages import notify_skills_changed
from dashboard.skills.sync import sync_skills


class Command(BaseCommand):
    help = "Import skills and skill clusters from the skill sources (admin: Skill sources)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--source", metavar="NAME", help="only this source (even if disabled)")
        parser.add_argument(
            "--resume", action="store_true", help="continue an export that stopped half-way from its saved cursor"
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="accept a run that reads no skills or removes more than half of a "
            "source's agent skills (refused without it)",
        )
        parser.add_argument(
            "--page-size",
            type=int,
            default=100,
            choices=range(1, 101),
            metavar="1..100",
            help="employees per export page (default 100)",
        )

    def handle(self, *args: object, **options: object) -> None:
        def progress(message: str) -> None:
            self.stdout.write(message)
            self.stdout.flush()

        try:
            summary = sync_skills(
                options["source"],
                progress=progress,  # type: ignore[arg-type]
                resume=bool(options["resume"]),
                force=bool(options["force"]),
                page_size=int(options["page_size"]),
            )  # type: ignore[arg-type]
        except SkillSyncError as error:
            if error.summary.changed:
                notify_skills_changed()
            raise CommandError(f"skills sync stopped: {error}") from None
        self._report(summary)
        if summary.changed:
            notify_skills_changed()  # a running bridge follows the new agents' states at once

    def _report(self, summary: SyncSummary) -> None:
        self.stdout.write(f"Summary: {summary.changes()}")
        if summary.unmapped:
            self.stdout.write(
                f"{len(summary.unmapped)} unmapped (no agent; map them in the admin under Agent mappings):"
            )
            for name in summary.unmapped:
                self.stdout.write(f"  {name}")

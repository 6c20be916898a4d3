"""Configuration: what each dashboard shows, and who may see it.

Statistic (an upstream statistic: pre-configured `name` or ad-hoc `definition`)
  ◀── WidgetStatistic ──▶ Widget (kpi, gauge, line, ...) ──▶ Dashboard ◀── Wallboard
A skill-coverage widget names skills instead of statistics; its agents' states come
from the synced skills (dashboard/skills/models.py). Kiosk tokens and the upstream
authorization are access's (dashboard/access/models.py).
The bridge reads this through dashboard/boards/bridge_config.py; nothing here talks to it.
"""

from __future__ import annotations

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext, gettext_lazy

from dashboard.boards.time_zones import default_time_zone, validate_time_zone
from dashboard.connections.models import Connection
from statsbridge.desired import descriptor_of, statistic_key


class Statistic(models.Model):
    class Unit(models.TextChoices):
        COUNT = "count", gettext_lazy("count")
        DURATION = "duration", gettext_lazy("duration (mm:ss)")
        PERCENT = "percent", gettext_lazy("percent")

    label = models.CharField(max_length=120, blank=True, verbose_name=gettext_lazy("label"))
    name = models.CharField(
        max_length=120,
        blank=True,
        help_text=gettext_lazy("A pre-configured statistic, e.g. CurrentNumberWaitingCalls"),
        verbose_name=gettext_lazy("name"),
    )
    definition = models.JSONField(
        null=True,
        blank=True,
        help_text=gettext_lazy("An ad-hoc Stat Server definition (instead of a name)"),
        verbose_name=gettext_lazy("definition"),
    )
    object_type = models.CharField(
        max_length=40,
        help_text=gettext_lazy("Agent, GroupAgents, Queue, GroupQueues, Tenant..."),
        verbose_name=gettext_lazy("object type"),
    )
    object_id = models.CharField(max_length=200, verbose_name=gettext_lazy("object id"))
    unit = models.CharField(max_length=10, choices=Unit.choices, default=Unit.COUNT, verbose_name=gettext_lazy("unit"))
    expected_period_s = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text=gettext_lazy(
            "Seconds between values for a periodical statistic: its tile greys out after 3x this "
            "without one. Empty for a changes-based statistic (fresh while the link is up)."
        ),
        verbose_name=gettext_lazy("expected period s"),
    )
    # Written by the bridge (dashboard/refusals.py): Genesys' message when it refused to
    # open this statistic; empty when it is open or not tried yet.
    refused = models.TextField(
        blank=True,
        editable=False,
        help_text=gettext_lazy("Genesys' reason for refusing this statistic"),
        verbose_name=gettext_lazy("refused"),
    )
    refused_at = models.DateTimeField(null=True, blank=True, editable=False, verbose_name=gettext_lazy("refused at"))
    # The upstream it comes from (dashboard/connections); empty: `default`, the GENESYS_* settings.
    connection = models.ForeignKey(
        Connection,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="statistics",
        help_text=gettext_lazy("The Genesys connection serving it; empty: default (the environment's)"),
        verbose_name=gettext_lazy("connection"),
    )

    class Meta:
        verbose_name = gettext_lazy("statistic")
        verbose_name_plural = gettext_lazy("statistics")
        ordering = ["label", "name"]

    def __str__(self) -> str:
        return self.label or f"{self.name or self.definition.get('category', 'ad hoc')} · {self.object_id}"

    def clean(self) -> None:
        from dashboard.boards.validation import validate_statistic_fields

        validate_statistic_fields(self)

    def descriptor(self) -> dict:
        return descriptor_of(
            object_type=self.object_type,
            object_id=self.object_id,
            name=self.name or None,
            definition=self.definition or None,
        )

    @property
    def key(self) -> str:
        """Unique across connections (statsbridge/desired.py `statistic_key`)."""
        return statistic_key(self.descriptor(), self.connection.name if self.connection_id else "default")

    def expected_period(self) -> int | None:
        if self.expected_period_s:
            return self.expected_period_s
        definition = self.definition or {}
        if definition.get("notificationMode", "Periodical") in ("Periodical", "Reset"):
            return int(definition.get("notificationFrequency", 10)) if self.definition else None
        return None


class Dashboard(models.Model):
    slug = models.SlugField(unique=True, verbose_name=gettext_lazy("slug"))
    title = models.CharField(max_length=120, verbose_name=gettext_lazy("title"))
    columns = models.PositiveSmallIntegerField(
        default=4, help_text=gettext_lazy("Grid columns on wide screens"), verbose_name=gettext_lazy("columns")
    )
    groups = models.ManyToManyField(
        Group,
        blank=True,
        help_text=gettext_lazy("Who may see it (superusers see everything)"),
        verbose_name=gettext_lazy("groups"),
    )
    # An IANA name (e.g. Europe/Berlin): where this dashboard's day begins (intraday
    # tables) and what "the same time last week" means (compare overlays).
    time_zone = models.CharField(
        max_length=64,
        default=default_time_zone,
        validators=[validate_time_zone],
        help_text=gettext_lazy(
            "IANA time zone, e.g. Europe/Berlin: where the day begins for intraday tables and comparisons"
        ),
        verbose_name=gettext_lazy("time zone"),
    )

    class Meta:
        verbose_name = gettext_lazy("dashboard")
        verbose_name_plural = gettext_lazy("dashboards")
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("dashboard", args=[self.slug])

    def visible_to(self, user: object) -> bool:
        """The rule lives in the one policy module (groups, then connections)."""
        from dashboard.access.policy import dashboard_visible_to

        return dashboard_visible_to(self, user)


class Widget(models.Model):
    class Kind(models.TextChoices):
        KPI = "kpi", gettext_lazy("KPI tile with sparkline")
        GAUGE = "gauge", gettext_lazy("gauge")
        LINE = "line", gettext_lazy("line / trend")
        BAR = "bar", gettext_lazy("bar")
        DONUT = "donut", gettext_lazy("donut")
        AGENT_GRID = "agent-grid", gettext_lazy("agent grid")
        TABLE = "table", gettext_lazy("queue table")
        SKILL_COVERAGE = "skill-coverage", gettext_lazy("skill coverage (agents per skill by state)")
        INTRADAY = "intraday", gettext_lazy("intraday table (15- or 30-minute intervals per queue)")

    class Compare(models.TextChoices):
        NONE = "", gettext_lazy("no comparison")
        YESTERDAY = "yesterday", gettext_lazy("same time yesterday")
        LAST_WEEK = "last-week", gettext_lazy("same time last week")
        FOUR_WEEKS = "four-weeks", gettext_lazy("average of the last four same weekdays")

    class Direction(models.TextChoices):
        ABOVE = "above", gettext_lazy("breach when above")
        BELOW = "below", gettext_lazy("breach when below")

    dashboard = models.ForeignKey(
        Dashboard, related_name="widgets", on_delete=models.CASCADE, verbose_name=gettext_lazy("dashboard")
    )
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.KPI, verbose_name=gettext_lazy("kind"))
    title = models.CharField(max_length=120, verbose_name=gettext_lazy("title"))
    position = models.PositiveSmallIntegerField(default=0, verbose_name=gettext_lazy("position"))
    width = models.PositiveSmallIntegerField(
        default=1, help_text=gettext_lazy("Grid columns it spans"), verbose_name=gettext_lazy("width")
    )
    statistics = models.ManyToManyField(Statistic, through="WidgetStatistic", verbose_name=gettext_lazy("statistics"))
    warning = models.FloatField(null=True, blank=True, verbose_name=gettext_lazy("warning"))
    critical = models.FloatField(null=True, blank=True, verbose_name=gettext_lazy("critical"))
    direction = models.CharField(
        max_length=5, choices=Direction.choices, default=Direction.ABOVE, verbose_name=gettext_lazy("direction")
    )
    skills = models.JSONField(
        default=list,
        blank=True,
        help_text=gettext_lazy(
            "Skill coverage only: the skill names to count agents for; thresholds apply to each skill's Ready count"
        ),
        verbose_name=gettext_lazy("skills"),
    )
    compare = models.CharField(
        max_length=12,
        choices=Compare.choices,
        default="",
        blank=True,
        help_text=gettext_lazy(
            "Line and KPI widgets: a faint line (and a KPI's difference) from the same time in the past"
        ),
        verbose_name=gettext_lazy("compare"),
    )
    interval_minutes = models.PositiveSmallIntegerField(
        choices=[(15, "15 minutes"), (30, "30 minutes")],
        default=30,
        blank=True,  # a form without it (other kinds) keeps the default: see clean()
        help_text=gettext_lazy("Intraday tables only: the length of each row's interval"),
        verbose_name=gettext_lazy("interval minutes"),
    )

    class Meta:
        verbose_name = gettext_lazy("widget")
        verbose_name_plural = gettext_lazy("widgets")
        ordering = ["dashboard", "position", "id"]

    def __str__(self) -> str:
        return f"{self.dashboard.slug}: {self.title}"

    def clean(self) -> None:
        if self.kind == self.Kind.SKILL_COVERAGE and not (
            isinstance(self.skills, list) and self.skills and all(isinstance(n, str) and n for n in self.skills)
        ):
            raise ValidationError({"skills": gettext("A skill coverage widget needs at least one skill name")})
        if not self.interval_minutes:
            self.interval_minutes = 30
        if self.compare and self.kind not in (self.Kind.LINE, self.Kind.KPI):
            raise ValidationError({"compare": gettext("Only line and KPI widgets compare with the past")})
        if self.warning is not None and self.critical is not None:
            wrong = self.critical < self.warning if self.direction == "above" else self.critical > self.warning
            if wrong:
                raise ValidationError({"critical": self._threshold_order_message()})

    def _threshold_order_message(self) -> str:
        if self.direction == "above":
            return gettext("with 'breach when above' the critical level must be at or above the warning level")
        return gettext("with 'breach when below' the critical level must be at or below the warning level")

    def thresholds(self) -> dict | None:
        if self.warning is None and self.critical is None:
            return None
        return {"warning": self.warning, "critical": self.critical, "direction": self.direction}


class WidgetStatistic(models.Model):
    widget = models.ForeignKey(Widget, on_delete=models.CASCADE, verbose_name=gettext_lazy("widget"))
    statistic = models.ForeignKey(Statistic, on_delete=models.CASCADE, verbose_name=gettext_lazy("statistic"))
    position = models.PositiveSmallIntegerField(default=0, verbose_name=gettext_lazy("position"))

    class Meta:
        verbose_name = gettext_lazy("widget statistic")
        verbose_name_plural = gettext_lazy("widget statistics")
        ordering = ["position", "id"]


class Wallboard(models.Model):
    class Theme(models.TextChoices):
        DARK = "dark", "dark"
        LIGHT = "light", "light"

    slug = models.SlugField(unique=True, verbose_name=gettext_lazy("slug"))
    title = models.CharField(max_length=120, verbose_name=gettext_lazy("title"))
    dashboards = models.ManyToManyField(Dashboard, through="WallboardPage", verbose_name=gettext_lazy("dashboards"))
    rotate_seconds = models.PositiveIntegerField(default=30, verbose_name=gettext_lazy("rotate seconds"))
    theme = models.CharField(
        max_length=5, choices=Theme.choices, default=Theme.DARK, verbose_name=gettext_lazy("theme")
    )
    # The kiosk has no user: its clock and texts follow these (dashboard/i18n/).
    time_zone = models.CharField(
        max_length=64,
        default=default_time_zone,
        validators=[validate_time_zone],
        help_text=gettext_lazy("IANA time zone of the wallboard's clock and times, e.g. Europe/Berlin"),
        verbose_name=gettext_lazy("time zone"),
    )
    language = models.CharField(
        max_length=10,
        blank=True,
        default="",
        choices=[("", "the site's default"), ("en", "English"), ("de", "Deutsch")],
        help_text=gettext_lazy("Language of the wallboard's labels (empty: the site's default)"),
        verbose_name=gettext_lazy("language"),
    )

    class Meta:
        verbose_name = gettext_lazy("wallboard")
        verbose_name_plural = gettext_lazy("wallboards")

    def __str__(self) -> str:
        return self.title

    def pages(self) -> list[Dashboard]:
        return [page.dashboard for page in self.wallboardpage_set.select_related("dashboard").order_by("position")]


class WallboardPage(models.Model):
    wallboard = models.ForeignKey(Wallboard, on_delete=models.CASCADE, verbose_name=gettext_lazy("wallboard"))
    dashboard = models.ForeignKey(Dashboard, on_delete=models.CASCADE, verbose_name=gettext_lazy("dashboard"))
    position = models.PositiveSmallIntegerField(default=0, verbose_name=gettext_lazy("position"))

    class Meta:
        verbose_name = gettext_lazy("wallboard page")
        verbose_name_plural = gettext_lazy("wallboard pages")
        ordering = ["position", "id"]


class ConfigRevision(models.Model):
    """A counter per configuration scope, bumped in the same transaction as the edit
    (dashboard/boards/revisions.py): the bridge polls these few rows and treats a change
    it was not told about as a `config.changed` (a lost notification never leaves a
    screen stale). `scope`: `*` (every dashboard), `d:<slug>` or `w:<slug>`."""

    scope = models.CharField(max_length=80, primary_key=True)
    revision = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = gettext_lazy("configuration revision")
        verbose_name_plural = gettext_lazy("configuration revisions")

    def __str__(self) -> str:
        return f"{self.scope}@{self.revision}"

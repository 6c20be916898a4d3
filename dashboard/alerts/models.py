"""Alert rules, notification channels and the alert history (one row per event).

AlertRule ──▶ Widget (its thresholds give the level's threshold) ──▶ Dashboard
          ──▶ NotificationChannel (channels, and escalation channels)
AlertEvent: raised, repeated, escalated, acknowledged, cleared; written by the engine
(dashboard/alerts/history.py), never edited. Imported by dashboard/boards/models.py.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext, gettext_lazy

from dashboard.access.crypto_fields import EncryptedTextField


class Level(models.TextChoices):
    WARNING = "warning", "warning"
    CRITICAL = "critical", "critical"


class NotificationChannel(models.Model):
    class Kind(models.TextChoices):
        WEBHOOK = "webhook", "webhook (signed JSON POST)"
        SLACK = "slack", "Slack incoming webhook"
        EMAIL = "email", "e-mail (Django's mail settings)"

    name = models.CharField(max_length=80, unique=True, verbose_name=gettext_lazy("name"))
    kind = models.CharField(max_length=10, choices=Kind.choices, verbose_name=gettext_lazy("kind"))
    url = models.URLField(
        max_length=500,
        blank=True,
        help_text=gettext_lazy("Webhook or Slack incoming-webhook URL"),
        verbose_name=gettext_lazy("url"),
    )
    to = models.JSONField(
        default=list,
        blank=True,
        help_text=gettext_lazy('E-mail only: a list of addresses, e.g. ["ops@example.com"]'),
        verbose_name=gettext_lazy("to"),
    )
    secret = EncryptedTextField(
        blank=True,
        help_text=gettext_lazy(
            "Webhook only: signing secret (X-Alert-Signature: "
            "sha256=<HMAC-SHA256 of the body>). Write-only, encrypted at rest, never exported."
        ),
        verbose_name=gettext_lazy("secret"),
    )
    enabled = models.BooleanField(default=True, verbose_name=gettext_lazy("enabled"))
    last_success = models.DateTimeField(
        null=True, blank=True, editable=False, verbose_name=gettext_lazy("last success")
    )
    last_error = models.TextField(blank=True, editable=False, verbose_name=gettext_lazy("last error"))
    last_error_at = models.DateTimeField(
        null=True, blank=True, editable=False, verbose_name=gettext_lazy("last error at")
    )

    class Meta:
        verbose_name = gettext_lazy("notification channel")
        verbose_name_plural = gettext_lazy("notification channels")
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.kind})"

    def clean(self) -> None:
        if self.kind in (self.Kind.WEBHOOK, self.Kind.SLACK) and not self.url:
            raise ValidationError({"url": gettext("a URL is required for this kind of channel")})
        if self.kind == self.Kind.EMAIL and not (
            isinstance(self.to, list) and self.to and all(isinstance(a, str) and "@" in a for a in self.to)
        ):
            raise ValidationError({"to": gettext("a list of e-mail addresses is required")})


class AlertRule(models.Model):
    dashboard = models.ForeignKey(
        "dashboard.Dashboard",
        related_name="alert_rules",
        on_delete=models.CASCADE,
        verbose_name=gettext_lazy("dashboard"),
    )
    name = models.CharField(max_length=120, verbose_name=gettext_lazy("name"))
    widget = models.ForeignKey(
        "dashboard.Widget", related_name="alert_rules", on_delete=models.CASCADE, verbose_name=gettext_lazy("widget")
    )
    statistic = models.ForeignKey(
        "dashboard.Statistic",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        help_text=gettext_lazy("Only this one of the widget's statistics (empty: any of them)"),
        verbose_name=gettext_lazy("statistic"),
    )
    level = models.CharField(
        max_length=8,
        choices=Level.choices,
        default=Level.CRITICAL,
        help_text=gettext_lazy("Which of the widget's thresholds"),
        verbose_name=gettext_lazy("level"),
    )
    after_seconds = models.PositiveIntegerField(
        default=60,
        help_text=gettext_lazy("At or past the threshold this long before it is raised"),
        verbose_name=gettext_lazy("after seconds"),
    )
    repeat_seconds = models.PositiveIntegerField(
        default=600,
        help_text=gettext_lazy("Repeat while unacknowledged (0: never)"),
        verbose_name=gettext_lazy("repeat seconds"),
    )
    channels = models.ManyToManyField(
        NotificationChannel, blank=True, related_name="rules", verbose_name=gettext_lazy("channels")
    )
    sound = models.BooleanField(
        default=True,
        help_text=gettext_lazy("A short tone on wallboards and supervisor pages"),
        verbose_name=gettext_lazy("sound"),
    )
    escalate_after_minutes = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text=gettext_lazy("Unacknowledged this long: also notify the escalation channels"),
        verbose_name=gettext_lazy("escalate after minutes"),
    )
    escalation_channels = models.ManyToManyField(
        NotificationChannel, blank=True, related_name="escalations", verbose_name=gettext_lazy("escalation channels")
    )
    enabled = models.BooleanField(default=True, verbose_name=gettext_lazy("enabled"))

    class Meta:
        verbose_name = gettext_lazy("alert rule")
        verbose_name_plural = gettext_lazy("alert rules")
        ordering = ["dashboard", "name"]
        constraints = [models.UniqueConstraint(fields=["dashboard", "name"], name="alert_rule_name_per_dashboard")]

    def __str__(self) -> str:
        return f"{self.dashboard.slug}: {self.name}"

    def clean(self) -> None:
        widget = getattr(self, "widget", None) if self.widget_id else None
        if widget is None:
            return
        if self.dashboard_id and widget.dashboard_id != self.dashboard_id:
            raise ValidationError({"widget": gettext("the widget must be on this rule's dashboard")})
        if getattr(widget, self.level) is None:
            raise ValidationError({"level": gettext("the widget has no %(level)s threshold") % {"level": self.level}})
        if self.statistic_id and not widget.statistics.filter(pk=self.statistic_id).exists():
            raise ValidationError({"statistic": gettext("not one of the widget's statistics")})


class AlertEvent(models.Model):
    class Kind(models.TextChoices):
        RAISED = "raised", "raised"
        REPEATED = "repeated", "repeated"
        ESCALATED = "escalated", "escalated"
        ACKNOWLEDGED = "acknowledged", "acknowledged"
        CLEARED = "cleared", "cleared"

    alert_id = models.CharField(max_length=40, db_index=True, verbose_name=gettext_lazy("alert id"))
    event = models.CharField(max_length=12, choices=Kind.choices, verbose_name=gettext_lazy("event"))
    at = models.DateTimeField(db_index=True, verbose_name=gettext_lazy("at"))
    dashboard = models.ForeignKey(
        "dashboard.Dashboard",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        help_text=gettext_lazy("Empty for the statistics link's own alert"),
        verbose_name=gettext_lazy("dashboard"),
    )
    rule = models.ForeignKey(
        AlertRule, null=True, blank=True, on_delete=models.SET_NULL, verbose_name=gettext_lazy("rule")
    )
    rule_name = models.CharField(max_length=120, verbose_name=gettext_lazy("rule name"))
    widget = models.CharField(max_length=120, blank=True, verbose_name=gettext_lazy("widget"))
    statistic = models.CharField(max_length=200, blank=True, verbose_name=gettext_lazy("statistic"))
    level = models.CharField(max_length=8, choices=Level.choices, verbose_name=gettext_lazy("level"))
    value = models.FloatField(null=True, blank=True, verbose_name=gettext_lazy("value"))
    threshold = models.FloatField(null=True, blank=True, verbose_name=gettext_lazy("threshold"))
    since = models.DateTimeField(verbose_name=gettext_lazy("since"))
    by = models.CharField(
        max_length=150, blank=True, help_text=gettext_lazy("Who acknowledged"), verbose_name=gettext_lazy("by")
    )

    class Meta:
        verbose_name = gettext_lazy("alert event")
        verbose_name_plural = gettext_lazy("alert events")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["dashboard", "at"])]

    def __str__(self) -> str:
        return f"{self.rule_name} {self.event}"

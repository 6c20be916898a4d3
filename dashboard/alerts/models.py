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

    name = models.CharField(max_length=80, unique=True)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    url = models.URLField(max_length=500, blank=True, help_text=gettext_lazy("Webhook or Slack incoming-webhook URL"))
    to = models.JSONField(
        default=list, blank=True, help_text=gettext_lazy('E-mail only: a list of addresses, e.g. ["ops@example.com"]')
    )
    secret = EncryptedTextField(
        blank=True,
        help_text=gettext_lazy(
            "Webhook only: signing secret (X-Alert-Signature: "
            "sha256=<HMAC-SHA256 of the body>). Write-only, encrypted at rest, never exported."
        ),
    )
    enabled = models.BooleanField(default=True)
    last_success = models.DateTimeField(null=True, blank=True, editable=False)
    last_error = models.TextField(blank=True, editable=False)
    last_error_at = models.DateTimeField(null=True, blank=True, editable=False)

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
    dashboard = models.ForeignKey("dashboard.Dashboard", related_name="alert_rules", on_delete=models.CASCADE)
    name = models.CharField(max_length=120)
    widget = models.ForeignKey("dashboard.Widget", related_name="alert_rules", on_delete=models.CASCADE)
    statistic = models.ForeignKey(
        "dashboard.Statistic",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        help_text=gettext_lazy("Only this one of the widget's statistics (empty: any of them)"),
    )
    level = models.CharField(
        max_length=8,
        choices=Level.choices,
        default=Level.CRITICAL,
        help_text=gettext_lazy("Which of the widget's thresholds"),
    )
    after_seconds = models.PositiveIntegerField(
        default=60, help_text=gettext_lazy("At or past the threshold this long before it is raised")
    )
    repeat_seconds = models.PositiveIntegerField(
        default=600, help_text=gettext_lazy("Repeat while unacknowledged (0: never)")
    )
    channels = models.ManyToManyField(NotificationChannel, blank=True, related_name="rules")
    sound = models.BooleanField(default=True, help_text=gettext_lazy("A short tone on wallboards and supervisor pages"))
    escalate_after_minutes = models.PositiveIntegerField(
        null=True, blank=True, help_text=gettext_lazy("Unacknowledged this long: also notify the escalation channels")
    )
    escalation_channels = models.ManyToManyField(NotificationChannel, blank=True, related_name="escalations")
    enabled = models.BooleanField(default=True)

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

    alert_id = models.CharField(max_length=40, db_index=True)
    event = models.CharField(max_length=12, choices=Kind.choices)
    at = models.DateTimeField(db_index=True)
    dashboard = models.ForeignKey(
        "dashboard.Dashboard",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        help_text=gettext_lazy("Empty for the statistics link's own alert"),
    )
    rule = models.ForeignKey(AlertRule, null=True, blank=True, on_delete=models.SET_NULL)
    rule_name = models.CharField(max_length=120)
    widget = models.CharField(max_length=120, blank=True)
    statistic = models.CharField(max_length=200, blank=True)
    level = models.CharField(max_length=8, choices=Level.choices)
    value = models.FloatField(null=True, blank=True)
    threshold = models.FloatField(null=True, blank=True)
    since = models.DateTimeField()
    by = models.CharField(max_length=150, blank=True, help_text=gettext_lazy("Who acknowledged"))

    class Meta:
        verbose_name = gettext_lazy("alert event")
        verbose_name_plural = gettext_lazy("alert events")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["dashboard", "at"])]

    def __str__(self) -> str:
        return f"{self.rule_name} {self.event}"

"""Interval buckets of a statistic's values: one row per (statistic, interval, start).

Written by the elected bridge (dashboard/history/writer.py) in 5-minute buckets;
15- and 30-minute buckets are derived from them (dashboard/history/buckets.py).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy


class HistoryBucket(models.Model):
    statistic = models.ForeignKey("dashboard.Statistic", related_name="history", on_delete=models.CASCADE)
    interval = models.PositiveIntegerField(help_text=gettext_lazy("Bucket length in seconds: 300, 900 or 1800"))
    start = models.DateTimeField(help_text=gettext_lazy("UTC bucket start, a multiple of the interval since the epoch"))
    min = models.FloatField()
    max = models.FloatField()
    last = models.FloatField()
    count = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["statistic", "interval", "start"], name="history_bucket_unique"),
        ]
        # The unique constraint's index serves range reads (statistic, interval, start
        # BETWEEN); this one serves retention pruning (interval, start < cutoff).
        indexes = [models.Index(fields=["interval", "start"], name="history_bucket_prune")]

    def __str__(self) -> str:
        return f"{self.statistic_id} {self.interval}s @ {self.start:%Y-%m-%d %H:%M}Z"

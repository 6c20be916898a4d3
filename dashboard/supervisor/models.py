"""Who serves a queue, as configured: its skills and its agent groups, and the groups' members.

Stat Server names queues and agent groups but no API here says which agents a queue's
calls go to (routing strategies and agent-group membership live in Configuration
Server). So an admin says it once per queue: agents with one of these skills (at or
above a level), plus the members of these agent groups. A queue with no row falls back
to the skills whose name is a word of the queue's label (dashboard/supervisor/serving.py).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy


class QueueRouting(models.Model):
    queue_id = models.CharField(
        max_length=200,
        unique=True,
        verbose_name=gettext_lazy("queue objectId"),
        help_text=gettext_lazy("e.g. 8001@SIP_Switch"),
    )
    skills = models.JSONField(
        default=list,
        blank=True,
        help_text=gettext_lazy('Skill names, any of which serves the queue, e.g. ["Sales", "Spanish"]'),
        verbose_name=gettext_lazy("skills"),
    )
    min_level = models.PositiveSmallIntegerField(
        default=1, help_text=gettext_lazy("The lowest skill level that counts"), verbose_name=gettext_lazy("min level")
    )
    groups = models.JSONField(
        default=list,
        blank=True,
        help_text=gettext_lazy('GroupAgents objectIds whose members serve the queue, e.g. ["Sales"]'),
        verbose_name=gettext_lazy("groups"),
    )

    class Meta:
        verbose_name = gettext_lazy("queue routing")
        verbose_name_plural = gettext_lazy("queue routing")
        ordering = ["queue_id"]

    def __str__(self) -> str:
        return self.queue_id


class AgentGroupMember(models.Model):
    """One agent in one Stat Server agent group (GroupAgents objectId)."""

    group = models.CharField(max_length=200, db_index=True, verbose_name=gettext_lazy("group"))
    agent_id = models.CharField(max_length=200, verbose_name=gettext_lazy("agent objectId"))
    name = models.CharField(
        max_length=200,
        blank=True,
        help_text=gettext_lazy("Shown when the skills data does not name the agent"),
        verbose_name=gettext_lazy("name"),
    )

    class Meta:
        verbose_name = gettext_lazy("agent group member")
        verbose_name_plural = gettext_lazy("agent group members")
        constraints = [models.UniqueConstraint(fields=["group", "agent_id"], name="unique_group_member")]
        ordering = ["group", "agent_id"]

    def __str__(self) -> str:
        return f"{self.group}: {self.agent_id}"

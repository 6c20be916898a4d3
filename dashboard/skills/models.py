"""Skills: who can take what. Imported from skill sources by dashboard/skills/sync.py.

SkillSource (Web Services v2, or the skill-clusters export)
  ──▶ Skill ◀── AgentSkill (level) ──▶ AgentMapping ◀── AgentSkillCluster (proficiency) ──▶ SkillCluster

An AgentMapping joins the three ways one person is named: the Web Services user, the
export's employee `external_id` and the Stat Server agent objectId whose
CurrentAgentState the bridge follows. Skills hang off the mapping (not off the agent
id), so an admin who corrects a mapping moves that person's skills with it at once.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext, gettext_lazy

from dashboard.access.crypto_fields import EncryptedTextField

SIMULATOR_TOKEN_PATH = "/oauth/token"  # statsbridge/simulator/export_oauth_api.py (no import: product code)


class SkillSource(models.Model):
    class Kind(models.TextChoices):
        WEB_SERVICES = "web-services", "Web Services v2 (skills and levels)"
        SKILL_EXPORT = "skill-export", "Skill-clusters export (clusters and proficiency)"

    name = models.CharField(max_length=80, unique=True, verbose_name=gettext_lazy("name"))
    kind = models.CharField(max_length=20, choices=Kind.choices, verbose_name=gettext_lazy("kind"))
    base_url = models.URLField(
        max_length=300,
        blank=True,
        help_text=gettext_lazy(
            "e.g. https://gws.example.com or https://tenant.region.techwolf.ai. "
            "Empty: the built-in simulator (embedded default only)."
        ),
        verbose_name=gettext_lazy("base url"),
    )
    username = models.CharField(
        max_length=150,
        blank=True,
        help_text=gettext_lazy("Web Services only (HTTP Basic)"),
        verbose_name=gettext_lazy("username"),
    )
    secret = EncryptedTextField(
        max_length=500,
        blank=True,  # encrypted at rest (dashboard/access/crypto_fields.py)
        help_text=gettext_lazy("The Web Services password or the export's bearer token"),
        verbose_name=gettext_lazy("secret"),
    )
    enabled = models.BooleanField(default=True, verbose_name=gettext_lazy("enabled"))
    last_sync_at = models.DateTimeField(null=True, blank=True, verbose_name=gettext_lazy("last sync at"))
    last_result = models.TextField(blank=True, verbose_name=gettext_lazy("last result"))
    last_ok = models.BooleanField(null=True, blank=True, verbose_name=gettext_lazy("last ok"))
    resume_cursor = models.CharField(
        max_length=100,
        blank=True,
        help_text=gettext_lazy(
            "Export only: `starting_after` of the page after the last one imported, "
            "kept when a sync stops half-way so `sync_skills --resume` goes on from there"
        ),
        verbose_name=gettext_lazy("resume cursor"),
    )
    run_started_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text=gettext_lazy("When the export run now being resumed began"),
        verbose_name=gettext_lazy("run started at"),
    )

    class AgentIdRule(models.TextChoices):
        EMPLOYEE_ID = "employee-id", "Employee id (employeeId)"
        USER_NAME = "user-name", "User name (userName)"
        PATTERN = "pattern", "Pattern on the user name"

    agent_id_rule = models.CharField(
        max_length=20,
        choices=AgentIdRule.choices,
        default=AgentIdRule.EMPLOYEE_ID,
        verbose_name=gettext_lazy("agent objectId rule"),
        help_text=gettext_lazy(
            "Web Services only: how a user's Stat Server Agent objectId is found. Stat Server "
            "names an agent by the person's employee id, which is often not the login user name."
        ),
    )
    agent_id_pattern = models.CharField(
        max_length=200,
        blank=True,
        verbose_name=gettext_lazy("agent objectId pattern"),
        help_text=gettext_lazy(
            "Pattern rule only: a regular expression searched in the user name; the objectId is "
            "its group named 'agent', else its first group, else the whole match. "
            "e.g. ^([^@]+)@ takes the part before the @."
        ),
    )

    class ExportAuth(models.TextChoices):
        TOKEN = "token", "Bearer token (pasted)"
        CLIENT_CREDENTIALS = "client-credentials", "OAuth 2.0 client credentials"

    export_auth = models.CharField(
        max_length=20,
        choices=ExportAuth.choices,
        default=ExportAuth.TOKEN,
        verbose_name=gettext_lazy("export sign-in"),
        help_text=gettext_lazy(
            "Export only. Client credentials: the secret is the client secret, and tokens are "
            "fetched from the token URL and renewed before they expire and after a 401."
        ),
    )
    token_url = models.URLField(
        max_length=300,
        blank=True,
        verbose_name=gettext_lazy("token URL"),
        help_text=gettext_lazy(
            "Client credentials: the OAuth 2.0 token endpoint. Empty: the built-in simulator's (embedded default only)."
        ),
    )
    client_id = models.CharField(max_length=200, blank=True, verbose_name=gettext_lazy("client id"))
    token_scope = models.CharField(
        max_length=300,
        blank=True,
        verbose_name=gettext_lazy("scope"),
        help_text=gettext_lazy("Client credentials: sent as `scope` when set"),
    )
    token_audience = models.CharField(
        max_length=300,
        blank=True,
        verbose_name=gettext_lazy("audience"),
        help_text=gettext_lazy("Client credentials: sent as `audience` when set"),
    )
    # "Sync now" asks the skills job (dashboard/skills/job.py) through these rows.
    sync_requested_at = models.DateTimeField(
        null=True, blank=True, editable=False, verbose_name=gettext_lazy("sync requested at")
    )
    sync_request_force = models.BooleanField(
        default=False, editable=False, verbose_name=gettext_lazy("sync request force")
    )
    sync_started_at = models.DateTimeField(
        null=True, blank=True, editable=False, verbose_name=gettext_lazy("sync started at")
    )
    sync_progress = models.CharField(
        max_length=300, blank=True, editable=False, verbose_name=gettext_lazy("sync progress")
    )

    class Meta:
        verbose_name = gettext_lazy("skill source")
        verbose_name_plural = gettext_lazy("skill sources")
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        from dashboard.skills.identity import pattern_problem

        embedded = settings.GENESYS["API_BASE_URL"] is None
        if not self.base_url and not embedded:
            raise ValidationError(
                {"base_url": gettext("Required: the built-in simulator only runs in the embedded default")}
            )
        if self.kind == self.Kind.WEB_SERVICES and not self.username:
            raise ValidationError({"username": gettext("Web Services needs a user name (HTTP Basic)")})
        if self.kind == self.Kind.WEB_SERVICES and self.agent_id_rule == self.AgentIdRule.PATTERN:
            problem = pattern_problem(self.agent_id_pattern)
            if problem:
                raise ValidationError({"agent_id_pattern": problem})
        if self.kind == self.Kind.SKILL_EXPORT and self.export_auth == self.ExportAuth.CLIENT_CREDENTIALS:
            if not self.client_id:
                raise ValidationError({"client_id": gettext("Client credentials need a client id")})
            if not self.token_url and not (embedded and not self.base_url):
                raise ValidationError(
                    {"token_url": gettext("Required: the token endpoint of the export's OAuth server")}
                )

    def resolved_url(self) -> str:
        """The base URL to call: the row's, or the built-in simulator's."""
        return (self.base_url or getattr(settings, "STATSBRIDGE_SIMULATOR_URL", "")).rstrip("/")

    def resolved_token_url(self) -> str:
        """The token endpoint: the row's, or the built-in simulator's (its /oauth/token)."""
        return self.token_url or (self.resolved_url() + SIMULATOR_TOKEN_PATH if not self.base_url else "")


class Skill(models.Model):
    name = models.CharField(max_length=120, unique=True, verbose_name=gettext_lazy("name"))
    upstream_id = models.CharField(
        max_length=100,
        blank=True,
        help_text=gettext_lazy("The skill's id at its source"),
        verbose_name=gettext_lazy("upstream id"),
    )
    description = models.TextField(blank=True, verbose_name=gettext_lazy("description"))
    source = models.ForeignKey(
        SkillSource, null=True, blank=True, on_delete=models.SET_NULL, verbose_name=gettext_lazy("source")
    )
    updated_at = models.DateTimeField(auto_now=True, verbose_name=gettext_lazy("updated at"))

    class Meta:
        verbose_name = gettext_lazy("skill")
        verbose_name_plural = gettext_lazy("skills")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class AgentMapping(models.Model):
    agent_object_id = models.CharField(
        max_length=200,
        blank=True,
        db_index=True,
        verbose_name=gettext_lazy("agent objectId"),
        help_text=gettext_lazy("The Stat Server agent (e.g. agent001). Empty: unmapped, so not on any dashboard."),
    )
    ws_user_id = models.CharField(max_length=100, blank=True, verbose_name=gettext_lazy("Web Services user id"))
    ws_user_name = models.CharField(max_length=150, blank=True, verbose_name=gettext_lazy("Web Services user name"))
    external_id = models.CharField(max_length=100, blank=True, verbose_name=gettext_lazy("employee external_id"))
    display_name = models.CharField(max_length=150, blank=True, verbose_name=gettext_lazy("display name"))
    manual = models.BooleanField(
        default=False,
        help_text=gettext_lazy("Edited by an admin: syncs never change the agent objectId"),
        verbose_name=gettext_lazy("manual"),
    )
    export_seen_at = models.DateTimeField(
        null=True, blank=True, editable=False, verbose_name=gettext_lazy("export seen at")
    )
    updated_at = models.DateTimeField(auto_now=True, verbose_name=gettext_lazy("updated at"))

    class Meta:
        verbose_name = gettext_lazy("agent mapping")
        verbose_name_plural = gettext_lazy("agent mappings")
        ordering = ["agent_object_id", "display_name", "external_id"]
        constraints = [
            models.UniqueConstraint(fields=["ws_user_id"], condition=~Q(ws_user_id=""), name="unique_ws_user"),
            models.UniqueConstraint(fields=["external_id"], condition=~Q(external_id=""), name="unique_external_id"),
        ]

    def __str__(self) -> str:
        who = self.display_name or self.ws_user_name or self.external_id or f"mapping {self.pk}"
        return f"{who} → {self.agent_object_id or 'unmapped'}"


class AgentSkill(models.Model):
    mapping = models.ForeignKey(
        AgentMapping, related_name="skills", on_delete=models.CASCADE, verbose_name=gettext_lazy("mapping")
    )
    skill = models.ForeignKey(
        Skill, related_name="agents", on_delete=models.CASCADE, verbose_name=gettext_lazy("skill")
    )
    level = models.IntegerField(default=0, verbose_name=gettext_lazy("level"))
    source = models.ForeignKey(
        SkillSource, null=True, blank=True, on_delete=models.CASCADE, verbose_name=gettext_lazy("source")
    )
    updated_at = models.DateTimeField(auto_now=True, verbose_name=gettext_lazy("updated at"))

    class Meta:
        verbose_name = gettext_lazy("agent skill")
        verbose_name_plural = gettext_lazy("agent skills")
        ordering = ["skill__name", "-level"]
        constraints = [models.UniqueConstraint(fields=["mapping", "skill"], name="unique_agent_skill")]

    def __str__(self) -> str:
        return f"{self.mapping} · {self.skill} {self.level}"


class SkillCluster(models.Model):
    cluster_id = models.CharField(max_length=100, unique=True, verbose_name=gettext_lazy("cluster id"))
    name = models.CharField(max_length=200, verbose_name=gettext_lazy("name"))
    domain = models.CharField(max_length=200, blank=True, verbose_name=gettext_lazy("domain"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=gettext_lazy("updated at"))

    class Meta:
        verbose_name = gettext_lazy("skill cluster")
        verbose_name_plural = gettext_lazy("skill clusters")
        ordering = ["domain", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.domain})" if self.domain else self.name


class AgentSkillCluster(models.Model):
    mapping = models.ForeignKey(
        AgentMapping, related_name="clusters", on_delete=models.CASCADE, verbose_name=gettext_lazy("mapping")
    )
    cluster = models.ForeignKey(
        SkillCluster, related_name="agents", on_delete=models.CASCADE, verbose_name=gettext_lazy("cluster")
    )
    proficiency_level = models.IntegerField(null=True, blank=True, verbose_name=gettext_lazy("proficiency level"))
    validation_state = models.CharField(
        max_length=40, null=True, blank=True, verbose_name=gettext_lazy("validation state")
    )
    current_skills = models.JSONField(
        default=list,
        blank=True,
        help_text=gettext_lazy("[{skill_id, name, validation_state, sources}]"),
        verbose_name=gettext_lazy("current skills"),
    )
    sources = models.JSONField(default=list, blank=True, verbose_name=gettext_lazy("sources"))
    source = models.ForeignKey(
        SkillSource, null=True, blank=True, on_delete=models.CASCADE, verbose_name=gettext_lazy("source")
    )
    updated_at = models.DateTimeField(auto_now=True, verbose_name=gettext_lazy("updated at"))

    class Meta:
        verbose_name_plural = gettext_lazy("agent skill clusters")
        ordering = ["cluster__name"]
        verbose_name = gettext_lazy("agent skill cluster")
        constraints = [models.UniqueConstraint(fields=["mapping", "cluster"], name="unique_agent_cluster")]

    def __str__(self) -> str:
        return f"{self.mapping} · {self.cluster} {self.proficiency_level or ''}".rstrip()

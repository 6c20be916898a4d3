"""Which Stat Server agent a Web Services user is: each skill source's rule.

Stat Server names an `Agent` object by the person's employee id, which in most tenants
is not the login `userName` (often an e-mail address). So the default rule is the
user's `employeeId`; a source may use the `userName` instead, or a pattern: a regular
expression searched in the user name whose group named `agent` (else its first group,
else the whole match) is the objectId, e.g. `^([^@]+)@` for the part before the @.
A user the rule finds no objectId for is left unmapped (listed, and an admin may map
them by hand).
"""

from __future__ import annotations

import re

from django.utils.translation import gettext

from dashboard.skills.models import SkillSource
from statsbridge.skillsources import WsUser


def pattern_problem(pattern: str) -> str | None:
    """Why `pattern` cannot be a rule, or None when it can."""
    if not pattern:
        return gettext("The pattern rule needs a pattern, e.g. ^([^@]+)@")
    try:
        re.compile(pattern)
    except re.error as error:
        return gettext("Not a regular expression: %(error)s") % {"error": error}
    return None


def agent_object_id(source: SkillSource, user: WsUser) -> str:
    """The objectId the source's rule gives `user`, or "" for none."""
    rule = source.agent_id_rule
    if rule == SkillSource.AgentIdRule.USER_NAME:
        return user.user_name
    if rule == SkillSource.AgentIdRule.PATTERN:
        return _from_pattern(source.agent_id_pattern, user.user_name)
    return user.employee_id or ""


def _from_pattern(pattern: str, user_name: str) -> str:
    match = re.search(pattern, user_name)
    if match is None:
        return ""
    if "agent" in match.re.groupindex:
        return match.group("agent") or ""
    return (match.group(1) if match.re.groups else match.group(0)) or ""

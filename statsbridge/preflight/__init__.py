"""`check_genesys`: a preflight that walks the upstream step by step and says, for the
first step that fails, what failed and what to do. Imports nothing from Django: the
command and the admin page (dashboard/access/preflight.py) hand it the configuration."""

from __future__ import annotations

from statsbridge.preflight.report import Report, Step, StepFailed, run_checks
from statsbridge.preflight.skills import SkillSourceSpec, skill_checks
from statsbridge.preflight.upstream import NOTIFICATION_WAIT, UpstreamCheck

__all__ = [
    "NOTIFICATION_WAIT",
    "Report",
    "SkillSourceSpec",
    "Step",
    "StepFailed",
    "UpstreamCheck",
    "run_checks",
    "skill_checks",
]

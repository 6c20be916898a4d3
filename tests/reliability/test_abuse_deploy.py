"""Abuse row 15 of issue #7: a production configuration passes Django's deployment
checks with no warning. The Content-Security-Policy half of the row is checked in a
real browser: tests/e2e/test_live_pages.py::test_pages_satisfy_the_content_security_policy.
"""

from __future__ import annotations

import secrets
import subprocess
import sys
from pathlib import Path

from tests.support.processes import ROOT, base_env


def test_a_production_configuration_passes_check_deploy_with_no_warning(tmp_path: Path) -> None:
    env = base_env(
        tmp_path,
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(60),
        DJANGO_ALLOWED_HOSTS="wallboard.example.com",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout

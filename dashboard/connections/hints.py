"""The preflight's advice names the GENESYS_* settings (statsbridge/preflight, tokens):
right for `default`, wrong for a connection configured in the admin. This rewrites a
named connection's report to point at that connection's fields and pages instead."""

from __future__ import annotations

import re

from statsbridge.preflight import Report
from statsbridge.preflight.report import Step

FIELDS = {
    "GENESYS_API_BASE_URL": "base URL",
    "GENESYS_AUTH_BASE_URL": "auth base URL",
    "GENESYS_API_KEY": "API key",
    "GENESYS_CLIENT_ID": "client id",
    "GENESYS_CLIENT_SECRET": "client secret",
    "GENESYS_USERNAME": "username",
    "GENESYS_PASSWORD": "password",
}
_SETTING = re.compile("|".join(sorted(FIELDS, key=len, reverse=True)))


def for_connection(report: Report, name: str) -> Report:
    def rewrite(text: str) -> str:
        text = _SETTING.sub(lambda m: f"the {FIELDS[m.group(0)]} of connection {name!r} (admin: Connections)", text)
        return text.replace("/admin/connect-genesys/", f"/admin/connect-genesys/?connection={name}")

    return Report(tuple(Step(s.step, s.ok, rewrite(s.detail)) for s in report.steps))

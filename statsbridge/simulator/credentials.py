"""The credentials the built-in simulator accepts.

They are the defaults of the GENESYS_* settings, so the embedded default runs with
no configuration. They guard nothing real: the simulator serves invented data.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SimulatorCredentials:
    api_key: str = "simulator-api-key"
    client_id: str = "dashboard"
    client_secret: str = "simulator-client-secret"
    username: str = "bridge@simulator"
    password: str = "simulator-password"
    # The domain (tenant) a user name may carry as `DOMAIN\\user`, as Genesys' own
    # samples send it (GenesysPureEngage/tutorials, get-users-provisioning-async-native-api-nodejs).
    user_domain: str = "SIMULATED"
    # Web Services API v2 (HTTP Basic) and the skill-clusters export (bearer token).
    ws_username: str = "wsadmin@simulator"
    ws_password: str = "ws-password"
    export_token: str = "simulator-export-token"
    # The export's OAuth 2.0 client-credentials grant (export_oauth_api.py).
    export_client_id: str = "export-client"
    export_client_secret: str = "simulator-export-client-secret"


DEFAULT_CREDENTIALS = SimulatorCredentials()

"""The bridge's configuration: a frozen object built once, passed in (never globals)."""

from __future__ import annotations

from dataclasses import dataclass, field

# Points of history kept per statistic, by the bridge and by every page drawing it (the
# page config sends it to the browsers: dashboard/boards/page_config.py): one number, one place.
HISTORY_POINTS = 360


@dataclass(frozen=True)
class BridgeConfig:
    base_url: str
    api_key: str
    client_id: str
    client_secret: str = field(repr=False)
    username: str = ""
    password: str = field(default="", repr=False)
    # statistics per upstream subscription (the reconciler chunks the desired set)
    chunk_size: int = 200
    request_timeout: float = 10.0
    # extra seconds past the Bayeux advice timeout before a silent long poll is dead
    poll_grace: float = 10.0
    backoff_cap: float = 60.0
    # refresh the token this long before it says it expires
    refresh_margin: float = 60.0
    history_points: int = HISTORY_POINTS
    # re-read the desired set this often even without a `config.changed` message
    # (a shell import in the embedded default cannot reach the in-memory layer)
    reload_every: float = 30.0
    # the Auth API's base when sign-in lives on another host (Genesys' samples: CSHARP
    # Options.cs AuthBaseUrl, the authorization-code sample's authApiUrl); "" = base_url
    auth_base_url: str = ""

    @property
    def auth_url(self) -> str:
        """The base to put `/auth/v3/...` on."""
        return self.auth_base_url or self.base_url

    @property
    def has_service_account(self) -> bool:
        return bool(self.username and self.password)

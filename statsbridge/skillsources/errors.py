"""Errors the skill-source clients raise.

    SkillSourceError              network failure, timeout, or any of the below
    ├── SkillSourceAuthError      401/403: the username/password or token was refused
    ├── SkillSourceHTTPError      any other non-2xx answer; `.status` holds it
    └── SkillSourceProtocolError  a reply we cannot trust: not JSON, statusCode != 0,
                                  a missing or ill-typed field (named), a cursor loop,
                                  has_next without a cursor

`str()` of every one is meant to be shown to an admin as it is: it names the call and
what went wrong, and never contains a password or token (the clients scrub their own
secrets out of anything the upstream echoes back, too).
"""

from __future__ import annotations


class SkillSourceError(Exception):
    pass


class SkillSourceAuthError(SkillSourceError):
    pass


class SkillSourceHTTPError(SkillSourceError):
    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


class SkillSourceProtocolError(SkillSourceError):
    pass

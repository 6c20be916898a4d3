"""Steps run in order; the first failure skips the rest; one line per step.

    ✓ <step>: <detail>
    ✗ <step>: <what failed> — <what to do>
    - <step>: skipped

Every detail is scrubbed of the secrets the caller names, whatever a step or an
upstream put in it: the check prints messages that admins paste into tickets.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass

log = logging.getLogger(__name__)
SKIPPED = "skipped"
MARKS = {True: "✓", False: "✗", None: "-"}


class StepFailed(Exception):
    """A step's failure: what failed, and what the admin should do about it."""

    def __init__(self, what: str, todo: str) -> None:
        super().__init__(f"{what} — {todo}")
        self.what, self.todo = what, todo


@dataclass(frozen=True)
class Step:
    step: str
    ok: bool | None  # None: skipped after an earlier failure
    detail: str

    def line(self) -> str:
        return f"{MARKS[self.ok]} {self.step}: {self.detail}"

    def as_json(self) -> dict:
        return {"step": self.step, "ok": bool(self.ok), "detail": self.detail, "skipped": self.ok is None}


@dataclass(frozen=True)
class Report:
    steps: tuple[Step, ...]

    @property
    def ok(self) -> bool:
        return bool(self.steps) and all(step.ok for step in self.steps)

    def lines(self) -> list[str]:
        return [step.line() for step in self.steps]

    def as_json(self) -> dict:
        return {"ok": self.ok, "steps": [step.as_json() for step in self.steps]}


Check = tuple[str, Callable[[], Awaitable[str]]]


async def run_checks(checks: Iterable[Check], secrets: Iterable[str] = ()) -> Report:
    hide = sorted({s for s in secrets if s and len(s) >= 4}, key=len, reverse=True)
    steps: list[Step] = []
    failed = False
    for name, check in checks:
        if failed:
            steps.append(Step(name, None, SKIPPED))
            continue
        try:
            steps.append(Step(name, True, _scrub(await check(), hide)))
        except StepFailed as error:
            failed = True
            steps.append(Step(name, False, _scrub(str(error), hide)))
        except Exception as error:  # a bug or a reply nobody foresaw: still one clear line
            failed = True
            log.exception("preflight step %r failed unexpectedly", name)
            steps.append(
                Step(
                    name,
                    False,
                    f"unexpected {type(error).__name__} — see the server log and report it with this output",
                )
            )
    return Report(tuple(steps))


def _scrub(text: str, secrets: list[str]) -> str:
    for secret in secrets:
        text = text.replace(secret, "***")
    return text

"""Sockets connecting together have their access checked in shared database hops
(dashboard/realtime/admission.py), each check still answered on its own merits."""

from __future__ import annotations

import asyncio
from collections import Counter

import pytest
from asgiref.sync import sync_to_async
from django.contrib.auth.models import AnonymousUser, User
from django.core import signing
from django.utils import timezone

from dashboard.access.models import WallboardToken
from dashboard.access.policy import SALT, issue_token
from dashboard.boards.demo import ensure_demo_content
from dashboard.boards.models import Wallboard
from dashboard.realtime import admission

pytestmark = pytest.mark.django_db(transaction=True)


def test_one_failing_check_does_not_fail_the_others_of_its_batch() -> None:
    def decide(user: object, token: str | None, slug: str) -> object:
        if slug == "broken":
            raise RuntimeError("database blinked")
        return slug

    answers = admission.decide_all([(None, None, "a"), (None, None, "broken"), (None, "t", "b")], decide)
    assert answers[0] == "a" and isinstance(answers[1], RuntimeError) and answers[2] == "b"


def test_identical_kiosk_checks_of_a_batch_share_one_answer_and_users_do_not() -> None:
    calls: list[tuple] = []

    def decide(user: object, token: str | None, slug: str) -> object:
        calls.append((user, token, slug))
        return (token, slug)

    checks = [(None, "t", "a")] * 3 + [(None, "t", "b"), ("alice", None, "a"), ("bob", None, "a")]
    assert admission.decide_all(checks, decide) == [("t", "a")] * 3 + [("t", "b"), (None, "a"), (None, "a")]
    assert calls == [(None, "t", "a"), (None, "t", "b"), ("alice", None, "a"), ("bob", None, "a")]


async def test_checks_arriving_together_are_answered_together_each_on_its_merits() -> None:
    await sync_to_async(ensure_demo_content)()
    supervisor = await sync_to_async(User.objects.get)(username="supervisor")
    wallboard = await sync_to_async(Wallboard.objects.get)(slug="floor")
    live, revoked = await sync_to_async(issue_token)(wallboard), await sync_to_async(issue_token)(wallboard)
    revoked_id = signing.loads(revoked, salt=SALT)["t"]
    await sync_to_async(lambda: WallboardToken.objects.filter(token_id=revoked_id).update(revoked=timezone.now()))()
    gate = admission.admissions()
    before = gate.batches
    answers = await asyncio.gather(
        *[admission.admit(None, live, "agents") for _ in range(20)],
        admission.admit(None, revoked, "agents"),
        admission.admit(supervisor, None, "agents"),
        admission.admit(AnonymousUser(), None, "agents"),
    )
    assert all(a is not None and a.token_id is not None for a in answers[:20])
    assert answers[20] is None, "a revoked token was let in"
    assert answers[21] is not None and answers[21].user_id == supervisor.pk
    assert answers[22] is None
    assert gate.batches - before <= 2, f"{gate.batches - before} hops for 23 checks"


async def test_a_batch_lets_its_handshakes_go_on_a_few_per_turn_of_the_loop() -> None:
    """Each admitted handshake goes on to accept, join and write its snapshot: a batch of
    200 let go at once was one 100+ ms turn of the loop, frames to open sockets waiting."""
    await sync_to_async(ensure_demo_content)()
    token = await sync_to_async(issue_token)(await sync_to_async(Wallboard.objects.get)(slug="floor"))
    turn, resumed, ticking = 0, [], True

    async def ticker() -> None:  # one step per turn of the loop
        nonlocal turn
        while ticking:
            turn += 1
            await asyncio.sleep(0)

    async def handshake() -> None:
        assert await admission.admit(None, token, "agents") is not None
        resumed.append(turn)

    clock = asyncio.create_task(ticker())
    await asyncio.gather(*[handshake() for _ in range(3 * admission.RELEASE_PER_TURN + 5)])
    ticking = False
    await clock
    per_turn = Counter(resumed)
    assert max(per_turn.values()) <= admission.RELEASE_PER_TURN, per_turn
    assert len(per_turn) >= 4

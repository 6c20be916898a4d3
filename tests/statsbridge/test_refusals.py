"""Reading which statistics a status-2 reply refused (statsbridge/refusals.py): the seed
does not say how an error names its statistic, so every plausible form must work."""

from __future__ import annotations

from statsbridge.refusals import UNNAMED, refused_statistics

ASKED = ["st-a", "st-b", "st-c"]


def reply(code: int, opened: list[str], errors: list) -> dict:
    return {
        "status": {"code": code},
        "data": {"statistics": [{"statisticId": key, "value": 1} for key in opened]},
        "errors": errors,
    }


def test_code_0_refuses_nothing() -> None:
    assert refused_statistics(reply(0, ["st-a"], []), ASKED) == {}


def test_an_error_naming_the_statistic_in_detail_refuses_it() -> None:
    errors = [{"status": {"code": 400, "message": "no such queue", "detail": {"statisticId": "st-b"}}}]
    assert refused_statistics(reply(2, ["st-a", "st-c"], errors), ASKED) == {"st-b": "no such queue"}


def test_an_error_naming_the_statistic_in_its_message_refuses_it() -> None:
    errors = [{"status": {"code": 500, "message": "statistic st-c: unknown category"}}]
    assert refused_statistics(reply(2, ["st-a", "st-b"], errors), ASKED) == {"st-c": "statistic st-c: unknown category"}


def test_without_names_the_missing_statistics_get_the_only_message() -> None:
    errors = [{"status": {"code": 400, "message": "object not found"}}]
    assert refused_statistics(reply(2, ["st-a"], errors), ASKED) == {
        "st-b": "object not found",
        "st-c": "object not found",
    }


def test_bare_status_objects_and_missing_messages_are_read() -> None:
    errors = [{"code": 400, "message": "first"}, {"code": 400}, "junk"]
    refused = refused_statistics(reply(2, ["st-a", "st-b"], errors), ASKED)
    assert refused == {"st-c": f"first; {UNNAMED}"}


def test_a_reply_listing_nothing_opened_refuses_nothing() -> None:
    """Code 2 says something opened: if no record says what, we cannot tell what failed."""
    assert refused_statistics(reply(2, [], [{"status": {"message": "x"}}]), ASKED) == {}

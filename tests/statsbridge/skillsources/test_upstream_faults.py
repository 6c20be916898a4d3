"""Each way the simulator's skill sources can fail, as the clients report it, and the
rule that no error message ever carries a password or token."""

from __future__ import annotations

import pytest

from statsbridge.simulator.credentials import DEFAULT_CREDENTIALS as CREDS
from statsbridge.skillsources import (
    ExportPage,
    SkillClusterExportClient,
    SkillSourceError,
    SkillSourceHTTPError,
    SkillSourceProtocolError,
    WebServicesClient,
)
from tests.statsbridge.skillsources.conftest import RunningSimulator

SECRETS = (CREDS.ws_password, CREDS.export_token)


def read_until_failure(export: SkillClusterExportClient) -> tuple[list[ExportPage], SkillSourceError]:
    pages: list[ExportPage] = []
    with pytest.raises(SkillSourceError) as raised:
        for page in export.pages():
            pages.append(page)
    return pages, raised.value


def assert_no_secret(error: BaseException) -> None:
    for secret in SECRETS:
        assert secret not in str(error) and secret not in repr(error)


def test_status_fault_after_good_pages(export: SkillClusterExportClient, simulator: RunningSimulator) -> None:
    simulator.set_faults({"export": {"after_pages": 2, "kind": "status", "status": 500}})
    pages, error = read_until_failure(export)
    assert isinstance(error, SkillSourceHTTPError) and error.status == 500
    assert [len(p.records) for p in pages] == [7, 7]
    assert_no_secret(error)


def test_cursor_loop_is_detected(export: SkillClusterExportClient, simulator: RunningSimulator) -> None:
    simulator.set_faults({"export": {"after_pages": 1, "kind": "cursor-loop"}})
    pages, error = read_until_failure(export)
    assert isinstance(error, SkillSourceProtocolError) and "loop" in str(error)
    assert len(pages) == 2 and pages[1].next_starting_after == pages[0].next_starting_after
    assert_no_secret(error)


def test_missing_external_id_names_the_field(export: SkillClusterExportClient, simulator: RunningSimulator) -> None:
    simulator.set_faults({"export": {"after_pages": 1, "kind": "missing-field"}})
    pages, error = read_until_failure(export)
    assert isinstance(error, SkillSourceProtocolError)
    assert "records[0].external_id: missing" in str(error)
    assert len(pages) == 1
    assert_no_secret(error)


def test_html_instead_of_json(export: SkillClusterExportClient, simulator: RunningSimulator) -> None:
    simulator.set_faults({"export": {"after_pages": 3, "kind": "not-json"}})
    pages, error = read_until_failure(export)
    assert isinstance(error, SkillSourceProtocolError) and "not JSON" in str(error)
    assert len(pages) == 3
    assert_no_secret(error)


def test_clear_ends_the_fault(export: SkillClusterExportClient, simulator: RunningSimulator) -> None:
    simulator.set_faults({"export": {"kind": "status", "status": 502}})
    with pytest.raises(SkillSourceHTTPError):
        export.page()
    simulator.set_faults({"clear": True})
    assert len(list(export.pages())) == 4


def test_no_error_carries_a_secret(simulator: RunningSimulator) -> None:
    """Every failing call, with the right and the wrong secrets, keeps them out of str()."""
    errors: list[SkillSourceError] = []
    simulator.set_faults({"ws": {"status": 503}})
    for password in (CREDS.ws_password, "wrong-" + CREDS.ws_password):
        with WebServicesClient(simulator.base_url, CREDS.ws_username, password) as ws:
            for call in (ws.skills, ws.users, lambda: ws.user_skills(password)):
                with pytest.raises(SkillSourceError) as raised:
                    call()
                errors.append(raised.value)
    for token in (CREDS.export_token, "wrong-" + CREDS.export_token):
        with SkillClusterExportClient(simulator.base_url, token) as export:
            with pytest.raises(SkillSourceError) as raised:
                export.page(starting_after="unknown-cursor")
            errors.append(raised.value)
    with WebServicesClient("http://127.0.0.1:9", CREDS.ws_username, CREDS.ws_password, timeout=2) as ws:
        with pytest.raises(SkillSourceError) as raised:
            ws.version()
        errors.append(raised.value)
    assert len(errors) == 9
    for error in errors:
        assert_no_secret(error)
        assert "wrong-" not in str(error)

"""The ad-hoc definition grammar's problems (statsbridge/definitions.py, no Django) in the
admin's language: each problem the grammar can give has words in
dashboard/boards/definition_messages.py, English reads exactly as the grammar's own, and
German reaches the statistic form's errors and the warnings the admin is shown."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from dashboard.boards.definition_messages import _texts, problem_text
from dashboard.boards.models import Statistic
from dashboard.boards.validation import definition_warnings
from statsbridge.definitions import Finding, InvalidDefinition, check_definition

BASE = {"category": "TotalNumber"}
MALFORMED = [
    [],  # expected-object
    {},  # required
    {"category": 5},  # expected-string
    {**BASE, "notificationFrequency": "10"},  # expected-integer
    {**BASE, "insensitivity": "x"},  # expected-number
    {**BASE, "notificationFrequency": 0},  # minimum
]
WARNED = {
    **BASE,
    "mainMsk": "x",  # field/close
    "zzzzzz": 1,  # field
    "intervalType": "SlidingWindow",  # sliding-window-length
    "relMask": " , ",  # empty-mask
    "mainMask": "CallEnterd,Qwxyz",  # unknown-action/close, unknown-action
    "subject": "DNActon",  # unknown-name/close
    "maskType": "Qwxyz",  # unknown-name
}


def problems() -> list[InvalidDefinition | Finding]:
    found: list[InvalidDefinition | Finding] = []
    for raw in MALFORMED:
        with pytest.raises(InvalidDefinition) as error:
            check_definition(raw)
        found.append(error.value)
    return found + check_definition(WARNED)


def test_every_problem_the_grammar_gives_has_words_and_english_is_the_grammars_own() -> None:
    found = problems()
    keys = {f"{p.code}/close" if "close" in p.params else p.code for p in found}
    assert keys == set(_texts()), keys ^ set(_texts())
    with translation.override("en"):
        assert [problem_text(p) for p in found] == [p.problem for p in found]


def test_each_problem_reads_in_german() -> None:
    with translation.override("de"):
        worded = {p.problem: problem_text(p) for p in problems()}
    assert not [english for english, german in worded.items() if english == german], worded
    assert worded["expected an integer, got string"] == "ganze Zahl erwartet, erhalten: string"


@pytest.mark.django_db
def test_a_german_admin_reads_the_definition_problems_in_german() -> None:
    stat = Statistic(object_type="Queue", object_id="8001@SIP_Switch", definition={**BASE, "notificationFrequency": 0})
    with translation.override("de"), pytest.raises(ValidationError) as error:
        stat.full_clean()
    assert error.value.message_dict["definition"] == ["notificationFrequency: muss mindestens 1 sein, erhalten: 0"]
    with translation.override("de"):
        warnings = definition_warnings({**BASE, "mainMask": "CallEnterd"})
    assert warnings == [
        "definition.mainMask: Aktion „CallEnterd“ ist uns nicht bekannt (meinten Sie „CallEntered“?); "
        "Genesys sagt, ob es sie gibt"
    ]

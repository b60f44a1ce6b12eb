"""Issue 16 §6 (helper "transfer"): a sentence that ends while the person is on remand for another matter triggers
the handover and the licence-expiry (termination) actions (seeds/001 concern 13.1; actions/rules/remand.py)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
import time_machine
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from keepsafe.actions.models import Action
from keepsafe.actions.rules.facts import RemandFacts
from keepsafe.actions.rules.remand import on_remand
from keepsafe.actions.services.manage import refresh
from keepsafe.cases.selectors import case_summary
from keepsafe.cases.tests.transfer_org import transfer_org
from keepsafe.people.models import Person
from keepsafe.testing.fixtures import SYSTEM

NOW = "2026-11-23T10:00:00Z"
EXPIRY = "2026-12-10"
REMAND = {
    "id": "RM-1",
    "start": "2026-10-01",
    "end": None,
    "court": "Manchester Crown Court",
    "prison": "HMP Manchester",
    "matter": "Burglary",
}


def scenario(imported, remand: list[dict[str, Any]], at: str = NOW) -> dict[str, Action]:
    bundle = transfer_org()
    person = bundle["people"][0]
    event = person["events"][0]
    event["sentence"] = {"type": "DETERMINATE_CUSTODY", "date": "2024-06-10", "length_months": 30}
    event["dates"] = {
        "release": "2025-09-10",
        "conditional_release": "2025-09-10",
        "parole_eligibility": None,
        "licence_expiry": EXPIRY,
        "sentence_expiry": EXPIRY,
        "pss_end": None,
    }
    person["remand_periods"] = remand
    with time_machine.travel("2026-11-01T09:00:00Z", tick=False):
        imported(bundle)
    with time_machine.travel(at, tick=False):
        refresh(Person.objects.get(crn="X123456").pk)
    return {a.key: a for a in Action.objects.filter(status="OPEN")}


@pytest.mark.django_db
def test_a_sentence_ending_on_remand_opens_the_handover_and_the_licence_expiry_actions(imported):
    actions = scenario(imported, [REMAND])
    handover = actions[f"event:1:remand-handover:{EXPIRY}"]
    assert handover.type == "HANDOVER"
    assert handover.owner.code == "STF0200"  # the prison offender manager hands over
    assert "Burglary" in handover.title
    assert handover.due.date() <= date.fromisoformat(EXPIRY)
    assert f"event:1:termination:{EXPIRY}" in actions  # the licence-expiry (termination) action
    shown = case_summary(crn="X123456", viewer=SYSTEM)
    assert shown["remand_periods"][0]["matter"] == "Burglary"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "remand",
    [
        [],  # never on remand
        [REMAND | {"end": "2026-12-01"}],  # released from remand before the sentence ends
        [REMAND | {"start": "2025-01-06", "end": "2025-02-03"}],  # an earlier remand, long over
    ],
    ids=["no-remand", "remand-ended-before", "earlier-remand"],
)
def test_no_remand_handover_when_not_on_remand_the_day_the_sentence_ends(imported, remand):
    actions = scenario(imported, remand)
    assert not [k for k in actions if "remand-handover" in k]
    assert f"event:1:termination:{EXPIRY}" in actions


DAYS = st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31))


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(start=DAYS, length=st.one_of(st.none(), st.integers(0, 400)), day=DAYS)
def test_on_remand_is_exactly_the_days_from_start_to_end(start, length, day):
    end = None if length is None else date.fromordinal(start.toordinal() + length)
    found = on_remand((RemandFacts("R", start, end, "m"),), day)
    assert (found is not None) == (start <= day and (end is None or day <= end))

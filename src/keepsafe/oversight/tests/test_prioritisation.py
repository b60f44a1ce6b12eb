"""Issue 15 §4 (helper "overs"): the prioritisation framework — safety-critical work is never deprioritised, whatever
the status and whatever the data says; a PDU's status is set by its head with a reason and date, history kept."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pytest
import time_machine
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from keepsafe.actions.models import Action
from keepsafe.actions.rules.types import ActionType
from keepsafe.audit.models import AuditEvent
from keepsafe.core.actor import Role
from keepsafe.core.errors import PermissionDeniedError, ValidationError
from keepsafe.oversight.models import PduStatus
from keepsafe.oversight.prioritisation import (
    FRAMEWORK,
    deprioritised_tags,
    pdu_status_set,
    region_prioritisation,
    statuses_on,
)
from keepsafe.oversight.rules.prioritisation import (
    SAFETY_CRITICAL,
    Framework,
    Rag,
    framework_from,
    is_deprioritised,
)
from keepsafe.people.models import Person
from keepsafe.testing.fixtures import make_person, org_with_managers
from keepsafe.workforce.models import Pdu, Staff

NOW = datetime(2026, 11, 23, 10, tzinfo=UTC)
DEPRIORITISABLE = sorted(set(ActionType) - SAFETY_CRITICAL)


def test_the_named_safety_critical_types_are_in_the_list():
    named = {
        ActionType.RECALL_CONSIDERATION,
        ActionType.RECALL_DECISION,
        ActionType.RECALL_EXECUTION,
        ActionType.RECALL_DECISION_REVIEW,
        ActionType.DOMESTIC_ABUSE_CHECK,
        ActionType.SAFEGUARDING_CHECK,
        ActionType.RISK_REVIEW,
        ActionType.REGISTRATION_REVIEW,  # MAPPA
        ActionType.OVERSIGHT_TOUCHPOINT,
    }
    assert named <= SAFETY_CRITICAL


@st.composite
def frameworks(draw):
    """Any framework at all — even one whose data (wrongly) lists safety-critical types, built directly."""
    amber = draw(st.frozensets(st.sampled_from(list(ActionType))))
    red = amber | draw(st.frozensets(st.sampled_from(list(ActionType))))
    return Framework(
        {Rag.GREEN: draw(st.frozensets(st.sampled_from(list(ActionType)))), Rag.AMBER: amber, Rag.RED: red}
    )


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(frameworks(), st.sampled_from([None, *Rag]))
def test_no_safety_critical_action_is_ever_deprioritised_under_any_status_or_framework(framework, rag):
    for kind in ActionType:  # every ActionType × every RAG
        if kind in SAFETY_CRITICAL:
            assert not is_deprioritised(kind.value, rag, framework)
        if rag in (None, Rag.GREEN):
            assert not is_deprioritised(kind.value, rag, framework)


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.frozensets(st.sampled_from(DEPRIORITISABLE)), st.frozensets(st.sampled_from(DEPRIORITISABLE)))
def test_a_valid_framework_deprioritises_exactly_what_it_lists_and_red_at_least_amber(amber, more):
    framework = framework_from({"AMBER": sorted(amber), "RED": sorted(amber | more)})
    for kind in ActionType:
        assert is_deprioritised(kind.value, Rag.AMBER, framework) == (kind in amber)
        assert is_deprioritised(kind.value, Rag.RED, framework) == (kind in amber | more)
        assert is_deprioritised(kind.value, Rag.RED, framework) >= is_deprioritised(kind.value, Rag.AMBER, framework)


@pytest.mark.parametrize("critical", sorted(SAFETY_CRITICAL))
def test_data_listing_a_safety_critical_type_is_refused_by_name(critical):
    with pytest.raises(ValueError, match=f"{critical.value} is safety-critical"):
        framework_from({"AMBER": [], "RED": [critical.value]})


@pytest.mark.parametrize(
    ("data", "words"),
    [
        ({"AMBER": []}, "needs exactly"),
        ({"AMBER": ["NOPE"], "RED": ["NOPE"]}, "unknown action types NOPE"),
        ({"AMBER": ["TERMINATION"], "RED": []}, "must include everything AMBER does; missing TERMINATION"),
        ({"AMBER": "TERMINATION", "RED": []}, "a list of action types"),
    ],
)
def test_a_bad_framework_is_refused_naming_why(data, words):
    with pytest.raises(ValueError, match=words):
        framework_from(data)


def test_the_reference_framework_is_valid():
    framework = framework_from(json.loads(FRAMEWORK.read_text(encoding="utf-8")))
    assert framework.deprioritisable[Rag.AMBER] <= framework.deprioritisable[Rag.RED]
    assert not framework.deprioritisable[Rag.RED] & SAFETY_CRITICAL


@pytest.fixture
def pdu_case(imported):
    imported(org_with_managers() | {"people": [make_person("X700001", contacts=[], records=[])]})
    return Pdu.objects.get(code="GMR-MN"), Person.objects.get(crn="X700001")


@pytest.mark.django_db
def test_only_the_pdus_head_sets_its_status_and_history_is_kept(pdu_case, staff_actor):
    pdu, _ = pdu_case
    head = staff_actor("STF0800", Role.HEAD_OF_PDU)
    with time_machine.travel(NOW, tick=False):
        with pytest.raises(PermissionDeniedError):
            pdu_status_set(
                actor=staff_actor("STF0100", Role.SPO),
                pdu=pdu,
                status="RED",
                reason="x",
                applies_from=date(2026, 11, 1),
            )
        pdu_status_set(actor=head, pdu=pdu, status="AMBER", reason="61% staffed", applies_from=date(2026, 10, 1))
        pdu_status_set(actor=head, pdu=pdu, status="RED", reason="58% staffed", applies_from=date(2026, 11, 20))
    assert PduStatus.objects.filter(pdu=pdu).count() == 2
    assert statuses_on([pdu.pk], date(2026, 10, 15))[pdu.pk].status == "AMBER"
    assert statuses_on([pdu.pk], date(2026, 11, 21))[pdu.pk].status == "RED"
    assert pdu.pk not in statuses_on([pdu.pk], date(2026, 9, 1))
    assert AuditEvent.objects.filter(action="PDU_STATUS_SET").count() == 2


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("status", "reason", "applies", "field"),
    [
        ("PURPLE", "x", date(2026, 11, 1), "status"),
        ("RED", " ", date(2026, 11, 1), "reason"),
        ("RED", "x", date(2026, 12, 1), "applies_from"),
    ],
)
def test_a_bad_status_is_refused_by_field_and_nothing_stored(pdu_case, staff_actor, status, reason, applies, field):
    pdu, _ = pdu_case
    with time_machine.travel(NOW, tick=False), pytest.raises(ValidationError) as raised:
        pdu_status_set(
            actor=staff_actor("STF0800", Role.HEAD_OF_PDU), pdu=pdu, status=status, reason=reason, applies_from=applies
        )
    assert [p[0] for p in raised.value.problems] == [field]
    assert not PduStatus.objects.exists()


@pytest.mark.django_db
def test_under_red_termination_is_deprioritised_a_risk_review_is_not_and_the_region_sees_the_count(
    pdu_case, staff_actor
):
    pdu, person = pdu_case
    owner = Staff.objects.get(code="STF0001")
    made = {
        kind: Action.objects.create(
            person=person,
            type=kind,
            key=f"t:{kind}",
            title=kind,
            owner=owner,
            owner_role="COM",
            opens_at=NOW,
            due=NOW,
            created_at=NOW,
        )
        for kind in ("TERMINATION", "RISK_REVIEW", "RECALL_EXECUTION")
    }
    actions = Action.objects.filter(person=person).select_related("person")
    assert set(deprioritised_tags(actions, date(2026, 11, 23))) == set()  # no status yet
    with time_machine.travel(NOW, tick=False):
        pdu_status_set(
            actor=staff_actor("STF0800", Role.HEAD_OF_PDU),
            pdu=pdu,
            status="RED",
            reason="Staffing",
            applies_from=date(2026, 11, 23),
        )
        assert set(deprioritised_tags(actions, date(2026, 11, 23))) == {made["TERMINATION"].pk}
        (row,) = region_prioritisation([pdu], date(2026, 11, 23))
    assert row["status"] == "RED"
    assert {"type": "TERMINATION", "open": 1} in row["deprioritised"]
    assert all(d["type"] not in SAFETY_CRITICAL for d in row["deprioritised"])


def test_work_added_after_the_framework_is_safety_critical_unless_listed_on_purpose() -> None:
    """The independent try-out found the pre-sentence checks (the Bendall-type checks before court) missing from the
    never-deprioritised list: the list is now everything except a short, deliberate list of routine work."""
    for kind in (
        ActionType.PRE_SENTENCE_CHECK,
        ActionType.ADDRESS_SUITABILITY,
        ActionType.ALLOCATION,
        ActionType.ALLOCATION_COUNTERSIGN,
        ActionType.TRANSFER_DECISION,
        ActionType.MEETING_ACTION,
    ):
        assert kind in SAFETY_CRITICAL
    assert set(ActionType) - SAFETY_CRITICAL == {
        ActionType.TERMINATION,
        ActionType.REQUIREMENT_START,
        ActionType.CONTACT_LEVEL,
    }

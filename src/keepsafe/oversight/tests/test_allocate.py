"""Allocation service, `keepsafe allocate` and the seeds' replays (issue 15 §2)."""

from __future__ import annotations

import copy
from datetime import UTC, datetime

import pytest
from django.core.management import CommandError, call_command

from keepsafe.actions.models import Action, ActionLog, Notification
from keepsafe.actions.rules.types import ActionType
from keepsafe.audit.models import AuditEvent
from keepsafe.core.actor import Role
from keepsafe.core.errors import PermissionDeniedError, ValidationError
from keepsafe.oversight.allocation import AllocationRefusedError, allocate
from keepsafe.oversight.models import AllocationDecision
from keepsafe.people.history import person_as_known
from keepsafe.people.models import CaseAccess, Contact, Person, PersonVersion
from keepsafe.testing.fixtures import make_person, org_with_managers
from keepsafe.workforce.models import Staff

PSO, PQIP, NQO, PO, SPO, HEAD = "STF0301", "STF0302", "STF0303", "STF0002", "STF0100", "STF0800"


def _staff(code: str, grade: str, qualified_on: str | None = None) -> dict:
    return {
        "code": code,
        "forename": grade.title(),
        "surname": "Officer",
        "grade": grade,
        "team": "GMR-MN-1",
        "line_manager": "STF0100",
        "qualified_on": qualified_on,
        "contracted_hours": 37.0,
        "email": f"{code.lower()}@example.org",
    }


def mcsweeney_like() -> dict:
    """A licence case (released from a determinate sentence) assessed high RoSH, awaiting a community practitioner."""
    person = make_person("M100001", practitioner=None)
    event = person["events"][0]
    event["dates"].update(
        {"release": "2026-11-20", "conditional_release": "2026-11-20", "licence_expiry": "2029-05-01"}
    )
    event["dates"]["sentence_expiry"] = "2029-05-01"
    return person


def bendall_like() -> dict:
    """A community order with domestic abuse perpetrator and child protection flags, medium RoSH."""
    person = make_person("B100001", practitioner=None, prison_offender_manager=None)
    person["events"][0].update(
        {"sentence": {"type": "COMMUNITY_ORDER", "date": "2026-11-25", "length_months": 24}, "licence_conditions": []}
    )
    person["events"][0]["dates"] = dict.fromkeys(person["events"][0]["dates"])
    person["assessments"][0]["rosh"]["community"]["known_adult"] = "MEDIUM"
    person["registrations"] = [
        {**copy.deepcopy(make_person()["registrations"][0]), "id": "DA1", "type": "ADVP", "end": None},
        {**copy.deepcopy(make_person()["registrations"][0]), "id": "CP1", "type": "RCPR", "end": None},
    ]
    return person


def simple_case() -> dict:
    person = bendall_like()
    person["crn"] = "S100001"
    person["registrations"] = []
    return person


@pytest.fixture
def world(imported):
    bundle = org_with_managers()
    bundle["staff"] += [
        _staff(PSO, "PSO"),
        _staff(PQIP, "PQIP"),
        _staff(NQO, "PO", qualified_on="2026-09-01"),
    ]
    bundle["people"] = [mcsweeney_like(), bendall_like(), simple_case(), make_person("H100001")]
    imported(bundle)
    return bundle


@pytest.fixture
def spo(staff_actor):
    return staff_actor(SPO, Role.SPO)


def _allocate(spo, crn, to, reason="INITIAL_ALLOCATION", **kw):
    return allocate(actor=spo, crn=crn, to=to, reason=reason, **kw)


def _cli(*args: str) -> int:
    try:
        call_command("allocate", *args)
    except CommandError as exc:
        return exc.returncode
    return 0


def test_replay_mcsweeney_like_licence_case_to_a_pso_is_refused_and_nothing_changes(world, spo):
    before = (Contact.objects.count(), Action.objects.count(), PersonVersion.objects.count())
    with pytest.raises(AllocationRefusedError) as refused:
        _allocate(spo, "M100001", PSO)
    assert "high RoSH" in str(refused.value)
    assert "probation services officer" in str(refused.value)
    assert Person.objects.get(crn="M100001").practitioner is None
    assert (Contact.objects.count(), Action.objects.count(), PersonVersion.objects.count()) == before
    assert not AllocationDecision.objects.exists()
    assert AuditEvent.objects.filter(action="ALLOCATION_REFUSED", crn="M100001").exists()


def test_replay_bendall_like_case_to_a_pqip_refused_then_overridden_and_countersigned(world, spo, staff_actor):
    with pytest.raises(AllocationRefusedError) as refused:
        _allocate(spo, "B100001", PQIP)
    assert "domestic abuse" in str(refused.value)
    assert "child safeguarding" in str(refused.value)
    result = _allocate(
        spo, "B100001", PQIP, notes="Known to the PQiP from court", override_reason="Only officer with DA training"
    )
    person = Person.objects.get(crn="B100001")
    assert person.practitioner.code == PQIP
    countersign = result.countersign
    assert countersign is not None
    assert countersign.type == ActionType.ALLOCATION_COUNTERSIGN
    assert countersign.owner.code == HEAD
    assert countersign.status == Action.Status.OPEN
    decision = result.decision
    assert decision.override_reason == "Only officer with DA training"
    assert "an active domestic abuse flag" in decision.complexity
    cade = Contact.objects.get(person=person, external_id=f"ALLOC-{decision.pk}-CADE")
    assert "Only officer with DA training" in cade.notes
    assert "Known to the PQiP from court" in cade.notes
    assert Contact.objects.filter(person=person, external_id=f"ALLOC-{decision.pk}-SPO").exists()
    assert AuditEvent.objects.filter(action="ALLOCATE", crn="B100001").exists()
    # the override shows in assurance (the overrides list), for the head of PDU
    from keepsafe.assurance.rules.overrides import Kind
    from keepsafe.assurance.rules.scope import Scope
    from keepsafe.assurance.selectors import overrides_in

    head = staff_actor(HEAD, Role.HEAD_OF_PDU)
    day = decision.decided_at.date()
    found = [o for o in overrides_in(head, Scope.PDU, "GMR-MN", day, day) if o.kind is Kind.ALLOCATION]
    assert [(o.case, o.by, o.chosen, o.reason) for o in found] == [
        (person.pk, SPO, "PQIP", "Only officer with DA training")
    ]


def test_reallocating_away_from_the_overridden_practitioner_closes_their_countersign(world, spo):
    """Issue 15 try-out: after an override to a PQiP, reallocating the case to an experienced PO left the head of PDU
    a countersign about a past holder. The reallocation is the evidence the countersign names: it is done, with the
    allocation's contact as evidence; a countersign for the new holder (another override) stays open."""
    overridden = _allocate(spo, "B100001", PQIP, override_reason="Only officer with DA training").countersign
    assert overridden is not None
    assert "Only officer with DA training" in overridden.evidence_needed  # what the head of PDU countersigns
    moved = _allocate(spo, "B100001", PO, reason="CASELOAD_ADJUSTMENT")
    overridden.refresh_from_db()
    assert overridden.status == Action.Status.DONE
    assert overridden.evidence["ref"] == f"ALLOC-{moved.decision.pk}-CADE"
    assert ActionLog.objects.filter(action=overridden, kind=ActionLog.Kind.DONE).exists()
    again = _allocate(spo, "B100001", PQIP, reason="CASELOAD_ADJUSTMENT", override_reason="Back after training")
    assert again.countersign is not None
    assert again.countersign.status == Action.Status.OPEN


def test_simple_case_to_a_pso_needs_no_override_and_a_needless_override_is_bad_input(world, spo):
    with pytest.raises(ValidationError, match="override_reason"):
        _allocate(spo, "S100001", PSO, override_reason="just in case")
    result = _allocate(spo, "S100001", PSO)
    assert result.countersign is None
    assert result.handover is None


def test_nqo_needs_an_oversight_plan_which_is_recorded(world, spo):
    with pytest.raises(AllocationRefusedError, match="enhanced-oversight plan"):
        _allocate(spo, "M100001", NQO)
    result = _allocate(spo, "M100001", NQO, oversight_plan="SPO reviews the case fortnightly for 3 months")
    assert result.countersign is None
    assert result.decision.oversight_plan.startswith("SPO reviews")
    cade = Contact.objects.get(external_id=f"ALLOC-{result.decision.pk}-CADE")
    assert "Enhanced-oversight plan" in cade.notes


def test_excluded_staff_are_never_chosen_even_with_an_override(world, spo):
    person = Person.objects.get(crn="M100001")
    CaseAccess.objects.create(person=person, staff=Staff.objects.get(code=PO), kind=CaseAccess.Kind.EXCLUSION)
    with pytest.raises(AllocationRefusedError, match="excluded"):
        _allocate(spo, "M100001", PO, override_reason="urgent")


def test_restricted_case_only_to_listed_staff(world, spo):
    person = Person.objects.get(crn="S100001")
    for code in (SPO, PO):
        CaseAccess.objects.create(person=person, staff=Staff.objects.get(code=code), kind=CaseAccess.Kind.RESTRICTION)
    with pytest.raises(AllocationRefusedError, match="restricted"):
        _allocate(spo, "S100001", PSO)
    assert _allocate(spo, "S100001", PO).decision.staff.code == PO


def test_reallocation_moves_open_actions_notifies_and_opens_a_handover(world, spo):
    person = Person.objects.get(crn="H100001")
    holder = person.practitioner
    assert holder.code == "STF0001"
    call_command("sweep")
    open_before = set(
        Action.objects.filter(person=person, status=Action.Status.OPEN, owner=holder).values_list("pk", flat=True)
    )
    total_open = Action.objects.filter(person=person, status=Action.Status.OPEN).count()
    with pytest.raises(ValidationError, match="reallocated"):
        _allocate(spo, "H100001", PO, reason="INITIAL_ALLOCATION")
    result = _allocate(spo, "H100001", PO, reason="CASELOAD_ADJUSTMENT", override_reason="")
    assert result.handover is not None
    assert result.handover.type == ActionType.REALLOCATION_HANDOVER
    assert result.handover.owner.code == PO
    assert result.handover.due > result.decision.decided_at
    # nothing closed; everything the holder owned moved
    assert Action.objects.filter(person=person, status=Action.Status.OPEN).count() == total_open + 1
    moved = Action.objects.filter(pk__in=open_before)
    assert all(a.owner.code == PO for a in moved)
    assert ActionLog.objects.filter(action__in=moved, kind=ActionLog.Kind.REASSIGNED).count() == len(open_before)
    told = set(
        Notification.objects.filter(subject__startswith="Case reallocated").values_list("recipient__code", flat=True)
    )
    assert told == {"STF0001", PO, "STF0200"}


def test_as_of_shows_who_held_the_case_when(world, spo):
    person = Person.objects.get(crn="S100001")
    instant = datetime(2026, 12, 1, 12, tzinfo=UTC)
    _allocate(spo, "S100001", PO, at=instant)
    assert person_as_known(person, datetime(2026, 12, 1, 11, tzinfo=UTC)).practitioner_id is None
    assert person_as_known(person, instant).practitioner_id == Staff.objects.get(code=PO).pk


def test_only_an_spo_or_head_of_pdu_allocates(world, staff_actor):
    with pytest.raises(PermissionDeniedError):
        _allocate(staff_actor(PO, Role.PRACTITIONER), "S100001", PO)


@pytest.mark.parametrize(
    ("to", "reason", "field"),
    [("NOPE", "INITIAL_ALLOCATION", "to"), (SPO, "INITIAL_ALLOCATION", "NOT_A_PRACTITIONER"), (PO, "BAD", "reason")],
)
def test_bad_input_is_named(world, spo, to, reason, field):
    if field == "NOT_A_PRACTITIONER":
        with pytest.raises(AllocationRefusedError, match="does not hold cases"):
            _allocate(spo, "S100001", to, reason)
    else:
        with pytest.raises(ValidationError, match=field):
            _allocate(spo, "S100001", to, reason)


def test_cli_exit_codes(world, capsys):
    base = ["--as-user", SPO, "--reason", "INITIAL_ALLOCATION"]
    assert _cli("M100001", "--to", PSO, *base) == 3  # guardrail refuses
    assert Person.objects.get(crn="M100001").practitioner is None
    assert _cli("M100001", "--to", "NOBODY", *base) == 2  # bad input
    assert _cli("Z999999", "--to", PO, *base) == 2  # no such case
    assert _cli("M100001", "--to", PO, "--as-user", SPO, "--reason", "NONSENSE") == 2
    assert _cli("M100001", "--to", PSO, "--reason", "INITIAL_ALLOCATION") == 2  # no --as-user
    assert _cli("M100001", "--to", PSO, *base, "--override-reason", "Only PSO with capacity; SPO supervises") == 0
    assert "countersigned by STF0800" in capsys.readouterr().out
    assert Person.objects.get(crn="M100001").practitioner.code == PSO


def test_unallocated_case_has_an_allocation_action_closed_by_the_allocation(world, spo):
    call_command("sweep")
    opened = Action.objects.get(person__crn="S100001", type=ActionType.ALLOCATION)
    assert opened.status == Action.Status.OPEN
    assert opened.due > opened.opens_at
    assert not Action.objects.filter(person__crn="H100001", type=ActionType.ALLOCATION).exists()  # held
    result = _allocate(spo, "S100001", PO)
    opened.refresh_from_db()
    assert opened.status == Action.Status.DONE
    assert opened.closed_at == result.decision.decided_at


def test_an_oversight_note_written_with_the_allocation_is_an_spo_oversight_contact(world, spo):
    """The try-out found the SPO's oversight note stored as an ordinary contact, so the after-allocation touch point
    stayed open. A note the SPO writes is an SPO oversight contact; the default line is not."""
    from keepsafe.people.models import Contact

    _allocate(spo, "S100001", PSO, oversight_note="Weekly SPO review for the first month")
    _allocate(spo, "M100001", PO)
    kinds = dict(Contact.objects.filter(external_id__endswith="-SPO").values_list("person__crn", "type"))
    assert kinds == {"S100001": "SPO_OVERSIGHT", "M100001": "OTHER"}

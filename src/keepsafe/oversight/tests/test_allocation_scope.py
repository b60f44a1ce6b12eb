"""Who allocates to whom (helper "alloc2"; docs/workforce.md "Allocation"). The try-out found an SPO allocating a case
of their PDU to a practitioner in another team of the same PDU refused with a 403: the allocation's own case writes
were checked against the new holder's management chain. An SPO or head of PDU allocates any case of their PDU to any
practitioner of the PDU (hmpps.md §2a, §2d); a practitioner outside the PDU is refused with the reason. Every role of
the roles enum × every candidate place × allocated or not is tried."""

from __future__ import annotations

import pytest
from django.db import transaction

from keepsafe.core.actor import Actor, Channel, Role
from keepsafe.core.errors import PermissionDeniedError, ValidationError
from keepsafe.oversight.allocation import allocate
from keepsafe.oversight.rules.allocation import (
    ALLOCATING_ROLES,
    NOT_AN_ALLOCATOR,
    allocator_problem,
    candidate_pdu_problem,
)
from keepsafe.oversight.tests.test_allocate import _staff, simple_case
from keepsafe.people.models import Contact, Person
from keepsafe.testing.fixtures import make_person, org_with_managers
from keepsafe.workforce.models import Staff

# the case's PDU is GMR-MN; its team 1 holds H100001 (STF0001); team 2 is another team of the same PDU; GMR-MS another
# PDU of the region.
SAME_TEAM, OTHER_TEAM, OTHER_PDU = "STF0002", "STF0401", "STF0501"
CANDIDATES = {"same team as the SPO": SAME_TEAM, "another team of the PDU": OTHER_TEAM, "another PDU": OTHER_PDU}
# the member of staff each role is tried as: every Role (SPO and head of PDU from the case's PDU and from another)
STAFF_FOR = {
    Role.PRACTITIONER: ["STF0001"],
    Role.SPO: ["STF0100", "STF0101", "STF0102"],
    Role.HEAD_OF_PDU: ["STF0800", "STF0801"],
    Role.REGIONAL_LEADER: ["STF0900"],
    Role.POM: ["STF0200"],
    Role.AUDITOR: ["STF0001"],
    Role.ADMINISTRATOR: ["STF0001"],
    Role.PARTNER: ["STF0001"],
    Role.SYSTEM: [None],
}


def test_every_role_is_tried():
    assert set(STAFF_FOR) == set(Role)


@pytest.fixture
def pdu_world(imported):
    bundle = org_with_managers()
    bundle["pdus"].append({"code": "GMR-MS", "name": "Manchester South", "region": "GMR"})
    bundle["teams"] += [
        {"code": "GMR-MN-2", "name": "Manchester North Team 2", "pdu": "GMR-MN"},
        {"code": "GMR-MS-1", "name": "Manchester South Team 1", "pdu": "GMR-MS"},
    ]
    bundle["staff"] += [
        {**_staff("STF0101", "SPO"), "team": "GMR-MN-2", "line_manager": "STF0800"},
        {**_staff(OTHER_TEAM, "PO"), "team": "GMR-MN-2", "line_manager": "STF0101"},
        {**_staff("STF0801", "HEAD_OF_PDU"), "team": "GMR-MS-1", "line_manager": "STF0900"},
        {**_staff("STF0102", "SPO"), "team": "GMR-MS-1", "line_manager": "STF0801"},
        {**_staff(OTHER_PDU, "PO"), "team": "GMR-MS-1", "line_manager": "STF0102"},
    ]
    held = make_person("H100001")
    held["registrations"] = []
    bundle["people"] = [simple_case(), held]
    imported(bundle)
    return bundle


def _actor(role: Role, code: str | None) -> Actor:
    if code is None:
        return Actor.system(Channel.CLI)
    staff = Staff.objects.get(code=code)
    return Actor(username=code.lower(), role=role, staff_id=staff.pk, staff_code=code)


def _expected(role: Role, code: str | None, candidate: str) -> str:
    """What should happen, from the rule as documented (not from the code under test)."""
    if role not in {Role.SPO, Role.HEAD_OF_PDU}:
        return "refused: not an allocator"
    allocator_pdu = Staff.objects.get(code=code).team.pdu.code
    if allocator_pdu != "GMR-MN":
        return "refused: another PDU's case"
    if Staff.objects.get(code=candidate).team.pdu.code != "GMR-MN":
        return "refused: practitioner outside the PDU"
    return "allocated"


def _outcome(actor: Actor, crn: str, candidate: str, reason: str) -> str:
    with transaction.atomic():
        try:
            allocate(actor=actor, crn=crn, to=candidate, reason=reason)
        except PermissionDeniedError as exc:
            return "refused: not an allocator" if str(exc) == NOT_AN_ALLOCATOR else "refused: another PDU's case"
        except ValidationError as exc:
            problems = exc.problems
        else:
            problems = []
        if problems:
            (field, why), *_ = problems
            pdu_refusal = field == "to" and why.endswith("is not in the case's PDU (GMR-MN): transfer the case first")
            return "refused: practitioner outside the PDU" if pdu_refusal else f"bad input: {problems}"
        person = Person.objects.get(crn=crn)
        assert person.practitioner.code == candidate
        assert Contact.objects.filter(person=person, external_id__startswith="ALLOC-").count() == 2
        transaction.set_rollback(True)
        return "allocated"


@pytest.mark.parametrize(("crn", "reason"), [("S100001", "INITIAL_ALLOCATION"), ("H100001", "CASELOAD_ADJUSTMENT")])
def test_every_role_and_candidate_place(pdu_world, crn, reason):
    seen = {}
    for role, codes in STAFF_FOR.items():
        for code in codes:
            for place, candidate in CANDIDATES.items():
                seen[(role.value, code, place)] = (
                    _outcome(_actor(role, code), crn, candidate, reason),
                    _expected(role, code, candidate),
                )
    wrong = {k: v for k, v in seen.items() if v[0] != v[1]}
    assert not wrong
    # the try-out's case: the SPO of team 1 and the SPO of team 2 both allocate to the other team of their PDU
    assert seen[("SPO", "STF0100", "another team of the PDU")][0] == "allocated"
    assert seen[("SPO", "STF0101", "same team as the SPO")][0] == "allocated"  # STF0002 is team 1's


def test_rule_allocator_problem_over_every_role():
    for role in Role:
        assert (allocator_problem(role, 1, 1) is None) is (role in ALLOCATING_ROLES)
        assert allocator_problem(role, 2, 1) is not None
        assert allocator_problem(role, None, 1) is not None
    assert ALLOCATING_ROLES == {Role.SPO, Role.HEAD_OF_PDU}  # hmpps.md §2a


def test_rule_candidate_pdu_problem_names_the_practitioner_and_pdu():
    assert candidate_pdu_problem(1, 1, "STF0401", "GMR-MN") is None
    why = candidate_pdu_problem(2, 1, "STF0501", "GMR-MN")
    assert why == "STF0501 is not in the case's PDU (GMR-MN): transfer the case first"
    assert candidate_pdu_problem(None, 1, "STF0501", "GMR-MN") is not None

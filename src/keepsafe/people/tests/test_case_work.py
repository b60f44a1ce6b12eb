"""Who may write on a case (issue 11 §6): the pure rule, over every role and every place on the case."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from keepsafe.core.actor import Role
from keepsafe.people.rules.case_work import NOT_A_WRITER, NOT_ON_CASE, NOT_VISIBLE, CaseTeam, Work, may_work_case
from keepsafe.people.rules.visibility import may_see_case

HOLDER, POM, SPO, HEAD, COVER, STRANGER = 1, 2, 3, 4, 5, 6
TEAM = CaseTeam(
    holder=HOLDER,
    pom=POM,
    managers=frozenset({SPO, HEAD}),
    cover=frozenset({COVER}),
    restricted_to=frozenset(),
    excluded=frozenset(),
)


def test_read_only_roles_never_write_whoever_they_are_on_the_case():
    for role in (Role.AUDITOR, Role.ADMINISTRATOR, Role.PARTNER):
        for staff_id in (HOLDER, POM, SPO, HEAD, COVER, STRANGER, None):
            for work in Work:
                decision = may_work_case(role=role, staff_id=staff_id, team=TEAM, work=work)
                assert not decision.allowed
                assert decision.basis == NOT_A_WRITER


def test_the_holder_the_chain_and_cover_may_and_the_chain_acts_for_the_holder():
    assert may_work_case(role=Role.PRACTITIONER, staff_id=HOLDER, team=TEAM, work=Work.CASE).acting_for is None
    spo = may_work_case(role=Role.SPO, staff_id=SPO, team=TEAM, work=Work.CASE)
    assert spo.allowed
    assert spo.acting_for == HOLDER
    assert spo.basis == "management chain"
    cover = may_work_case(role=Role.PRACTITIONER, staff_id=COVER, team=TEAM, work=Work.CASE)
    assert cover.allowed
    assert cover.acting_for == HOLDER
    # A practitioner who is not on the case may not; nor a manager outside the chain.
    assert may_work_case(role=Role.PRACTITIONER, staff_id=STRANGER, team=TEAM, work=Work.CASE).basis == NOT_ON_CASE
    assert not may_work_case(role=Role.SPO, staff_id=STRANGER, team=TEAM, work=Work.CASE).allowed
    # A manager's staff id in the chain with a practitioner's role is not a manager.
    assert not may_work_case(role=Role.PRACTITIONER, staff_id=SPO, team=TEAM, work=Work.CASE).allowed


def test_the_pom_does_custody_phase_work_only():
    assert may_work_case(role=Role.POM, staff_id=POM, team=TEAM, work=Work.CUSTODY).allowed
    assert not may_work_case(role=Role.POM, staff_id=POM, team=TEAM, work=Work.CASE).allowed


def test_the_system_always_may():
    assert may_work_case(role=Role.SYSTEM, staff_id=None, team=TEAM, work=Work.CASE).allowed


ids = st.sampled_from([HOLDER, POM, SPO, HEAD, COVER, STRANGER])


@given(
    role=st.sampled_from([r for r in Role if r is not Role.SYSTEM]),
    staff_id=st.one_of(st.none(), ids),
    restricted=st.frozensets(ids),
    excluded=st.frozensets(ids),
    work=st.sampled_from(list(Work)),
)
def test_nobody_who_may_not_see_the_case_ever_writes_on_it(role, staff_id, restricted, excluded, work):
    team = CaseTeam(HOLDER, POM, frozenset({SPO, HEAD}), frozenset({COVER}), restricted, excluded)
    decision = may_work_case(role=role, staff_id=staff_id, team=team, work=work)
    sees = may_see_case(is_system=False, viewer_staff_id=staff_id, restricted_to=restricted, excluded=excluded)
    if decision.allowed:
        assert sees
        assert staff_id is not None
        assert role not in (Role.AUDITOR, Role.ADMINISTRATOR, Role.PARTNER)
        assert (decision.acting_for is None) == (staff_id in (HOLDER, POM))
    if staff_id is not None and not sees and role not in (Role.AUDITOR, Role.ADMINISTRATOR, Role.PARTNER):
        assert decision.basis == NOT_VISIBLE

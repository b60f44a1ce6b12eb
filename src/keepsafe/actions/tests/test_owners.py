"""Owners, escalation steps and recipients are chosen only among staff who may see the case (issue 11 §1): the pure
choice, and the chain the directory builds from the organisation, over generated restriction and exclusion lists."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from keepsafe.actions.rules.owners import NO_ELIGIBLE, Candidate, Member, choose, recipients
from keepsafe.people.rules.visibility import may_see_case

PEOPLE = [Member(i, f"STF{i:04d}") for i in range(1, 9)]


def _sees(restricted: frozenset[int], excluded: frozenset[int]):
    return lambda staff_id: may_see_case(
        is_system=False, viewer_staff_id=staff_id, restricted_to=restricted, excluded=excluded
    )


members = st.sampled_from(PEOPLE)
lists = st.frozensets(st.integers(1, 8), max_size=6)


@given(
    chain=st.lists(
        st.tuples(st.one_of(st.none(), members), st.sampled_from(["line manager", "head of PDU"])), min_size=1
    ),
    region=st.lists(members, max_size=4),
    restricted=lists,
    excluded=lists,
)
def test_every_chosen_person_may_see_the_case_or_the_action_is_flagged(chain, region, restricted, excluded):
    sees = _sees(restricted, excluded)
    candidates = [Candidate(m, label) for m, label in chain]
    choice = choose(candidates, region, sees)
    if choice.member is not None:
        assert sees(choice.member.id)
    eligible_in_chain = [c.member for c in candidates if c.member is not None and sees(c.member.id)]
    if eligible_in_chain:
        # The first eligible person up the chain, and a reason whenever it is not the person the rules name.
        assert choice.member == eligible_in_chain[0]
        assert not choice.no_eligible
        assert (choice.note == "") == (choice.member == candidates[0].member)
    else:
        assert choice.no_eligible
        assert choice.note.startswith(NO_ELIGIBLE)
        assert choice.member == next((m for m in region if sees(m.id)), None)
    assert all(sees(m.id) for m in recipients([c.member for c in candidates] + list(region), sees))


def test_an_excluded_line_manager_is_passed_over_with_the_reason():
    spo, other_spo, head = PEOPLE[0], PEOPLE[1], PEOPLE[2]
    chain = [Candidate(spo, "line manager"), Candidate(other_spo, "another SPO in the team"), Candidate(head, "head")]
    choice = choose(chain, [], _sees(frozenset(), frozenset({spo.id})))
    assert choice.member == other_spo
    assert (
        choice.note
        == f"{spo.code} (line manager) may not see this case: {other_spo.code} (another SPO in the team) instead"
    )


# --- the directory over the test organisation ----------------------------------------------------------------------

STAFF = ["STF0001", "STF0002", "STF0100", "STF0200", "STF0800", "STF0900"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(restricted=st.frozensets(st.sampled_from(STAFF)), excluded=st.frozensets(st.sampled_from(STAFF)))
def test_the_directory_never_names_anyone_who_may_not_see_the_case(org_case, restricted, excluded):
    from keepsafe.actions.rules.types import OwnerRole, Step

    directory, person, ids = org_case
    directory.access[person.pk] = (frozenset(ids[c] for c in restricted), frozenset(ids[c] for c in excluded))
    sees = lambda staff_id: directory.may_see(staff_id, person)  # noqa: E731
    for role in OwnerRole:
        choice = directory.owner_choice(person, role)
        if choice.member is not None:
            assert sees(choice.member.id)
        owner = directory.member_staff(choice)
        natural = directory.owner_choice(person, role)  # deterministic
        assert natural == choice
        for link in directory.chain(person, owner, list(Step)):
            if link["staff"] is not None:
                assert sees(directory.by_code[str(link["staff"])].pk)
        assert all(sees(s.pk) for s in directory.told(person, list(directory.staff.values())))
    if not any(sees(ids[c]) for c in STAFF):
        assert directory.owner_choice(person, OwnerRole.COM).no_eligible


@pytest.fixture
def org_case(imported):
    from keepsafe.actions.services.chain import Directory
    from keepsafe.people.models import Person
    from keepsafe.testing.fixtures import make_bundle, org_with_managers
    from keepsafe.workforce.models import Staff

    imported(org_with_managers() | {"people": make_bundle()["people"]})
    person = Person.objects.get(crn="X123456")
    return Directory.load([person]), person, {s.code: s.pk for s in Staff.objects.all()}

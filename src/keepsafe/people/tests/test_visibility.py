"""Limited access: restricted and excluded cases behave exactly like CRNs that do not exist."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase as HypothesisTestCase

from keepsafe.audit.models import AuditEvent
from keepsafe.core.actor import Actor, Role
from keepsafe.core.errors import NotFoundError
from keepsafe.people.models import CaseAccess, Person
from keepsafe.people.rules.visibility import may_see_case
from keepsafe.people.selectors import person_get, person_search, person_visible_queryset
from keepsafe.testing.fixtures import SYSTEM, make_bundle, make_person

pytestmark = pytest.mark.django_db


@pytest.fixture
def cases(imported):
    imported(
        make_bundle(
            make_person("A000001"),
            make_person("A000002", restricted_to=["STF0001"]),
            make_person("A000003", excluded=["STF0001"]),
            make_person("A000004", restricted_to=["STF0001", "STF0100"], excluded=["STF0002"]),
        )
    )


def visible(actor: Actor) -> set[str]:
    return set(person_visible_queryset(viewer=actor).values_list("crn", flat=True))


def test_staff_see_cases_nationally_except_restricted_and_excluded(cases, staff_actor):
    assert visible(staff_actor("STF0001")) == {"A000001", "A000002", "A000004"}
    assert visible(staff_actor("STF0002")) == {"A000001", "A000003"}
    assert visible(staff_actor("STF0100", Role.SPO)) == {"A000001", "A000003", "A000004"}
    assert visible(SYSTEM) == {"A000001", "A000002", "A000003", "A000004"}


def test_a_user_without_a_staff_record_fails_closed(cases):
    nobody = Actor(username="contractor", role=Role.AUDITOR)
    assert visible(nobody) == {"A000001"}


def test_hidden_case_and_missing_crn_raise_the_same_error(cases, staff_actor):
    actor = staff_actor("STF0002")
    with pytest.raises(NotFoundError) as hidden:
        person_get(crn="A000002", viewer=actor)
    with pytest.raises(NotFoundError) as missing:
        person_get(crn="Z999999", viewer=actor)
    assert str(hidden.value).replace("A000002", "CRN") == str(missing.value).replace("Z999999", "CRN")


def test_denied_reads_are_audited_for_auditors_not_shown_to_the_reader(cases, staff_actor):
    actor = staff_actor("STF0002")
    with pytest.raises(NotFoundError):
        person_get(crn="A000002", viewer=actor)
    with pytest.raises(NotFoundError):
        person_get(crn="Z999999", viewer=actor)
    outcomes = list(
        AuditEvent.objects.filter(actor="stf0002", action="CASE_VIEW").order_by("id").values_list("crn", "outcome")
    )
    assert outcomes == [("A000002", "DENIED"), (None, "NOT_FOUND")]


def test_search_never_matches_a_hidden_case(cases, staff_actor):
    actor = staff_actor("STF0002")
    assert [p.crn for p in person_search(viewer=actor, query="A000002")] == []
    assert {p.crn for p in person_search(viewer=actor, query="john smith")} == {"A000001", "A000003"}
    assert {p.crn for p in person_search(viewer=staff_actor("STF0001"), query="Smith")} == {
        "A000001",
        "A000002",
        "A000004",
    }


def test_search_by_lower_case_crn(cases, staff_actor):
    assert [p.crn for p in person_search(viewer=staff_actor("STF0001"), query=" a000001 ")] == ["A000001"]


class TestRuleMatchesQueryset(HypothesisTestCase):
    """The pure rule and the database filter are two forms of one rule: they must always agree."""

    @settings(max_examples=40, deadline=None)
    @given(
        restricted=st.sets(st.sampled_from(["STF0001", "STF0002", "STF0100"])),
        excluded=st.sets(st.sampled_from(["STF0001", "STF0002", "STF0100"])),
        viewer=st.sampled_from(["STF0001", "STF0002", "STF0100", None, "SYSTEM"]),
    )
    def test_agree(self, restricted, excluded, viewer):
        from keepsafe.bundles.importer import bundle_import
        from keepsafe.testing.fixtures import raw
        from keepsafe.workforce.models import Staff

        excluded -= restricted
        bundle_import(
            actor=SYSTEM,
            raw=raw(make_bundle(make_person("B000001", restricted_to=sorted(restricted), excluded=sorted(excluded)))),
        )
        person = Person.objects.get(crn="B000001")
        ids = dict(Staff.objects.values_list("code", "id"))
        if viewer == "SYSTEM":
            actor = SYSTEM
        elif viewer is None:
            actor = Actor(username="x", role=Role.PRACTITIONER)
        else:
            actor = Actor(username=viewer, role=Role.PRACTITIONER, staff_id=ids[viewer], staff_code=viewer)
        lists = CaseAccess.objects.filter(person=person)
        expected = may_see_case(
            is_system=actor.is_system,
            viewer_staff_id=actor.staff_id,
            restricted_to={a.staff_id for a in lists if a.kind == "RESTRICTION"},
            excluded={a.staff_id for a in lists if a.kind == "EXCLUSION"},
        )
        assert (person_visible_queryset(viewer=actor).filter(pk=person.pk).exists()) is expected

"""victims.rules.representations: every branch, and the invariant over generated cases."""

from __future__ import annotations

from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from keepsafe.people.rules.vocabulary import LicenceConditionType
from keepsafe.victims.rules.representations import (
    MATCHING_CONDITIONS,
    LicenceFacts,
    RepresentationFacts,
    RepresentationKind,
    RepresentationStatus,
    condition_prompts,
    has_licence,
    prompt_for,
)

K, S, L = RepresentationKind, RepresentationStatus, LicenceConditionType


def rep(kind: K, status: S = S.REQUESTED, rid: str = "VR1") -> RepresentationFacts:
    return RepresentationFacts(rid, kind, status, "the victim, Jane Doe", date(2026, 10, 1))


def lic(*codes: L) -> LicenceFacts:
    return LicenceFacts("E1", frozenset(codes))


def test_a_no_contact_request_prompts_against_a_licence_without_a_no_contact_condition():
    prompt = prompt_for(rep(K.NO_CONTACT), lic(L.STANDARD, L.EXCLUSION_ZONE))
    assert prompt is not None
    assert (prompt.representation_id, prompt.event_id, prompt.kind) == ("VR1", "E1", K.NO_CONTACT)
    assert "no non-contact condition" in prompt.message
    assert "Jane Doe" in prompt.message


def test_a_matching_code_answers_the_request():
    assert prompt_for(rep(K.NO_CONTACT), lic(L.NO_CONTACT)) is None
    assert prompt_for(rep(K.EXCLUSION_ZONE), lic(L.EXCLUSION_ZONE)) is None


def test_an_exclusion_zone_request_is_answered_only_by_an_exclusion_zone_condition():
    prompt = prompt_for(rep(K.EXCLUSION_ZONE), lic(L.NO_CONTACT, L.CURFEW))
    assert prompt is not None
    assert "no exclusion zone condition" in prompt.message
    assert "asked for an exclusion zone condition" in prompt.message


def test_a_declined_request_never_prompts():
    for kind in K:
        assert prompt_for(rep(kind, S.DECLINED), lic()) is None


def test_marked_included_but_missing_from_the_licence_still_prompts():
    prompt = prompt_for(rep(K.NO_CONTACT, S.INCLUDED), lic(L.STANDARD))
    assert prompt is not None
    assert "marked included" in prompt.message


def test_an_other_request_prompts_until_it_has_an_outcome():
    prompt = prompt_for(rep(K.OTHER), lic(*L))
    assert prompt is not None
    assert "no outcome" in prompt.message
    assert prompt_for(rep(K.OTHER, S.INCLUDED), lic()) is None


def test_has_licence():
    assert has_licence(terminated=False, release=date(2026, 1, 1), licence_expiry=None, condition_count=0)
    assert has_licence(terminated=False, release=None, licence_expiry=date(2027, 1, 1), condition_count=0)
    assert has_licence(terminated=False, release=None, licence_expiry=None, condition_count=1)
    assert not has_licence(terminated=False, release=None, licence_expiry=None, condition_count=0)
    assert not has_licence(terminated=True, release=date(2026, 1, 1), licence_expiry=None, condition_count=1)


reps = st.lists(
    st.builds(
        RepresentationFacts,
        id=st.sampled_from(["VR1", "VR2", "VR3"]),
        kind=st.sampled_from(K),
        status=st.sampled_from(S),
        summary=st.just("Jane Doe"),
        received_on=st.dates(min_value=date(2000, 1, 1), max_value=date(2030, 1, 1)),
    ),
    max_size=6,
)
licences = st.lists(
    st.builds(
        LicenceFacts, event_id=st.sampled_from(["VR1", "VR2", "VR3"]), conditions=st.frozensets(st.sampled_from(L))
    ),
    max_size=4,
)


@settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(reps, licences)
def test_prompt_iff_undeclined_and_the_licence_lacks_a_matching_condition(representations, lics):
    prompts = condition_prompts(representations, lics)
    expected = [
        (r.id, licence.event_id)
        for licence in lics
        for r in representations
        if r.status is not S.DECLINED
        and (
            (MATCHING_CONDITIONS[r.kind] and not MATCHING_CONDITIONS[r.kind] & licence.conditions)
            or (not MATCHING_CONDITIONS[r.kind] and r.status is S.REQUESTED)
        )
    ]
    assert [(p.representation_id, p.event_id) for p in prompts] == expected
    # the codes are the documented ones, and every coded request is answered by its own code
    for p in prompts:
        assert p.kind in K
    assert MATCHING_CONDITIONS[K.NO_CONTACT] == {L.NO_CONTACT}
    assert MATCHING_CONDITIONS[K.EXCLUSION_ZONE] == {L.EXCLUSION_ZONE}


def test_every_prompt_is_in_words_with_the_right_article():
    """Issue 20 try-out: "a exclusion zone", "no EXCLUSION_ZONE condition". Every kind × status × licence."""
    import itertools
    import re

    seen = 0
    for kind, status in itertools.product(K, S):
        for codes in itertools.chain.from_iterable(itertools.combinations(list(L), n) for n in range(3)):
            prompt = prompt_for(rep(kind, status), lic(*codes))
            if prompt is None:
                continue
            seen += 1
            assert not re.search(r"\b[A-Z]{2,}(?:_[A-Z]+)+\b", prompt.message), prompt.message
            assert not re.search(r"\ba [aeiou]", prompt.message, re.IGNORECASE), prompt.message
    assert seen

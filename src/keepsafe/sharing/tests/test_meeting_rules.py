"""The POM rule (sharing/rules/meetings.py; seeds/001 concern 15)."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from keepsafe.sharing.rules.meetings import (
    Invitation,
    InviteeRole,
    Response,
    pom_invitation_problem,
    pom_must_be_invited,
)

MEETING = date(2026, 12, 1)
POM = Invitation("Pat Prison", InviteeRole.POM, Response.WRITTEN_UPDATE)
POLICE = Invitation("DS Jones", InviteeRole.POLICE, Response.ACCEPTED)


def test_in_custody_the_pom_must_be_invited():
    assert pom_must_be_invited(in_custody=True, released_on=None, meeting_on=MEETING)
    assert pom_must_be_invited(in_custody=False, released_on=MEETING + timedelta(days=10), meeting_on=MEETING)


def test_within_six_months_of_release_the_pom_must_be_invited_and_after_it_need_not_be():
    assert pom_must_be_invited(in_custody=False, released_on=date(2026, 6, 1), meeting_on=MEETING)
    assert not pom_must_be_invited(in_custody=False, released_on=date(2026, 5, 31), meeting_on=MEETING)
    assert pom_must_be_invited(in_custody=False, released_on=date(2026, 8, 31), meeting_on=date(2027, 2, 28))
    assert not pom_must_be_invited(in_custody=False, released_on=None, meeting_on=MEETING)


@given(
    released=st.none() | st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 1, 1)),
    in_custody=st.booleans(),
    invited=st.booleans(),
)
def test_recording_is_refused_iff_the_rule_applies_and_the_pom_was_not_invited(released, in_custody, invited):
    invitations = [POLICE, POM] if invited else [POLICE]
    problem = pom_invitation_problem(
        in_custody=in_custody, released_on=released, meeting_on=MEETING, invitations=invitations
    )
    required = pom_must_be_invited(in_custody=in_custody, released_on=released, meeting_on=MEETING)
    assert (problem is not None) == (required and not invited)
    if released is not None and not in_custody:
        assert required == (released > MEETING or (MEETING - released).days <= 183)
    if problem is not None:
        assert "invite the prison offender manager" in problem

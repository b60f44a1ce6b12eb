"""MAPPA and IOM meetings (issue 16 §4): who was invited, who came, and the POM rule.

Why: "The Integrated Offender Management meetings did not receive the necessary intelligence from the prison
setting. There was no system in place to ensure that either the prison offender manager was invited to attend, or
that the prison offender manager was asked to provide written information" (seeds/001, concern 15); HMPPS answered
that the National IOM guidance (v4.1, 30 August 2024) now says the POM must be invited to all multi-agency case
conferences in preparation for release, and a written update given if they cannot attend (concern 15.2). Keepsafe
applies this to MAPPA meetings too, and from the release for six months, while the prison information is fresh.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date


class MeetingKind(enum.StrEnum):
    MAPPA_LEVEL_2 = "MAPPA_LEVEL_2"
    MAPPA_LEVEL_3 = "MAPPA_LEVEL_3"
    IOM = "IOM"


MEETING_LABELS = {
    MeetingKind.MAPPA_LEVEL_2: "MAPPA level 2 meeting",
    MeetingKind.MAPPA_LEVEL_3: "MAPPA level 3 meeting",
    MeetingKind.IOM: "IOM case conference",
}


class InviteeRole(enum.StrEnum):
    POM = "POM"  # prison offender manager
    COM = "COM"  # community offender manager
    POLICE = "POLICE"
    PARTNER = "PARTNER"  # any other agency (housing, health, children's services)


class Response(enum.StrEnum):
    ACCEPTED = "ACCEPTED"
    DECLINED = "DECLINED"
    WRITTEN_UPDATE = "WRITTEN_UPDATE"  # cannot attend; sends a written update (concern 15.2)
    NO_RESPONSE = "NO_RESPONSE"


RESPONSE_LABELS = {
    Response.ACCEPTED: "Accepted",
    Response.DECLINED: "Declined",
    Response.WRITTEN_UPDATE: "Cannot attend: written update",
    Response.NO_RESPONSE: "No response",
}

# From release, how long the POM must still be invited (months): Keepsafe's reading of "in preparation for release"
# extended over the period in which prison information is most needed (issue 16 §4).
POM_MONTHS_AFTER_RELEASE = 6


@dataclass(frozen=True)
class Invitation:
    name: str
    role: InviteeRole
    response: Response
    staff: str = ""  # staff code, when the invitee is probation staff


def _add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(f"no day in {year}-{month}")  # unreachable: every month has a 28th


def pom_must_be_invited(*, in_custody: bool, released_on: date | None, meeting_on: date) -> bool:
    """While the person is in custody, or within six months after their release (seeds/001 concern 15)."""
    if in_custody:
        return True
    if released_on is None or released_on > meeting_on:
        return released_on is not None  # a release still to come: in custody for this meeting
    return meeting_on <= _add_months(released_on, POM_MONTHS_AFTER_RELEASE)


def pom_invitation_problem(
    *, in_custody: bool, released_on: date | None, meeting_on: date, invitations: list[Invitation]
) -> str | None:
    """Recording a meeting without inviting the POM, when the rule applies, is refused (not merely prompted): the
    concern was that nothing made sure it happened."""
    if not pom_must_be_invited(in_custody=in_custody, released_on=released_on, meeting_on=meeting_on):
        return None
    if any(i.role is InviteeRole.POM for i in invitations):
        return None
    when = (
        "in custody"
        if in_custody or released_on is None or released_on > meeting_on
        else (f"released on {released_on:%-d %B %Y}, within {POM_MONTHS_AFTER_RELEASE} months of this meeting")
    )
    return f"the person is {when}: invite the prison offender manager"  # seeds/001 concern 15 (the source, not shown)


# --- issue 16 §4 review (helper "share2"): who may own an agreed action ----------------------------------------------


def meeting_action_key(meeting_id: str, n: int) -> str:
    """The key of the MEETING_ACTION the n-th (from 1) action agreed at a meeting became: recorded or imported alike."""
    return f"meeting:{meeting_id}:{n}"


@dataclass(frozen=True)
class OwnerStanding:
    """What the owner rule needs to know about a proposed owner of an agreed action."""

    code: str
    name: str
    pdu: str | None  # the code of the PDU of their team; None for staff without a team (a POM, an ACO)
    is_case_pom: bool  # the case's prison offender manager
    may_see: bool  # the visibility rule (people/rules/visibility.may_see_case)


def owner_problem(owner: OwnerStanding, *, case_pdu: str, n: int) -> str | None:
    """An action agreed at a meeting is owned by someone who may see the case and works it from the case's PDU (a
    member of one of its teams) or is its prison offender manager; anyone else is refused, naming them and why
    (issue 16 §4: "each becomes an owned safety action" — owned where the case is managed, and never by someone the
    case is hidden from)."""
    who = f"{owner.name} ({owner.code})"
    if not owner.may_see:
        return (
            f"{who} may not see this case (it is restricted or they are excluded): choose another owner for action {n}"
        )
    if owner.pdu != case_pdu and not owner.is_case_pom:
        where = f"works in {owner.pdu}" if owner.pdu is not None else "is in no team of a PDU"
        return (
            f"{who} {where}, not {case_pdu} where this case is managed, and is not its prison offender manager: "
            f"choose an owner for action {n} from the case's PDU"
        )
    return None

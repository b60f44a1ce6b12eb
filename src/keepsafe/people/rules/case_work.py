"""Who may write on a case: the case holder, the POM for custody-phase work, the holder's management chain and
named cover; never a read-only role, never someone who may not see the case (issue 11 §6, docs/security.md).

Source: HMPPS Offender Management in Custody model (hmpps.md: COM holds the case, the POM leads in custody) and
the nDelius limited-access rule (people/rules/visibility.py). The cover rule is Keepsafe's own: a manager in the
holder's chain, or a named cover (the holder's team SPOs, the owner of an open action on the case), may act while
the holder is absent, and the record says for whom.
"""

from __future__ import annotations

import enum
from collections.abc import Collection
from dataclasses import dataclass

from keepsafe.core.actor import Role
from keepsafe.people.rules.visibility import may_see_case


class Work(enum.StrEnum):
    """What kind of work a write is: decides whether the prison offender manager may do it."""

    CASE = "CASE"  # supervision in the community: the holder, their managers, cover
    CUSTODY = "CUSTODY"  # custody-phase work the POM leads or shares: prison information, assessment, release


# Roles that may write on a case at all; auditors, administrators and partners never do (partners write only
# through the API under their agreement, which is not case work).
WRITER_ROLES = frozenset({Role.PRACTITIONER, Role.SPO, Role.HEAD_OF_PDU, Role.REGIONAL_LEADER, Role.POM})
MANAGER_ROLES = frozenset({Role.SPO, Role.HEAD_OF_PDU, Role.REGIONAL_LEADER})


@dataclass(frozen=True)
class CaseTeam:
    """Who works a case, by staff id."""

    holder: int | None  # the community offender manager (COM)
    pom: int | None  # the prison offender manager
    managers: frozenset[int]  # the holder's line manager and upwards; the PDU's head and ACO; all SPOs if unallocated
    cover: frozenset[int]  # named cover: the holder's team SPOs (duty SPO) and owners of open actions on the case
    restricted_to: frozenset[int]
    excluded: frozenset[int]


@dataclass(frozen=True)
class WorkDecision:
    allowed: bool
    basis: str  # how the actor may act ("case holder", "management chain", …) or why they may not
    acting_for: int | None = None  # the holder, when someone else acts on the case


NOT_A_WRITER = "Your role has read-only access: it cannot change case records"
NO_STAFF = "Only a member of staff can change case records"
NOT_VISIBLE = "You may not see this case"
NOT_ON_CASE = (
    "Only the case holder (the community offender manager), their management chain, named cover, or the prison "
    "offender manager for custody work may record this on the case"
)


def may_work_case(*, role: Role, staff_id: int | None, team: CaseTeam, work: Work) -> WorkDecision:
    """Whether someone may write on a case, and for whom they act. The system (imports, the reconciler) always may."""
    if role is Role.SYSTEM:
        return WorkDecision(True, "system")
    if role not in WRITER_ROLES:
        return WorkDecision(False, NOT_A_WRITER)
    if staff_id is None:
        return WorkDecision(False, NO_STAFF)
    if not may_see_case(
        is_system=False, viewer_staff_id=staff_id, restricted_to=team.restricted_to, excluded=team.excluded
    ):
        return WorkDecision(False, NOT_VISIBLE)
    if staff_id == team.holder:
        return WorkDecision(True, "case holder")
    if staff_id == team.pom and work is Work.CUSTODY:
        return WorkDecision(True, "prison offender manager (custody-phase work)")
    acting_for = team.holder
    if role in MANAGER_ROLES and staff_id in team.managers:
        return WorkDecision(True, "management chain", acting_for)
    if staff_id in team.cover and role is not Role.POM:
        return WorkDecision(True, "named cover", acting_for)
    return WorkDecision(False, NOT_ON_CASE)


def eligible(staff_ids: Collection[int], *, restricted_to: Collection[int], excluded: Collection[int]) -> list[int]:
    """The staff among `staff_ids` who may see the case, in the order given."""
    return [
        s
        for s in staff_ids
        if may_see_case(is_system=False, viewer_staff_id=s, restricted_to=restricted_to, excluded=excluded)
    ]

"""Who may see assurance figures for which part of the organisation.

Source: issue 17 (pages for SPOs, heads of PDU, regional leaders and the quality team); docs/security.md roles.
An SPO sees their own team; a head of PDU their PDU and its teams; a regional leader and the quality and audit team
(role AUDITOR) any team, PDU or region. Other roles see none.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass


class Scope(enum.StrEnum):
    TEAM = "TEAM"
    PDU = "PDU"
    REGION = "REGION"


ASSURANCE_ROLES = frozenset({"SPO", "HEAD_OF_PDU", "REGIONAL_LEADER", "AUDITOR"})
AUDITORS = frozenset({"SPO", "HEAD_OF_PDU", "REGIONAL_LEADER", "AUDITOR"})  # may audit a case or review a decision
SAMPLERS = frozenset({"HEAD_OF_PDU", "REGIONAL_LEADER", "AUDITOR"})  # may draw samples and select decisions


@dataclass(frozen=True)
class Place:
    """Where a member of staff sits (codes; "" where none), and the unit asked about."""

    team: str
    pdu: str
    region: str


def may_view(role: str, own: Place, scope: Scope, unit: Place) -> bool:
    """`unit` is the team/PDU/region asked for, with the PDU and region it belongs to."""
    if role in ("REGIONAL_LEADER", "AUDITOR"):
        return True
    if role == "HEAD_OF_PDU":
        return scope in (Scope.TEAM, Scope.PDU) and bool(own.pdu) and unit.pdu == own.pdu
    if role == "SPO":
        return scope is Scope.TEAM and bool(own.team) and unit.team == own.team
    return False


def default_scope(role: str, own: Place) -> tuple[Scope, str] | None:
    if role == "SPO" and own.team:
        return Scope.TEAM, own.team
    if role == "HEAD_OF_PDU" and own.pdu:
        return Scope.PDU, own.pdu
    if role in ("REGIONAL_LEADER", "AUDITOR") and own.region:
        return Scope.REGION, own.region
    return None

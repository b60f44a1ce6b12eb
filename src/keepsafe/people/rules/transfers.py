"""Case transfer between PDUs (issue 16 §2): when a request or a decision is refused, and when a decision is due.

Source: seeds/003 recommendation 12 (risk information lost on transfer; binding standards for transferring cases
between offices and regions) and PI 07/2014 (Transfer of cases), which leaves the receiving area's timescale to local
agreement: Keepsafe's default is TRANSFER_DECISION_WORKING_DAYS, documented in docs/sharing.md "Transfers".
"""

from __future__ import annotations

from dataclasses import dataclass

# The receiving head of PDU decides within this many working days of the request (Keepsafe default, docs/sharing.md).
TRANSFER_DECISION_WORKING_DAYS = 5
# Grades that may hold a case as its probation practitioner (the community offender manager).
PRACTITIONER_GRADES = frozenset({"PSO", "PQIP", "PO"})


def decision_key(transfer_id: str) -> str:
    """The TRANSFER_DECISION action's key for a transfer (the service and the bundle importer open it)."""
    return f"transfer:{transfer_id}"


REASON_MAX = 5000  # the bundle's limit for a transfer's reasons (docs/bundle-format.md transfers)


@dataclass(frozen=True)
class RequestFacts:
    from_pdu: str
    to_pdu: str  # the code asked for
    to_pdu_exists: bool
    pending_to: str | None  # the PDU of a transfer already pending, if any
    reason: str


def request_problems(facts: RequestFacts) -> list[tuple[str, str]]:
    """Why a transfer request is refused (empty: it may go ahead). One problem per field, each a full sentence."""
    problems: list[tuple[str, str]] = []
    if not facts.to_pdu_exists:
        problems.append(("to_pdu", f"there is no PDU with code {facts.to_pdu!r}"))
    elif facts.to_pdu == facts.from_pdu:
        problems.append(("to_pdu", f"the case is already held in {facts.to_pdu}: choose another PDU"))
    if facts.pending_to is not None:
        problems.append(("crn", f"a transfer to {facts.pending_to} is already waiting for a decision"))
    if not facts.reason.strip():
        problems.append(("reason", "give the reason for the transfer"))
    elif len(facts.reason) > REASON_MAX:
        problems.append(("reason", f"is {len(facts.reason)} characters; at most {REASON_MAX} (the bundle's limit)"))
    return problems


@dataclass(frozen=True)
class PractitionerFacts:
    code: str
    exists: bool
    grade: str | None
    pdu: str | None  # the PDU of their team
    may_see: bool  # not excluded from (and not restricted away from) the case


def acceptance_problems(to_pdu: str, practitioner: PractitionerFacts | None) -> list[tuple[str, str]]:
    """The receiving practitioner must be a practitioner-grade member of the receiving PDU who may see the case."""
    if practitioner is None or not practitioner.code:
        return [("practitioner", "name the receiving practitioner (a staff code) to accept the transfer")]
    code = practitioner.code
    if not practitioner.exists:
        return [("practitioner", f"there is no member of staff with code {code!r}")]
    if practitioner.pdu != to_pdu:
        return [("practitioner", f"{code} is not in the receiving PDU {to_pdu}")]
    if practitioner.grade not in PRACTITIONER_GRADES:
        return [("practitioner", f"{code} is not a probation practitioner (PSO, PQiP or PO) and cannot hold the case")]
    if not practitioner.may_see:
        return [("practitioner", f"{code} may not see this case (it is restricted or they are excluded)")]
    return []


def rejection_problems(reason: str) -> list[tuple[str, str]]:
    if not reason.strip():
        return [("reason", "give the reason the transfer is rejected")]
    if len(reason) > REASON_MAX:
        return [("reason", f"is {len(reason)} characters; at most {REASON_MAX} (the bundle's limit)")]
    return []

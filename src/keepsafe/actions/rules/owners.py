"""Choosing an action's owner, escalation steps and recipients only among staff who may see the case.

Source: issue 11 §1 and the limited-access rule (people/rules/visibility.py): nobody learns of a case they may not
see, and nobody who cannot open a case owns its work. When the person the rules name may not see the case, the
choice moves up the chain (another SPO in the team, the head of PDU, the ACO) and says why; when nobody in the chain
may, the action is flagged as having no eligible owner and goes to the first eligible senior manager in the region.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Member:
    id: int
    code: str


@dataclass(frozen=True)
class Candidate:
    """One rung of the chain: who, and in what capacity ("line manager", "another SPO in the team"…)."""

    member: Member | None
    label: str


@dataclass(frozen=True)
class Choice:
    member: Member | None
    label: str  # the capacity of whoever was chosen
    note: str  # why someone other than the named person was chosen; "" when it is them
    no_eligible: bool = False  # nobody in the chain may see the case


NO_ELIGIBLE = "no eligible owner"


def choose(chain: Sequence[Candidate], region: Sequence[Member], may_see: Callable[[int], bool]) -> Choice:
    """The first person in `chain` who may see the case (the first is the person the rules name); when nobody in it
    may, the first in `region` who may, flagged as having no eligible owner. Every chosen member may see the case."""
    if not chain:
        return Choice(None, "", "")
    named = chain[0]
    for candidate in chain:
        member = candidate.member
        if member is None or not may_see(member.id):
            continue
        if candidate is named:
            return Choice(member, candidate.label, "")
        return Choice(member, candidate.label, f"{_why(named)}: {member.code} ({candidate.label}) instead")
    for member in region:
        if may_see(member.id):
            return Choice(
                member,
                "senior manager in the region",
                f"{NO_ELIGIBLE}: nobody in the chain may see this case; {member.code} "
                "(senior manager in the region) instead",
                no_eligible=True,
            )
    return Choice(None, "", f"{NO_ELIGIBLE}: nobody in the chain or the region may see this case", no_eligible=True)


def _why(named: Candidate) -> str:
    if named.member is None:
        return f"no {named.label} in post"
    return f"{named.member.code} ({named.label}) may not see this case"


def recipients(members: Sequence[Member | None], may_see: Callable[[int], bool]) -> list[Member]:
    """Who may be told about a case: only those who may see it, each once, in order."""
    out: list[Member] = []
    for member in members:
        if member is not None and may_see(member.id) and member not in out:
            out.append(member)
    return out

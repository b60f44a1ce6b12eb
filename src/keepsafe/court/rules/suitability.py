"""Proposed-address suitability and the pre-sentence report's proposal (issue 16 §1).

Why: in the Bendall case the court chose a curfew at an address where children lived before the domestic abuse and
child safeguarding checks were made (seeds/004, "Key findings from Bendall and McSweeney cases": failure to do
domestic abuse or safeguarding checks). So a curfew or residence requirement at an address is proposed only once
that address has been assessed, and the report says which checks it relied on and warns when they are unanswered.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

ADDRESS_MAX = 300
MAX_CHILD_AGE = 17  # a child is under 18 (Children Act 1989 s.105)


class Conclusion(enum.StrEnum):
    SUITABLE = "SUITABLE"
    SUITABLE_WITH_CONDITIONS = "SUITABLE_WITH_CONDITIONS"
    UNSUITABLE = "UNSUITABLE"


SUITABLE_CONCLUSIONS = frozenset({Conclusion.SUITABLE, Conclusion.SUITABLE_WITH_CONDITIONS})

CONCLUSION_LABELS = {
    Conclusion.SUITABLE: "Suitable",
    Conclusion.SUITABLE_WITH_CONDITIONS: "Suitable with conditions",
    Conclusion.UNSUITABLE: "Unsuitable",
}

# Requirements tied to an address: the address must be assessed before they are proposed (issue 16 §1; Sentencing
# Act 2020 Sch. 9 Part 9, curfew "at a place specified", and Part 6, residence "at a place specified").
ADDRESS_REQUIREMENTS = frozenset({"CURFEW", "RESIDENCE"})
CHECK_WORDS = {"DOMESTIC_ABUSE": "domestic abuse check (police)", "SAFEGUARDING": "child safeguarding check"}


REASONS_MAX = 5000  # the bundle's limit for an assessment's reasons (docs/bundle-format.md court_stage)


# Street words written short (Royal Mail's common thoroughfare abbreviations), read as the word, so that an address
# assessed as "12 Acacia Avenue" is the same address when a proposal spells it "12 Acacia Ave." (try-out, issue 16:
# a second spelling must not escape an unsuitable finding — the Bendall pattern, seeds/003).
STREET_WORDS = {
    "ave": "avenue",
    "av": "avenue",
    "rd": "road",
    "st": "street",
    "ln": "lane",
    "dr": "drive",
    "cl": "close",
    "cres": "crescent",
    "ct": "court",
    "pl": "place",
    "sq": "square",
    "gdns": "gardens",
    "gr": "grove",
    "ter": "terrace",
    "terr": "terrace",
    "pk": "park",
    "wy": "way",
}


def address_key(address: str) -> str:
    """The address compared by its letters and digits only, spacing ignored and common street abbreviations read as
    the word: '12 High St, M1 2AB' equals '12 high street m12ab'."""
    words = re.findall(r"[a-z0-9]+", address.casefold())
    return "".join(STREET_WORDS.get(word, word) for word in words)


def address_problem(address: str) -> str | None:
    if not address_key(address):
        return "give the address (house number or name, street, postcode)"
    if len(address) > ADDRESS_MAX:
        return f"an address is at most {ADDRESS_MAX} characters"
    return None


def assessment_problems(
    *,
    address: str,
    children_ages: Iterable[object],
    conclusion: str,
    conditions: str,
    reasons: str,
    relied_on: Iterable[str],
    known_checks: frozenset[str],
    answered_checks: frozenset[str],
) -> list[tuple[str, str]]:
    """What is wrong with an address assessment, by field; empty when it may be recorded. `answered_checks`: the
    known checks with an answer (a suitable conclusion rests only on answered ones)."""
    problems: list[tuple[str, str]] = []
    if (problem := address_problem(address)) is not None:
        problems.append(("address", problem))
    for index, age in enumerate(children_ages):
        if not isinstance(age, int) or isinstance(age, bool) or not 0 <= age <= MAX_CHILD_AGE:
            problems.append((f"children_ages[{index}]", f"a child's age is a whole number from 0 to {MAX_CHILD_AGE}"))
    if conclusion not in Conclusion.__members__:
        problems.append(("conclusion", "choose: " + ", ".join(CONCLUSION_LABELS.values())))
    elif conclusion == Conclusion.SUITABLE_WITH_CONDITIONS and not conditions.strip():
        problems.append(("conditions", "say which conditions make the address suitable"))
    if not reasons.strip():
        problems.append(("reasons", "say why: who lives there and what the checks showed"))
    elif len(reasons) > REASONS_MAX:
        problems.append(("reasons", f"is {len(reasons)} characters; at most {REASONS_MAX} (the bundle's limit)"))
    relied = list(relied_on)
    for check in relied:
        if check not in known_checks:
            problems.append(("relied_on", f"{check!r} is not a check requested on this case"))
    # A suitable finding rests on what the checks said (the Bendall pattern, seeds/004: an address found suitable with
    # no domestic abuse or safeguarding check made); an unsuitable one may rest on who lives there alone.
    if conclusion in SUITABLE_CONCLUSIONS:
        if not known_checks:
            problems.append(
                (
                    "relied_on",
                    "a suitable address needs a check's answer: request the domestic abuse and safeguarding "
                    "checks (with the pre-sentence report) and wait for their answers",
                )
            )
        elif not relied:
            problems.append(("relied_on", "a suitable address needs at least one answered check relied on: tick it"))
        unanswered = [check for check in relied if check in known_checks and check not in answered_checks]
        if unanswered:
            problems.append(
                (
                    "relied_on",
                    f"{len(unanswered)} of the checks ticked {'has' if len(unanswered) == 1 else 'have'} "
                    "no answer yet: a suitable address rests only on answered checks",
                )
            )
    return problems


@dataclass(frozen=True)
class CheckState:
    kind: str
    id: str | None  # None: never requested
    answered: bool


def proposal_problems(
    *, requirements: Iterable[str], address: str, assessed: Mapping[str, str], known_requirements: frozenset[str]
) -> list[tuple[str, str]]:
    """Why a proposal is refused: a curfew or residence requirement at an address not assessed (or assessed as
    unsuitable); an unknown requirement; an address-bound requirement with no address. `assessed`: address key →
    conclusion of the newest assessment of that address."""
    problems: list[tuple[str, str]] = []
    wanted = list(requirements)
    for index, kind in enumerate(wanted):
        if kind not in known_requirements:
            problems.append((f"requirements[{index}]", f"unknown requirement {kind!r}"))
    bound = sorted(ADDRESS_REQUIREMENTS & set(wanted))
    if not bound:
        return problems
    words = " and ".join(b.lower() for b in bound)
    if not address_key(address):
        problems.append(("address", f"a {words} requirement needs the address it is at"))
        return problems
    conclusion = assessed.get(address_key(address))
    if conclusion is None:
        problems.append(
            (
                "address",
                f"a {words} requirement at {address.strip()} cannot be proposed until the suitability of that address "
                "is assessed and recorded (who lives there, and what the domestic abuse and safeguarding checks said)",
            )
        )
    elif conclusion == Conclusion.UNSUITABLE:
        problems.append(
            ("address", f"{address.strip()} was assessed as unsuitable: a {words} requirement there cannot be proposed")
        )
    return problems


def proposal_warnings(checks: Iterable[CheckState]) -> list[str]:
    """What the report must say it lacks: a check not requested or not answered when the proposal is made."""
    out = []
    for check in checks:
        if check.id is None:
            out.append(f"No {CHECK_WORDS.get(check.kind, check.kind)} was requested")
        elif not check.answered:
            out.append(f"The {CHECK_WORDS.get(check.kind, check.kind)} is not answered yet")
    return out


def needs_assessment(considering: Iterable[str], address: str, assessed_keys: Iterable[str]) -> bool:
    """An ADDRESS_SUITABILITY action is open while a curfew or residence requirement is considered at an address
    that has no recorded assessment."""
    return bool(ADDRESS_REQUIREMENTS & set(considering)) and address_key(address) not in set(assessed_keys)

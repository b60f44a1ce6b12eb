"""Risk of serious harm (RoSH): levels, groups, and the rules an assessment must satisfy.

HMPPS RoSH guidance (2020), four steps: gather, analyse, judge, plan. Levels per group, for the community and, in
custody, for custody too; the overall level is the highest of them (OASys R10).
"""

from __future__ import annotations

import enum
import re
from collections.abc import Mapping


class Level(enum.StrEnum):
    LOW = "LOW"
    MEDIUM = "MEDIUM"
    HIGH = "HIGH"
    VERY_HIGH = "VERY_HIGH"

    @property
    def rank(self) -> int:
        return LEVEL_ORDER.index(self)

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


LEVEL_ORDER = (Level.LOW, Level.MEDIUM, Level.HIGH, Level.VERY_HIGH)


class Group(enum.StrEnum):
    CHILDREN = "children"
    PUBLIC = "public"
    KNOWN_ADULT = "known_adult"
    STAFF = "staff"
    PRISONERS = "prisoners"  # custody only


COMMUNITY_GROUPS = (Group.CHILDREN, Group.PUBLIC, Group.KNOWN_ADULT, Group.STAFF)
CUSTODY_GROUPS = (*COMMUNITY_GROUPS, Group.PRISONERS)

# The RoSH registration that mirrors the current level (nDelius registers RLRH/RMRH/RHRH/RVHR).
REGISTRATION_FOR_LEVEL = {Level.LOW: "RLRH", Level.MEDIUM: "RMRH", Level.HIGH: "RHRH", Level.VERY_HIGH: "RVHR"}
LEVEL_FOR_REGISTRATION = {code: level for level, code in REGISTRATION_FOR_LEVEL.items()}

# "To match other documents" is not a rationale (Zara Aleena PFD response, concern 4); nor is an empty echo.
NOT_A_RATIONALE = re.compile(
    r"\b(to\s+)?match(es|ing)?\s+(the\s+)?(other|previous|existing|oasys|earlier)\b"
    r"|\bsame\s+as\s+(before|previous|last)\b|\bno\s+change\b|\bas\s+(before|previously)\b|\bcopied\b",
    re.IGNORECASE,
)
MIN_RATIONALE_CHARS = 40


def overall(levels: Mapping[Group, Level]) -> Level:
    """The overall RoSH is the highest level in any group (OASys R10.6)."""
    if not levels:
        raise ValueError("an overall RoSH level needs at least one group's level")
    return max(levels.values(), key=lambda level: level.rank)


def rationale_problem(text: str) -> str | None:
    """Why a written rationale is not acceptable, or None. It must explain the evidence in the assessor's words."""
    stripped = " ".join(text.split())
    if NOT_A_RATIONALE.search(stripped):
        return "a level must follow the evidence, not other documents: explain what in this case supports it"
    if len(stripped) < MIN_RATIONALE_CHARS:
        return (
            f"explain the level in at least {MIN_RATIONALE_CHARS} characters: what harm, to whom, how likely, how soon"
        )
    return None

"""Risk of serious harm (RoSH): levels, groups, and the rules an assessment must satisfy.

HMPPS RoSH guidance (2020), four steps: gather, analyse, judge, plan. Levels per group, for the community and, in
custody, for custody too; the overall level is the highest of them (OASys R10).
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any


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


def highest(levels: Iterable[Level]) -> Level:
    """The highest of some levels (OASys R10.6: the overall RoSH is the highest level in any group)."""
    found = list(levels)
    if not found:
        raise ValueError("an overall RoSH level needs at least one group's level")
    return max(found, key=lambda level: level.rank)


class RatingsError(ValueError):
    """Stored or imported ratings that cannot be read: says which setting and group, and why."""


def _level(raw: Mapping[str, Any], setting: str, group: Group) -> Level:
    value = raw.get(group.value)
    if not isinstance(value, str) or value not in Level.__members__:
        raise RatingsError(f"rosh.{setting}.{group.value}: {value!r} is not one of {', '.join(Level)}")
    return Level(value)


@dataclass(frozen=True)
class CommunityRatings:
    """Risk in the community, one level per group (ARNS `riskInCommunity`)."""

    children: Level
    public: Level
    known_adult: Level
    staff: Level

    def by_group(self) -> dict[Group, Level]:
        return {group: getattr(self, group.value) for group in COMMUNITY_GROUPS}

    @classmethod
    def from_json(cls, raw: Mapping[str, Any], setting: str = "community") -> CommunityRatings:
        return cls(*(_level(raw, setting, g) for g in COMMUNITY_GROUPS))


@dataclass(frozen=True)
class CustodyRatings:
    """Risk in custody: the community groups and prisoners (ARNS `riskInCustody`). Not a subtype of
    CommunityRatings, so one setting can never be passed where the other is meant."""

    children: Level
    public: Level
    known_adult: Level
    staff: Level
    prisoners: Level

    def by_group(self) -> dict[Group, Level]:
        return {group: getattr(self, group.value) for group in CUSTODY_GROUPS}

    @classmethod
    def from_json(cls, raw: Mapping[str, Any], setting: str = "custody") -> CustodyRatings:
        return cls(*(_level(raw, setting, g) for g in CUSTODY_GROUPS))


@dataclass(frozen=True)
class RoshRatings:
    """Both settings side by side, never merged: a custody rating cannot overwrite a community one.

    `overall` is the highest level across community AND custody (ARNS RoshRiskSummaryDto `overallRiskLevel`,
    shared/research/hmpps.md §5; OASys R10.6).
    """

    community: CommunityRatings
    custody: CustodyRatings | None = None

    @property
    def overall(self) -> Level:
        return highest(self.all_levels())

    def all_levels(self) -> tuple[Level, ...]:
        custody = tuple(self.custody.by_group().values()) if self.custody else ()
        return (*self.community.by_group().values(), *custody)

    def highest_by_group(self) -> dict[Group, Level]:
        """Each group's highest rating in either setting (what a thresholding prompt is compared with)."""
        out = self.community.by_group()
        if self.custody is not None:
            for group, level in self.custody.by_group().items():
                out[group] = highest((out[group], level)) if group in out else level
        return out

    def as_json(self) -> dict[str, dict[str, str] | None]:
        return {
            "community": {g.value: lv.value for g, lv in self.community.by_group().items()},
            "custody": {g.value: lv.value for g, lv in self.custody.by_group().items()} if self.custody else None,
        }

    @classmethod
    def from_json(cls, raw: Mapping[str, Any]) -> RoshRatings:
        """Read the stored shape `{"community": {group: level}, "custody": {group: level} | null}`."""
        if not isinstance(raw, Mapping) or not isinstance(raw.get("community"), Mapping):
            raise RatingsError("rosh.community: the community ratings are missing")
        custody = raw.get("custody")
        if custody is not None and not isinstance(custody, Mapping):
            raise RatingsError("rosh.custody: must be an object of group ratings, or null")
        return cls(CommunityRatings.from_json(raw["community"]), CustodyRatings.from_json(custody) if custody else None)


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

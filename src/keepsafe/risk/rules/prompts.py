"""Thresholding prompts: where the evidence points to a higher RoSH level than the assessor chose.

Each rule is named, cites why it exists, and carries its evidence. A prompt must be answered (raise the level, or
explain why not) before the assessment can be saved as complete. Indicators FOUND in the case's records drive the
prompts whatever the assessor answered about them (issue 12 §4): answering "not relevant" cannot make a prompt go
away; only the higher level, or a reason a manager countersigns, answers it. Sources: Prevention of Future Deaths
report and HMPPS response on Zara Aleena (seeds/001, concerns 3–5); HMI Probation, Bendall and McSweeney findings
(seeds/004).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from keepsafe.core.words import code_words
from keepsafe.people.rules.vocabulary import DOMESTIC_ABUSE_REGISTRATIONS
from keepsafe.risk.rules.rosh import Group, Level


@dataclass(frozen=True)
class Evidence:
    """What is known about the case when the assessor judges it."""

    today: date
    relevant_indicators: frozenset[str] = frozenset()  # serious-harm indicators answered "relevant"
    # Indicators found in records and contact notes, whatever the answer: indicator -> where found (refs)
    found_indicators: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    registrations: frozenset[str] = frozenset()  # active registration codes
    mappa_level: int | None = None
    predictor_bands: Mapping[str, str] = field(default_factory=dict)  # e.g. {"rsr": "HIGH", "ovp": "HIGH"}
    latest_recall_for_risk: date | None = None
    in_custody: bool = False


@dataclass(frozen=True)
class Prompt:
    code: str
    group: Group
    suggested: Level
    message: str
    evidence: tuple[str, ...]
    source: str
    records: tuple[str, ...] = ()  # where the indicators in `evidence` were found (record:ID, contact:ID)


@dataclass(frozen=True)
class _Rule:
    code: str
    title: str  # the prompt's name in words, where a page or a reason names it (never the code: a try-out)
    group: Group
    suggested: Level
    message: str
    source: str


RULES = {
    "WEAPONS_THREATS_VIOLENCE": _Rule(
        "WEAPONS_THREATS_VIOLENCE",
        "Weapons, threats and violence",
        Group.PUBLIC,
        Level.HIGH,
        "Weapons, threats to harm and violence are all present: serious harm could happen at any time.",
        "seeds/001 concern 3 (prison intelligence of weapons and threats not weighed)",
    ),
    "ESCALATING_VIOLENCE": _Rule(
        "ESCALATING_VIOLENCE",
        "Escalating violence",
        Group.PUBLIC,
        Level.HIGH,
        "Lower-level violence is becoming more frequent: escalation is a recognised precursor of serious harm.",
        "seeds/004 (Bendall and McSweeney: escalating violence not weighed)",
    ),
    "DOMESTIC_ABUSE_WITH_ORDER": _Rule(
        "DOMESTIC_ABUSE_WITH_ORDER",
        "Domestic abuse with an order in force",
        Group.KNOWN_ADULT,
        Level.HIGH,
        "Domestic abuse with a restraining or protective order in force: the protected person is a known adult "
        "at risk.",
        "seeds/001 concern 5 (restraining order alert not seen)",
    ),
    "HIGH_PREDICTOR": _Rule(
        "HIGH_PREDICTOR",
        "A high predictor score",
        Group.PUBLIC,
        Level.MEDIUM,
        "A serious-reoffending or violence predictor is HIGH or above.",
        "OASys RSR/CSRP, OVP/VRP bands (predictors.md §2, §4, §5.2)",
    ),
    "RECENT_RECALL_FOR_RISK": _Rule(
        "RECENT_RECALL_FOR_RISK",
        "Recalled for risk in the last year",
        Group.PUBLIC,
        Level.HIGH,
        "Recalled for increased risk within the last 12 months.",
        "seeds/001 concern 9 (recall decided on risk, then not executed)",
    ),
    "MAPPA_LEVEL_2_OR_3": _Rule(
        "MAPPA_LEVEL_2_OR_3",
        "MAPPA level 2 or 3",
        Group.PUBLIC,
        Level.HIGH,
        "Managed at MAPPA level 2 or 3: agencies have judged the risk to need multi-agency management.",
        "MAPPA Guidance 2012 (updated), level criteria",
    ),
    "CHILD_PROTECTION": _Rule(
        "CHILD_PROTECTION",
        "Child protection",
        Group.CHILDREN,
        Level.MEDIUM,
        "A child protection or risk-to-children registration is active.",
        "seeds/004 (safeguarding information shared in 59% of cases)",
    ),
    "RISK_TO_STAFF": _Rule(
        "RISK_TO_STAFF",
        "Risk to staff",
        Group.STAFF,
        Level.MEDIUM,
        "A risk-to-staff registration is active.",
        "MPoP risk-to-staff alert (hmpps.md §1d)",
    ),
}


def prompt_title(code: str) -> str:
    """A thresholding prompt's name in words ("Weapons, threats and violence"); a code no rule has now, in words."""
    rule = RULES.get(code)
    return rule.title if rule is not None else code_words(code)


def _triggered(e: Evidence) -> list[tuple[_Rule, tuple[str, ...]]]:
    found: list[tuple[_Rule, tuple[str, ...]]] = []
    ind, regs = e.relevant_indicators | frozenset(e.found_indicators), e.registrations
    if {"weapons", "threats"} <= ind and ({"violence", "violence_escalation"} & ind):
        found.append(
            (
                RULES["WEAPONS_THREATS_VIOLENCE"],
                tuple(sorted({"weapons", "threats"} | ({"violence", "violence_escalation"} & ind))),
            )
        )
    if "violence_escalation" in ind:
        found.append((RULES["ESCALATING_VIOLENCE"], ("violence_escalation",)))
    orders = regs & {"RSTO", "SPO", "SOPS"}
    if orders and (DOMESTIC_ABUSE_REGISTRATIONS & regs or "domestic_abuse" in ind):
        da = sorted((DOMESTIC_ABUSE_REGISTRATIONS & regs) | ({"domestic_abuse"} & ind))
        found.append((RULES["DOMESTIC_ABUSE_WITH_ORDER"], tuple(sorted(orders)) + tuple(da)))
    high = sorted(name for name, band in e.predictor_bands.items() if band in ("HIGH", "VERY_HIGH"))
    if high:
        found.append((RULES["HIGH_PREDICTOR"], tuple(f"{name}: {e.predictor_bands[name]}" for name in high)))
    if e.latest_recall_for_risk is not None and (e.today - e.latest_recall_for_risk).days <= 365:
        found.append((RULES["RECENT_RECALL_FOR_RISK"], (f"recalled {e.latest_recall_for_risk.isoformat()}",)))
    if e.mappa_level in (2, 3):
        found.append((RULES["MAPPA_LEVEL_2_OR_3"], (f"MAPPA level {e.mappa_level}",)))
    if regs & {"RCPR", "RCHD"}:
        found.append((RULES["CHILD_PROTECTION"], tuple(sorted(regs & {"RCPR", "RCHD"}))))
    if "AV2S" in regs:
        found.append((RULES["RISK_TO_STAFF"], ("AV2S",)))
    return found


def thresholding_prompts(evidence: Evidence, chosen: Mapping[Group, Level]) -> list[Prompt]:
    """The prompts whose suggested level is above what the assessor chose for that group.

    RoSH guidance step 3 (judge); rules and sources in RULES. A group not rated counts as LOW.
    """
    prompts = []
    for rule, items in _triggered(evidence):
        level = chosen.get(rule.group, Level.LOW)
        if level.rank < rule.suggested.rank:
            records = tuple(sorted({ref for item in items for ref in evidence.found_indicators.get(item, ())}))
            prompts.append(Prompt(rule.code, rule.group, rule.suggested, rule.message, items, rule.source, records))
    return prompts

"""Risk management plans follow assessments: never finalised before the assessment, and covering every risk.

Zara Aleena PFD (seeds/001): plans "prepared before risk was fully assessed"; RoSH guidance step 4 (plan).
"""

from __future__ import annotations

from collections.abc import Mapping

from keepsafe.risk.rules.rosh import Group, Level

SECTIONS = ("supervision", "interventions", "monitoring_control", "victim_safety", "contingency")


def plan_problems(
    *,
    assessment_complete: bool,
    levels: Mapping[Group, Level],
    sections: Mapping[str, str],
    covered_groups: frozenset[Group],
    risk_factors: frozenset[str],
    answered_factors: frozenset[str],
) -> list[tuple[str, str]]:
    """Why the plan cannot be finalised yet, as (field, reason) pairs; empty when it can."""
    problems: list[tuple[str, str]] = []
    if not assessment_complete:
        problems.append(("assessment", "the risk assessment this plan rests on is not complete yet"))
    for section in SECTIONS:
        if not sections.get(section, "").strip():
            problems.append((section, f"say what the plan does for {section.replace('_', ' ')}"))
    for group, level in levels.items():
        if level.rank >= Level.MEDIUM.rank and group not in covered_groups:
            problems.append(
                (
                    f"group.{group}",
                    f"the risk to {group.replace('_', ' ')} is {level.label.lower()}: "
                    "the plan must say how it is managed",
                )
            )
    for factor in sorted(risk_factors - answered_factors):
        problems.append((f"factor.{factor}", f"the plan must answer the risk factor {factor.replace('_', ' ')}"))
    return problems

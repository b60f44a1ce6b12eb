"""The serious-harm indicator taxonomy (issue 5 scans records for these; assessors must answer each one).

Identifiers are fixed by the records issue; labels are what assessors see. Sources: seeds/001 (weapons, threats,
violence in prison intelligence), seeds/004 (domestic abuse, safeguarding), RoSH guidance (risk factors).
"""

from __future__ import annotations

INDICATORS = {
    "weapons": "Weapons: possession, use, threats with, improvised weapons",
    "threats": "Threats to harm others",
    "violence": "Violence",
    "violence_escalation": "Escalating lower-level violence",
    "pro_violence_attitudes": "Attitudes supportive of violence",
    "callousness": "Callousness or lack of remorse",
    "domestic_abuse": "Domestic abuse: call-outs, partner violence, coercive control",
    "stalking": "Stalking, harassment, fixation on a person",
    "order_breach": "Breach of a restraining or other civil order",
    "child_safeguarding": "Child safeguarding concerns",
    "sexual_harm": "Sexual harm",
    "substance_misuse": "Substance misuse",
    "disengagement": "Disengagement from supervision",
    "accommodation_loss": "Loss of accommodation",
    "mental_health": "Deteriorating mental health",
}

# How the risk picture and the corpus figures group the indicators.
GROUPS = {
    "Weapons and violence": (
        "weapons",
        "threats",
        "violence",
        "violence_escalation",
        "pro_violence_attitudes",
        "callousness",
    ),
    "Domestic abuse, stalking and orders": ("domestic_abuse", "stalking", "order_breach"),
    "Children and sexual harm": ("child_safeguarding", "sexual_harm"),
    "Needs and engagement": ("substance_misuse", "disengagement", "accommodation_loss", "mental_health"),
}
# Found across a person's records rather than in one text.
CROSS_RECORD = frozenset({"violence_escalation"})
GROUP_OF = {indicator: group for group, members in GROUPS.items() for indicator in members}

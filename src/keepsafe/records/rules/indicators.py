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

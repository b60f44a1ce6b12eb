"""Victim contact (issue 16 §7): a victim liaison officer's representations and the licence conditions that answer
them.

Source: Domestic Violence, Crime and Victims Act 2004 s.35-s.45 and the Victim Contact Scheme guidance (HMPPS, 2023):
a victim may make representations about the licence conditions, and the VLO passes them to the officer setting them;
"a licence without a requested condition prompts" (issue 16 §7).

A representation is matched to a licence condition by the condition's code (people.rules.vocabulary
LicenceConditionType), never by its wording: a NO_CONTACT request by a NO_CONTACT condition, an EXCLUSION_ZONE request
by an EXCLUSION_ZONE condition. An OTHER request has no code that could answer it, so it prompts while it awaits its
outcome (REQUESTED) and stops once the officer records it as included or declined. A declined representation (with
the reason and who declined it) never prompts. One marked INCLUDED whose licence has no condition of the matching code
still prompts: the record says it is in the licence and the licence says it is not.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from keepsafe.people.rules.vocabulary import LicenceConditionType


class RepresentationKind(enum.StrEnum):
    NO_CONTACT = "NO_CONTACT"  # no contact with the victim and/or named persons
    EXCLUSION_ZONE = "EXCLUSION_ZONE"  # not to enter an area (described)
    OTHER = "OTHER"  # any other request, in the VLO's words


class RepresentationStatus(enum.StrEnum):
    REQUESTED = "REQUESTED"  # passed on; no outcome yet
    INCLUDED = "INCLUDED"  # the officer setting the licence included it
    DECLINED = "DECLINED"  # not included: with the reason and who decided


KIND_LABELS = {
    RepresentationKind.NO_CONTACT: "No contact",
    RepresentationKind.EXCLUSION_ZONE: "Exclusion zone",
    RepresentationKind.OTHER: "Other request",
}
STATUS_LABELS = {
    RepresentationStatus.REQUESTED: "Requested",
    RepresentationStatus.INCLUDED: "Included in licence",
    RepresentationStatus.DECLINED: "Declined",
}

# The licence condition codes that answer each kind of representation (documented in docs/sharing.md).
MATCHING_CONDITIONS: dict[RepresentationKind, frozenset[LicenceConditionType]] = {
    RepresentationKind.NO_CONTACT: frozenset({LicenceConditionType.NO_CONTACT}),
    RepresentationKind.EXCLUSION_ZONE: frozenset({LicenceConditionType.EXCLUSION_ZONE}),
    RepresentationKind.OTHER: frozenset(),
}

# The matching licence conditions in words (issue 20 try-out: the prompt read "no EXCLUSION_ZONE condition").
CONDITION_WORDS = {
    LicenceConditionType.NO_CONTACT: "non-contact",
    LicenceConditionType.EXCLUSION_ZONE: "exclusion zone",
}


def with_article(words: str) -> str:
    """'an exclusion zone', 'a no contact': the article by the first letter (issue 20 read "a exclusion zone")."""
    return f"{'an' if words[:1].lower() in 'aeiou' else 'a'} {words}"


@dataclass(frozen=True)
class RepresentationFacts:
    id: str
    kind: RepresentationKind
    status: RepresentationStatus
    summary: str  # who / which area / what, in the VLO's words
    received_on: date


@dataclass(frozen=True)
class LicenceFacts:
    """A sentence's licence: an event not terminated that has a release (or conditional release) or licence expiry
    date, or any licence condition, with its conditions' codes."""

    event_id: str
    conditions: frozenset[LicenceConditionType]


@dataclass(frozen=True)
class ConditionPrompt:
    representation_id: str
    event_id: str
    kind: RepresentationKind
    message: str

    def as_json(self) -> dict[str, str]:
        return {
            "representation": self.representation_id,
            "event": self.event_id,
            "kind": self.kind.value,
            "message": self.message,
        }


def has_licence(*, terminated: bool, release: date | None, licence_expiry: date | None, condition_count: int) -> bool:
    """Whether an event has a licence whose conditions are being (or have been) set."""
    return not terminated and (release is not None or licence_expiry is not None or condition_count > 0)


def prompt_for(rep: RepresentationFacts, licence: LicenceFacts) -> ConditionPrompt | None:
    """The prompt one representation raises against one licence, if any (rules in the module docstring)."""
    if rep.status is RepresentationStatus.DECLINED:
        return None
    wanted = MATCHING_CONDITIONS[rep.kind]
    label = KIND_LABELS[rep.kind].lower()
    if not wanted:
        if rep.status is not RepresentationStatus.REQUESTED:
            return None
        message = (
            f"The victim liaison officer's {label} ({rep.summary}, received {rep.received_on:%-d %B %Y}) has no "
            "outcome: record whether the licence includes it or why it was declined"
        )
        return ConditionPrompt(rep.id, licence.event_id, rep.kind, message)
    if wanted & licence.conditions:
        return None
    codes = " or ".join(sorted(CONDITION_WORDS[c] for c in wanted))
    marked = "It is marked included, but the" if rep.status is RepresentationStatus.INCLUDED else "The"
    message = (
        f"The victim liaison officer asked for {with_article(label)} condition ({rep.summary}, received "
        f"{rep.received_on:%-d %B %Y}). {marked} licence has no {codes} condition: add it, or record why it "
        "was declined"
    )
    return ConditionPrompt(rep.id, licence.event_id, rep.kind, message)


def condition_prompts(
    representations: Iterable[RepresentationFacts], licences: Iterable[LicenceFacts]
) -> tuple[ConditionPrompt, ...]:
    """Every (representation, licence) pair that lacks its condition, licence by licence."""
    reps = list(representations)
    return tuple(p for lic in licences for r in reps if (p := prompt_for(r, lic)) is not None)

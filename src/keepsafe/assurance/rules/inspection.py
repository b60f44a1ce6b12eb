"""Inspection-style case audits and how their ratings roll up, as HM Inspectorate of Probation rates a PDU.

Source: seeds/002 annexe two (Manchester North 10/24, Tameside 7/27); HMI Probation's rating rules for PDU
inspections: each standard rated Inadequate 0, Requires improvement 1, Good 2, Outstanding 3; a case-supervision
standard is rated from the share of cases judged sufficient on its key question with the lowest share
(Outstanding ≥ 80%, Good 65–79%, Requires improvement 50–64%, Inadequate < 50%).
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction


class Rating(enum.IntEnum):
    INADEQUATE = 0
    REQUIRES_IMPROVEMENT = 1
    GOOD = 2
    OUTSTANDING = 3

    @property
    def label(self) -> str:
        return self.name.replace("_", " ").capitalize()


class Domain(enum.StrEnum):
    """The case supervision standards a case audit answers (HMI Probation standards 2.2–2.5)."""

    ASSESSMENT = "ASSESSMENT"
    PLANNING = "PLANNING"
    IMPLEMENTATION = "IMPLEMENTATION"
    REVIEWING = "REVIEWING"


DOMAIN_LABELS = {
    Domain.ASSESSMENT: "Assessment",
    Domain.PLANNING: "Planning",
    Domain.IMPLEMENTATION: "Implementation and delivery",
    Domain.REVIEWING: "Reviewing",
}


class Question(enum.StrEnum):
    """Each standard's key questions (HMI Probation): does the work support desistance, and keep other people safe?"""

    DESISTANCE = "DESISTANCE"
    KEEPING_SAFE = "KEEPING_SAFE"


QUESTION_TEXT = {
    (Domain.ASSESSMENT, Question.DESISTANCE): "Does assessment focus sufficiently on engaging the person and on the "
    "factors linked to offending and desistance?",
    (Domain.ASSESSMENT, Question.KEEPING_SAFE): "Does assessment focus sufficiently on keeping other people safe?",
    (Domain.PLANNING, Question.DESISTANCE): "Is planning focused sufficiently on engaging the person and on "
    "supporting desistance?",
    (Domain.PLANNING, Question.KEEPING_SAFE): "Is planning focused sufficiently on keeping other people safe?",
    (Domain.IMPLEMENTATION, Question.DESISTANCE): "Does implementation and delivery of services effectively support "
    "desistance?",
    (Domain.IMPLEMENTATION, Question.KEEPING_SAFE): "Does implementation and delivery of services effectively "
    "support the safety of other people?",
    (Domain.REVIEWING, Question.DESISTANCE): "Does reviewing focus sufficiently on supporting desistance?",
    (Domain.REVIEWING, Question.KEEPING_SAFE): "Does reviewing focus sufficiently on keeping other people safe?",
}
KEYS: tuple[tuple[Domain, Question], ...] = tuple(QUESTION_TEXT)

# Case-supervision bands: the lowest key question's share of cases judged sufficient.
CASE_BANDS: tuple[tuple[Fraction, Rating], ...] = (
    (Fraction(80, 100), Rating.OUTSTANDING),
    (Fraction(65, 100), Rating.GOOD),
    (Fraction(50, 100), Rating.REQUIRES_IMPROVEMENT),
)
# Overall bands for a PDU with 9 standards (score out of 27): 0–5 Inadequate, 6–15 Requires improvement, 16–23 Good,
# 24–27 Outstanding. With fewer standards rated the same shares of the maximum apply.
OVERALL_BANDS: tuple[tuple[Fraction, Rating], ...] = (
    (Fraction(24, 27), Rating.OUTSTANDING),
    (Fraction(16, 27), Rating.GOOD),
    (Fraction(6, 27), Rating.REQUIRES_IMPROVEMENT),
)


@dataclass(frozen=True)
class Answer:
    sufficient: bool
    evidence: str


EVIDENCE_MAX = 4000  # characters of evidence per answer


def answers_problems(answers: Mapping[str, Mapping[str, object]]) -> list[tuple[str, str]]:
    """(field, message) for every key question not answered yes/no with evidence; [] when the audit is complete."""
    problems: list[tuple[str, str]] = []
    for domain, question in KEYS:
        key = f"{domain.value}.{question.value}"
        given = answers.get(key)
        if given is None or given.get("sufficient") not in (True, False):
            problems.append((key, f"{DOMAIN_LABELS[domain]}: answer yes or no"))
        elif not str(given.get("evidence", "")).strip():
            problems.append((key, f"{DOMAIN_LABELS[domain]}: give the evidence for the answer"))
        elif len(str(given.get("evidence", ""))) > EVIDENCE_MAX:  # refused, never cut short
            problems.append(
                (key, f"{DOMAIN_LABELS[domain]}: the evidence must be {EVIDENCE_MAX:,} characters or fewer")
            )
    unknown = sorted(set(answers) - {f"{d.value}.{q.value}" for d, q in KEYS})
    problems += [(key, "not a question of the audit") for key in unknown]
    return problems


def band(share: Fraction, bands: Sequence[tuple[Fraction, Rating]]) -> Rating:
    for floor, rating in bands:
        if share >= floor:
            return rating
    return Rating.INADEQUATE


@dataclass(frozen=True)
class StandardResult:
    domain: Domain
    cases: int
    sufficient: dict[Question, int]
    rating: Rating | None  # None: no audited case

    def share(self, question: Question) -> Fraction | None:
        return Fraction(self.sufficient[question], self.cases) if self.cases else None


def rate_standards(audits: Iterable[Mapping[str, Mapping[str, object]]]) -> list[StandardResult]:
    """Each case-supervision standard rated from completed audits, by its key question with the lowest share."""
    rows = list(audits)
    out: list[StandardResult] = []
    for domain in Domain:
        counts = {q: sum(1 for a in rows if a[f"{domain.value}.{q.value}"]["sufficient"] is True) for q in Question}
        if not rows:
            out.append(StandardResult(domain, 0, counts, None))
            continue
        lowest = min(Fraction(c, len(rows)) for c in counts.values())
        out.append(StandardResult(domain, len(rows), counts, band(lowest, CASE_BANDS)))
    return out


@dataclass(frozen=True)
class Score:
    points: int
    maximum: int
    overall: Rating | None

    def __str__(self) -> str:
        return f"{self.points}/{self.maximum}"


def score(ratings: Iterable[Rating | None]) -> Score:
    """The inspectorate's score: the sum of the standards' ratings out of 3 per standard rated (seeds/002 annexe)."""
    rated = [r for r in ratings if r is not None]
    points, maximum = sum(int(r) for r in rated), 3 * len(rated)
    return Score(points, maximum, band(Fraction(points, maximum), OVERALL_BANDS) if maximum else None)

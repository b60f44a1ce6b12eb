"""From the facts of a case to the inputs of OGRS3 and the tiers. Pure: callers pass plain values."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from keepsafe.people.rules.vocabulary import CUSTODIAL_SENTENCES, OffenceCategory, SentenceType
from keepsafe.risk.rules.predictors import PredictorInputError
from keepsafe.risk.rules.predictors.ogrs3 import Ogrs3Input, Ogrs3Score, ogrs3


def age_on(born: date, day: date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


@dataclass(frozen=True)
class CaseFacts:
    gender: str
    date_of_birth: date
    first_sanction_date: date | None
    sanctions: int | None  # total, including the current conviction
    sentence_type: SentenceType
    sentence_date: date
    release: date | None
    offence_category: OffenceCategory


def follow_up_start(f: CaseFacts) -> date:
    """OASys: the start of follow-up is the release date for custody, the sentence date otherwise (ARNS ACT-217)."""
    if f.sentence_type in CUSTODIAL_SENTENCES and f.release is not None:
        return f.release
    return f.sentence_date


def ogrs3_from_case(f: CaseFacts) -> Ogrs3Score:
    """OGRS3 from the case record — Howard et al. 2009 with ARNS's inputs (predictors.md §1.3).

    `sanctions` in the case record counts the current conviction, so previous sanctions = sanctions − 1.
    Raises PredictorInputError when the record lacks what OGRS3 needs.
    """
    if f.gender not in ("MALE", "FEMALE"):
        raise PredictorInputError("gender", "OGRS3 is defined for male and female only; import the score instead")
    if f.first_sanction_date is None or f.sanctions is None or f.sanctions < 1:
        raise PredictorInputError("criminal_history", "needs the first sanction date and the number of sanctions")
    return ogrs3(
        Ogrs3Input(
            sex="M" if f.gender == "MALE" else "F",
            age=age_on(f.date_of_birth, follow_up_start(f)),
            age_at_conviction=age_on(f.date_of_birth, f.sentence_date),
            age_at_first_sanction=age_on(f.date_of_birth, f.first_sanction_date),
            previous_sanctions=f.sanctions - 1,
            offence_category=f.offence_category,
        )
    )

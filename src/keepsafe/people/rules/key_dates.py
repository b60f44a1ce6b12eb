"""Consistency of a sentence's key dates, and how far away each one is."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class SentenceDates:
    sentence_date: date
    release: date | None
    conditional_release: date | None
    parole_eligibility: date | None
    licence_expiry: date | None
    sentence_expiry: date | None
    pss_end: date | None
    offence_date: date | None = None


def date_problems(d: SentenceDates) -> list[tuple[str, str]]:
    """Orderings every sentence must respect (PSR/sentence calculation basics); returns (field, reason) pairs.

    A licence cannot expire before release; no key date precedes the sentence; an offence precedes its sentence.
    """
    problems: list[tuple[str, str]] = []
    if d.offence_date and d.offence_date > d.sentence_date:
        problems.append(("offence_date", f"offence date {d.offence_date} is after the sentence date {d.sentence_date}"))
    named = {
        "release": d.release,
        "conditional_release": d.conditional_release,
        "parole_eligibility": d.parole_eligibility,
        "licence_expiry": d.licence_expiry,
        "sentence_expiry": d.sentence_expiry,
        "pss_end": d.pss_end,
    }
    for name, value in named.items():
        if value is not None and value < d.sentence_date:
            problems.append((f"dates.{name}", f"{value} is before the sentence date {d.sentence_date}"))
    if d.release and d.licence_expiry and d.licence_expiry < d.release:
        problems.append(("dates.licence_expiry", f"licence expiry {d.licence_expiry} is before release {d.release}"))
    if d.release and d.sentence_expiry and d.sentence_expiry < d.release:
        problems.append(("dates.sentence_expiry", f"sentence expiry {d.sentence_expiry} is before release {d.release}"))
    if d.licence_expiry and d.pss_end and d.pss_end < d.licence_expiry:
        problems.append(
            ("dates.pss_end", f"post-sentence supervision end {d.pss_end} is before licence expiry {d.licence_expiry}")
        )
    return problems


def days_until(target: date | None, today: date) -> int | None:
    return None if target is None else (target - today).days

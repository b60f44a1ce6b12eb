"""New information triggers review: a record carrying a serious-harm indicator received after the person's latest
completed risk assessment (or when there is none) raises a RISK_REVIEW signal naming the records.

Why: in the Zara Aleena case prison intelligence of weapons and threats arrived and the risk assessment was never
revisited (seeds/001, concerns 3-4); HMPPS committed to reviewing risk "when new information is received".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

SIGNAL_TYPE = "RISK_REVIEW"


@dataclass(frozen=True)
class NewInformation:
    record: str
    received_at: datetime
    indicators: frozenset[str]


@dataclass(frozen=True)
class LatestAssessment:
    id: str
    completed_at: datetime


@dataclass(frozen=True)
class ReviewSignal:
    id: str
    raised_at: datetime  # when the first of its records was received
    since_assessment: str | None
    records: tuple[str, ...]
    indicators: tuple[str, ...]
    type: str = SIGNAL_TYPE


def risk_review_signal(
    information: Sequence[NewInformation], latest: LatestAssessment | None, as_of: datetime
) -> ReviewSignal | None:
    """Only what was known at `as_of` counts; an assessment completed after a record was received answers it."""
    if latest is not None and latest.completed_at > as_of:
        raise ValueError("the latest assessment must be one completed by the instant considered")
    new = sorted(
        (
            i
            for i in information
            if i.indicators and i.received_at <= as_of and (latest is None or i.received_at > latest.completed_at)
        ),
        key=lambda i: (i.received_at, i.record),
    )
    if not new:
        return None
    since = latest.id if latest is not None else None
    return ReviewSignal(
        id=f"{SIGNAL_TYPE}:{since or 'NO_ASSESSMENT'}",
        raised_at=new[0].received_at,
        since_assessment=since,
        records=tuple(dict.fromkeys(i.record for i in new)),
        indicators=tuple(sorted(set().union(*(i.indicators for i in new)))),
    )

"""Field types shared by every input schema (case bundles, the partner API): dates and instants in range.

The range rule is `core/ranges.py`; these apply it as pydantic validators, so an out-of-range value is a field
error with its path, like any other malformed field.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from django.utils import timezone
from pydantic import AfterValidator, AwareDatetime, Field

from keepsafe.core import clock
from keepsafe.core.ranges import When, date_problem, instant_problem


def reference_now() -> datetime:
    """The later of the service's clock (which a demo may pin) and the real one: nothing can be later than both."""
    return max(clock.now(), timezone.now())


def _instant(when: When):
    def check(value: datetime) -> datetime:
        if (problem := instant_problem(value, when, reference_now())) is not None:
            raise ValueError(problem)
        return value

    return check


def _date(when: When):
    def check(value: date) -> date:
        if (problem := date_problem(value, when, timezone.localdate(reference_now()))) is not None:
            raise ValueError(problem)
        return value

    return check


_HAPPENED = "from 1900-01-01 to no more than a day after now"
_PLANNED = "from 1900-01-01 to no more than 100 years after now"

# Something that happened: an instant with an offset, from 1900 to a day after now.
HappenedAt = Annotated[
    AwareDatetime, AfterValidator(_instant(When.HAPPENED)), Field(description=f"ISO 8601 with offset; {_HAPPENED}")
]
# A day on which something happened: from 1900 to tomorrow.
HappenedOn = Annotated[date, AfterValidator(_date(When.HAPPENED)), Field(description=f"YYYY-MM-DD; {_HAPPENED}")]
# An instant that may lie ahead (a planned appointment): from 1900 to 100 years after now.
PlannedAt = Annotated[
    AwareDatetime, AfterValidator(_instant(When.PLANNED)), Field(description=f"ISO 8601 with offset; {_PLANNED}")
]
# A day that may lie ahead (release, expiry, an order's end, a review): from 1900 to 100 years after today.
PlannedOn = Annotated[date, AfterValidator(_date(When.PLANNED)), Field(description=f"YYYY-MM-DD; {_PLANNED}")]

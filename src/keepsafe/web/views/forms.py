"""What every case write form does with bad input (issue 14 "Bad input"; issue 16 try-out): every problem at once.

A form checks its own fields (dates, choices) and the service checks the rest. When a field the form reads is wrong
(a date that is not a real date), the service is still asked about every other field, so a user who gets three things
wrong sees all three in the error summary at once (GOV.UK error summary pattern) — nothing is written: the service
runs inside a transaction that is always rolled back."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

from django.db import transaction

from keepsafe.core.dates import date_anchor
from keepsafe.core.errors import ValidationError

YES_NO = ("yes", "no")


class _RollBackError(Exception):
    """Ends a check-only run: the transaction it leaves is rolled back."""


def submit[T](
    write: Callable[[], T],
    errors: dict[str, str],
    *,
    stand_ins: Iterable[str] = (),
    field_of: Callable[[str], str] | None = None,
) -> T | None:
    """Run `write` (a service call) when the form found nothing wrong, and return what it made; its refusals, by
    field (`field_of` maps a service's field to the form's), go into `errors`. When the form already has errors, the
    service still checks the other fields (its write rolled back) and its refusals join `errors`, the form's own
    reason for a field first. `stand_ins`: fields the form passed a stand-in value for (an unreadable date), whose
    service refusals would be about the stand-in, not what was typed."""
    if not errors:
        try:
            return write()
        except ValidationError as exc:
            errors.update(_refusals(exc, field_of))
            return None
    skip = set(stand_ins)
    try:
        with transaction.atomic():
            write()
            raise _RollBackError
    except _RollBackError:
        pass
    except ValidationError as exc:
        for field, reason in _refusals(exc, field_of).items():
            if field not in skip:
                errors.setdefault(field, reason)
    return None


def service_errors(exc: ValidationError, rename: dict[str, str] | None = None) -> dict[str, str]:
    """A service's refusals as the form's errors: the first per field (a list item's index dropped, `considering[1]`
    → `considering`), renamed to the form's field where they differ, each starting with a capital."""
    errors: dict[str, str] = {}
    for field, reason in exc.problems:
        key = (rename or {}).get(field, field).split("[")[0]
        errors.setdefault(key, reason[:1].upper() + reason[1:])
    return errors


def _refusals(exc: ValidationError, field_of: Callable[[str], str] | None) -> dict[str, str]:
    """A service's refusals by the form's field: the first per field, a list index dropped (`considering[1]` →
    `considering`), each starting with a capital."""
    if field_of is None:
        return service_errors(exc)
    errors: dict[str, str] = {}
    for field, reason in exc.problems:
        errors.setdefault(field_of(field), reason[:1].upper() + reason[1:])
    return errors


def choice(value: str, name: str, offered: Iterable[str], errors: dict[str, str], *, missing: str, wrong: str) -> str:
    """A radio or select answer: one of the values the page offered, else the reason in `errors[name]` (`missing`
    when nothing was chosen, `wrong` when the value is not one the page offers) and ''."""
    if value in set(offered):
        return value
    errors[name] = wrong if value else missing
    return ""


def yes_no(value: str, name: str, errors: dict[str, str], *, question: str, required: bool = True) -> bool:
    """A yes/no radio: True for "yes", False for "no"; anything else is refused by the field (blank too, when
    `required`), never read as "no". `question`: what is asked, in words, e.g. "whether a victim lives there"."""
    if value in YES_NO:
        return value == "yes"
    if value or required:
        errors[name] = f"Choose yes or no: say {question}"
    return False


def date_href(name: str, form: Mapping[str, str]) -> str:
    """Where an error summary links for date input `name` (boxes name-day, name-month, name-year in `form`): its first
    box at fault (core/dates.date_anchor), the day box when the whole date is wrong. A try-out: month "March" linked
    to the day box."""
    return "#" + date_anchor(name, form.get(f"{name}-day"), form.get(f"{name}-month"), form.get(f"{name}-year"))

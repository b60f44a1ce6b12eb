"""What every view needs: the actor behind the request, and role checks."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date

from django.core.exceptions import BadRequest, PermissionDenied
from django.http import HttpRequest

from keepsafe.core.actor import Actor, Role
from keepsafe.core.dates import ASCII_DIGITS, MAX_DIGITS, is_number
from keepsafe.workforce.selectors import actor_for_user


def actor_of(request: HttpRequest) -> Actor:
    return actor_for_user(request.user)  # type: ignore[arg-type]


def require_role(actor: Actor, *roles: Role) -> None:
    if actor.role not in roles:
        raise PermissionDenied


# --- what a page's address asks for (its query parameters) ----------------------------------------------------------
# A value a page cannot answer is refused, never replaced by a default without a word (`?sort=banana`, `?rosh=purple`,
# `?page=-3` and a parameter given twice each silently showed another list). The refusal is a 400 on
# the GOV.UK error page (`errors.bad_request`) naming the parameter, the value given and the values allowed, with a
# link to the page without it. One way for every page: `query_value`, `query_choice`, `page_number`; the assurance
# pages name a repeated parameter with the same words (`once_error`).


class QueryRefusedError(BadRequest):
    """A query parameter whose value the page cannot answer: `name` is the parameter, `message` says the value given
    and the values allowed."""

    def __init__(self, name: str, message: str) -> None:
        super().__init__(message)
        self.name, self.message = name, message


def once_error(name: str) -> str:
    """What a parameter given more than once is told (`?sort=name&sort=crn`: which one was meant?)."""
    return f"Give {name}= once: it is in the address more than once"


def repeated(request: HttpRequest, names: Iterable[str]) -> list[str]:
    """Which of `names` the address gives more than once."""
    return [name for name in names if len(request.GET.getlist(name)) > 1]


SHOWN_MAX = 40  # characters of a refused value repeated in its message


def shown_value(value: str) -> str:
    """A value from the address as an error message repeats it: control characters written as \\xNN, cut to
    SHOWN_MAX characters (the page escapes it as HTML)."""
    text = "".join(c if c.isprintable() else f"\\x{ord(c):02x}" for c in value)
    text = text if len(text) <= SHOWN_MAX else text[: SHOWN_MAX - 1] + "…"
    # a space at either end is invisible in a message: quoted, it shows (try-out 10: "sort=name  is not a column")
    return f'"{text}"' if text != text.strip() else text


def query_value(request: HttpRequest, name: str) -> str | None:
    """The value of `name` in the address, or None when it is not there or empty (a GET form's "All" option sends it
    empty). Given more than once: refused."""
    values = request.GET.getlist(name)
    if len(values) > 1:
        raise QueryRefusedError(name, once_error(name))
    return values[0] if values and values[0] != "" else None


def query_choice(request: HttpRequest, name: str, allowed: Iterable[str], what: str) -> str | None:
    """The value of `name` when it is one of `allowed` (None when it is not there); any other value is refused,
    listing the values allowed. `what` names what a value is ("a RoSH level")."""
    value = query_value(request, name)
    choices = list(allowed)
    if value is not None and value not in choices:
        raise QueryRefusedError(name, choice_error(name, value, what, choices))
    return value


def choice_error(name: str, value: str, what: str, choices: Iterable[str], note: str = "") -> str:
    listed = list(choices)
    some = ", ".join(listed[:-1]) + f" or {listed[-1]}" if len(listed) > 1 else (listed[0] if listed else "")
    allowed = f"give {name}= one of {some}" if listed else f"this page has no {what} to choose"
    return f"{name}={shown_value(value)} is not {what}: {allowed}{note}, or leave {name} out"


ISO_DAY = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")


def iso_day(value: str) -> date | None:
    """`value` as a real date written YYYY-MM-DD in the digits 0 to 9; None otherwise (`2026-02-31`, `２０２６-1-1`)."""
    shape = ISO_DAY.fullmatch(value)
    try:
        return date(*(int(g) for g in shape.groups())) if shape else None
    except ValueError:
        return None


def query_day(request: HttpRequest, name: str, earliest: date, latest: date, default: str) -> date | None:
    """The date `name` as YYYY-MM-DD (the form every link and export writes dates in), from `earliest` to `latest`;
    None when it is not there. Refused when it is not in that form (`date=banana`, `date=２０２６-01-01`), not a real
    date (`date=2026-02-31`) or outside the range. `default` says what leaving it out gives ("today")."""
    value = query_value(request, name)
    if value is None:
        return None
    day = iso_day(value)
    if day is None and ISO_DAY.fullmatch(value):
        problem = "is not a real date (no such day in that month): give a date that exists, like 2026-03-27"
    elif day is None:
        problem = "is not a date: give it as YYYY-MM-DD in the digits 0 to 9, like 2026-03-27"
    elif not earliest <= day <= latest:
        problem = f"is outside the dates this page shows: give a date from {earliest:%Y-%m-%d} to {latest:%Y-%m-%d}"
    else:
        return day
    raise QueryRefusedError(name, f"{name}={shown_value(value)} {problem}, or leave {name} out for {default}")


# --- pages of a list (issue 14 §6, issue 20 §3): no list builds more than a screenful of rows ----------------------
PAGE_SIZE = 50


def page_number(request: HttpRequest) -> int:
    """The `page` asked for: 1 when there is none; a whole number from 1 written in the digits 0 to 9, or refused
    (`page=0`, `page=-3`, `page=abc`, `page=２`). A number past the last page shows the last (`core.pages`)."""
    value = query_value(request, "page")
    if value is None:
        return 1
    digits = bool(value) and set(value) <= ASCII_DIGITS
    # a page number of more digits than any list has pages is past the last page (and Python reads no integer of
    # more than 4,300 digits): the last page is shown
    number = (int(value) if is_number(value) else 10**MAX_DIGITS) if digits else 0
    if number < 1:
        raise QueryRefusedError(
            "page",
            f"page={shown_value(value)} is not a page number: give page= a whole number from 1 in the digits 0 to 9, "
            "or leave page out for the first page",
        )
    return number


def page_count(total: int, size: int = PAGE_SIZE) -> int:
    return max(1, -(-total // size))


def query_without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()

"""Dates and times as people type and read them on a form (GOV.UK date input and time patterns).

The one place a form's day, month, year, hour and minute boxes become a date or a local time, and the one place a
date or time in a form's error message is written in words ("3 December 2026", "2:30pm"), never as a machine
timestamp ("2026-12-03 00:00:00+00:00") — a try-out found both on the forms.

- Only the digits 0 to 9 are numbers here. Python's int() also reads other scripts' digits ("２０２６", "١"),
  which a try-out found accepted in a date box; they are refused with a reason naming the box.
- A local wall time that does not exist (the hour the clocks skip in spring, e.g. 1:30am on 29 March 2026 in
  Europe/London) is refused with its reason, never moved silently to another time.
- A local wall time that happens twice (the hour repeated in autumn, e.g. 1:30am on 25 October 2026) is refused
  until the person says which of the two they mean ("1:30am BST", before the clocks go back, or "1:30am GMT", after):
  a try-out found the first taken silently. Documented in docs/architecture.md ("Dates and times").

Pure: no Django; the caller passes the zone. Source: GOV.UK Design System (date input, error messages; "Dates":
"5:30pm", "10am", "midday", "midnight").
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from zoneinfo import ZoneInfo

# Probation in England and Wales works to London time (as actions/rules/calendar.py).
LONDON = ZoneInfo("Europe/London")
DATE_PARTS = ("day", "month", "year")
ASCII_DIGITS = frozenset("0123456789")


# No count, id, age or date part Keepsafe reads has more digits than this; Python refuses to read an integer of more
# than 4,300 (a ValueError, which was a 500 for `?page=` followed by 5,000 nines).
MAX_DIGITS = 18


def is_number(text: str) -> bool:
    """True when `text` is one to MAX_DIGITS of the digits 0 to 9 and nothing else (not "２", "²", "١", "-1" or "1.5"),
    so `int(text)` always reads it."""
    return 0 < len(text) <= MAX_DIGITS and set(text) <= ASCII_DIGITS


def day_words(value: date | datetime) -> str:
    """A date as GOV.UK writes it: "3 December 2026" (a datetime's own date, in its own zone)."""
    return f"{value.day} {value:%B %Y}"


def time_words(value: time | datetime) -> str:
    """A time as GOV.UK writes it: "2:30pm", "10am", "midday", "midnight"."""
    if value.hour == 0 and value.minute == 0:
        return "midnight"
    if value.hour == 12 and value.minute == 0:
        return "midday"
    hour = value.hour % 12 or 12
    suffix = "am" if value.hour < 12 else "pm"
    return f"{hour}{suffix}" if value.minute == 0 else f"{hour}:{value.minute:02d}{suffix}"


def repeated_hour_zone(local: datetime) -> str:
    """ " BST" or " GMT" when `local` (an aware local time) is in the hour the clocks go back, which happens twice,
    else "": "25 October 2026 at 01:30 GMT" says which of the two it was (an independent try-out read a move 50
    minutes earlier as 10 minutes later)."""
    if local.tzinfo is None or local.replace(fold=1 - local.fold).utcoffset() == local.utcoffset():
        return ""
    return f" {local.tzname()}"


def clock_words(value: datetime) -> str:
    """An instant on the local clock as Keepsafe's pages and documents show it: "25 October 2026 at 14:30", with BST
    or GMT added only in the hour that happens twice."""
    return f"{value:%-d %B %Y at %H:%M}{repeated_hour_zone(value)}"


def instant_words(value: datetime, zone: tzinfo = LONDON) -> str:
    """An instant as a reader in `zone` sees it: "2:30pm on 3 December 2026"."""
    local = value.astimezone(zone)
    return f"{time_words(local)}{repeated_hour_zone(local)} on {day_words(local)}"


def date_example(today: date, when: str) -> str:
    """A date input's hint: "For example, 27 3 2026", a date on the side of `today` the form asks for (`when`:
    "past" or "future"), so a form asking when a contact happened never shows a date still to come (a try-out found
    "27 3 2027" on the contact form). Always 27 March, as GOV.UK's pattern writes its example."""
    this_year = date(today.year, 3, 27)
    if when == "past":
        example = this_year if this_year < today else this_year.replace(year=today.year - 1)
    elif when == "future":
        example = this_year if this_year > today else this_year.replace(year=today.year + 1)
    else:
        raise ValueError(f"when must be 'past' or 'future', got {when!r}")
    return f"For example, {example.day} {example.month} {example.year}"


@dataclass(frozen=True)
class DateError:
    """Why a date input's boxes are not a date, and the boxes at fault (GOV.UK date input: highlight, and link the
    error summary to, only the boxes in error; all three when the whole date is wrong, e.g. 31 February)."""

    message: str
    parts: tuple[str, ...]  # in DATE_PARTS order, never empty


def _joined(parts: list[str]) -> str:
    return " and ".join(parts) if len(parts) < 3 else f"{parts[0]}, {parts[1]} and {parts[2]}"


def read_date(day: str, month: str, year: str, label: str) -> date | DateError:
    """A GOV.UK date input's three boxes as a date, or why not and which boxes, naming the date by `label`.

    Every box must be filled with the digits 0 to 9 only, the year with four of them, the day from 1 to 31 and the
    month from 1 to 12; the three must make a real date. When more than one box is wrong, one message names them all
    ("The date must be a real date: enter the day and month using the digits 0 to 9, like 27 3 2026"), not only the
    first (a try-out: month "March" and year "26" linked to the day box, and every box was marked)."""
    parts = {"day": day.strip(), "month": month.strip(), "year": year.strip()}
    if not any(parts.values()):
        return DateError(f"Enter {label}", DATE_PARTS)
    missing = [p for p in DATE_PARTS if not parts[p]]
    if missing:
        return DateError(f"{_capital(label)} must include a {' and a '.join(missing)}", tuple(missing))
    whose = "" if label == "the date" else f" of {label}"
    letters = [p for p in DATE_PARTS if not set(parts[p]) <= ASCII_DIGITS]
    short_year = "year" not in letters and len(parts["year"]) != 4
    limits = {"day": 31, "month": 12}
    beyond = [
        p
        for p in ("day", "month")
        if p not in letters and not (is_number(parts[p]) and 1 <= int(parts[p]) <= limits[p])  # 20 nines: beyond
    ]
    faults = [p for p in DATE_PARTS if p in letters or p in beyond or (p == "year" and short_year)]
    if len(faults) == 1:
        (part,) = faults
        if letters:
            return DateError(f"Enter the {part}{whose} using the digits 0 to 9", (part,))
        if short_year:
            return DateError(f"The year{whose} must be 4 digits, like 2026", ("year",))
        return DateError(f"{_capital(label)} must be a real date: the {part} must be from 1 to {limits[part]}", (part,))
    if faults:
        reasons = [f"the {_joined(letters)} using the digits 0 to 9"] if letters else []
        reasons += [f"the {p} from 1 to {limits[p]}" for p in beyond]
        reasons += ["the year as 4 digits"] if short_year else []
        why = " and ".join(reasons)
        return DateError(f"{_capital(label)} must be a real date: enter {why}, like 27 3 2026", tuple(faults))
    try:
        return date(int(parts["year"]), int(parts["month"]), int(parts["day"]))
    except (ValueError, OverflowError):
        return DateError(f"{_capital(label)} must be a real date, like 27 3 2026", DATE_PARTS)


def date_from_parts(day: str, month: str, year: str, label: str) -> date | str:
    """As `read_date`, with only the message when the boxes are not a date."""
    found = read_date(day, month, year, label)
    return found.message if isinstance(found, DateError) else found


def date_parts_at_fault(day: str | None, month: str | None, year: str | None) -> tuple[str, ...]:
    """The boxes to mark when a date input has an error: those `read_date` finds at fault, or all three when the boxes
    make a date and the error is about the date itself ("must be on or after 1 January 1900")."""
    found = read_date(day or "", month or "", year or "", "the date")
    return found.parts if isinstance(found, DateError) else DATE_PARTS


def date_anchor(name: str, day: str | None, month: str | None, year: str | None) -> str:
    """The id an error summary links to for date input `name`: its first box at fault ("at-month")."""
    return f"{name}-{date_parts_at_fault(day, month, year)[0]}"


def time_from_text(text: str, label: str) -> time | str:
    """A 24-hour time typed as HH:MM (or HH.MM) as a time, or why not, naming the time by `label` ("the time")."""
    text = text.strip()
    if not text:
        return f"Enter {label}"
    if any(c.isdigit() and c not in ASCII_DIGITS for c in text):
        return f"Enter {label} using the digits 0 to 9, like 14:30"
    hours, sep, minutes = text.replace(".", ":").partition(":")
    if not (sep and is_number(hours) and is_number(minutes) and len(hours) <= 2 and len(minutes) == 2):
        return f"Enter {label} in the 24-hour clock, like 14:30"
    if int(hours) > 23 or int(minutes) > 59:
        return f"Enter {label} in the 24-hour clock, from 00:00 to 23:59"
    return time(int(hours), int(minutes))


# Which of the two readings of a wall time in the hour the clocks repeat: the first (before the clocks go back, fold=0,
# BST in the UK) or the second (after, fold=1, GMT). A form offers them only when the time it was given happens twice.
READINGS = ("first", "second")


def repeated_readings(day: date, moment: time, zone: tzinfo) -> tuple[datetime, datetime] | None:
    """The two instants a wall-clock `moment` on `day` names in `zone` when it happens twice (the hour the clocks
    repeat in autumn), first the earlier; None when it happens once or not at all."""
    wall = datetime.combine(day, moment)
    first, second = wall.replace(tzinfo=zone, fold=0), wall.replace(tzinfo=zone, fold=1)
    if first.utcoffset() == second.utcoffset() or not _exists(first, zone) or not _exists(second, zone):
        return None
    return first, second


def reading_words(instant: datetime) -> str:
    """One reading of a repeated wall time, named by its zone's abbreviation: "1:30am BST"."""
    return f"{time_words(instant)} {instant.tzname()}"


def local_instant(day: date, moment: time, zone: tzinfo, reading: str = "") -> datetime | str:
    """The instant a wall-clock `moment` on `day` names in `zone`, or why there is none or more than one.

    In the hour the clocks skip in spring the wall time does not exist: refused, saying so. In the hour repeated in
    autumn it happens twice: `reading` ("first" or "second", READINGS) says which; without one it is refused, naming
    both ("1:30am on 25 October 2026 happens twice because the clocks go back: choose 1:30am BST or 1:30am GMT").
    `reading` is ignored for a wall time that happens once. The instant is returned in UTC: an aware datetime in the
    repeated hour compares unequal to every instant in another zone, even itself (PEP 495), so it never leaves here."""
    wall = datetime.combine(day, moment)
    first = wall.replace(tzinfo=zone, fold=0)
    if not _exists(first, zone):
        jump = _clocks_forward(first, zone)
        return (
            f"{time_words(moment)} on {day_words(day)} does not exist in the UK: clocks went forward at "
            f"{time_words(jump)}"
        )
    both = repeated_readings(day, moment, zone)
    if both is None:
        return first.astimezone(UTC)
    if reading in READINGS:
        return both[READINGS.index(reading)].astimezone(UTC)
    return (
        f"{time_words(moment)} on {day_words(day)} happens twice because the clocks go back: choose "
        f"{reading_words(both[0])} or {reading_words(both[1])}"
    )


def _exists(aware: datetime, zone: tzinfo) -> bool:
    """A wall time exists when it survives the round trip through UTC unchanged."""
    return aware.astimezone(UTC).astimezone(zone).replace(tzinfo=None) == aware.replace(tzinfo=None)


def _clocks_forward(inside: datetime, zone: tzinfo) -> time:
    """The wall time at which the clocks went forward, for an aware wall time `inside` the skipped hour.

    For a wall time in a gap, fold=0 reads it with the offset from before the change (PEP 495), so as UTC it lies
    after the change: step back a minute at a time (at most a day) to the first minute of the new offset."""
    change = inside.astimezone(UTC)
    offset = change.astimezone(zone).utcoffset()
    for _ in range(24 * 60):
        earlier = change - timedelta(minutes=1)
        if earlier.astimezone(zone).utcoffset() != offset:
            return (earlier.astimezone(zone) + timedelta(minutes=1)).time()  # the old clock's reading at the change
        change = earlier
    return inside.time()  # pragma: no cover — no zone skips a whole day's worth of minutes


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]

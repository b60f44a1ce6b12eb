"""Training compliance (issue 15 §5): required learning per grade, what is due and overdue, and what a practitioner
lacks for a given case. The courses are data (`oversight/reference/training.json`, each with its source)."""

from __future__ import annotations

import enum
import functools
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from importlib import resources
from typing import Any

from keepsafe.oversight.rules.workload import add_months
from keepsafe.workforce.rules.grades import Grade


class CaseNeed(enum.StrEnum):
    """What a case asks of whoever holds it (issue 15 §2 guardrails and §5)."""

    HIGH_ROSH = "HIGH_ROSH"  # high or very high RoSH
    DOMESTIC_ABUSE = "DOMESTIC_ABUSE"
    CHILD_SAFEGUARDING = "CHILD_SAFEGUARDING"
    MAPPA = "MAPPA"


class TrainingState(enum.StrEnum):
    CURRENT = "CURRENT"
    DUE = "DUE"  # expires within the due-soon window
    OVERDUE = "OVERDUE"  # completed once but expired
    MISSING = "MISSING"  # never completed


class TrainingTableError(ValueError):
    """training.json is malformed; the message names the key."""


@dataclass(frozen=True)
class Course:
    code: str
    title: str
    grades: frozenset[Grade]
    refresh_months: int | None
    needed_for: frozenset[CaseNeed]
    source: str


@dataclass(frozen=True)
class TrainingTables:
    courses: Mapping[str, Course]
    due_soon_days: int


def training_tables_from(raw: Mapping[str, Any]) -> TrainingTables:
    """Parse and check a training table document (training.json's shape)."""
    courses: dict[str, Course] = {}
    raw_courses = raw.get("courses")
    if not isinstance(raw_courses, dict) or not raw_courses:
        raise TrainingTableError("courses: expected a non-empty object of course codes")
    for code, c in raw_courses.items():
        if not isinstance(c, dict):
            raise TrainingTableError(f"courses.{code}: expected an object")
        try:
            grades = frozenset(Grade(g) for g in c.get("grades", []))
            needs = frozenset(CaseNeed(n) for n in c.get("needed_for", []))
        except ValueError as e:
            raise TrainingTableError(f"courses.{code}: {e}") from e
        refresh = c.get("refresh_months")
        if refresh is not None and (not isinstance(refresh, int) or refresh <= 0):
            raise TrainingTableError(f"courses.{code}.refresh_months: {refresh!r} is not a whole number of months")
        if not c.get("source"):
            raise TrainingTableError(f"courses.{code}.source: every course cites its source")
        courses[code] = Course(code, str(c.get("title") or code), grades, refresh, needs, str(c["source"]))
    due = raw.get("due_soon_days")
    if not isinstance(due, int) or due < 0:
        raise TrainingTableError(f"due_soon_days: {due!r} is not a whole number of days")
    return TrainingTables(courses, due)


@functools.cache
def published_training() -> TrainingTables:
    """The required learning Keepsafe ships (training.json; each course cites its source)."""
    text = resources.files("keepsafe.oversight").joinpath("reference", "training.json").read_text(encoding="utf-8")
    return training_tables_from(json.loads(text))


@dataclass(frozen=True)
class Completion:
    course: str
    completed_on: date


@dataclass(frozen=True)
class CourseStatus:
    course: Course
    state: TrainingState
    completed_on: date | None  # the latest completion on or before the day
    expires_on: date | None  # the day it is no longer current (None: never, or never done)


def _status(course: Course, completions: Iterable[Completion], today: date, due_soon_days: int) -> CourseStatus:
    done = [c.completed_on for c in completions if c.course == course.code and c.completed_on <= today]
    if not done:
        return CourseStatus(course, TrainingState.MISSING, None, None)
    latest = max(done)
    if course.refresh_months is None:
        return CourseStatus(course, TrainingState.CURRENT, latest, None)
    expires = add_months(latest, course.refresh_months)
    if today >= expires:
        state = TrainingState.OVERDUE
    elif today >= expires - timedelta(days=due_soon_days):
        state = TrainingState.DUE
    else:
        state = TrainingState.CURRENT
    return CourseStatus(course, state, latest, expires)


def training_status(
    grade: Grade, completions: Iterable[Completion], today: date, tables: TrainingTables
) -> list[CourseStatus]:
    """Issue 15 §5 (training.json): every course the grade requires, with its state on the day — MISSING (never
    done), OVERDUE (refresh date passed), DUE (refresh within due_soon_days) or CURRENT. Completions after the day
    are not yet known."""
    done = list(completions)
    return [_status(c, done, today, tables.due_soon_days) for c in tables.courses.values() if grade in c.grades]


def training_gaps(
    grade: Grade,
    completions: Iterable[Completion],
    case_needs: Iterable[CaseNeed],
    today: date,
    tables: TrainingTables | None = None,
) -> list[CourseStatus]:
    """Issue 15 §5: the courses a practitioner lacks (never done, or refresh passed) for a case with these needs —
    every course whose `needed_for` meets the case's needs, whatever the grade's usual list."""
    tables = tables or published_training()
    needs = frozenset(case_needs)
    done = list(completions)
    out: list[CourseStatus] = []
    for course in tables.courses.values():
        if course.needed_for & needs:
            status = _status(course, done, today, tables.due_soon_days)
            if status.state in (TrainingState.MISSING, TrainingState.OVERDUE):
                out.append(status)
    return out


def compliance(statuses: Iterable[Iterable[CourseStatus]]) -> tuple[int, int]:
    """Issue 15 §5 team/PDU compliance: (courses current or due, courses required) over many practitioners."""
    met = required = 0
    for one in statuses:
        for s in one:
            required += 1
            met += s.state in (TrainingState.CURRENT, TrainingState.DUE)
    return met, required

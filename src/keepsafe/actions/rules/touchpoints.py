"""Management oversight touch points (issue 15 §3): the moments a case's SPO must look at it and record an SPO
oversight note — after allocation, before and after release, after a RoSH level change, and at set intervals while
the case is held by a trainee (PQiP) or a newly qualified officer (NQO) or its RoSH is high or very high. Each is an
OVERSIGHT_TOUCHPOINT action owned by the community offender manager's line manager (OwnerRole.SPO); an SPO oversight
note (a contact of type SPO_OVERSIGHT, the nDelius "SPO Oversight" contact) recorded at or after the trigger closes it.

Source: the NPS Touch Points Model, seeds/003 rec. 11 ("the points at which a manager … is required to provide
oversight of a particular case … pre- and post-release … and then at regular intervals"); seeds/001 concerns 1 and 9
and seeds/000 (newly qualified staff "closely supervised"; oversight "wholly reactive"); seeds/004 ("inadequate
management oversight / overloaded SPOs"). The numbers are Keepsafe defaults in actions/reference/
oversight-touchpoints.json (docs/workforce.md "Oversight"), configurable per region.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, timedelta
from typing import Any

from keepsafe.actions.rules.calendar import end_of_day, local_date, start_of_day, working_days_after
from keepsafe.actions.rules.checks import release_date
from keepsafe.actions.rules.common import default_escalations, default_reminders, in_view, terminated_by
from keepsafe.actions.rules.facts import CaseFacts, OversightFacts, TouchpointTable
from keepsafe.actions.rules.policy import Policy
from keepsafe.actions.rules.types import ActionType, Evidence, Expected, OwnerRole

PREFIX = "oversight:"
# Why a case needs oversight at set intervals: its holder's grade or its RoSH level (the shortest interval applies).
INTERVAL_REASONS = {
    "PQIP": "held by a trainee probation officer (PQiP)",
    "NQO": "held by a newly qualified officer (NQO)",
    "HIGH": "high RoSH",
    "VERY_HIGH": "very high RoSH",
}
HOLDERS = frozenset({"PQIP", "NQO"})
HIGH_ROSH = frozenset({"HIGH", "VERY_HIGH"})
EVIDENCE = "An SPO oversight note recorded on the case"
TABLE_KEYS = {
    "after_allocation_working_days",
    "before_release_opens_days",
    "before_release_due_days",
    "after_release_working_days",
    "after_rosh_change_working_days",
    "intervals_days",
}


def table_from(data: Mapping[str, Any], where: str) -> TouchpointTable:
    """A region's touch points from JSON; raises ValueError naming the bad entry and why."""
    if not isinstance(data, Mapping):
        raise ValueError(f"{where}: needs an object")
    if unknown := set(data) - TABLE_KEYS:
        raise ValueError(f"{where}: unknown keys {', '.join(sorted(unknown))}")
    if missing := TABLE_KEYS - set(data):
        raise ValueError(f"{where}: missing {', '.join(sorted(missing))}")

    def days(name: str, value: Any, low: int, high: int) -> int:
        if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
            raise ValueError(f"{where}.{name}: a whole number from {low} to {high}, got {value!r}")
        return value

    intervals = data["intervals_days"]
    if not isinstance(intervals, Mapping):
        raise ValueError(f"{where}.intervals_days: needs an object of reason → days")
    if bad := set(intervals) - set(INTERVAL_REASONS):
        raise ValueError(
            f"{where}.intervals_days: unknown reasons {', '.join(sorted(bad))}; known: {', '.join(INTERVAL_REASONS)}"
        )
    opens = days("before_release_opens_days", data["before_release_opens_days"], 1, 366)
    due = days("before_release_due_days", data["before_release_due_days"], 0, 365)
    if due >= opens:
        raise ValueError(f"{where}: before_release_due_days ({due}) must be less than before_release_opens_days")
    return TouchpointTable(
        after_allocation_working_days=days(
            "after_allocation_working_days", data["after_allocation_working_days"], 1, 60
        ),
        before_release_opens_days=opens,
        before_release_due_days=due,
        after_release_working_days=days("after_release_working_days", data["after_release_working_days"], 1, 60),
        after_rosh_change_working_days=days(
            "after_rosh_change_working_days", data["after_rosh_change_working_days"], 1, 60
        ),
        intervals_days={k: days(f"intervals_days.{k}", v, 7, 366) for k, v in intervals.items()},
    )


def tables_from(data: Mapping[str, Any]) -> tuple[TouchpointTable, dict[str, TouchpointTable]]:
    """The default table and each region's (a region's entry replaces the default's entries it names)."""
    if not isinstance(data, Mapping) or set(data) - {"default", "regions"} or "default" not in data:
        raise ValueError("oversight touch points: needs `default` and may have `regions`")
    default = data["default"]
    regions = {
        code: table_from({**default, **overrides}, f"regions.{code}")
        for code, overrides in data.get("regions", {}).items()
    }
    return table_from(default, "default"), regions


def interval_reasons(oversight: OversightFacts) -> list[str]:
    """Why this case needs oversight at set intervals now (possibly nothing)."""
    reasons = []
    if oversight.holder in HOLDERS:
        reasons.append(oversight.holder)
    if oversight.rosh in HIGH_ROSH:
        reasons.append(oversight.rosh)
    return [r for r in reasons if r in oversight.table.intervals_days]


def first_note_since(oversight: OversightFacts, since: datetime, as_of: datetime) -> Evidence | None:
    """The first SPO oversight note recorded at or after `since` and by `as_of`: what closes a touch point."""
    notes = sorted((n for n in oversight.notes if since <= n.at <= as_of), key=lambda n: (n.at, n.id))
    if not notes:
        return None
    return Evidence("contact", notes[0].id, notes[0].at, "SPO oversight note recorded")


def _touchpoint(
    facts: CaseFacts,
    policy: Policy,
    key: str,
    title: str,
    opens: datetime,
    due: datetime,
    kind: str,
    *,
    event: str | None = None,
    withdrawn: str | None = None,
    detail: dict[str, str] | None = None,
) -> Expected:
    oversight = facts.oversight
    satisfied = first_note_since(oversight, opens, facts.as_of) if oversight is not None else None
    return Expected(
        type=ActionType.OVERSIGHT_TOUCHPOINT,
        key=key,
        title=title,
        owner=OwnerRole.SPO,
        opens_at=opens,
        due=due,
        evidence_needed=EVIDENCE,
        reminders=default_reminders(policy),
        # Owned by the SPO, so it escalates to the head of PDU (as a countersignature does).
        escalations=default_escalations(policy)[1:],
        event=event,
        satisfied=satisfied,
        withdrawn=None if satisfied is not None else withdrawn,
        detail={"touchpoint": kind, **(detail or {})},
    )


def touchpoint_actions(facts: CaseFacts, policy: Policy) -> list[Expected]:
    oversight = facts.oversight
    if oversight is None:
        return []
    table = oversight.table
    out: list[Expected] = []
    wanted: set[str] = set()
    # Oversight of supervision: a person not (or no longer) under a sentence — before sentence, say, where the
    # practitioner writes the court report — has no allocation, RoSH or interval touch points (issue 15 §3).
    supervised = any(not terminated_by(event, facts) for event in facts.events)

    if supervised and facts.com_allocated and oversight.allocated_at is not None:
        at = oversight.allocated_at
        key = f"{PREFIX}allocation:{at.isoformat()}"
        if in_view(at, key, facts, policy):
            wanted.add(key)
            out.append(
                _touchpoint(
                    facts,
                    policy,
                    key,
                    "Oversight after allocation to a new practitioner",
                    at,
                    working_days_after(at, table.after_allocation_working_days),
                    "after_allocation",
                )
            )

    for event in facts.events:
        release = release_date(event) if event.custodial else None
        if release is None or terminated_by(event, facts):
            continue
        before_key = f"{PREFIX}event:{event.id}:before-release:{release.isoformat()}"
        opens = start_of_day(release - timedelta(days=table.before_release_opens_days))
        if in_view(opens, before_key, facts, policy):
            wanted.add(before_key)
            out.append(
                _touchpoint(
                    facts,
                    policy,
                    before_key,
                    f"Oversight before release on {release:%-d %B %Y}",
                    opens,
                    end_of_day(release - timedelta(days=table.before_release_due_days)),
                    "before_release",
                    event=event.id,
                    detail={"release": release.isoformat()},
                )
            )
        after_key = f"{PREFIX}event:{event.id}:after-release:{release.isoformat()}"
        released = start_of_day(release)
        if in_view(released, after_key, facts, policy):
            wanted.add(after_key)
            out.append(
                _touchpoint(
                    facts,
                    policy,
                    after_key,
                    f"Oversight after release on {release:%-d %B %Y}",
                    released,
                    working_days_after(released, table.after_release_working_days),
                    "after_release",
                    event=event.id,
                    detail={"release": release.isoformat()},
                )
            )

    for change in oversight.rosh_changes if supervised else ():
        if change.previous is None:
            continue  # a first rating is not a change (issue 15 try-out: importing a caseload opened one per case)
        key = f"{PREFIX}rosh:{change.id}"
        if not in_view(change.at, key, facts, policy):
            continue
        wanted.add(key)
        previous = change.previous.replace("_", " ").lower()
        out.append(
            _touchpoint(
                facts,
                policy,
                key,
                f"Oversight after RoSH changed from {previous} to {change.new.replace('_', ' ').lower()}",
                change.at,
                working_days_after(change.at, table.after_rosh_change_working_days),
                "after_rosh_change",
                detail={"previous": change.previous or "", "new": change.new},
            )
        )

    out += _interval_touchpoints(facts, policy, oversight, wanted) if supervised else []

    # A touch point still open whose trigger no longer stands (a release date moved, a sentence ended, a case no
    # longer held by an NQO): withdrawn with the reason, unless a note since it was opened already closed it.
    for key in sorted(k for k in facts.open_keys if k.startswith(PREFIX) and k not in wanted):
        out.append(
            _touchpoint(
                facts,
                policy,
                key,
                "Oversight touch point",
                facts.as_of,
                facts.as_of,
                key.removeprefix(PREFIX).split(":", 1)[0],
                withdrawn="its trigger no longer applies (release date changed, sentence ended, reallocated, "
                "or no longer held by a PQiP or NQO or high RoSH)",
            )
        )
    return out


def period_start(anchor: date, day: date, days: int) -> date:
    """The first day of the period of `days` days (counted from `anchor`) holding `day`."""
    return anchor + timedelta(days=((day - anchor).days // days) * days)


def _interval_touchpoints(
    facts: CaseFacts, policy: Policy, oversight: OversightFacts, wanted: set[str]
) -> list[Expected]:
    """At set intervals from the allocation: the current period and the one before it (a missed period stays open,
    overdue and escalating, and a late note still closes it). The shortest interval among the reasons applies."""
    reasons = interval_reasons(oversight)
    if not reasons or not facts.com_allocated or oversight.allocated_at is None:
        return []
    days = min(oversight.table.intervals_days[r] for r in reasons)
    why = "; ".join(INTERVAL_REASONS[r] for r in reasons)
    anchor = local_date(oversight.allocated_at)
    today = local_date(facts.as_of)
    if today < anchor:
        return []
    current = period_start(anchor, today, days)
    starts = [current] + ([current - timedelta(days=days)] if current - timedelta(days=days) >= anchor else [])
    out = []
    for start in sorted(starts):
        key = f"{PREFIX}interval:{start.isoformat()}:{days}d"
        wanted.add(key)
        end = start + timedelta(days=days)
        out.append(
            _touchpoint(
                facts,
                policy,
                key,
                f"Oversight every {days} days ({why}) by {end - timedelta(days=1):%-d %B %Y}",
                start_of_day(start),
                start_of_day(end),
                "interval",
                detail={"period_start": start.isoformat(), "interval_days": str(days), "reasons": ",".join(reasons)},
            )
        )
    return out

"""Contact levels (issue 14): a case under supervision in the community is seen at least as often as its region
expects for its tier and RoSH level, and visited at home as often as expected when its RoSH is high or very high or
it carries a domestic abuse flag. Each period whose expectation is not yet met is a CONTACT_LEVEL (or HOME_VISIT)
action that reminds and escalates like every other, and closes as soon as the contacts are recorded.

Source: HMPPS contact levels are set regionally by tier and RoSH (hmpps.md "contacts"; the probation service's
"tiering framework" sets minimum contacts by tier); the numbers are Keepsafe defaults in
actions/reference/contact-levels.json (docs/actions.md), configurable per region.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

from keepsafe.actions.rules.calendar import local_date, start_of_day
from keepsafe.actions.rules.checks import release_date
from keepsafe.actions.rules.common import default_escalations, default_reminders
from keepsafe.actions.rules.facts import (
    CaseFacts,
    ContactFacts,
    ContactLevelFacts,
    ContactLevelTable,
    EventFacts,
    Expectation,
)
from keepsafe.actions.rules.policy import Policy
from keepsafe.actions.rules.types import ActionType, Evidence, Expected, OwnerRole
from keepsafe.people.rules.vocabulary import CONTACT_MADE_OUTCOMES

HIGH_ROSH = frozenset({"HIGH", "VERY_HIGH"})
TIERS = frozenset("ABCDEFG")
ROSH_LEVELS = frozenset({"LOW", "MEDIUM", "HIGH", "VERY_HIGH"})


def table_from(data: Mapping[str, Any], where: str) -> ContactLevelTable:
    """A region's table from JSON; raises ValueError naming the bad entry."""

    def expectation(value: Any, path: str) -> Expectation:
        if not isinstance(value, Mapping) or set(value) != {"count", "period_days"}:
            raise ValueError(f"{path}: needs exactly `count` and `period_days`")
        count, days = value["count"], value["period_days"]
        if not (isinstance(count, int) and isinstance(days, int)) or isinstance(count, bool) or isinstance(days, bool):
            raise ValueError(f"{path}: `count` and `period_days` are whole numbers")
        if count < 1 or not 1 <= days <= 366:
            raise ValueError(f"{path}: `count` at least 1 and `period_days` 1 to 366")
        return Expectation(count, days)

    unknown = set(data) - {"by_tier", "by_rosh", "home_visits"}
    if unknown:
        raise ValueError(f"{where}: unknown keys {', '.join(sorted(unknown))}")
    by_tier = data.get("by_tier", {})
    by_rosh = data.get("by_rosh", {})
    if bad := set(by_tier) - TIERS:
        raise ValueError(f"{where}.by_tier: unknown tiers {', '.join(sorted(bad))}")
    if bad := set(by_rosh) - ROSH_LEVELS:
        raise ValueError(f"{where}.by_rosh: unknown RoSH levels {', '.join(sorted(bad))}")
    home = data.get("home_visits")
    return ContactLevelTable(
        by_tier={k: expectation(v, f"{where}.by_tier.{k}") for k, v in by_tier.items()},
        by_rosh={k: expectation(v, f"{where}.by_rosh.{k}") for k, v in by_rosh.items()},
        home_visits=expectation(home, f"{where}.home_visits") if home is not None else None,
    )


def tables_from(data: Mapping[str, Any]) -> tuple[ContactLevelTable, dict[str, ContactLevelTable]]:
    """The default table and each region's (a region's entry replaces the default's sections it names)."""
    if set(data) - {"default", "regions"} or "default" not in data:
        raise ValueError("contact levels: needs `default` and may have `regions`")
    default = data["default"]
    regions = {
        code: table_from({**default, **overrides}, f"regions.{code}")
        for code, overrides in data.get("regions", {}).items()
    }
    return table_from(default, "default"), regions


def stricter(a: Expectation | None, b: Expectation | None) -> Expectation | None:
    """The more demanding of two expectations: more contacts per day."""
    if a is None or b is None:
        return a or b
    return a if a.count / a.period_days >= b.count / b.period_days else b


def supervision_start(events: tuple[EventFacts, ...], today: date) -> date | None:
    """When supervision in the community began: the earliest start (a community sentence, a release) of an event in
    force in the community today; None when nobody is supervised in the community."""
    starts = []
    for event in events:
        start = release_date(event) if event.custodial else event.sentence_date
        ends = event.expiry
        if event.terminated is not None and event.terminated <= today:
            continue
        if start is not None and start <= today and (ends is None or ends >= today):
            starts.append(start)
    return min(starts) if starts else None


def period_of(anchor: date, day: date, days: int) -> date:
    """The first day of the period of `days` days (counted from `anchor`) holding `day`."""
    return anchor + timedelta(days=((day - anchor).days // days) * days)


def expectations(levels: ContactLevelFacts) -> tuple[Expectation | None, Expectation | None]:
    """A case's minimum contacts (the stricter of its tier's and its RoSH level's) and, for high or very high RoSH
    or a domestic abuse flag, its home visits: what the actions below enforce and the Risk tab shows."""
    minimum = stricter(levels.table.by_tier.get(levels.tier or ""), levels.table.by_rosh.get(levels.rosh or ""))
    visits = levels.table.home_visits if levels.rosh in HIGH_ROSH or levels.domestic_abuse else None
    return minimum, visits


def contact_level_actions(facts: CaseFacts, policy: Policy) -> list[Expected]:
    levels = facts.contact_levels
    if levels is None:
        return []
    today = local_date(facts.as_of)
    anchor = supervision_start(facts.events, today)
    made = [c for c in facts.contacts if c.outcome in CONTACT_MADE_OUTCOMES]
    out: list[Expected] = []
    minimum, home = expectations(levels)
    if minimum is not None:
        out += _periods(facts, policy, anchor, today, minimum, made, ActionType.CONTACT_LEVEL, "contact-level")
    if home is not None:
        visits = [c for c in made if c.type == "HOME_VISIT"]
        out += _periods(facts, policy, anchor, today, home, visits, ActionType.HOME_VISIT, "home-visit")
    return out


def _periods(
    facts: CaseFacts,
    policy: Policy,
    anchor: date | None,
    today: date,
    expected: Expectation,
    contacts: list[ContactFacts],
    kind: ActionType,
    prefix: str,
) -> list[Expected]:
    """The current period and the one before it (a missed period stays open, overdue and escalating, through the next
    one, then is withdrawn); any other period still open is withdrawn, as is everything when supervision ends."""
    out: list[Expected] = []
    current = period_of(anchor, today, expected.period_days) if anchor is not None else None
    wanted = [] if current is None or anchor is None else [current]
    if current is not None and anchor is not None and current - timedelta(days=expected.period_days) >= anchor:
        wanted.insert(0, current - timedelta(days=expected.period_days))
    keys = {f"{prefix}:{start.isoformat()}:{expected.count}/{expected.period_days}": start for start in wanted}
    for key in sorted(k for k in facts.open_keys if k.startswith(f"{prefix}:") and k not in keys):
        out.append(_withdrawn(key, kind, facts, "supervision in the community ended or the period passed", policy))
    for key, start in keys.items():
        end = start + timedelta(days=expected.period_days)
        opens, due = start_of_day(start), start_of_day(end)
        within = sorted((c for c in contacts if opens <= c.at < due and c.at <= facts.as_of), key=lambda c: c.at)
        satisfied = None
        if len(within) >= expected.count:
            last = within[expected.count - 1]
            satisfied = Evidence("contact", last.id, last.at, f"{len(within)} in the period")
        what = "home visit" if kind is ActionType.HOME_VISIT else "contact"
        plural = f"{expected.count} {what}{'s' if expected.count != 1 else ''}"
        out.append(
            Expected(
                type=kind,
                key=key,
                title=f"{plural} by {end - timedelta(days=1):%-d %B %Y}",
                owner=OwnerRole.COM,
                opens_at=opens,
                due=due,
                evidence_needed=f"At least {plural} that took place "
                f"between {start:%-d %B} and {end - timedelta(days=1):%-d %B %Y}",
                reminders=default_reminders(policy),
                escalations=default_escalations(policy),
                satisfied=satisfied,
                detail={"period_start": start.isoformat(), "required": str(expected.count), "made": str(len(within))},
            )
        )
    return out


def _withdrawn(key: str, kind: ActionType, facts: CaseFacts, why: str, policy: Policy) -> Expected:
    return Expected(
        type=kind,
        key=key,
        title="Contact level period",
        owner=OwnerRole.COM,
        opens_at=facts.as_of,
        due=facts.as_of,
        evidence_needed="",
        reminders=default_reminders(policy),
        escalations=default_escalations(policy),
        withdrawn=why,
    )

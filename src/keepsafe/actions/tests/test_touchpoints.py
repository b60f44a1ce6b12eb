"""Issue 15 ("overs"): management oversight touch points (actions/rules/touchpoints.py), exhaustively and as
properties over generated cases."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from keepsafe.actions.rules import facts as f
from keepsafe.actions.rules.calendar import start_of_day, working_days_after
from keepsafe.actions.rules.expected import expected_actions
from keepsafe.actions.rules.policy import DEFAULT_POLICY
from keepsafe.actions.rules.touchpoints import (
    INTERVAL_REASONS,
    PREFIX,
    table_from,
    tables_from,
    touchpoint_actions,
)
from keepsafe.actions.rules.types import ActionType, OwnerRole
from keepsafe.actions.touchpoint_facts import TOUCHPOINTS

TABLE = f.TouchpointTable(
    after_allocation_working_days=10,
    before_release_opens_days=28,
    before_release_due_days=7,
    after_release_working_days=10,
    after_rosh_change_working_days=5,
    intervals_days={"PQIP": 28, "NQO": 28, "VERY_HIGH": 28, "HIGH": 56},
)
ALLOCATED = datetime(2026, 11, 2, 9, tzinfo=UTC)  # a Monday


def _facts(
    as_of: datetime,
    *,
    allocated_at: datetime | None = ALLOCATED,
    holder: str | None = None,
    rosh: str | None = "MEDIUM",
    changes: tuple[f.RoshChangeFacts, ...] = (),
    notes: tuple[datetime, ...] = (),
    events: tuple[f.EventFacts, ...] | None = None,
    open_keys: frozenset[str] = frozenset(),
    com_allocated: bool = True,
) -> f.CaseFacts:
    return f.CaseFacts(
        crn="X000001",
        as_of=as_of,
        com_allocated=com_allocated,
        events=(SUPERVISED,) if events is None else events,
        open_keys=open_keys,
        oversight=f.OversightFacts(
            table=TABLE,
            allocated_at=allocated_at,
            holder=holder,
            rosh=rosh,
            rosh_changes=changes,
            notes=tuple(f.ContactFacts(f"OVS-{i}", "SPO_OVERSIGHT", at, None) for i, at in enumerate(notes)),
        ),
    )


def _kinds(expected):
    return {e.detail["touchpoint"]: e for e in expected}


SUPERVISED = f.EventFacts(id="E0", sentence_type="COMMUNITY_ORDER", sentence_date=date(2026, 1, 5))


def _custody(release: date) -> f.EventFacts:
    return f.EventFacts(
        id="E1", sentence_type="DETERMINATE_CUSTODY", sentence_date=date(2025, 1, 6), conditional_release=release
    )


# --- each trigger ----------------------------------------------------------------------------------------------------


def test_after_allocation_opens_at_allocation_and_is_due_in_ten_working_days():
    as_of = ALLOCATED + timedelta(days=1)
    tp = _kinds(touchpoint_actions(_facts(as_of), DEFAULT_POLICY))["after_allocation"]
    assert tp.type is ActionType.OVERSIGHT_TOUCHPOINT
    assert tp.owner is OwnerRole.SPO
    assert tp.opens_at == ALLOCATED
    assert tp.due == working_days_after(ALLOCATED, 10)
    assert tp.satisfied is None
    assert tp.withdrawn is None


def test_a_note_after_allocation_closes_it_and_one_before_does_not():
    as_of = ALLOCATED + timedelta(days=3)
    before = _kinds(touchpoint_actions(_facts(as_of, notes=(ALLOCATED - timedelta(hours=1),)), DEFAULT_POLICY))
    assert before["after_allocation"].satisfied is None
    after = _kinds(touchpoint_actions(_facts(as_of, notes=(ALLOCATED + timedelta(days=2),)), DEFAULT_POLICY))
    assert after["after_allocation"].satisfied is not None
    assert after["after_allocation"].satisfied.ref == "OVS-0"


def test_a_note_recorded_later_than_the_instant_does_not_count_yet():
    as_of = ALLOCATED + timedelta(days=1)
    tp = _kinds(touchpoint_actions(_facts(as_of, notes=(as_of + timedelta(hours=1),)), DEFAULT_POLICY))
    assert tp["after_allocation"].satisfied is None


def test_no_allocation_touch_point_for_an_unallocated_case_or_an_unknown_allocation_instant():
    as_of = ALLOCATED + timedelta(days=1)
    assert "after_allocation" not in _kinds(touchpoint_actions(_facts(as_of, com_allocated=False), DEFAULT_POLICY))
    assert "after_allocation" not in _kinds(touchpoint_actions(_facts(as_of, allocated_at=None), DEFAULT_POLICY))


def test_an_allocation_older_than_the_look_back_opens_nothing():
    as_of = ALLOCATED + timedelta(days=DEFAULT_POLICY.trigger_lookback_days + 1)
    assert "after_allocation" not in _kinds(touchpoint_actions(_facts(as_of), DEFAULT_POLICY))


def test_before_release_opens_28_days_before_and_is_due_7_days_before():
    release = date(2026, 12, 21)
    as_of = datetime(2026, 11, 24, 12, tzinfo=UTC)
    tp = _kinds(touchpoint_actions(_facts(as_of, events=(_custody(release),)), DEFAULT_POLICY))
    before = tp["before_release"]
    assert before.opens_at == start_of_day(release - timedelta(days=28))
    assert before.due == start_of_day(release - timedelta(days=6))  # the end of the day 7 days before
    assert before.event == "E1"
    assert "after_release" not in tp  # not released yet


def test_before_release_is_not_open_earlier_than_28_days_before():
    release = date(2026, 12, 21)
    as_of = datetime(2026, 11, 22, 12, tzinfo=UTC)
    assert "before_release" not in _kinds(
        touchpoint_actions(_facts(as_of, events=(_custody(release),)), DEFAULT_POLICY)
    )


def test_after_release_opens_on_release_day_and_a_note_before_release_does_not_close_it():
    release = date(2026, 11, 16)
    note_before = datetime(2026, 11, 10, 10, tzinfo=UTC)
    as_of = datetime(2026, 11, 18, 12, tzinfo=UTC)
    tp = _kinds(touchpoint_actions(_facts(as_of, events=(_custody(release),), notes=(note_before,)), DEFAULT_POLICY))
    assert tp["before_release"].satisfied is not None
    assert tp["after_release"].satisfied is None
    assert tp["after_release"].due == working_days_after(start_of_day(release), 10)


def test_a_terminated_sentence_has_no_release_touch_points():
    release = date(2026, 11, 16)
    event = replace(_custody(release), terminated=date(2026, 11, 1))
    as_of = datetime(2026, 11, 18, 12, tzinfo=UTC)
    kinds = _kinds(touchpoint_actions(_facts(as_of, events=(event,)), DEFAULT_POLICY))
    assert "before_release" not in kinds
    assert "after_release" not in kinds


def test_a_community_sentence_has_no_release_touch_points():
    event = f.EventFacts(id="E2", sentence_type="COMMUNITY_ORDER", sentence_date=date(2026, 11, 1))
    as_of = datetime(2026, 11, 18, 12, tzinfo=UTC)
    kinds = _kinds(touchpoint_actions(_facts(as_of, events=(event,)), DEFAULT_POLICY))
    assert "before_release" not in kinds
    assert "after_release" not in kinds


def test_a_rosh_change_opens_a_touch_point_due_in_five_working_days():
    at = datetime(2026, 11, 20, 15, tzinfo=UTC)
    change = f.RoshChangeFacts("7", at, "MEDIUM", "HIGH")
    tp = _kinds(touchpoint_actions(_facts(at + timedelta(hours=1), changes=(change,)), DEFAULT_POLICY))
    rosh = tp["after_rosh_change"]
    assert rosh.key == f"{PREFIX}rosh:7"
    assert rosh.due == working_days_after(at, 5)
    assert "medium to high" in rosh.title


@pytest.mark.parametrize(
    ("holder", "rosh", "days"),
    [
        ("PQIP", "LOW", 28),
        ("NQO", "MEDIUM", 28),
        (None, "HIGH", 56),
        (None, "VERY_HIGH", 28),
        ("NQO", "HIGH", 28),  # the shortest interval applies
        (None, "MEDIUM", None),
        (None, None, None),
    ],
)
def test_intervals_for_trainees_newly_qualified_and_high_rosh(holder, rosh, days):
    as_of = ALLOCATED + timedelta(days=40)
    expected = touchpoint_actions(_facts(as_of, holder=holder, rosh=rosh), DEFAULT_POLICY)
    intervals = [e for e in expected if e.detail["touchpoint"] == "interval"]
    if days is None:
        assert intervals == []
        return
    # Period 2 (days 28-55 for 28) is current, period 1 before it; for 56 days only the current one.
    assert {e.detail["interval_days"] for e in intervals} == {str(days)}
    current = max(intervals, key=lambda e: e.opens_at)
    assert current.opens_at <= as_of < current.due
    assert (current.due - current.opens_at).days == days
    assert len(intervals) == (2 if days == 28 else 1)


def test_a_missed_interval_stays_open_and_a_late_note_closes_it_and_the_current_one():
    as_of = ALLOCATED + timedelta(days=40)
    missed = touchpoint_actions(_facts(as_of, holder="PQIP"), DEFAULT_POLICY)
    previous = min((e for e in missed if e.detail["touchpoint"] == "interval"), key=lambda e: e.opens_at)
    assert previous.due <= as_of
    assert previous.satisfied is None
    late = touchpoint_actions(_facts(as_of, holder="PQIP", notes=(as_of - timedelta(hours=1),)), DEFAULT_POLICY)
    assert all(e.satisfied is not None for e in late if e.detail["touchpoint"] == "interval")


def test_an_interval_no_longer_needed_is_withdrawn_and_an_older_period_too():
    as_of = ALLOCATED + timedelta(days=40)
    stale = f"{PREFIX}interval:2026-11-02:28d"
    older = f"{PREFIX}interval:2026-10-05:28d"
    out = touchpoint_actions(_facts(as_of, holder=None, open_keys=frozenset({stale})), DEFAULT_POLICY)
    assert [e.withdrawn is not None for e in out if e.key == stale] == [True]
    out = touchpoint_actions(_facts(as_of, holder="PQIP", open_keys=frozenset({older})), DEFAULT_POLICY)
    assert [e.withdrawn is not None for e in out if e.key == older] == [True]


def test_a_moved_release_date_withdraws_the_old_touch_point_unless_a_note_closed_it():
    as_of = datetime(2026, 11, 24, 12, tzinfo=UTC)
    old = f"{PREFIX}event:E1:before-release:2026-12-14"
    out = touchpoint_actions(
        _facts(as_of, events=(_custody(date(2026, 12, 21)),), open_keys=frozenset({old})), DEFAULT_POLICY
    )
    assert next(e.withdrawn for e in out if e.key == old)


def test_no_oversight_facts_no_touch_points():
    facts = replace(_facts(ALLOCATED + timedelta(days=1)), oversight=None)
    assert touchpoint_actions(facts, DEFAULT_POLICY) == []


def test_expected_actions_includes_touch_points():
    expected = expected_actions(_facts(ALLOCATED + timedelta(days=1)), DEFAULT_POLICY)
    assert ActionType.OVERSIGHT_TOUCHPOINT in {e.type for e in expected}


# --- the table in data -----------------------------------------------------------------------------------------------


def test_the_reference_table_is_valid_and_every_reason_has_an_interval():
    default, regions = tables_from(json.loads(TOUCHPOINTS.read_text(encoding="utf-8")))
    assert set(default.intervals_days) == set(INTERVAL_REASONS)
    assert default.before_release_due_days < default.before_release_opens_days
    assert all(isinstance(t, f.TouchpointTable) for t in regions.values())


def test_a_region_overrides_only_what_it_names():
    data = json.loads(TOUCHPOINTS.read_text(encoding="utf-8"))
    data["regions"] = {"GMR": {"after_allocation_working_days": 3}}
    default, regions = tables_from(data)
    assert regions["GMR"].after_allocation_working_days == 3
    assert regions["GMR"].intervals_days == default.intervals_days


GOOD = {
    "after_allocation_working_days": 10,
    "before_release_opens_days": 28,
    "before_release_due_days": 7,
    "after_release_working_days": 10,
    "after_rosh_change_working_days": 5,
    "intervals_days": {"PQIP": 28},
}


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"surprise": 1}, "unknown keys surprise"),
        ({"intervals_days": {"TRAINEE": 28}}, "unknown reasons TRAINEE"),
        ({"intervals_days": {"PQIP": 3}}, r"intervals_days.PQIP: a whole number from 7"),
        ({"after_allocation_working_days": 0}, "after_allocation_working_days"),
        ({"after_allocation_working_days": True}, "after_allocation_working_days"),
        ({"before_release_due_days": 30}, "must be less than before_release_opens_days"),
        ({"intervals_days": [28]}, "needs an object"),
    ],
)
def test_a_bad_table_names_the_entry(change, words):
    with pytest.raises(ValueError, match=words):
        table_from(GOOD | change, "regions.GMR")


def test_a_table_missing_an_entry_names_it():
    with pytest.raises(ValueError, match="missing after_release_working_days"):
        table_from({k: v for k, v in GOOD.items() if k != "after_release_working_days"}, "default")


# --- properties over generated cases ---------------------------------------------------------------------------------

instants = st.datetimes(
    min_value=datetime(2026, 6, 1),  # noqa: DTZ001 — hypothesis bounds are naive
    max_value=datetime(2027, 6, 1),  # noqa: DTZ001
    timezones=st.just(UTC),
)


@st.composite
def cases(draw):
    as_of = draw(instants)
    allocated = draw(st.none() | instants.filter(lambda t: t <= as_of))
    releases = draw(st.lists(st.dates(date(2026, 5, 1), date(2027, 8, 1)), max_size=2, unique=True))
    events = tuple(
        f.EventFacts(id=f"E{i}", sentence_type="DETERMINATE_CUSTODY", sentence_date=date(2025, 1, 1), release=r)
        for i, r in enumerate(releases)
    )
    change_times = draw(st.lists(instants, max_size=3, unique=True))
    changes = tuple(f.RoshChangeFacts(str(i), t, "MEDIUM", "HIGH") for i, t in enumerate(change_times))
    notes = tuple(draw(st.lists(instants, max_size=4)))
    return _facts(
        as_of,
        allocated_at=allocated,
        holder=draw(st.sampled_from([None, "PQIP", "NQO"])),
        rosh=draw(st.sampled_from([None, "LOW", "MEDIUM", "HIGH", "VERY_HIGH"])),
        changes=changes,
        notes=notes,
        events=events,
        com_allocated=draw(st.booleans()),
    )


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases())
def test_every_touch_point_is_the_spos_with_a_unique_key_and_is_never_both_closed_and_withdrawn(facts):
    out = touchpoint_actions(facts, DEFAULT_POLICY)
    assert len({e.key for e in out}) == len(out)
    for e in out:
        assert e.type is ActionType.OVERSIGHT_TOUCHPOINT
        assert e.owner is OwnerRole.SPO  # resolved to the COM's line manager, or the next who may see the case
        assert e.key.startswith(PREFIX)
        assert not (e.satisfied is not None and e.withdrawn is not None)
        assert e.opens_at <= facts.as_of
        if e.satisfied is not None:
            # closed by a note recorded at or after the trigger and by the instant: never also overdue
            assert e.opens_at <= e.satisfied.at <= facts.as_of
            assert e.satisfied.kind == "contact"


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases(), st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=30)))
def test_a_note_after_every_trigger_closes_every_touch_point(facts, delay):
    before = touchpoint_actions(facts, DEFAULT_POLICY)
    if not before:
        return
    note_at = max(e.opens_at for e in before) + delay
    later = replace(facts, as_of=max(facts.as_of, note_at))
    assert later.oversight is not None
    noted = replace(
        later,
        oversight=replace(
            later.oversight, notes=(*later.oversight.notes, f.ContactFacts("OVS-N", "SPO_OVERSIGHT", note_at, None))
        ),
    )
    # Every touch point open at `facts.as_of` and still called for at the later instant is closed by the note.
    keys = {e.key for e in before}
    after = {e.key: e for e in touchpoint_actions(replace(noted, open_keys=frozenset(keys)), DEFAULT_POLICY)}
    for key in keys:
        assert after[key].satisfied is not None or after[key].withdrawn is not None


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases())
def test_notes_recorded_before_a_trigger_never_close_it(facts):
    for e in touchpoint_actions(facts, DEFAULT_POLICY):
        assert facts.oversight is not None
        if all(n.at < e.opens_at for n in facts.oversight.notes):
            assert e.satisfied is None


def test_a_first_rosh_rating_is_not_a_change() -> None:
    """Issue 15 try-out: importing a caseload (each case's first RoSH, from none) opened an "after RoSH changed" touch
    point on every case and escalations to the ACO; only a change from one rating to another opens one."""
    at = datetime(2026, 11, 25, 9, tzinfo=UTC)
    first = f.RoshChangeFacts("R0", at, None, "HIGH")
    then = f.RoshChangeFacts("R1", at + timedelta(days=2), "HIGH", "VERY_HIGH")
    out = touchpoint_actions(_facts(at + timedelta(days=3), changes=(first, then)), DEFAULT_POLICY)
    assert sorted(e.key for e in out if e.detail["touchpoint"] == "after_rosh_change") == [f"{PREFIX}rosh:R1"]


def test_no_sentence_no_supervision_touch_points() -> None:
    """Before sentence (a court report being written) or after every sentence ended, the practitioner is not
    supervising: no allocation, RoSH-change or interval touch point opens, and one still open is withdrawn."""
    as_of = datetime(2026, 12, 1, 12, tzinfo=UTC)
    change = f.RoshChangeFacts("R1", datetime(2026, 11, 25, 9, tzinfo=UTC), "MEDIUM", "HIGH")
    facts = _facts(as_of, events=(), holder="NQO", rosh="HIGH", changes=(change,))
    assert [e for e in touchpoint_actions(facts, DEFAULT_POLICY) if e.withdrawn is None] == []
    ended = f.EventFacts(
        id="E9", sentence_type="COMMUNITY_ORDER", sentence_date=date(2025, 1, 6), terminated=date(2026, 6, 1)
    )
    open_key = "oversight:rosh:R1"
    withdrawn = touchpoint_actions(
        _facts(as_of, events=(ended,), changes=(change,), open_keys=frozenset({open_key})), DEFAULT_POLICY
    )
    assert [(e.key, e.withdrawn is not None) for e in withdrawn] == [(open_key, True)]

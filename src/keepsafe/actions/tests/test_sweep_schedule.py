"""Issue 20 §2, incremental by default (helper "sweep3"): the worker's scheduled sweeps and `keepsafe sweep` visit
only dirty or due cases, except the day's full sweep, the safety net: the first scheduled sweep at or after
KEEPSAFE_FULL_SWEEP_HOUR (London) each day visits every case, unless a live full sweep already started since then."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from hypothesis import given
from hypothesis import strategies as st

from keepsafe.actions.models import SweepRun
from keepsafe.actions.rules.calendar import LONDON
from keepsafe.actions.services.worker import full_sweep_anchor, full_sweep_due, schedule_sweep
from keepsafe.core import clock

WINTER = datetime(2026, 11, 23, 0, 5, tzinfo=UTC)  # GMT: London = UTC
SUMMER = datetime(2026, 6, 23, 23, 5, tzinfo=UTC)  # BST: 00:05 London on 24 June


@given(
    now=st.datetimes(min_value=datetime(2025, 1, 1), max_value=datetime(2030, 12, 31), timezones=st.just(UTC)),  # noqa: DTZ001
    hour=st.integers(min_value=0, max_value=23),
)
def test_the_anchor_is_the_latest_instant_london_s_clocks_showed_the_hour(now, hour):
    anchor = full_sweep_anchor(now, hour)
    assert anchor <= now
    assert now - anchor < timedelta(hours=25)  # a day, or a day and an hour across a clock change
    local = anchor.astimezone(LONDON)
    if hour != 1:  # 01:00 does not exist in London on the day the clocks go forward
        assert (local.hour, local.minute, local.second) == (hour, 0, 0)


def kind(run: SweepRun | None) -> str | None:
    return None if run is None else "full" if run.full else "incremental"


@pytest.fixture
def schedule(monkeypatch):
    """`schedule_sweep` as the worker calls it, with the clock at that instant (a run's `started_at`)."""

    def at(now: datetime) -> SweepRun | None:
        monkeypatch.setattr(clock, "now", lambda: now)
        return schedule_sweep(now)

    return at


@pytest.mark.django_db
@pytest.mark.parametrize("midnight", [WINTER, SUMMER])
def test_the_first_scheduled_sweep_after_london_midnight_is_full_and_the_rest_of_the_day_incremental(
    midnight, settings, schedule
):
    settings.KEEPSAFE_FULL_SWEEP_HOUR = 0
    settings.KEEPSAFE_SWEEP_EVERY_MINUTES = 60
    # The evening before: a full sweep is due (none has run since the previous midnight).
    evening = schedule(midnight - timedelta(hours=2))
    assert kind(evening) == "full"
    later = schedule(midnight - timedelta(hours=1))
    assert kind(later) == "incremental"
    first = schedule(midnight)
    assert kind(first) == "full", "the first sweep of the London day visits every case"
    assert schedule(midnight + timedelta(minutes=20)) is None  # the same period: taken
    kinds = [schedule(midnight + timedelta(hours=h)) for h in range(1, 24)]
    assert [kind(run) for run in kinds] == ["incremental"] * 23
    # Each was queued (the test settings run tasks at once): every scheduled sweep finished.
    assert SweepRun.objects.filter(finished_at__isnull=False).count() == SweepRun.objects.count() == 26


@pytest.mark.django_db
def test_a_worker_down_at_the_hour_runs_the_full_sweep_at_its_first_period_after(settings, schedule):
    settings.KEEPSAFE_FULL_SWEEP_HOUR = 2
    at_one = schedule(WINTER + timedelta(hours=1))  # 01:05: the day's full sweep is the one after 02:00...
    assert kind(at_one) == "full"  # ...but none has run since 02:00 yesterday either
    at_one_thirty = WINTER + timedelta(hours=1, minutes=30)
    assert not full_sweep_due(at_one_thirty)
    # The worker was down from 01:05 to 09:05; its first period after 02:00 is full.
    nine = schedule(WINTER + timedelta(hours=9))
    assert kind(nine) == "full"
    ten = schedule(WINTER + timedelta(hours=10))
    assert kind(ten) == "incremental"


@pytest.mark.django_db
def test_what_counts_as_the_day_s_full_sweep(settings):
    settings.KEEPSAFE_FULL_SWEEP_HOUR = 0
    now = WINTER + timedelta(hours=5)
    started = WINTER + timedelta(hours=1)

    def run(**fields) -> SweepRun:
        return SweepRun.objects.create(started_at=started, heartbeat_at=started, **fields)

    assert full_sweep_due(now)
    replay = run(full=True, as_of=started - timedelta(days=30), finished_at=started)
    assert full_sweep_due(now), "a replay of the past is not the live safety net"
    by_hand_crashed = run(full=True)
    assert full_sweep_due(now), "a `keepsafe sweep --full` that never finished covered nobody for certain"
    incremental = run(full=False, period="sweep:2026-11-23T01:00", finished_at=started)
    assert full_sweep_due(now)
    run(full=True, finished_at=started)
    assert not full_sweep_due(now), "`keepsafe sweep --full` run by hand and finished today"
    SweepRun.objects.exclude(pk__in=[replay.pk, by_hand_crashed.pk, incremental.pk]).delete()
    run(full=True, period="sweep:2026-11-23T02:00")  # scheduled, still running (or to be carried on)
    assert not full_sweep_due(now)
    assert full_sweep_due(now + timedelta(days=1)), "yesterday's full sweep does not cover today"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("args", "full"),
    [
        ([], False),
        (["--full"], True),
        (["--incremental"], False),
        (["--as-of", "2026-11-23T09:00:00Z"], True),
        (["--as-of", "2026-11-23T09:00:00Z", "--incremental"], False),
        (["--as-of", "2026-11-23T09:00:00Z", "--full"], True),
    ],
)
def test_keepsafe_sweep_is_incremental_unless_full_is_asked_for_or_an_instant_is_replayed(args, full):
    out = StringIO()
    call_command("sweep", "--no-email", "--json", *args, stdout=out)
    assert json.loads(out.getvalue())["full"] is full
    assert SweepRun.objects.get().full is full


@pytest.mark.django_db
def test_keepsafe_sweep_refuses_both_kinds_at_once():
    with pytest.raises(CommandError, match="choose one"):
        call_command("sweep", "--full", "--incremental")
    assert not SweepRun.objects.exists()


@pytest.mark.django_db
def test_keepsafe_sweep_sends_every_waiting_notification_not_a_first_batch(monkeypatch):
    """No silent cap: the command delivers in batches until nothing waits (it used to stop at 100,000)."""
    from keepsafe.cli.management.commands import sweep as command

    batches = iter([(1000, 0), (1000, 3), (250, 1), (0, 0)])
    calls = []

    def deliver(limit):
        calls.append(limit)
        return next(batches)

    monkeypatch.setattr(command, "deliver", deliver)
    out = StringIO()
    call_command("sweep", "--json", stdout=out)
    assert json.loads(out.getvalue())["emails_sent"] == 2250
    assert len(calls) == 4

    monkeypatch.setattr(command, "deliver", lambda limit: pytest.fail("--no-email sends nothing"))
    out = StringIO()
    call_command("sweep", "--json", "--no-email", stdout=out)
    assert json.loads(out.getvalue())["emails_sent"] == 0

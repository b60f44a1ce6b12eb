"""The durable worker: a sweep killed half-way (SIGKILL, no chance to clean up) is recovered by the next worker,
which carries on from where it stopped; the result has no duplicates and loses nothing against an uninterrupted run.
Real processes against real SQLite files, as an operator runs them."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from keepsafe.testing.fixtures import copy_sqlite

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="needs POSIX signals")

KEEPSAFE = [sys.executable, "-c", "from keepsafe.cli import main; main()"]

# Every process of a test sees the same day and one sweep period a day: a run that crossed an hour (the default
# period) started a second scheduled sweep in the recovering worker, and the test read two rows where it meant one.
PINNED = {"KEEPSAFE_TODAY": datetime.now(tz=UTC).date().isoformat(), "KEEPSAFE_SWEEP_EVERY_MINUTES": "1440"}


def run(db: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*KEEPSAFE, *args], env=_env(db, **env), capture_output=True, text=True, timeout=600, check=True
    )


def _env(db: Path, **extra: str) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "keepsafe.config.settings.local",
        "DATABASE_URL": f"sqlite:///{db}",
        "KEEPSAFE_LOG_LEVEL": "WARNING",
        **PINNED,
        **extra,
    }


# A whole copy, its -wal file too (a plain file copy lost the incremental test's dirty marks once the demo grew).
copy_db = copy_sqlite


def query(db: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql).fetchall()


ACTIONS = (
    "select p.crn, a.key, a.type, a.status, a.due, a.owner_id from actions_action a "
    "join people_person p on p.id = a.person_id order by p.crn, a.key"
)


@pytest.fixture(scope="module")
def seeded(tmp_path_factory, demo_file: Path) -> Path:
    db = tmp_path_factory.mktemp("worker") / "seed.sqlite3"
    copy_db(demo_file, db)  # the demo region, 250 people (conftest.py)
    # The demo queues nothing for the worker but a sweep; start both runs from the same empty action table (without
    # the actions the demo's replayed past sweeps left for its flag-review history, demo/seed.demo_flag_review_replay).
    with sqlite3.connect(db) as conn:
        for table in ("actions_notification", "actions_actionlog", "actions_action", "actions_casesweep"):
            conn.execute(f"delete from {table}")  # noqa: S608 (our own table names)
    assert query(db, "select count(*) from actions_action") == [(0,)]
    return db


def test_a_worker_killed_half_way_through_a_sweep_is_recovered_with_no_duplicates_and_nothing_lost(seeded, tmp_path):
    reference, killed = tmp_path / "reference.sqlite3", tmp_path / "killed.sqlite3"
    copy_db(seeded, reference)
    copy_db(seeded, killed)
    run(reference, "sweep", "--no-email")
    expected = query(reference, ACTIONS)
    assert len(expected) > 100

    # Small chunks (a chunk is one transaction) so that the kill lands half-way through the sweep.
    worker = subprocess.Popen(
        [*KEEPSAFE, "worker", "--interval", "0.2"],
        env=_env(killed, KEEPSAFE_SWEEP_CHUNK="20"),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 120
        done = 0
        while time.monotonic() < deadline:
            rows = query(killed, "select cases from actions_sweeprun") if killed.exists() else []
            done = rows[0][0] if rows else 0
            if done >= 60:
                break
            time.sleep(0.05)
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=30)
    finally:
        if worker.poll() is None:
            worker.kill()
    ((cases, finished),) = query(killed, "select cases, finished_at from actions_sweeprun")
    assert 60 <= cases < 250, "the kill must land half-way through the sweep"
    assert finished is None
    assert query(killed, "select status from django_tasks_database_dbtaskresult where task_path like '%sweep'") == [
        ("RUNNING",)
    ]
    partial = query(killed, ACTIONS)
    assert 0 < len(partial) < len(expected)

    time.sleep(1.5)  # let the lost worker's lease pass
    run(killed, "worker", "--until-idle", "--interval", "0", KEEPSAFE_TASK_LEASE_SECONDS="1")

    ((cases, finished),) = query(killed, "select cases, finished_at from actions_sweeprun")
    assert finished is not None
    assert cases == 250
    assert query(killed, "select status from django_tasks_database_dbtaskresult where task_path like '%sweep'") == [
        ("SUCCESSFUL",)
    ]
    recovered = query(killed, ACTIONS)
    assert recovered == expected  # nothing lost, nothing extra
    assert query(
        killed, "select count(*) from (select person_id, key from actions_action group by 1, 2 having count(*) > 1)"
    ) == [(0,)]
    # Each reminder instant was logged once even for the cases reconciled twice round the crash.
    assert query(
        killed,
        "select count(*) from (select action_id, slot from actions_actionlog "
        "where kind='REMINDED' group by 1, 2 having count(*) > 1)",
    ) == [(0,)]


# --- issue 20 §2 (helper "sweep3"): the worker's sweep is incremental by default --------------------------------------
NOTIFICATIONS = (
    "select p.crn, a.key, n.recipient_id, n.kind, n.subject from actions_notification n "
    "join actions_action a on a.id = n.action_id join people_person p on p.id = a.person_id "
    "order by 1, 2, 3, 4, 5"
)
DIRTY = "select count(*) from actions_casesweep where marks > seen_marks"


def test_a_worker_killed_half_way_through_an_incremental_sweep_loses_no_dirty_mark_and_reminds_once(seeded, tmp_path):
    """Every case reconciled by a full sweep (which is also the day's full sweep, so the worker's next one is
    incremental); then 150 cases are changed and marked dirty as a write marks them. A worker killed half-way
    through its incremental sweep, then a new worker, leave exactly the actions and notifications of one
    uninterrupted `keepsafe sweep` (incremental too): each dirty case swept, none reminded twice."""
    base = tmp_path / "base.sqlite3"
    copy_db(seeded, base)
    run(base, "sweep", "--full", "--no-email")
    assert query(base, DIRTY) == [(0,)]
    with sqlite3.connect(base) as conn:
        conn.execute("create temp table changed as select id from people_person order by id limit 150 offset 50")
        changed = {crn for (crn,) in conn.execute("select crn from people_person where id in (select id from changed)")}
        had_actions = {  # (a case may need no action at all: it must have none again)
            crn
            for (crn,) in conn.execute(
                "select distinct p.crn from actions_action a join people_person p on p.id = a.person_id "
                "where a.person_id in (select id from changed)"
            )
        }
        # The change: the cases' actions gone (every one must come back), and the mark a write leaves.
        theirs = "select id from actions_action where person_id in (select id from changed)"
        for sql in (
            f"delete from actions_notification where action_id in ({theirs})",  # noqa: S608 (fixed text)
            f"delete from actions_actionlog where action_id in ({theirs})",  # noqa: S608 (fixed text)
            "delete from actions_action where person_id in (select id from changed)",
            "update actions_casesweep set marks = marks + 1 where person_id in (select id from changed)",
        ):
            conn.execute(sql)
    assert query(base, DIRTY) == [(150,)]
    reference, killed = tmp_path / "reference.sqlite3", tmp_path / "killed.sqlite3"
    copy_db(base, reference)
    copy_db(base, killed)

    run(reference, "sweep", "--no-email")
    ((full, cases),) = query(reference, "select full, cases from actions_sweeprun order by id desc limit 1")
    assert full == 0
    assert 150 <= cases < 250
    assert query(reference, DIRTY) == [(0,)]
    expected, told = query(reference, ACTIONS), query(reference, NOTIFICATIONS)
    assert had_actions
    assert {crn for crn, *_ in expected} & changed == had_actions

    worker = subprocess.Popen(
        [*KEEPSAFE, "worker", "--interval", "0.2"],
        env=_env(killed, KEEPSAFE_SWEEP_CHUNK="10"),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    scheduled = "select full, cases, finished_at from actions_sweeprun where period is not null"
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            rows = query(killed, scheduled)
            if rows and rows[0][1] >= 40:
                break
            time.sleep(0.02)
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=30)
    finally:
        if worker.poll() is None:
            worker.kill()
    ((full, cases, finished),) = query(killed, scheduled)
    assert full == 0, "the worker's sweep is incremental once the day's full sweep has run"
    assert finished is None
    assert 40 <= cases < 150, "the kill must land half-way through the sweep"
    ((dirty,),) = query(killed, DIRTY)
    assert 0 < dirty < 150  # the cases after the cursor are still marked

    time.sleep(1.5)  # let the lost worker's lease pass
    run(killed, "worker", "--until-idle", "--interval", "0", KEEPSAFE_TASK_LEASE_SECONDS="1")

    ((full, finished),) = query(killed, "select full, finished_at from actions_sweeprun where period is not null")
    assert (full, finished is not None) == (0, True)
    assert query(killed, DIRTY) == [(0,)]  # no mark lost: every case marked before the crash was swept after it
    assert query(killed, ACTIONS) == expected
    assert query(killed, NOTIFICATIONS) == told  # nothing lost, nothing twice
    assert query(
        killed,
        "select count(*) from (select action_id, slot from actions_actionlog "
        "where kind='REMINDED' group by 1, 2 having count(*) > 1)",
    ) == [(0,)]

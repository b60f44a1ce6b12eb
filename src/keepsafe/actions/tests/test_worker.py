"""The durable worker: a sweep killed half-way (SIGKILL, no chance to clean up) is recovered by the next worker,
which carries on from where it stopped; the result has no duplicates and loses nothing against an uninterrupted run.
Real processes against real SQLite files, as an operator runs them."""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="needs POSIX signals")

KEEPSAFE = [sys.executable, "-c", "from keepsafe.cli import main; main()"]


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
        **extra,
    }


def query(db: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql).fetchall()


ACTIONS = (
    "select p.crn, a.key, a.type, a.status, a.due, a.owner_id from actions_action a "
    "join people_person p on p.id = a.person_id order by p.crn, a.key"
)


@pytest.fixture(scope="module")
def seeded(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("worker") / "seed.sqlite3"
    run(db, "migrate", "--no-input", "-v0")
    run(db, "demo", "--people", "250")
    # The demo queues nothing for the worker but a sweep; start both runs from the same empty action table.
    assert query(db, "select count(*) from actions_action") == [(0,)]
    return db


def test_a_worker_killed_half_way_through_a_sweep_is_recovered_with_no_duplicates_and_nothing_lost(seeded, tmp_path):
    reference, killed = tmp_path / "reference.sqlite3", tmp_path / "killed.sqlite3"
    shutil.copy(seeded, reference)
    shutil.copy(seeded, killed)
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

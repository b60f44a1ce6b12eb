"""Issue 11 §12: while a sweep runs, the embedded SQLite service keeps serving sign-ins and form posts (WAL, a busy
timeout, short transactions, and a sweep that leaves the write lock free for a moment now and then). Real processes
on a real file, as the demo runs them."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.db import OperationalError

from keepsafe.actions.tests.test_worker import KEEPSAFE, _env, copy_db, query
from keepsafe.core import dbturns

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="real processes")


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory, demo_file: Path) -> Path:
    db = tmp_path_factory.mktemp("busy") / "demo.sqlite3"
    copy_db(demo_file, db)  # the demo region, 250 people (conftest.py)
    return db


def test_sign_in_and_form_posts_succeed_while_a_sweep_runs(demo_db):
    env = _env(demo_db, KEEPSAFE_ALLOWED_HOSTS="testserver")
    assert query(demo_db, "pragma journal_mode") == [("wal",)]
    ((checks_before,),) = query(demo_db, "select count(*) from sharing_checkrequest")  # the demo's own history
    # The bulk sweep clears 250 cases before a probe process has started, so this sweep takes one case per chunk:
    # as many write transactions as the per-case sweep had, each taking its turn (the probe must meet them).
    sweep = subprocess.Popen(
        [*KEEPSAFE, "sweep", "--no-email"],
        env={**env, "KEEPSAFE_SWEEP_CHUNK": "1"},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 120
        while not query(demo_db, "select cases from actions_sweeprun where cases > 0"):
            assert sweep.poll() is None, sweep.stderr.read().decode() if sweep.stderr else ""
            assert time.monotonic() < deadline, "the sweep did not start"
            time.sleep(0.05)
        probe = subprocess.run(
            [sys.executable, "-m", "keepsafe.testing.busy_probe", "15", "practitioner", "keepsafe-demo-only-password"],
            env=env,
            check=True,
            capture_output=True,
            text=True,
            timeout=600,
        )
        sweep.wait(timeout=900)
    finally:
        if sweep.poll() is None:
            sweep.kill()
    assert sweep.returncode == 0
    lines = [json.loads(line) for line in probe.stdout.splitlines() if line.startswith("{")]
    assert lines, probe.stderr[-2000:]
    ((finished,),) = query(demo_db, "select finished_at from actions_sweeprun")
    during = [line for line in lines if line["at"] < datetime.fromisoformat(finished).replace(tzinfo=UTC).timestamp()]
    assert len(during) >= 3, "the probe must sign in and post while the sweep runs"
    assert {(line["request"], line["status"]) for line in lines} == {
        ("sign-in", 302),
        ("check", 302),
        ("sign-out", 302),
    }
    checks = sum(1 for line in lines if line["request"] == "check")
    assert query(demo_db, "select count(*) from sharing_checkrequest") == [(checks_before + checks,)]  # none lost


def test_a_long_job_leaves_sqlite_s_write_lock_free_now_and_then(monkeypatch):
    slept: list[float] = []
    monkeypatch.setattr(dbturns.time, "sleep", slept.append)
    ticks = iter([0.0, 0.1, 0.2, 0.3, 0.6, 0.6, 0.7])
    monkeypatch.setattr(dbturns.time, "monotonic", lambda: next(ticks))
    monkeypatch.setattr(dbturns.connection, "vendor", "sqlite")
    turns = dbturns.Turns(hold=0.25, pause=0.15)  # starts at 0.0
    for _ in range(4):
        turns.taken()  # at 0.1, 0.2: held < 0.25; at 0.3: pause; then 0.6 - 0.6 < 0.25
    assert slept == [0.15]


def test_a_transient_lock_is_retried_and_a_lasting_one_is_raised(monkeypatch):
    monkeypatch.setattr(dbturns.time, "sleep", lambda s: None)
    calls = []

    def flaky() -> str:
        calls.append(1)
        if len(calls) < 3:
            raise OperationalError("database is locked")
        return "done"

    assert dbturns.retrying(flaky, what="test") == "done"
    with pytest.raises(OperationalError):
        dbturns.retrying(lambda: (_ for _ in ()).throw(OperationalError("database is locked")), what="test", retries=2)
    with pytest.raises(OperationalError, match="no such table"):
        dbturns.retrying(lambda: (_ for _ in ()).throw(OperationalError("no such table: x")), what="test")


EXPORT_WHILE_WRITING = """
import io, sqlite3, sys
import django
django.setup()
from keepsafe.bundles import exporter
from keepsafe.testing.fixtures import SYSTEM
db = sys.argv[1]
real = exporter.person_bundle
def writing(person):  # another process (the worker, a web post) writes while the export reads
    with sqlite3.connect(db) as other:
        other.execute("update people_person set updated_at = updated_at where id = ?", (person.pk,))
    return real(person)
exporter.person_bundle = writing
print(exporter.bundle_export(viewer=SYSTEM, out=io.StringIO(), page=50))
"""


def test_an_export_succeeds_while_others_write(demo_db):
    # An open read cursor pins SQLite's snapshot; the export's audit write then failed at once with "database is
    # locked" (no busy wait) whenever someone wrote meanwhile: the try-out's `keepsafe export` beside the demo worker.
    ((people,),) = query(demo_db, "select count(*) from people_person")
    ((exported_before,),) = query(demo_db, "select count(*) from audit_auditevent where action = 'CASE_EXPORT'")
    done = subprocess.run(
        [sys.executable, "-c", EXPORT_WHILE_WRITING, str(demo_db)],
        check=False,
        env=_env(demo_db),
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split()[-1] == str(people)
    assert query(demo_db, "select count(*) from audit_auditevent where action = 'CASE_EXPORT'") == [
        (exported_before + people,)
    ]

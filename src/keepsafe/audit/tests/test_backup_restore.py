"""The runbook's backup and restore (docs/operations.md), done for real against the suite's PostgreSQL 15 server:
pg_dump, drop, create, pg_restore — the data and the audit trail's append-only trigger come back intact."""

from __future__ import annotations

import os
import shutil
import subprocess
import uuid
from pathlib import Path

import psycopg
import pytest
from django.db import connection

from keepsafe.audit.models import AuditEvent
from keepsafe.people.models import Person
from keepsafe.testing.fixtures import make_bundle, make_person
from keepsafe.testing.pgserver import _bin_dir

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="backup and restore are PostgreSQL's tools"),
    pytest.mark.django_db(transaction=True),
]


def _tool(name: str) -> str:
    found = _bin_dir() / name
    return str(found) if found.exists() else (shutil.which(name) or name)


def _run(args: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(args, capture_output=True, text=True, check=False, env=env, timeout=300)
    assert done.returncode == 0, f"{args[0]}: {done.stderr}"


def test_dump_drop_restore_keeps_data_and_the_audit_trigger(imported, tmp_path: Path):
    imported(make_bundle(make_person("A000001"), make_person("A000002")))
    people = Person.objects.count()
    events = AuditEvent.objects.count()
    assert people == 2
    assert events > 0

    settings = connection.settings_dict
    env = {
        **os.environ,
        "PGHOST": settings["HOST"],
        "PGPORT": str(settings["PORT"]),
        "PGUSER": settings["USER"],
        "PGPASSWORD": settings.get("PASSWORD") or "",
    }
    dump = tmp_path / "keepsafe.dump"
    _run([_tool("pg_dump"), "--format=custom", f"--file={dump}", settings["NAME"]], env)

    copy = f"keepsafe_restore_{uuid.uuid4().hex[:8]}"
    _run([_tool("createdb"), copy], env)
    _run([_tool("pg_restore"), "--exit-on-error", f"--dbname={copy}", str(dump)], env)
    _run([_tool("dropdb"), copy], env)  # drop ...
    _run([_tool("createdb"), copy], env)  # ... and restore again into an empty database, as after a loss
    _run([_tool("pg_restore"), "--exit-on-error", f"--dbname={copy}", str(dump)], env)
    try:
        dsn = f"host={settings['HOST']} port={settings['PORT']} user={settings['USER']} dbname={copy}"
        with psycopg.connect(dsn, autocommit=True) as restored:
            assert restored.execute("SELECT count(*) FROM people_person").fetchone() == (people,)
            assert restored.execute("SELECT count(*) FROM audit_auditevent").fetchone() == (events,)
            with pytest.raises(psycopg.errors.InsufficientPrivilege, match="append-only"):
                restored.execute("UPDATE audit_auditevent SET actor = 'someone else'")
            with pytest.raises(psycopg.errors.InsufficientPrivilege, match="append-only"):
                restored.execute("DELETE FROM audit_auditevent")
            assert restored.execute("SELECT count(*) FROM audit_auditevent").fetchone() == (events,)
    finally:
        _run([_tool("dropdb"), "--if-exists", copy], env)

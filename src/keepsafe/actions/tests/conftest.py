"""A demo region on a real SQLite file, seeded once for the tests that run the worker, the sweep and the web service as
separate processes beside each other (test_worker, test_sqlite_busy); each test works on its own copy."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def demo_file(tmp_path_factory) -> Path:
    from keepsafe.actions.tests.test_worker import run

    db = tmp_path_factory.mktemp("demo-file") / "demo.sqlite3"
    run(db, "migrate", "--no-input", "-v0")
    run(db, "demo", "--people", "250")
    return db

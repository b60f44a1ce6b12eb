"""Test settings. KEEPSAFE_TEST_DB=postgres makes the suite start its own PostgreSQL 15 server."""

import os

os.environ.setdefault("KEEPSAFE_SECRET_KEY", "test-only-secret-key-keepsafe-not-for-production-use")

if os.environ.get("KEEPSAFE_TEST_DB", "sqlite") == "postgres" and not os.environ.get("DATABASE_URL"):
    from keepsafe.testing.pgserver import start_test_server

    os.environ["DATABASE_URL"] = start_test_server()
elif os.environ.get("KEEPSAFE_TEST_DB", "sqlite") == "sqlite":
    os.environ["DATABASE_URL"] = "sqlite:///" + os.path.join(os.getcwd(), "var", "test.sqlite3")

from keepsafe.config.settings.base import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *PASSWORD_HASHERS]  # noqa: F405
AUTH_PASSWORD_VALIDATORS = []
ALLOWED_HOSTS = ["*"]
# Tasks run in-process when the enqueuing transaction commits; the worker tests use the database queue themselves.
TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
KEEPSAFE_TASK_LEASE_SECONDS = 1
# Every signed-in request renews the session, as before the once-a-minute renewal: the tests that compare a page's
# queries across requests (a fixed number whatever the case's size) then compare like with like. The renewal's own
# tests (web/tests/test_pages.py) set production's 60 seconds.
SESSION_RENEW_EVERY_SECONDS = 0

_database: dict = DATABASES["default"]  # noqa: F405
if str(_database["ENGINE"]).endswith("postgresql"):
    # Transactional tests reset the database with TRUNCATE, which the audit trail otherwise refuses
    # (audit/migrations/0002_secin_truncate_trigger.py). Only the test suite's connections set this.
    _options = _database.setdefault("OPTIONS", {})
    _options["options"] = f"{_options.get('options', '')} -c keepsafe.audit_truncate=allowed".strip()

import os

import pytest
from hypothesis import settings

pytest_plugins = ["keepsafe.testing.fixtures"]

# No per-example deadline: speed belongs in bench/, never in a timed unit test, and a 200 ms deadline fails property
# tests at random on a loaded two-core CI machine (a try-out saw one fail under load and pass four times after).
settings.register_profile("keepsafe", deadline=None)
settings.load_profile("keepsafe")


# Fixtures that give a test the database (pytest-django's, and every fixture built on them through the closure).
DATABASE_FIXTURES = frozenset(
    {"db", "transactional_db", "django_db_reset_sequences", "django_db_serialized_rollback", "live_server"}
)


def uses_database(item: pytest.Item) -> bool:
    """Whether a collected test touches the database: marked django_db, asks (directly or through its fixtures) for
    one of pytest-django's database fixtures or its blocker, or is a Django TestCase."""
    if item.get_closest_marker("django_db") is not None:
        return True
    if DATABASE_FIXTURES & set(getattr(item, "fixturenames", ())):
        return True
    info = getattr(item, "_fixtureinfo", None)  # the blocker counts when the test itself asks for it (every test's
    if info is not None and "django_db_blocker" in info.argnames:  # closure holds it through pytest-django's autouse)
        return True
    from django.test import SimpleTestCase

    cls = getattr(item, "cls", None)
    return cls is not None and issubclass(cls, SimpleTestCase)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """On PostgreSQL the suite runs only the tests that touch the database. The rest (pure rules, their property
    tests, templates, the corpus) never reach a database, so a second run of them on PostgreSQL tested nothing the
    SQLite run had not, and cost a third of CI's time (docs/testing.md, "Two databases")."""
    if os.environ.get("KEEPSAFE_TEST_DB") != "postgres":
        return
    touches = {item.nodeid: uses_database(item) for item in items}
    kept = [item for item in items if touches[item.nodeid]]
    deselected = [item for item in items if not touches[item.nodeid]]
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = kept

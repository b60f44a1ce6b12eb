"""While the stored indicator findings were built by another scanner than the one running (after an upgrade, until
the worker has rebuilt them), every page that lists findings says so; once they are current, none does."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from keepsafe.records.models import ScanState
from keepsafe.records.rules.lexicon import LEXICON_VERSION
from keepsafe.testing.fixtures import make_bundle, make_person
from keepsafe.workforce.models import Staff, User

pytestmark = pytest.mark.django_db
BANNER = (
    f"Indicator findings are being rebuilt with the new scanner (version {LEXICON_VERSION}); some may be missing "
    "until this finishes."
)


@pytest.fixture
def pages(imported) -> tuple[Client, list[str]]:
    imported(make_bundle(make_person("A000001")))
    ada = Client()
    ada.force_login(User.objects.create(username="ada", staff=Staff.objects.get(code="STF0001"), role="PRACTITIONER"))
    started = ada.post("/case/A000001/assessments/start")
    aid = re.search(r"/assessments/([^/]+)/gather", started["Location"]).group(1)
    return ada, ["/case/A000001", "/case/A000001/chronology", f"/case/A000001/assessments/{aid}/analyse"]


def words(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_pages_listing_findings_say_they_are_being_rebuilt_only_while_stale(pages):
    client, paths = pages
    for path in paths:
        page = client.get(path)
        assert page.status_code == 200, path
        assert 'data-testid="findings-rebuilding"' not in page.content.decode(), path
    ScanState.objects.filter(pk=1).update(lexicon="2026-01-01.1", model="2026-01-01.1+lr1000")
    for path in paths:
        page = client.get(path)
        assert page.status_code == 200, path
        assert 'data-testid="findings-rebuilding"' in page.content.decode(), path
        assert BANNER in words(page.content.decode()), path

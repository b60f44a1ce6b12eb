"""Try-out finding: a case imported with its history had its risk review escalated to the line manager the moment
the review was created ("more serious information arrived"), though its owner had not yet seen any of it. A raise
escalates an OPEN review; what had arrived before the action existed is what its owner is first given."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from keepsafe.actions.models import Action
from keepsafe.actions.services.reconcile import reconcile_case
from keepsafe.people.models import Person
from keepsafe.testing.fixtures import make_bundle, make_person

pytestmark = pytest.mark.django_db
NOW = datetime.now(UTC).replace(microsecond=0)


def _record(rid: str, text: str, hours_ago: int) -> dict:
    at = (NOW - timedelta(hours=hours_ago)).isoformat().replace("+00:00", "Z")
    return {
        "id": rid,
        "source": "POLICE",
        "kind": "INTELLIGENCE_LOG",
        "occurred_at": at,
        "received_at": at,
        "author": "GMP",
        "text": text,
        "order": None,
    }


def test_history_imported_at_once_does_not_raise_the_new_review(imported):
    first = _record("R-1", "He missed his appointment and his whereabouts are unknown.", 72)
    worse = _record("R-2", "Intelligence that he is carrying a knife and threatened to stab his brother.", 48)
    imported(make_bundle(make_person(records=[first, worse])))
    person = Person.objects.get(crn="X123456")
    reconcile_case(person, NOW)
    review = Action.objects.get(person=person, type="RISK_REVIEW")
    assert review.due > NOW
    assert review.escalation_level == 0


def test_more_serious_information_arriving_on_an_open_review_still_raises_it(imported):
    first = _record("R-1", "He missed his appointment and his whereabouts are unknown.", 72)
    imported(make_bundle(make_person(records=[first])))
    person = Person.objects.get(crn="X123456")
    reconcile_case(person, NOW - timedelta(hours=60))
    review = Action.objects.get(person=person, type="RISK_REVIEW")
    assert review.escalation_level == 0
    worse = _record("R-2", "Intelligence that he is carrying a knife and threatened to stab his brother.", 48)
    imported(make_bundle(make_person(records=[first, worse])))
    reconcile_case(person, NOW)
    review.refresh_from_db()
    assert review.due > NOW
    assert review.escalation_level == 1

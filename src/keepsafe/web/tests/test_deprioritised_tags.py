"""Helper "alloc2": under an amber or red PDU status, work the framework lets the PDU deprioritise carries the tag
"Deprioritised (PDU status amber|red)" where practitioners look — their caseload and a case's actions — and never on a
safety-critical type (oversight/rules/prioritisation SAFETY_CRITICAL). Every ActionType is tried, under the shipped
framework and under one built to list every type (which the page must still refuse for safety-critical work)."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import pytest
import time_machine
from django.test import Client

from keepsafe.actions.models import Action
from keepsafe.actions.rules.types import ActionType
from keepsafe.oversight import prioritisation
from keepsafe.oversight.models import PduStatus
from keepsafe.oversight.rules.prioritisation import (
    SAFETY_CRITICAL,
    Framework,
    Rag,
    deprioritisable_types,
    deprioritised_tag,
)
from keepsafe.people.models import Person
from keepsafe.testing.fixtures import make_person, org_with_managers
from keepsafe.workforce.models import Pdu, Staff, User

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 11, 23, 10, tzinfo=UTC)
EVERYTHING = Framework({Rag.GREEN: frozenset(), Rag.AMBER: frozenset(ActionType), Rag.RED: frozenset(ActionType)})


@pytest.fixture
def every_type(imported):
    imported(org_with_managers() | {"people": [make_person("X700001", contacts=[], records=[])]})
    person = Person.objects.get(crn="X700001")
    owner = Staff.objects.get(code="STF0001")
    made = {
        kind: Action.objects.create(
            person=person,
            type=kind.value,
            key=f"t:{kind.value}",
            title=f"Work {kind.value}",
            owner=owner,
            owner_role="COM",
            opens_at=NOW,
            due=datetime(2026, 12, 30, tzinfo=UTC),
            created_at=NOW,
        )
        for kind in ActionType
    }
    user = User.objects.create(username="ada", staff=owner, role="PRACTITIONER")
    client = Client()
    client.force_login(user)
    return client, made


def _status(rag: Rag) -> None:
    PduStatus.objects.create(
        pdu=Pdu.objects.get(code="GMR-MN"),
        status=rag.value,
        reason="Staffing",
        applies_from=date(2026, 11, 20),
        set_by="STF0800",
        recorded_at=NOW,
    )


def _tagged_on_case_actions(client: Client, made: dict[ActionType, Action]) -> dict[ActionType, str]:
    with time_machine.travel(NOW, tick=False):
        page = client.get("/case/X700001/actions").content.decode()
    out = {}
    for kind, action in made.items():
        heading = re.search(rf'id="action-{action.pk}-title">(.*?)</h3>', page, re.S)
        assert heading is not None, kind  # every open action is listed
        tag = re.search(r'data-testid="deprioritised">([^<]*)<', heading.group(1))
        if tag:
            out[kind] = tag.group(1)
    return out


def _caseload_tag(client: Client) -> str | None:
    with time_machine.travel(NOW, tick=False):
        page = client.get("/caseload").content.decode()
    tag = re.search(r'data-testid="deprioritised">([^<]*)<', page)
    return tag.group(1) if tag else None


@pytest.mark.parametrize("rag", [Rag.AMBER, Rag.RED])
@pytest.mark.parametrize("wide", [False, True], ids=["shipped framework", "framework listing every type"])
def test_tag_on_caseload_and_case_actions_never_safety_critical(every_type, monkeypatch, rag, wide):
    client, made = every_type
    rules = EVERYTHING if wide else prioritisation.framework()
    monkeypatch.setattr(prioritisation, "framework", lambda: rules)
    assert _tagged_on_case_actions(client, made) == {}  # no status set: nothing deprioritised
    assert _caseload_tag(client) is None
    _status(rag)
    expected = set(deprioritisable_types(rag, rules))
    if wide:
        assert expected == set(ActionType) - SAFETY_CRITICAL  # the page refuses what the data wrongly lists
    assert expected  # the test can fail: something is deprioritised
    tagged = _tagged_on_case_actions(client, made)
    assert set(tagged) == expected
    assert not set(tagged) & SAFETY_CRITICAL
    assert set(tagged.values()) == {deprioritised_tag(rag)}
    assert deprioritised_tag(rag) == f"Deprioritised (PDU status {rag.value.lower()})"
    assert _caseload_tag(client) == f"{deprioritised_tag(rag)}: {len(expected)}"


def test_green_deprioritises_nothing(every_type, monkeypatch):
    client, made = every_type
    monkeypatch.setattr(prioritisation, "framework", lambda: EVERYTHING)
    _status(Rag.GREEN)
    assert _tagged_on_case_actions(client, made) == {}
    assert _caseload_tag(client) is None

"""Helper "alloc2": the try-out's 403 — an SPO allocating a case of their PDU to a practitioner of another team of the
same PDU through the page — now allocates; an SPO of another PDU is refused the case's allocate page with the reason."""

from __future__ import annotations

import pytest
import time_machine
from django.test import Client

from keepsafe.oversight.tests.test_allocation_scope import OTHER_PDU, OTHER_TEAM, pdu_world  # noqa: F401
from keepsafe.people.models import Person
from keepsafe.workforce.models import Staff, User

pytestmark = pytest.mark.django_db
NOW = "2026-12-01T10:00:00Z"


def _client(code: str) -> Client:
    user = User.objects.create(username=code.lower(), staff=Staff.objects.get(code=code), role="SPO")
    c = Client()
    c.force_login(user)
    return c


def test_spo_allocates_to_another_team_of_their_pdu(pdu_world):  # noqa: F811
    spo = _client("STF0100")
    with time_machine.travel(NOW, tick=False):
        page = spo.get("/allocations/S100001").content.decode()
        assert f'data-code="{OTHER_TEAM}"' in page  # offered: any team of the PDU
        assert f'data-code="{OTHER_PDU}"' not in page  # never offered: another PDU
        done = spo.post("/allocations/S100001", {"to": OTHER_TEAM, "reason": "INITIAL_ALLOCATION"})
    assert done.status_code == 302
    assert Person.objects.get(crn="S100001").practitioner.code == OTHER_TEAM


def test_practitioner_outside_the_pdu_is_refused_with_the_reason(pdu_world):  # noqa: F811
    with time_machine.travel(NOW, tick=False):
        refused = _client("STF0100").post("/allocations/S100001", {"to": OTHER_PDU, "reason": "INITIAL_ALLOCATION"})
    assert refused.status_code == 400  # re-shown with errors (issue 16 try-out)
    body = refused.content.decode().replace("&#39;", "'")
    assert f"{OTHER_PDU} is not in the case's PDU (GMR-MN): transfer the case first" in body
    assert Person.objects.get(crn="S100001").practitioner is None


def test_spo_of_another_pdu_is_refused_the_allocate_page(pdu_world):  # noqa: F811
    with time_machine.travel(NOW, tick=False):
        page = _client("STF0102").get("/allocations/S100001")
    assert page.status_code == 403
    assert "You allocate only the cases of your own PDU" in page.content.decode()

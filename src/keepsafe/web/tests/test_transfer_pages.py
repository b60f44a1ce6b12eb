"""Issue 16 §2 (helper "transfer"): the Transfers tab, the decision page and the list of transfers waiting for a
decision. Bad input: each problem in the error summary, the input kept, nothing written; an excluded head never sees
the case listed."""

from __future__ import annotations

import pytest
import time_machine
from django.test import Client

from keepsafe.cases.tests.transfer_org import transfer_org
from keepsafe.people.models import Person, Transfer
from keepsafe.workforce.models import Staff, User

pytestmark = pytest.mark.django_db
NOW = "2026-11-23T10:00:00Z"
CRN = "X123456"
USERS = {"ada": ("STF0001", "PRACTITIONER"), "head": ("STF2800", "HEAD_OF_PDU"), "other": ("STF3800", "HEAD_OF_PDU")}


def site(imported, **changes) -> None:
    bundle = transfer_org()
    bundle["people"][0].update(changes)
    with time_machine.travel(NOW, tick=False):
        imported(bundle)
    for name, (code, role) in USERS.items():
        User.objects.create(username=name, staff=Staff.objects.get(code=code), role=role)


def client(username: str) -> Client:
    c = Client()
    c.force_login(User.objects.get(username=username))
    return c


def test_request_then_the_receiving_head_accepts_from_the_list(imported):
    site(imported)
    with time_machine.travel(NOW, tick=False):
        page = client("ada").get(f"/case/{CRN}/transfers")
        assert page.status_code == 200
        assert "Request a transfer" in page.content.decode()
        bad = client("ada").post(f"/case/{CRN}/transfers", {"to_pdu": "", "reason": "Moving"})
        assert bad.status_code == 400
        assert "There is a problem" in bad.content.decode()
        assert "Choose the PDU" in bad.content.decode()
        assert "Moving" in bad.content.decode()  # what was typed is kept
        assert not Transfer.objects.exists()
        done = client("ada").post(f"/case/{CRN}/transfers", {"to_pdu": "WMR-BH", "reason": "Moving"}, follow=True)
        assert "stays with you until it is accepted" in done.content.decode()
        assert 'data-testid="transfer-pending"' in done.content.decode()
        listed = client("head").get("/transfers").content.decode()
        assert f'data-crn="{CRN}"' in listed
        assert f'data-crn="{CRN}"' not in client("other").get("/transfers").content.decode()
        form = client("head").get(f"/case/{CRN}/transfers/decide").content.decode()
        assert "STF2001" in form
        missing = client("head").post(f"/case/{CRN}/transfers/decide", {"decision": "accept"})
        assert missing.status_code == 400
        assert "Choose the practitioner" in missing.content.decode()
        accepted = client("head").post(
            f"/case/{CRN}/transfers/decide", {"decision": "accept", "practitioner": "STF2001"}, follow=True
        )
        assert "Transfer accepted" in accepted.content.decode()
    assert Person.objects.get(crn=CRN).practitioner.code == "STF2001"


def test_a_head_of_another_pdu_is_refused_and_nothing_changes(imported):
    site(imported)
    with time_machine.travel(NOW, tick=False):
        client("ada").post(f"/case/{CRN}/transfers", {"to_pdu": "WMR-BH", "reason": "Moving"})
        refused = client("other").post(
            f"/case/{CRN}/transfers/decide", {"decision": "accept", "practitioner": "STF2001"}
        )
    assert refused.status_code == 403
    assert Transfer.objects.get().status == Transfer.Status.PENDING


def test_an_excluded_receiving_head_never_sees_the_case_listed(imported):
    site(imported, excluded=["STF2800"])
    with time_machine.travel(NOW, tick=False):
        client("ada").post(f"/case/{CRN}/transfers", {"to_pdu": "WMR-BH", "reason": "Moving"})
        listed = client("head").get("/transfers").content.decode()
        assert CRN not in listed
        assert client("head").get(f"/case/{CRN}/transfers/decide").status_code == 404
        assert CRN not in client("head").get("/notifications").content.decode()

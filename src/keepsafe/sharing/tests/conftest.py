"""Two partners with keys: Greater Manchester Police (domestic abuse checks) and children's services."""

import pytest

from keepsafe.sharing.services import api_key_issue
from keepsafe.testing.fixtures import SYSTEM, make_bundle, make_person, partner_agreement


@pytest.fixture
def partners(imported):
    imported(make_bundle(make_person(), make_person("Y000001")))
    from keepsafe.people.models import Person
    from keepsafe.workforce.models import Pdu, Region

    other_pdu = Pdu.objects.create(code="GMR-MS", name="Manchester South", region=Region.objects.get(code="GMR"))
    Person.objects.filter(crn="Y000001").update(pdu=other_pdu)
    police = partner_agreement(send_kinds=("CALL_OUT", "INTELLIGENCE_LOG", "CIVIL_ORDER"))
    council = partner_agreement(
        "MCC",
        kind="CHILDRENS_SERVICES",
        answers=("SAFEGUARDING",),
        send_kinds=("SAFEGUARDING_REPLY",),
        pdus=("GMR-MN", "GMR-MS"),
    )
    _, police_key = api_key_issue(actor=SYSTEM, agreement=police, name="GMP case management")
    _, council_key = api_key_issue(actor=SYSTEM, agreement=council, name="MCC")
    return {"police": police, "council": council, "police_key": police_key, "council_key": council_key}


@pytest.fixture
def api(client):
    def call(method: str, path: str, key: str | None, body=None):
        headers = {"HTTP_AUTHORIZATION": f"Bearer {key}"} if key else {}
        if method == "GET":
            return client.get(f"/api/v1{path}", **headers)
        return client.post(f"/api/v1{path}", data=body, content_type="application/json", **headers)

    return call

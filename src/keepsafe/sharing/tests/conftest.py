"""Two partners with keys: Greater Manchester Police (domestic abuse checks) and children's services."""

from datetime import date

import pytest

from keepsafe.sharing.services import agreement_create, api_key_issue
from keepsafe.testing.fixtures import SYSTEM, make_bundle, make_person


@pytest.fixture
def partners(imported):
    imported(make_bundle(make_person(), make_person("Y000001")))
    from keepsafe.people.models import Person
    from keepsafe.workforce.models import Pdu, Region

    other_pdu = Pdu.objects.create(code="GMR-MS", name="Manchester South", region=Region.objects.get(code="GMR"))
    Person.objects.filter(crn="Y000001").update(pdu=other_pdu)
    police = agreement_create(
        actor=SYSTEM,
        partner_code="GMP",
        partner_name="Greater Manchester Police",
        partner_kind="POLICE",
        reference="ISA-GMP-1",
        purpose="Domestic abuse call-outs and intelligence for risk assessment",
        send_kinds=["CALL_OUT", "INTELLIGENCE_LOG", "CIVIL_ORDER"],
        answers=["DOMESTIC_ABUSE"],
        pdu_codes=["GMR-MN"],
        valid_from=date(2020, 1, 1),
        valid_until=date(2099, 12, 31),
    )
    council = agreement_create(
        actor=SYSTEM,
        partner_code="MCC-CS",
        partner_name="Manchester children's services",
        partner_kind="CHILDRENS_SERVICES",
        reference="ISA-MCC-1",
        purpose="Safeguarding checks",
        send_kinds=["SAFEGUARDING_REPLY"],
        answers=["SAFEGUARDING"],
        pdu_codes=["GMR-MN", "GMR-MS"],
        valid_from=date(2020, 1, 1),
        valid_until=date(2099, 12, 31),
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

"""Issue 11: properties that hold for EVERY route, derived from the URL conf and the partner API's schema.

- No NUL character reaches the database: in the address, the query, a form or a JSON body it is a 400 with a
  clear message, on every page and every API operation (§8).
- A restricted case and an excluded case are answered exactly like a CRN that does not exist, for GET and POST,
  on every page and every API operation (the visibility matrix).
A route added later is covered automatically; one with a path parameter nobody knows how to fill fails the test.
"""

from __future__ import annotations

import json
import re
import uuid

import pytest
from django.test import Client

from keepsafe.actions.models import Action
from keepsafe.api.v1 import api
from keepsafe.people.models import Appointment, Registration
from keepsafe.risk.models import Assessment
from keepsafe.sharing.models import CheckRequest
from keepsafe.sharing.services import api_key_issue
from keepsafe.testing.fixtures import SYSTEM, make_bundle, make_person, partner_agreement
from keepsafe.testing.routes import ApiOperation, WebRoute, api_operations, web_routes
from keepsafe.workforce.models import Staff, User

pytestmark = pytest.mark.django_db

VISIBLE, RESTRICTED, EXCLUDED, MISSING = "A000001", "A000002", "A000003", "Z999999"
NO_SUCH_CHECK = uuid.UUID("00000000-0000-4000-8000-000000000000")
SCHEMA = json.loads(json.dumps(api.get_openapi_schema(path_prefix="/api/v1")))
WEB_ROUTES = web_routes()
API_OPERATIONS = list(api_operations(SCHEMA))


@pytest.fixture
def site(imported):
    imported(
        make_bundle(
            make_person(VISIBLE),
            make_person(RESTRICTED, restricted_to=["STF0002"], forename="Hidden", surname="Restricted"),
            make_person(EXCLUDED, excluded=["STF0001"], forename="Excluded", surname="Person"),
        )
    )
    User.objects.create(username="ada", staff=Staff.objects.get(code="STF0001"), role="PRACTITIONER")
    agreement = partner_agreement(send_kinds=("CALL_OUT",))
    _, key = api_key_issue(actor=SYSTEM, agreement=agreement, name="GMP")
    return key


def signed_in() -> Client:
    client = Client()
    client.force_login(User.objects.get(username="ada"))
    return client


def fillers(crn: str) -> dict:
    """How to fill each path parameter for a case: with ids that really belong to it where there are any."""
    return {
        "crn": lambda: crn,
        "code": lambda: "GMR-MN",
        "aid": lambda: Assessment.objects.filter(person__crn=crn).values_list("external_id", flat=True).first() or "A1",
        "action_id": lambda: Action.objects.filter(person__crn=crn).values_list("pk", flat=True).first() or 1,
        "verb": lambda: "complete",
        "step": lambda: "decide",
        "public_id": lambda: (
            CheckRequest.objects.filter(person__crn=crn).values_list("public_id", flat=True).first() or NO_SUCH_CHECK
        ),
        "external_id": lambda: f"CAD-{crn}",
        "kind": lambda: "case-summary",  # issue 14 §5: case documents
        "check_id": lambda: (
            CheckRequest.objects.filter(person__crn=crn).values_list("public_id", flat=True).first() or NO_SUCH_CHECK
        ),
        # issue 14
        "appointment": lambda: (
            Appointment.objects.filter(person__crn=crn).values_list("external_id", flat=True).first() or "APT-NONE"
        ),
        # issue 14 (helper "flags"): a flag of the case, when it has one
        "registration_id": lambda: (
            Registration.objects.filter(person__crn=crn).values_list("pk", flat=True).first() or 1
        ),
    }


def api_body(operation: ApiOperation, crn: str) -> dict | None:
    """A well-formed body for each request schema; an operation with a body nobody can build fails the test."""
    item = {
        "external_id": f"CAD-{crn}",
        "crn": crn,
        "kind": "CALL_OUT",
        "occurred_at": "2026-11-01T22:10:00Z",
        "author": "PC 1234",
        "text": "Domestic incident reported.",
    }
    bodies = {
        "RecordBatchIn": {"records": [item]},
        "CheckAnswerIn": {k: v for k, v in item.items() if k in ("external_id", "occurred_at", "author", "text")},
    }
    if operation.body is None:
        return None
    if operation.body not in bodies:
        raise LookupError(f"{operation.name}: no way to build a {operation.body} body")
    return bodies[operation.body]


def normalised(response, crn: str) -> tuple[int, str, str]:
    body = response.content.decode()
    body = re.sub(r'nonce="[^"]+"', 'nonce=""', body)
    body = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "csrf", body)
    location = response.headers.get("Location", "")
    return response.status_code, body.replace(crn, "[CRN]"), location.replace(crn, "[CRN]")


def web_answer(route: WebRoute, method: str, crn: str):
    path = route.path(fillers(crn))
    client = signed_in()
    data = {"crn": crn, "q": crn}
    return client.get(path, data) if method == "GET" else client.post(path, data)


def api_answer(operation: ApiOperation, crn: str, key: str):
    url = operation.url(fillers(crn))
    headers = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    client = Client()
    body = api_body(operation, crn)
    if operation.method == "GET":
        return client.get(url, {"crn": crn}, **headers)
    return client.generic(operation.method, url, json.dumps(body or {}), content_type="application/json", **headers)


def test_the_routes_are_the_whole_url_conf_and_schema():
    names = {r.name for r in WEB_ROUTES}
    assert {"case", "case-actions", "action-post", "recall-post", "search", "audit", "sign-in"} <= names
    assert {o.name for o in API_OPERATIONS} >= {"POST /api/v1/records", "GET /api/v1/agreement"}
    for route in WEB_ROUTES:
        route.path(fillers(MISSING))  # every parameter can be filled
    for operation in API_OPERATIONS:
        operation.url(fillers(MISSING))
        api_body(operation, MISSING)


@pytest.mark.parametrize("route", WEB_ROUTES, ids=lambda r: r.name)
@pytest.mark.parametrize("method", ["GET", "POST"])
def test_a_hidden_case_is_answered_like_a_missing_one_on_every_page(site, route, method):
    expected = normalised(web_answer(route, method, MISSING), MISSING)
    for hidden in (RESTRICTED, EXCLUDED):
        assert normalised(web_answer(route, method, hidden), hidden) == expected, (route.name, method, hidden)


@pytest.mark.parametrize("operation", API_OPERATIONS, ids=lambda o: o.name)
def test_a_hidden_case_is_answered_like_a_missing_one_in_the_partner_api(site, operation):
    expected = normalised(api_answer(operation, MISSING, site), MISSING)
    for hidden in (RESTRICTED, EXCLUDED):
        assert normalised(api_answer(operation, hidden, site), hidden) == expected, (operation.name, hidden)


NUL_MESSAGE = "contains a NUL character (U+0000), which is not allowed"


@pytest.mark.parametrize("route", WEB_ROUTES, ids=lambda r: r.name)
def test_nul_is_a_clear_400_on_every_page(site, route):
    fill = fillers(VISIBLE)
    client = signed_in()
    attempts = [("GET", route.path(fill), {"q": "a\x00", "sort": "\x00", "crn": "\x00"}, None)]
    attempts.append(("POST", route.path(fill), {"notes": "x\x00y", "username": "\x00"}, None))
    attempts.append(("POST", route.path(fill), None, json.dumps({"notes": "x\x00"})))
    if route.params:
        attempts.append(("GET", route.path({**fill, route.params[0]: lambda: "A\x00"}), {}, None))
    for method, path, data, body in attempts:
        if body is not None:
            response = client.post(path, body, content_type="application/json")
        elif method == "GET":
            response = client.get(path, data)
        else:
            response = client.post(path, data)
        assert response.status_code == 400, (route.name, method, path, data, body)
        assert NUL_MESSAGE in response.content.decode()


@pytest.mark.parametrize("operation", API_OPERATIONS, ids=lambda o: o.name)
def test_nul_is_a_clear_json_400_on_every_api_operation(site, operation):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {site}"}
    fill = fillers(VISIBLE)
    client = Client()
    url = operation.url(fill)
    responses = [client.get(url, {"q": "\x00"}, **headers) if operation.method == "GET" else None]
    if operation.params:
        responses.append(client.get(operation.url({**fill, operation.params[0]: lambda: "A\x00"}), **headers))
    if operation.body is not None:
        body = api_body(operation, VISIBLE)
        assert body is not None
        poisoned = json.loads(json.dumps(body).replace("PC 1234", "PC\\u00001234"))
        responses.append(client.post(url, json.dumps(poisoned), content_type="application/json", **headers))
    for response in filter(None, responses):
        assert response.status_code == 400, (operation.name, response.content)
        assert NUL_MESSAGE in response.json()["detail"]

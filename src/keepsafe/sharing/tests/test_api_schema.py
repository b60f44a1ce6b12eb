"""Schemathesis drives every operation from the published schema: no server errors, no schema violations.

The schema is the one the service serves (ninja generates it from the same code); requests go through the WSGI
application in-process, as the police force that holds the fixture's key.
"""

import json

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings

from keepsafe.api.v1 import api

PUBLISHED = json.loads(json.dumps(api.get_openapi_schema(path_prefix="/api/v1")))
schema = schemathesis.openapi.from_dict(PUBLISHED)
schema.app = get_wsgi_application()
# Instants must fall in a range relative to now (issue 11 §4: from 1900 to a day ahead), which JSON Schema cannot
# express; the schema says so in each field's description, and such a value is a 422 with the field's path.
schema.config.checks.positive_data_acceptance.expected_statuses.append("422")


@pytest.fixture
def same_connection():
    """Django closes the database connection when a request finishes; its test client switches that off, and so must
    these requests, which go straight to the WSGI application (else the test's own connection is closed)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_meets_its_schema(case, partners, same_connection):
    case.call_and_validate(headers={"Authorization": f"Bearer {partners['police_key']}"})


def test_the_served_schema_is_the_tested_one(client):
    assert client.get("/api/v1/openapi.json").json() == PUBLISHED

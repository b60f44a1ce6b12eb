"""Operations: health, readiness, build information, metrics and their access rule, request ids, JSON logs."""

from __future__ import annotations

import io
import json
import logging
import logging.config
from datetime import timedelta

import pytest
from django.conf import settings
from django.test import Client, override_settings

from keepsafe.audit.models import AuditEvent
from keepsafe.core import clock, heartbeat
from keepsafe.core.models import Heartbeat
from keepsafe.testing.fixtures import make_bundle, make_person
from keepsafe.workforce.models import Staff, User

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-test-password-for-keepsafe"


def test_ping_needs_no_sign_in_and_says_up():
    response = Client().get("/health/ping")
    assert response.status_code == 200
    assert response.json() == {"status": "UP"}


def test_health_is_down_without_a_worker_heartbeat_and_says_why():
    response = Client().get("/health")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "DOWN"
    assert body["components"]["db"]["status"] == "UP"
    assert body["components"]["migrations"] == {"status": "UP", "details": {"pending": 0}}
    assert body["components"]["worker"]["status"] == "DOWN"
    assert body["components"]["worker"]["details"]["fix"] == "start keepsafe worker"


def test_health_is_up_with_a_recent_heartbeat_and_down_when_it_is_stale():
    heartbeat.beat(heartbeat.WORKER, {"worker": "w1"})
    response = Client().get("/health")
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "UP"
    stale = clock.now() - timedelta(seconds=settings.KEEPSAFE_WORKER_HEARTBEAT_MAX_SECONDS + 5)
    Heartbeat.objects.filter(name=heartbeat.WORKER).update(beat_at=stale)
    response = Client().get("/health")
    assert response.status_code == 503
    assert response.json()["components"]["worker"]["status"] == "DOWN"


@override_settings(KEEPSAFE_REQUIRE_REAL_EMAIL=True)
def test_health_says_email_is_not_configured_when_production_would_print_it():
    heartbeat.beat(heartbeat.WORKER)
    with override_settings(MAILERS={"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}):
        body = Client().get("/health").json()
    assert body["components"]["email"]["status"] == "DOWN"
    with override_settings(MAILERS={"default": {"BACKEND": "django.core.mail.backends.smtp.EmailBackend"}}):
        response = Client().get("/health")
    assert response.status_code == 200
    with override_settings(MAILERS={"default": {"BACKEND": "no.such.Backend"}}):
        body = Client().get("/health").json()
    assert body["components"]["email"]["details"]["error"] == "cannot be imported"


def test_health_carries_no_personal_data(imported):
    imported(make_bundle(make_person("A000001", forename="Zebedee", surname="Quixote")))
    text = Client().get("/health").content.decode()
    assert "A000001" not in text
    assert "Zebedee" not in text


def test_info_gives_the_version():
    body = Client().get("/info").json()
    assert body["app"] == "keepsafe"
    assert body["build"]["version"]


def test_metrics_answer_this_machine_and_a_token_holder_only(imported):
    imported(make_bundle(make_person("A000001")))
    local = Client(REMOTE_ADDR="127.0.0.1").get("/metrics")
    assert local.status_code == 200
    text = local.content.decode()
    for name in (
        "keepsafe_http_request_duration_seconds",
        "keepsafe_actions_open",
        "keepsafe_actions_overdue",
        "keepsafe_sweep_lag_seconds",
        "keepsafe_task_queue_depth",
        "keepsafe_notifications_failed",
        "keepsafe_bundle_imports_24h",
        "keepsafe_partner_batches_24h",
    ):
        assert name in text, name
    assert "keepsafe_bundle_imports_24h 1.0" in text
    assert "A000001" not in text
    remote = Client(REMOTE_ADDR="203.0.113.9")
    assert remote.get("/metrics").status_code == 403
    token = "t" * 32
    with override_settings(KEEPSAFE_METRICS_TOKEN=token):
        assert remote.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong").status_code == 403
        assert remote.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 200


def test_request_latency_is_labelled_by_route_pattern_never_the_path(imported):
    imported(make_bundle(make_person("A000001")))
    client = Client()
    client.get("/case/A000001")  # redirected to sign-in, still timed
    text = Client().get("/metrics").content.decode()
    assert 'route="case/<str:crn>"' in text
    assert "A000001" not in text


def _signed_in(imported):
    imported(make_bundle(make_person("A000001")))
    user = User.objects.create(username="ada", staff=Staff.objects.get(code="STF0001"), role="PRACTITIONER")
    user.set_password(PASSWORD)
    user.save()
    client = Client()
    assert client.post("/sign-in", {"username": "ada", "password": PASSWORD}).status_code == 302
    return client, user


def test_request_id_is_echoed_and_reaches_the_audit_trail(imported):
    client, _ = _signed_in(imported)
    response = client.get("/case/A000001", HTTP_X_REQUEST_ID="lb-1234.abc")
    assert response.status_code == 200
    assert response["X-Request-ID"] == "lb-1234.abc"
    event = AuditEvent.objects.filter(crn="A000001").order_by("-id").first()
    assert event is not None
    assert event.correlation_id == "lb-1234.abc"


def test_an_unacceptable_request_id_is_replaced_not_trusted(imported):
    client, _ = _signed_in(imported)
    response = client.get("/caseload", HTTP_X_REQUEST_ID="bad id\r\nX-Evil: 1")
    assert response["X-Request-ID"] != "bad id\r\nX-Evil: 1"
    assert len(response["X-Request-ID"]) == 32


def _json_logging() -> tuple[io.StringIO, dict]:
    stream = io.StringIO()
    config = json.loads(json.dumps(settings.LOGGING, default=str))
    config["handlers"]["console"]["formatter"] = "json"
    config["handlers"]["console"]["stream"] = stream
    return stream, config


def test_production_logs_are_json_lines_with_request_context_and_no_crn(imported):
    client, user = _signed_in(imported)
    stream, config = _json_logging()
    config["handlers"]["console"]["stream"] = "ext://sys.stderr"
    logging.config.dictConfig(config)
    handler = logging.getLogger().handlers[0]
    handler.setStream(stream)  # type: ignore[attr-defined]
    try:
        client.get("/case/A000001", HTTP_X_REQUEST_ID="req-42")
        logging.getLogger("keepsafe.test").warning("looked at /case/a000001 and /case/A000001")
    finally:
        logging.config.dictConfig(settings.LOGGING)
    lines = [json.loads(line) for line in stream.getvalue().splitlines() if line.strip()]
    request_lines = [line for line in lines if line["logger"] == "keepsafe.request"]
    assert request_lines, lines
    first = request_lines[0]
    assert first["request_id"] == "req-42"
    assert first["user_id"] == user.pk
    assert first["role"] == "PRACTITIONER"
    assert first["route"] == "case/<str:crn>"
    assert first["status"] == 200
    assert "duration_ms" in first
    assert {"timestamp", "level", "logger", "message"} <= set(first)
    assert "A000001" not in stream.getvalue()

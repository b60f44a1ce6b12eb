"""Issue 11 §9: every partner API call is audited, refused ones included (401, 404, 400, 413, 429…).

Successful operations write their own event, naming the CRNs and records they touched. Every call that ends in an
error is recorded here, as the partner when the key was good and as an unknown caller otherwise (with the key's
public prefix if one was sent: never the secret). This middleware sits outermost, so it also sees the refusals of
the request guards below it (a NUL character, an oversized body).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from keepsafe.audit.models import Outcome
from keepsafe.audit.services import audit_record
from keepsafe.core.actor import Actor, Channel, Role

API_PREFIX = "/api/"
SCHEMA_PATH = re.compile(r"^/api/v\d+/openapi\.json$")
KEY_PREFIX = re.compile(r"^Bearer ksk_([0-9a-f]{8})_")


def _printable(text: str, limit: int = 200) -> str:
    """What can go into the audit trail of something a caller sent: no NUL, no unpaired surrogates, bounded."""
    return text.replace("\x00", "\ufffd").encode("utf-8", "replace").decode("utf-8")[:limit]


class ApiAuditMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.path.startswith(API_PREFIX) and response.status_code >= 400 and not SCHEMA_PATH.match(request.path):
            _audit_refusal(request, response)
        return response


def _audit_refusal(request: HttpRequest, response: HttpResponse) -> None:
    client = getattr(request, "auth", None)
    actor: Actor | None = getattr(client, "actor", None)
    details: dict[str, object] = {
        "method": _printable(request.method or ""),
        "path": _printable(request.path),
        "status": response.status_code,
    }
    if actor is None:
        actor = Actor(username="partner:unknown", role=Role.PARTNER, channel=Channel.API)
        sent = KEY_PREFIX.match(request.META.get("HTTP_AUTHORIZATION", ""))
        details["key"] = sent.group(1) if sent else None
    outcome = Outcome.NOT_FOUND if response.status_code == 404 else Outcome.DENIED
    audit_record(actor=actor, action="API_REFUSED", outcome=outcome, details=details)

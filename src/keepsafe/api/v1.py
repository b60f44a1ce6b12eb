"""The partner API, version 1: partners send records and answer checks under their information sharing agreement.

Served at /api/v1/ with its OpenAPI schema at /api/v1/openapi.json (docs/api.md). Partners authenticate with
`Authorization: Bearer <key>`; everything a key can reach is bounded by its agreement.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal
from uuid import UUID

from django.http import HttpRequest
from ninja import NinjaAPI, Path, Schema
from ninja.errors import HttpError
from ninja.parser import Parser
from ninja.security import HttpBearer
from pydantic import ConfigDict, Field, WithJsonSchema

from keepsafe.audit.services import audit_record
from keepsafe.core.errors import UnknownIdError, ValidationError
from keepsafe.core.formats import iso_instant
from keepsafe.core.jsonlines import DuplicateKeyError, loads
from keepsafe.sharing.models import PartnerSubmission
from keepsafe.sharing.rules.agreements import MAX_BATCH
from keepsafe.sharing.schemas import EXTERNAL_ID_PATTERN, NO_NUL, CheckAnswerIn, PartnerRecordIn
from keepsafe.sharing.selectors import KeyRejectedError, api_client
from keepsafe.sharing.services import ApiClient, check_answer, check_requests_open, partner_records_submit


class PartnerKey(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> ApiClient:
        return api_client(token)


class PartnerApi(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None):
        """The generated schema, plus the record item's own schema (items are validated one by one, see below)."""
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        schema.setdefault("components", {}).setdefault("schemas", {}).update(ITEM_COMPONENTS)
        for key in ("paths", "components"):
            schema[key] = _with_items(schema[key])
        return schema


class StrictJsonParser(Parser):
    """Every request body is read here, once: as JSON, a key given twice in an object refused (`core.jsonlines.loads`)
    — json.loads would keep the last value silently (a try-out: `{"kind": "POLICE_CALLOUT", …, "kind": …}`)."""

    def parse_body(self, request: HttpRequest) -> Any:
        return loads(request.body)


api = PartnerApi(
    title="Keepsafe partner API",
    version="1",
    description=(
        "Partner organisations send records about people on probation and answer domestic abuse and safeguarding "
        "checks, under an information sharing agreement. See docs/api.md."
    ),
    auth=PartnerKey(),
    parser=StrictJsonParser(),
    docs_url=None,  # Swagger UI would load scripts from a CDN; the schema itself is served.
    urls_namespace="api-v1",
)


class Error(Schema):
    detail: str


class InvalidRequest(Schema):
    detail: list[dict[str, Any]]


# Every operation may answer these: 400 a NUL character or unpaired surrogate anywhere in the request, 401 no or a
# bad key, 403 an agreement not in force, 413 a body over the size limit, 422 a malformed request, 429 the key's
# rate limit (with Retry-After), 404 nothing there for this partner.
ERRORS: dict[int, Any] = {
    400: Error,
    401: Error,
    403: Error,
    404: Error,
    413: Error,
    422: InvalidRequest,
    429: Error,
}

# The record item, described in full for partners and schema tools. The batch declares each item as "a record or
# anything else" because items are checked one by one (a bad item is reported in its result, the rest are stored);
# "anything else" is any JSON without NUL characters or unpaired surrogates, which are refused for the whole request.
_TEXT = NO_NUL
_REF = "#/components/schemas/{model}"
_RECORD_SCHEMA = PartnerRecordIn.model_json_schema(ref_template=_REF, mode="validation")
_DEFS = _RECORD_SCHEMA.pop("$defs", {})


def _no_nul(schema: dict[str, Any]) -> dict[str, Any]:
    """Declare the refusal of NUL and surrogates on every free-text string of the item schema."""
    for prop in schema.get("properties", {}).values():
        if prop.get("type") == "string" and "pattern" not in prop and "format" not in prop:
            prop["pattern"] = _TEXT
    return schema


ITEM_COMPONENTS: dict[str, Any] = {
    "PartnerRecord": _no_nul(_RECORD_SCHEMA),
    **{name: _no_nul(definition) for name, definition in _DEFS.items()},
    "NotARecord": {
        "description": "Any other JSON value: accepted into the batch and reported REJECTED in its result.",
        "anyOf": [
            {"type": "string", "pattern": _TEXT},
            {"type": "number"},
            {"type": "boolean"},
            {"type": "null"},
            {"type": "array", "items": {"$ref": "#/components/schemas/NotARecord"}},
            {
                "type": "object",
                "additionalProperties": {"$ref": "#/components/schemas/NotARecord"},
            },
        ],
    },
}
# pydantic cannot point at a component it did not make, so the item carries a marker the schema hook replaces.
_ITEM_MARKER = "x-keepsafe-record-item"
_ITEM_SCHEMA = {"anyOf": [{"$ref": "#/components/schemas/PartnerRecord"}, {"$ref": "#/components/schemas/NotARecord"}]}
RecordItem = Annotated[Any, WithJsonSchema({_ITEM_MARKER: True})]


def _with_items(node: Any) -> Any:
    if isinstance(node, dict):
        if node.get(_ITEM_MARKER) is True:
            return dict(_ITEM_SCHEMA)
        return {key: _with_items(value) for key, value in node.items()}
    if isinstance(node, list):
        return [_with_items(value) for value in node]
    return node


class RecordBatchIn(Schema):
    model_config = ConfigDict(extra="forbid")

    records: Annotated[
        list[RecordItem],
        Field(
            min_length=1,
            max_length=MAX_BATCH,
            description=(
                "Up to 1,000 records (schema PartnerRecord). Items are checked one by one: a bad item is reported "
                "in its result and the others are still stored."
            ),
        ),
    ]


class ItemError(Schema):
    field: str
    reason: str


class ItemResultOut(Schema):
    index: int
    external_id: str | None
    status: Literal["CREATED", "DUPLICATE", "CONFLICT", "REJECTED"]
    record_id: str | None
    errors: list[ItemError]


class BatchOut(Schema):
    created: int
    duplicates: int
    conflicts: int
    rejected: int
    results: list[ItemResultOut]


class OrderOut(Schema):
    type: str
    start: str
    end: str | None
    protected_person: str


class RecordOut(Schema):
    external_id: str
    record_id: str
    crn: str
    kind: str
    occurred_at: str
    received_at: str
    author: str
    text: str
    order: OrderOut | None


class CheckOut(Schema):
    id: UUID
    kind: Literal["DOMESTIC_ABUSE", "SAFEGUARDING"]
    crn: str
    forename: str
    surname: str
    date_of_birth: date
    pnc: str | None
    requested_at: datetime
    question: str


class AnswerOut(Schema):
    check: UUID
    record_id: str
    status: Literal["CREATED", "DUPLICATE"]


class AgreementOut(Schema):
    reference: str
    partner: str
    purpose: str
    send_kinds: list[str]
    answers: list[str]
    valid_from: date
    valid_until: date


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError):
    """Ninja's answer (`{"detail"}`), except that a body refused for a key given twice says which key: ninja reports
    any body it cannot parse as "Cannot parse request body", the reason kept only as the cause."""
    cause = exc.__cause__
    if isinstance(cause, DuplicateKeyError):
        key = cause.key.replace("\x00", "\\0")[:200]
        detail = f"the JSON body gives `{key}` more than once in one object: give each key once"
        return api.create_response(request, {"detail": detail}, status=400)
    return api.create_response(request, {"detail": str(exc)}, status=exc.status_code)


@api.exception_handler(KeyRejectedError)
def key_rejected(request: HttpRequest, exc: KeyRejectedError):
    response = api.create_response(request, {"detail": exc.reason}, status=exc.status)
    if exc.retry_after is not None:
        response["Retry-After"] = str(exc.retry_after)
    return response


def _client(request: HttpRequest) -> ApiClient:
    client = request.auth  # type: ignore[attr-defined]
    assert isinstance(client, ApiClient)
    return client


@api.get("/agreement", response={200: AgreementOut, **ERRORS}, summary="What your agreement allows")
def agreement(request: HttpRequest):
    c = _client(request)
    audit_record(actor=c.actor, action="PARTNER_AGREEMENT_READ", details={"agreement": c.terms.reference})
    return AgreementOut(
        reference=c.terms.reference,
        partner=c.partner.code,
        purpose=c.agreement.purpose,
        send_kinds=sorted(c.terms.send_kinds),
        answers=sorted(a.value for a in c.terms.answers),
        valid_from=c.terms.valid_from,
        valid_until=c.terms.valid_until,
    )


@api.post("/records", response={200: BatchOut, **ERRORS}, summary="Send records (idempotent by external_id)")
def records_submit(request: HttpRequest, body: RecordBatchIn):
    results = partner_records_submit(client=_client(request), items=body.records)
    count = {s: sum(1 for r in results if r.status == s) for s in ("CREATED", "DUPLICATE", "CONFLICT", "REJECTED")}
    return BatchOut(
        created=count["CREATED"],
        duplicates=count["DUPLICATE"],
        conflicts=count["CONFLICT"],
        rejected=count["REJECTED"],
        results=[
            ItemResultOut(
                index=r.index,
                external_id=r.external_id,
                status=r.status,  # type: ignore[arg-type]
                record_id=r.record_id,
                errors=[ItemError(**e) for e in r.errors],
            )
            for r in results
        ],
    )


@api.get("/records/{external_id}", response={200: RecordOut, **ERRORS}, summary="A record you sent")
def record_get(request: HttpRequest, external_id: Annotated[str, Path(max_length=80, pattern=EXTERNAL_ID_PATTERN)]):
    c = _client(request)
    submission = (
        PartnerSubmission.objects.select_related("record__person")
        .filter(partner=c.partner, external_id=external_id, record__person__pdu_id__in=c.pdu_ids)
        .first()
    )
    if submission is None:
        raise HttpError(404, f"no record {external_id!r} from {c.partner.code}")
    r = submission.record
    audit_record(actor=c.actor, action="PARTNER_RECORD_READ", crn=r.person.crn, details={"record": r.external_id})
    return RecordOut(
        external_id=external_id,
        record_id=r.external_id,
        crn=r.person.crn,
        kind=r.kind,
        occurred_at=iso_instant(r.occurred_at) or "",
        received_at=iso_instant(r.received_at) or "",
        author=r.author,
        text=r.text,
        order=OrderOut(**r.order) if r.order else None,
    )


@api.get("/checks", response={200: list[CheckOut], **ERRORS}, summary="Open checks addressed to you")
def checks_open(request: HttpRequest):
    return [
        CheckOut(
            id=c.public_id,
            kind=c.kind,  # type: ignore[arg-type]
            crn=c.person.crn,
            forename=c.person.forename,
            surname=c.person.surname,
            date_of_birth=c.person.date_of_birth,
            pnc=c.person.pnc or None,
            requested_at=c.requested_at,
            question=c.question,
        )
        for c in check_requests_open(client=_client(request))
    ]


@api.post(
    "/checks/{check_id}/answer",
    response={200: AnswerOut, 409: Error, **ERRORS},
    summary="Answer a check (the same answer again is accepted once)",
)
def check_answer_post(request: HttpRequest, check_id: UUID, body: CheckAnswerIn):
    try:
        result = check_answer(client=_client(request), public_id=str(check_id), answer=body)
    except UnknownIdError as exc:
        raise HttpError(404, str(exc)) from exc
    except ValidationError as exc:
        raise HttpError(409, "; ".join(f"{f}: {r}" for f, r in exc.problems)) from exc
    return AnswerOut(
        check=result.request.public_id, record_id=result.record_id, status="CREATED" if result.created else "DUPLICATE"
    )

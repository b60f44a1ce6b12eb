"""Partner agreements and keys, records sent by partners, and checks requested of and answered by partners."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from pydantic import ValidationError as PydanticError

from keepsafe.audit.services import audit_record
from keepsafe.core import clock
from keepsafe.core.actor import Actor, Channel, Role
from keepsafe.core.errors import UnknownIdError, ValidationError
from keepsafe.core.signals import announce_case_changed
from keepsafe.people.models import Person
from keepsafe.people.rules.case_work import Work
from keepsafe.people.selectors import case_write_check
from keepsafe.records.models import Record
from keepsafe.records.rules.civil_orders import order_json
from keepsafe.records.services import record_add, record_problems, records_store_new
from keepsafe.sharing.models import ApiKey, CheckRequest, PartnerOrganisation, PartnerSubmission, SharingAgreement
from keepsafe.sharing.rules.agreements import (
    ANSWERED_BY,
    CHECK_LABELS,
    RECORD_ID_MAX,
    RESPONSE_KIND,
    SOURCE_FOR_PARTNER,
    AgreementTerms,
    CheckKind,
    PartnerKind,
    agreement_problem,
    fingerprint,
    new_key,
    partner_code_problem,
    send_problem,
    stored_record_id,
)
from keepsafe.sharing.schemas import CheckAnswerIn, PartnerRecordIn
from keepsafe.workforce.models import Pdu


@dataclass(frozen=True)
class ApiClient:
    """The partner behind an API key, and what its agreement lets it do today."""

    key: ApiKey
    agreement: SharingAgreement
    partner: PartnerOrganisation
    terms: AgreementTerms
    pdu_ids: frozenset[int]

    @property
    def actor(self) -> Actor:
        return Actor(username=f"partner:{self.partner.code}", role=Role.PARTNER, channel=Channel.API)


def terms_of(agreement: SharingAgreement) -> AgreementTerms:
    return AgreementTerms(
        reference=agreement.reference,
        valid_from=agreement.valid_from,
        valid_until=agreement.valid_until,
        send_kinds=frozenset(agreement.send_kinds),
        answers=frozenset(CheckKind(a) for a in agreement.answers),
    )


@transaction.atomic
def agreement_create(
    *,
    actor: Actor,
    partner_code: str,
    partner_name: str,
    partner_kind: str,
    reference: str,
    purpose: str,
    send_kinds: list[str],
    answers: list[str],
    pdu_codes: list[str],
    valid_from: date,
    valid_until: date,
) -> SharingAgreement:
    problems: list[tuple[str, str]] = []
    if (code_problem := partner_code_problem(partner_code)) is not None:
        problems.append(("partner", code_problem))
    if not partner_name.strip():
        problems.append(("partner_name", "give the partner organisation's name"))
    elif len(partner_name) > 200:
        problems.append(("partner_name", f"at most 200 characters (this one has {len(partner_name)})"))
    if len(reference) > 40 or not reference.strip():
        problems.append(("reference", f"an agreement reference is 1 to 40 characters (this one has {len(reference)})"))
    if partner_kind not in PartnerKind.__members__:
        problems.append(("partner_kind", f"unknown partner kind {partner_kind!r}; one of {', '.join(PartnerKind)}"))
    for answer in answers:
        if answer not in CheckKind.__members__:
            problems.append(("answers", f"unknown check {answer!r}; one of {', '.join(CheckKind)}"))
        elif partner_kind in PartnerKind.__members__ and ANSWERED_BY[CheckKind(answer)] != PartnerKind(partner_kind):
            problems.append(
                ("answers", f"{CHECK_LABELS[CheckKind(answer)]}s are answered by {ANSWERED_BY[CheckKind(answer)]}")
            )
    pdus = list(Pdu.objects.filter(code__in=pdu_codes))
    missing = sorted(set(pdu_codes) - {p.code for p in pdus})
    if missing:
        problems.append(("pdus", f"unknown PDU {', '.join(missing)}"))
    if not pdu_codes:
        problems.append(("pdus", "an agreement must name the PDUs whose cases it covers"))
    if valid_until < valid_from:
        problems.append(("valid_until", f"{valid_until} is before {valid_from}"))
    if not purpose.strip():
        problems.append(("purpose", "say what the information is shared for"))
    if SharingAgreement.objects.filter(reference=reference).exists():
        problems.append(("reference", f"agreement {reference!r} already exists"))
    if problems:
        raise ValidationError(problems)
    partner, _ = PartnerOrganisation.objects.get_or_create(
        code=partner_code, defaults={"name": partner_name, "kind": partner_kind}
    )
    if partner.kind != partner_kind:
        raise ValidationError([("partner_kind", f"{partner_code} is already registered as {partner.kind}")])
    agreement = SharingAgreement.objects.create(
        partner=partner,
        reference=reference,
        purpose=purpose,
        send_kinds=sorted(set(send_kinds)),
        answers=sorted(set(answers)),
        valid_from=valid_from,
        valid_until=valid_until,
    )
    agreement.pdus.set(pdus)
    audit_record(actor=actor, action="AGREEMENT_CREATE", details={"agreement": reference, "partner": partner_code})
    return agreement


@transaction.atomic
def api_key_issue(*, actor: Actor, agreement: SharingAgreement, name: str) -> tuple[ApiKey, str]:
    """Returns the key record and the key itself, which is never stored and cannot be shown again."""
    full, prefix, secret_hash = new_key()
    key = ApiKey.objects.create(
        agreement=agreement,
        prefix=prefix,
        secret_hash=secret_hash,
        name=name,
        created_at=clock.now(),
        created_by=actor.code,
    )
    audit_record(actor=actor, action="API_KEY_ISSUE", details={"agreement": agreement.reference, "key": prefix})
    return key, full


@transaction.atomic
def api_key_revoke(*, actor: Actor, prefix: str) -> ApiKey:
    key = ApiKey.objects.select_for_update().filter(prefix=prefix).first()
    if key is None:
        raise UnknownIdError("API key", repr(prefix))
    if key.revoked_at is None:
        key.revoked_at = clock.now()
        key.revoked_by = actor.code
        key.save(update_fields=["revoked_at", "revoked_by"])
        audit_record(actor=actor, action="API_KEY_REVOKE", details={"key": prefix})
    return key


@dataclass
class ItemResult:
    index: int
    external_id: str | None
    status: str  # CREATED | DUPLICATE | CONFLICT | REJECTED
    record_id: str | None = None
    errors: list[dict[str, str]] = field(default_factory=list)


def _not_covered(client: ApiClient, crn: str) -> str:
    return f"no case {crn} is covered by agreement {client.terms.reference}"


def partner_records_submit(*, client: ApiClient, items: list[Any]) -> list[ItemResult]:
    """Each item gets its own result; a refused item never leaves anything half-written, nor stops the others.

    The items that pass every check are stored together in one transaction (issue 20 §4: bulk inserts, the texts
    scanned as a batch, one reconcile queued per person). Should that transaction fail on a unique id (another
    request stored the same id at the same moment), they are stored one by one instead, each in its own
    transaction, and get exactly the answers they would have got after the other request.

    The batch's audit event is written whatever happens, even if an item fails unexpectedly (issue 11 §4)."""
    results: list[ItemResult] = []
    try:
        _submit_all(client, items, results)
    finally:
        by_status = {s: sum(1 for r in results if r.status == s) for s in sorted({r.status for r in results})}
        details: dict[str, Any] = {"agreement": client.terms.reference, "items": len(items), "by_status": by_status}
        unfinished = [r.index for r in results if r.status == _STORING] + [len(results)] * (len(results) < len(items))
        if unfinished:
            details["failed_at_item"] = min(unfinished)
        audit_record(actor=client.actor, action="PARTNER_RECORDS_SUBMIT", details=details)
    return results


# An item that passed its own checks and waits for the batch's store (never left in an answer).
_STORING = "STORING"


@dataclass
class _Pending:
    result: ItemResult
    item: PartnerRecordIn
    person: Person
    content: dict[str, Any]


def _submit_all(client: ApiClient, items: list[Any], results: list[ItemResult]) -> None:
    # One query for the batch's cases. A case outside the agreement is treated exactly like one that does not exist,
    # and so is a case under the limited-access rule: a partner is not named staff, so like any identity without a
    # staff record it sees no restricted or excluded case (issue 11; docs/security.md). It learns nothing of them.
    crns = {raw["crn"] for raw in items if isinstance(raw, dict) and isinstance(raw.get("crn"), str)}
    people = Person.objects.visible_to(is_system=False, staff_id=None)
    covered = {p.crn: p for p in people.filter(crn__in=crns, pdu_id__in=client.pdu_ids)}
    pending: list[_Pending] = []
    for index, raw in enumerate(items):
        external_id = raw.get("external_id") if isinstance(raw, dict) else None
        external_id = external_id if isinstance(external_id, str) else None
        try:
            item = PartnerRecordIn.model_validate_json(json.dumps(raw))
        except PydanticError as exc:
            errors = [
                {
                    "field": ".".join(str(p) for p in e["loc"]) or "(item)",
                    "reason": str(e["msg"]).removeprefix("Value error, "),
                }
                for e in exc.errors()
            ]
            results.append(ItemResult(index, external_id, "REJECTED", errors=errors))
            continue
        checked = _submit_one(client, index, item, covered.get(item.crn))
        if isinstance(checked, _Pending):
            pending.append(checked)
            results.append(checked.result)
        else:
            results.append(checked)
    if not pending:
        return
    try:
        with transaction.atomic():
            _store_batch(client, pending)
    except IntegrityError:
        for p in pending:
            _fill(p.result, _store_alone(client, p))


def _fill(result: ItemResult, outcome: ItemResult) -> None:
    result.status, result.record_id, result.errors = outcome.status, outcome.record_id, outcome.errors


def _submit_one(client: ApiClient, index: int, item: PartnerRecordIn, person: Person | None) -> ItemResult | _Pending:
    """An item's own checks (kind, case, id, content); a good item waits for the batch's store."""
    if (problem := send_problem(client.terms, item.kind)) is not None:
        return ItemResult(index, item.external_id, "REJECTED", errors=[{"field": "kind", "reason": problem}])
    if person is None:
        return ItemResult(
            index, item.external_id, "REJECTED", errors=[{"field": "crn", "reason": _not_covered(client, item.crn)}]
        )
    content = item.content()
    if (problem := _id_problem(client, item.external_id)) is not None:
        return ItemResult(index, item.external_id, "REJECTED", errors=[{"field": "external_id", "reason": problem}])
    return _Pending(ItemResult(index, item.external_id, _STORING), item, person, content)


def _record_fields(item: PartnerRecordIn) -> dict[str, Any]:
    return {
        "kind": item.kind,
        "occurred_at": item.occurred_at,
        "author": item.author,
        "text": item.text,
        "order": item.order.as_order() if item.order else None,
    }


def _store_batch(client: ApiClient, pending: list[_Pending]) -> None:
    """Store a batch's good items in the caller's transaction, in bulk. An id the partner used before, or earlier in
    this batch, is a duplicate or a conflict; an id a record from elsewhere holds is refused (see `_store`)."""
    ids = {p.item.external_id for p in pending}
    known = {
        s.external_id: s
        for s in PartnerSubmission.objects.select_for_update(of=("self",))
        .select_related("record")
        .filter(partner=client.partner, external_id__in=ids)
    }
    taken = set(
        Record.objects.filter(
            person_id__in={p.person.pk for p in pending},
            external_id__in=[stored_record_id(client.partner.code, i) for i in ids],
        ).values_list("person_id", "external_id")
    )
    source = SOURCE_FOR_PARTNER[PartnerKind(client.partner.kind)]
    received_at = clock.now()
    first: dict[str, tuple[str, str]] = {}  # external id → (fingerprint, record id) of its first item in this batch
    new: list[tuple[_Pending, Record]] = []
    for p in pending:
        external_id, content = p.item.external_id, p.content
        namespaced = stored_record_id(client.partner.code, external_id)
        if external_id in known:
            _fill(p.result, _known(p.result.index, external_id, known[external_id], content))
        elif external_id in first:
            stored_fingerprint, record_id = first[external_id]
            same = stored_fingerprint == fingerprint(content)
            _fill(p.result, _answer(p.result.index, external_id, record_id, same=same))
        elif (p.person.pk, namespaced) in taken:
            _fill(p.result, _id_taken(p.result.index, external_id))
        elif problems := record_problems(
            external_id=namespaced, source=source, received_at=received_at, **_record_fields(p.item)
        ):
            errors = [{"field": f, "reason": r} for f, r in problems]
            _fill(p.result, ItemResult(p.result.index, external_id, "REJECTED", errors=errors))
        else:
            fields = _record_fields(p.item)
            record = Record(
                person=p.person,
                external_id=namespaced,
                source=source,
                received_at=received_at,
                **{**fields, "order": order_json(fields["order"])},
            )
            first[external_id] = (fingerprint(content), namespaced)
            new.append((p, record))
    records_store_new(actor=client.actor, records=[record for _, record in new])
    PartnerSubmission.objects.bulk_create(
        [
            PartnerSubmission(
                partner=client.partner,
                external_id=p.item.external_id,
                record=record,
                fingerprint=fingerprint(p.content),
                agreement=client.agreement,
            )
            for p, record in new
        ],
        batch_size=1000,
    )
    for p, record in new:
        _fill(p.result, ItemResult(p.result.index, p.item.external_id, "CREATED", record.external_id))


def _id_taken(index: int, external_id: str) -> ItemResult:
    reason = f"{external_id!r} cannot be used for this case; send the record under another id"
    return ItemResult(index, external_id, "REJECTED", errors=[{"field": "external_id", "reason": reason}])


def _store_alone(client: ApiClient, p: _Pending) -> ItemResult:
    """One item in its own transaction: the path a batch falls back to when another request raced it."""
    index, item = p.result.index, p.item
    try:
        with transaction.atomic():
            return _submit_new(client, index, item, p.person, p.content)
    except IntegrityError:
        # Another request stored the same id at the same moment: the answer is the one it would have got after it.
        existing = _submission(client, item.external_id)
        if existing is None:
            raise
        return _known(index, item.external_id, existing, p.content)


def _submission(client: ApiClient, external_id: str) -> PartnerSubmission | None:
    return (
        PartnerSubmission.objects.select_related("record")
        .filter(partner=client.partner, external_id=external_id)
        .first()
    )


def _known(index: int, external_id: str, existing: PartnerSubmission, content: dict[str, Any]) -> ItemResult:
    """The answer for an id this partner has already used: only ever about the partner's own submission."""
    same = existing.fingerprint == fingerprint(content)
    return _answer(index, external_id, existing.record.external_id, same=same)


def _answer(index: int, external_id: str, record_id: str, *, same: bool) -> ItemResult:
    if same:
        return ItemResult(index, external_id, "DUPLICATE", record_id)
    return ItemResult(
        index,
        external_id,
        "CONFLICT",
        record_id,
        errors=[
            {
                "field": "external_id",
                "reason": f"{external_id!r} was already received with different content; "
                "records cannot be changed and the stored one is kept",
            }
        ],
    )


def _id_problem(client: ApiClient, external_id: str) -> str | None:
    stored = stored_record_id(client.partner.code, external_id)
    if len(stored) > RECORD_ID_MAX:
        room = RECORD_ID_MAX - len(stored_record_id(client.partner.code, ""))
        return f"at most {room} characters for {client.partner.code} (this one has {len(external_id)})"
    return None


def _submit_new(
    client: ApiClient, index: int, item: PartnerRecordIn, person: Person, content: dict[str, Any]
) -> ItemResult:
    existing = (
        PartnerSubmission.objects.select_for_update(of=("self",))
        .select_related("record")
        .filter(partner=client.partner, external_id=item.external_id)
        .first()
    )
    if existing is not None:
        return _known(index, item.external_id, existing, content)
    try:
        record = _store(
            client,
            person,
            item.external_id,
            content,
            kind=item.kind,
            occurred_at=item.occurred_at,
            author=item.author,
            text=item.text,
            order=item.order.as_order() if item.order else None,
        )
    except ValidationError as exc:
        return ItemResult(
            index, item.external_id, "REJECTED", errors=[{"field": f, "reason": r} for f, r in exc.problems]
        )
    return ItemResult(index, item.external_id, "CREATED", record.external_id)


def _store(client: ApiClient, person: Person, external_id: str, content: dict[str, Any], **record: Any) -> Record:
    """Store what a partner sent as a record received now, and remember its id and fingerprint (idempotency).

    The id is the partner's own, in its namespace (issue 11 §7). Should a record that did not come from this
    partner already hold it (a bundle import may carry any id), the item is refused without a word about that
    record: what it says, where it came from, or how it differs."""
    namespaced = stored_record_id(client.partner.code, external_id)
    if Record.objects.filter(person=person, external_id=namespaced).exists():
        raise ValidationError(
            [("external_id", f"{external_id!r} cannot be used for this case; send the record under another id")]
        )
    stored, _ = record_add(
        actor=client.actor,
        person=person,
        external_id=namespaced,
        source=SOURCE_FOR_PARTNER[PartnerKind(client.partner.kind)],
        received_at=clock.now(),
        **record,
    )
    PartnerSubmission.objects.create(
        partner=client.partner,
        external_id=external_id,
        record=stored,
        fingerprint=fingerprint(content),
        agreement=client.agreement,
    )
    return stored


def agreements_answering(person: Person, kind: CheckKind) -> list[SharingAgreement]:
    """Agreements in force today that cover the person's PDU and let their partner answer this check."""
    today = clock.today()
    # Agreements are few per PDU; JSON containment is not portable to SQLite, so the check is made here.
    return [
        a
        for a in SharingAgreement.objects.filter(pdus=person.pdu_id).select_related("partner")
        if kind.value in a.answers and agreement_problem(terms_of(a), today) is None
    ]


@transaction.atomic
def check_request_create(*, actor: Actor, person: Person, kind: str, partner_code: str, question: str) -> CheckRequest:
    """Ask a partner for a check on a person: only a partner whose current agreement covers the case and the check,
    and only by someone who works the case (people/rules/case_work.py; the POM for custody-phase checks)."""
    cover = case_write_check(actor=actor, person=person, work=Work.CUSTODY)
    if kind not in CheckKind.__members__:
        raise ValidationError([("kind", f"unknown check {kind!r}; one of {', '.join(CheckKind)}")])
    agreements = [a for a in agreements_answering(person, CheckKind(kind)) if a.partner.code == partner_code]
    if not agreements:
        raise ValidationError(
            [
                (
                    "partner",
                    f"no current agreement lets {partner_code} answer a "
                    f"{CHECK_LABELS[CheckKind(kind)].lower()} for {person.crn}",
                )
            ]
        )
    public_id = uuid.uuid4()
    request = CheckRequest.objects.create(
        person=person,
        partner=agreements[0].partner,
        kind=kind,
        question=question.strip(),
        external_id=str(public_id),
        public_id=public_id,
        requested_at=clock.now(),
        requested_by=actor.code,
    )
    audit_record(
        actor=actor,
        action="CHECK_REQUEST",
        crn=person.crn,
        details={"check": str(request.public_id), "kind": kind, "partner": partner_code, **cover},
    )
    announce_case_changed([person.pk], "check")
    return request


def check_requests_open(*, client: ApiClient) -> list[CheckRequest]:
    """Open requests addressed to this partner, for checks and cases its agreement covers."""
    rows = CheckRequest.objects.filter(
        partner=client.partner,
        response_record__isnull=True,
        kind__in=[k.value for k in client.terms.answers],
        person__pdu_id__in=client.pdu_ids,
    ).select_related("person")
    audit_record(
        actor=client.actor,
        action="PARTNER_CHECKS_LIST",
        details={"agreement": client.terms.reference, "open": len(rows)},
    )
    return list(rows)


@dataclass(frozen=True)
class AnswerResult:
    request: CheckRequest
    record_id: str
    created: bool


def check_answer(*, client: ApiClient, public_id: str, answer: CheckAnswerIn) -> AnswerResult:
    """Store the partner's answer as a record linked to the request; the same answer again is accepted once."""
    with transaction.atomic():
        request = (
            CheckRequest.objects.select_for_update(of=("self",))
            .select_related("person", "response_record")
            .filter(
                public_id=public_id,
                partner=client.partner,
                kind__in=[k.value for k in client.terms.answers],
                person__pdu_id__in=client.pdu_ids,
            )
            .first()
        )
        if request is None:
            raise UnknownIdError("check", f"{public_id} is open for {client.partner.code}")
        content = answer.model_dump(mode="json")
        if request.response_record is not None:
            submission = PartnerSubmission.objects.filter(record=request.response_record).first()
            if submission is not None and submission.fingerprint == fingerprint(content):
                return AnswerResult(request, request.response_record.external_id, False)
            raise ValidationError(
                [("external_id", "this check was already answered with different content; the stored answer is kept")]
            )
        if (problem := _id_problem(client, answer.external_id)) is not None:
            raise ValidationError([("external_id", problem)])
        if PartnerSubmission.objects.filter(partner=client.partner, external_id=answer.external_id).exists():
            raise ValidationError([("external_id", f"{answer.external_id!r} is already used by another record")])
        record = _store(
            client,
            request.person,
            answer.external_id,
            content,
            kind=RESPONSE_KIND[CheckKind(request.kind)],
            occurred_at=answer.occurred_at,
            author=answer.author,
            text=answer.text,
        )
        request.response_record = record
        request.save(update_fields=["response_record"])
        audit_record(
            actor=client.actor,
            action="CHECK_ANSWER",
            crn=request.person.crn,
            details={"check": public_id, "record": record.external_id},
        )
        announce_case_changed([request.person_id], "check")
    return AnswerResult(request, record.external_id, True)

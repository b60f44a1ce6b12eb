"""Who is calling the partner API, and the checks on a case."""

from __future__ import annotations

from django.db.models import QuerySet

from keepsafe.core import clock
from keepsafe.people.models import Person
from keepsafe.sharing.models import ApiKey, CheckRequest
from keepsafe.sharing.rules.agreements import CheckKind, agreement_problem, key_hash, split_key
from keepsafe.sharing.services import ApiClient, agreements_answering, terms_of


class KeyRejectedError(Exception):
    """`status` 401: the key is not valid; 403: it is, but its agreement does not allow use today."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status, self.reason = status, reason


def api_client(key: str) -> ApiClient:
    parts = split_key(key.strip())
    row = (
        ApiKey.objects.select_related("agreement__partner").filter(prefix=parts[0]).first()
        if parts is not None
        else None
    )
    # Unknown, wrong and revoked keys get the same answer: nothing to learn from probing.
    if parts is None or row is None or row.secret_hash != key_hash(parts[1]) or row.revoked_at is not None:
        raise KeyRejectedError(401, "the API key is not valid or has been revoked")
    terms = terms_of(row.agreement)
    if (problem := agreement_problem(terms, clock.today())) is not None:
        raise KeyRejectedError(403, problem)
    ApiKey.objects.filter(pk=row.pk).update(last_used_at=clock.now())
    pdu_ids = frozenset(row.agreement.pdus.values_list("pk", flat=True))
    return ApiClient(row, row.agreement, row.agreement.partner, terms, pdu_ids)


def partners_for_check(person: Person, kind: CheckKind) -> list[tuple[str, str]]:
    """(code, name) of partners whose current agreement lets them answer this check for this case."""
    return sorted({a.partner.code: a.partner.name for a in agreements_answering(person, kind)}.items())


def checks_for_case(person: Person) -> QuerySet[CheckRequest]:
    return (
        CheckRequest.objects.filter(person=person)
        .select_related("partner", "response_record")
        .order_by("-requested_at")
    )

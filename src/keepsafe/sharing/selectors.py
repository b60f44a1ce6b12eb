"""Who is calling the partner API, and the checks on a case."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet

from keepsafe.core import clock
from keepsafe.people.models import Person
from keepsafe.sharing.models import ApiKey, CheckRequest
from keepsafe.sharing.rules.agreements import CheckKind, agreement_problem, key_hash, rate_step, split_key
from keepsafe.sharing.rules.meetings import OwnerStanding
from keepsafe.sharing.services import ApiClient, agreements_answering, terms_of
from keepsafe.workforce.models import Staff


class KeyRejectedError(Exception):
    """`status` 401: the key is not valid; 403: it is, but its agreement does not allow use today; 429: the key
    has made more calls this minute than the rate limit allows (`retry_after` seconds)."""

    def __init__(self, status: int, reason: str, retry_after: int | None = None) -> None:
        super().__init__(reason)
        self.status, self.reason, self.retry_after = status, reason, retry_after


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
    _count_call(row.pk)
    pdu_ids = frozenset(row.agreement.pdus.values_list("pk", flat=True))
    return ApiClient(row, row.agreement, row.agreement.partner, terms, pdu_ids)


def _count_call(key_id: int) -> None:
    """Count the call against the key's rate limit (one row lock per call, so it holds across processes)."""
    now = clock.now()
    with transaction.atomic():
        row = ApiKey.objects.select_for_update().get(pk=key_id)
        start, count, wait = rate_step(
            row.rate_window_start, row.rate_window_count, now, settings.KEEPSAFE_API_RATE_LIMIT
        )
        ApiKey.objects.filter(pk=key_id).update(last_used_at=now, rate_window_start=start, rate_window_count=count)
    if wait is not None:
        raise KeyRejectedError(
            429,
            f"more than {settings.KEEPSAFE_API_RATE_LIMIT} calls a minute with this key; try again in {wait} s",
            retry_after=wait,
        )


def partners_for_check(person: Person, kind: CheckKind) -> list[tuple[str, str]]:
    """(code, name) of partners whose current agreement lets them answer this check for this case."""
    return sorted({a.partner.code: a.partner.name for a in agreements_answering(person, kind)}.items())


def checks_for_case(person: Person) -> QuerySet[CheckRequest]:
    return (
        CheckRequest.objects.filter(person=person)
        .select_related("partner", "response_record")
        .order_by("-requested_at")
    )


# --- issue 16 §4 review (helper "share2"): who may own an agreed action ----------------------------------------------


def owner_standing(person: Person, staff: Staff) -> OwnerStanding:
    """A proposed owner of an agreed action as the owner rule sees them (sharing/rules/meetings.owner_problem)."""
    return OwnerStanding(
        code=staff.code,
        name=staff.name,
        pdu=staff.team.pdu.code if staff.team is not None else None,
        is_case_pom=staff.pk == person.prison_offender_manager_id,
        may_see=Person.objects.visible_to(is_system=False, staff_id=staff.pk).filter(pk=person.pk).exists(),
    )

"""Reading people on probation. The only way to fetch a person: every function here applies visibility."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Q, QuerySet

from keepsafe.audit.models import Outcome
from keepsafe.audit.services import audit_record
from keepsafe.core.actor import Actor, Channel, Role
from keepsafe.core.chunkrows import chunk_rows
from keepsafe.core.errors import NotFoundError, PermissionDeniedError
from keepsafe.core.ids import normalise_crn
from keepsafe.core.pages import shown_offset
from keepsafe.people.models import CaseAccess, Person
from keepsafe.people.rules.case_work import CaseTeam, Work, WorkDecision, may_work_case
from keepsafe.people.rules.search import parse as parse_search
from keepsafe.people.rules.visibility import may_see_case
from keepsafe.workforce.models import Staff
from keepsafe.workforce.rules.grades import Grade


def person_visible_queryset(*, viewer: Actor) -> QuerySet[Person]:
    return Person.objects.visible_to(is_system=viewer.is_system, staff_id=viewer.staff_id)


def person_get(*, crn: str, viewer: Actor, action: str = "CASE_VIEW", details: dict | None = None) -> Person:
    """Fetch one case and audit the read. A hidden case raises the same NotFoundError as a missing one;
    the audit trail (visible to auditors only) tells them apart."""
    canonical = normalise_crn(crn) or crn
    person = (
        person_visible_queryset(viewer=viewer)
        .select_related("pdu__region", "practitioner__team", "prison_offender_manager")
        .filter(crn=canonical)
        .first()
    )
    if person is None:
        exists = Person.objects.filter(crn=canonical).exists()
        audit_record(
            actor=viewer,
            action=action,
            crn=canonical if exists else None,
            outcome=Outcome.DENIED if exists else Outcome.NOT_FOUND,
            details={**(details or {}), **({} if exists else {"requested": canonical[:20]})},
        )
        raise NotFoundError(canonical)
    audit_record(actor=viewer, action=action, crn=person.crn, details=details or {})
    return person


def person_search(*, viewer: Actor, query: str, limit: int = 50) -> list[Person]:
    """Search by CRN or name (the first page of person_search_page)."""
    return person_search_page(viewer=viewer, query=query, offset=0, limit=limit)[0]


def person_search_page(*, viewer: Actor, query: str, offset: int = 0, limit: int = 50) -> tuple[list[Person], int]:
    """Search by whole or partial CRN, PNC number, date of birth and name words (people.rules.search), one page of
    results and the total. Only cases the viewer may see are ever matched, so nothing leaks by count. On PostgreSQL
    the partial matches use trigram indexes (people/migrations: pg_trgm on CRN, PNC, forename and surname); on
    SQLite the same LIKE queries scan. An `offset` past the last match shows the last page (`core.pages`)."""
    text = query.strip()
    if not text:
        return [], 0
    terms = parse_search(text)
    people = person_visible_queryset(viewer=viewer).select_related("practitioner", "pdu")
    crn = normalise_crn(text)
    if crn:
        people = people.filter(crn=crn)
    elif terms.empty:
        people = people.none()
    else:
        if terms.crn_prefix:
            people = people.filter(crn__startswith=terms.crn_prefix)
        if terms.digits:
            people = people.filter(Q(crn__contains=terms.digits) | Q(pnc__contains=terms.digits))
        if terms.pnc:
            people = people.filter(pnc__istartswith=terms.pnc) if "/" in terms.pnc else people.none()
        if terms.date_of_birth:
            people = people.filter(date_of_birth=terms.date_of_birth)
        for word in terms.words:
            match = Q(forename__istartswith=word) | Q(surname__istartswith=word)
            if len(word) >= 3:  # part of a name (Goldsmith for "smith"): trigram-indexed on PostgreSQL
                match |= Q(surname__icontains=word)
            people = people.filter(match)
    people = people.order_by("surname", "forename", "crn")
    total = people.count()
    offset = shown_offset(offset, limit, total)  # past the last page: the last (core.pages)
    found = list(people[offset : offset + limit]) if total else []
    # What was searched for, as typed (issue 11 §9: the audit trail says what each search looked for).
    audit_record(
        actor=viewer,
        action="CASE_SEARCH",
        details={"query": text, "results": [p.crn for p in found], "total": total, "offset": offset},
    )
    return found, total


# --- who may see and who may work a case (issue 11) -----------------------------------------------------------------

type AccessLists = tuple[frozenset[int], frozenset[int]]  # (restricted to, excluded) staff ids


def access_lists(person_ids: Iterable[int]) -> dict[int, AccessLists]:
    """The restriction and exclusion lists of many cases in one query (cases with none get empty lists)."""
    ids = list(set(person_ids))
    restricted: dict[int, set[int]] = {pk: set() for pk in ids}
    excluded: dict[int, set[int]] = {pk: set() for pk in ids}
    for person_id, staff_id, kind in chunk_rows(_case_access_query, ids) if ids else ():
        (restricted if kind == CaseAccess.Kind.RESTRICTION else excluded)[person_id].add(staff_id)
    return {pk: (frozenset(restricted[pk]), frozenset(excluded[pk])) for pk in ids}


def _case_access_query(ids: Any) -> QuerySet[Any, Any]:
    return CaseAccess.objects.filter(person_id__in=ids).values_list("person_id", "staff_id", "kind")


def staff_may_see(staff_id: int, person: Person) -> bool:
    restricted, excluded = access_lists([person.pk])[person.pk]
    return may_see_case(is_system=False, viewer_staff_id=staff_id, restricted_to=restricted, excluded=excluded)


def case_team(person: Person, *, cover: Iterable[int] = ()) -> CaseTeam:
    """Who works a case (people/rules/case_work.py): the holder, the POM, the holder's managers up the line, the
    PDU's heads and their ACO, and named cover (the holder's team SPOs, plus `cover` given by the caller)."""
    pdu_staff = {
        s.pk: s
        for s in Staff.objects.filter(
            Q(team__pdu_id=person.pdu_id) | Q(team__isnull=True, grade=Grade.ACO) | Q(pk=person.practitioner_id)
        )
    }
    managers: set[int] = set()
    holder = pdu_staff.get(person.practitioner_id) if person.practitioner_id else None
    current = holder
    while current is not None and current.line_manager_id and current.line_manager_id not in managers:
        managers.add(current.line_manager_id)
        current = pdu_staff.get(current.line_manager_id) or Staff.objects.filter(pk=current.line_manager_id).first()
    heads = [s for s in pdu_staff.values() if s.grade == Grade.HEAD_OF_PDU and s.team_id is not None]
    managers |= {h.pk for h in heads} | {h.line_manager_id for h in heads if h.line_manager_id}
    spos = {s.pk for s in pdu_staff.values() if s.grade == Grade.SPO}
    if holder is None:
        managers |= spos  # unallocated: any SPO of the PDU may allocate and act
    team_spos = {s.pk for s in pdu_staff.values() if s.grade == Grade.SPO and holder and s.team_id == holder.team_id}
    restricted, excluded = access_lists([person.pk])[person.pk]
    return CaseTeam(
        holder=person.practitioner_id,
        pom=person.prison_offender_manager_id,
        managers=frozenset(managers),
        cover=frozenset(team_spos | set(cover)),
        restricted_to=restricted,
        excluded=excluded,
    )


def case_work_check(*, actor: Actor, person: Person, work: Work = Work.CASE, cover: Iterable[int] = ()) -> WorkDecision:
    """Refuse (PermissionDeniedError, with the reason) anyone who may not write on this case; otherwise say on what
    basis they act and, when not the holder, for whom (`acting_for_code` gives the holder's staff code)."""
    decision = may_work_case(
        role=actor.role,
        staff_id=actor.staff_id,
        team=case_team(person, cover=cover) if not actor.is_system else _NONE,
        work=work,
    )
    if not decision.allowed:
        raise PermissionDeniedError(decision.basis)
    return decision


def case_write_check(
    *, actor: Actor, person: Person, work: Work = Work.CASE, cover: Iterable[int] = ()
) -> dict[str, str]:
    """The check every service writing case data makes; returns the audit details naming whom the actor acts for.
    A partner's system is authorised by its information sharing agreement in `sharing` (only through the API), so it
    passes here; anyone else goes through people/rules/case_work.py. `cover`: staff the caller names as cover (the
    allocating SPO of the case's PDU, issue 15: oversight.allocation)."""
    if actor.role is Role.PARTNER and actor.channel is Channel.API:
        return {}
    return acting_for(case_work_check(actor=actor, person=person, work=work, cover=cover))


def acting_for(decision: WorkDecision) -> dict[str, str]:
    """Audit details naming the holder someone acted for (empty when they acted as themselves)."""
    if decision.acting_for is None:
        return {}
    code = Staff.objects.filter(pk=decision.acting_for).values_list("code", flat=True).first()
    return {"acting_for": code or str(decision.acting_for), "basis": decision.basis}


_NONE = CaseTeam(None, None, frozenset(), frozenset(), frozenset(), frozenset())

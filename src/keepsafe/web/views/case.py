"""Case pages: a case header on every tab, then overview, chronology, sentence, flags, personal details."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from keepsafe.actions.selectors import open_counts
from keepsafe.cases.caseload import ROSH_BY_REGISTRATION
from keepsafe.cases.recalls import active_recall
from keepsafe.cases.selectors import case_detail, chronology
from keepsafe.core import clock
from keepsafe.core.actor import Actor, Role
from keepsafe.core.errors import NotFoundError
from keepsafe.people.models import Contact, Event, Person, Registration
from keepsafe.people.rules.case_work import WRITER_ROLES, Work, may_work_case
from keepsafe.people.rules.key_dates import days_until
from keepsafe.people.rules.registration_review import (
    MAPPA_CATEGORY_LABELS,
    MAPPA_LEVEL_LABELS,
    is_active,
    is_review_overdue,
)
from keepsafe.people.rules.vocabulary import (
    PROTECTIVE_LICENCE_CONDITIONS,
    SAFETY_CRITICAL_REGISTRATIONS,
    SENTENCE_LABELS,
    SOURCE_LABELS,
    RecordSource,
    SentenceType,
    outcome_words,
)
from keepsafe.people.selectors import case_team
from keepsafe.records.models import Record
from keepsafe.records.rules.indicators import GROUPS
from keepsafe.records.selectors import findings_staleness, indicator_picture
from keepsafe.risk.models import CaseRisk
from keepsafe.risk.selectors import review_signals
from keepsafe.sharing.rules.agreements import CHECK_LABELS
from keepsafe.sharing.selectors import checks_for_case
from keepsafe.victims.rules.representations import KIND_LABELS as VICTIM_KIND_LABELS  # issue 16 §7
from keepsafe.victims.selectors import representations_of, summary_of, victim_prompts  # issue 16 §7
from keepsafe.web.views.common import actor_of, query_choice

# Who may ask a partner for a check (an auditor reads; a partner answers).
REQUESTERS = {Role.PRACTITIONER, Role.SPO, Role.HEAD_OF_PDU, Role.POM}

TABS = [
    ("case", "Overview"),
    ("case-risk", "Risk"),
    ("case-actions", "Actions"),
    ("case-appointments", "Appointments"),  # issue 14
    ("case-chronology", "Chronology"),
    ("case-sentence", "Sentence"),
    ("case-flags", "Flags"),
    ("case-personal", "Personal details"),
    ("case-documents", "Documents"),  # issue 14 §5 (helper "recall")
    ("case-transfers", "Transfers"),  # issue 16 §2 (helper "transfer")
    ("case-court", "Court"),  # issue 16 §1 (helper "court")
    ("case-ap", "Approved premises"),  # issue 16 §5 (helper "ap")
    ("case-disclosures", "Disclosures"),  # issue 16 §3 (helper "share")
    ("case-meetings", "Meetings"),  # issue 16 §4 (helper "share")
]


def _age(born: date, today: date) -> int:
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def _flags(person: Person, today: date) -> tuple[list[dict[str, Any]], list[Registration]]:
    active: list[dict[str, Any]] = []
    removed: list[Registration] = []
    for reg in person.registrations.all():
        if is_active(start=reg.start, end=reg.end, today=today):
            active.append(
                {
                    "registration": reg,
                    "critical": reg.type.code in SAFETY_CRITICAL_REGISTRATIONS,
                    "overdue": is_review_overdue(reg.next_review, today),
                }
            )
        else:
            removed.append(reg)
    order = {code: i for i, code in enumerate(SAFETY_CRITICAL_REGISTRATIONS)}
    active.sort(
        key=lambda f: (not f["critical"], order.get(f["registration"].type.code, 99), f["registration"].type.name)
    )
    return active, removed


def _case(request: HttpRequest, crn: str, tab: str) -> tuple[Person, dict]:
    try:
        person = case_detail(crn=crn, viewer=actor_of(request), tab=tab)
    except NotFoundError as exc:
        raise Http404 from exc
    today = clock.today()
    active, removed = _flags(person, today)
    # The level set by assessments wins; before any, the nDelius RoSH registration shows.
    risk = CaseRisk.objects.filter(person=person).first()
    rosh = (risk.level if risk and risk.level else None) or next(
        (
            ROSH_BY_REGISTRATION[f["registration"].type.code]
            for f in active
            if f["registration"].type.code in ROSH_BY_REGISTRATION
        ),
        None,
    )
    return person, {
        "person": person,
        "today": today,
        "age": _age(person.date_of_birth, today),
        "active_flags": active,
        "removed_flags": removed,
        "rosh": rosh,
        "case_risk": risk,
        "action_counts": open_counts(person, clock.now()),
        "active_recall": active_recall(person),  # the red banner on every tab (issue 14 §4)
        "tabs": TABS,
        "current_tab": tab,
        "sentence_labels": {s.value: SENTENCE_LABELS[s] for s in SentenceType},
        "source_labels": {s.value: SOURCE_LABELS[s] for s in RecordSource},
    } | _may_write(actor_of(request), person)


def _may_write(actor: Actor, person: Person) -> dict[str, bool]:
    """Which write buttons a tab offers: the rule every write service applies (people/rules/case_work.py), so a
    read-only role (an auditor) or someone not on the case sees no button that would only end in a refusal."""
    if actor.role not in WRITER_ROLES or actor.staff_id is None:
        return {"can_write": False, "can_write_custody": False}
    team = case_team(person)
    return {
        key: may_work_case(role=actor.role, staff_id=actor.staff_id, team=team, work=work).allowed
        for key, work in (("can_write", Work.CASE), ("can_write_custody", Work.CUSTODY))
    }


def overview(request: HttpRequest, crn: str) -> HttpResponse:
    person, context = _case(request, crn, "case")
    today = context["today"]
    events = list(
        Event.objects.filter(person=person, terminated__isnull=True).prefetch_related(
            "licence_conditions", "requirements"
        )
    )
    key_dates = []
    for event in events:
        for label, value in (
            ("Release", event.release),
            ("Licence expiry", event.licence_expiry),
            ("Sentence expiry", event.sentence_expiry),
            ("Post-sentence supervision ends", event.pss_end),
        ):
            if value:
                key_dates.append({"event": event, "label": label, "date": value, "days": days_until(value, today)})
    protective = [c for e in events for c in e.licence_conditions.all() if c.type in PROTECTIVE_LICENCE_CONDITIONS]
    contacts = list(Contact.objects.filter(person=person).select_related("staff").order_by("-at")[:10])
    picture = indicator_picture(person, clock.now())
    role = actor_of(request).role
    context.update(
        {
            "events": events,
            "key_dates": key_dates,
            "protective": protective,
            "contacts": contacts,
            "outcome_words": outcome_words,  # as the chronology and the case summary word it
            "indicator_groups": [
                (group, [s for s in picture if s.indicator in members]) for group, members in GROUPS.items()
            ],
            "signals": review_signals(person, clock.now()),
            "findings_rebuilding": findings_staleness(),
            "checks": list(checks_for_case(person)),
            "check_labels": {k.value: v for k, v in CHECK_LABELS.items()},
            "can_request_checks": role in REQUESTERS,
            "is_pom": role is Role.POM,
        }
    )
    return render(request, "case/overview.html", context)


def chronology_tab(request: HttpRequest, crn: str) -> HttpResponse:
    person, context = _case(request, crn, "case-chronology")
    kinds = sorted(
        {*Record.objects.filter(person=person).values_list("kind", flat=True).distinct(), "CONTACT", "REGISTRATION"}
    )
    # a source or kind the filters do not offer is refused by name: it showed "0 items" as if the case had none
    source = query_choice(request, "source", ["PROBATION", *(s.value for s in RecordSource)], "a source")
    kind = query_choice(request, "kind", kinds, "a kind of item on this case")
    items = chronology(person=person, source=source, kind=kind)
    context.update(
        {
            "items": items,
            "findings_rebuilding": findings_staleness(),
            "source": source,
            "kind": kind,
            "kinds": kinds,
            "sources": [
                ("PROBATION", "Probation (contacts and flags)"),
                *((s.value, SOURCE_LABELS[s]) for s in RecordSource),
            ],
        }
    )
    return render(request, "case/chronology.html", context)


def sentence(request: HttpRequest, crn: str) -> HttpResponse:
    person, context = _case(request, crn, "case-sentence")
    context["events"] = list(Event.objects.filter(person=person).prefetch_related("requirements", "licence_conditions"))
    # issue 16 §7 (helper "victim"): the VLO's representations and the prompts they raise, by the case JSON's rule
    reps = list(representations_of(person))
    context["victim_representations"] = [{"rep": r, "summary": summary_of(r)} for r in reps]
    context["victim_prompts"] = victim_prompts(person, reps, context["events"])
    context["victim_kind_labels"] = {k.value: v for k, v in VICTIM_KIND_LABELS.items()}
    return render(request, "case/sentence.html", context)


def flags(request: HttpRequest, crn: str) -> HttpResponse:
    _, context = _case(request, crn, "case-flags")
    # issue 14 §2 (helper "flags"): the forms are offered to those who may write on the case; MAPPA codes as words.
    context["can_write_flags"] = context["can_write_custody"]
    context["level_labels"], context["category_labels"] = MAPPA_LEVEL_LABELS, MAPPA_CATEGORY_LABELS
    return render(request, "case/flags.html", context)


def personal_details(request: HttpRequest, crn: str) -> HttpResponse:
    _, context = _case(request, crn, "case-personal")
    return render(request, "case/personal.html", context)

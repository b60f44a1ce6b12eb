"""Safety actions: my actions, team and PDU actions, a case's actions with what can be done about each, and the
recall workflow."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from keepsafe.actions import lists as action_lists
from keepsafe.actions.models import Action, Recall
from keepsafe.actions.rules.checks import ACTED_ON_LABELS, ActedOn
from keepsafe.actions.rules.recall import (
    ARREST_SECTIONS,
    PART_A_SECTIONS,
    emergency_grounds,
    licence_problem,
    next_step,
    options_for,
    signature_problem,
    stage,
)
from keepsafe.actions.rules.release import ITEM_LABELS, Item
from keepsafe.actions.rules.types import LABELS, MANUAL_COMPLETION, ActionType, may_cancel, severity
from keepsafe.actions.selectors import findings_known, licence_facts, visible_actions
from keepsafe.actions.services import decisions, manage
from keepsafe.actions.services import recall as recall_services
from keepsafe.audit.services import audit_record
from keepsafe.cases import documents, referrals
from keepsafe.cases.recalls import area_regions
from keepsafe.core import clock
from keepsafe.core.actor import Role
from keepsafe.core.errors import PermissionDeniedError, ValidationError
from keepsafe.core.pages import shown_page
from keepsafe.core.words import code_words
from keepsafe.oversight.prioritisation import (
    deprioritised_tags,
    deprioritised_tags_of,
)  # issue 15 §4 (helpers "overs", "alloc2")
from keepsafe.people.models import Contact, Event, Requirement
from keepsafe.people.rules.case_work import WRITER_ROLES
from keepsafe.people.rules.vocabulary import ENFORCEABLE_OUTCOMES
from keepsafe.sharing.models import CheckRequest
from keepsafe.web.views.case import _case
from keepsafe.web.views.common import PAGE_SIZE, actor_of, page_count, page_number, query_without_page

MANAGERS = {Role.SPO, Role.HEAD_OF_PDU, Role.REGIONAL_LEADER}
SCOPES = {"mine": "My actions", "team": "Team actions", "pdu": "PDU actions"}


def _rows(actions: list[Action], now: datetime) -> list[dict[str, Any]]:
    """A case's open actions, most severe first, then soonest due (actions.rules.types.severity)."""
    ordered = sorted(actions, key=lambda a: (severity(a.type, a.detail.get("emergency") == "yes"), a.due, a.pk))
    return [{"action": a, "overdue": a.due <= now, "label": LABELS[ActionType(a.type)]} for a in ordered]


def actions_list(request: HttpRequest, scope: str = "mine") -> HttpResponse:
    actor = actor_of(request)
    staff = getattr(request.user, "staff", None)
    if scope not in SCOPES:
        raise Http404
    rows = visible_actions(actor)
    if scope == "mine":
        if actor.staff_id is None:
            raise PermissionDenied
        rows = rows.filter(owner_id=actor.staff_id)
    elif scope == "team":
        if actor.role not in MANAGERS or staff is None or staff.team_id is None:
            raise PermissionDenied
        rows = rows.filter(owner__team_id=staff.team_id)
    else:
        if actor.role not in {Role.HEAD_OF_PDU, Role.REGIONAL_LEADER}:
            raise PermissionDenied
        if staff is not None and staff.team_id is not None:
            rows = rows.filter(person__pdu_id=staff.team.pdu_id)
        elif actor.role is Role.REGIONAL_LEADER:
            # An ACO above any one team: the PDUs of their area (cases.recalls.area_regions), not the whole country.
            rows = rows.filter(person__pdu__region__in=area_regions(staff))
    number = page_number(request)  # before any work: `page=abc` is refused (400), never read as page 1
    now = clock.now()
    # One page in SQL, most severe first then due (issue 14 §4; issue 20 §3: never every open action at once).
    chart = action_lists.by_type(rows, now)  # the counts per type, whose sum is the total (no COUNT of its own)
    total = action_lists.total(chart)
    number = shown_page(number, PAGE_SIZE, total)  # past the last page: the last (core.pages)
    listed = action_lists.page_listed(rows, offset=(number - 1) * PAGE_SIZE, limit=PAGE_SIZE, now=now, total=total)
    # A list of actions names cases: which ones were shown is a read of each (issue 11 §9).
    audit_record(
        actor=actor,
        action="ACTIONS_LIST",
        details={"scope": scope, "page": number, "crns": sorted({r["action"].crn for r in listed})},
    )
    widest = max((c["overdue"] + c["open"] for c in chart), default=1)
    return render(
        request,
        "pages/actions.html",
        {
            "title": SCOPES[scope] + (f" (page {number})" if number > 1 else ""),
            "heading": SCOPES[scope],
            "scope": scope,
            "rows": listed,
            # issue 15 §4 (helper "overs"): work the PDU's prioritisation status deprioritises (never safety-critical)
            "deprioritised": deprioritised_tags_of(
                [(r["action"].pk, r["action"].type, r["action"].pdu_id) for r in listed], clock.today()
            ),
            "total": total,
            "overdue": sum(c["overdue"] for c in chart),
            "chart": chart,
            "widest": widest,
            "page": number,
            "pages": page_count(total),
            "query": query_without_page(request),
        },
    )


def _problems(exc: ValidationError) -> dict[str, str]:
    return {field: reason for field, reason in exc.problems}


def case_actions(
    request: HttpRequest,
    crn: str,
    errors: dict[str, str] | None = None,
    failed: int | None = None,
    failed_check: str | None = None,
) -> HttpResponse:
    person, context = _case(request, crn, "case-actions")
    actor = actor_of(request)
    now = clock.now()
    actions = list(
        Action.objects.filter(person=person).select_related("owner", "event").prefetch_related("log").order_by("due")
    )
    for a in actions:
        a.person = person  # one case: its PDU for the prioritisation tag without a query per action
    open_rows = _rows([a for a in actions if a.status == Action.Status.OPEN], now)
    contacts = {c.external_id: c for c in Contact.objects.filter(person=person, outcome__in=ENFORCEABLE_OUTCOMES)}
    checks = list(CheckRequest.objects.filter(person=person).select_related("response_record", "partner"))
    for row in open_rows:
        a = row["action"]
        row["can_cancel"] = may_cancel(ActionType(a.type), actor.role)
        row["can_complete"] = ActionType(a.type) in MANUAL_COMPLETION
        row["can_reassign"] = actor.role in MANAGERS
        row["contact"] = contacts.get(a.detail.get("contact", ""))
        # The forms only for those who may act (the service decides, with the owner as named cover).
        row["may_act"] = context["can_write_custody"] or (
            actor.staff_id is not None and a.owner_id == actor.staff_id and actor.role in WRITER_ROLES
        )
        if a.type in ("DOMESTIC_ABUSE_CHECK", "SAFEGUARDING_CHECK"):
            kind = a.type.removesuffix("_CHECK")
            row["checks"] = [c for c in checks if c.kind == kind]
            row["check_kind"] = kind
    context.update(
        {
            "open_rows": open_rows,
            # helper "alloc2": work the PDU's prioritisation status deprioritises (never safety-critical), tagged
            "deprioritised": deprioritised_tags([r["action"] for r in open_rows], clock.today()),
            "closed": [a for a in actions if a.status != Action.Status.OPEN][-50:],
            "release_items": [(i.value, ITEM_LABELS[i]) for i in Item],
            "acted_on_options": [(o.value, ACTED_ON_LABELS[o]) for o in ActedOn],
            "failed_check": failed_check,
            "errors": errors or {},
            "failed": failed,
            "now": now,
        }
    )
    return render(request, "case/actions.html", context, status=400 if errors else 200)


def _action(person_id: int, action_id: int) -> Action:
    action = Action.objects.filter(pk=action_id, person_id=person_id).select_related("person", "owner").first()
    if action is None:
        raise Http404
    return action


def _value(form: Any, name: str) -> str:
    """A field by name; forms that repeat per action suffix their field ids (notes-12) to keep them unique."""
    for key in form:
        if key == name or key.startswith(name + "-"):
            return str(form.get(key, ""))
    return ""


def action_post(request: HttpRequest, crn: str, action_id: int, verb: str) -> HttpResponse:
    if request.method != "POST":
        return redirect("web:case-actions", crn=crn)
    person, _ = _case(request, crn, "case-actions")
    actor = actor_of(request)
    action = _action(person.pk, action_id)
    form = request.POST
    try:
        match verb:
            case "complete":
                manage.action_complete(
                    actor=actor,
                    action=action,
                    evidence_kind=_value(form, "evidence_kind"),
                    evidence_ref=_value(form, "evidence_ref"),
                    notes=_value(form, "notes"),
                )
            case "cancel":
                manage.action_cancel(actor=actor, action=action, reason=_value(form, "reason"))
            case "reassign":
                manage.action_reassign(
                    actor=actor, action=action, staff_code=_value(form, "staff"), reason=_value(form, "reason")
                )
            case "enforcement":
                contact = Contact.objects.filter(person=person, external_id=action.detail.get("contact", "")).first()
                if contact is None:
                    raise Http404
                decisions.enforcement_record(
                    actor=actor, contact=contact, decision=_value(form, "decision"), notes=_value(form, "notes")
                )
            case "release-plan":
                if action.event is None:
                    raise Http404
                decisions.release_plan_confirm(
                    actor=actor, event=action.event, item=_value(form, "item"), notes=_value(form, "notes")
                )
            case "requirement-start":
                requirement = (
                    Requirement.objects.filter(
                        event__person=person, event=action.event, external_id=action.detail.get("requirement", "")
                    )
                    .select_related("event", "event__person")
                    .first()
                )
                if requirement is None:
                    raise Http404
                try:
                    start = date.fromisoformat(_value(form, "start"))
                except ValueError:
                    raise ValidationError([("start", "enter the date as YYYY-MM-DD")]) from None
                decisions.requirement_started(actor=actor, requirement=requirement, start=start)
            case _:
                raise Http404
    except ValidationError as exc:
        return case_actions(request, crn, errors=_problems(exc), failed=action.pk)
    except PermissionDeniedError as exc:
        raise PermissionDenied(str(exc)) from exc
    return redirect("web:case-actions", crn=person.crn)


def check_acted_on(request: HttpRequest, crn: str, public_id: str) -> HttpResponse:
    if request.method != "POST":
        return redirect("web:case-actions", crn=crn)
    person, _ = _case(request, crn, "case-actions")
    try:
        check = (
            CheckRequest.objects.filter(person=person, public_id=uuid.UUID(public_id)).select_related("person").first()
        )
    except ValueError:
        check = None
    if check is None:
        # The case is one the user may see: say it is the check that is unknown (not a 404 or a server error).
        return case_actions(request, crn, errors={"check": f"There is no check {public_id[:40]!r} on this case"})
    try:
        decisions.check_acted_on(
            actor=actor_of(request),
            check=check,
            outcome=_value(request.POST, "outcome"),
            notes=_value(request.POST, "notes"),
        )
    except ValidationError as exc:
        return case_actions(request, crn, errors=_problems(exc), failed_check=str(check.public_id))
    except PermissionDeniedError as exc:
        raise PermissionDenied(str(exc)) from exc
    return redirect("web:case-actions", crn=person.crn)


# --- recall -------------------------------------------------------------------------------------------------------


def recall_page(
    request: HttpRequest, crn: str, errors: dict[str, str] | None = None, form: dict | None = None
) -> HttpResponse:
    person, context = _case(request, crn, "case-actions")
    actor = actor_of(request)
    recall = Recall.objects.filter(person=person).select_related("event").first()
    today = clock.today()
    sentences, recalls = licence_facts(person)
    # Recall only while on licence (issue 12 §6): people in custody are never offered it.
    events = [e for e, facts in sentences if licence_problem(facts, recalls, today) is None]
    not_on_licence = [
        (e, problem)
        for e, facts in sentences
        if facts.custodial and (problem := licence_problem(facts, recalls, today)) is not None
    ]
    # Weapons or threats intelligence since release makes the form suggest emergency recall (issue 12 §7).
    subject = recall.event if recall is not None and recall.event is not None else (events[0] if events else None)
    release_of = {e.pk: facts.release or facts.conditional_release for e, facts in sentences}
    released = release_of.get(subject.pk) if subject is not None else None
    grounds = emergency_grounds(findings_known(person, clock.now()), released) if released else []
    options = None
    if recall is not None and recall.event is not None:
        try:
            options = options_for(recall.event.sentence_type)
        except ValueError:
            options = None
    progress = recall_services.progress(recall) if recall else None
    # Two-person rule (issue 11 §5): someone who may not countersign is told why instead of offered a button.
    sign_refusal = (
        {
            level: signature_problem(
                level=level,
                signer=actor.code,
                considered_by=recall.considered_by,
                decided_by=recall.decided_by,
                part_a_by=recall.part_a_by,
                spo_signed_by=recall.spo_signed_by,
            )
            for level in ("SPO", "ACO")
        }
        if recall is not None
        else {}
    )
    # The ACO sees Part A in full before countersigning (issue 14 §5): the same composition as the PDF.
    shown = (
        documents.part_a_for_countersign(actor=actor, person=person, recall=recall)
        if recall is not None
        and progress is not None
        and stage(progress) == "SPO_SIGNED"
        and actor.role is Role.REGIONAL_LEADER
        else None
    )
    context.update(
        {
            "recall": recall,
            "part_a_shown": shown,
            "stage": stage(progress) if progress else None,
            "next_step": next_step(progress) if progress else None,
            "events": events,
            "not_on_licence": not_on_licence,
            "emergency_grounds": grounds,
            "options": options,
            "type_options": [(t.value, code_words(t.value)) for t in options.types] if options else [],
            "part_a_sections": list(PART_A_SECTIONS.items()),
            "arrest_sections": list(ARREST_SECTIONS.items()),
            "role": actor.role.value,
            "sign_refusal": sign_refusal,
            "errors": errors or {},
            "form": form or {},
            "title": "Recall",
        }
    )
    return render(request, "case/recall.html", context, status=400 if errors else 200)


def _instant(value: str, field: str) -> datetime:
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise ValidationError([(field, "enter the date and time, for example 2026-11-23T14:30")]) from None
    return timezone.make_aware(parsed) if timezone.is_naive(parsed) else parsed


def recall_post(request: HttpRequest, crn: str, step: str) -> HttpResponse:
    if request.method != "POST":
        return redirect("web:case-recall", crn=crn)
    person, _ = _case(request, crn, "case-actions")
    actor = actor_of(request)
    form = request.POST
    recall = Recall.objects.filter(person=person).select_related("event", "person").first()
    try:
        if step == "consider":
            event = Event.objects.filter(person=person, external_id=form.get("event", "")).first()
            if event is None:
                raise ValidationError([("event", "choose the sentence whose licence may be recalled")])
            recall_services.recall_consider(
                actor=actor,
                person=person,
                event=event,
                reasons=form.getlist("reasons"),
                concerns=form.get("concerns", ""),
            )
        elif recall is None:
            raise Http404
        elif step == "decide":
            emergency = {"yes": True, "no": False}.get(form.get("emergency", ""))
            recall_services.recall_decide(
                actor=actor,
                recall=recall,
                decision=_value(form, "decision"),
                recall_type=form.get("type") or None,
                emergency=emergency,
                rationale=form.get("rationale", ""),
            )
        elif step == "part-a":
            names = [*PART_A_SECTIONS, *ARREST_SECTIONS]
            recall_services.recall_part_a_save(
                actor=actor,
                recall=recall,
                part_a={n: form[n] for n in names if n in form},
                draft=form.get("intent") == "draft",
            )
        elif step in ("countersign-spo", "countersign-aco"):
            recall_services.recall_countersign(
                actor=actor,
                recall=recall,
                level=step.rsplit("-", 1)[1].upper(),
                part_a_seen=form.get("part_a_seen") or None,  # the Part A the ACO was shown (issue 14 §5)
            )
        elif step == "send":
            referrals.part_a_send(actor=actor, recall=recall)  # logged as a disclosure (issue 16 §3)
        elif step == "revoked":
            recall_services.recall_revoked(actor=actor, recall=recall, at=_instant(form.get("at", ""), "at"))
        elif step == "executed":
            recall_services.recall_executed(
                actor=actor, recall=recall, at=_instant(form.get("at", ""), "at"), notes=_value(form, "notes")
            )
        elif step == "letter":
            recall_services.recall_letter(
                actor=actor,
                recall=recall,
                expectations=form.get("expectations", ""),
                next_appointment=form.get("next_appointment", ""),
            )
        else:
            raise Http404
    except ValidationError as exc:
        return recall_page(request, crn, errors=_problems(exc), form=dict(form.items()))
    except PermissionDeniedError as exc:
        raise PermissionDenied(str(exc)) from exc
    return redirect("web:case-recall", crn=person.crn)

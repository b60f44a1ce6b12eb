"""Victim contact (issue 16 §7): record a victim liaison officer's representation and its outcome. The
representations and the prompts they raise are shown on the Sentence tab, where the licence conditions are. Views are
thin: `victims.services` write (each refusal by field), `victims.selectors` read; the case is fetched through `_case`
(audited, visibility)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from keepsafe.core import clock
from keepsafe.people.rules.case_work import Work
from keepsafe.people.selectors import case_write_check
from keepsafe.victims.rules.representations import KIND_LABELS, RepresentationKind, RepresentationStatus
from keepsafe.victims.selectors import representations_of, summary_of
from keepsafe.victims.services import RepresentationInput, representation_outcome, representation_record
from keepsafe.web.views.case import _case
from keepsafe.web.views.common import actor_of
from keepsafe.web.views.flags import date_fields, date_from_form
from keepsafe.web.views.forms import choice, date_href, submit

TAB = "case-sentence"
STEPS = {"new": "Record a victim liaison officer's representation", "outcome": "Record a representation's outcome"}
DATES = {"new": ("received_on", "date the representation was received"), "outcome": ("decided_on", "date decided")}
KIND_OPTIONS = [(k.value, KIND_LABELS[k]) for k in RepresentationKind]
OUTCOME_OPTIONS = [
    (RepresentationStatus.INCLUDED.value, "Included in the licence"),
    (RepresentationStatus.DECLINED.value, "Declined"),
]


def victim_step(request: HttpRequest, crn: str, verb: str) -> HttpResponse:
    if verb not in STEPS:
        raise Http404
    person, context = _case(request, crn, TAB)
    actor = actor_of(request)
    case_write_check(actor=actor, person=person, work=Work.CASE)  # a 403 before any input is read
    source = request.POST if request.method == "POST" else request.GET
    rep = None
    if verb == "outcome":
        rep = representations_of(person).filter(external_id=source.get("representation", "")).first()
        if rep is None:
            raise Http404
    post = request.POST
    form = {k: post.get(k, "") for k in post if not k.startswith("csrf")}
    errors: dict[str, str] = {}
    date_name, date_label = DATES[verb]
    if request.method == "POST":
        day = date_from_form(post, date_name, date_label, errors, required=True)
        field, options, message = (
            ("kind", KIND_OPTIONS, "Choose what the victim asks for")
            if verb == "new"
            else ("status", OUTCOME_OPTIONS, "Choose whether the licence includes the request or it was declined")
        )
        choice(form.get(field, ""), field, [v for v, _ in options], errors, missing=message, wrong=message)
        stand_in = day or clock.today()  # while the date is unreadable, so every other field is checked (forms)
        if form.get("no_contact_victim", "") not in ("", "yes"):
            errors["no_contact_victim"] = "Tick the box if the victim asks that the person has no contact with them"

        def write() -> str:
            if rep is None:
                made = representation_record(
                    actor=actor,
                    person=person,
                    data=RepresentationInput(
                        vlo_name=form.get("vlo_name", ""),
                        received_on=stand_in,
                        kind=form.get("kind", ""),
                        no_contact_victim=form.get("no_contact_victim") == "yes",
                        no_contact_named=post.get("no_contact_named", "").splitlines(),
                        zone=form.get("zone", ""),
                        text=form.get("text", ""),
                    ),
                )
                return f"Representation {made.external_id} recorded"
            representation_outcome(
                actor=actor,
                rep=rep,
                status=form.get("status", ""),
                decided_on=stand_in,
                reason=form.get("decline_reason", ""),
            )
            return f"Outcome of representation {rep.external_id} recorded"

        done = submit(write, errors, stand_ins=[date_name] if day is None else [])
        if done is not None:
            messages.success(request, done)
            return redirect("web:case-sentence", crn=person.crn)
        if "kind" in errors and form.get("kind", "") == "":
            errors["kind"] = "Choose what the victim asks for"
    context.update(
        {
            "verb": verb,
            "rep": rep,
            "rep_summary": summary_of(rep) if rep is not None else "",
            "form": form,
            "errors": errors,
            "page_errors": [
                {"text": reason, "href": date_href(field, request.POST) if field == date_name else f"#{field}"}
                for field, reason in errors.items()
            ],
            "date_name": date_name,
            "date_value": date_fields(post, date_name),
            "kind_options": KIND_OPTIONS,
            "outcome_options": OUTCOME_OPTIONS,
            "kind_labels": KIND_LABELS,
            "title": f"{STEPS[verb]} – {person.crn}",
            "step_title": STEPS[verb],
        }
    )
    return render(request, "case/victim_step.html", context, status=400 if errors else 200)

"""Approved premises (issue 16 §5, helper "ap"): the case's Approved premises tab and its steps (refer, record the
premises' decision, record arrival). Views are thin: `cases.ap_referrals` sends a referral (its disclosure logged),
`premises.services` write (each refusal by field), `premises.selectors` read; the case is fetched through `_case`
(audited, visibility)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from keepsafe.cases.ap_referrals import ap_referral_send
from keepsafe.cases.referrals import referral_partners, referral_refused
from keepsafe.core import clock
from keepsafe.core.errors import ValidationError
from keepsafe.people.models import Person
from keepsafe.people.rules.case_work import Work
from keepsafe.people.selectors import case_write_check
from keepsafe.premises.models import ApReferral
from keepsafe.premises.selectors import ap_conditions_of, ap_referral_of, ap_referrals_of
from keepsafe.premises.services import (
    ap_arrival_record,
    ap_decision_record,
    ap_referral_record,
    referral_input_problems,
)
from keepsafe.sharing.rules.agreements import PartnerKind
from keepsafe.web.views.case import _case
from keepsafe.web.views.common import actor_of
from keepsafe.web.views.flags import date_fields, date_from_form
from keepsafe.web.views.forms import choice, date_href, submit, yes_no

TAB = "case-ap"
# The steps of the tab with each page's title (a unique title per step).
STEPS = {
    "refer": "Refer to approved premises",
    "decision": "Record the approved premises' decision",
    "arrival": "Record arrival at approved premises",
}
# How a referral is made: sent from Keepsafe with the current risk summary (the disclosure logged), or — an emergency
# out of hours only — made by telephone and recorded here without sending (docs/sharing.md "Approved premises").
HOW = ("send", "telephone")
HOW_WRONG = "Choose how the referral is made: sent from Keepsafe, or made by telephone out of hours"
DATES = {"refer": ("requested_arrival", "requested arrival date"), "arrival": ("arrival_on", "arrival date")}

# The radio questions of the decision and arrival steps: (field, the values offered, what to say when none or another)
VERB_CHOICES: dict[str, tuple[tuple[str, tuple[str, ...], str], ...]] = {
    "decision": (("decision", ("ACCEPTED", "REFUSED"), "Choose the premises' decision: accepted or refused"),),
    "arrival": (("arrival", ("ARRIVED", "DID_NOT_ARRIVE"), "Choose whether the person arrived"),),
}


def case_ap(request: HttpRequest, crn: str) -> HttpResponse:
    person, context = _case(request, crn, TAB)
    context.update({"referrals": list(ap_referrals_of(person)), "conditions": ap_conditions_of(person)})
    return render(request, "case/ap.html", context)


def ap_step(request: HttpRequest, crn: str, verb: str) -> HttpResponse:
    if verb not in STEPS:
        raise Http404
    person, context = _case(request, crn, TAB)
    case_write_check(actor=actor_of(request), person=person, work=Work.CASE)  # a 403 before any input is read
    referral: ApReferral | None = None
    if verb != "refer":
        referral = ap_referral_of(person, request.POST.get("referral") or request.GET.get("referral", ""))
        if referral is None:
            raise Http404
    post = request.POST
    form = {k: post.get(k, "") for k in post if not k.startswith("csrf")}
    errors: dict[str, str] = {}
    date_name = DATES.get(verb, (None, ""))[0]
    if request.method == "POST":
        day: date | None = None
        if verb in DATES:
            day = date_from_form(post, DATES[verb][0], DATES[verb][1], errors, required=True)
        place_date = None
        if verb == "decision":  # read whenever typed (tester: an impossible date went unseen beside a bad decision)
            accepted = form.get("decision") == "ACCEPTED"
            place_date = date_from_form(
                post, "place_date", "date the place is available from", errors, required=accepted
            )
        if verb == "refer":
            form["how"] = choice(form.get("how", "send"), "how", HOW, errors, missing="", wrong=HOW_WRONG) or "send"
        stand_ins = [name for name, value in ((date_name, day), ("place_date", place_date)) if name in errors]
        # unreadable dates are stood in for by today, so the service still checks every other field (forms.submit)
        if verb == "refer":
            ap_codes = [p.code for p in referral_partners(person) if p.kind == PartnerKind.OTHER]
            choice(
                form.get("partner", ""),
                "partner",
                ap_codes,
                errors,
                missing="Choose the approved premises partner",
                wrong="Choose an approved premises partner from the list",
            )
        for field, options, message in VERB_CHOICES.get(verb, ()):
            choice(form.get(field, ""), field, options, errors, missing=message, wrong=message)
        place = place_date if "place_date" not in errors or form.get("decision") != "ACCEPTED" else clock.today()
        write = _writer(request, person, referral, verb, form, day or clock.today(), place, errors)
        done = submit(write, errors, stand_ins=[s for s in stand_ins if s])
        if done is not None:
            messages.success(request, done)
            return redirect("web:case-ap", crn=person.crn)
    dated = {date_name, "place_date"} - {None}
    partners = [p for p in referral_partners(person) if p.kind == PartnerKind.OTHER] if verb == "refer" else []
    context.update(
        {
            "verb": verb,
            "referral": referral,
            "form": form,
            "errors": errors,
            "page_errors": [
                {"text": reason, "href": date_href(field, request.POST) if field in dated else f"#{field}"}
                for field, reason in errors.items()
            ],
            "date_name": date_name,
            "date_value": date_fields(post, date_name) if date_name else {},
            "place_value": date_fields(post, "place_date"),
            "partner_options": [(p.code, p.name) for p in partners],
            "refusal": referral_refused(person) if verb == "refer" else None,
            "title": f"{STEPS[verb]} – {person.crn}",
            "step_title": STEPS[verb],
        }
    )
    return render(request, "case/ap_step.html", context, status=400 if errors else 200)


def _writer(
    request: HttpRequest,
    person: Person,
    referral: ApReferral | None,
    verb: str,
    form: dict[str, str],
    day: date,
    place_date: date | None,
    errors: dict[str, str],
) -> Callable[[], str]:
    """The service call a step makes, and the message shown when it is done."""
    actor = actor_of(request)
    emergency = False
    if verb == "refer":
        emergency = yes_no(
            form.get("emergency", ""),
            "emergency",
            errors,
            question="whether this is an emergency referral out of hours",
        )

    def typed(service: Callable[..., ApReferral], urgent: bool) -> ApReferral:
        """A referral service (record or send) called with what the referral form typed."""
        return service(
            actor=actor,
            person=person,
            partner_code=form.get("partner", ""),
            premises=form.get("premises", ""),
            requested_arrival=day,
            emergency=urgent,
            reason=form.get("reason", ""),
        )

    def refer() -> str:
        if form.get("how") == "telephone":  # made by telephone out of hours: recorded, nothing sent (docs/sharing.md)
            if not emergency:  # refused with every other problem of the referral (tester: all at once)
                others = referral_input_problems(
                    person=person,
                    premises=form.get("premises", ""),
                    referred_at=clock.now(),
                    requested_arrival=day,
                    reason=form.get("reason", ""),
                    external_id="",
                )
                how = ("how", "Only an emergency referral out of hours may be made by telephone")
                raise ValidationError([how, *others])
            made = typed(ap_referral_record, True)
            return (
                f"Emergency referral to {made.premises} made by telephone recorded; nothing was sent: "
                "send the risk summary as soon as it can be sent"
            )
        made = typed(ap_referral_send, emergency)
        kind = "Emergency referral" if made.emergency else "Referral"
        return f"{kind} to {made.premises} sent with the current risk summary; the disclosure is logged"

    def decide() -> str:
        assert referral is not None
        made = ap_decision_record(
            actor=actor,
            referral=referral,
            decision=form.get("decision", ""),
            place_date=place_date,
            reason=form.get("reason", ""),
        )
        if made.decision == "ACCEPTED" and made.place_date is not None:
            return f"Place at {made.premises} from {made.place_date:%-d %B %Y} recorded"
        return f"Refusal by {made.premises} recorded"

    def arrive() -> str:
        assert referral is not None
        made = ap_arrival_record(actor=actor, referral=referral, arrival=form.get("arrival", ""), on=day)
        return "Arrival recorded" if made.arrival == "ARRIVED" else "Non-arrival recorded: the place is lost"

    return {"refer": refer, "decision": decide, "arrival": arrive}[verb]

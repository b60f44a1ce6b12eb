"""Before sentence (issue 16 §1): the case's Court tab and its steps (open a stage, adjourn, request the
pre-sentence report, assess an address, record the proposal, record the outcome). Views are thin: `court.services`
write (each refusal by field), `court.selectors` read; the case is fetched through `_case` (audited, visibility)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from keepsafe.core import clock
from keepsafe.core.dates import is_number
from keepsafe.core.words import code_words
from keepsafe.court.models import CourtStage
from keepsafe.court.rules.suitability import CONCLUSION_LABELS
from keepsafe.court.selectors import court_stages_of
from keepsafe.court.services import (
    address_assessment_record,
    court_date_adjourn,
    court_outcome_record,
    court_stage_open,
    psr_propose,
    psr_request,
)
from keepsafe.people.models import Person
from keepsafe.people.rules.case_work import Work
from keepsafe.people.rules.vocabulary import SENTENCE_LABELS, OffenceCategory, RequirementType, SentenceType
from keepsafe.people.selectors import case_write_check
from keepsafe.web.views.case import _case
from keepsafe.web.views.common import actor_of
from keepsafe.web.views.flags import date_fields, date_from_form
from keepsafe.web.views.forms import choice, date_href, submit, yes_no

TAB = "case-court"
# The steps of the tab, in order, with each page's title (issue 14 §7: a unique title per step).
STEPS = {
    "open": "Record a court stage",
    "adjourn": "Record an adjournment",
    "psr": "Request a pre-sentence report",
    "address": "Assess a proposed address",
    "propose": "Record the report's proposal",
    "outcome": "Record the court outcome",
}
DATES = {"open": "court_date", "adjourn": "court_date", "outcome": "sentence_date"}
REQUIREMENT_OPTIONS = [(r.value, code_words(r.value)) for r in RequirementType]
SENTENCE_OPTIONS = [(s.value, SENTENCE_LABELS[s]) for s in SentenceType]
CATEGORY_OPTIONS = [(c.value, code_words(c.value)) for c in OffenceCategory]
CONCLUSION_OPTIONS = [(c.value, label) for c, label in CONCLUSION_LABELS.items()]


def case_court(request: HttpRequest, crn: str) -> HttpResponse:
    person, context = _case(request, crn, TAB)
    stages = list(court_stages_of(person))
    context.update(
        {
            "stages": stages,
            "open_stage": next((s for s in stages if s.is_open), None),
            "conclusion_labels": CONCLUSION_LABELS,
        }
    )
    return render(request, "case/court.html", context)


def _ages(text: str, errors: dict[str, str]) -> list[int]:
    """Children's ages typed as '4, 7': the digits 0 to 9 only (`core.dates.is_number`; str.isdigit() also takes
    "５", which int() reads as 5, and "²", which int() cannot read)."""
    ages: list[int] = []
    for part in text.replace(";", ",").split(","):
        if not part.strip():
            continue
        if not is_number(part.strip()):
            errors["children_ages"] = "Enter each child's age as a whole number, separated by commas, like 4, 7"
            return []
        ages.append(int(part))
    return ages


def court_step(request: HttpRequest, crn: str, verb: str) -> HttpResponse:
    if verb not in STEPS:
        raise Http404
    person, context = _case(request, crn, TAB)
    case_write_check(actor=actor_of(request), person=person, work=Work.CASE)  # a 403 before any input is read
    stage = next((s for s in court_stages_of(person) if s.is_open), None)
    if verb != "open" and stage is None:
        raise Http404
    post = request.POST
    form = {k: post.get(k, "") for k in post if not k.startswith("csrf")}
    chosen = {k: post.getlist(k) for k in ("considering", "requirements", "relied_on")}
    errors: dict[str, str] = {}
    if request.method == "POST":
        day = date_from_form(post, DATES[verb], "date", errors, required=True) if verb in DATES else None
        _choices(verb, form, chosen, errors)
        # an unreadable date is stood in for by today, so the service still checks every other field (forms.submit)
        write = _writer(request, person, stage, verb, form, chosen, day or clock.today(), errors)
        done = submit(write, errors, stand_ins=[DATES[verb]] if verb in DATES and day is None else [])
        if done is not None:
            messages.success(request, done)
            return redirect("web:case-court", crn=person.crn)
    date_name = DATES.get(verb)
    checks = []
    if stage is not None and hasattr(stage, "psr"):
        checks = [c for c in (stage.psr.domestic_abuse_check, stage.psr.safeguarding_check) if c is not None]
    context.update(
        {
            "verb": verb,
            "stage": stage,
            "form": form,
            "chosen": chosen,
            "errors": errors,
            "page_errors": [
                {"text": reason, "href": date_href(field, request.POST) if field == date_name else f"#{field}"}
                for field, reason in errors.items()
            ],
            "date_name": date_name,
            "date_value": date_fields(post, date_name) if date_name else {},
            "checks": checks,
            "requirement_options": REQUIREMENT_OPTIONS,
            "sentence_options": SENTENCE_OPTIONS,
            "category_options": CATEGORY_OPTIONS,
            "conclusion_options": CONCLUSION_OPTIONS,
            "title": f"{STEPS[verb]} – {person.crn}",
            "step_title": STEPS[verb],
        }
    )
    return render(request, "case/court_step.html", context, status=400 if errors else 200)


# Each step's radios, selects and checkboxes: (field, the options the page offers, what to do, in words). A value the
# page does not offer is refused here in words; the service's own message names the codes (for bundles and the CLI).
CHOICES: dict[str, list[tuple[str, list[tuple[str, str]], str]]] = {
    "psr": [("considering", REQUIREMENT_OPTIONS, "Choose the requirements being considered from the list")],
    "address": [
        ("conclusion", CONCLUSION_OPTIONS, "Choose the conclusion: suitable, suitable with conditions or unsuitable")
    ],
    "propose": [
        ("sentence_type", SENTENCE_OPTIONS, "Choose the proposed sentence"),
        ("requirements", REQUIREMENT_OPTIONS, "Choose the proposed requirements from the list"),
    ],
    "outcome": [
        ("sentence_type", SENTENCE_OPTIONS, "Choose the sentence the court passed"),
        ("offence_category", CATEGORY_OPTIONS, "Choose the offence category"),
        ("requirements", REQUIREMENT_OPTIONS, "Choose the requirements from the list"),
    ],
}


def _choices(verb: str, form: dict[str, str], chosen: dict[str, list[str]], errors: dict[str, str]) -> None:
    for name, options, words in CHOICES.get(verb, []):
        offered = [value for value, _ in options]
        if name in chosen:  # checkboxes: each ticked value must be one offered (none ticked is the service's to judge)
            if any(value not in offered for value in chosen[name]):
                errors[name] = words
        else:
            choice(form.get(name, ""), name, offered, errors, missing=words, wrong=words)


def _then(write: Callable[[], object], message: str) -> str:
    write()
    return message


def _writer(
    request: HttpRequest,
    person: Person,
    stage: CourtStage | None,
    verb: str,
    form: dict[str, str],
    chosen: dict[str, list[str]],
    day: date | None,
    errors: dict[str, str],
) -> Callable[[], str]:
    """The service call a step makes, and the message shown when it is done."""
    actor = actor_of(request)

    def need_day() -> date:
        assert day is not None  # date_from_form put the reason in `errors` otherwise
        return day

    if verb == "open":
        charges = [c.strip() for c in form.get("charges", "").splitlines() if c.strip()]
        return lambda: _then(
            lambda: court_stage_open(
                actor=actor, person=person, court=form.get("court", ""), court_date=need_day(), charges=charges
            ),
            "Court stage recorded",
        )
    assert stage is not None
    if verb == "adjourn":
        return lambda: _then(
            lambda: court_date_adjourn(actor=actor, stage=stage, new_date=need_day(), reason=form.get("reason", "")),
            "Adjournment recorded: the checks are re-dated",
        )
    if verb == "psr":
        return lambda: _then(
            lambda: psr_request(
                actor=actor,
                stage=stage,
                considering=chosen["considering"],
                proposed_address=form.get("proposed_address", ""),
            ),
            "Pre-sentence report requested: the police and children's services checks are asked for",
        )
    if verb == "address":
        ages = _ages(form.get("children_ages", ""), errors)
        victim = yes_no(form.get("victim", ""), "victim", errors, question="whether a victim lives at the address")
        partner = yes_no(form.get("partner", ""), "partner", errors, question="whether a partner lives at the address")
        return lambda: _then(
            lambda: address_assessment_record(
                actor=actor,
                stage=stage,
                address=form.get("address", ""),
                children_ages=ages,
                victim_lives_there=victim,
                partner_lives_there=partner,
                relied_on=chosen["relied_on"],
                conclusion=form.get("conclusion", ""),
                conditions=form.get("conditions", ""),
                reasons=form.get("reasons", ""),
            ),
            "Address assessment recorded",
        )
    if verb == "propose":
        if not hasattr(stage, "psr"):
            raise Http404

        def propose() -> str:
            proposal = psr_propose(
                actor=actor,
                report=stage.psr,
                sentence_type=form.get("sentence_type", ""),
                requirements=chosen["requirements"],
                address=form.get("address", ""),
                relied_on=chosen["relied_on"],
                notes=form.get("notes", ""),
            )
            return "Proposal recorded" + ("".join(f". Warning: {w}" for w in proposal.warnings))

        return propose
    length = form.get("length_months", "").strip()
    if length and not is_number(length):  # the digits 0 to 9 only, as the children's ages
        errors["length_months"] = "Enter the length in whole months using the digits 0 to 9, like 24"
    requirements: list[tuple[str, str]] = [(r, "") for r in chosen["requirements"]]
    return lambda: _then(
        lambda: court_outcome_record(
            actor=actor,
            stage=stage,
            sentence_type=form.get("sentence_type", ""),
            sentence_date=need_day(),
            offence=form.get("offence", ""),
            offence_category=form.get("offence_category", ""),
            length_months=int(length) if is_number(length) else None,
            requirements=requirements,
        ),
        "Court outcome recorded: the sentence is on the case and the court stage is closed",
    )

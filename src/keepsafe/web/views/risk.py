"""The Risk tab and the RoSH assessment in four steps: gather, analyse, judge, plan; and countersigning."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from keepsafe.actions.models import Action
from keepsafe.actions.rules.contact_levels import expectations
from keepsafe.actions.rules.types import ActionType
from keepsafe.actions.selectors import contact_level_facts
from keepsafe.core import clock
from keepsafe.core.actor import Role
from keepsafe.core.errors import PermissionDeniedError, ValidationError
from keepsafe.core.words import code_words
from keepsafe.people.models import Contact, RegistrationType
from keepsafe.people.rules.vocabulary import CONTACT_MADE_OUTCOMES
from keepsafe.records.rules.indicators import INDICATORS
from keepsafe.records.selectors import findings_staleness, indicator_picture
from keepsafe.risk.models import Assessment, RiskManagementPlan
from keepsafe.risk.rules.plan import SECTIONS
from keepsafe.risk.rules.rosh import COMMUNITY_GROUPS, CUSTODY_GROUPS, LEVEL_ORDER
from keepsafe.risk.selectors import found_indicators, gather, ratings_of, risk_summary
from keepsafe.risk.services import (
    ANSWERS,
    COUNTERSIGNERS,
    OTHER_RISK_ITEMS,
    RISK_TO_SELF_ITEMS,
    assessment_complete,
    assessment_countersign,
    assessment_save_analysis,
    assessment_save_judgement,
    assessment_start,
    plan_save,
)
from keepsafe.web.views.case import _case
from keepsafe.web.views.common import actor_of

ASSESSORS = {Role.PRACTITIONER, Role.SPO, Role.POM, Role.HEAD_OF_PDU}
STEPS = [
    ("assessment-gather", "1. Gather"),
    ("assessment-analyse", "2. Analyse"),
    ("assessment-judge", "3. Judge"),
    ("assessment-plan", "4. Plan"),
]
GROUP_LABELS = {
    "children": "Children",
    "public": "Public",
    "known_adult": "Known adult",
    "staff": "Staff",
    "prisoners": "Prisoners (in custody)",
}
RISK_TO_SELF_LABELS = {
    "suicide": "Suicide",
    "self_harm": "Self-harm",
    "custody_coping": "Coping in custody",
    "hostel_coping": "Coping in a hostel",
    "vulnerability": "Vulnerability",
}
OTHER_RISK_LABELS = {
    "escape_abscond": "Escape or abscond",
    "control_breach_of_trust": "Control issues and disruptive behaviour",
    "breach_of_trust": "Breach of trust",
}
ANSWER_LABELS = {"YES": "Yes", "NO": "No", "DONT_KNOW": "Don't know"}
# Predictors and their inputs by name, not by key (user try-out: "ogrs3_1y", "age_at_conviction" on the Risk tab).
# The case JSON keeps the keys (docs/case-json.md).
PREDICTOR_NAMES = {
    "ogrs3_1y": "OGRS3 (1 year)",
    "ogrs3_2y": "OGRS3 (2 years)",
    "ogrs4g": "OGRS4/G",
    "ogrs4v": "OGRS4/V",
    "ogp2": "OGP2",
    "ovp2": "OVP2",
    "ovp": "OVP",
    "rsr": "RSR",
    "csrp": "CSRP",
    "osp_dc": "OSP/DC",
    "osp_iic": "OSP/IIC",
}
PREDICTOR_INPUTS = {
    "sex": "sex",
    "age": "age at the start of follow-up",
    "age_at_conviction": "age at conviction",
    "age_at_first_sanction": "age at first sanction",
    "previous_sanctions": "previous sanctions",
    "offence_category": "offence category",
}
SEX_WORDS = {"M": "male", "F": "female"}
PREFIXES = {
    "indicator": "ind",
    "risk_to_self": "rts",
    "analysis": "analysis",
    "community": "community",
    "custody": "custody",
    "rationale": "rationale",
    "prompt": "prompt",
    "group": "group",
    "factor": "factor",
}


def predictor_name(name: str) -> str:
    """A predictor as practitioners write it ("OGRS3 (1 year)", "OSP/DC"), never its key."""
    return PREDICTOR_NAMES.get(name) or name.upper()


def predictor_inputs(inputs: dict[str, str]) -> str:
    """A computed predictor's inputs in words: "sex male, age at conviction 26, …, offence category violence"."""

    def value(key: str, v: str) -> str:
        if key == "sex":
            return SEX_WORDS.get(v, v)
        return code_words(v).lower() if key == "offence_category" else v

    return ", ".join(f"{PREDICTOR_INPUTS.get(k) or code_words(k).lower()} {value(k, v)}" for k, v in inputs.items())


def evidence_words() -> Any:
    """The words for a thresholding prompt's evidence (its JSON keeps the codes, docs/risk.md): an indicator by its
    name ("Domestic abuse"), a registration by its type's name from the reference data ("Restraining Order"), a
    predictor band as "RSR: High"; anything else ("MAPPA level 2") as it is. The registration types are read once,
    on the first use."""
    names: dict[str, str] = {}

    def word(item: str) -> str:
        if item in INDICATORS:
            return INDICATORS[item].split(":", 1)[0]
        if not names:
            names.update(RegistrationType.objects.values_list("code", "name"))
        if item in names:
            return names[item]
        predictor, _, band = item.partition(": ")
        if band and predictor in PREDICTOR_NAMES:
            return f"{predictor_name(predictor)}: {code_words(band)}"
        return item

    def words(items: list[str]) -> str:
        return ", ".join(word(item) for item in items)

    return words


def field_id(path: str) -> str:
    """The id of the form field a problem path points at, for the error summary's links."""
    parts = path.split(".")
    if parts[0] in PREFIXES:
        if parts[0] == "indicator" and parts[-1] == "reason":
            return f"reason-{parts[1]}"
        return f"{PREFIXES[parts[0]]}-{parts[1]}" if len(parts) > 1 else PREFIXES[parts[0]]
    if parts[0] in SECTIONS:
        return f"section-{parts[0]}"
    return "main-content" if parts[0] in ("assessment", "analysis", "plan") else parts[0]


def _errors(exc: ValidationError) -> tuple[list[dict[str, str]], dict[str, str]]:
    def sentence(text: str) -> str:
        return text[:1].upper() + text[1:]

    summary = [{"text": sentence(reason), "href": f"#{field_id(path)}"} for path, reason in exc.problems]
    return summary, {field_id(path): sentence(reason) for path, reason in exc.problems}


def _assessment(person: Any, aid: str) -> Assessment:
    found = Assessment.objects.filter(person=person, external_id=aid).first()
    if found is None:
        raise Http404
    return found


def _context(request: HttpRequest, crn: str, aid: str, step: str) -> tuple[Any, Assessment, dict[str, Any]]:
    person, context = _case(request, crn, "case-risk")
    assessment = _assessment(person, aid)
    context.update(
        {
            "assessment": assessment,
            "steps": STEPS,
            "step": step,
            "group_labels": GROUP_LABELS,
            "levels": [(lv.value, lv.label) for lv in LEVEL_ORDER],
            "indicators": INDICATORS,
            "evidence_words": evidence_words(),
            "errors": {},
            "page_errors": [],
            "can_edit": assessment.status == Assessment.Status.DRAFT and actor_of(request).role in ASSESSORS,
        }
    )
    return person, assessment, context


def risk_tab(request: HttpRequest, crn: str) -> HttpResponse:
    person, context = _case(request, crn, "case-risk")
    actor = actor_of(request)
    summary = risk_summary(person)
    # The last contact he attended, as contact levels count contact (CONTACT_MADE_OUTCOMES; the caseload's rule too).
    last = (
        Contact.objects.filter(person=person, at__lt=clock.now(), outcome__in=CONTACT_MADE_OUTCOMES)
        .order_by("-at")
        .values_list("at", flat=True)
        .first()
    )
    # One source for the contact expected (issue 14): the region's contact levels, as the CONTACT_LEVEL and HOME_VISIT
    # actions enforce them (actions/rules/contact_levels.py), and the periods still open.
    levels = contact_level_facts([person.pk], clock.now()).get(person.pk)
    minimum, home_visits = expectations(levels) if levels else (None, None)
    periods = Action.objects.filter(
        person=person, status=Action.Status.OPEN, type__in=[ActionType.CONTACT_LEVEL, ActionType.HOME_VISIT]
    ).order_by("due")
    context.update(
        {
            "summary": summary,
            "contact": {
                "tier": levels.tier if levels else None,
                "rosh": levels.rosh if levels else None,
                "minimum": minimum,
                "home_visits": home_visits,
                "periods": list(periods),
                "now": clock.now(),
                "last": last,
            },
            "group_labels": GROUP_LABELS,
            "evidence_words": evidence_words(),
            "predictor_name": predictor_name,
            "predictor_inputs": predictor_inputs,
            "assessments": list(Assessment.objects.filter(person=person).select_related("plan")[:10]),
            "draft": Assessment.objects.filter(person=person, status=Assessment.Status.DRAFT).first(),
            "can_assess": actor.role in ASSESSORS,
            "can_countersign": actor.role in COUNTERSIGNERS,
        }
    )
    return render(request, "case/risk.html", context)


@require_POST
def start(request: HttpRequest, crn: str) -> HttpResponse:
    person, _ = _case(request, crn, "case-risk")
    actor = actor_of(request)
    if actor.role not in ASSESSORS:
        raise PermissionDenied
    assessment = assessment_start(actor=actor, person=person)
    return redirect("web:assessment-gather", crn=person.crn, aid=assessment.external_id)


def gather_step(request: HttpRequest, crn: str, aid: str) -> HttpResponse:
    person, _, context = _context(request, crn, aid, "assessment-gather")
    context.update({"gathered": gather(person), "predictor_name": predictor_name})  # as the Risk tab names them
    return render(request, "case/assessment_gather.html", context)


def analyse_step(request: HttpRequest, crn: str, aid: str) -> HttpResponse:
    person, assessment, context = _context(request, crn, aid, "assessment-analyse")
    form: dict[str, Any] = {"analysis": assessment.analysis or {}, "answers": assessment.indicator_answers or {}}
    if request.method == "POST":
        if not context["can_edit"]:
            raise PermissionDenied
        analysis = {k: request.POST.get(f"analysis-{k}", "") for k in ("nature", "imminence", "increases", "reduces")}
        answers = {
            code: {
                "relevant": {"yes": True, "no": False}.get(request.POST.get(f"ind-{code}", "")),
                "reason": request.POST.get(f"reason-{code}", ""),
            }
            for code in INDICATORS
        }
        form = {"analysis": analysis, "answers": answers}
        try:
            assessment_save_analysis(
                actor=actor_of(request), assessment=assessment, analysis=analysis, indicator_answers=answers
            )
            return redirect("web:assessment-judge", crn=person.crn, aid=aid)
        except ValidationError as exc:
            context["page_errors"], context["errors"] = _errors(exc)
    context["form"] = form
    # What the records say, next to each question: information that exists must reach the assessor (seeds/001).
    context["found"] = {s.indicator: s for s in indicator_picture(person, clock.now())}
    context["findings_rebuilding"] = findings_staleness()
    return render(request, "case/assessment_analyse.html", context, status=400 if context["errors"] else 200)


def judge_step(request: HttpRequest, crn: str, aid: str) -> HttpResponse:
    person, assessment, context = _context(request, crn, aid, "assessment-judge")
    in_custody = bool(assessment.rosh.get("custody")) if assessment.rosh else False
    form: dict[str, Any] = {
        "community": (assessment.rosh or {}).get("community", {}),
        "custody": (assessment.rosh or {}).get("custody") or {},
        "rationales": assessment.rationales or {},
        "rts": assessment.risk_to_self or {},
        "other": assessment.other_risks or {},
        "responses": {p["code"]: p.get("response", "") for p in assessment.prompts or []},
    }
    if request.method == "POST":
        if not context["can_edit"]:
            raise PermissionDenied
        in_custody = request.POST.get("in_custody") == "yes"
        form = {
            "community": {g.value: request.POST.get(f"community-{g.value}", "") for g in COMMUNITY_GROUPS},
            "custody": {g.value: request.POST.get(f"custody-{g.value}", "") for g in CUSTODY_GROUPS},
            "rationales": {g.value: request.POST.get(f"rationale-{g.value}", "") for g in COMMUNITY_GROUPS},
            "rts": {k: request.POST.get(f"rts-{k}", "") for k in RISK_TO_SELF_ITEMS},
            "other": {k: request.POST.get(f"other-{k}", "") for k in OTHER_RISK_ITEMS},
            "responses": {k.removeprefix("prompt-"): v for k, v in request.POST.items() if k.startswith("prompt-")},
        }
        try:
            assessment_save_judgement(
                actor=actor_of(request),
                assessment=assessment,
                community=form["community"],
                custody=form["custody"] if in_custody else None,
                rationales=form["rationales"],
                prompt_responses=form["responses"],
                risk_to_self=form["rts"],
                other_risks=form["other"],
            )
            return redirect("web:assessment-judge", crn=person.crn, aid=aid)
        except ValidationError as exc:
            context["page_errors"], context["errors"] = _errors(exc)
            assessment.refresh_from_db()
    context.update(
        {
            "form": form,
            "in_custody": in_custody,
            "community_groups": COMMUNITY_GROUPS,
            "custody_groups": CUSTODY_GROUPS,
            "rts_labels": RISK_TO_SELF_LABELS,
            "answers": ANSWERS,
            "answer_labels": ANSWER_LABELS,
            "other_labels": OTHER_RISK_LABELS,
            "open_prompts": [p for p in assessment.prompts or [] if not p.get("response")],
            "ready": bool(assessment.overall) and not any(not p.get("response") for p in assessment.prompts),
        }
    )
    return render(request, "case/assessment_judge.html", context, status=400 if context["errors"] else 200)


@require_POST
def complete(request: HttpRequest, crn: str, aid: str) -> HttpResponse:
    person, assessment, context = _context(request, crn, aid, "assessment-judge")
    if not context["can_edit"]:
        raise PermissionDenied
    try:
        assessment_complete(actor=actor_of(request), assessment=assessment)
    except ValidationError:
        return redirect("web:assessment-judge", crn=person.crn, aid=aid)
    return redirect("web:assessment-plan", crn=person.crn, aid=aid)


def plan_step(request: HttpRequest, crn: str, aid: str) -> HttpResponse:
    person, assessment, context = _context(request, crn, aid, "assessment-plan")
    plan = RiskManagementPlan.objects.filter(assessment=assessment).first()
    form: dict[str, Any] = {
        "sections": plan.sections if plan else {},
        "groups": plan.covered_groups if plan else [],
        "factors": plan.answered_factors if plan else [],
    }
    actor = actor_of(request)
    if request.method == "POST":
        if actor.role not in ASSESSORS:
            raise PermissionDenied
        form = {
            "sections": {s: request.POST.get(f"section-{s}", "") for s in SECTIONS},
            "groups": request.POST.getlist("group"),
            "factors": request.POST.getlist("factor"),
        }
        try:
            plan_save(
                actor=actor,
                assessment=assessment,
                sections=form["sections"],
                covered_groups=form["groups"],
                answered_factors=form["factors"],
                finalise=request.POST.get("action") == "finalise",
            )
            return redirect("web:assessment-plan", crn=person.crn, aid=aid)
        except ValidationError as exc:
            context["page_errors"], context["errors"] = _errors(exc)
            plan = RiskManagementPlan.objects.filter(assessment=assessment).first()
    factors = [c for c, a in (assessment.indicator_answers or {}).items() if a.get("relevant")]
    context.update(
        {
            "form": form,
            "plan": plan,
            "sections": SECTIONS,
            "factors": factors,
            "rated_groups": [g.value for g in ratings.highest_by_group()]
            if (ratings := ratings_of(assessment))
            else [],
            "can_plan": actor.role in ASSESSORS and not (plan and plan.status == "FINAL"),
        }
    )
    return render(request, "case/assessment_plan.html", context, status=400 if context["errors"] else 200)


def countersign(request: HttpRequest, crn: str, aid: str) -> HttpResponse:
    person, assessment, context = _context(request, crn, aid, "assessment-countersign")
    actor = actor_of(request)
    if actor.role not in COUNTERSIGNERS:
        raise PermissionDenied
    form = {"decision": "", "comments": ""}
    if request.method == "POST":
        form = {"decision": request.POST.get("decision", ""), "comments": request.POST.get("comments", "")}
        if form["decision"] not in ("agree", "disagree"):
            context["page_errors"] = [{"text": "Say whether you agree", "href": "#decision"}]
            context["errors"] = {"decision": "Say whether you agree"}
        else:
            try:
                assessment_countersign(
                    actor=actor, assessment=assessment, agree=form["decision"] == "agree", comments=form["comments"]
                )
                return redirect("web:case-risk", crn=person.crn)
            except ValidationError as exc:
                context["page_errors"], context["errors"] = _errors(exc)
            except PermissionDeniedError as exc:
                raise PermissionDenied from exc
    # What the countersigner weighs (issue 12 §4): the level before, both settings, every prompt with its evidence
    # and the reason given, and the indicators found in records that the assessor answered "not relevant".
    found = found_indicators(person, assessment.completed_at) if assessment.completed_at else {}
    answers = assessment.indicator_answers or {}
    context.update(
        {
            "form": form,
            "ratings": ratings_of(assessment),
            "found_not_relevant": [
                {"code": code, "label": INDICATORS[code], "reason": answers[code].get("reason", ""), "where": where}
                for code, where in found.items()
                if code in answers and answers[code].get("relevant") is False
            ],
        }
    )
    return render(request, "case/assessment_countersign.html", context, status=400 if context["errors"] else 200)

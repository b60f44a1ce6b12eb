"""Writing risk: the assessment's steps, completing it (raise now, lower on countersign), countersigning, plans.

Every service runs in one transaction with its audit event. The RoSH registration follows the effective level.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from keepsafe.audit.services import audit_record
from keepsafe.core import clock
from keepsafe.core.actor import Actor, Role
from keepsafe.core.errors import PermissionDeniedError, ValidationError
from keepsafe.core.signals import announce_case_changed
from keepsafe.people.models import Person, Registration
from keepsafe.people.rules.case_work import Work
from keepsafe.people.selectors import acting_for, case_work_check
from keepsafe.people.services import registration_add, registration_remove
from keepsafe.records.rules.indicators import INDICATORS
from keepsafe.risk.models import Assessment, CaseRisk, RiskLevelChange, RiskManagementPlan, TierChange
from keepsafe.risk.rules.countersign import CHANGE_WORDS, Change, change_of, on_completion
from keepsafe.risk.rules.plan import SECTIONS, plan_problems
from keepsafe.risk.rules.prompts import Prompt, thresholding_prompts
from keepsafe.risk.rules.rosh import (
    COMMUNITY_GROUPS,
    CUSTODY_GROUPS,
    LEVEL_FOR_REGISTRATION,
    REGISTRATION_FOR_LEVEL,
    CommunityRatings,
    CustodyRatings,
    Group,
    Level,
    RoshRatings,
    rationale_problem,
)
from keepsafe.risk.selectors import (
    assessment_evidence,
    current_level,
    load_tier_inputs,
    ratings_of,
    tiers_from,
)
from keepsafe.workforce.models import Staff
from keepsafe.workforce.rules.grades import Grade, is_newly_qualified

COUNTERSIGNERS = {Role.SPO, Role.HEAD_OF_PDU, Role.REGIONAL_LEADER}
RISK_TO_SELF_ITEMS = ("suicide", "self_harm", "custody_coping", "hostel_coping", "vulnerability")
OTHER_RISK_ITEMS = ("escape_abscond", "control_breach_of_trust", "breach_of_trust")
ANSWERS = ("YES", "NO", "DONT_KNOW")


@transaction.atomic
def assessment_start(*, actor: Actor, person: Person) -> Assessment:
    """Start (or return the open draft of) a RoSH assessment."""
    cover = _may_assess(actor, person)
    draft = Assessment.objects.filter(person=person, status=Assessment.Status.DRAFT).first()
    if draft is not None:
        return draft
    now = clock.now()
    assessment = Assessment.objects.create(
        person=person,
        external_id=f"KS-{now.strftime('%Y%m%d%H%M%S%f')}",
        source=Assessment.Source.KEEPSAFE,
        assessor=Staff.objects.filter(pk=actor.staff_id).first() if actor.staff_id else None,
        assessor_code=actor.code,
        started_at=now,
    )
    audit_record(
        actor=actor, action="ASSESSMENT_START", crn=person.crn, details={"assessment": assessment.external_id, **cover}
    )
    return assessment


def _may_assess(actor: Actor, person: Person) -> dict[str, str]:
    """Who may write an assessment: people/rules/case_work.py (the POM too: assessments are custody-phase work)."""
    return acting_for(case_work_check(actor=actor, person=person, work=Work.CUSTODY))


def _editable(assessment: Assessment) -> None:
    if assessment.status != Assessment.Status.DRAFT:
        raise ValidationError([("assessment", "a completed assessment cannot be changed; start a new one")])


@transaction.atomic
def assessment_save_analysis(
    *, actor: Actor, assessment: Assessment, analysis: dict[str, str], indicator_answers: dict[str, dict[str, Any]]
) -> Assessment:
    """Step 2: nature of harm, imminence, what increases and reduces it, and an answer for every indicator."""
    _may_assess(actor, assessment.person)
    _editable(assessment)
    problems: list[tuple[str, str]] = []
    for name in ("nature", "imminence", "increases", "reduces"):
        if not str(analysis.get(name, "")).strip():
            problems.append((f"analysis.{name}", f"describe the {name.replace('_', ' ')} of the risk"))
    for code, label in INDICATORS.items():
        answer = indicator_answers.get(code)
        if not answer or answer.get("relevant") not in (True, False):
            problems.append((f"indicator.{code}", f"say whether “{label}” is relevant"))
        elif answer["relevant"] is False and not str(answer.get("reason", "")).strip():
            problems.append((f"indicator.{code}.reason", f"say why “{label}” is not relevant"))
    if problems:
        raise ValidationError(problems)
    assessment.analysis = {k: str(analysis[k]).strip() for k in ("nature", "imminence", "increases", "reduces")}
    assessment.indicator_answers = {
        c: {"relevant": indicator_answers[c]["relevant"], "reason": str(indicator_answers[c].get("reason", "")).strip()}
        for c in INDICATORS
    }
    assessment.save(update_fields=["analysis", "indicator_answers"])
    audit_record(
        actor=actor,
        action="ASSESSMENT_ANALYSE",
        crn=assessment.person.crn,
        details={"assessment": assessment.external_id},
    )
    return assessment


def _levels(
    raw: dict[str, str], groups: tuple[Group, ...], prefix: str
) -> tuple[dict[Group, Level], list[tuple[str, str]]]:
    levels: dict[Group, Level] = {}
    problems: list[tuple[str, str]] = []
    for group in groups:
        value = raw.get(group.value) or ""
        if value not in Level.__members__:
            problems.append((f"{prefix}.{group.value}", f"choose a level for the risk to {_words(group.value)}"))
        else:
            levels[group] = Level(value)
    return levels, problems


def _words(code: str) -> str:
    return code.replace("_", " ").lower()


def assessment_save_judgement(
    *,
    actor: Actor,
    assessment: Assessment,
    community: dict[str, str],
    custody: dict[str, str] | None,
    rationales: dict[str, str],
    prompt_responses: dict[str, str],
    risk_to_self: dict[str, str],
    other_risks: dict[str, str],
) -> list[dict[str, Any]]:
    """Step 3: a level and rationale per group; every thresholding prompt answered.

    The judgement is saved even when prompts are still open (they are what the assessor must answer next); the
    ValidationError raised afterwards lists them. A response that is not a rationale is not accepted.
    """
    # The judgement is committed before open prompts are reported, so they stay visible until answered.
    with transaction.atomic():
        _may_assess(actor, assessment.person)
        _editable(assessment)
        if not assessment.indicator_answers:
            raise ValidationError([("analysis", "complete the analysis step first: every indicator needs an answer")])
        levels, problems = _levels(community, COMMUNITY_GROUPS, "community")
        custody_levels: dict[Group, Level] = {}
        if custody is not None:
            custody_levels, more = _levels(custody, CUSTODY_GROUPS, "custody")
            problems += more
        for group in COMMUNITY_GROUPS:
            reason = rationale_problem(rationales.get(group.value, ""))
            if reason:
                problems.append((f"rationale.{group.value}", reason))
        for item in RISK_TO_SELF_ITEMS:
            if risk_to_self.get(item) not in ANSWERS:
                problems.append((f"risk_to_self.{item}", "answer yes, no or don't know"))
        if problems:
            raise ValidationError(problems)
        ratings = RoshRatings(
            CommunityRatings(**{g.value: lv for g, lv in levels.items()}),
            CustodyRatings(**{g.value: lv for g, lv in custody_levels.items()}) if custody is not None else None,
        )
        relevant = frozenset(c for c, a in assessment.indicator_answers.items() if a["relevant"])
        # Found indicators drive the prompts whatever the answer: "not relevant" cannot silence them (issue 12 §4).
        evidence = assessment_evidence(assessment.person, relevant)
        prompts = []
        problems = []
        for prompt in thresholding_prompts(evidence, ratings.highest_by_group()):
            response = " ".join(prompt_responses.get(prompt.code, "").split())
            if not response:
                problems.append(
                    (
                        f"prompt.{prompt.code}",
                        f"the evidence suggests {_words(prompt.suggested)} for "
                        f"{_words(prompt.group)}: raise the level or say why not",
                    )
                )
            elif (why := rationale_problem(response)) is not None:
                problems.append((f"prompt.{prompt.code}", why))
                response = ""
            prompts.append(
                _prompt_json(prompt, ratings) | {"response": response, "responded_by": actor.code if response else ""}
            )
        assessment.rosh = ratings.as_json()
        assessment.rationales = {g.value: " ".join(rationales[g.value].split()) for g in COMMUNITY_GROUPS}
        assessment.prompts = prompts
        assessment.risk_to_self = {k: risk_to_self[k] for k in RISK_TO_SELF_ITEMS}
        assessment.other_risks = {k: str(other_risks.get(k, "")).strip() for k in OTHER_RISK_ITEMS}
        assessment.overall = ratings.overall.value
        assessment.save(update_fields=["rosh", "rationales", "prompts", "risk_to_self", "other_risks", "overall"])
        audit_record(
            actor=actor,
            action="ASSESSMENT_JUDGE",
            crn=assessment.person.crn,
            details={
                "assessment": assessment.external_id,
                "overall": assessment.overall,
                "prompts": [p["code"] for p in prompts],
            },
        )
    if problems:
        raise ValidationError(problems)
    return prompts


def _prompt_json(prompt: Prompt, ratings: RoshRatings) -> dict[str, Any]:
    """A prompt as stored on the assessment: what it suggests, the level chosen, and the evidence behind it."""
    return {
        "code": prompt.code,
        "group": prompt.group.value,
        "suggested": prompt.suggested.value,
        "chosen": ratings.highest_by_group().get(prompt.group, Level.LOW).value,
        "message": prompt.message,
        "evidence": list(prompt.evidence),
        "records": list(prompt.records),
        "source": prompt.source,
    }


def _assessor_flags(assessment: Assessment) -> tuple[bool, bool]:
    """Trainee (PQiP) and newly qualified, as the assessor was on the day the assessment was completed. An imported
    assessment's assessor is found by staff code (the bundle's staff section)."""
    staff = assessment.assessor or Staff.objects.filter(code=assessment.assessor_code).first()
    if staff is None:
        return False, False
    grade = Grade(staff.grade)
    on = assessment.completed_at.date() if assessment.completed_at else clock.today()
    return grade is Grade.PQIP, is_newly_qualified(grade, staff.qualified_on, on)


def _level_change(
    person: Person, assessment: Assessment, *, by: str, previous: str | None, new: str, effective: bool, reason: str
) -> None:
    """Every change of the RoSH level, made or waiting for countersignature, goes into the level's history."""
    RiskLevelChange.objects.create(
        person=person,
        assessment=assessment,
        at=clock.now(),
        by=by,
        previous=previous,
        new=new,
        effective=effective,
        reason=reason,
    )


def _apply_level(actor: Actor, person: Person, level: Level, assessment: Assessment, reason: str) -> None:
    risk, _ = CaseRisk.objects.get_or_create(person=person)
    previous = risk.level
    risk.level, risk.assessment = level.value, assessment
    if risk.pending_assessment_id == assessment.pk:
        risk.pending_level, risk.pending_assessment = None, None
    risk.save()
    _level_change(
        person,
        assessment,
        by=actor.code,
        previous=previous,
        new=level.value,
        effective=True,
        reason=reason,
    )
    _follow_registration(actor, person, level, assessment)


def _follow_registration(actor: Actor, person: Person, level: Level, assessment: Assessment) -> None:
    """The RoSH registration (RLRH/RMRH/RHRH/RVHR) always mirrors the effective level."""
    today = clock.today()
    wanted = REGISTRATION_FOR_LEVEL[level]
    active = [
        r
        for r in Registration.objects.filter(person=person, type__code__in=LEVEL_FOR_REGISTRATION).select_related(
            "type"
        )
        if r.end is None or r.end > today
    ]
    if any(r.type.code == wanted for r in active):
        return
    for reg in active:
        registration_remove(
            actor=actor,
            registration=reg,
            ended_on=max(today, reg.start),
            reason=f"RoSH level now {level.label.lower()} (assessment {assessment.external_id})",
        )
    registration_add(
        actor=actor,
        person=person,
        external_id=f"ROSH-{assessment.external_id}",
        type_code=wanted,
        start=today,
        notes=f"Set by assessment {assessment.external_id}",
    )


def assessment_complete(*, actor: Actor, assessment: Assessment) -> Assessment:
    """Complete: a raise (or first level) takes effect now; a lowering waits for an SPO's countersignature.

    The prompts are weighed again against the evidence known now: information that arrived after the judgement was
    saved and points higher adds its prompt (saved, so the judge step shows it) and the assessment stays open."""
    cover = _may_assess(actor, assessment.person)
    with transaction.atomic():
        _editable(assessment)
        if not assessment.indicator_answers or not assessment.overall or (ratings := ratings_of(assessment)) is None:
            raise ValidationError([("assessment", "complete the analysis and judgement steps first")])
        relevant = frozenset(c for c, a in assessment.indicator_answers.items() if a["relevant"])
        known = {p["code"] for p in assessment.prompts}
        fresh = [
            _prompt_json(p, ratings) | {"response": "", "responded_by": ""}
            for p in thresholding_prompts(assessment_evidence(assessment.person, relevant), ratings.highest_by_group())
            if p.code not in known
        ]
        if fresh:
            assessment.prompts = [*assessment.prompts, *fresh]
            assessment.save(update_fields=["prompts"])
    open_prompts = [p["code"] for p in assessment.prompts if not p.get("response")]
    if open_prompts:
        raise ValidationError([(f"prompt.{code}", "answer this prompt before completing") for code in open_prompts])
    return _complete(actor, assessment, cover)


@transaction.atomic
def _complete(actor: Actor, assessment: Assessment, cover: dict[str, str]) -> Assessment:
    if not Assessment.objects.select_for_update().filter(pk=assessment.pk, status=Assessment.Status.DRAFT).exists():
        raise ValidationError([("assessment", "a completed assessment cannot be changed; start a new one")])
    person = assessment.person
    new = Level(str(assessment.overall))
    assessment.status, assessment.completed_at = Assessment.Status.COMPLETE, clock.now()
    assessment.recorded_at = assessment.completed_at
    trainee, nqo = _assessor_flags(assessment)
    previous = current_level(person)
    outcome = on_completion(
        current=previous,
        new=new,
        assessor_is_trainee=trainee,
        assessor_is_newly_qualified=nqo,
        overridden_prompts=tuple(p["code"] for p in assessment.prompts if p.get("response")),
    )
    assessment.previous_level = previous.value if previous else None
    assessment.countersign_required, assessment.countersign_reasons = (
        outcome.countersign_required,
        list(outcome.reasons),
    )
    assessment.save()
    reason = f"Assessment {assessment.external_id}: {CHANGE_WORDS[outcome.change]}"
    if outcome.change in (Change.FIRST, Change.RAISED):
        _apply_level(actor, person, new, assessment, reason)
    elif outcome.change is Change.UNCHANGED:
        # Same level confirmed: nothing changes, but the level now rests on this assessment.
        CaseRisk.objects.update_or_create(person=person, defaults={"level": new.value, "assessment": assessment})
        _follow_registration(actor, person, new, assessment)
    else:
        risk, _ = CaseRisk.objects.get_or_create(person=person)
        risk.pending_level, risk.pending_assessment = new.value, assessment
        risk.save()
        _level_change(
            person,
            assessment,
            by=actor.code,
            previous=risk.level,
            new=new.value,
            effective=False,
            reason=reason + " — waiting for countersignature",
        )
    risk_recalculate(person=person)
    audit_record(
        actor=actor,
        action="ASSESSMENT_COMPLETE",
        crn=person.crn,
        details={
            "assessment": assessment.external_id,
            "overall": new.value,
            "change": outcome.change.value,
            "countersign_required": outcome.countersign_required,
            **cover,
        },
    )
    announce_case_changed([person.pk], "assessment")
    return assessment


@transaction.atomic
def assessment_countersign(*, actor: Actor, assessment: Assessment, agree: bool, comments: str) -> Assessment:
    """An SPO (or more senior) countersigns; agreeing to a lowering makes it take effect. Disagreeing with a raise
    leaves the raised level in force: lowering it again needs a new assessment."""
    if actor.role not in COUNTERSIGNERS:
        raise PermissionDeniedError("Only a senior probation officer or above may countersign")
    cover = _may_assess(actor, assessment.person)
    if actor.staff_code and actor.staff_code == assessment.assessor_code:
        raise PermissionDeniedError("An assessor cannot countersign their own assessment")
    if not assessment.countersign_required or assessment.countersigned_at is not None:
        raise ValidationError([("assessment", "this assessment is not waiting for countersignature")])
    if not comments.strip():
        raise ValidationError([("comments", "record what you checked and why you agree or disagree")])
    assessment.countersigned_at, assessment.countersigned_by = clock.now(), actor.code
    assessment.countersign_agreed, assessment.countersign_comments = agree, comments.strip()
    assessment.save()
    person = assessment.person
    risk = CaseRisk.objects.filter(person=person).first()
    if risk is not None and risk.pending_assessment_id == assessment.pk:
        if agree:
            _apply_level(
                actor,
                person,
                Level(str(assessment.overall)),
                assessment,
                f"Lowering countersigned by {actor.code}: {comments.strip()}",
            )
        else:
            risk.pending_level, risk.pending_assessment = None, None
            risk.save()
            _level_change(
                person,
                assessment,
                by=actor.code,
                previous=risk.level,
                new=risk.level or str(assessment.overall),
                effective=True,
                reason=f"Lowering not agreed: {comments.strip()}",
            )
    risk_recalculate(person=person)
    audit_record(
        actor=actor,
        action="ASSESSMENT_COUNTERSIGN",
        crn=person.crn,
        details={"assessment": assessment.external_id, "agreed": agree, **cover},
    )
    announce_case_changed([person.pk], "countersign")
    return assessment


@transaction.atomic
def plan_save(
    *,
    actor: Actor,
    assessment: Assessment,
    sections: dict[str, str],
    covered_groups: list[str],
    answered_factors: list[str],
    finalise: bool,
) -> RiskManagementPlan:
    """Step 4: the plan answers each risk; it is finalised only once its assessment is complete and it covers
    every group rated MEDIUM or above and every indicator found relevant."""
    _may_assess(actor, assessment.person)
    plan, _ = RiskManagementPlan.objects.get_or_create(assessment=assessment)
    if plan.status == RiskManagementPlan.Status.FINAL:
        raise ValidationError([("plan", "a final plan cannot be changed; review it with a new assessment")])
    plan.sections = {s: str(sections.get(s, "")).strip() for s in SECTIONS}
    plan.covered_groups = sorted(set(covered_groups) & {g.value for g in Group})
    plan.answered_factors = sorted(set(answered_factors))
    if finalise:
        ratings = ratings_of(assessment)
        levels = ratings.highest_by_group() if ratings else {}
        factors = frozenset(c for c, a in (assessment.indicator_answers or {}).items() if a.get("relevant"))
        problems = plan_problems(
            assessment_complete=assessment.status == Assessment.Status.COMPLETE,
            levels=levels,
            sections=plan.sections,
            covered_groups=frozenset(Group(g) for g in plan.covered_groups),
            risk_factors=factors,
            answered_factors=frozenset(plan.answered_factors),
        )
        if problems:
            plan.save()
            raise ValidationError(problems)
        plan.status, plan.finalised_at, plan.finalised_by = RiskManagementPlan.Status.FINAL, clock.now(), actor.code
    plan.save()
    audit_record(
        actor=actor,
        action="PLAN_FINALISE" if finalise else "PLAN_SAVE",
        crn=assessment.person.crn,
        details={"assessment": assessment.external_id},
    )
    return plan


def risk_recalculate(*, person: Person) -> CaseRisk:
    """Store the tiers computed from the case's current inputs (caseload tables read the stored values)."""
    risk_recalculate_many(people=[person])
    return CaseRisk.objects.get(person=person)


def risk_recalculate_many(*, people: list[Person]) -> int:
    """The same for many cases in a fixed number of queries: bundle imports refresh whole chunks at once."""
    loaded = load_tier_inputs(people)
    existing = {i.person.pk: i.risk for i in loaded if i.risk is not None}
    new: list[CaseRisk] = []
    changed: list[CaseRisk] = []
    history: list[TierChange] = []
    now = clock.now()
    fields = ("tier_v2", "tier_v3", "tier_provisional", "tier_explanation")
    for inputs in loaded:
        result = tiers_from(inputs)
        risk = existing.get(inputs.person.pk) or CaseRisk(person=inputs.person)
        values = (result["v2"], result["v3"], result["provisional"], result["explanation"])
        # Issue 20 §4: only rows whose tier changed are written (an import usually leaves most tiers as they were).
        if risk.pk and tuple(getattr(risk, f) for f in fields) == values:
            continue
        # Issue 15 §1 (helper "tierhist"): a change of the tier itself (not only its explanation) joins the history.
        if (risk.tier_v2, risk.tier_v3) != (values[0], values[1]):
            history.append(
                TierChange(
                    person=inputs.person,
                    at=now,
                    previous_v2=risk.tier_v2,
                    new_v2=values[0],
                    previous_v3=risk.tier_v3,
                    new_v3=values[1],
                )
            )
        risk.tier_v2, risk.tier_v3, risk.tier_provisional, risk.tier_explanation = values
        (changed if risk.pk else new).append(risk)
    with transaction.atomic():
        CaseRisk.objects.bulk_create(new, batch_size=1000)
        CaseRisk.objects.bulk_update(changed, list(fields), batch_size=500)
        TierChange.objects.bulk_create(history, batch_size=1000)
    return len(loaded)


def assessment_import_apply(*, person: Person, changed: frozenset[str] = frozenset()) -> None:
    """After an import, the same rules as Keepsafe's own assessments (issue 12 §5) for the latest completed
    assessment when it is newer than the one in force and was imported or changed now (`changed`: external ids):

    - an assessment by a trainee (PQiP) or an officer newly qualified on the day it was completed is marked for
      countersignature; so is one whose levels leave a thresholding prompt open (nobody here answered it), the
      prompts stored on it for the countersigner;
    - a raise (or first level) takes effect at once; a lowering waits for an SPO's countersignature here.

    Registrations in the bundle are left as they came; the caller refreshes the tiers (`risk_recalculate_many`)."""
    latest = (
        Assessment.objects.filter(person=person, status=Assessment.Status.COMPLETE)
        .order_by("-completed_at", "-id")
        .first()
    )
    risk, _ = CaseRisk.objects.get_or_create(person=person)
    in_force = risk.assessment
    if (
        latest is None
        or not latest.overall
        or latest.source != Assessment.Source.IMPORTED
        or latest.external_id not in changed
        or latest.countersigned_at is not None
        or (in_force is not None and (latest.completed_at or clock.now()) <= (in_force.completed_at or clock.now()))
    ):
        return
    ratings = ratings_of(latest)
    new = Level(latest.overall)
    previous = current_level(person)
    prompts = (
        thresholding_prompts(assessment_evidence(person, frozenset()), ratings.highest_by_group()) if ratings else []
    )
    trainee, nqo = _assessor_flags(latest)
    outcome = on_completion(
        current=previous,
        new=new,
        assessor_is_trainee=trainee,
        assessor_is_newly_qualified=nqo,
        overridden_prompts=tuple(p.code for p in prompts),
        imported=True,
    )
    latest.prompts = [
        _prompt_json(p, ratings) | {"response": "", "responded_by": ""} for p in prompts if ratings is not None
    ]
    latest.previous_level = previous.value if previous else None
    latest.countersign_required, latest.countersign_reasons = outcome.countersign_required, list(outcome.reasons)
    latest.save(update_fields=["prompts", "previous_level", "countersign_required", "countersign_reasons"])
    reason = f"Imported assessment {latest.external_id}: {CHANGE_WORDS[outcome.change]}"
    if outcome.takes_effect_now:
        was = risk.level
        risk.level, risk.assessment = new.value, latest
        risk.save()
        if was != new.value:
            # The entry says what it records, from `was`: the outcome weighed the RoSH registration where the case
            # had no assessed level, so it said "unchanged" of "none → High" (a try-out, 3 December).
            recorded = change_of(Level(was) if was else None, new)
            reason = f"Imported assessment {latest.external_id}: {CHANGE_WORDS[recorded]}"
            _level_change(person, latest, by="import", previous=was, new=new.value, effective=True, reason=reason)
    else:
        risk.pending_level, risk.pending_assessment = new.value, latest
        risk.save()
        _level_change(
            person,
            latest,
            by="import",
            previous=risk.level or (previous.value if previous else None),
            new=new.value,
            effective=False,
            reason=reason + " — waiting for countersignature",
        )

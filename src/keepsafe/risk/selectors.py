"""Reading risk: the evidence an assessor gathers, the predictors in use, the tiers, the case's risk summary."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from keepsafe.core import clock
from keepsafe.core.formats import iso_date, iso_instant
from keepsafe.people.history import day_of, events_as_known, flags_in_force, person_as_known
from keepsafe.people.models import Event, Person, Registration
from keepsafe.people.rules.registration_review import is_active
from keepsafe.people.rules.vocabulary import CUSTODIAL_SENTENCES, OffenceCategory, RequirementType, SentenceType
from keepsafe.records.models import IndicatorFinding, Record
from keepsafe.records.selectors import indicator_picture
from keepsafe.risk.models import Assessment, CaseRisk, RiskLevelChange, TierChange
from keepsafe.risk.rules.carry_forward import (
    PredictorScore,
    ScoredAssessment,
    needs_in_force,
    predictors_in_force,
)
from keepsafe.risk.rules.case_inputs import CaseFacts, ogrs3_from_case
from keepsafe.risk.rules.predictors import PredictorInputError
from keepsafe.risk.rules.prompts import Evidence, thresholding_prompts
from keepsafe.risk.rules.review_signal import LatestAssessment, NewInformation, risk_review_signal
from keepsafe.risk.rules.rosh import LEVEL_FOR_REGISTRATION, Level, RatingsError, RoshRatings
from keepsafe.risk.rules.tier import CurrentEvent, MappaRecord, Reason, mandate_for_change, mappa_for_tiers
from keepsafe.risk.rules.tier.history import TierStep, tier_in_force
from keepsafe.risk.rules.tier.v2 import TierV2Input, tier_v2, women_factors
from keepsafe.risk.rules.tier.v3 import TierV3Input, tier_v3

VALID_ASSESSMENT_WEEKS = 55  # hmpps-tier / ARNS tierPredicate: an assessment completed within 55 weeks


def active_registrations(person: Person) -> list[Registration]:
    today = clock.today()
    return [
        r
        for r in Registration.objects.filter(person=person).select_related("type")
        if is_active(start=r.start, end=r.end, today=today)
    ]


def current_event(person: Person) -> Event | None:
    return Event.objects.filter(person=person, terminated__isnull=True).order_by("-sentence_date", "-id").first()


def latest_complete(person: Person, as_of: datetime | None = None) -> Assessment | None:
    """The latest completed assessment (completed by `as_of`, when given)."""
    rows = Assessment.objects.filter(person=person, status=Assessment.Status.COMPLETE)
    if as_of is not None:
        rows = rows.filter(completed_at__lte=as_of)
    return rows.order_by("-completed_at", "-id").first()


def completed_assessments(person: Person, as_of: datetime | None = None) -> list[Assessment]:
    """Every completed assessment (completed by `as_of`, when given), newest first."""
    rows = Assessment.objects.filter(person=person, status=Assessment.Status.COMPLETE)
    if as_of is not None:
        rows = rows.filter(completed_at__lte=as_of)
    return list(rows.order_by("-completed_at", "-id"))


def ratings_of(assessment: Assessment) -> RoshRatings | None:
    """An assessment's RoSH ratings, community and custody kept apart; None before its judgement is saved."""
    if not assessment.rosh:
        return None
    try:
        return RoshRatings.from_json(assessment.rosh)
    except RatingsError as exc:
        raise RatingsError(f"assessment {assessment.external_id}: {exc}") from exc


def _scored(assessment: Assessment) -> ScoredAssessment | None:
    if assessment.completed_at is None:
        return None
    return ScoredAssessment(
        assessment.external_id,
        assessment.completed_at,
        {
            name: PredictorScore(float(v["score"]), v.get("band"), v.get("static"))
            for name, v in (assessment.predictors or {}).items()
        },
        dict(assessment.needs or {}),
    )


def scored(assessments: list[Assessment]) -> list[ScoredAssessment]:
    return [s for s in map(_scored, assessments) if s is not None]


def review_signals(person: Person, as_of: datetime) -> list[dict[str, Any]]:
    """Open signals (`signals` in docs/case-json.md): today a RISK_REVIEW when indicator records are unanswered."""
    latest = latest_complete(person, as_of)
    by_record: dict[int, NewInformation] = {}
    findings = IndicatorFinding.objects.filter(person=person, record__isnull=False, received_at__lte=as_of)
    if latest is not None and latest.completed_at is not None:
        findings = findings.filter(received_at__gt=latest.completed_at)
    for record_id, external_id, received_at, indicator in findings.values_list(
        "record_id", "record__external_id", "received_at", "indicator"
    ):
        seen = by_record.get(record_id)
        indicators = (seen.indicators if seen else frozenset()) | {indicator}
        by_record[record_id] = NewInformation(external_id, received_at, indicators)
    signal = risk_review_signal(
        list(by_record.values()),
        LatestAssessment(latest.external_id, latest.completed_at) if latest and latest.completed_at else None,
        as_of,
    )
    if signal is None:
        return []
    return [
        {
            "id": signal.id,
            "type": signal.type,
            "raised_at": iso_instant(signal.raised_at),
            "since_assessment": signal.since_assessment,
            "records": list(signal.records),
            "indicators": list(signal.indicators),
        }
    ]


def current_level(person: Person) -> Level | None:
    """The case's RoSH: the level set by assessments, else the active RoSH registration (nDelius), else none."""
    return level_from(CaseRisk.objects.filter(person=person).first(), active_registrations(person))


def level_from(risk: CaseRisk | None, registrations: list[Registration]) -> Level | None:
    if risk is not None and risk.level:
        return Level(risk.level)
    for reg in registrations:
        if reg.type.code in LEVEL_FOR_REGISTRATION:
            return LEVEL_FOR_REGISTRATION[reg.type.code]
    return None


@dataclass(frozen=True)
class PredictorView:
    name: str
    value: float
    band: str | None
    static: bool | None
    source: str
    inputs: dict[str, Any]


def predictors(person: Person) -> dict[str, PredictorView]:
    """Predictors in use: imported scores win over Keepsafe's own computation from less information (issue 4 §7);
    each from the newest assessment that scored it (issue 12 §2)."""
    return predictors_from(person, completed_assessments(person), current_event(person))


OGRS3_YEARS = frozenset({"ogrs3_1y", "ogrs3_2y"})


def predictors_from(person: Person, assessments: list[Assessment], event: Event | None) -> dict[str, PredictorView]:
    """`assessments`: the completed ones, newest first. A later assessment that did not re-score a predictor
    leaves the earlier score in force, saying where it came from."""
    found: dict[str, PredictorView] = {}
    if event is not None:
        try:
            score = ogrs3_from_case(
                CaseFacts(
                    gender=person.gender,
                    date_of_birth=person.date_of_birth,
                    first_sanction_date=person.first_sanction_date,
                    sanctions=person.sanctions,
                    sentence_type=SentenceType(event.sentence_type),
                    sentence_date=event.sentence_date,
                    release=event.release,
                    offence_category=OffenceCategory(event.offence_category),
                )
            )
            inputs = {k: str(v) for k, v in score.inputs.__dict__.items()}
            source = "computed by Keepsafe from the case record: " + score.source
            found["ogrs3_1y"] = PredictorView("ogrs3_1y", score.percent_1y, score.band, True, source, inputs)
            found["ogrs3_2y"] = PredictorView("ogrs3_2y", score.percent_2y, score.band, True, source, inputs)
        except PredictorInputError:
            pass
    in_force = predictors_in_force(scored(assessments))
    if OGRS3_YEARS & in_force.keys():
        # OGRS3's one- and two-year scores are one predictor: an imported OGRS3 replaces both computed ones, so the
        # page never sets a computed one-year score beside an imported two-year one (it showed 50 % against 42 %).
        for name in OGRS3_YEARS:
            found.pop(name, None)
    for name, kept in sorted(in_force.items()):
        source = f"imported with assessment {kept.assessment}"
        if kept.carried_forward:
            source += (
                f" (completed {iso_date(kept.completed_at.date())}), carried forward: "
                "later assessments did not re-score it"
            )
        found[name] = PredictorView(name, kept.score.score, kept.score.band, kept.score.static, source, {})
    return found


def found_indicators(person: Person, as_of: datetime | None = None) -> dict[str, tuple[str, ...]]:
    """Indicators found in the case's records and contact notes, known by `as_of` (now), each with where."""
    picture = indicator_picture(person, as_of or clock.now())
    return {s.indicator: tuple(sorted({e.ref for e in s.evidence})) for s in picture}


def assessment_evidence(
    person: Person, relevant_indicators: frozenset[str], inputs: TierInputs | None = None
) -> Evidence:
    """What the thresholding prompts weigh: indicators answered relevant AND every indicator found in records.
    `inputs`: the case's facts already loaded (`load_tier_inputs`), so a page that has them does not read them again."""
    if inputs is None:
        inputs = load_tier_inputs([person])[0]
    regs = inputs.registrations
    event = inputs.events[0] if inputs.events else None
    mappa = next((r for r in regs if r.type.code == "MAPP"), None)
    bands = {
        name: p.band
        for name, p in predictors_from(person, inputs.assessments, event).items()
        if p.band and name in ("rsr", "csrp", "ovp2", "ovp", "osp_dc", "ogp2")
    }
    return Evidence(
        today=clock.today(),
        relevant_indicators=relevant_indicators,
        found_indicators=found_indicators(person),
        registrations=frozenset(r.type.code for r in regs),
        mappa_level=int(mappa.level[1]) if mappa and mappa.level else None,
        predictor_bands=bands,
        in_custody=_in_custody(event),
    )


def _in_custody(event: Event | None) -> bool:
    today = clock.today()
    return bool(
        event
        and event.sentence_type in {s.value for s in CUSTODIAL_SENTENCES}
        and (event.release is None or event.release > today)
    )


@dataclass
class TierInputs:
    """Everything the tiers read about one case, loaded in bulk for many cases at once."""

    person: Person
    registrations: list[Registration]
    risk: CaseRisk | None
    assessments: list[Assessment]  # completed, newest first
    events: list[Event]  # current (not terminated), newest sentence first, requirements prefetched
    sexual_offence: bool


def load_tier_inputs(people: list[Person]) -> list[TierInputs]:
    """A fixed number of queries for any number of people (imports recompute tiers for whole chunks)."""
    ids = [p.pk for p in people]
    today = clock.today()
    regs: dict[int, list[Registration]] = {pk: [] for pk in ids}
    for reg in Registration.objects.filter(person_id__in=ids).select_related("type"):
        if is_active(start=reg.start, end=reg.end, today=today):
            regs[reg.person_id].append(reg)
    risks = {r.person_id: r for r in CaseRisk.objects.filter(person_id__in=ids)}
    completed: dict[int, list[Assessment]] = {pk: [] for pk in ids}
    for a in Assessment.objects.filter(person_id__in=ids, status=Assessment.Status.COMPLETE).order_by(
        "-completed_at", "-id"
    ):
        completed[a.person_id].append(a)
    events: dict[int, list[Event]] = {pk: [] for pk in ids}
    for e in (
        Event.objects.filter(person_id__in=ids, terminated__isnull=True)
        .order_by("-sentence_date", "-id")
        .prefetch_related("requirements")
    ):
        events[e.person_id].append(e)
    sexual = set(
        Event.objects.filter(person_id__in=ids, offence_category__startswith="sexual").values_list(
            "person_id", flat=True
        )
    )
    return [TierInputs(p, regs[p.pk], risks.get(p.pk), completed[p.pk], events[p.pk], p.pk in sexual) for p in people]


def tiers(person: Person) -> dict[str, Any]:
    """Tier v2 and v3 from the case's current inputs, each with the reasons that produced it."""
    return tiers_from(load_tier_inputs([person])[0])


def tiers_from(inputs: TierInputs, at: datetime | None = None) -> dict[str, Any]:
    """`at`: compute as at that instant (point in time); the inputs must be those known then."""
    today = day_of(at) if at is not None else clock.today()
    now = at if at is not None else clock.now()
    person, regs, events = inputs.person, inputs.registrations, inputs.events
    codes = frozenset(r.type.code for r in regs)
    newest_first = sorted((r for r in regs if r.type.code == "MAPP"), key=lambda r: r.start, reverse=True)
    mappa_level, mappa = mappa_for_tiers([MappaRecord(r.level, r.category) for r in newest_first])
    level = level_from(inputs.risk, regs)
    found = predictors_from(person, inputs.assessments, events[0] if events else None)
    custodial = {s.value for s in CUSTODIAL_SENTENCES}
    mandate = mandate_for_change(
        CurrentEvent(
            custodial=e.sentence_type in custodial,
            requirements=tuple(RequirementType(r.type) for r in e.requirements.all()),
        )
        for e in events
    )
    # An assessment completed within 55 weeks makes the change level count; its needs are those of the newest
    # assessment that assessed needs within those weeks (a RoSH assessment made in Keepsafe records none, and
    # completing one must not wipe them: issue 12 §2).
    since = now - timedelta(weeks=VALID_ASSESSMENT_WEEKS)
    recent = [a for a in scored(inputs.assessments) if a.completed_at >= since]
    valid = bool(recent)
    needs = needs_in_force(recent)
    # The women's factors come from the newest valid assessment that carries OASys answers (imported ones).
    answered = next(
        (a for a in inputs.assessments if a.oasys_answers and a.completed_at is not None and a.completed_at >= since),
        None,
    )
    rsr = found.get("rsr") or found.get("csrp")
    ogrs = found.get("ogrs3_2y")
    parenting, impulsivity_or_temper = women_factors(answered.oasys_answers if answered else {})
    v2 = tier_v2(
        TierV2Input(
            rsr=rsr.value if rsr else None,
            rosh=level.value if level else None,
            mappa_level=mappa_level,
            registrations=codes,
            female=person.gender == "FEMALE",
            parenting_responsibilities=parenting,
            impulsivity_or_temper=impulsivity_or_temper,
            mandate_for_change=mandate,
            valid_assessment=valid,
            needs=dict(needs.needs) if valid and needs else {},
            ogrs3_2y_percent=int(ogrs.value) if ogrs else None,
        )
    )
    arp = found.get("ogp2") or found.get("ogrs4g")
    dc = found.get("osp_dc")
    lifer_release = max((e.release for e in events if e.release and e.release <= today), default=None)
    v3 = tier_v3(
        TierV3Input(
            today=today,
            has_active_event=bool(events),
            arp=arp.value if arp else None,
            arp_static=bool(arp.static) if arp else False,
            csrp=rsr.value if rsr else None,
            csrp_static=bool(rsr.static) if rsr else False,
            dc_srp_band=dc.band if dc and dc.band in ("LOW", "MEDIUM", "HIGH", "VERY_HIGH") else None,  # type: ignore[arg-type]
            dc_srp_score=dc.value if dc else None,
            mappa=mappa,
            rosh=level.value if level else None,
            registrations=codes,
            lifer_latest_release=lifer_release,
            ever_sexual_offence=inputs.sexual_offence,
        )
    )

    def reasons(items: tuple[Reason, ...]) -> list[dict[str, str]]:
        return [{"step": r.step, "detail": r.detail, "result": r.result} for r in items]

    return {
        "v2": v2.tier,
        "v3": v3.tier,
        "provisional": v3.provisional,
        "explanation": {"v2": reasons(v2.reasons), "v3": reasons(v3.reasons)},
    }


def gather(person: Person) -> dict[str, Any]:
    """Step 1 of the RoSH guidance: everything relevant in one place, grouped and short, each with its source."""
    regs = active_registrations(person)
    return {
        "events": list(Event.objects.filter(person=person).prefetch_related("licence_conditions")),
        "predictors": predictors(person),
        "registrations": regs,
        "civil_orders": [r for r in regs if r.type.code in ("RSTO", "SPO", "SOPS")],
        "checks": list(
            Record.objects.filter(person=person, source__in=["POLICE", "CHILDRENS_SERVICES"]).order_by("-occurred_at")[
                :20
            ]
        ),
        "previous": list(Assessment.objects.filter(person=person, status=Assessment.Status.COMPLETE)[:5]),
        "history": list(RiskLevelChange.objects.filter(person=person)[:10]),
    }


def risk_summary(person: Person, as_of: datetime | None = None) -> dict[str, Any]:
    """The `risk` key of `keepsafe case CRN --json` (docs/case-json.md); `as_of` gives it as known then."""
    if as_of is not None:
        return _risk_summary_as_of(person, as_of)
    # One read of the case's registrations, RoSH, completed assessments and events serves the level, the
    # predictors, the tiers and the prompts below (each used to read them again: issue 20 §3).
    inputs = load_tier_inputs([person])[0]
    risk = inputs.risk
    assessment = inputs.assessments[0] if inputs.assessments else None  # newest completed, as latest_complete
    draft = Assessment.objects.filter(person=person, status=Assessment.Status.DRAFT).first()
    level = level_from(risk, inputs.registrations)
    ratings = ratings_of(assessment) if assessment else None
    return {
        "rosh": {
            "overall": level.value if level else None,
            **_ratings_json(ratings),
            "pending_lower_to": risk.pending_level if risk and risk.pending_level else None,
        },
        "predictors": {
            name: {"value": p.value, "band": p.band, "static": p.static, "inputs": p.inputs, "source": p.source}
            for name, p in predictors_from(
                person, inputs.assessments, inputs.events[0] if inputs.events else None
            ).items()
        },
        "tier": tiers_from(inputs),
        "assessment": _assessment_json(assessment),
        "prompts": [p for p in (draft.prompts if draft else []) if not p.get("response")],
        "gap": rosh_gap(person, assessment, ratings, inputs),
        "history": _history_json(RiskLevelChange.objects.filter(person=person)),
        "tier_history": tier_history_json(person),  # issue 15 §1 (helper "tierhist")
        "as_of": iso_date(clock.today()),
    }


def _ratings_json(ratings: RoshRatings | None) -> dict[str, Any]:
    if ratings is None:
        return {"community": {}, "custody": None, "assessed_overall": None}
    return {**ratings.as_json(), "assessed_overall": ratings.overall.value}


def rosh_gap(
    person: Person, assessment: Assessment | None, ratings: RoshRatings | None, inputs: TierInputs | None = None
) -> list[dict[str, Any]]:
    """Where the evidence known now points higher than the latest completed assessment's ratings (Keepsafe's own
    or imported): the thresholding prompts its levels leave open, with the answer given to each, if any."""
    if assessment is None or ratings is None:
        return []
    answered = {p["code"]: p for p in assessment.prompts or [] if p.get("response")}
    by_group = ratings.highest_by_group()
    return [
        {
            "code": p.code,
            "group": p.group.value,
            "suggested": p.suggested.value,
            "rated": by_group.get(p.group, Level.LOW).value,
            "message": p.message,
            "evidence": list(p.evidence),
            "records": list(p.records),
            "source": p.source,
            "response": answered[p.code]["response"] if p.code in answered else None,
            "responded_by": answered[p.code].get("responded_by") if p.code in answered else None,
        }
        for p in thresholding_prompts(assessment_evidence(person, frozenset(), inputs), by_group)
    ]


def _assessment_json(assessment: Assessment | None) -> dict[str, Any] | None:
    if assessment is None:
        return None
    return {
        "id": assessment.external_id,
        "completed_at": iso_instant(assessment.completed_at),
        "status": assessment.status,
        "source": assessment.source,
        "countersigned": assessment.countersign_agreed is True,
        # True agreed, False not agreed (the SPO disagreed), None not countersigned (yet, or never needed)
        "countersign_agreed": assessment.countersign_agreed,
        "countersign_required": assessment.countersign_required,
        "countersign_reasons": list(assessment.countersign_reasons or []),
        "previous_level": assessment.previous_level,
        "assessor": assessment.assessor_code,
    }


def _history_json(changes) -> list[dict[str, Any]]:
    return [
        {
            "at": iso_instant(c.at),
            "by": c.by,
            "previous": c.previous,
            "new": c.new,
            "effective": c.effective,
            "reason": c.reason,
        }
        for c in changes[:20]
    ]


def tier_inputs_as_of(person: Person, as_of: datetime, level: str | None = None) -> TierInputs:
    """The tiers' inputs as known at `as_of` (people.history): flags in force, events not terminated by then,
    allocation and criminal history, the latest assessment completed by then, and the RoSH `level` decided by then."""
    known = person_as_known(person, as_of)
    day = day_of(as_of)
    events = events_as_known(known, as_of)
    current = [e for e in events if e.terminated is None or e.terminated > day]
    current.sort(key=lambda e: (e.sentence_date, e.pk), reverse=True)
    return TierInputs(
        person=known,
        registrations=[f.registration for f in flags_in_force(known, as_of)],
        risk=CaseRisk(person_id=known.pk, level=level) if level else None,
        assessments=completed_assessments(known, as_of),
        events=current,
        sexual_offence=any(e.offence_category.startswith("sexual") for e in events),
    )


def _risk_summary_as_of(person: Person, as_of: datetime) -> dict[str, Any]:
    """Point in time: what had been assessed and decided by `as_of`, and the predictors and tiers computed from the
    inputs known then (allocation, criminal history, sentences, requirements and flags are versioned)."""
    assessment = latest_complete(person, as_of)
    changes = RiskLevelChange.objects.filter(person=person, at__lte=as_of)
    effective = changes.filter(effective=True).first()
    pending = changes.first()
    overall = effective.new if effective else (assessment.overall if assessment else None)
    inputs = tier_inputs_as_of(person, as_of, overall)
    return {
        "rosh": {
            "overall": overall,
            **_ratings_json(ratings_of(assessment) if assessment else None),
            "pending_lower_to": pending.new if pending is not None and not pending.effective else None,
        },
        "predictors": {
            name: {"value": p.value, "band": p.band, "static": p.static, "inputs": p.inputs, "source": p.source}
            for name, p in predictors_from(
                inputs.person, inputs.assessments, inputs.events[0] if inputs.events else None
            ).items()
        },
        "tier": tiers_from(inputs, at=as_of),
        "assessment": _assessment_json(assessment),
        "prompts": [],
        "gap": None,  # weighed against the evidence known now only
        "history": _history_json(changes),
        "tier_history": tier_history_json(person, as_of),  # issue 15 §1 (helper "tierhist")
        "as_of": iso_instant(as_of),
    }


# --- issue 15 §1 (helper "tierhist"): the tier history, and the tier in force at an instant -------------------------

TIER_HISTORY_SHOWN = 20


def tier_history_json(person: Person, as_of: datetime | None = None) -> list[dict[str, Any]]:
    """`risk.tier_history` of the case JSON (docs/case-json.md): the latest 20 changes of the stored tier recorded by
    `as_of` (all when None), newest first."""
    changes = TierChange.objects.filter(person=person)
    if as_of is not None:
        changes = changes.filter(at__lte=as_of)
    return [
        {
            "at": iso_instant(c.at),
            "previous_v2": c.previous_v2 or None,
            "new_v2": c.new_v2 or None,
            "previous_v3": c.previous_v3 or None,
            "new_v3": c.new_v3 or None,
            "backfilled": c.backfilled,
        }
        for c in changes.order_by("-at", "-id")[:TIER_HISTORY_SHOWN]
    ]


def tiers_v2_as_of(person_ids: list[int], as_of: datetime) -> dict[int, str | None]:
    """Each case's tier v2 in force at `as_of` (rules/tier/history.py: the last recorded change by then, never a later
    one), in two queries whatever the number of cases. A case with no recorded change reads its stored tier."""
    steps: dict[int, list[TierStep]] = {pid: [] for pid in person_ids}
    for pid, at, pk, previous, new in TierChange.objects.filter(person_id__in=person_ids).values_list(
        "person_id", "at", "id", "previous_v2", "new_v2"
    ):
        steps[pid].append(TierStep(at, pk, previous, new))
    stored = dict(CaseRisk.objects.filter(person_id__in=person_ids).values_list("person_id", "tier_v2"))
    return {pid: tier_in_force(mine, as_of, without_history=stored.get(pid) or None) for pid, mine in steps.items()}

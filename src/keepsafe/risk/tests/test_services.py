"""Assessment scenarios: raising takes effect at once, lowering waits for an SPO, prompts must be answered."""

from __future__ import annotations

import pytest

from keepsafe.core.actor import Role
from keepsafe.core.errors import PermissionDeniedError, ValidationError
from keepsafe.people.models import Person, Registration
from keepsafe.records.rules.indicators import INDICATORS
from keepsafe.risk.models import CaseRisk, RiskLevelChange
from keepsafe.risk.selectors import current_level, risk_summary
from keepsafe.risk.services import (
    assessment_complete,
    assessment_countersign,
    assessment_save_analysis,
    assessment_save_judgement,
    assessment_start,
    plan_save,
)
from keepsafe.testing.fixtures import make_bundle, make_person
from keepsafe.workforce.models import Staff

pytestmark = pytest.mark.django_db
RATIONALE = "He threatened his former partner in October and was found with a knife; harm could be serious."
ANALYSIS = {
    "nature": "Violence towards a former partner",
    "imminence": "Could happen at any time",
    "increases": "Alcohol, contact with the partner",
    "reduces": "Stable housing, engagement",
}


def answers(relevant: set[str] = frozenset()) -> dict[str, dict[str, object]]:
    return {
        code: {"relevant": code in relevant, "reason": "" if code in relevant else "No evidence in any record"}
        for code in INDICATORS
    }


def judge(actor, assessment, level: str, responses: dict[str, str] | None = None, known_adult: str | None = None):
    community = {"children": "LOW", "public": level, "known_adult": known_adult or level, "staff": "LOW"}
    return assessment_save_judgement(
        actor=actor,
        assessment=assessment,
        community=community,
        custody=None,
        rationales=dict.fromkeys(community, RATIONALE),
        prompt_responses=responses or {},
        risk_to_self={
            "suicide": "NO",
            "self_harm": "NO",
            "custody_coping": "DONT_KNOW",
            "hostel_coping": "NO",
            "vulnerability": "NO",
        },
        other_risks={},
    )


def assess(actor, person, level: str, relevant: set[str] = frozenset(), responses=None):
    assessment = assessment_start(actor=actor, person=person)
    assessment_save_analysis(actor=actor, assessment=assessment, analysis=ANALYSIS, indicator_answers=answers(relevant))
    judge(actor, assessment, level, responses)
    return assessment_complete(actor=actor, assessment=assessment)


@pytest.fixture
def person(imported):
    p = make_person(
        assessments=[],
        registrations=[
            {
                "id": "R1",
                "type": "RMRH",
                "start": "2024-01-01",
                "end": None,
                "level": None,
                "category": None,
                "notes": "",
            }
        ],
    )
    imported(make_bundle(p))
    Staff.objects.create(code="PQ01", forename="Tara", surname="Trainee", grade="PQIP")
    return Person.objects.get(crn="X123456")


def rosh_registrations(person) -> list[str]:
    return sorted(r.type.code for r in Registration.objects.filter(person=person, type__group="rosh", end__isnull=True))


def test_raising_takes_effect_at_once_and_asks_the_spo_to_review(person, staff_actor):
    assert current_level(person).value == "MEDIUM"  # from the nDelius RoSH registration
    assessment = assess(staff_actor("STF0001"), person, "HIGH")
    assert current_level(person).value == "HIGH"
    assert assessment.countersign_required
    assert rosh_registrations(person) == ["RHRH"]
    change = RiskLevelChange.objects.get(person=person)
    assert (change.previous, change.new, change.effective) == (None, "HIGH", True)


def test_lowering_waits_for_countersignature(person, staff_actor):
    assess(staff_actor("STF0001"), person, "HIGH")
    lowered = assess(staff_actor("STF0001"), person, "MEDIUM")
    assert current_level(person).value == "HIGH"
    assert CaseRisk.objects.get(person=person).pending_level == "MEDIUM"
    assert risk_summary(person)["rosh"]["pending_lower_to"] == "MEDIUM"
    with pytest.raises(PermissionDeniedError):
        assessment_countersign(actor=staff_actor("STF0002"), assessment=lowered, agree=True, comments="ok")
    assessment_countersign(
        actor=staff_actor("STF0100", Role.SPO),
        assessment=lowered,
        agree=True,
        comments="Checked police and prison records; the partner has moved away.",
    )
    assert current_level(person).value == "MEDIUM"
    assert rosh_registrations(person) == ["RMRH"]


def test_a_lowering_the_spo_does_not_agree_leaves_the_level(person, staff_actor):
    assess(staff_actor("STF0001"), person, "HIGH")
    lowered = assess(staff_actor("STF0001"), person, "LOW")
    assessment_countersign(
        actor=staff_actor("STF0100", Role.SPO),
        assessment=lowered,
        agree=False,
        comments="Intelligence from October still stands.",
    )
    risk = CaseRisk.objects.get(person=person)
    assert (risk.level, risk.pending_level) == ("HIGH", None)


def test_trainee_assessments_always_need_countersignature(person, staff_actor):
    assess(staff_actor("STF0001"), person, "MEDIUM")
    # The trainee now holds the case (only staff who work a case assess it: issue 11 §6).
    Person.objects.filter(pk=person.pk).update(practitioner=Staff.objects.get(code="PQ01"))
    person.refresh_from_db()
    unchanged = assess(staff_actor("PQ01"), person, "MEDIUM")
    assert unchanged.countersign_required
    assert any("PQiP" in reason for reason in unchanged.countersign_reasons)


def test_an_assessor_cannot_countersign_their_own_work(person, staff_actor):
    raised = assess(staff_actor("STF0100", Role.SPO), person, "HIGH")
    with pytest.raises(PermissionDeniedError):
        assessment_countersign(actor=staff_actor("STF0100", Role.SPO), assessment=raised, agree=True, comments="fine")


def test_every_indicator_must_be_answered(person, staff_actor):
    actor = staff_actor("STF0001")
    assessment = assessment_start(actor=actor, person=person)
    partial = answers()
    del partial["weapons"]
    partial["threats"] = {"relevant": False, "reason": ""}
    with pytest.raises(ValidationError) as caught:
        assessment_save_analysis(actor=actor, assessment=assessment, analysis=ANALYSIS, indicator_answers=partial)
    assert {"indicator.weapons", "indicator.threats.reason"} <= {p for p, _ in caught.value.problems}


def test_a_thresholding_prompt_must_be_answered_and_not_with_matching_documents(person, staff_actor):
    actor = staff_actor("STF0001")
    assessment = assessment_start(actor=actor, person=person)
    assessment_save_analysis(
        actor=actor,
        assessment=assessment,
        analysis=ANALYSIS,
        indicator_answers=answers({"weapons", "threats", "violence"}),
    )
    with pytest.raises(ValidationError) as caught:
        judge(actor, assessment, "MEDIUM")
    assert [p for p, _ in caught.value.problems] == ["prompt.WEAPONS_THREATS_VIOLENCE"]
    assert risk_summary(person)["prompts"][0]["code"] == "WEAPONS_THREATS_VIOLENCE"
    with pytest.raises(ValidationError):
        assessment_complete(actor=actor, assessment=assessment)
    with pytest.raises(ValidationError, match="not other documents"):
        judge(actor, assessment, "MEDIUM", {"WEAPONS_THREATS_VIOLENCE": "Kept at medium to match other documents"})
    judge(
        actor,
        assessment,
        "MEDIUM",
        {
            "WEAPONS_THREATS_VIOLENCE": "The knife was found in 2019 and the threats "
            "were retracted; no violence for four years."
        },
    )
    assert assessment_complete(actor=actor, assessment=assessment).status == "COMPLETE"


def test_raising_the_level_answers_the_prompt(person, staff_actor):
    assessment = assess(staff_actor("STF0001"), person, "HIGH", {"weapons", "threats", "violence"})
    assert assessment.prompts == []


def test_plan_cannot_be_final_before_the_assessment_and_must_cover_each_risk(person, staff_actor):
    actor = staff_actor("STF0001")
    assessment = assessment_start(actor=actor, person=person)
    sections = {
        s: "Weekly appointments; police marker on the address."
        for s in ("supervision", "interventions", "monitoring_control", "victim_safety", "contingency")
    }
    with pytest.raises(ValidationError) as caught:
        plan_save(
            actor=actor, assessment=assessment, sections=sections, covered_groups=[], answered_factors=[], finalise=True
        )
    assert caught.value.problems[0][0] == "assessment"
    assessment_save_analysis(
        actor=actor, assessment=assessment, analysis=ANALYSIS, indicator_answers=answers({"domestic_abuse"})
    )
    judge(actor, assessment, "LOW", known_adult="HIGH")
    assessment_complete(actor=actor, assessment=assessment)
    with pytest.raises(ValidationError) as caught:
        plan_save(
            actor=actor, assessment=assessment, sections=sections, covered_groups=[], answered_factors=[], finalise=True
        )
    assert {p for p, _ in caught.value.problems} == {"group.known_adult", "factor.domestic_abuse"}
    plan = plan_save(
        actor=actor,
        assessment=assessment,
        sections=sections,
        covered_groups=["known_adult"],
        answered_factors=["domestic_abuse"],
        finalise=True,
    )
    assert plan.status == "FINAL"


def test_tiers_are_recalculated_and_explained(person, staff_actor):
    assess(staff_actor("STF0001"), person, "VERY_HIGH")
    risk = CaseRisk.objects.get(person=person)
    assert risk.tier_v2.startswith("A")  # RoSH very high scores 150 protect points
    assert any(r["detail"] == "RoSH very high" for r in risk.tier_explanation["v2"])  # in words, not VERY_HIGH
    summary = risk_summary(person)
    assert summary["tier"]["v2"] == risk.tier_v2
    assert summary["tier"]["v3"] == "MISSING"  # no ARP or CSRP imported
    assert summary["predictors"]["ogrs3_2y"]["source"].startswith("computed by Keepsafe")

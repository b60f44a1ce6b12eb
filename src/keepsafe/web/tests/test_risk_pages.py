"""The Risk tab and the assessment pages, server-side: each step saves, errors link to their fields."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from keepsafe.records.rules.indicators import INDICATORS
from keepsafe.risk.models import Assessment, CaseRisk
from keepsafe.testing.fixtures import make_bundle, make_person
from keepsafe.workforce.models import Staff, User

pytestmark = pytest.mark.django_db
RATIONALE = "Threats to his former partner and a knife found in August: serious harm is likely if he drinks."


@pytest.fixture
def site(imported):
    person = make_person("A000001")
    person["assessments"][0]["predictors"]["ogrs4g"] = {"score": 80.0, "band": "HIGH", "static": True}
    imported(make_bundle(person))
    users = {}
    for username, code, role in (("ada", "STF0001", "PRACTITIONER"), ("sara", "STF0100", "SPO")):
        users[username] = User.objects.create(username=username, staff=Staff.objects.get(code=code), role=role)
    return users


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def analysis_form(relevant=()) -> dict[str, str]:
    data = {
        "analysis-nature": "Violence to a partner",
        "analysis-imminence": "Any time",
        "analysis-increases": "Drink",
        "analysis-reduces": "Work",
    }
    for code in INDICATORS:
        data[f"ind-{code}"] = "yes" if code in relevant else "no"
        data[f"reason-{code}"] = "" if code in relevant else "Nothing in the records"
    return data


def judge_form(level: str, **extra: str) -> dict[str, str]:
    data = {"in_custody": "no"}
    for group in ("children", "public", "known_adult", "staff"):
        data[f"community-{group}"] = level
        data[f"rationale-{group}"] = RATIONALE
    for item in ("suicide", "self_harm", "custody_coping", "hostel_coping", "vulnerability"):
        data[f"rts-{item}"] = "NO"
    return {**data, **extra}


def test_a_lowering_through_the_pages_then_countersigned(site):
    ada = client_for(site["ada"])
    assert b"Start a RoSH assessment" in ada.get("/case/A000001/risk").content
    started = ada.post("/case/A000001/assessments/start")
    aid = re.search(r"/assessments/([^/]+)/gather", started["Location"]).group(1)
    assert ada.get(started["Location"]).status_code == 200
    bad = ada.post(f"/case/A000001/assessments/{aid}/analyse", {"analysis-nature": ""})
    assert bad.status_code == 400
    assert b'href="#ind-weapons"' in bad.content
    assert b'id="ind-weapons"' in bad.content
    ada.post(f"/case/A000001/assessments/{aid}/analyse", analysis_form({"domestic_abuse"}))
    prompted = ada.post(f"/case/A000001/assessments/{aid}/judge", judge_form("MEDIUM"))
    assert prompted.status_code == 400
    assert b"The evidence points higher" in prompted.content  # the imported RSTO with domestic abuse
    assert b"Evidence: Restraining Order, Domestic abuse." in prompted.content  # in words, not RSTO, domestic_abuse
    answered = ada.post(
        f"/case/A000001/assessments/{aid}/judge",
        judge_form(
            "MEDIUM",
            **{
                "prompt-DOMESTIC_ABUSE_WITH_ORDER": "The order ended contact in 2022 and she has moved away; "
                "no contact attempts since, police confirm."
            },
        ),
    )
    assert answered.status_code == 302
    page = ada.get(f"/case/A000001/assessments/{aid}/judge").content.decode()
    assert "Complete the assessment" in page
    ada.post(f"/case/A000001/assessments/{aid}/complete")
    risk = CaseRisk.objects.get(person__crn="A000001")
    assert (risk.level, risk.pending_level) == ("HIGH", "MEDIUM")
    assert "waiting for countersignature" in ada.get("/case/A000001").content.decode()
    sara = client_for(site["sara"])
    assert sara.get(f"/case/A000001/assessments/{aid}/countersign").status_code == 200
    assert ada.get(f"/case/A000001/assessments/{aid}/countersign").status_code == 403
    sara.post(
        f"/case/A000001/assessments/{aid}/countersign",
        {"decision": "agree", "comments": "Checked the police update and the victim liaison notes."},
    )
    assert CaseRisk.objects.get(person__crn="A000001").level == "MEDIUM"
    from keepsafe.people.models import Person
    from keepsafe.risk.selectors import risk_summary

    assessment_json = risk_summary(Person.objects.get(crn="A000001"))["assessment"]
    assert (assessment_json["countersigned"], assessment_json["countersign_agreed"]) == (True, True)
    plan = ada.post(f"/case/A000001/assessments/{aid}/plan", {"action": "finalise"})
    assert plan.status_code == 400
    assert b'href="#section-supervision"' in plan.content
    assert Assessment.objects.get(external_id=aid).status == "COMPLETE"


def test_risk_tab_shows_tier_explanation_and_the_contact_level_the_actions_enforce(site):
    """One source (issue 14): the Risk tab shows the region's contact level (actions/reference/contact-levels.json)
    for the case's tier and RoSH, the stricter of the two."""
    from keepsafe.actions.rules.contact_levels import expectations
    from keepsafe.actions.selectors import contact_level_facts
    from keepsafe.core import clock
    from keepsafe.people.models import Person
    from keepsafe.risk.models import CaseRisk

    risk = CaseRisk.objects.get(person__crn="A000001")
    assert risk.tier_v3 == "B"  # CSRP 4.2 against ARP 80 (static: provisional)
    person = Person.objects.get(crn="A000001")
    minimum, _ = expectations(contact_level_facts([person.pk], clock.now())[person.pk])
    assert minimum is not None
    ada = client_for(site["ada"])
    page = ada.get("/case/A000001/risk").content.decode()
    assert "RoSH high" in page  # the v2 explanation lists its inputs, in words (user try-out: "RoSH HIGH")
    assert "RoSH HIGH" not in page
    expected = f"at least {minimum.count} contact{'s' if minimum.count != 1 else ''} every {minimum.period_days} days"
    assert expected in page
    assert "KEEPSAFE_CONTACT_EXPECTATIONS" not in page


def test_the_gather_step_names_the_predictors_as_the_risk_tab_does(site):
    """A try-out (3 December): the Gather step listed "ogrs3_1y: 46% Medium", the predictor's key."""
    ada = client_for(site["ada"])
    ada.post("/case/A000001/assessments/start")
    aid = Assessment.objects.get(status="DRAFT").external_id
    page = ada.get(f"/case/A000001/assessments/{aid}/gather").content.decode()
    listed = page.split('data-testid="gather-predictors"')[1].split("</ul>")[0]
    assert "<li>OGRS3 (2 years): 61.0% Medium " in listed
    assert "<li>OGRS4/G: " in listed
    assert "ogrs3_2y" not in listed
    assert "ogrs4g" not in listed


def test_the_analysis_step_shows_what_the_records_say_for_each_indicator(site):
    ada = client_for(site["ada"])
    ada.post("/case/A000001/assessments/start")
    aid = Assessment.objects.get(status="DRAFT").external_id
    page = ada.get(f"/case/A000001/assessments/{aid}/analyse").content.decode()
    assert 'data-testid="found-weapons"' in page
    assert '<mark class="ks-finding">Improvised blade</mark>' in page
    assert 'data-testid="found-sexual_harm"' not in page


THREATS_AND_VIOLENCE = [
    {
        "id": rid,
        "source": "POLICE",
        "kind": "INTELLIGENCE_LOG",
        "occurred_at": "2026-03-01T10:00:00Z",
        "received_at": "2026-03-02T10:00:00Z",
        "author": "GMP",
        "text": text,
        "order": None,
    }
    for rid, text in (
        ("POL-1", "He threatened to stab a neighbour outside the flat."),
        ("POL-2", "Arrested after he punched a man in the street, causing a broken nose."),
    )
]


@pytest.fixture
def evidenced(imported):
    """Weapons, threats and violence in the records; the imported OASys rates the public MEDIUM."""
    person = make_person("A000002", registrations=[])
    person["records"] = [*person["records"], *THREATS_AND_VIOLENCE]
    person["assessments"][0]["rosh"]["community"]["public"] = "MEDIUM"
    imported(make_bundle(person))
    return {
        username: User.objects.create(username=username, staff=Staff.objects.get(code=code), role=role)
        for username, code, role in (("ada", "STF0001", "PRACTITIONER"), ("sara", "STF0100", "SPO"))
    }


def test_the_risk_tab_shows_where_an_imported_level_falls_short_of_the_evidence(evidenced):
    page = client_for(evidenced["ada"]).get("/case/A000002/risk").content.decode()
    assert 'data-testid="rosh-gap"' in page
    assert "Suggested High for public, rated Medium" in page
    assert "record:POL-1" in page
    assert "waiting for countersignature" in page


def test_the_countersigner_sees_the_prompt_its_evidence_the_reason_and_the_previous_level(evidenced):
    ada = client_for(evidenced["ada"])
    ada.post("/case/A000002/assessments/start")
    aid = Assessment.objects.get(status="DRAFT").external_id
    ada.post(f"/case/A000002/assessments/{aid}/analyse", analysis_form())  # every indicator "not relevant"
    prompted = ada.post(f"/case/A000002/assessments/{aid}/judge", judge_form("MEDIUM"))
    assert prompted.status_code == 400
    assert b"The evidence points higher" in prompted.content
    reason = "The blade was found in 2021 and the threats were to a man now abroad; nothing since then."
    form = judge_form("MEDIUM", **{"prompt-WEAPONS_THREATS_VIOLENCE": reason})
    form["community-known_adult"] = "HIGH"
    assert ada.post(f"/case/A000002/assessments/{aid}/judge", form).status_code == 302
    ada.post(f"/case/A000002/assessments/{aid}/complete")
    assessment = Assessment.objects.get(external_id=aid)
    assert assessment.status == "COMPLETE"
    assert assessment.countersign_required
    page = client_for(evidenced["sara"]).get(f"/case/A000002/assessments/{aid}/countersign").content.decode()
    assert "Level before it: <strong>High</strong>" in page
    assert 'data-testid="countersign-prompts"' in page
    assert "Weapons, threats to harm and violence are all present" in page
    assert "Evidence: Threats to harm others, Violence, Weapons (found in" in page  # in words, not codes
    assert "record:POL-2" in page
    assert reason in page
    assert 'data-testid="countersign-not-relevant"' in page  # found in records, answered not relevant
    # The reasons name the prompt in words (a try-out, 3 December: "thresholding prompt WEAPONS_THREATS_VIOLENCE")
    reasons = page.split('data-testid="countersign-reasons"')[1].split("</ul>")[0]
    assert "thresholding prompt “Weapons, threats and violence” points to a higher level" in reasons
    assert "WEAPONS_THREATS_VIOLENCE" not in page


# --- issue 15 §1 (helper "tierhist"): the tier history on the Risk tab ----------------------------------------------


def test_risk_tab_shows_the_tier_history_newest_first(site):
    from datetime import UTC, datetime

    from keepsafe.risk.models import TierChange

    risk = CaseRisk.objects.get(person__crn="A000001")
    recorded = TierChange.objects.get(person=risk.person)  # the import stored the first tier
    assert (recorded.previous_v3, recorded.new_v3) == ("", risk.tier_v3)
    TierChange.objects.create(
        person=risk.person, at=datetime(2020, 3, 4, tzinfo=UTC), new_v2="D1", new_v3="E", backfilled=True
    )
    page = client_for(site["ada"]).get("/case/A000001/risk").content.decode()
    table = page.split('data-testid="tier-history"', 1)[1].split("</table>", 1)[0]
    rows = re.findall(r'<tr class="govuk-table__row">(.*?)</tr>', table, re.S)[1:]
    assert len(rows) == 2
    # The first tier in words, both versions alike (a try-out, 3 December, saw Python's "None → D"); the JSON keeps
    # its nulls.
    assert f"first tier: {risk.tier_v3}</td>" in rows[0]
    assert f"first tier: {risk.tier_v2}</td>" in rows[0]
    assert "None" not in table
    assert "By 2020-03-04 (history began)" in rows[1]
    assert "→" not in rows[1]
    from keepsafe.risk.selectors import risk_summary

    assert risk_summary(risk.person)["tier_history"][0]["previous_v3"] is None


def test_the_risk_tab_says_a_first_rosh_level_in_words_and_not_unchanged(imported):
    """A try-out (3 December): "2026-12-03: None → High by import — Imported assessment OASYS-17: unchanged": Python's
    None, and "unchanged" of a level that changed (the outcome weighed the RoSH registration, already High). The
    history says what it records; the JSON keeps its null."""
    from keepsafe.people.models import Person
    from keepsafe.risk.selectors import risk_summary

    person = make_person("A000003")
    rsto = person["registrations"][0]
    person["registrations"] = [rsto, {**rsto, "id": "REG2", "type": "RHRH", "notes": "RoSH high (nDelius)"}]
    imported(make_bundle(person))
    ada = User.objects.create(username="ada", staff=Staff.objects.get(code="STF0001"), role="PRACTITIONER")
    page = client_for(ada).get("/case/A000003/risk").content.decode()
    history = page.split('data-testid="risk-history"', 1)[1].split("</ul>", 1)[0]
    assert ": first RoSH level: High by import — Imported assessment OASYS-1: first level</li>" in history
    assert "None" not in history
    assert "unchanged" not in history
    change = risk_summary(Person.objects.get(crn="A000003"))["history"][0]
    assert (change["previous"], change["new"]) == (None, "HIGH")


def test_the_risk_tab_lists_each_open_prompt_and_only_an_assessor_may_continue_the_draft(site):
    """The try-out found the tab only counted the open prompts (docs/risk.md says they show there), and offered
    "Continue" to roles refused at every step."""
    import html

    ada = client_for(site["ada"])
    ada.post("/case/A000001/assessments/start")
    aid = Assessment.objects.get(status="DRAFT").external_id
    ada.post(f"/case/A000001/assessments/{aid}/analyse", analysis_form({"domestic_abuse"}))
    assert ada.post(f"/case/A000001/assessments/{aid}/judge", judge_form("MEDIUM")).status_code == 400
    open_prompts = [p for p in Assessment.objects.get(external_id=aid).prompts or [] if not p.get("response")]
    assert open_prompts
    page = ada.get("/case/A000001/risk").content.decode()
    listed = page.split('data-testid="open-prompt-list"')[1].split("</ul>")[0]
    for prompt in open_prompts:
        assert html.escape(prompt["message"], quote=False) in listed
    assert "Continue the RoSH assessment" in page
    auditor = User.objects.create(username="quality", role="AUDITOR")
    seen = client_for(auditor).get("/case/A000001/risk")
    assert seen.status_code == 200
    assert "Continue the RoSH assessment" not in seen.content.decode()
    assert f"A RoSH assessment ({aid}) is in progress" in seen.content.decode()


# --- try-out: the Risk tab showed codes (age_at_conviction, domestic_abuse, RSTO) where practitioners read words ---


@pytest.fixture
def coded(imported):
    """Indicators found in records (weapons, threats, violence), a restraining order with a domestic abuse
    perpetrator flag, an imported OASys rating the public and the known adult MEDIUM, and no imported OGRS3 (so
    Keepsafe computes it from the case record and shows its inputs)."""
    person = make_person("A000003")
    person["registrations"].append({**person["registrations"][0], "id": "REG2", "type": "ADVP", "notes": ""})
    person["records"] = [*person["records"], *THREATS_AND_VIOLENCE]
    assessment = person["assessments"][0]
    assessment["rosh"]["community"]["known_adult"] = "MEDIUM"
    del assessment["predictors"]["ogrs3_2y"]
    imported(make_bundle(person))
    return User.objects.create(username="ada", staff=Staff.objects.get(code="STF0001"), role="PRACTITIONER")


def test_the_risk_tab_names_evidence_predictors_and_their_inputs_in_words_and_the_json_keeps_codes(coded):
    from keepsafe.people.models import Person
    from keepsafe.risk.selectors import risk_summary

    page = client_for(coded).get("/case/A000003/risk").content.decode()
    gap = page.split('data-testid="rosh-gap-list"', 1)[1].split("</ul>", 1)[0]
    assert "Evidence: Threats to harm others, Violence, Weapons (found in" in gap
    assert "Evidence: Restraining Order, Domestic Abuse Perpetrator." in gap  # the registration types' names
    predictors = page.split('data-testid="predictors"', 1)[1].split("</table>", 1)[0]
    assert "OGRS3 (1 year)" in predictors
    assert "RSR" in predictors
    assert "Inputs: sex male, age at the start of follow-up 29, age at conviction 26, age at first sanction 16, " in (
        predictors
    )
    assert "previous sanctions 13, offence category violence" in predictors
    for code in ("age_at_conviction", "age_at_first_sanction", "previous_sanctions", "offence_category", "sex M"):
        assert code not in predictors, code
    for name in ("ogrs3_1y", "ogrs3_2y", "rsr"):
        assert f'cell">{name}' not in predictors, name
    evidence = " ".join(re.findall(r"Evidence: ([^.(]*)", gap))
    for code in ("weapons", "threats", "violence", "RSTO", "ADVP"):
        assert not re.search(rf"\b{code}\b", evidence), code
    summary = risk_summary(Person.objects.get(crn="A000003"))  # the case JSON keeps its codes
    assert {tuple(g["evidence"]) for g in summary["gap"]} == {("threats", "violence", "weapons"), ("RSTO", "ADVP")}
    assert "age_at_conviction" in summary["predictors"]["ogrs3_1y"]["inputs"]

"""Coded values are shown as words, GOV.UK style (issue 20 try-out: "Ap referral", "Pdu:", tier "MISSING" on screen).

Derived from the enums: every member is rendered and no raw CODE_WITH_UNDERSCORES nor a lower-cased acronym appears.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from keepsafe.actions.rules.calendar import LONDON, day_ended_by, due_words, end_of_day
from keepsafe.actions.rules.types import NAMES, ActionType
from keepsafe.assurance.rules.scope import Scope
from keepsafe.risk.rules.tier.v3 import TIERS, TierV3Input, tier_v3, tier_words
from keepsafe.web.jinja import environment

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"
RAW_CODE = re.compile(r"\b[A-Z]{2,}(?:_[A-Z]+)+\b|\b(?:MISSING|NOT_SUPERVISED)\b")
# acronyms people write in capitals, caught when a label was derived from a code ("Ap", "Spo", "Pdu"...)
LOWER_ACRONYM = re.compile(r"\b(?:Ap|Spo|Aco|Rosh|Pdu|Mappa|Iom|Ogrs|Rsr|Com|Pom|Psr|Oasys|Ppcs)\b", re.IGNORECASE)


def _lowered_acronyms(text: str) -> list[str]:
    return [m.group(0) for m in LOWER_ACRONYM.finditer(text) if not m.group(0).isupper() and m.group(0) != "OASys"]


@pytest.fixture(scope="module")
def env():
    return environment(DIRS=[TEMPLATES])


@pytest.mark.parametrize("member", list(ActionType))
def test_every_action_type_has_an_explicit_name_in_words(member, env):
    name = NAMES[member]
    shown = env.from_string("{{ code | action_type }}").render(code=member.value)
    assert shown == name
    assert "_" not in name, name
    assert not RAW_CODE.search(name), name
    assert not _lowered_acronyms(name), name
    assert name[0].isupper(), name


def test_the_two_names_the_tester_found():
    assert NAMES[ActionType.AP_REFERRAL] == "Approved premises referral"
    assert NAMES[ActionType.OVERSIGHT_TOUCHPOINT] == "Oversight touch point"


def test_no_page_derives_an_action_type_name_from_its_code():
    found = [
        f"{path.relative_to(TEMPLATES)}: {m.group(0)}"
        for path in TEMPLATES.rglob("*.html")
        for m in re.finditer(r"\{\{[^}]*\b(?:d\.type|t\.value|a\.type)\s*\|\s*label[^}]*\}\}", path.read_text())
    ]
    assert not found, found


def test_the_assurance_unit_picker_names_every_scope_in_words(env):
    units = [(s.value, f"{s.value}1", f"Unit {s.value}") for s in Scope]
    html = env.from_string(
        '{% from "pages/assurance/_scope.html" import picker %}{{ picker(units, "PDU", "PDU1", first, last, {}) }}'
    ).render(units=units, first=date(2026, 1, 1), last=date(2026, 3, 31))
    shown = re.findall(r">([^<>]+): Unit ", html)
    assert sorted(shown) == ["PDU", "Region", "Team"], shown


def _inputs(**kw):
    base = {"today": date(2026, 6, 1), "arp": 50.0, "csrp": 2.0, "rosh": "MEDIUM"}
    return TierV3Input(**(base | kw))


@pytest.mark.parametrize(
    "inputs",
    [{"has_active_event": False}, {"arp": None}, {"csrp": None}, {}],
    ids=["no event", "no ARP", "no CSRP", "ok"],
)
def test_every_tier_result_and_reason_is_shown_in_words(inputs, env):
    result = tier_v3(_inputs(**inputs))
    shown = [tier_words(result.tier)] + [tier_words(r.result) for r in result.reasons if isinstance(r.result, str)]
    for text in shown:
        assert not RAW_CODE.search(text), text
    assert env.from_string("{{ t | tier }}").render(t=result.tier) == tier_words(result.tier)


def test_a_missing_tier_reads_as_the_tiering_reference_words_and_letters_stay_letters():
    assert "predictor" in tier_words("MISSING")
    assert "missing" in tier_words("MISSING")
    assert tier_words("NOT_SUPERVISED").startswith("Not supervised")
    assert [tier_words(t) for t in TIERS] == list(TIERS)
    assert tier_words(None) == ""


@given(day=st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 30)))
def test_a_deadline_by_a_day_reads_as_the_end_of_that_day_on_pages_and_emails_alike(day):
    """Issue 20 try-out: "Due 26 December 2023 at 12:00am" for an action "by 25 December 2023". Every day, clock
    changes included, as a rule gives it (London) and as the database returns it (UTC)."""
    env = environment(DIRS=[TEMPLATES])
    for due in (end_of_day(day), end_of_day(day).astimezone(UTC)):
        assert day_ended_by(due) == day
        assert env.from_string("{{ d | govdue }}").render(d=due) == f"by the end of {day:%-d %B %Y}"
        assert due_words(due, "ignored") == f"by the end of {day:%-d %B %Y}"


@pytest.mark.parametrize("hour", [1, 9, 12, 17, 23])
def test_a_due_time_that_is_not_midnight_keeps_its_time(hour, env):
    due = datetime(2026, 3, 29, hour, 30, tzinfo=LONDON)
    assert day_ended_by(due) is None
    shown = env.from_string("{{ d | govdue }}").render(d=due)
    assert shown == env.from_string("{{ d | govdatetime }}").render(d=due)
    assert f"{hour:02d}:30" in shown


def test_every_page_shows_a_due_instant_through_the_due_filter():
    found = [
        f"{path.relative_to(TEMPLATES)}: {m.group(0)}"
        for path in TEMPLATES.rglob("*.html")
        for m in re.finditer(r"\{\{[^}]*\bdue\s*\|\s*govdatetime[^}]*\}\}", path.read_text())
    ]
    assert not found, found


def test_no_model_choice_label_lowers_an_acronym():
    """User try-out: a contact of type SPO_OVERSIGHT read "Spo oversight" (people.models._choices capitalised the
    code). Every choice of every model keeps its acronyms; labels come from core.words.code_words."""
    from django.apps import apps

    found = [
        f"{model.__name__}.{field.name}: {value} → {label}"
        for model in apps.get_models()
        if model.__module__.startswith("keepsafe")
        for field in model._meta.get_fields()
        for value, label in getattr(field, "choices", None) or ()
        if _lowered_acronyms(str(label))
    ]
    assert not found, found
    from keepsafe.people.models import Contact

    assert dict(Contact._meta.get_field("type").choices)["SPO_OVERSIGHT"] == "SPO oversight"

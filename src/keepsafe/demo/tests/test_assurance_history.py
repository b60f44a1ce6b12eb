"""Issue 17 (helper "demo17"): the demo region's history of checks and recalls gives the dashboards real figures."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from keepsafe.actions.rules.calendar import start_of_day
from keepsafe.demo import generator
from keepsafe.demo.seed import OVERRIDES_OVER_DAYS, override_instants

TODAY = date(2026, 11, 23)


@pytest.fixture(scope="module")
def region() -> list[dict]:
    org = generator.organisation(TODAY)
    return [p for batch in generator.people(2000, TODAY, org) for p in batch]


def _instant(text: str) -> datetime:
    return datetime.fromisoformat(text)


def test_checks_are_asked_and_acted_on_in_order_and_within_the_year(region):
    checks = [(p, c) for p in region for c in p.get("checks", [])]
    assert len(checks) > 300
    horizon = TODAY - timedelta(days=generator.HISTORY_DAYS + 1)
    for p, c in checks:
        records = {r["id"]: r for r in p["records"]}
        asked = _instant(c["requested_at"])
        assert horizon <= asked.date() < TODAY
        if "response_record" in c:
            answered = _instant(records[c["response_record"]]["received_at"])
            assert asked <= answered
            if "acted_on_at" in c:
                assert answered <= _instant(c["acted_on_at"])
                assert _instant(c["acted_on_at"]).date() < TODAY
        else:
            assert "acted_on_at" not in c


def test_salford_acts_on_checks_less_often_than_the_other_pdus(region):
    acted, asked = Counter(), Counter()
    for p in region:
        for c in p.get("checks", []):
            asked[p["pdu"]] += 1
            acted[p["pdu"]] += "acted_on_at" in c
    share = {pdu: acted[pdu] / asked[pdu] for pdu in asked}
    assert share["N01-SA"] < min(share["N01-MN"], share["N01-MS"]) - 0.05


def test_recalls_cover_every_kind_the_recall_measures_and_sampling_need(region):
    recalls = [(p, r) for p in region for r in p.get("recalls", [])]
    decisions = Counter(r["decision"] for _, r in recalls)
    assert decisions["RECALL"] >= 5
    assert decisions["NO_RECALL"] >= 3
    hours = [
        (_instant(r["executed_at"]) - _instant(r["decided_at"])).total_seconds() / 3600
        for _, r in recalls
        if r["decision"] == "RECALL" and r["executed_at"]
    ]
    assert any(h <= 24 for h in hours)
    assert any(24 < h <= 48 for h in hours)
    assert any(h > 72 for h in hours)
    assert any(r.get("emergency") for _, r in recalls)
    after_charge = [
        r
        for p, r in recalls
        if r["decision"] == "NO_RECALL"
        and any(
            rec["kind"] == "CHARGE"
            and timedelta(0) <= _instant(r["decided_at"]) - _instant(rec["received_at"]) <= timedelta(days=90)
            for rec in p["records"]
        )
    ]
    assert after_charge


# --- risk assessments after the moments that call for one (issue 17, helper "demo17") -------------------------------


def _answered(region: list[dict]) -> tuple[Counter, Counter, Counter]:
    """Per PDU: occasions in the history window, those answered by an assessment by their deadline, and those answered
    only late (the first assessment since the occasion came after its deadline)."""
    due, met, late = Counter(), Counter(), Counter()
    for p in region:
        if p["practitioner"] is None:
            continue
        done = sorted(_instant(a["completed_at"]) for a in p["assessments"])
        for _kind, since, _opens, deadline in generator._occasions(p, TODAY):
            first = next((a for a in done if a >= since), None)
            due[p["pdu"]] += 1
            met[p["pdu"]] += first is not None and first <= deadline
            late[p["pdu"]] += first is not None and first > deadline
    return due, met, late


def test_assessments_follow_their_occasions_on_time_with_the_pdus_chance(region):
    due, met, late = _answered(region)
    share = {pdu: met[pdu] / due[pdu] for pdu in due}
    for pdu, chance in generator.ON_TIME_BY_PDU.items():
        assert due[pdu] >= 100
        assert chance - 0.12 <= share[pdu] <= min(chance + 0.12, 0.97), (pdu, share[pdu])
        assert late[pdu] > 0  # some done late
        assert met[pdu] + late[pdu] < due[pdu]  # and some never
    assert share["N01-SA"] < min(share["N01-MN"], share["N01-MS"]) - 0.1


def test_added_assessments_are_past_unique_and_keep_the_persons_ratings(region):
    added = 0
    for p in region:
        ids = [a["id"] for a in p["assessments"]]
        assert len(ids) == len(set(ids))
        for a in p["assessments"]:
            assert _instant(a["completed_at"]).date() < TODAY
            assert a["rosh"] == p["assessments"][0]["rosh"]
        added += sum("-R" in i for i in ids)
    assert added > 500


def test_the_history_is_deterministic(region):
    org = generator.organisation(TODAY)
    again = [p for batch in generator.people(200, TODAY, org) for p in batch]
    assert again == region[:200]
    other_day = [p for batch in generator.people(200, TODAY + timedelta(days=1), org) for p in batch]
    assert [p["assessments"] for p in other_day] != [p["assessments"] for p in region[:200]]


@given(
    crn=st.from_regex(r"[A-Z][0-9]{6}", fullmatch=True),
    flag_start=st.dates(date(1990, 1, 1), date(2027, 1, 1)),
    today=st.dates(date(2020, 1, 1), date(2030, 1, 1)),
)
def test_override_instants_are_working_hours_after_the_flag_and_before_today(crn, flag_start, today):
    completed, signed = override_instants(crn, flag_start, today)
    local = timezone.localtime(completed)
    assert local.weekday() < 5
    assert (9, 30) <= (local.hour, local.minute) < (16, 0)
    assert today - timedelta(days=OVERRIDES_OVER_DAYS + 3) <= local.date() < today
    if flag_start + timedelta(days=7) <= today - timedelta(days=8):  # room after the flag began
        assert local.date() >= flag_start + timedelta(days=4)  # a week after it, moved back to a Friday at most
    assert completed < signed < start_of_day(today)

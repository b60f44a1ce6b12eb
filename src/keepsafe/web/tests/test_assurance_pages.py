"""Assurance pages (issue 17): the figures, their case lists and exports count only cases the viewer may see; who may
see which unit; audits drawn, answered and rolled up; recall decisions selected, reviewed, and a disagreement opening an
action on the case; equality and overrides render and export."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from keepsafe.actions.models import Action, Notification, Recall
from keepsafe.assurance.models import AuditSample, CaseAudit, RecallReview
from keepsafe.assurance.rules import inspection, overrides
from keepsafe.assurance.rules.measures import Measure
from keepsafe.audit.models import AuditEvent
from keepsafe.people.models import Person
from keepsafe.records.models import Record
from keepsafe.risk.models import Assessment
from keepsafe.testing.fixtures import make_person, org_with_managers
from keepsafe.web.views.assurance import CAPACITY
from keepsafe.workforce.models import Staff, User

pytestmark = pytest.mark.django_db
NOW = "2026-11-23T10:00:00Z"
VISIBLE, HIDDEN, OTHER = "A000001", "A000002", "A000003"
PERIOD = {"from-day": "1", "from-month": "10", "from-year": "2026", "to-day": "30", "to-month": "11", "to-year": "2026"}


def _action(person: Person, kind: str, key: str, due: datetime, done: datetime | None) -> Action:
    return Action.objects.create(
        person=person,
        type=kind,
        key=key,
        title=kind,
        owner_role="COM",
        opens_at=due - timedelta(days=5),
        due=due,
        created_at=due - timedelta(days=5),
        status="DONE" if done else "OPEN",
        closed_at=done,
        evidence={"kind": "test"} if done else None,
    )


@pytest.fixture
def site(imported):
    org = org_with_managers()
    imported(
        org
        | {
            "people": [
                make_person(VISIBLE),
                make_person(HIDDEN, restricted_to=["STF0002"], forename="Hidden", surname="Case"),
                make_person(OTHER, forename="Other", surname="Case", gender="FEMALE"),
            ]
        }
    )
    Staff.objects.create(code="STF0700", forename="Quinn", surname="Quality", grade="ADMIN")
    users = {}
    for name, code, role in (
        ("spo", "STF0100", "SPO"),
        ("head", "STF0800", "HEAD_OF_PDU"),
        ("aco", "STF0900", "REGIONAL_LEADER"),
        ("quality", "STF0700", "AUDITOR"),
        ("ada", "STF0001", "PRACTITIONER"),
    ):
        users[name] = User.objects.create(username=name, staff=Staff.objects.get(code=code), role=role)
    people = {p.crn: p for p in Person.objects.all()}
    oct10 = datetime(2026, 10, 10, 17, tzinfo=UTC)
    _action(people[VISIBLE], "DOMESTIC_ABUSE_CHECK", "da:1", oct10, oct10 - timedelta(days=1))  # on time
    _action(people[OTHER], "DOMESTIC_ABUSE_CHECK", "da:2", oct10, oct10 + timedelta(days=1))  # late
    _action(people[HIDDEN], "DOMESTIC_ABUSE_CHECK", "da:3", oct10, None)  # hidden from the SPO
    return users, people


def client_for(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_the_dashboard_counts_only_visible_cases(site):
    users, _ = site
    with time_machine.travel(NOW, tick=False):
        spo = client_for(users["spo"]).get("/assurance", PERIOD)
        spo_json = client_for(users["spo"]).get("/assurance", PERIOD | {"format": "json"}).json()
        aco = client_for(users["aco"]).get("/assurance", PERIOD | {"scope": "REGION", "code": "GMR", "format": "json"})
    assert spo.status_code == 200
    da = next(t for t in spo_json["measures"] if t["measure"] == "DOMESTIC_ABUSE_CHECKS")
    assert (da["numerator"], da["denominator"]) == (1, 2)  # the hidden case's missed check is not counted
    assert [p["denominator"] for p in da["trend"]] == [2, 0]  # October, November
    body = spo.content.decode()
    assert '<td class="govuk-table__cell govuk-table__cell--numeric"><strong>50%</strong></td>' in body
    assert HIDDEN not in body
    assert "<svg" in body
    assert "Practitioners within capacity" in body
    # The regional leader has no restriction list entry either: the restricted case stays hidden from them too.
    da_aco = next(t for t in aco.json()["measures"] if t["measure"] == "DOMESTIC_ABUSE_CHECKS")
    assert da_aco["denominator"] == 2


def test_oversight_touch_points_are_a_measure_counted_on_the_cases_the_viewer_may_see(site):
    """Issue 15's touch points, answered by the SPO's oversight note: made on time, late, still open past due, and
    one on the hidden case (not counted, not listed)."""
    users, people = site
    oct20 = datetime(2026, 10, 20, 17, tzinfo=UTC)
    _action(people[VISIBLE], "OVERSIGHT_TOUCHPOINT", "touchpoint:1", oct20, oct20 - timedelta(hours=3))  # on time
    _action(people[VISIBLE], "OVERSIGHT_TOUCHPOINT", "touchpoint:2", oct20 + timedelta(days=7), None)  # overdue
    _action(people[OTHER], "OVERSIGHT_TOUCHPOINT", "touchpoint:3", oct20, oct20 + timedelta(days=2))  # late
    _action(people[HIDDEN], "OVERSIGHT_TOUCHPOINT", "touchpoint:4", oct20, oct20)  # hidden from the SPO
    client = client_for(users["spo"])
    with time_machine.travel(NOW, tick=False):
        data = client.get("/assurance", PERIOD | {"format": "json"}).json()
        listed = client.get("/assurance", PERIOD | {"measure": "OVERSIGHT_TOUCHPOINTS", "format": "csv"})
    touch = next(m for m in data["measures"] if m["measure"] == "OVERSIGHT_TOUCHPOINTS")
    assert (touch["numerator"], touch["denominator"]) == (1, 3)
    assert touch["label"] == "SPO oversight notes made on time at the oversight touch points"
    rows = sorted(csv.reader(io.StringIO(listed.content.decode())))
    assert [r[0] for r in rows] == [VISIBLE, OTHER, "crn"]
    assert HIDDEN not in listed.content.decode()


def test_the_cases_behind_a_number_exports_and_the_listing_is_audited(site):
    users, _ = site
    client = client_for(users["spo"])
    with time_machine.travel(NOW, tick=False):
        listing = client.get("/assurance", PERIOD | {"measure": "DOMESTIC_ABUSE_CHECKS"})
        as_csv = client.get("/assurance", PERIOD | {"measure": "DOMESTIC_ABUSE_CHECKS", "format": "csv"})
        as_json = client.get("/assurance", PERIOD | {"format": "json"})
        totals = client.get("/assurance", PERIOD | {"format": "csv"})
    shown = listing.content.decode()
    assert VISIBLE in shown
    assert OTHER in shown
    assert HIDDEN not in shown
    lines = list(csv.reader(io.StringIO(as_csv.content.decode())))
    assert lines[0] == ["crn", "name", "met", "missed"]
    assert sorted(lines[1:]) == [[VISIBLE, "John Smith", "1", "0"], [OTHER, "Other Case", "0", "1"]]
    data = as_json.json()
    da = next(m for m in data["measures"] if m["measure"] == "DOMESTIC_ABUSE_CHECKS")
    assert (da["numerator"], da["denominator"], da["rate"]) == (1, 2, 0.5)
    assert data["capacity"]["measure"] == "CAPACITY"  # issue 15 built: capacity is measured, not said missing
    total_rows = list(csv.reader(io.StringIO(totals.content.decode())))
    assert ["DOMESTIC_ABUSE_CHECKS", da["label"], "2026-10-01", "2026-11-30", "1", "2", "0.5", "", ""] in total_rows
    event = AuditEvent.objects.filter(action="ASSURANCE_CASES_VIEW").latest("id")
    assert sorted(event.details["crns"]) == [VISIBLE, OTHER]


@pytest.mark.parametrize("measure", [*(m.value for m in Measure), CAPACITY])
def test_the_list_behind_a_measure_as_json_is_the_csv(site, measure):
    """Tester (fix6 2): `measure=` with `format=json` returned the whole dashboard while CSV returned the list; now
    JSON is the CSV's rows and columns, visibility-filtered alike (the hidden case in neither)."""
    users, _ = site
    client = client_for(users["spo"])
    with time_machine.travel(NOW, tick=False):
        as_csv = client.get("/assurance", PERIOD | {"measure": measure, "format": "csv"})
        as_json = client.get("/assurance", PERIOD | {"measure": measure, "format": "json"})
    assert as_csv.status_code == as_json.status_code == 200
    lines = list(csv.reader(io.StringIO(as_csv.content.decode())))
    data = as_json.json()
    assert "measures" not in data
    assert data["measure"] == measure
    assert [["" if row[k] is None else str(row[k]) for k in lines[0]] for row in data["rows"]] == lines[1:]
    assert all(list(row) == lines[0] for row in data["rows"])
    assert HIDDEN not in as_json.content.decode()
    if measure == "DOMESTIC_ABUSE_CHECKS":
        assert sorted(r["crn"] for r in data["rows"]) == sorted([VISIBLE, OTHER])


def test_who_may_see_which_unit(site):
    users, _ = site
    with time_machine.travel(NOW, tick=False):
        assert client_for(users["ada"]).get("/assurance").status_code == 403
        assert client_for(users["spo"]).get("/assurance", {"scope": "PDU", "code": "GMR-MN"}).status_code == 403
        assert client_for(users["spo"]).get("/assurance", {"scope": "TEAM", "code": "GMR-MN-1"}).status_code == 200
        assert client_for(users["head"]).get("/assurance", {"scope": "PDU", "code": "GMR-MN"}).status_code == 200
        assert client_for(users["head"]).get("/assurance", {"scope": "REGION", "code": "GMR"}).status_code == 403
        assert client_for(users["quality"]).get("/assurance", {"scope": "REGION", "code": "GMR"}).status_code == 200
        assert client_for(users["aco"]).get("/assurance", {"scope": "PDU", "code": "NOPE"}).status_code == 404
        assert client_for(users["aco"]).get("/assurance", {"scope": "BOGUS", "code": "GMR"}).status_code == 404


def test_a_bad_date_is_a_clear_error(site):
    users, _ = site
    with time_machine.travel(NOW, tick=False):
        response = client_for(users["spo"]).get(
            "/assurance", PERIOD | {"from-day": "31", "from-month": "2", "to-month": "x"}
        )
    body = response.content.decode()
    assert "The start date must be a real date" in body
    assert "Enter the month of the end date using the digits 0 to 9" in body


def _answers(no: tuple[str, ...] = ()) -> dict[str, str]:
    form = {}
    for d, q in inspection.KEYS:
        key = f"{d.value}.{q.value}"
        form[f"{key}.sufficient"] = "no" if key in no else "yes"
        form[f"{key}.evidence"] = "Read the case notes"
    return form


def test_audits_are_drawn_reproducibly_answered_and_rolled_up(site):
    users, people = site
    head = client_for(users["head"])
    url = "/assurance/audits?scope=PDU&code=GMR-MN"
    with time_machine.travel(NOW, tick=False):
        too_many = head.post(url, {"verb": "draw", "size": "3", "seed": "7"})
        assert too_many.status_code == 400  # the head may see two of the three cases
        assert "larger than the 2 cases" in too_many.content.decode()
        assert head.post(url, {"verb": "draw", "size": "2", "seed": "7"}).status_code == 302
        assert head.post(url, {"verb": "draw", "size": "2", "seed": "7"}).status_code == 302
        first, second = AuditSample.objects.order_by("id")
        assert first.seed == second.seed == 7
        assert [a.person_id for a in first.audits.order_by("person_id")] == [
            a.person_id for a in second.audits.order_by("person_id")
        ]
        assert {p for p, _ in first.population} == {people[VISIBLE].pk, people[OTHER].pk}  # not the hidden case
        audit = first.audits.order_by("id").first()
        quality = client_for(users["quality"])
        missing = _answers() | {"PLANNING.KEEPING_SAFE.evidence": " "}
        bad = quality.post(f"{url}&audit={audit.pk}", {"verb": "complete"} | missing)
        assert bad.status_code == 400
        assert "Planning: give the evidence for the answer" in bad.content.decode()
        good = quality.post(f"{url}&audit={audit.pk}", {"verb": "complete"} | _answers(no=("REVIEWING.KEEPING_SAFE",)))
        assert good.status_code == 302
        page = quality.get(url)
    audit.refresh_from_db()
    assert audit.status == CaseAudit.Status.COMPLETE
    assert audit.answers["REVIEWING.KEEPING_SAFE"] == {"sufficient": False, "evidence": "Read the case notes"}
    # one case: Outstanding (100%) on three standards, Inadequate (0%) on reviewing: 9/12, Good overall (≥ 16/27)
    body = page.content.decode()
    assert '<td class="govuk-table__cell" data-testid="score">9/12</td><td class="govuk-table__cell">Good</td>' in body


def test_the_practitioner_may_not_audit_and_the_holder_may_not_audit_their_own_case(site):
    users, people = site
    sample = AuditSample.objects.create(
        drawn_at=datetime(2026, 11, 1, tzinfo=UTC), drawn_by="x", scope="PDU", scope_code="GMR-MN", size=1, seed=1
    )
    audit = CaseAudit.objects.create(sample=sample, person=people[VISIBLE], pdu=people[VISIBLE].pdu)
    with time_machine.travel(NOW, tick=False):
        assert client_for(users["ada"]).post(f"/assurance/audits?audit={audit.pk}", _answers()).status_code == 403
        hidden = CaseAudit.objects.create(sample=sample, person=people[HIDDEN], pdu=people[HIDDEN].pdu)
        assert client_for(users["spo"]).get(f"/assurance/audits?audit={hidden.pk}").status_code == 404


def test_recall_decisions_selected_reviewed_and_a_disagreement_opens_an_action(site):
    users, people = site
    person = people[VISIBLE]
    decided = datetime(2026, 11, 10, 12, tzinfo=UTC)
    no_recall = Recall.objects.create(
        person=person,
        event=person.events.first(),
        external_id="R1",
        considered_at=decided - timedelta(hours=3),
        considered_by="STF0001",
        decided_at=decided,
        decided_by="STF0100",
        decision="NO_RECALL",
        rationale="Engaging well",
    )
    Record.objects.create(
        person=person,
        external_id="CHG-1",
        source="POLICE",
        kind="CHARGE",
        occurred_at=decided - timedelta(days=2),
        received_at=decided - timedelta(days=2),
        author="PC 1",
        text="Charged with assault",
    )
    Recall.objects.create(
        person=people[OTHER],
        external_id="R2",
        considered_at=decided,
        considered_by="STF0001",
        decided_at=decided,
        decided_by="STF0100",
        decision="NO_RECALL",
    )
    quality = client_for(users["quality"])
    with time_machine.travel(NOW, tick=False):
        selected = quality.post("/assurance/recall-sampling", {"verb": "select", "share": "0", "seed": "3"})
        assert selected.status_code == 302
        review = RecallReview.objects.get()
        assert review.recall_id == no_recall.pk  # the other no-recall had no charge and a 0% share
        assert review.reasons == ["NO_RECALL_AFTER_CHARGE"]
        # the SPO who decided may not be the second reviewer
        spo = client_for(users["spo"])
        same = spo.post("/assurance/recall-sampling", {"verb": "review", "review": review.pk, "agrees": "no"})
        assert same.status_code == 400
        assert "must not be who considered or decided" in same.content.decode()
        assert "give your reasons" in same.content.decode()
        done = quality.post(
            "/assurance/recall-sampling",
            {"verb": "review", "review": str(review.pk), "agrees": "no", "notes": "The charge was for violence"},
        )
        assert done.status_code == 302
    review.refresh_from_db()
    assert review.agrees is False
    assert review.reviewer == "STF0700"
    action = Action.objects.get(type="RECALL_DECISION_REVIEW")
    assert action.person == person
    assert action.owner.code == "STF0001"
    assert action.status == "OPEN"
    assert review.action == action
    told = set(Notification.objects.filter(action=action).values_list("recipient__code", flat=True))
    assert told == {"STF0001", "STF0100"}  # the holder and their line manager


def test_equality_and_overrides_pages(site):
    users, _ = site
    aco = client_for(users["aco"])
    with time_machine.travel(NOW, tick=False):
        page = aco.get("/assurance/equality", PERIOD | {"scope": "REGION", "code": "GMR"})
        data = aco.get("/assurance/equality", PERIOD | {"scope": "REGION", "code": "GMR", "format": "json"}).json()
        over = aco.get("/assurance/overrides", PERIOD | {"scope": "REGION", "code": "GMR"})
        over_json = aco.get("/assurance/overrides", PERIOD | {"scope": "REGION", "code": "GMR", "format": "json"})
    assert page.status_code == 200
    assert data["people"] == 2  # the restricted case is not counted
    sexes = data["characteristics"]["sex"]["distributions"]["rosh"]["rows"]
    assert set(sexes) == {"Male", "Female"}
    assert all(v is None or v == 0 for row in sexes.values() for v in row.values())  # 1 person each: suppressed
    assert over.status_code == 200
    assert "Tier overrides" in over.content.decode()
    # issue 15 §2 (helper "alloc"): allocation guardrail overrides are recorded now, so not listed as missing
    assert "allocation guardrail does not exist" not in over.content.decode()
    assert over_json.json()["tallies"] == {"team": [], "grade": [], "direction": []}


def test_equality_and_overrides_download_as_csv_and_suppressed_figures_stay_out(site):
    """A try-out found `format=csv` answered these two pages in HTML. Both export CSV now; a suppressed group's counts
    are in no export (they were in the JSON: the group's dataclass was written whole)."""
    users, people = site
    aco = client_for(users["aco"])
    query = PERIOD | {"scope": "REGION", "code": "GMR"}
    signed = datetime(2026, 10, 20, 12, tzinfo=UTC)
    for crn in (VISIBLE, HIDDEN):  # a countersigner kept the level in force on each: the hidden case is not counted
        _disagreed(people[crn], signed, "The evidence points higher")
    with time_machine.travel(NOW, tick=False):
        equality_csv = aco.get("/assurance/equality", query | {"format": "csv"})
        data = aco.get("/assurance/equality", query | {"format": "json"}).json()
        overrides_csv = aco.get("/assurance/overrides", query | {"format": "csv"})
    assert equality_csv["Content-Type"].startswith("text/csv")
    assert equality_csv["Content-Disposition"] == 'attachment; filename="GMR-equality-2026-10-01-2026-11-30.csv"'
    rows = list(csv.DictReader(io.StringIO(equality_csv.content.decode())))
    assert {r["characteristic"] for r in rows} == set(data["characteristics"])
    outcome_rows = [r for r in rows if r["category"] == ""]
    assert outcome_rows
    assert all(r["suppressed"] == "True" for r in outcome_rows)
    assert all(r["people"] == "" and r["count"] == "" and r["rate"] == "" for r in outcome_rows)
    for ch in data["characteristics"].values():
        for groups in ch["outcomes"].values():
            assert all(g["n"] is None and g["k"] is None for g in groups if g["suppressed"])
    assert overrides_csv["Content-Type"].startswith("text/csv")
    listed = list(csv.reader(io.StringIO(overrides_csv.content.decode())))
    label = overrides.KIND_LABELS[overrides.Kind.COUNTERSIGN]
    assert listed == [
        ["by", "kind", "kind_label", "value", "count"],
        ["team", "COUNTERSIGN", label, "GMR-MN-1", "1"],
        ["grade", "COUNTERSIGN", label, "SPO", "1"],
        ["direction", "COUNTERSIGN", label, "HIGHER", "1"],
    ]


def _disagreed(person: Person, signed: datetime, comments: str) -> Assessment:
    """A countersigner (Sara Senior, SPO) kept HIGH in force over the assessor's MEDIUM."""
    return Assessment.objects.create(
        person=person,
        external_id=f"a-{person.crn}-{signed:%Y%m%d%H%M}",
        status="COMPLETE",
        assessor_code="STF0001",
        started_at=signed - timedelta(days=2),
        completed_at=signed - timedelta(days=1),
        overall="MEDIUM",
        previous_level="HIGH",
        countersign_agreed=False,
        countersigned_at=signed,
        countersigned_by="STF0100",
        countersign_comments=comments,
    )


def test_overrides_are_listed_with_their_reasons_in_words_on_visible_cases_only_and_the_listing_is_audited(site):
    """Tester (issue 17 §4): the page showed tallies only, teams as codes. Now every override is listed, newest
    first, with its date, case, who by name and grade in words, levels and direction in words, and its reason in
    full; the hidden case's override is in no page, JSON or CSV, and reading the list is audited with the CRNs."""
    users, people = site
    spo = client_for(users["spo"])
    _disagreed(people[VISIBLE], datetime(2026, 10, 20, 12, tzinfo=UTC), "=HYPERLINK(evidence) points higher")
    _disagreed(people[OTHER], datetime(2026, 11, 3, 12, tzinfo=UTC), "Police call-outs since the assessment")
    _disagreed(people[HIDDEN], datetime(2026, 10, 21, 12, tzinfo=UTC), "Secret reason on the hidden case")
    with time_machine.travel(NOW, tick=False):
        page = spo.get("/assurance/overrides", PERIOD)
        data = spo.get("/assurance/overrides", PERIOD | {"format": "json"}).json()
        as_csv = spo.get("/assurance/overrides", PERIOD | {"format": "csv", "list": "overrides"})
        tallies_csv = spo.get("/assurance/overrides", PERIOD | {"format": "csv"}).content.decode()
        wrong_list = spo.get("/assurance/overrides", PERIOD | {"format": "csv", "list": "cases"})
    body = page.content.decode()
    assert page.status_code == 200
    listed = body[body.index('data-testid="overrides-list"') :]
    assert listed.index("3 November 2026") < listed.index("20 October 2026")  # newest first
    assert f'<a class="govuk-link" href="/case/{VISIBLE}">{VISIBLE}</a><br>John Smith' in listed
    assert "=HYPERLINK(evidence) points higher" in listed
    assert "Sara Senior" in listed
    assert "Senior probation officer" in listed
    assert "Medium → High" in listed
    assert "Higher than suggested" in listed
    assert overrides.KIND_LABELS[overrides.Kind.COUNTERSIGN] in listed
    assert "STF0100" not in body
    assert "MEDIUM" not in body
    tallies = body[body.index('data-testid="overrides-team"') : body.index('data-testid="overrides-list"')]
    assert "Manchester North Team 1" in tallies
    assert "GMR-MN-1" not in tallies
    for text in (body, str(data), as_csv.content.decode(), tallies_csv):
        assert HIDDEN not in text
        assert "Secret reason" not in text
    assert [o["crn"] for o in data["overrides"]] == [OTHER, VISIBLE]
    assert data["overrides"][1] == {
        "date": "2026-10-20",
        "crn": VISIBLE,
        "kind": "COUNTERSIGN",
        "by": "STF0100",
        "by_name": "Sara Senior",
        "team": "GMR-MN-1",
        "grade": "SPO",
        "suggested": "MEDIUM",
        "chosen": "HIGH",
        "direction": "HIGHER",
        "reason": "=HYPERLINK(evidence) points higher",
    }
    rows = list(csv.reader(io.StringIO(as_csv.content.decode())))
    assert as_csv["Content-Disposition"] == 'attachment; filename="GMR-MN-1-overrides-list-2026-10-01-2026-11-30.csv"'
    assert rows[0] == [
        "date",
        "crn",
        "kind",
        "by",
        "by_name",
        "team",
        "grade",
        "suggested",
        "chosen",
        "direction",
        "reason",
    ]
    assert [r[1] for r in rows[1:]] == [OTHER, VISIBLE]
    assert rows[2][-1] == "'=HYPERLINK(evidence) points higher"  # CSV injection guarded
    assert wrong_list.status_code == 400
    events = list(AuditEvent.objects.filter(action="ASSURANCE_OVERRIDES_VIEW").order_by("id"))
    assert len(events) == 3  # the page, the JSON and the list's CSV; the tallies' CSV names no case
    assert all(e.details["crns"] == sorted([VISIBLE, OTHER]) for e in events)


def test_a_long_list_of_overrides_is_paged_fifty_at_a_time_never_cut(site):
    users, people = site
    first = datetime(2026, 10, 1, 9, tzinfo=UTC)
    for i in range(51):
        _disagreed(people[VISIBLE], first + timedelta(hours=i), f"Reason number {i}")
    spo = client_for(users["spo"])
    with time_machine.travel(NOW, tick=False):
        one = spo.get("/assurance/overrides", PERIOD).content.decode()
        two = spo.get("/assurance/overrides", PERIOD | {"page": "2"}).content.decode()
        data = spo.get("/assurance/overrides", PERIOD | {"format": "json"}).json()
    assert one.count('data-testid="override-row"') == 50
    assert "Reason number 50<" in one
    assert "Reason number 0<" not in one
    assert two.count('data-testid="override-row"') == 1
    assert "Reason number 0<" in two
    assert "Page 1 of 2" in one
    assert 'rel="next"' in one
    assert len(data["overrides"]) == 51  # an export is never cut to a page
    pages = AuditEvent.objects.filter(action="ASSURANCE_OVERRIDES_VIEW").order_by("id")
    assert [len(e.details["crns"]) for e in pages] == [1, 1, 1]


# assure2 (issue 17): a period with nothing in its denominator reads "No cases in this period", never 0% -------------

EMPTY_THEN_OCTOBER = {
    "from-day": "1",
    "from-month": "8",
    "from-year": "2026",
    "to-day": "31",
    "to-month": "10",
    "to-year": "2026",
}  # August and September hold no check at all (before the earliest record); October holds two


def test_a_period_with_no_cases_reads_so_on_the_page_the_chart_and_the_exports(site):
    users, _ = site
    client = client_for(users["spo"])
    with time_machine.travel(NOW, tick=False):
        page = client.get("/assurance", EMPTY_THEN_OCTOBER).content.decode()
        before = client.get("/assurance", EMPTY_THEN_OCTOBER | {"to-month": "9", "to-day": "30"}).content.decode()
        data = client.get("/assurance", EMPTY_THEN_OCTOBER | {"format": "json"}).json()
        as_csv = client.get("/assurance", EMPTY_THEN_OCTOBER | {"format": "csv"}).content.decode()
    rows = list(csv.reader(io.StringIO(as_csv)))
    da = next(m for m in data["measures"] if m["measure"] == "DOMESTIC_ABUSE_CHECKS")
    trend = [(p["numerator"], p["denominator"], p["rate"]) for p in da["trend"]]
    assert trend == [(0, 0, None), (0, 0, None), (1, 2, 0.5)]
    header = rows[0]
    august = next(r for r in rows if r[0] == "DOMESTIC_ABUSE_CHECKS" and r[2:4] == ["2026-08-01", "2026-08-31"])
    assert (august[header.index("denominator")], august[header.index("rate")]) == ("0", "")  # null, not 0
    # The page: the whole period before the first record says so, in the table and in each month's figures.
    row = before.split('data-measure="DOMESTIC_ABUSE_CHECKS"')[1].split("</tr>")[0]
    assert "No cases in this period" in row
    assert "0%" not in row
    chart = page.split('data-testid="chart-DOMESTIC_ABUSE_CHECKS"')[1].split("</figure>")[0]
    shares = chart.split('data-testid="share">')[1:]
    assert [s.split("<")[0] for s in shares] == ["No cases in this period", "No cases in this period", "50%"]
    # The chart: a gap (no marker, no line) for August and September, one marker for October.
    svg = chart.split("<svg")[1].split("</svg>")[0]
    assert svg.count("<circle") == 1
    assert "<polyline" not in svg
    empty_chart = before.split('data-testid="chart-DOMESTIC_ABUSE_CHECKS"')[1].split("</svg>")[0]
    assert "<circle" not in empty_chart


# issue 17 §1 (helper "period17"): any period may be asked for — a dashboard reads a fixed number of queries whatever
# its months (the 12-month cap that a region's slow years forced is lifted) — and nonsense is refused by field, on the
# page (400) and as JSON errors for exports, never answered for another period.
SEVEN_YEARS = {
    "from-day": "1",
    "from-month": "1",
    "from-year": "2020",
    "to-day": "30",
    "to-month": "11",
    "to-year": "2026",
}
ASSURANCE_PAGES = ["/assurance", "/assurance/overrides", "/assurance/equality"]


@pytest.mark.parametrize("path", ASSURANCE_PAGES)
def test_a_period_of_several_years_is_answered_on_the_page_and_in_every_export(site, path):
    users, _ = site
    client = client_for(users["aco"])
    with time_machine.travel(NOW, tick=False):
        page = client.get(path, SEVEN_YEARS)
        data = client.get(path, SEVEN_YEARS | {"format": "json"})
        as_csv = client.get(path, SEVEN_YEARS | {"format": "csv"})
    assert page.status_code == 200
    assert data.status_code == 200
    assert as_csv.status_code == 200
    body = data.json()
    assert (body["from"], body["to"]) == ("2020-01-01", "2026-11-30")
    if path == "/assurance":
        da = next(m for m in body["measures"] if m["measure"] == "DOMESTIC_ABUSE_CHECKS")
        assert len(da["trend"]) == 83  # January 2020 to November 2026, month by month
        assert (da["numerator"], da["denominator"]) == (1, 2)  # 10 October 2026 (the third check is a restricted case)
        # The first sweep opened an action on 5 October 2026 and looked back 90 days (trigger_lookback_days): its
        # records of this work begin on 7 July; the 78 months ended before it have no figure, not 0 of 0.
        assert da["records_begin"] == "2026-07-07T17:00:00+00:00"
        before = [p for p in da["trend"] if p["no_figure"]]
        assert len(before) == 78
        assert all(p["denominator"] is None for p in before)
        assert [p["denominator"] for p in da["trend"][78:]] == [0, 0, 0, 2, 0]  # July to November
        assert len(body["capacity"]["trend"]) == 83


NONSENSE = [
    ("end before start", {"to-year": "2019"}, "to", "must be the same as or after the start date (1 January 2020)"),
    (
        "end before the default start",
        {"from-day": "", "from-month": "", "from-year": "", "to-month": "5"},
        "to",
        "must be the same as or after the start date (1 June 2026, the default start when none is given)",
    ),
    (
        "start after today",
        {"from-day": "24", "from-month": "11", "from-year": "2026"},
        "from",
        "on or before 23 November 2026 (today)",
    ),
    (
        "end after this month",
        {"to-day": "1", "to-month": "12"},
        "to",
        "on or before 30 November 2026 (the end of this month)",
    ),
    ("before 1900", {"from-year": "1899"}, "from", "The start date must be on or after 1 January 1900"),
    ("no such day", {"to-day": "31"}, "to", "The end date must be a real date"),
    ("not a number", {"from-month": "Jan"}, "from", "Enter the month of the start date using the digits 0 to 9"),
    # try-out: a number too large for a date was a 500; fullwidth digits were read as numbers; "99" as year 99
    ("too large", {"from-day": "2147483648"}, "from", "The start date must be a real date"),
    ("too large month", {"to-month": "9999999999"}, "to", "The end date must be a real date"),
    ("fullwidth digit", {"from-day": "\uff11"}, "from", "Enter the day of the start date using the digits 0 to 9"),
    ("two-digit year", {"to-year": "99"}, "to", "The year of the end date must be 4 digits, like 2026"),
]


BOX_AT_FAULT = {"not a number": "from-month", "too large month": "to-month", "two-digit year": "to-year"}
FIGURE_TABLES = ('"actions_action"', '"people_person"', '"risk_', '"assurance_', '"people_personversion"')


@pytest.mark.parametrize("path", ASSURANCE_PAGES)
@pytest.mark.parametrize(("why", "change", "field", "message"), NONSENSE, ids=[n[0] for n in NONSENSE])
def test_a_nonsense_period_is_refused_by_field_on_the_page_and_in_every_export(site, path, why, change, field, message):
    users, _ = site
    client = client_for(users["aco"])
    with time_machine.travel(NOW, tick=False), CaptureQueriesContext(connection) as read:
        page = client.get(path, SEVEN_YEARS | change)
    # Read before the next request: each request clears the connection's query log the capture reads from.
    sql = [q["sql"] for q in read.captured_queries]
    with time_machine.travel(NOW, tick=False):
        exports = [client.get(path, SEVEN_YEARS | change | {"format": f}) for f in ("json", "csv")]
    assert page.status_code == 400, why
    # Nothing is computed for another period (review: the default period's figures were computed, then hidden).
    assert sql, why
    assert [q for q in sql if any(t in q for t in FIGURE_TABLES)] == [], why
    assert message in page.content.decode().replace("&#39;", "'"), why
    # The error links to its field: the box at fault, or the day when the whole date is wrong (try-out round 2).
    assert f'href="#{BOX_AT_FAULT.get(why, field + "-day")}"' in page.content.decode(), why
    # No figures for another period below the error (try-out: the default period's dashboard was shown), and the
    # date boxes keep what was typed (GOV.UK pattern).
    body = page.content.decode()
    assert 'data-testid="period-refused"' in body, why
    assert 'data-testid="export-csv"' not in body, why
    assert "1 June 2026 to 30 November 2026" not in body, why
    for name, value in change.items():
        if value:
            assert f'name="{name}" type="text" inputmode="numeric" value="{value}"' in body, (why, name)
    for refused in exports:
        assert refused.status_code == 400, why
        assert list(refused.json()["errors"]) == [field], why
        assert message in refused.json()["errors"][field], why


@pytest.mark.parametrize("path", ["/assurance", "/assurance/equality", "/assurance/overrides"])
def test_an_unknown_download_format_is_refused_not_answered_in_html(site, path):
    users, _ = site
    with time_machine.travel(NOW, tick=False):
        got = client_for(users["aco"]).get(path, PERIOD | {"scope": "REGION", "code": "GMR", "format": "xlsx"})
    assert got.status_code == 400
    assert got.json() == {
        "errors": {"format": "Choose format=csv or format=json to download, or leave format out for the page"}
    }


def test_a_part_month_is_labelled_by_its_days_and_an_unknown_measure_export_answers_as_an_export(site):
    users, _ = site
    client = client_for(users["aco"])
    one_day = {"from-day": "15", "from-month": "10", "from-year": "2026", "to-day": "15", "to-month": "10"}
    with time_machine.travel(NOW, tick=False):
        page = client.get("/assurance", one_day | {"to-year": "2026"}).content.decode()
        unknown = client.get("/assurance", PERIOD | {"measure": "NONSENSE", "format": "json"})
        unknown_csv = client.get("/assurance", PERIOD | {"measure": "NONSENSE", "format": "csv"})
    assert "15 to 15 Oct 2026" in page
    assert ">Oct 2026<" not in page
    assert unknown.status_code == unknown_csv.status_code == 404
    assert unknown.json() == {"errors": {"measure": "No measure is called 'NONSENSE'"}}


@pytest.mark.parametrize("path", ["/assurance", "/assurance/equality", "/assurance/overrides"])
def test_an_export_for_a_unit_that_does_not_exist_is_answered_as_json(site, path):
    users, _ = site
    aco = client_for(users["aco"])
    with time_machine.travel(NOW, tick=False):
        for scope in ("TEAM", "NOWHERE"):
            got = aco.get(path, PERIOD | {"scope": scope, "code": "XXX", "format": "json"})
            assert got.status_code == 404
            assert got.json() == {"errors": {"scope": "No team, PDU or region has that code"}}
        assert aco.get(path, PERIOD | {"scope": "TEAM", "code": "XXX"}).status_code == 404  # the page: a 404 page


@pytest.mark.parametrize("path", ["/assurance", "/assurance/equality", "/assurance/overrides"])
def test_an_export_refused_to_the_role_or_for_the_unit_is_answered_as_an_export_naming_no_case(site, path):
    """A user try-out: a practitioner's CSV download got the HTML 403 page. An export is refused as an export (as an
    unknown unit or measure is): 403 with `{"errors": {"access": why}}`, naming no case; the page stays a 403 page."""
    users, _ = site
    with time_machine.travel(NOW, tick=False):
        for fmt in ("csv", "json"):
            role = client_for(users["ada"]).get(path, PERIOD | {"format": fmt})
            unit = client_for(users["spo"]).get(path, PERIOD | {"scope": "PDU", "code": "GMR-MN", "format": fmt})
            assert (role.status_code, unit.status_code) == (403, 403), fmt
            assert role["Content-Type"] == unit["Content-Type"] == "application/json"
            assert role.json() == {
                "errors": {
                    "access": "Assurance figures and their downloads are for SPOs, heads of PDU, regional leaders "
                    "and auditors: your role does not give access to them"
                }
            }
            assert unit.json() == {"errors": {"access": "You may not see assurance figures for PDU GMR-MN"}}
            for crn in (VISIBLE, HIDDEN, OTHER):
                assert crn not in role.content.decode() + unit.content.decode()
        page = client_for(users["ada"]).get(path, PERIOD)
    assert page.status_code == 403
    assert "You cannot use this page" in page.content.decode()


@pytest.mark.parametrize("path", ["/assurance/audits", "/assurance/recall-sampling"])
def test_pages_without_a_download_refuse_a_format(site, path):
    users, _ = site
    with time_machine.travel(NOW, tick=False):
        got = client_for(users["quality"]).get(path, {"format": "json"})
    assert got.status_code == 400
    assert got.json() == {"errors": {"format": "This page has no download"}}


# User try-out: `unit=garbage` (a unit that is not one) was silently answered for the viewer's own unit. A unit, scope
# or code that cannot name a team, PDU or region is refused by field, on the page (400, the picker with the error)
# and as JSON errors for exports, and nothing is computed for another unit.
UNIT_HELP = "(a unit is TEAM, PDU or REGION, a colon and its code, like PDU:GMR-MN)"
BAD_UNITS = [
    (
        "no colon",
        {"unit": "garbage"},
        "unit",
        f"Choose a team, PDU or region from the list: 'garbage' is not one {UNIT_HELP}",
    ),
    ("no code", {"unit": "PDU:"}, "unit", f"Choose a team, PDU or region from the list: 'PDU:' is not one {UNIT_HELP}"),
    ("no kind", {"unit": ":GMR"}, "unit", f"Choose a team, PDU or region from the list: ':GMR' is not one {UNIT_HELP}"),
    (
        "scope without code",
        {"scope": "PDU"},
        "code",
        "Give the code of the PDU as well as scope=PDU, or choose a team, PDU or region from the list",
    ),
    (
        "code without scope",
        {"code": "GMR-MN"},
        "scope",
        "Give scope=TEAM, PDU or REGION as well as code=GMR-MN, or choose a team, PDU or region from the list",
    ),
]


@pytest.mark.parametrize("path", [*ASSURANCE_PAGES, "/assurance/audits"])
@pytest.mark.parametrize(("why", "given", "field", "message"), BAD_UNITS, ids=[b[0] for b in BAD_UNITS])
def test_a_unit_that_is_not_one_is_refused_by_field_never_answered_for_the_default(
    site, path, why, given, field, message
):
    users, _ = site
    client = client_for(users["aco"])
    with time_machine.travel(NOW, tick=False), CaptureQueriesContext(connection) as read:
        page = client.get(path, PERIOD | given)
    sql = [q["sql"] for q in read.captured_queries]
    assert page.status_code == 400, why
    assert [q for q in sql if any(t in q for t in FIGURE_TABLES)] == [], why  # nothing computed for another unit
    body = page.content.decode().replace("&#39;", "'")
    assert message in body, why
    assert 'href="#unit"' in body, why  # the error links to the picker
    assert "govuk-form-group--error" in body, why
    assert 'data-testid="unit-refused"' in body, why
    assert "Greater Manchester</h1>" not in body, why  # not the viewer's own region's page (the old fallback)
    assert 'data-testid="export-csv"' not in body, why
    if path == "/assurance/audits":
        return  # no downloads
    assert 'name="from-day" type="text" inputmode="numeric" value="1"' in body, why  # the period typed is kept
    with time_machine.travel(NOW, tick=False):
        for fmt in ("json", "csv"):
            refused = client.get(path, PERIOD | given | {"format": fmt})
            assert refused.status_code == 400, (why, fmt)
            assert refused.json() == {"errors": {field: message}}, (why, fmt)


def test_a_bad_unit_and_a_bad_period_are_both_reported(site):
    users, _ = site
    with time_machine.travel(NOW, tick=False):
        page = client_for(users["head"]).get("/assurance", PERIOD | {"unit": "garbage", "to-day": "31"})
        data = client_for(users["head"]).get(
            "/assurance", PERIOD | {"unit": "garbage", "to-day": "31", "format": "json"}
        )
    assert page.status_code == data.status_code == 400
    body = page.content.decode().replace("&#39;", "'")
    assert "'garbage' is not one" in body
    assert "The end date must be a real date" in body
    assert 'href="#to-day"' in body
    assert set(data.json()["errors"]) == {"unit", "to"}


def test_a_blank_unit_is_the_viewers_own_and_a_chosen_one_is_answered(site):
    users, _ = site
    with time_machine.travel(NOW, tick=False):
        blank = client_for(users["head"]).get("/assurance", PERIOD | {"unit": ""})
        chosen = client_for(users["aco"]).get("/assurance", PERIOD | {"unit": "TEAM:GMR-MN-1"})
    assert blank.status_code == 200
    assert "Delivery: Manchester North</h1>" in blank.content.decode()
    assert chosen.status_code == 200
    assert "Delivery: Manchester North Team 1</h1>" in chosen.content.decode()


ISO_NONSENSE = [
    # try-out: `?from=2026-02-31` silently gave the default period
    ("not a real date", {"from": "2026-02-31"}, "from", "The start date (from=2026-02-31) is not a real date"),
    ("not a date", {"to": "yesterday"}, "to", "The end date (to) must be written as YYYY-MM-DD"),
    ("fullwidth digits", {"from": "２０２６-01-01"}, "from", "must be written as YYYY-MM-DD using the digits 0 to 9"),
    ("from after to", {"from": "2026-10-01", "to": "2026-09-30"}, "to", "must be the same as or after the start date"),
    ("twice", {"from": "2026-10-01", "from-day": "1"}, "from", "Give the start date once"),
    # try-out: a repeated parameter silently took the last
    (
        "from repeated",
        {"from": ["2026-01-01", "2026-06-01"]},
        "from",
        "Give the start date once: from= is in the address more than once",
    ),
    (
        "to-month repeated",
        {"to-day": "30", "to-month": ["9", "10"], "to-year": "2026"},
        "to",
        "Give the end date once: to-month= is in the address more than once",
    ),
]


@pytest.mark.parametrize("path", ASSURANCE_PAGES)
@pytest.mark.parametrize(("why", "asked", "field", "message"), ISO_NONSENSE, ids=[n[0] for n in ISO_NONSENSE])
def test_a_period_given_as_parameters_is_refused_when_it_is_not_real(site, path, why, asked, field, message):
    """`from`/`to` as YYYY-MM-DD (the form every export writes): an impossible, unreadable or reversed period is
    refused by parameter: on the page with the GOV.UK error summary, from an export with 400 and a JSON reason."""
    users, _ = site
    client = client_for(users["aco"])
    with time_machine.travel(NOW, tick=False):
        page = client.get(path, asked)
        exports = [client.get(path, asked | {"format": f}) for f in ("json", "csv")]
    body = page.content.decode()
    assert page.status_code == 400, why
    assert "govuk-error-summary" in body, why
    # "twice": the boxes typed hold only a day, so the link goes to the first empty box (the month)
    assert f'<a href="#{field}-{"month" if why == "twice" else "day"}">' in body, why
    assert message in body, why
    assert 'data-testid="period-refused"' in body, why
    for export in exports:
        assert export.status_code == 400, why
        assert message in export.json()["errors"][field], why


def test_a_period_given_as_parameters_is_answered(site):
    users, _ = site
    with time_machine.travel(NOW, tick=False):
        answer = client_for(users["aco"]).get(
            "/assurance", {"from": "2026-09-01", "to": "2026-10-31", "format": "json"}
        )
    assert answer.status_code == 200
    assert (answer.json()["from"], answer.json()["to"]) == ("2026-09-01", "2026-10-31")


def test_a_period_date_error_links_to_the_box_at_fault_and_marks_only_it(site):
    """Try-out round 2 (core/dates.read_date): a month typed as a word linked to the day box and marked all three."""
    users, _ = site
    with time_machine.travel(NOW, tick=False):
        page = client_for(users["aco"]).get("/assurance/equality", PERIOD | {"from-month": "October"})
    html = page.content.decode()
    assert page.status_code == 400
    assert 'href="#from-month"' in html
    assert "Enter the month of the start date using the digits 0 to 9" in html
    assert re.findall(r'govuk-input--error" id="(\w+-\w+)"', html) == ["from-month"]


@pytest.mark.parametrize("audit", ["²", "１"])
def test_an_audit_number_in_digits_other_than_0_to_9_is_not_found_not_a_server_error(site, audit):
    users, _ = site
    response = client_for(users["quality"]).get(f"/assurance/audits?scope=PDU&code=GMR-MN&audit={audit}")
    assert response.status_code == 404


@pytest.mark.parametrize("page", ["/assurance", "/assurance/overrides", "/assurance/equality"])
@pytest.mark.parametrize("repeated", ["format=csv&format=json", "scope=PDU&scope=TEAM", "measure=a&measure=b"])
def test_a_choice_given_twice_is_refused_by_name_not_the_last_taken(site, page, repeated):
    users, _ = site
    response = client_for(users["quality"]).get(f"{page}?from=2026-01-01&{repeated}")
    assert response.status_code == 400
    name = repeated.split("=")[0]
    if name == "format":  # a download asked for: its answer is JSON
        assert name in response.json()["errors"]
    else:  # a page: the GOV.UK error page, as every list page answers (try-out 10)
        assert f"Give {name}= once" in response.content.decode()
        assert response["Content-Type"].startswith("text/html")

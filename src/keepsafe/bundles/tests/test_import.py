"""Bundle import: validation before writing, precise paths, atomicity, idempotency, round trip."""

from __future__ import annotations

import io
import json

import pytest

from keepsafe.audit.models import AuditEvent
from keepsafe.bundles.exporter import bundle_export
from keepsafe.bundles.importer import bundle_import
from keepsafe.core.errors import ValidationError
from keepsafe.people.models import CaseAccess, Contact, Event, Person, Registration, RegistrationHistory
from keepsafe.records.models import Record
from keepsafe.testing.fixtures import SYSTEM, make_bundle, make_person, raw
from keepsafe.workforce.models import Staff

pytestmark = pytest.mark.django_db


def counts() -> dict[str, int]:
    return {
        m.__name__: m.objects.count()
        for m in (Person, Event, Registration, Contact, Record, Staff, CaseAccess, RegistrationHistory)
    }


def problems_of(bundle) -> list[tuple[str, str]]:
    with pytest.raises(ValidationError) as caught:
        bundle_import(actor=SYSTEM, raw=raw(bundle) if not isinstance(bundle, str) else bundle)
    return caught.value.problems


def paths_of(bundle) -> set[str]:
    return {path for path, _ in problems_of(bundle)}


def test_the_spec_example_imports_and_every_section_lands():
    summary = bundle_import(actor=SYSTEM, raw=raw(make_bundle()))
    assert summary.as_dict()["people"] == {"created": 1, "updated": 0}
    person = Person.objects.get(crn="X123456")
    assert person.practitioner.code == "STF0001"
    assert person.prison_offender_manager.code == "STF0200"
    assert (person.sanctions, person.violent_sanctions) == (14, 6)
    event = person.events.get()
    assert event.licence_expiry.isoformat() == "2023-09-01"
    assert event.requirements.get().detail == "Building Better Relationships"
    assert event.licence_conditions.get().type == "NO_CONTACT"
    reg = person.registrations.get()
    assert reg.type.code == "RSTO"
    assert reg.next_review.isoformat() == "2022-05-20"  # RSTO reviews every 6 months from the start
    assert reg.history.get().action == "ADDED"
    assert person.contacts.get().outcome == "FAILED_TO_ATTEND"
    assert person.records.get().text.startswith("Improvised blade")
    assert Staff.objects.get(code="STF0001").line_manager.code == "STF0100"


def test_wrong_types_are_reported_with_their_paths_and_nothing_is_written():
    bundle = make_bundle()
    bundle["people"][0]["date_of_birth"] = 19930201
    bundle["people"][0]["criminal_history"]["sanctions"] = "14"
    bundle["people"][0]["events"][0]["sentence"]["length_months"] = 4.5
    bundle["people"][0]["contacts"][0]["at"] = "2022-06-16T10:00:00"  # no offset
    before = counts()
    paths = paths_of(bundle)
    assert {
        "people[0].date_of_birth",
        "people[0].criminal_history.sanctions",
        "people[0].events[0].sentence.length_months",
        "people[0].contacts[0].at",
    } <= paths
    assert counts() == before


def test_unknown_keys_are_errors_not_silently_dropped():
    bundle = make_bundle()
    bundle["people"][0]["events"][0]["dates"]["licence_expiray"] = "2023-09-01"
    bundle["staf"] = []
    problems = dict(problems_of(bundle))
    assert "people[0].events[0].dates.licence_expiray" in problems
    assert "unknown key" in problems["people[0].events[0].dates.licence_expiray"]
    assert "staf" in problems


def test_dangling_references_name_the_missing_code():
    bundle = make_bundle(make_person(practitioner="STF9999"))
    bundle["people"][0]["registrations"][0]["type"] = "NOPE"
    bundle["people"][0]["contacts"][0]["staff"] = "STF8888"
    bundle["staff"][1]["line_manager"] = "STF7777"
    bundle["people"][0]["pdu"] = "XX-NO"
    problems = dict(problems_of(bundle))
    assert "STF9999" in problems["people[0].practitioner"]
    assert "NOPE" in problems["people[0].registrations[0].type"]
    assert "STF8888" in problems["people[0].contacts[0].staff"]
    assert "STF7777" in problems["staff[1].line_manager"]
    assert "XX-NO" in problems["people[0].pdu"]


@pytest.mark.parametrize("crn", ["x123456", "X12345", "X1234567", "12345678", "XX12345", " X123456"])
def test_bad_crns_are_rejected(crn):
    problems = dict(problems_of(make_bundle(make_person(crn=crn))))
    assert "CRN" in problems["people[0].crn"]


def test_licence_expiry_before_release_is_rejected_with_the_dates():
    person = make_person()
    person["events"][0]["dates"]["licence_expiry"] = "2022-01-01"
    problems = dict(problems_of(make_bundle(person)))
    assert problems["people[0].events[0].dates.licence_expiry"] == (
        "licence expiry 2022-01-01 is before release 2022-06-15"
    )


def test_every_error_is_reported_not_just_the_first():
    people = [make_person(crn="X000001", practitioner="NOBODY"), make_person(crn="X000002", pdu="NOWHERE")]
    people[1]["events"][0]["dates"]["licence_expiry"] = "2000-01-01"
    paths = paths_of(make_bundle(*people))
    assert {"people[0].practitioner", "people[1].pdu", "people[1].events[0].dates.licence_expiry"} <= paths


def test_a_bad_person_rejects_the_whole_bundle_including_good_people():
    good, bad = make_person(crn="X000001"), make_person(crn="X000002", gender="MAN")
    before = counts()
    assert "people[1].gender" in paths_of(make_bundle(good, bad))
    assert counts() == before
    assert not Person.objects.filter(crn="X000001").exists()


def test_invalid_json_names_line_and_column():
    problems = problems_of('{"format": "keepsafe-bundle/1",\n "people": [}')
    assert problems[0][0] == "line 2 column 13"


def test_duplicate_ids_within_a_bundle_are_rejected():
    person = make_person()
    person["contacts"].append(dict(person["contacts"][0]))
    assert "people[0].contacts[1].id" in paths_of(make_bundle(person, make_person()))


def test_mappa_registrations_need_level_and_category_and_others_must_not_have_them():
    person = make_person()
    person["registrations"] = [
        {"id": "M", "type": "MAPP", "start": "2022-01-01", "end": None, "level": None, "category": "M2"},
        {"id": "R", "type": "RSTO", "start": "2022-01-01", "end": None, "level": "M1", "category": None},
    ]
    paths = paths_of(make_bundle(person))
    assert {"people[0].registrations[0].level", "people[0].registrations[1].level"} <= paths


def test_reimport_is_idempotent():
    bundle = make_bundle()
    bundle_import(actor=SYSTEM, raw=raw(bundle))
    before, audits = counts(), AuditEvent.objects.filter(action__startswith="CASE_IMPORT").count()
    summary = bundle_import(actor=SYSTEM, raw=raw(bundle))
    assert not summary.changed_anything
    assert counts() == before
    assert AuditEvent.objects.filter(action__startswith="CASE_IMPORT").count() == audits


def test_a_changed_object_is_updated_and_the_change_audited():
    bundle_import(actor=SYSTEM, raw=raw(make_bundle()))
    person = make_person()
    person["events"][0]["dates"]["licence_expiry"] = "2024-01-01"
    person["practitioner"] = "STF0002"
    summary = bundle_import(actor=SYSTEM, raw=raw(make_bundle(person)))
    assert summary.as_dict()["events"]["updated"] == 1
    assert Person.objects.get(crn="X123456").practitioner.code == "STF0002"
    audit = AuditEvent.objects.filter(action="CASE_IMPORT_UPDATE", crn="X123456").get()
    assert audit.details["changes"]["events"]["1"]["licence_expiry"] == ["2023-09-01", "2024-01-01"]
    assert "practitioner_id" in audit.details["changes"]["person"]


def test_ending_a_registration_by_import_records_its_removal():
    bundle_import(actor=SYSTEM, raw=raw(make_bundle()))
    person = make_person()
    person["registrations"][0].update(end="2022-01-01", end_reason="Order discharged by the court")
    bundle_import(actor=SYSTEM, raw=raw(make_bundle(person)))
    actions = list(RegistrationHistory.objects.order_by("id").values_list("action", flat=True))
    assert actions == ["ADDED", "REMOVED"]


def test_records_are_immutable_a_changed_record_is_a_conflict():
    bundle_import(actor=SYSTEM, raw=raw(make_bundle()))
    person = make_person()
    person["records"][0]["text"] = "Nothing was found."
    problems = dict(problems_of(make_bundle(person)))
    assert "immutable" in problems["people[0].records[0].id"]
    assert Record.objects.get().text.startswith("Improvised blade")


def test_access_lists_follow_the_bundle():
    bundle_import(actor=SYSTEM, raw=raw(make_bundle(make_person(restricted_to=["STF0001"], excluded=["STF0002"]))))
    assert CaseAccess.objects.count() == 2
    bundle_import(actor=SYSTEM, raw=raw(make_bundle(make_person(excluded=["STF0002"]))))
    assert list(CaseAccess.objects.values_list("kind", flat=True)) == ["EXCLUSION"]


def test_a_staff_code_cannot_be_both_restricted_to_and_excluded():
    assert "people[0].excluded" in paths_of(make_bundle(make_person(restricted_to=["STF0001"], excluded=["STF0001"])))


def _export() -> dict:
    out = io.StringIO()
    bundle_export(viewer=SYSTEM, out=out)
    return json.loads(out.getvalue())


def test_export_then_import_round_trip_is_lossless():
    # issue 15 ("allochist"): the export carries the allocation history (the fixture's holder since its sentence)
    held = [{"staff": "STF0001", "from": "2019-09-01", "to": None, "reason": "INITIAL_ALLOCATION"}]
    source = make_bundle(
        make_person(allocations=held, ap_referrals=[], victim_representations=[]),  # every key present on export
        make_person(
            crn="Y654321",
            restricted_to=["STF0002"],
            criminal_history=None,
            practitioner=None,
            ethnicity=None,
            disability=None,
        ),
    )
    bundle_import(actor=SYSTEM, raw=raw(source))
    first = _export()
    # The export is the source in canonical form: every key present, sorted lists, UTC instants.
    assert first["people"][0] == source["people"][0]
    assert first["people"][1]["restricted_to"] == ["STF0002"]
    assert first["people"][1]["criminal_history"] is None
    assert {s["code"] for s in first["staff"]} == {s["code"] for s in source["staff"]}
    summary = bundle_import(actor=SYSTEM, raw=json.dumps(first))
    assert not summary.changed_anything
    assert _export() == first


def test_round_trip_into_an_empty_database(django_db_blocker):
    bundle_import(actor=SYSTEM, raw=raw(make_bundle()))
    exported = _export()
    Record.objects.all().delete()
    Person.objects.all().delete()
    Staff.objects.all().update(line_manager=None)
    Staff.objects.all().delete()
    bundle_import(actor=SYSTEM, raw=json.dumps(exported))
    assert _export() == exported


def test_export_audits_each_case_and_leaves_out_hidden_ones(staff_actor):
    bundle_import(actor=SYSTEM, raw=raw(make_bundle(make_person(), make_person(crn="Y000001", excluded=["STF0002"]))))
    out = io.StringIO()
    assert bundle_export(viewer=staff_actor("STF0002"), out=out) == 1
    assert [p["crn"] for p in json.loads(out.getvalue())["people"]] == ["X123456"]
    assert AuditEvent.objects.filter(action="CASE_EXPORT", crn="X123456").count() == 1
    assert not AuditEvent.objects.filter(action="CASE_EXPORT", crn="Y000001").exists()


def test_imported_assessments_set_the_rosh_level_and_feed_the_tiers():
    from keepsafe.cases.selectors import case_summary
    from keepsafe.risk.models import CaseRisk

    bundle_import(actor=SYSTEM, raw=raw(make_bundle()))
    risk = CaseRisk.objects.get(person__crn="X123456")
    assert risk.level == "HIGH"  # the highest group (known adult) of the imported assessment
    summary = case_summary(crn="X123456", viewer=SYSTEM)["risk"]
    assert summary["rosh"]["overall"] == "HIGH"
    assert summary["rosh"]["community"]["known_adult"] == "HIGH"
    assert summary["assessment"]["id"] == "OASYS-1"
    # The imported OGRS3 wins over the one Keepsafe computes, and the summary says which was used.
    assert summary["predictors"]["ogrs3_2y"]["value"] == 61.0
    assert summary["predictors"]["ogrs3_2y"]["source"] == "imported with assessment OASYS-1"
    # OGRS3's two years are one predictor: the import scored only the two-year, so no computed one-year sits
    # beside it (a computed 50 % beside an imported 42 % read as a one-year risk above the two-year).
    assert "ogrs3_1y" not in summary["predictors"]
    assert summary["tier"]["v2"] == risk.tier_v2
    assert {r["detail"] for r in summary["tier"]["explanation"]["v2"]} >= {"RoSH high", "RSR 4.2"}


def test_bad_assessments_are_rejected_with_paths():
    person = make_person()
    person["assessments"][0]["rosh"]["community"]["public"] = "SEVERE"
    person["assessments"][0]["predictors"]["ogrs9"] = {"score": 1.0, "band": "LOW", "static": True}
    person["assessments"][0]["needs"]["housing"] = "SEVERE"
    paths = paths_of(make_bundle(person))
    assert {"people[0].assessments[0].rosh.community.public"} <= paths
    assert any(p.startswith("people[0].assessments[0].predictors") for p in paths)
    assert any(p.startswith("people[0].assessments[0].needs") for p in paths)


def test_nul_characters_are_refused_with_their_path():
    person = make_person()
    person["records"][0]["text"] = "Knife\u0000found"
    person["contacts"][0]["notes"] = "x\u0000"
    assert problems_of(make_bundle(person)) == [
        ("people[0].contacts[0].notes", "contains a NUL character (\\u0000), which cannot be stored"),
        ("people[0].records[0].text", "contains a NUL character (\\u0000), which cannot be stored"),
    ]


@pytest.mark.parametrize(
    ("level", "category", "bad"),
    [
        ("M0", None, set()),  # nDelius records M0 without a category (hmpps-tier RegistrationEdgeCasesTest)
        ("M0", "M2", set()),
        ("M1", None, {"category"}),  # every level that scores still needs its category
        ("M4", "M1", {"level"}),
        ("0", None, {"level", "category"}),
    ],
)
def test_mappa_level_m0_is_accepted_and_only_m0_may_leave_the_category_empty(level, category, bad):
    person = make_person()
    person["registrations"] = [
        {"id": "M", "type": "MAPP", "start": "2022-01-01", "end": None, "level": level, "category": category}
    ]
    bundle = make_bundle(person)
    if bad:
        assert paths_of(bundle) == {f"people[0].registrations[0].{field}" for field in bad}
    else:
        bundle_import(actor=SYSTEM, raw=raw(bundle))
        assert Registration.objects.get(person__crn="X123456", type__code="MAPP").level == "M0"


def test_oasys_answers_are_validated_and_travel_back_out():
    """Issue 18: OASys 6.9, 11.2 and 11.4 (tier v2's women's factors) — wrong answers named by path, good ones kept."""
    person = make_person(gender="FEMALE")
    person["assessments"][0]["oasys_answers"] = {"parenting_responsibilities": "MAYBE", "impulsivity": 3}
    assert paths_of(make_bundle(person)) == {
        "people[0].assessments[0].oasys_answers.parenting_responsibilities",
        "people[0].assessments[0].oasys_answers.impulsivity",
    }
    person["assessments"][0]["oasys_answers"] = {"parenting_responsibilities": "YES", "temper_control": 1}
    bundle_import(actor=SYSTEM, raw=raw(make_bundle(person)))
    exported = _export()["people"][0]["assessments"][0]["oasys_answers"]
    assert exported == {"parenting_responsibilities": "YES", "temper_control": 1}
    assert not bundle_import(actor=SYSTEM, raw=raw(make_bundle(person))).changed_anything

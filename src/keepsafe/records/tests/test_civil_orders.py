"""Civil orders become flags, in bundles and through services alike; the end date prompts a review."""

import io
import json
from datetime import UTC, date, datetime

import pytest

from keepsafe.bundles.exporter import bundle_export
from keepsafe.bundles.importer import bundle_import
from keepsafe.core.errors import ValidationError
from keepsafe.people.models import Person, Registration
from keepsafe.records.rules.civil_orders import CivilOrder, OrderType, order_problems, registration_id
from keepsafe.records.services import record_add
from keepsafe.testing.fixtures import SYSTEM, make_bundle, make_person, raw

pytestmark = pytest.mark.django_db

ORDER_RECORD = {
    "id": "COURT-RO-1",
    "source": "COURT",
    "kind": "CIVIL_ORDER",
    "occurred_at": "2026-03-01T10:00:00Z",
    "received_at": "2026-03-02T09:00:00Z",
    "author": "Manchester Magistrates' Court",
    "text": "Non-molestation order made protecting Jane Doe.",
    "order": {
        "type": "NON_MOLESTATION_ORDER",
        "start": "2026-03-01",
        "end": "2027-03-01",
        "protected_person": "Jane Doe",
    },
}


def with_records(*records):
    person = make_person()
    person["records"] = person["records"] + list(records)
    return make_bundle(person)


def order_flag() -> Registration:
    return Registration.objects.select_related("type").get(external_id__startswith="ORDER-")


def test_a_civil_order_record_creates_the_matching_flag_with_the_protected_person():
    summary = bundle_import(actor=SYSTEM, raw=raw(with_records(ORDER_RECORD)))
    flag = order_flag()
    assert flag.type.code == "RSTO"
    assert (flag.start, flag.end) == (date(2026, 3, 1), date(2027, 3, 1))
    assert "Non-molestation order protecting Jane Doe" in flag.notes
    assert "COURT-RO-1" in flag.notes
    assert flag.history.get().action == "ADDED"
    assert summary.as_dict()["registrations_from_orders"] == {"created": 1, "updated": 0}


def test_the_flag_is_reviewed_before_the_order_ends():
    record = {**ORDER_RECORD, "order": {**ORDER_RECORD["order"], "end": "2026-06-01"}}
    bundle_import(actor=SYSTEM, raw=raw(with_records(record)))
    assert order_flag().next_review == date(2026, 5, 4)  # RSTO reviews every 6 months; the order ends first


@pytest.mark.parametrize(
    ("order_type", "code"),
    [
        ("RESTRAINING_ORDER", "RSTO"),
        ("STALKING_PROTECTION_ORDER", "SPO"),
        ("SEXUAL_HARM_PREVENTION_ORDER", "SOPS"),
        ("DOMESTIC_ABUSE_PROTECTION_ORDER", "RSTO"),
    ],
)
def test_each_order_type_raises_its_flag(order_type, code):
    bundle_import(
        actor=SYSTEM, raw=raw(with_records({**ORDER_RECORD, "order": {**ORDER_RECORD["order"], "type": order_type}}))
    )
    assert order_flag().type.code == code


def test_a_renewed_order_updates_the_same_flag_and_an_old_one_does_not():
    bundle_import(actor=SYSTEM, raw=raw(with_records(ORDER_RECORD)))
    renewed = {
        **ORDER_RECORD,
        "id": "COURT-RO-2",
        "order": {**ORDER_RECORD["order"], "start": "2027-02-20", "end": "2029-02-20"},
    }
    bundle_import(actor=SYSTEM, raw=raw(with_records(ORDER_RECORD, renewed)))
    flag = order_flag()
    assert flag.end == date(2029, 2, 20)
    assert [h.action for h in flag.history.order_by("id")] == ["ADDED", "UPDATED"]
    late_old = {
        **ORDER_RECORD,
        "id": "COURT-RO-0",
        "order": {**ORDER_RECORD["order"], "start": "2025-01-01", "end": "2025-12-31"},
    }
    bundle_import(actor=SYSTEM, raw=raw(with_records(ORDER_RECORD, renewed, late_old)))
    assert order_flag().end == date(2029, 2, 20)


def test_order_errors_name_the_record():
    no_order = {k: v for k, v in ORDER_RECORD.items() if k != "order"}
    stray = {**ORDER_RECORD, "id": "X", "kind": "CALL_OUT"}
    backwards = {**ORDER_RECORD, "id": "Y", "order": {**ORDER_RECORD["order"], "end": "2020-01-01"}}
    bad_type = {**ORDER_RECORD, "id": "Z", "order": {**ORDER_RECORD["order"], "type": "ASBO"}}
    with pytest.raises(ValidationError) as caught:
        bundle_import(actor=SYSTEM, raw=raw(with_records(no_order, stray, backwards, bad_type)))
    text = "\n".join(f"{p}: {r}" for p, r in caught.value.problems)
    assert "people[0].records[1]: order: a CIVIL_ORDER record needs its order" in text
    assert "people[0].records[2]: order: only CIVIL_ORDER records carry an order" in text
    assert "people[0].records[3]: order.end: end 2020-01-01 is before start" in text
    assert "people[0].records[4].order.type" in text
    assert not Registration.objects.exists()


def test_order_round_trips_through_export_and_is_immutable():
    bundle_import(actor=SYSTEM, raw=raw(with_records(ORDER_RECORD)))
    out = io.StringIO()
    bundle_export(viewer=SYSTEM, out=out)
    exported = json.loads(out.getvalue())
    [record] = [r for r in exported["people"][0]["records"] if r["id"] == "COURT-RO-1"]
    assert record["order"] == ORDER_RECORD["order"]
    assert bundle_import(actor=SYSTEM, raw=json.dumps(exported)).changed_anything is False
    changed = {**ORDER_RECORD, "order": {**ORDER_RECORD["order"], "protected_person": "Someone Else"}}
    with pytest.raises(ValidationError, match="order"):
        bundle_import(actor=SYSTEM, raw=raw(with_records(changed)))


def test_record_service_applies_orders_too(imported):
    imported()
    record_add(
        actor=SYSTEM,
        person=Person.objects.get(crn="X123456"),
        external_id="POL-SPO",
        source="POLICE",
        kind="CIVIL_ORDER",
        occurred_at=datetime(2026, 1, 5, tzinfo=UTC),
        received_at=datetime(2026, 1, 5, tzinfo=UTC),
        author="Police",
        text="Stalking protection order granted.",
        order=CivilOrder(OrderType.STALKING_PROTECTION_ORDER, date(2026, 1, 5), None, "A. Person"),
    )
    assert order_flag().type.code == "SPO"


def test_rules_refuse_mismatched_orders_and_make_stable_ids():
    order = CivilOrder(OrderType.RESTRAINING_ORDER, date(2026, 1, 1), None, "Jane  Doe!")
    assert registration_id(order) == "ORDER-RSTO-RES-JANE-DOE"
    assert order_problems("CIVIL_ORDER", None)[0][0] == "order"
    assert order_problems("CALL_OUT", order)[0][0] == "order"
    assert order_problems("CIVIL_ORDER", CivilOrder(OrderType.RESTRAINING_ORDER, date(2026, 1, 1), None, " ")) == [
        ("order.protected_person", "name the person the order protects")
    ]

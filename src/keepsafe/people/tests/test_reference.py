from __future__ import annotations

import csv
from pathlib import Path

import pytest

from keepsafe.people.models import RegistrationType
from keepsafe.people.services import registration_types_csv, registration_types_sync

SHARED = Path(__file__).resolve().parents[5] / "shared" / "reference" / "registration-types.csv"


@pytest.mark.skipif(not SHARED.exists(), reason="shared/ is not beside this checkout")
def test_the_packaged_reference_data_is_the_published_one():
    assert registration_types_csv().read_text(encoding="utf-8") == SHARED.read_text(encoding="utf-8")


@pytest.mark.django_db
def test_migrate_loads_every_registration_type_and_sync_is_idempotent():
    with registration_types_csv().open(encoding="utf-8") as handle:
        rows = {r["code"]: r for r in csv.DictReader(handle)}
    assert RegistrationType.objects.count() == len(rows)
    assert registration_types_sync() == len(rows)
    assert RegistrationType.objects.count() == len(rows)
    rsto = RegistrationType.objects.get(code="RSTO")
    assert (rsto.name, rsto.review_months, rsto.group) == ("Restraining Order", 6, "public_protection")

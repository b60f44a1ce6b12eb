"""Issue 15: staff `reductions` and `training` in the bundle — validated with their paths, imported and exported
losslessly, replaced when given and left alone when absent (docs/bundle-format.md)."""

from __future__ import annotations

import copy
import io
import json
from typing import Any

import pytest

from keepsafe.bundles.exporter import bundle_export
from keepsafe.bundles.importer import bundle_import
from keepsafe.core.errors import ValidationError
from keepsafe.testing.fixtures import SYSTEM, make_bundle, raw
from keepsafe.workforce.models import Reduction, Staff, TrainingCompletion

pytestmark = pytest.mark.django_db

REDUCTIONS = [
    {"reason": "NQO", "hours": None, "start": "2024-08-01", "end": None},
    {"reason": "DISABILITY", "hours": 1.8, "start": "2025-01-06", "end": "2027-01-05"},
]
TRAINING = [
    {"course": "DOMESTIC_ABUSE", "completed_on": "2023-05-10"},
    {"course": "RISK_OF_SERIOUS_HARM", "completed_on": "2024-09-01"},
]


def _bundle(reductions: list[dict[str, Any]] | None = None, training: list[dict[str, Any]] | None = None) -> dict:
    bundle = make_bundle()
    ada = next(s for s in bundle["staff"] if s["code"] == "STF0001")
    ada["reductions"] = copy.deepcopy(REDUCTIONS if reductions is None else reductions)
    ada["training"] = copy.deepcopy(TRAINING if training is None else training)
    return bundle


def _export() -> dict[str, Any]:
    out = io.StringIO()
    bundle_export(viewer=SYSTEM, out=out)
    return json.loads(out.getvalue())


def _ada(exported: dict[str, Any]) -> dict[str, Any]:
    return next(s for s in exported["staff"] if s["code"] == "STF0001")


def test_round_trip_and_reimport_changes_nothing():
    summary = bundle_import(actor=SYSTEM, raw=raw(_bundle())).as_dict()
    assert summary["staff reductions"] == {"created": 1, "updated": 0}
    assert summary["staff training"] == {"created": 1, "updated": 0}
    exported = _export()
    assert _ada(exported)["reductions"] == REDUCTIONS
    assert _ada(exported)["training"] == TRAINING
    assert next(s for s in exported["staff"] if s["code"] == "STF0002")["reductions"] == []
    again = bundle_import(actor=SYSTEM, raw=json.dumps(exported)).as_dict()
    assert "staff reductions" not in again or again["staff reductions"] == {"created": 0, "updated": 0}
    assert "staff training" not in again or again["staff training"] == {"created": 0, "updated": 0}
    assert _export() == exported


def test_given_lists_replace_and_absent_lists_leave_alone():
    bundle_import(actor=SYSTEM, raw=raw(_bundle()))
    summary = bundle_import(actor=SYSTEM, raw=raw(_bundle(reductions=REDUCTIONS[:1], training=[]))).as_dict()
    assert summary["staff reductions"] == {"created": 0, "updated": 1}
    ada = Staff.objects.get(code="STF0001")
    assert list(Reduction.objects.filter(staff=ada).values_list("reason", flat=True)) == ["NQO"]
    assert not TrainingCompletion.objects.filter(staff=ada).exists()
    plain = make_bundle()  # no reductions or training keys at all
    bundle_import(actor=SYSTEM, raw=raw(plain))
    assert list(Reduction.objects.filter(staff=ada).values_list("reason", flat=True)) == ["NQO"]


@pytest.mark.parametrize(
    ("reductions", "training", "path", "words"),
    [
        ([{"reason": "GARDENING", "hours": 2, "start": "2025-01-01", "end": None}], [], "reductions[0]", "not one of"),
        ([{"reason": "GROUPS", "hours": None, "start": "2025-01-01", "end": None}], [], "reductions[0]", "enter the"),
        ([{"reason": "TRADE_UNION", "hours": 20, "start": "2025-01-01", "end": None}], [], "reductions[0]", "at most"),
        ([{"reason": "GROUPS", "hours": 2, "start": "2025-01-01", "end": "2024-01-01"}], [], "reductions[0]", "before"),
        ([{"reason": "GROUPS", "hours": 0, "start": "2025-01-01", "end": None}], [], "reductions[0].hours", ""),
        ([{"reason": "GROUPS", "start": "2025-01-01", "hour": 2}], [], "reductions[0].hour", "unknown key"),
        ([REDUCTIONS[0], REDUCTIONS[0]], [], "reductions[1]", "more than once"),
        ([], [{"course": "KNITTING", "completed_on": "2024-01-01"}], "training[0].course", "not one of"),
        ([], [{"course": "MAPPA", "completed_on": "2099-01-01"}], "training[0].completed_on", "future"),
        ([], [TRAINING[0], TRAINING[0]], "training[1]", "more than once"),
    ],
)
def test_bad_reductions_and_training_are_refused_with_their_path(reductions, training, path, words):
    bundle = _bundle(reductions, training)
    index = next(i for i, s in enumerate(bundle["staff"]) if s["code"] == "STF0001")
    with pytest.raises(ValidationError) as exc:
        bundle_import(actor=SYSTEM, raw=raw(bundle))
    found = [reason for p, reason in exc.value.problems if p == f"staff[{index}].{path}"]
    assert found, exc.value.problems
    assert any(words in reason for reason in found)
    assert not Reduction.objects.exists()
    assert not TrainingCompletion.objects.exists()

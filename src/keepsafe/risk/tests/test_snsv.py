"""SNSV against the published reference cases (snsv-examples.csv) and the rsr-calc historic case."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from keepsafe.risk.rules.predictors.snsv import DynamicItems, RsrOffenceCategory, SnsvInput, ViolenceSubtype, snsv

EXAMPLES = Path(__file__).with_name("data") / "snsv-examples.csv"
REFERENCE = Path(__file__).resolve().parents[5] / "shared" / "reference"
PAST_COLUMNS = {
    "murder": "homicide",
    "wounding": "wounding_gbh",
    "burglary": "aggravated_burglary",
    "arson": "arson",
    "endagerLife": "criminal_damage_endangering_life",
    "kidnapping": "kidnap",
    "firearmPossession": "firearm",
    "robbery": "robbery",
    "anyOtherOffence": "other_weapon",
}
GRADED_COLUMNS = {
    "accommodation": "accommodation",
    "relationship": "partner_relationship",
    "currentUseOfAlcohol": "alcohol_current_use",
    "bingeDrinking": "binge_drinking",
    "impulsivity": "impulsivity",
    "temper": "temper_control",
    "proCriminal": "pro_criminal_attitudes",
}


def rows() -> list[dict[str, str]]:
    with EXAMPLES.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def base(row: dict[str, str], dynamic: DynamicItems | None) -> SnsvInput:
    subtype = row["violent_offence_category"]
    return SnsvInput(
        sex=row["sex"],
        age_at_sentence=int(row["age_at_sentence"]),
        age_at_conviction=int(row["age_at_conviction"]),
        age_at_first_sanction=int(row["age_at_first_sanction"]),
        previous_sanctions=int(row["previous_sanctions"]),
        violent_sanctions=int(row["violent_sanctions"]),
        offence=list(RsrOffenceCategory)[int(row["rsr_offence_index"])],
        violence_subtype=ViolenceSubtype(int(subtype)) if subtype else None,
        offence_free_months=int(row["offence_free_months"]),
        dynamic=dynamic,
    )


def dynamic_items(row: dict[str, str]) -> DynamicItems:
    """OASys coding (predictors.md §2.1): yes/no items count when the answer is 0 (= yes)."""
    return DynamicItems(
        past=frozenset(name for column, name in PAST_COLUMNS.items() if row[column] == "0"),
        weapon_in_current_offence=row["useWeapon"] == "0",
        unemployed=row["employment"] == "0",
        domestic_abuse_perpetrator=row["domesticViolence"] == "0",
        graded={name: int(row[column]) for column, name in GRADED_COLUMNS.items()},
    )


@pytest.mark.skipif(not (REFERENCE / "snsv-examples.csv").exists(), reason="shared/ is not beside this checkout")
def test_packaged_reference_files_are_the_published_ones():
    for name, packaged in (
        ("snsv-examples.csv", EXAMPLES),
        ("predictor-coefficients.json", Path(__file__).parents[1] / "reference" / "predictor-coefficients.json"),
    ):
        assert packaged.read_text(encoding="utf-8") == (REFERENCE / name).read_text(encoding="utf-8"), name


@pytest.mark.parametrize("row", rows(), ids=lambda r: r["case"])
def test_static_reference_cases_to_1e_9(row):
    assert snsv(base(row, None)).snsv_2y == pytest.approx(float(row["expected_snsv_static_2yr"]), abs=1e-9)


@pytest.mark.parametrize("row", [r for r in rows() if r["expected_snsv_dynamic_2yr"]], ids=lambda r: r["case"])
def test_dynamic_reference_cases_to_1e_9(row):
    score = snsv(base(row, dynamic_items(row)))
    assert score.snsv_2y == pytest.approx(float(row["expected_snsv_dynamic_2yr"]), abs=1e-9)
    assert not score.static


def test_historic_case_003():
    """rsr-calc test/rsr_historic_cases.spec.js: male, 21 previous, theft, first sanction at 14 = conviction,
    sentenced at 24, assessed a month later, 6 violent sanctions, static → 0.0368537 / 0.0655510."""
    score = snsv(SnsvInput("M", 24, 14, 14, 21, 6, RsrOffenceCategory.THEFT_NOT_VEHICLE, offence_free_months=1))
    assert round(score.snsv_1y, 7) == 0.0368537
    assert round(score.snsv_2y, 7) == 0.0655510


def test_rsr_historic_case_003_is_medium():
    """rsr-calc historic case 003: RSR 3.69 % (1 yr) / 6.56 % (2 yr) → Medium (predictors.md §2.3)."""
    from keepsafe.risk.rules.predictors.rsr import rsr

    score = rsr(SnsvInput("M", 24, 14, 14, 21, 6, RsrOffenceCategory.THEFT_NOT_VEHICLE, offence_free_months=1))
    assert (score.percent_1y, score.percent_2y, score.band) == (3.69, 6.56, "MEDIUM")


def test_rsr_historic_cases_001_and_002():
    """Male, 48, absconding, first sanction, static → RSR 0.12 % / 0.22 % (predictors.md §2.3)."""
    from keepsafe.risk.rules.predictors.rsr import rsr

    score = rsr(SnsvInput("M", 48, 48, 48, 0, 0, RsrOffenceCategory.ABSCONDING_BAIL))
    assert (score.percent_1y, score.percent_2y, score.band) == (0.12, 0.22, "LOW")


def test_rsr_adds_the_sexual_parts():
    from keepsafe.risk.rules.predictors.osp import SexualHistory
    from keepsafe.risk.rules.predictors.rsr import band, rsr

    base = SnsvInput("M", 57, 56, 20, 4, 0, RsrOffenceCategory.SEXUAL_CHILD)
    history = SexualHistory(
        sex="M", age=57, total_sanctions=5, contact_child=1, indecent_images=1, age_at_last_sexual_offence=56
    )
    with_sexual = rsr(base, history)
    assert with_sexual.rsr_2y == pytest.approx(with_sexual.snsv_2y + 0.004422668592483823 + 0.02805, abs=1e-12)
    woman = rsr(
        SnsvInput("F", 40, 40, 30, 2, 0, RsrOffenceCategory.SEXUAL_NOT_CHILD),
        SexualHistory(sex="F", age=40, total_sanctions=3, contact_adult=1, age_at_last_sexual_offence=39),
    )
    assert woman.osp_c_2y == pytest.approx(1 / 193)
    assert woman.osp_i_2y == 0.0
    assert [band(p) for p in (0, 2.99, 3.0, 6.89, 6.9, 50)] == ["LOW", "LOW", "MEDIUM", "MEDIUM", "HIGH", "HIGH"]

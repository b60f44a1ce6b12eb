"""OSP, OGP and OVP against the worked examples of shared/reference/predictors.md §3–4."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from keepsafe.risk.rules.predictors import PredictorInputError
from keepsafe.risk.rules.predictors.ogp_ovp import OgpInput, OvpInput, ogp, ovp, ovp_violent_points
from keepsafe.risk.rules.predictors.osp import SexualHistory, osp_c, osp_c_points, osp_dc, osp_i, osp_iic


def test_osp_c_and_osp_i_swagger_example():
    """rsr-svc swagger /calculate/osp: male 57, one child contact and one IIOC sanction, 4 previous, last at 56."""
    h = SexualHistory(
        sex="M", age=57, total_sanctions=5, contact_child=1, indecent_images=1, age_at_last_sexual_offence=56
    )
    assert osp_c_points(h) == 11
    p1, p2 = osp_c(h)
    assert p1 == pytest.approx(0.0024298942966885814, abs=1e-12)
    assert p2 == pytest.approx(0.004422668592483823, abs=1e-12)
    assert osp_i(h) == (0.018237, 0.02805)


def test_osp_without_sexual_history_and_for_women():
    none = SexualHistory(sex="M", age=30, total_sanctions=3)
    assert osp_c(none) == (0.0, 0.0)
    assert osp_dc(none) is None
    woman = SexualHistory(sex="F", age=30, total_sanctions=3, contact_adult=1, age_at_last_sexual_offence=25)
    assert osp_c(woman) == (1 / 193, 1 / 193)
    assert osp_dc(woman) is None
    assert osp_iic(woman) is None


@pytest.mark.parametrize(("points", "percent"), [(22, 0.596), (30, 2.106), (36, 5.314)])
def test_osp_dc_probabilities(points, percent):
    import math

    assert round(100 / (1 + math.exp(-(-8.633 + 0.1598 * points))), 3) == percent


def test_osp_dc_points_bands_and_risk_reduction():
    h = SexualHistory(
        sex="M", age=30, total_sanctions=3, contact_adult=2, age_at_last_sexual_offence=25, stranger_victim=True
    )
    # 10 (2 adult contact) + 10 (age 30: 14 − 4) + 10 (last at 18+) + 6 (≥ 2 sanctions) + 4 (stranger) = 40
    score = osp_dc(h)
    assert score is not None
    assert (score.points, score.band, score.reduced) == (40, "VERY_HIGH", False)
    reduced = osp_dc(h, years_since_last_offence=6, years_since_last_sexual_offence=6, years_since_follow_up_start=5)
    assert reduced is not None
    assert (reduced.band, reduced.reduced) == ("HIGH", True)
    in_custody = osp_dc(
        h, in_custody=True, years_since_last_offence=6, years_since_last_sexual_offence=6, years_since_follow_up_start=6
    )
    assert in_custody is not None
    assert in_custody.band == "VERY_HIGH"


@pytest.mark.parametrize(
    ("images", "child", "expected"),
    [
        (2, 0, (0.10310, "HIGH")),
        (1, 0, (0.03328, "MEDIUM")),
        (0, 2, (0.00926, "LOW")),
        (0, 1, (0.00634, "LOW")),
    ],
)
def test_osp_iic_hierarchy(images, child, expected):
    h = SexualHistory(
        sex="M", age=40, total_sanctions=3, indecent_images=images, contact_child=child, age_at_last_sexual_offence=35
    )
    assert osp_iic(h) == expected


def test_ogp_arns_example():
    """ARNS OGPRiskProducerServiceTest: OGRS3 81 % → 49, unemployed, activities some, thinking 1+1+0, attitudes some."""
    score = ogp(
        OgpInput(
            ogrs3_2y_percent=81,
            unemployed=True,
            regular_activities_encourage_offending=1,
            problem_solving=1,
            awareness_of_consequences=1,
            pro_criminal_attitudes=1,
        )
    )
    assert (score.points, score.percent_1y, score.percent_2y, score.band) == (62, 53, 68, "HIGH")


def test_ovp_arns_examples():
    first = ovp(
        OvpInput(sex="M", age=63, total_sanctions=30, violent_sanctions=10, no_fixed_abode=True, unemployed=True)
    )
    assert (first.points, first.percent_1y, first.percent_2y, first.band) == (39, 15, 26, "LOW")
    second = ovp(
        OvpInput(
            sex="M",
            age=63,
            total_sanctions=1,
            violent_sanctions=0,
            no_fixed_abode=True,
            unemployed=True,
            does_not_recognise_impact=True,
        )
    )
    assert (second.points, second.percent_1y, second.percent_2y) == (22, 5, 9)


def test_ovp_violent_points_table():
    assert [ovp_violent_points(v) for v in (0, 1, 2, 3, 4, 5, 6, 17, 18, 40)] == [0, 4, 7, 9, 11, 12, 13, 24, 25, 25]


def test_points_predictors_reject_bad_inputs():
    with pytest.raises(PredictorInputError):
        ovp(OvpInput(sex="M", age=17, total_sanctions=1, violent_sanctions=0))
    with pytest.raises(PredictorInputError):
        ogp(OgpInput(ogrs3_2y_percent=50, drug_misuse=3))
    with pytest.raises(PredictorInputError):
        osp_c(SexualHistory(sex="M", age=30, total_sanctions=2, contact_adult=1))  # no age at last sexual offence


@given(st.integers(0, 100), st.integers(0, 100))
def test_ogp_never_falls_as_ogrs3_rises(low, high):
    low, high = min(low, high), max(low, high)
    assert ogp(OgpInput(ogrs3_2y_percent=low)).percent_2y <= ogp(OgpInput(ogrs3_2y_percent=high)).percent_2y


@given(st.integers(0, 30), st.integers(0, 30))
def test_ovp_never_falls_with_more_violent_sanctions(violent, more):
    base = ovp(OvpInput(sex="M", age=30, total_sanctions=60, violent_sanctions=violent))
    higher = ovp(OvpInput(sex="M", age=30, total_sanctions=60 + more, violent_sanctions=violent + more))
    assert higher.points >= base.points  # non-violent sanctions are unchanged; only violent ones were added

"""The v4.1.2 suite against ARNS's worked examples (predictors.md §5.2) and structural properties."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from keepsafe.risk.rules.predictors import PredictorInputError
from keepsafe.risk.rules.predictors.v4 import BANDS, Dynamic, Model, V4Input, actuarial_categories, band, csrp, score

# Male, born 1990-01-01, convicted at 34, first sanction at 18, S = 2, criminal damage, follow-up starts at 36,
# after the assessment, so offence-free months are 0 (ARNS AllReoffendingPredictorRiskProducerServiceTest).
PERSON = V4Input(
    sex="M",
    age=36,
    age_at_conviction=34,
    age_at_first_sanction=18,
    total_sanctions=2,
    violent_sanctions=0,
    offence="CRIMINAL_DAMAGE",
)


def test_arp_static_example():
    result = score(Model.ARP, PERSON)
    assert result.linear == pytest.approx(-1.8434139989, abs=1e-9)
    assert (result.percent, result.band, result.static) == (13.66, "LOW", True)


def test_arp_dynamic_example():
    dynamic = Dynamic(
        graded={"S3Q4": 1, "S6Q4": 1, "S7Q2": 1, "S9Q1": 1, "S9Q2": 1, "S11Q2": 1, "S12Q1": 1, "S4Q2": 2, "S8Q8": 1},
        flags=frozenset({"cannabis", "steroid"}),
    )
    result = score(Model.ARP, V4Input(**{**PERSON.__dict__, "dynamic": dynamic}))
    assert result.linear == pytest.approx(-1.1349442032, abs=1e-9)
    assert (result.percent, result.band, result.static) == (24.32, "LOW", False)


def test_there_are_twenty_four_actuarial_categories():
    assert len(actuarial_categories()) == 24


def test_csrp_adds_its_parts_and_the_female_constant():
    assert csrp(svrp_percent=2.5, dc_srp_percent=0.6, iic_srp_percent=0.28) == (3.38, "HIGH")
    assert csrp(svrp_percent=0.5, female_sexual_offender=True) == (0.88, "LOW")
    assert csrp(svrp_percent=7.0)[1] == "VERY_HIGH"


@pytest.mark.parametrize(
    ("model", "cuts"), [(Model.ARP, (50, 75, 90)), (Model.VRP, (30, 60, 80)), (Model.SVRP, (1, 3, 6.9))]
)
def test_bands_are_contiguous(model, cuts):
    names = ["LOW", "MEDIUM", "HIGH", "VERY_HIGH"]
    assert band(0, BANDS[model]) == "LOW"
    for name, cut in zip(names[1:], cuts, strict=True):
        assert band(cut, BANDS[model]) == name
        assert band(cut - 0.01, BANDS[model]) == names[names.index(name) - 1]


def test_bad_inputs_are_named():
    with pytest.raises(PredictorInputError) as caught:
        score(Model.VRP, V4Input(**{**PERSON.__dict__, "offence": "SHOPLIFTING"}))
    assert caught.value.field == "offence"
    with pytest.raises(PredictorInputError):
        score(Model.ARP, V4Input(**{**PERSON.__dict__, "dynamic": Dynamic(graded={"S4Q2": 3})}))


people = st.builds(
    lambda sex, conviction, career, s, violent, offence, months: V4Input(
        sex, conviction + 1, conviction, conviction - min(career, conviction - 10), s, min(violent, s), offence, months
    ),
    st.sampled_from(["M", "F"]),
    st.integers(18, 90),
    st.integers(0, 40),
    st.integers(1, 80),
    st.integers(0, 40),
    st.sampled_from(actuarial_categories()),
    st.integers(0, 60),
)


@given(people, st.sampled_from(list(Model)))
def test_every_model_gives_a_percentage_and_its_band(person, model):
    for dynamic in (None, Dynamic()):
        result = score(model, V4Input(**{**person.__dict__, "dynamic": dynamic}))
        assert 0 <= result.percent <= 100
        assert result.band == band(result.percent, BANDS[model])


@given(people)
def test_offence_free_months_beyond_three_years_change_nothing(person):
    at_cap = score(Model.SVRP, V4Input(**{**person.__dict__, "offence_free_months": 36}))
    beyond = score(Model.SVRP, V4Input(**{**person.__dict__, "offence_free_months": 60}))
    assert at_cap.linear == beyond.linear

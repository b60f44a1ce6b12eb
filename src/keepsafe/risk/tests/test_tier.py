"""Tiering against every worked example of shared/reference/tiering.md and every cell of the v3 table."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from keepsafe.risk.rules.tier import Reason, TierInputError
from keepsafe.risk.rules.tier.v2 import (
    COMPLEXITY_REGISTRATIONS,
    COMPLEXITY_WORDS,
    NEED_WEIGHTS,
    NEED_WORDS,
    TierV2Input,
    rsr_points,
    tier_v2,
)
from keepsafe.risk.rules.tier.v3 import TIERS, TierV3Input, reoffending_step, tier_v3

TODAY = date(2026, 11, 23)


# --- version 2 -----------------------------------------------------------------------------------------------
def test_v2_example_1_female_no_predictors_custody_no_assessment_is_d2():
    assert tier_v2(TierV2Input(female=True, mandate_for_change=True, valid_assessment=False)).tier == "D2"


def test_v2_example_2_mappa_level_2_is_a2():
    assert tier_v2(TierV2Input(mappa_level=2, valid_assessment=False)).tier == "A2"


def test_v2_example_3_thirty_one_points_is_b1():
    result = tier_v2(
        TierV2Input(
            rsr=23,
            mappa_level=1,
            rosh="HIGH",
            registrations=frozenset({"RCCO", "RCPR", "RCHD"}),
            valid_assessment=True,
            needs={a: "NO_NEED" for a in NEED_WEIGHTS},
            ogrs3_2y_percent=21,
        )
    )
    assert (result.protect_points, result.tier) == (31, "B1")
    assert any(r.detail == "only the higher of RSR and RoSH counts" and r.result == "-20" for r in result.reasons)


@pytest.mark.parametrize(("severity", "expected"), [("NO_NEED", "B1"), ("STANDARD", "B2"), ("SEVERE", "B3")])
def test_v2_example_4_needs_set_the_change_level(severity, expected):
    result = tier_v2(
        TierV2Input(rsr=23, valid_assessment=True, needs={a: severity for a in NEED_WEIGHTS}, ogrs3_2y_percent=21)
    )
    assert result.tier == expected


def test_v2_female_enforcement_lifts_nine_points_to_c():
    result = tier_v2(
        TierV2Input(female=True, mappa_level=1, registrations=frozenset({"RCPR", "RCHD"}), previous_enforcement=True)
    )
    assert (result.protect_points, result.protect) == (11, "C")


def test_v2_no_mandate_for_change_is_level_0_and_prc_marks_unsupervised():
    result = tier_v2(TierV2Input(mandate_for_change=False, registrations=frozenset({"PRC"})))
    assert result.tier == "D0S"


def test_v2_all_ten_complexity_registrations_score_twenty():
    assert tier_v2(TierV2Input(registrations=frozenset(COMPLEXITY_REGISTRATIONS))).protect_points == 20


def test_v2_iom_and_ogrs_points():
    result = tier_v2(TierV2Input(valid_assessment=True, ogrs3_2y_percent=59, registrations=frozenset({"IIOM"})))
    assert result.change_points == 5 + 2


@pytest.mark.parametrize(
    ("rsr", "points"), [(None, 0), (2.99, 0), (3.0, 10), (6.99, 10), (6.995, 10), (7.0, 20), (99.99, 20), (999.99, 0)]
)
def test_rsr_points_boundaries(rsr, points):
    assert rsr_points(rsr) == points


def test_v2_rejects_bad_inputs():
    with pytest.raises(TierInputError):
        tier_v2(TierV2Input(mappa_level=4))
    with pytest.raises(TierInputError):
        tier_v2(TierV2Input(valid_assessment=True, needs={"housing": "SEVERE"}))


# --- version 3 -----------------------------------------------------------------------------------------------
TABLE = {  # tiering.md, v3 reoffending step: CSRP row → tiers for ARP ≥90, ≥75, ≥50, ≥25, ≥15, ≥0
    6.9: "AABBBB",
    3.0: "ABCCCC",
    1.0: "BCDEEE",
    0.5: "CDEEFF",
    0.0: "DDEFFG",
}
ARP_VALUES = (90, 75, 50, 25, 15, 0)


@pytest.mark.parametrize(
    ("csrp", "arp", "expected"), [(c, a, row[j]) for c, row in TABLE.items() for j, a in enumerate(ARP_VALUES)]
)
def test_every_cell_of_the_v3_table(csrp, arp, expected):
    assert reoffending_step(arp, csrp) == expected
    # and just inside each cell's upper neighbour
    assert reoffending_step(arp + 0.0001 if arp < 90 else 100, csrp) in TIERS
    result = tier_v3(TierV3Input(today=TODAY, arp=arp, csrp=csrp, rosh="LOW"))
    assert result.tier == expected


@pytest.mark.parametrize(
    ("arp", "csrp", "registrations", "expected"),
    [
        (75, 1.0, frozenset(), "C"),
        (0, 0, frozenset(), "G"),
        (99, 10, frozenset(), "A"),
        (0, 0, frozenset({"RCPR"}), "F"),
    ],
)
def test_v3_worked_examples(arp, csrp, registrations, expected):
    assert (
        tier_v3(TierV3Input(today=TODAY, arp=arp, csrp=csrp, rosh="LOW", registrations=registrations)).tier == expected
    )


def test_v3_no_rosh_no_mappa_is_provisional():
    result = tier_v3(TierV3Input(today=TODAY, arp=75, csrp=0))
    assert (result.tier, result.provisional) == ("D", True)


def test_v3_arp_90_csrp_half_is_c_and_confirmed():
    result = tier_v3(TierV3Input(today=TODAY, arp=90, csrp=0.5, rosh="MEDIUM"))
    assert (result.tier, result.provisional) == ("C", False)


def test_v3_mappa_high_rosh_confirms_c_over_a_static_arp():
    result = tier_v3(TierV3Input(today=TODAY, arp=0, arp_static=True, csrp=0.5, mappa=True, rosh="HIGH"))
    assert (result.tier, result.provisional) == ("C", False)


def test_v3_both_static_is_provisional_unless_another_step_reaches_a():
    assert tier_v3(TierV3Input(today=TODAY, arp=80, arp_static=True, csrp=4, csrp_static=True, rosh="LOW")).provisional
    result = tier_v3(
        TierV3Input(today=TODAY, arp=80, arp_static=True, csrp=4, csrp_static=True, mappa=True, rosh="VERY_HIGH")
    )
    assert (result.tier, result.provisional) == ("A", False)


def test_v3_missing_and_not_supervised():
    assert tier_v3(TierV3Input(today=TODAY, has_active_event=False, arp=50, csrp=1)).tier == "NOT_SUPERVISED"
    assert tier_v3(TierV3Input(today=TODAY, arp=None, csrp=1)).tier == "MISSING"
    assert tier_v3(TierV3Input(today=TODAY, arp=50, csrp=None)).tier == "MISSING"


@pytest.mark.parametrize(
    ("band", "score", "reduction", "expected"),
    [
        ("VERY_HIGH", 5, False, "A"),
        ("HIGH", 5, False, "B"),
        ("LOW", 1, False, "E"),
        ("MEDIUM", 3.36, False, "C"),
        ("MEDIUM", 2.11, False, "D"),
        ("MEDIUM", 1.12, True, "C"),
        ("MEDIUM", 0.6, True, "D"),
    ],
)
def test_v3_sexual_reoffending_step(band, score, reduction, expected):
    result = tier_v3(
        TierV3Input(
            today=TODAY, arp=0, csrp=0, rosh="LOW", dc_srp_band=band, dc_srp_score=score, risk_reduction=reduction
        )
    )
    assert result.tier == expected


def test_v3_medium_sexual_score_below_the_scale_is_an_error():
    with pytest.raises(TierInputError):
        tier_v3(TierV3Input(today=TODAY, arp=0, csrp=0, rosh="LOW", dc_srp_band="MEDIUM", dc_srp_score=0.5))


@pytest.mark.parametrize(
    ("mappa", "rosh", "expected"),
    [
        (True, "VERY_HIGH", "A"),
        (True, "HIGH", "C"),
        (True, "MEDIUM", "D"),
        (True, "LOW", "E"),
        (False, "VERY_HIGH", "C"),
        (False, "HIGH", "D"),
        (False, "MEDIUM", "G"),
    ],
)
def test_v3_mappa_and_rosh_step(mappa, rosh, expected):
    assert tier_v3(TierV3Input(today=TODAY, arp=0, csrp=0, mappa=mappa, rosh=rosh)).tier == expected


@pytest.mark.parametrize(("days_ago", "expected"), [(100, "B"), (365, "B"), (1000, "D"), (1826, "D"), (2500, "E")])
def test_v3_lifer_step(days_ago, expected):
    result = tier_v3(
        TierV3Input(
            today=TODAY,
            arp=0,
            csrp=0,
            rosh="LOW",
            registrations=frozenset({"INLL"}),
            lifer_latest_release=TODAY - timedelta(days=days_ago),
        )
    )
    assert result.tier == expected


@pytest.mark.parametrize(
    ("codes", "history", "expected"),
    [
        ({"ADVP"}, False, "E"),
        ({"REG30"}, False, "E"),
        ({"SPO"}, False, "F"),
        (set(), True, "E"),
    ],
)
def test_v3_registration_steps(codes, history, expected):
    result = tier_v3(
        TierV3Input(today=TODAY, arp=0, csrp=0, rosh="LOW", registrations=frozenset(codes), ever_sexual_offence=history)
    )
    assert result.tier == expected


@given(st.floats(0, 100), st.floats(0, 100), st.floats(0, 10), st.floats(0, 10))
def test_v3_table_is_monotonic(arp, more_arp, csrp, more_csrp):
    """A higher predictor never gives a lower tier (A is highest)."""
    base = TIERS.index(reoffending_step(arp, csrp))
    assert TIERS.index(reoffending_step(min(100, arp + more_arp), csrp)) <= base
    assert TIERS.index(reoffending_step(arp, csrp + more_csrp)) <= base


@given(
    st.floats(0, 100),
    st.floats(0, 10),
    st.sampled_from([None, "LOW", "MEDIUM", "HIGH", "VERY_HIGH"]),
    st.booleans(),
    st.frozensets(st.sampled_from(["ADVP", "SPO", "RCPR", "INLL", "IIOM"])),
)
def test_v3_explains_every_tier(arp, csrp, rosh, mappa, registrations):
    result = tier_v3(TierV3Input(today=TODAY, arp=arp, csrp=csrp, rosh=rosh, mappa=mappa, registrations=registrations))
    assert result.tier in TIERS
    results = [r.result for r in result.reasons if r.step != "provisional"]
    assert result.tier in results or result.tier == "G"


# User try-out: tier reasons showed codes ("RoSH VERY_HIGH", "need thinking_behaviour: SEVERE"). Every coded value in
# a reason is in words (the RoSH levels as risk.rules.rosh.Level labels them); a flag keeps its code in brackets.
CODE = re.compile(r"\b(?:LOW|MEDIUM|HIGH|VERY_HIGH|NO_NEED|STANDARD|SEVERE)\b|\b[A-Za-z]+_[A-Za-z_]+\b")
BARE_FLAG = re.compile(r"(?<!\()\b(?:" + "|".join(COMPLEXITY_REGISTRATIONS) + r")\b(?!\))")


def _codes_in(reasons: tuple[Reason, ...]) -> list[str]:
    return [r.detail for r in reasons if CODE.search(r.detail) or BARE_FLAG.search(r.detail)]


def test_every_need_area_and_complexity_flag_has_words():
    assert set(NEED_WORDS) == set(NEED_WEIGHTS)
    assert set(COMPLEXITY_WORDS) == set(COMPLEXITY_REGISTRATIONS)


def test_v2_reasons_are_in_words():
    result = tier_v2(
        TierV2Input(
            rosh="VERY_HIGH",
            registrations=frozenset(COMPLEXITY_REGISTRATIONS),
            valid_assessment=True,
            needs={"thinking_behaviour": "SEVERE", "education_training_employment": "STANDARD", "drugs": "NO_NEED"},
        )
    )
    details = [r.detail for r in result.reasons]
    assert "RoSH very high" in details
    assert "need: thinking and behaviour, severe" in details
    assert "need: education, training and employment, standard" in details
    assert "complexity registration: mentally disordered offender (RMDO)" in details
    assert _codes_in(result.reasons) == []
    assert "RoSH none" in [r.detail for r in tier_v2(TierV2Input()).reasons]


@pytest.mark.parametrize(("level", "words"), [("LOW", "low"), ("MEDIUM", "medium"), ("HIGH", "high")])
def test_v2_every_rosh_level_in_words(level, words):
    assert f"RoSH {words}" in [r.detail for r in tier_v2(TierV2Input(rosh=level)).reasons]


def test_v3_reasons_are_in_words():
    result = tier_v3(
        TierV3Input(
            today=TODAY, arp=50, csrp=3, mappa=False, rosh="VERY_HIGH", dc_srp_band="VERY_HIGH", dc_srp_score=4.1
        )
    )
    details = [r.detail for r in result.reasons]
    assert "no MAPPA, RoSH very high" in details
    assert "direct-contact sexual predictor very high (4.1)" in details
    assert _codes_in(result.reasons) == []


@given(
    st.sampled_from([None, "LOW", "MEDIUM", "HIGH", "VERY_HIGH"]),
    st.sampled_from([None, "LOW", "MEDIUM", "HIGH", "VERY_HIGH"]),
    st.booleans(),
    st.frozensets(st.sampled_from([*COMPLEXITY_REGISTRATIONS, "ADVP", "SPO", "RCPR", "INLL", "IIOM", "PRC"])),
    st.dictionaries(st.sampled_from(sorted(NEED_WEIGHTS)), st.sampled_from(["NO_NEED", "STANDARD", "SEVERE"])),
)
def test_no_tier_reason_shows_a_code(rosh, band, mappa, registrations, needs):
    v2 = tier_v2(TierV2Input(rsr=5, rosh=rosh, registrations=registrations, valid_assessment=True, needs=needs))
    v3 = tier_v3(
        TierV3Input(
            today=TODAY,
            arp=50,
            csrp=3,
            mappa=mappa,
            rosh=rosh,
            dc_srp_band=band,
            dc_srp_score=4.0,
            registrations=registrations,
            lifer_latest_release=TODAY - timedelta(days=400),
        )
    )
    assert _codes_in(v2.reasons) == []
    assert _codes_in(v3.reasons) == []

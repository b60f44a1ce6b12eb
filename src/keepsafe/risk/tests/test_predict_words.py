"""Errors from `keepsafe predict` are in plain words: no Python names ("got None", "NoneType", "True"), and no input
crashes the command with a traceback (user try-out). Every predictor, every input, every kind of wrong JSON value."""

from __future__ import annotations

import dataclasses
import json
import re
from collections import Counter

import pytest

from keepsafe.risk.rules.offence_codes import load_table
from keepsafe.risk.rules.predictors import in_words
from keepsafe.risk.rules.predictors.io import PREDICTORS
from keepsafe.risk.rules.predictors.lines import predict_line
from keepsafe.risk.rules.predictors.ogp_ovp import OgpInput, OvpInput
from keepsafe.risk.rules.predictors.ogrs3 import OFFENCE_WORDS
from keepsafe.risk.rules.predictors.osp import SexualHistory
from keepsafe.risk.rules.predictors.snsv import RSR_OFFENCE_WORDS, VATP_WORDS, SnsvInput
from keepsafe.risk.rules.predictors.v4 import ACTUARIAL_WORDS, V4Input, actuarial_categories

PYTHON_WORDS = re.compile(
    r"\bNone\b|NoneType|subscriptable|invalid literal|\bint\(|\bfloat\(|Traceback|object has no attribute|"
    r"unexpected keyword|'(?:dict|list|str|int|float|bool)'|<class|not supported between|unhashable|\bTrue\b|\bFalse\b|"
    r"got -?inf\b|got nan\b"  # 1e400 and NaN, which json.loads reads (a try-out saw "got inf")
)
OGRS3 = {
    "sex": "M",
    "age": 40,
    "age_at_conviction": 30,
    "age_at_first_sanction": 15,
    "previous_sanctions": 2,
    "offence_category": "violence",
}
SNSV = {**OGRS3, "violent_sanctions": 1}
HISTORY = {"sex": "M", "age": 40, "total_sanctions": 3}
V4 = {"sex": "M", "age": 40, "age_at_conviction": 30, "age_at_first_sanction": 15, "total_sanctions": 3}
V4 |= {"violent_sanctions": 1, "offence_code": "00101"}
VALID = {
    "ogrs3": OGRS3,
    "snsv": SNSV,
    "rsr": {**SNSV, "sexual": {"contact_adult": 0}},
    "osp_c": HISTORY,
    "osp_i": HISTORY,
    "osp_dc": HISTORY,
    "osp_iic": HISTORY,
    "ogp": {"ogrs3_2y_percent": 40},
    "ovp": {**HISTORY, "violent_sanctions": 1},
    "arp": V4,
    "vrp": V4,
    "svrp": V4,
    "csrp": {"svrp_percent": 2.0},
}
FIELDS = {
    "ogrs3": {*OGRS3, "offence_code"},
    "snsv": {f.name for f in dataclasses.fields(SnsvInput)} | set(SNSV) | {"offence_code"},
    "rsr": {f.name for f in dataclasses.fields(SnsvInput)} | set(SNSV) | {"sexual", "offence_code"},
    "osp_c": {f.name for f in dataclasses.fields(SexualHistory)},
    "osp_i": {f.name for f in dataclasses.fields(SexualHistory)},
    "osp_dc": {f.name for f in dataclasses.fields(SexualHistory)} | {"in_custody", "years_since_last_offence"},
    "osp_iic": {f.name for f in dataclasses.fields(SexualHistory)},
    "ogp": {f.name for f in dataclasses.fields(OgpInput)},
    "ovp": {f.name for f in dataclasses.fields(OvpInput)},
    "arp": {f.name for f in dataclasses.fields(V4Input)} | {"offence_code"},
    "vrp": {f.name for f in dataclasses.fields(V4Input)} | {"offence_code"},
    "svrp": {f.name for f in dataclasses.fields(V4Input)} | {"offence_code"},
    "csrp": {"svrp_percent", "dc_srp_percent", "iic_srp_percent", "female_sexual_offender"},
}
V4_NAMES = ("arp", "vrp", "svrp")
SEXED = sorted(name for name in VALID if "sex" in FIELDS[name])
WRONG = [None, True, False, "x", "", "30", [1], {"a": 1}, 1.5, -1, 10**30, float("inf"), float("nan")]


@pytest.mark.parametrize("name", sorted(PREDICTORS))
def test_every_wrong_value_of_every_input_is_refused_in_plain_words(name):
    assert set(FIELDS) == set(PREDICTORS)
    ok, failed = predict_line(PREDICTORS[name], 1, json.dumps(VALID[name]))
    assert not failed, ok
    for field in sorted(FIELDS[name] | {"dynamic"} - ({"dynamic"} if name in ("ogrs3", "csrp") else set())):
        for value in WRONG:
            text, failed = predict_line(PREDICTORS[name], 1, json.dumps({**VALID[name], field: value}))
            out = json.loads(text)
            if failed:
                assert set(out) == {"id", "line", "field", "error"}, out
                assert not PYTHON_WORDS.search(out["error"]), (field, value, out)


COUNTS = [
    (name, field)
    for name in ("snsv", "rsr", "arp", "vrp", "svrp")
    for field in ("previous_sanctions", "total_sanctions", "violent_sanctions", "offence_free_months")
    if field in FIELDS[name]
]


@pytest.mark.parametrize(("name", "field"), COUNTS)
def test_a_count_no_real_record_has_is_refused_not_scored(name, field):
    """Two billion sanctions scored 0 % after the overflow was caught: a number no record holds is a data error, and
    the error says so rather than giving a probability."""
    line = {**VALID[name], field: 2_000_000_000}
    text, failed = predict_line(PREDICTORS[name], 1, json.dumps(line))
    out = json.loads(text)
    assert failed, out
    assert "2,000,000,000" in out["error"], out
    assert "check the input" in out["error"], out
    plausible = {**VALID[name], field: 1000, "total_sanctions": 1000, "previous_sanctions": 1000}
    plausible = {k: v for k, v in plausible.items() if k in FIELDS[name]}
    assert not predict_line(PREDICTORS[name], 1, json.dumps(plausible))[1]


@pytest.mark.parametrize("name", ["snsv", "rsr", "arp", "vrp", "svrp"])
@pytest.mark.parametrize(
    ("field", "value", "error"),
    [
        ("age", 200, "must be between 10 and 120, got 200"),
        ("age", 5, "must be between 10 and 120, got 5"),
        ("age_at_conviction", 121, "must be between 10 and 120, got 121"),
        ("age", 1e21, "got 1e+21"),
    ],
)
def test_an_age_out_of_range_is_named_with_its_value(name, field, value, error):
    """A try-out (3 December): SNSV and ARP reported a bad `age` as "age_at_conviction: ages must be between 10 and
    120", naming neither the field at fault nor its value. Each is reported as OGRS3 reports it."""
    line = {**VALID[name], field: value}
    out = json.loads(predict_line(PREDICTORS[name], 1, json.dumps(line))[0])
    assert out["field"] == field, out
    assert out["error"].endswith(error), out


CATEGORICAL = [
    ("ogrs3", "offence_category", "burglary_x", "an OGRS3 offence category", OFFENCE_WORDS),
    ("snsv", "offence_category", "burglary_x", "an RSR offence category", RSR_OFFENCE_WORDS),
    ("rsr", "offence_category", "VIOLENCE", "an RSR offence category", RSR_OFFENCE_WORDS),
    ("snsv", "violence_subtype", "gun", "a violence subtype", {k.name: w for k, w in VATP_WORDS.items()}),
    *((name, "offence", "BURGLARY_X", "an actuarial offence category", ACTUARIAL_WORDS) for name in V4_NAMES),
    *((name, "sex", "X", "a sex code", {"M": "male", "F": "female"}) for name in SEXED),
]


@pytest.mark.parametrize(("name", "field", "value", "what", "words"), CATEGORICAL)
def test_an_unknown_category_is_refused_listing_every_code_in_words(name, field, value, what, words):
    """A try-out: an unknown offence category's error did not say which there are. It lists every code, with its
    words where they say more than the code: `fraud_forgery (Fraud and forgery)`, but `robbery`, not `robbery
    (Robbery)`."""
    line = {**VALID[name], field: value}
    if field == "violence_subtype":
        line["offence_category"] = "violence"
    if field == "offence":
        line.pop("offence_code")
    out = json.loads(predict_line(PREDICTORS[name], 1, json.dumps(line))[0])
    assert out["field"] == field, out
    head, listing = out["error"].split("; use one of: ")
    assert head == f"{value!r} is not {what}"
    assert listing == in_words(words)
    assert len(listing.split(", ")) >= len(words)  # every code (words may hold commas of their own: none do)
    for code, said in words.items():
        assert code in listing
        plain = "".join(c for c in said.casefold() if c.isalnum()) == "".join(c for c in code.casefold() if c.isalnum())
        assert (f"{code} ({said})" in listing) is not plain, (code, said)


def test_the_actuarial_categories_are_in_the_words_of_the_oasys_table():
    """Each ARP/VRP/SVRP offence category's words are the OASys table's VATP label for most of its codes."""
    labels: dict[str, Counter[str]] = {}
    for row in load_table().values():
        if row["v4_actuarial_category"] not in ("", "UNKNOWN") and row["rsr_vatp_category"]:
            labels.setdefault(row["v4_actuarial_category"], Counter())[row["rsr_vatp_category"]] += 1
    assert set(ACTUARIAL_WORDS) == set(actuarial_categories()) == set(labels)
    assert {code: counts.most_common(1)[0][0] for code, counts in labels.items()} == ACTUARIAL_WORDS

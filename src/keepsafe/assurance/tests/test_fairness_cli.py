"""`keepsafe fairness FILE.csv`: a COMPAS-shaped file worked by hand, the filter language, and every kind of bad
input (one line naming file, line and column; exit 2)."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from keepsafe.assurance.rules.table_filter import OPERATORS, FilterSyntaxError, parse_filter

HEADER = "id,decile_score,two_year_recid,race,days_b_screening_arrest,c_charge_degree"
# Kept by ProPublica's selection (−30 ≤ days ≤ 30, charge degree not O), worked by hand at threshold 5:
# African-American (10): high 5/0 FP, 6/1 TP, 7/1 TP, 8/0 FP, 9/1 TP, 10/1 TP; low 1/0 TN, 2/0 TN, 3/1 FN, 4/0 TN.
# Caucasian (5): high 6/0 FP, 7/1 TP; low 1/0 TN, 2/1 FN, 4/0 TN.
KEPT = [
    "1,1,0,African-American,0,F",
    "2,2,0,African-American,-1,M",
    "3,3,1,African-American,30,F",
    "4,4,0,African-American,2,F",
    "5,5,0,African-American,0,M",
    "6,6,1,African-American,-5,F",
    "7,7,1,African-American,0,F",
    "8,8,0,African-American,1,M",
    "9,9,1,African-American,0,F",
    "10,10,1,African-American,-2,F",
    "11,1,0,Caucasian,-30,F",
    "12,2,1,Caucasian,0,M",
    "13,4,0,Caucasian,3,F",
    "14,6,0,Caucasian,0,F",
    "15,7,1,Caucasian,-1,M",
]
# Each left out by exactly one filter; kept, every figure below would change.
LEFT_OUT = [
    "16,10,0,African-American,31,F",  # days > 30
    "17,9,0,Caucasian,-31,F",  # days < −30
    "18,8,0,Caucasian,0,O",  # ordinance offence
    "19,1,1,African-American,,F",  # no days: "" ≥ "-30" is false as text
]
PROPUBLICA = ["days_b_screening_arrest<=30", "days_b_screening_arrest>=-30", "c_charge_degree!=O"]


def write(tmp_path: Path, lines: list[str], name: str = "compas.csv") -> Path:
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def run(path: Path | str, *extra: str, score="decile_score", outcome="two_year_recid", group="race") -> dict:
    out = io.StringIO()
    args = [str(path), "--score", score, "--outcome", outcome, "--group", group, "--json", *extra]
    call_command("fairness", *args, stdout=out)
    return json.loads(out.getvalue())


def refused(path: Path | str, *extra: str, **columns: str) -> str:
    with pytest.raises(CommandError) as caught:
        run(path, *extra, **columns)
    assert caught.value.returncode == 2
    message = str(caught.value)
    assert "\n" not in message
    return message


def test_compas_shaped_file_with_propublica_filters(tmp_path):
    path = write(tmp_path, [HEADER, *KEPT, *LEFT_OUT])
    data = run(path, *[arg for f in PROPUBLICA for arg in ("--filter", f)])
    assert (data["rows_read"], data["rows_kept"], data["threshold"]) == (19, 15, 5)
    assert data["filters"] == PROPUBLICA

    aa = data["groups"]["African-American"]
    assert {k: aa[k] for k in ("n", "small", "tp", "fp", "tn", "fn")} == {
        "n": 10, "small": False, "tp": 4, "fp": 2, "tn": 3, "fn": 1,
    }  # fmt: skip
    assert (aa["fpr"], aa["fnr"], aa["ppv"]) == (2 / 5, 1 / 5, 4 / 6)
    # positives 3 6 7 9 10 against negatives 1 2 4 5 8: 2 + 4 + 4 + 5 + 5 = 20 of 25
    assert aa["auc"] == pytest.approx(0.8)
    assert aa["calibration"] == {str(s): {"n": 1, "observed_rate": float(s in (3, 6, 7, 9, 10))} for s in range(1, 11)}
    low, high = aa["auc_ci"]
    assert 0 <= low < 0.8 < high <= 1

    wh = data["groups"]["Caucasian"]
    assert {k: wh[k] for k in ("n", "small", "tp", "fp", "tn", "fn")} == {
        "n": 5, "small": True, "tp": 1, "fp": 1, "tn": 2, "fn": 1,
    }  # fmt: skip
    assert (wh["fpr"], wh["fnr"], wh["ppv"]) == (1 / 3, 1 / 2, 1 / 2)
    # positives 2 7 against negatives 1 4 6: 1 + 3 = 4 of 6
    assert wh["auc"] == pytest.approx(4 / 6)

    overall = data["overall"]
    assert {k: overall[k] for k in ("n", "small", "tp", "fp", "tn", "fn")} == {
        "n": 15, "small": False, "tp": 5, "fp": 3, "tn": 5, "fn": 2,
    }  # fmt: skip
    assert (overall["fpr"], overall["fnr"], overall["ppv"]) == (3 / 8, 2 / 7, 5 / 8)
    # positives 2 3 6 7 7 9 10; negatives 1 1 2 4 4 5 6 8. Below (+½ tie): 2.5, 3, 6.5, 7, 7, 8, 8 → 42 of 56
    assert overall["auc"] == pytest.approx(0.75)
    assert overall["calibration"]["7"] == {"n": 2, "observed_rate": 1.0}
    assert overall["calibration"]["4"] == {"n": 2, "observed_rate": 0.0}
    assert set(data["groups"]) == {"African-American", "Caucasian"}


def test_undefined_rates_are_null_in_the_json(tmp_path):
    path = write(tmp_path, ["s,y,g", "1,0,a", "7,0,a"])
    data = run(path, score="s", outcome="y", group="g")
    a = data["groups"]["a"]
    assert (a["fnr"], a["auc"], a["auc_ci"]) == (None, None, None)
    assert (a["fpr"], a["ppv"]) == (0.5, 0.0)


def test_threshold_option(tmp_path):
    path = write(tmp_path, [HEADER, *KEPT])
    data = run(path, "--threshold", "8")
    # ≥ 8: 8/0 FP, 9/1 TP, 10/1 TP; every other row low.
    assert {k: data["overall"][k] for k in ("tp", "fp", "tn", "fn")} == {"tp": 2, "fp": 1, "tn": 7, "fn": 5}


# ---- the filter language ----

ROWS = ["v,s,y,g", "9,1,0,a", "10,2,1,a", "abc,3,0,a", ",4,1,a"]
# For each operator, the values of v kept when compared with 9 (numbers compare as numbers: 10 > 9; text as text:
# "abc" > "9" and "" < "9").
KEPT_BY_OPERATOR = {
    "==": {"9"},
    "!=": {"10", "abc", ""},
    "<": {""},
    "<=": {"9", ""},
    ">": {"10", "abc"},
    ">=": {"9", "10", "abc"},
}


def kept_values(tmp_path: Path, *filters: str) -> set[str]:
    path = write(tmp_path, ROWS, "filter.csv")
    by_score = {"1": "9", "2": "10", "3": "abc", "4": ""}
    args = [arg for f in filters for arg in ("--filter", f)]
    data = run(path, *args, score="s", outcome="y", group="g")
    return {by_score[s] for s in data["overall"]["calibration"]}


def test_every_operator_is_covered():
    assert set(KEPT_BY_OPERATOR) == set(OPERATORS)


@pytest.mark.parametrize("op", sorted(OPERATORS))
def test_each_operator_numeric_and_text(tmp_path, op):
    assert kept_values(tmp_path, f"v{op}9") == KEPT_BY_OPERATOR[op]


def test_spaces_around_the_operator_and_combined_filters(tmp_path):
    assert kept_values(tmp_path, " v >= 9 ", "v!=abc") == {"9", "10"}


def test_text_comparison(tmp_path):
    assert kept_values(tmp_path, "v==abc") == {"abc"}
    assert kept_values(tmp_path, "v!=") == {"9", "10", "abc"}  # drop blank cells


def test_numbers_compare_as_numbers_whatever_their_spelling():
    row = {"x": "30.0"}
    assert parse_filter("x==30").keeps(row)
    assert parse_filter("x<=3e1").keeps(row)
    assert not parse_filter("x<30").keeps(row)


@pytest.mark.parametrize("text", ["v=9", "v", "==9", "v===9", "v<>9", "v=<9", "v!9", " <= 9", "v>=<9"])
def test_malformed_filters(tmp_path, text):
    with pytest.raises(FilterSyntaxError):
        parse_filter(text)
    message = refused(write(tmp_path, ROWS), "--filter", text, score="s", outcome="y", group="g")
    assert str(tmp_path) in message
    assert repr(text) in message


# ---- bad input ----


def test_missing_file(tmp_path):
    message = refused(tmp_path / "nope.csv")
    assert message == f"{tmp_path / 'nope.csv'}: no such file"


@pytest.mark.parametrize(
    ("option", "columns", "extra"),
    [
        ("--score", {"score": "decile"}, []),
        ("--outcome", {"outcome": "recid"}, []),
        ("--group", {"group": "ethnicity"}, []),
        ("--filter", {}, ["--filter", "days<=30"]),
    ],
)
def test_missing_column(tmp_path, option, columns, extra):
    path = write(tmp_path, [HEADER, *KEPT])
    message = refused(path, *extra, **columns)
    missing = next(iter(columns.values()), "days")
    assert message.startswith(f"{path}: line 1: no column {missing!r}")
    assert option in message


def test_non_numeric_score_names_line_and_column(tmp_path):
    path = write(tmp_path, [HEADER, *KEPT[:3], "99,high,0,Caucasian,0,F"])
    assert refused(path) == f"{path}: line 5: column 'decile_score': score 'high' is not a finite number"


@pytest.mark.parametrize("score", ["", "nan", "inf"])
def test_missing_or_infinite_score(tmp_path, score):
    path = write(tmp_path, [HEADER, f"1,{score},0,Caucasian,0,F"])
    assert "line 2: column 'decile_score'" in refused(path)


@pytest.mark.parametrize("outcome", ["2", "-1", "yes", "", "0.5"])
def test_outcome_not_zero_or_one(tmp_path, outcome):
    path = write(tmp_path, [HEADER, KEPT[0], f"2,3,{outcome},Caucasian,0,F"])
    assert refused(path) == f"{path}: line 3: column 'two_year_recid': outcome {outcome!r} is not 0 or 1"


def test_outcome_may_be_written_as_a_decimal(tmp_path):
    path = write(tmp_path, [HEADER, "1,3,1.0,Caucasian,0,F", "2,3,0.0,Caucasian,0,F"])
    assert run(path)["overall"]["fn"] == 1


def test_bad_rows_left_out_by_a_filter_are_not_checked(tmp_path):
    path = write(tmp_path, [HEADER, KEPT[0], "2,high,x,Caucasian,0,O"])
    assert run(path, "--filter", "c_charge_degree!=O")["overall"]["n"] == 1


def test_nothing_left_after_filters(tmp_path):
    path = write(tmp_path, [HEADER, *KEPT])
    message = refused(path, "--filter", "race==Martian")
    assert message == f"{path}: no rows left to measure after filters 'race==Martian'"


def test_no_data_rows(tmp_path):
    path = write(tmp_path, [HEADER])
    assert refused(path) == f"{path}: no rows left to measure (the file has no data rows)"


def test_empty_file(tmp_path):
    path = tmp_path / "empty.csv"
    path.write_text("", encoding="utf-8")
    assert refused(path) == f"{path}: line 1: the file is empty (no header row)"


@pytest.mark.parametrize("row", ["1,3,0,Caucasian,0", "1,3,0,Caucasian,0,F,extra"])
def test_ragged_row(tmp_path, row):
    path = write(tmp_path, [HEADER, KEPT[0], row])
    assert refused(path).startswith(f"{path}: line 3: 6 columns expected")


def test_duplicated_column(tmp_path):
    path = write(tmp_path, ["s,y,g,s", "1,0,a,2"])
    assert refused(path, score="s", outcome="y", group="g") == f"{path}: line 1: column 's' appears more than once"


def test_not_utf8(tmp_path):
    path = tmp_path / "latin1.csv"
    path.write_bytes(b"s,y,g\n1,0,caf\xe9\n")
    assert refused(path, score="s", outcome="y", group="g").startswith(f"{path}: not UTF-8 text")


@pytest.mark.parametrize("threshold", ["high", "nan"])
def test_bad_threshold(tmp_path, threshold):
    path = write(tmp_path, [HEADER, *KEPT])
    assert refused(path, "--threshold", threshold) == f"--threshold {threshold!r} is not a finite number"


def test_exit_status_and_one_line_error_from_the_installed_command(tmp_path):
    path = write(tmp_path, [HEADER, *KEPT])
    keepsafe = str(Path(sys.executable).with_name("keepsafe"))
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "keepsafe.config.settings.local"}
    args = [keepsafe, "fairness", str(path), "--score", "decile_score", "--outcome", "two_year_recid"]
    done = subprocess.run(
        [*args, "--group", "ethnicity", "--json"], capture_output=True, text=True, env=env, check=False, timeout=180
    )
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.strip().splitlines() == [
        f"keepsafe fairness: {path}: line 1: no column 'ethnicity' (named by --group)"
    ]


def test_byte_order_mark_is_not_part_of_the_first_column(tmp_path):
    path = tmp_path / "bom.csv"
    path.write_text("s,y,g\n1,0,a\n", encoding="utf-8-sig")
    assert run(path, score="s", outcome="y", group="g")["overall"]["n"] == 1


def test_every_output_field_is_defined_in_the_docs(tmp_path):
    docs = (Path(__file__).resolve().parents[4] / "docs" / "assurance.md").read_text(encoding="utf-8")
    data = run(write(tmp_path, [HEADER, *KEPT]))
    for key in [*data, *data["overall"]]:
        assert f"`{key}`" in docs, key


def test_a_directory_is_not_a_file(tmp_path):
    assert refused(tmp_path) == f"{tmp_path}: not a file"


def test_table_without_json(tmp_path):
    path = write(tmp_path, [HEADER, *KEPT, "20,3,0,Martian,0,F"])
    out = io.StringIO()
    call_command(
        "fairness", str(path), "--score", "decile_score", "--outcome", "two_year_recid", "--group", "race", stdout=out
    )
    lines = out.getvalue().splitlines()
    assert lines[0] == f"{path}: 16 of 16 rows; high risk = decile_score ≥ 5; outcome two_year_recid; groups by race"
    rows = {line.split()[0]: line.split()[1:] for line in lines[2:]}
    # Martian: one person, score 3, no outcome → TN 1; FPR 0/1; FNR, PPV and AUC undefined (—); small.
    assert rows["Martian"] == ["1", "0", "0", "1", "0", "0.000", "—", "—", "—", "small", "(<", "10)"]
    assert rows["African-American"] == ["10", "4", "2", "3", "1", "0.400", "0.200", "0.667", "0.800"]

"""`keepsafe predict ogrs3` on the published reference cases, as analysts use it."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from keepsafe.cli.tests.commands import run_keepsafe
from keepsafe.people.rules.vocabulary import OffenceCategory

EXAMPLES = Path(__file__).resolve().parents[2] / "risk" / "tests" / "data" / "ogrs3-examples.csv"


def predict(name: str, lines: list[str]) -> subprocess.CompletedProcess[str]:
    return run_keepsafe(["predict", name], lines, timeout=120)


def test_every_reference_case_through_the_command():
    with EXAMPLES.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    categories = list(OffenceCategory)
    lines = [
        json.dumps(
            {
                "id": r["case"],
                "sex": r["sex"],
                "age": int(r["age_at_assessment"]),
                "age_at_conviction": int(r["age_at_conviction"]),
                "age_at_first_sanction": int(r["age_at_first_sanction"]),
                "previous_sanctions": int(r["previous_sanctions"]),
                "offence_category": categories[int(r["ogrs3_offence_index"])].value,
            }
        )
        for r in rows
    ]
    done = predict("ogrs3", lines)
    assert done.returncode == 0, done.stderr
    outputs = [json.loads(line) for line in done.stdout.splitlines()]
    assert [o["id"] for o in outputs] == [r["case"] for r in rows]
    for row, out in zip(rows, outputs, strict=True):
        assert out["ogrs3_1y"] == pytest.approx(float(row["expected_1yr"]), abs=1e-9)
        assert out["ogrs3_2y"] == pytest.approx(float(row["expected_2yr"]), abs=1e-9)
        assert out["band"] in {"LOW", "MEDIUM", "HIGH", "VERY_HIGH"}


def test_bad_lines_are_reported_per_line_and_good_ones_still_scored():
    good = {
        "id": "ok",
        "sex": "F",
        "age": 43,
        "age_at_conviction": 37,
        "age_at_first_sanction": 14,
        "previous_sanctions": 5,
        "offence_category": "criminal_damage",
    }
    done = predict(
        "ogrs3",
        [
            json.dumps(good),
            json.dumps({**good, "id": "bad", "offence_category": "shoplifting"}),
            json.dumps({**good, "id": "nocode", "offence_category": None} | {"offence_code": "00000"}),
            "{not json",
        ],
    )
    assert done.returncode == 1
    out = [json.loads(line) for line in done.stdout.splitlines()]
    assert round(out[0]["ogrs3_2y"], 5) == 0.29572
    assert (out[1]["id"], out[1]["field"]) == ("bad", "offence_category")
    assert out[2]["field"] == "offence_category"
    assert out[3]["line"] == 4


def test_an_impossible_sanction_count_or_number_is_an_error_not_a_score():
    """A try-out (3 December): `keepsafe predict ogrs3` scored 1,001 to 10**23 previous sanctions "VERY_HIGH" 82 %,
    and said "got inf" and "got nan" of 1e400 and NaN. Each is now an error record naming the field and the value."""
    person = (
        '"sex": "M", "age": 30, "age_at_conviction": 30, "age_at_first_sanction": 15, "offence_category": "violence"'
    )
    values = ["1000", "1001", "2000000000", "1234567890123456789", "99999999999999999999999", "1e400", "NaN"]
    done = predict("ogrs3", [f'{{"id": "{v}", {person}, "previous_sanctions": {v}}}' for v in values])
    assert done.returncode == 1
    assert "6 lines could not be scored" in done.stderr
    out = {o["id"]: o for o in map(json.loads, done.stdout.splitlines())}
    assert out["1000"]["band"] == "VERY_HIGH"
    for value in values[1:5]:
        assert out[value]["field"] == "previous_sanctions"
        assert out[value]["error"] == f"{int(value):,} is more than 1,000 sanctions: check the input"
    assert out["1e400"]["error"] == "must be a whole number, got a number too large to use"
    assert out["NaN"]["error"] == "must be a whole number, got NaN (not a number)"


@pytest.mark.parametrize("name", ["ogrs3", "snsv", "ovp"])
def test_every_error_record_has_the_same_keys(name):
    """A user try-out: an invalid JSON line's error lacked `field`; docs/risk.md promises {id, line, field, error}."""
    done = predict(name, ["{not json", "[1, 2]", json.dumps({"id": "x", "sex": "M"})])
    assert done.returncode == 1
    out = [json.loads(line) for line in done.stdout.splitlines()]
    assert [set(o) for o in out] == [{"id", "line", "field", "error"}] * 3
    assert out[0] == {
        "id": None,
        "line": 1,
        "field": "(line)",
        "error": 'not valid JSON at column 2: a key in double quotes was expected here (keys need "double quotes", '
        "and no comma may come before })",
    }
    assert (out[1]["id"], out[1]["field"]) == (None, "(line)")


def test_snsv_reference_cases_through_the_command():
    from keepsafe.risk.rules.predictors.snsv import RsrOffenceCategory, ViolenceSubtype

    path = EXAMPLES.with_name("snsv-examples.csv")
    with path.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    categories = list(RsrOffenceCategory)
    lines = []
    for r in rows:
        line = {
            "id": r["case"],
            "sex": r["sex"],
            "age": int(r["age_at_sentence"]),
            "age_at_conviction": int(r["age_at_conviction"]),
            "age_at_first_sanction": int(r["age_at_first_sanction"]),
            "previous_sanctions": int(r["previous_sanctions"]),
            "violent_sanctions": int(r["violent_sanctions"]),
            "offence_category": categories[int(r["rsr_offence_index"])].value,
            "offence_free_months": int(r["offence_free_months"]),
        }
        if r["violent_offence_category"]:
            line["violence_subtype"] = ViolenceSubtype(int(r["violent_offence_category"])).name
        lines.append(json.dumps(line))
    done = predict("snsv", lines)
    assert done.returncode == 0, done.stderr
    outputs = [json.loads(line) for line in done.stdout.splitlines()]
    for row, out in zip(rows, outputs, strict=True):
        assert out["id"] == row["case"]
        assert out["static"] is True
        assert out["snsv_2y"] == pytest.approx(float(row["expected_snsv_static_2yr"]), abs=1e-9)


@pytest.mark.parametrize(
    ("name", "line", "expected"),
    [
        (
            "ogp",
            {
                "ogrs3_2y_percent": 81,
                "unemployed": True,
                "regular_activities_encourage_offending": 1,
                "problem_solving": 1,
                "awareness_of_consequences": 1,
                "pro_criminal_attitudes": 1,
            },
            {"points": 62, "percent_1y": 53, "percent_2y": 68, "band": "HIGH"},
        ),
        (
            "ovp",
            {
                "sex": "M",
                "age": 63,
                "total_sanctions": 30,
                "violent_sanctions": 10,
                "no_fixed_abode": True,
                "unemployed": True,
            },
            {"points": 39, "percent_1y": 15, "percent_2y": 26, "band": "LOW"},
        ),
        (
            "osp_i",
            {
                "sex": "M",
                "age": 57,
                "total_sanctions": 5,
                "contact_child": 1,
                "indecent_images": 1,
                "age_at_last_sexual_offence": 56,
            },
            {"osp_i_1y": 0.018237, "osp_i_2y": 0.02805},
        ),
        (
            "osp_iic",
            {
                "sex": "M",
                "age": 57,
                "total_sanctions": 5,
                "contact_child": 1,
                "indecent_images": 1,
                "age_at_last_sexual_offence": 56,
            },
            {"applicable": True, "osp_iic": 0.03328, "band": "MEDIUM"},
        ),
        ("osp_dc", {"sex": "F", "age": 30, "total_sanctions": 1}, {"applicable": False}),
    ],
)
def test_points_predictors_through_the_command(name, line, expected):
    done = predict(name, [json.dumps({"id": name, **line})])
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert out["id"] == name
    assert {k: out[k] for k in expected} == expected


def test_wrong_types_are_named():
    done = predict(
        "ovp", [json.dumps({"id": "x", "sex": "M", "age": 40, "total_sanctions": "3", "violent_sanctions": 1})]
    )
    assert done.returncode == 1
    assert json.loads(done.stdout)["field"] == "total_sanctions"


def test_arp_examples_through_the_command():
    person = {
        "sex": "M",
        "age": 36,
        "age_at_conviction": 34,
        "age_at_first_sanction": 18,
        "total_sanctions": 2,
        "violent_sanctions": 0,
        "offence": "CRIMINAL_DAMAGE",
    }
    dynamic = {
        "S3Q4": 1,
        "S6Q4": 1,
        "S7Q2": 1,
        "S9Q1": 1,
        "S9Q2": 1,
        "S11Q2": 1,
        "S12Q1": 1,
        "S4Q2": 2,
        "S8Q8": 1,
        "flags": ["cannabis", "steroid"],
    }
    done = predict(
        "arp",
        [
            json.dumps({"id": "s", **person}),
            json.dumps({"id": "d", **person, "dynamic": dynamic}),
            json.dumps({"id": "x", **person, "dynamic": {"S99": 1}}),
        ],
    )
    out = [json.loads(line) for line in done.stdout.splitlines()]
    assert (out[0]["arp_percent"], out[0]["static"]) == (13.66, True)
    assert (out[1]["arp_percent"], out[1]["static"]) == (24.32, False)
    assert out[2]["field"] == "dynamic.S99"
    assert done.returncode == 1


def test_rsr_historic_case_through_the_command():
    line = {
        "id": "h3",
        "sex": "M",
        "age": 24,
        "age_at_conviction": 14,
        "age_at_first_sanction": 14,
        "previous_sanctions": 21,
        "violent_sanctions": 6,
        "offence_category": "theft_not_vehicle",
        "offence_free_months": 1,
    }
    done = predict("rsr", [json.dumps(line), json.dumps({**line, "id": "bad", "sexual": {"contact_kids": 1}})])
    out = [json.loads(x) for x in done.stdout.splitlines()]
    assert (out[0]["rsr_1y_percent"], out[0]["rsr_2y_percent"], out[0]["band"]) == (3.69, 6.56, "MEDIUM")
    assert out[1]["field"] == "sexual.contact_kids"
    assert done.returncode == 1


@pytest.mark.parametrize("block_size", [30, 40, 50, 64, 100, 1 << 20])
def test_csv_batches_stop_at_the_first_ragged_row_across_blocks(block_size):
    """The CSV reader skips a ragged row and reads on (in blocks, ahead of the batches): `before_first` passes on
    exactly the rows before the first ragged one, whichever block each falls in, and none after it."""
    import pyarrow.csv as pa_csv

    from keepsafe.cli.management.commands.predict import _Ragged

    good = [f"r{i},M,40,30\n".encode() for i in range(1, 9)]
    data = b"id,sex,age,age_at_conviction\n" + b"".join(good[:5]) + b"bad,M\n" + b"".join(good[5:]) + b"bad2\n"
    ragged = _Ragged()
    reader = pa_csv.open_csv(
        io.BytesIO(data),
        read_options=pa_csv.ReadOptions(block_size=block_size, use_threads=False),
        parse_options=pa_csv.ParseOptions(invalid_row_handler=ragged.append_and_skip),
    )
    ids = [i for batch in ragged.before_first(iter(reader)) for i in batch.column("id").to_pylist()]
    assert ids == ["r1", "r2", "r3", "r4", "r5"]
    assert ragged.rows[0].number == 7  # row 6 after the header: line 7 counting it


def test_a_refusal_reads_as_keepsafe_not_as_python():
    """A try-out: refusals began "CommandError:", Django's class name. Every `keepsafe` command's refusal is now
    `keepsafe NAME: what is wrong`, with a non-zero exit status (test_cli.py: other commands, aliases)."""
    bad_option = run_keepsafe(["predict", "ogrs3", "--chunk-lines", "0"], [])
    assert (bad_option.returncode, bad_option.stderr) == (
        1,
        "keepsafe predict: --chunk-lines must be at least 1, got 0\n",
    )
    some_failed = predict("snsv", ['{"id": "x", "sex": "M"}'])
    assert (some_failed.returncode, some_failed.stderr) == (1, "keepsafe predict: 1 line could not be scored\n")
    other = run_keepsafe(["predict", "snsv", "--format", "csv"], [])
    assert other.stderr == "keepsafe predict: --format csv is for ogrs3 only; snsv reads JSON lines\n"
    for done in (bad_option, some_failed, other):
        assert "CommandError" not in done.stderr
        assert "Traceback" not in done.stderr
    traced = run_keepsafe(["predict", "ogrs3", "--chunk-lines", "0", "--traceback"], [])
    assert "CommandError: --chunk-lines must be at least 1" in traced.stderr  # asked for: Python's own report


OGRS3_ROW = {
    "sex": "M",
    "age": 40,
    "age_at_conviction": 30,
    "age_at_first_sanction": 15,
    "previous_sanctions": 2,
    "offence_category": "violence",
}


def _arrow(table) -> bytes:
    import pyarrow.ipc as pa_ipc

    sink = io.BytesIO()
    with pa_ipc.new_stream(sink, table.schema) as writer:
        writer.write_table(table)
    return sink.getvalue()


def _table_out(args: list[str], data: bytes) -> list[dict[str, object]]:
    import pyarrow.csv as pa_csv
    import pyarrow.ipc as pa_ipc

    keepsafe = str(Path(sys.executable).with_name("keepsafe"))
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "keepsafe.config.settings.local"}
    done = subprocess.run(
        [keepsafe, "predict", "ogrs3", *args], input=data, capture_output=True, env=env, check=False, timeout=120
    )
    assert done.returncode == 1, done.stderr
    if "csv" in args:
        options = pa_csv.ConvertOptions(strings_can_be_null=True)
        return pa_csv.read_csv(io.BytesIO(done.stdout), convert_options=options).to_pylist()
    return pa_ipc.open_stream(done.stdout).read_all().to_pylist()


def test_a_bad_category_gets_the_same_error_on_every_path():
    """JSON one line at a time, JSON in chunks, CSV and Arrow: the same bad value, the same words, listing the
    codes (the chunked path once scored some lines in bulk and refused others with their own words)."""
    import pyarrow as pa

    rows = [
        {"id": "good", **OGRS3_ROW},
        {"id": "category", **OGRS3_ROW, "offence_category": "burglary_x"},
        {"id": "sex", **OGRS3_ROW, "sex": "X"},
        {"id": "case", **OGRS3_ROW, "offence_category": "VIOLENCE"},
    ]
    said: dict[str, list[tuple[object, object, object]]] = {}
    for chunk in ("1", "50000"):
        done = run_keepsafe(["predict", "ogrs3", "--chunk-lines", chunk], [json.dumps(r) for r in rows])
        assert done.returncode == 1
        out = [json.loads(line) for line in done.stdout.splitlines()]
        said[f"JSON lines, chunks of {chunk}"] = [(o["id"], o.get("field"), o.get("error")) for o in out]
    header = ",".join(rows[0])
    text = "\n".join([header, *(",".join(str(v) for v in r.values()) for r in rows)]) + "\n"
    said["CSV"] = [(o["id"], o["field"], o["error"]) for o in _table_out(["--format", "csv"], text.encode())]
    table = pa.Table.from_pylist(rows)
    said["Arrow"] = [(o["id"], o["field"], o["error"]) for o in _table_out(["--format", "arrow"], _arrow(table))]
    first = said["JSON lines, chunks of 1"]
    assert all(answer == first for answer in said.values()), said
    assert first[0] == ("good", None, None)
    assert first[1][1:] == ("offence_category", first[3][2].replace("'VIOLENCE'", "'burglary_x'"))
    assert first[1][2].startswith("'burglary_x' is not an OGRS3 offence category; use one of: violence, robbery, ")
    assert "fraud_forgery (Fraud and forgery)" in first[1][2]
    assert first[2][1:] == ("sex", "'X' is not a sex code; use one of: M (male), F (female)")


def test_an_id_that_is_a_structure_is_refused_on_every_path_and_never_echoed():
    """A try-out: an object given as `id` came back whole. The line's error names `id` (the record is named by its
    line or row), the same words in JSON lines and in an Arrow struct column; a line or a row without an id is named
    by its line or row (an empty cell of a table is no id; a null in a JSON line is refused, as in `keepsafe scan`)."""
    import pyarrow as pa

    error = "must be a string or a whole number (not empty, not null), got an object"
    lines = [
        json.dumps({"id": {"crn": "X1"}, **OGRS3_ROW}),
        json.dumps({"id": "P2", **OGRS3_ROW}),
        json.dumps({**OGRS3_ROW, "sex": "X"}),
        json.dumps({"id": {"crn": "X1"}, **OGRS3_ROW, "sex": "X"}),
        json.dumps(OGRS3_ROW),
    ]
    for chunk in ("1", "50000"):
        done = run_keepsafe(["predict", "ogrs3", "--chunk-lines", chunk], lines)
        out = [json.loads(line) for line in done.stdout.splitlines()]
        assert out[0] == {"id": None, "line": 1, "field": "id", "error": error}
        assert out[3] == {"id": None, "line": 4, "field": "id", "error": error}  # the id first
        assert {**out[1], "id": None} == out[4]
        assert out[4]["id"] is None
        assert "band" in out[4]
        assert out[2]["field"] == "sex"
    table = pa.Table.from_pylist(
        [{"id": {"crn": "X1"}, **OGRS3_ROW}, {"id": None, **OGRS3_ROW}, {"id": None, **OGRS3_ROW}]
    )
    out = _table_out(["--format", "arrow"], _arrow(table))
    assert [(o["id"], o["row"], o["field"], o["error"]) for o in out] == [
        (None, 1, "id", error),
        (None, None, None, None),
        (None, None, None, None),
    ]
    assert out[1]["band"] is not None


@pytest.mark.parametrize(
    ("id_", "got"), [(1.5, "1.5"), ("", "an empty string"), ("  ", "a string of spaces only"), (None, "null")]
)
def test_an_id_of_a_fraction_an_empty_string_or_null_is_refused_by_scan_and_predict_alike(id_, got):
    """A try-out: `keepsafe scan` and `keepsafe predict` treated an `id` of 1.5, "" or null differently (scan echoed
    1.5; predict scored "" and null). One rule (`core.jsonlines.line_id`), one error, the id never echoed."""
    error = f"must be a string or a whole number (not empty, not null), got {got}"
    expected = {"id": None, "line": 2, "field": "id", "error": error}
    scanned = run_keepsafe(
        ["scan"],
        [json.dumps({"id": "a", "text": "Doing well."}), json.dumps({"id": id_, "text": "Doing well."})],
        KEEPSAFE_TEST_DB="external",
    )
    assert scanned.returncode == 1
    assert json.loads(scanned.stdout.splitlines()[1]) == expected
    assert "keepsafe scan: 1 line could not be scanned" in scanned.stderr
    for name, person in (("ogrs3", OGRS3_ROW), ("snsv", {"sex": "M"})):
        for chunk in ("1", "50000"):
            scored = run_keepsafe(
                ["predict", name, "--chunk-lines", chunk],
                [json.dumps({"id": "a", **person}), json.dumps({"id": id_, **person})],
            )
            assert scored.returncode == 1
            assert json.loads(scored.stdout.splitlines()[1]) == expected, (name, chunk)
    table_row = {"id": id_ if isinstance(id_, str) else None, **OGRS3_ROW}
    if isinstance(id_, str):  # a table's id column is text: "" and "  " given in an Arrow string column
        import pyarrow as pa

        out = _table_out(["--format", "arrow"], _arrow(pa.Table.from_pylist([{"id": "a", **OGRS3_ROW}, table_row])))
        assert [(o["id"], o["row"], o["field"], o["error"]) for o in out] == [
            ("a", None, None, None),
            (None, 2, "id", error),
        ]


def test_an_id_with_a_control_character_is_refused_by_scan_and_predict_alike_on_every_path():
    """An `id` with a NUL in it was scanned or scored and echoed, NUL and all. One rule (`core.jsonlines.line_id`):
    refused naming the line, `id` and the character, the id never echoed; JSON lines, in chunks or one by one, and a
    table's id column alike."""
    import pyarrow as pa

    error = "must not contain a control character: U+0000 (NUL) at position 2"
    expected = {"id": None, "line": 2, "field": "id", "error": error}
    scanned = run_keepsafe(
        ["scan"],
        [json.dumps({"id": "a", "text": "Doing well."}), json.dumps({"id": "P\x001", "text": "Doing well."})],
        KEEPSAFE_TEST_DB="external",
    )
    assert scanned.returncode == 1
    assert json.loads(scanned.stdout.splitlines()[1]) == expected
    for name, person in (("ogrs3", OGRS3_ROW), ("snsv", {"sex": "M"})):
        for chunk in ("1", "50000"):
            scored = run_keepsafe(
                ["predict", name, "--chunk-lines", chunk],
                [json.dumps({"id": "a", **person}), json.dumps({"id": "P\x001", **person})],
            )
            assert scored.returncode == 1
            assert json.loads(scored.stdout.splitlines()[1]) == expected, (name, chunk)
    table = pa.Table.from_pylist([{"id": "a", **OGRS3_ROW}, {"id": "P\x1b1", **OGRS3_ROW}])
    out = _table_out(["--format", "arrow"], _arrow(table))
    assert [(o["id"], o["row"], o["field"], o["error"]) for o in out] == [
        ("a", None, None, None),
        (None, 2, "id", "must not contain a control character: U+001B (escape) at position 2"),
    ]


def test_a_line_that_is_not_an_object_is_refused_saying_what_it_got_by_scan_and_predict_alike():
    """`keepsafe predict` said "each line must be a JSON object" of a list, a number or a string; `keepsafe scan`
    said what it got. Both say it now, by one rule (`core.jsonlines.line_object`)."""
    lines = ["[1, 2]", "42", '"M"']
    said = [
        [json.loads(line)["error"] for line in run_keepsafe(args, lines, **env).stdout.splitlines()]
        for args, env in (
            (["scan"], {"KEEPSAFE_TEST_DB": "external"}),
            (["predict", "ogrs3", "--chunk-lines", "1"], {}),
            (["predict", "ogrs3"], {}),
            (["predict", "snsv"], {}),
        )
    ]
    expected = [f"each line must be a JSON object, got {got}" for got in ("a list", "a number", "a string")]
    assert said == [expected] * 4


def test_a_key_given_twice_is_refused_naming_it_by_scan_and_predict():
    """A try-out: a JSON line with a key twice took the last value silently (`json.loads`)."""
    scanned = run_keepsafe(
        ["scan"], ['{"id": "a", "text": "Fine.", "text": "He has a knife."}'], KEEPSAFE_TEST_DB="external"
    )
    assert scanned.returncode == 1
    assert json.loads(scanned.stdout) == {
        "id": "a",  # try-out 12: the id names the record, when it is not the key given twice
        "line": 1,
        "field": "text",
        "error": "`text` is given more than once: give each key once",
    }
    line = json.dumps({"id": "a", **OGRS3_ROW})[:-1] + ', "sex": "F"}'
    for chunk in ("1", "50000"):
        scored = run_keepsafe(["predict", "ogrs3", "--chunk-lines", chunk], [line])
        assert scored.returncode == 1
        assert json.loads(scored.stdout) == {
            "id": "a",
            "line": 1,
            "field": "sex",
            "error": "`sex` is given more than once: give each key once",
        }


def test_predict_never_opens_the_database(tmp_path: Path):
    # the try-out: while a demo was being seeded, predict failed with Django's fields.E180 and created an empty
    # database file where it was pointed; scoring needs no database at all
    missing = tmp_path / "nowhere" / "keepsafe.sqlite3"
    line = json.dumps(
        {
            "id": "x",
            "sex": "M",
            "age_at_sentence": 30,
            "age_at_first_sanction": 18,
            "sanctions": 3,
            "offence": "violence",
            "years_since_first_sanction": 12,
        }
    )
    done = run_keepsafe(["predict", "ogrs3"], [line], timeout=120, DATABASE_URL=f"sqlite:///{missing}")
    assert "E180" not in done.stderr
    assert not missing.exists()

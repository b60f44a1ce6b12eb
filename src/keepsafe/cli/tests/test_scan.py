"""`keepsafe scan`: every bad line is named with its field and why, and no other line is lost."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from keepsafe.cli.tests.commands import run_keepsafe


def scan(lines: list[str]) -> subprocess.CompletedProcess[str]:
    """The real command, as an analyst runs it (scanning needs no database)."""
    return run_keepsafe(["scan"], lines, KEEPSAFE_TEST_DB="external")


def test_each_bad_line_gets_its_own_error_and_every_other_line_is_scanned():
    lines = [
        json.dumps({"id": "a", "text": "He threatened her with a knife."}),
        json.dumps({"text": "He threatened her."}),
        json.dumps({"id": None, "text": "He threatened her."}),
        json.dumps({"id": "", "text": "He threatened her."}),
        json.dumps({"id": ["x"], "text": "He threatened her."}),
        json.dumps({"id": "d"}),
        json.dumps({"id": "e", "text": 42}),
        json.dumps({"id": "f", "text": None}),
        "{not json",
        json.dumps(["g", "He threatened her."]),
        json.dumps({"id": 7, "text": "He is doing well."}),
    ]
    done = scan(lines)
    assert done.returncode == 1
    assert "9 lines could not be scanned" in done.stderr
    out = [json.loads(line) for line in done.stdout.splitlines()]
    assert len(out) == len(lines)
    assert out[0]["id"] == "a"
    assert [f["indicator"] for f in out[0]["findings"]] == ["threats", "weapons"]
    needs_id = "missing: each line needs an `id`, a string or a whole number, to match its output to"
    rule = "must be a string or a whole number (not empty, not null), got"
    assert out[1] == {"id": None, "line": 2, "field": "id", "error": needs_id}
    assert out[2] == {"id": None, "line": 3, "field": "id", "error": f"{rule} null"}
    assert out[3] == {"id": None, "line": 4, "field": "id", "error": f"{rule} an empty string"}
    assert out[4] == {"id": None, "line": 5, "field": "id", "error": f"{rule} a list"}  # never echoed
    assert out[5] == {"id": "d", "line": 6, "field": "text", "error": "missing: each line needs the `text` to scan"}
    assert out[6] == {"id": "e", "line": 7, "field": "text", "error": "must be a string, got a number"}
    assert out[7] == {"id": "f", "line": 8, "field": "text", "error": "must be a string, got null"}
    assert out[8]["line"] == 9
    assert out[8]["field"] == "(line)"
    assert out[8]["error"].startswith("not valid JSON at column 2: ")
    assert out[9] == {"id": None, "line": 10, "field": "(line)", "error": "each line must be a JSON object, got a list"}
    assert out[10] == {"id": 7, "findings": []}


def test_good_lines_alone_exit_zero():
    done = scan([json.dumps({"id": "a", "text": "He is doing well."}), ""])
    assert done.returncode == 0, done.stderr
    assert [json.loads(line) for line in done.stdout.splitlines()] == [{"id": "a", "findings": []}]


KNIFE = json.dumps({"id": "a", "text": "He threatened her with a knife."})


def test_scanning_never_opens_the_database(tmp_path: Path):
    missing = tmp_path / "nowhere" / "keepsafe.sqlite3"
    done = run_keepsafe(["scan"], [KNIFE], DATABASE_URL=f"sqlite:///{missing}")
    assert done.returncode == 0, done.stderr
    assert [f["indicator"] for f in json.loads(done.stdout)["findings"]] == ["threats", "weapons"]
    assert not missing.exists()  # no check and no query opened it


def test_scanning_works_while_the_database_is_busy_being_written(tmp_path: Path):
    """A demo being seeded holds SQLite's write lock for long stretches: Django's database checks could not begin
    their JSON probe's transaction, reported fields.E180 (JSONField unsupported) and the scan never ran."""
    db = tmp_path / "busy.sqlite3"
    seeder = sqlite3.connect(db, isolation_level=None)
    try:
        seeder.execute("PRAGMA journal_mode=WAL")
        seeder.execute("CREATE TABLE seeding (n INTEGER)")
        seeder.execute("BEGIN IMMEDIATE")
        seeder.execute("INSERT INTO seeding VALUES (1)")
        done = run_keepsafe(["scan"], [KNIFE], timeout=120, DATABASE_URL=f"sqlite:///{db}")
    finally:
        seeder.execute("ROLLBACK")
        seeder.close()
    assert "E180" not in done.stderr
    assert done.returncode == 0, done.stderr
    assert [f["indicator"] for f in json.loads(done.stdout)["findings"]] == ["threats", "weapons"]


def _scan_bytes(data: bytes) -> subprocess.CompletedProcess[bytes]:
    import os
    import sys

    keepsafe = str(Path(sys.executable).with_name("keepsafe"))
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "keepsafe.config.settings.local", "KEEPSAFE_TEST_DB": "external"}
    return subprocess.run([keepsafe, "scan"], input=data, capture_output=True, env=env, check=False, timeout=300)


def _good(n: int) -> bytes:
    return json.dumps({"id": f"ok{n}", "text": "He threatened her with a knife."}).encode() + b"\n"


# Issue 13 try-out 9: input that escaped the per-line handling crashed the command with a traceback and lost every
# line after it (non-UTF-8 bytes, a lone surrogate), or every line of the run (JSON nested 5,000 deep). Each hostile
# line, put between good lines in batches bigger than the command's own (256), is that line's error alone.
HOSTILE = [
    (b'{"id": "x", "text": "caf\xe9 \xff"}\n', "(line)", "not UTF-8 text: byte 0xE9 at byte 25"),
    (b'{"id": "x\xff", "text": "He hit her."}\n', "(line)", "not UTF-8 text: byte 0xFF"),
    (b'{"id": "x", "text": "He stabbed \\ud800 her."}\n', "text", "a lone surrogate (not a character) at position 12"),
    (b'{"id": "x\\udcff", "text": "He hit her."}\n', "id", "a lone surrogate"),
    (b"[" * 6000 + b"]" * 6000 + b"\n", "(line)", "not valid JSON: nested too deeply to read"),
    (b'{"id": "x", "text": "tab\there"}\n', "(line)", "a raw control character"),
    ('{"id": "x"}'.encode("utf-16") + b"\n", "(line)", "it looks like UTF-16"),
    (
        b'{"id": "x", "text": "He hit her."\n',
        "(line)",
        "not valid JSON at column 34: a comma or a closing } or ] is missing here",
    ),
]


def test_a_hostile_line_is_its_own_error_and_loses_no_other_line():
    data = b"".join(_good(n) for n in range(300))
    for n, (line, _, _) in enumerate(HOSTILE):
        data += line + b"".join(_good(1000 * (n + 1) + k) for k in range(300))
    done = _scan_bytes(data)
    assert done.returncode == 1, done.stderr
    assert b"Traceback" not in done.stderr
    out = [json.loads(line) for line in done.stdout.decode().splitlines()]
    errors = [o for o in out if "error" in o]
    assert len([o for o in out if "findings" in o]) == 300 * (len(HOSTILE) + 1)
    assert all(len(o["findings"]) == 2 for o in out if "findings" in o)
    assert len(errors) == len(HOSTILE), errors
    for error, (_, field, why) in zip(errors, HOSTILE, strict=True):
        assert error["field"] == field, error
        assert why in error["error"], error


def test_a_byte_order_mark_on_the_first_line_is_let_through():
    done = _scan_bytes(b"\xef\xbb\xbf" + _good(1) + _good(2).replace(b"\n", b"\r\n"))
    assert done.returncode == 0, done.stderr
    assert [json.loads(line)["id"] for line in done.stdout.decode().splitlines()] == ["ok1", "ok2"]


def test_an_id_given_on_an_earlier_line_is_refused_naming_that_line():
    done = scan(
        [
            json.dumps({"id": "h1", "text": "a"}),
            json.dumps({"id": "h2", "text": "b"}),
            json.dumps({"id": "h1", "text": "c"}),
        ]
    )
    assert done.returncode == 1
    out = [json.loads(line) for line in done.stdout.splitlines()]
    assert out[2] == {
        "id": "h1",
        "line": 3,
        "field": "id",
        "error": '"h1" is also the id on line 1: give each line its own id',
    }


def test_the_same_id_written_as_a_number_and_as_text_is_refused_as_one_id():
    done = scan([json.dumps({"id": 1, "text": "a"}), json.dumps({"id": "1", "text": "b"})])
    assert done.returncode == 1
    out = [json.loads(line) for line in done.stdout.splitlines()]
    assert out[0] == {"id": 1, "findings": []}
    assert out[1] == {
        "id": "1",
        "line": 2,
        "field": "id",
        "error": '"1" is also the id on line 1 (as 1, the same id written another way): give each line its own id',
    }


def test_an_empty_text_is_named_not_reported_as_nothing_found():
    done = scan(
        [
            json.dumps({"id": "blank", "text": ""}),
            json.dumps({"id": "spaces", "text": " \n\t "}),
            json.dumps({"id": "invisible", "text": "\u200b\ufeff "}),
            json.dumps({"id": "real", "text": "He threatened her with a knife."}),
        ]
    )
    assert done.returncode == 1
    out = [json.loads(line) for line in done.stdout.splitlines()]
    empty = "empty: there is no text to scan (a blank record is not a record without harm)"
    assert out[0] == {"id": "blank", "line": 1, "field": "text", "error": empty}
    assert out[1] == {"id": "spaces", "line": 2, "field": "text", "error": empty}
    assert out[2] == {"id": "invisible", "line": 3, "field": "text", "error": empty}
    assert [f["indicator"] for f in out[3]["findings"]] == ["threats", "weapons"]


def test_old_mac_line_endings_are_line_endings():
    done = _scan_bytes(b'{"id": "a", "text": "He stabbed her."}\r{"id": "b", "text": "He is well."}\r')
    assert done.returncode == 0, done.stderr
    out = [json.loads(line) for line in done.stdout.decode().splitlines()]
    assert [o["id"] for o in out] == ["a", "b"]
    assert out[1]["findings"] == []


def test_a_terminal_colour_code_inside_a_word_is_read_as_invisible():
    text = "He sta\x1b[0mbbed her."
    done = scan([json.dumps({"id": "ansi", "text": text})])
    assert done.returncode == 0, done.stderr
    findings = json.loads(done.stdout)["findings"]
    assert {f["indicator"] for f in findings} >= {"violence", "weapons"}
    # offsets and words as written
    assert all(text[f["start"] : f["end"]] == f["text"] for f in findings)


def test_a_line_refused_for_a_repeated_key_or_bad_bytes_still_names_its_id():
    """Try-out 12: such lines came back with `"id": null`, and the record could not be found in a large file."""
    done = _scan_bytes(
        b'{"id": "a1", "text": "He hit her.", "text": "x"}\n'
        b'{"id": "b2", "text": "caf\xe9"}\n'
        b'{"id": "c\xff", "text": "x"}\n'
        b'{"id": "d", "id": "e", "text": "x"}\n'
    )
    assert done.returncode == 1
    out = [json.loads(line) for line in done.stdout.decode().splitlines()]
    assert [(o["id"], o["field"]) for o in out] == [("a1", "text"), ("b2", "(line)"), (None, "(line)"), (None, "id")]


def test_broken_json_is_explained_in_words_not_the_parsers():
    done = scan(['{"id": "x", "text": "He said "no" to her"}', "{'id': 'y', 'text': 'x'}", '{"id": "z", "text": "a'])
    errors = [json.loads(line)["error"] for line in done.stdout.splitlines()]
    assert not any("Expecting" in e or "Unterminated" in e for e in errors), errors
    assert "closing double quote is missing" in errors[2]


def test_try_out_13_a_file_argument_a_pretty_printed_file_an_intact_id_and_empty_input(tmp_path: Path):
    """Try-out 13: `keepsafe scan FILE` was refused by argparse; a pretty-printed record gave four errors none of
    which said what to do; a broken line whose id opened it intact came back with `"id": null`; an id with a
    zero-width space was accepted and looked like another; empty input said nothing."""
    path = tmp_path / "records.jsonl"
    path.write_text(
        '{"id": "b1", "text": "He hit her."\n{\n  "id": "b24",\n  "text": "x"\n}\n[{"id": "a", "text": "x"}]\n'
        '{"id": "zw\u200b", "text": "He hit her."}\n{"id": "ok", "text": "He stabbed her."}\n',
        encoding="utf-8",
    )
    done = run_keepsafe(["scan", str(path)], [], KEEPSAFE_TEST_DB="external")
    assert done.returncode == 1, done.stderr
    out = [json.loads(line) for line in done.stdout.splitlines()]
    assert out[0]["id"] == "b1"
    assert all("one JSON object on one line" in o["error"] for o in out[1:6])
    assert out[6]["field"] == "id"
    assert "U+200B" in out[6]["error"]
    assert out[6]["id"] is None
    assert out[7]["id"] == "ok"
    assert out[7]["findings"]
    empty = scan([])
    assert empty.returncode == 0
    assert "no records to scan" in empty.stderr
    missing = run_keepsafe(["scan", str(tmp_path / "nope.jsonl")], [], KEEPSAFE_TEST_DB="external")
    assert missing.returncode == 2
    assert "nope.jsonl: cannot read" in missing.stderr


def test_try_out_14_dash_is_standard_input_and_a_closed_pipe_is_one_line_not_a_traceback(tmp_path: Path):
    dash = run_keepsafe(["scan", "-"], [json.dumps({"id": "x", "text": "He hit her."})], KEEPSAFE_TEST_DB="external")
    assert dash.returncode == 0, dash.stderr
    assert json.loads(dash.stdout)["id"] == "x"
    path = tmp_path / "many.jsonl"
    path.write_text("".join(json.dumps({"id": f"a{n}", "text": "He hit her."}) + "\n" for n in range(3000)))
    keepsafe = str(Path(sys.executable).with_name("keepsafe"))
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "keepsafe.config.settings.local", "KEEPSAFE_TEST_DB": "external"}
    process = subprocess.Popen([keepsafe, "scan", str(path)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    assert process.stdout is not None
    assert process.stderr is not None
    process.stdout.readline()
    process.stdout.close()  # `| head -1`
    error = process.stderr.read().decode()
    assert process.wait(timeout=300) == 1
    assert "Traceback" not in error
    assert "the output was closed before every line was written" in error
    nul = scan(['{"id": "n", "text": "a\x00b"}'])
    assert "NUL" in json.loads(nul.stdout)["error"]

"""`keepsafe scan`: every bad line is named with its field and why, and no other line is lost."""

from __future__ import annotations

import json
import sqlite3
import subprocess
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
    assert out[8]["error"].startswith("not valid JSON: ")
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

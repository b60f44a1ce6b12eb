"""The keepsafe command as analysts and operators use it: a real process, against DATABASE_URL."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from keepsafe.testing.fixtures import copy_sqlite, make_bundle, make_person


def _runner(db: Path, cwd: Path):
    """Run `keepsafe ...` in a subprocess against a SQLite file (as an operator would)."""
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{db}",
        "DJANGO_SETTINGS_MODULE": "keepsafe.config.settings.local",
        "KEEPSAFE_TEST_DB": "external",
    }
    keepsafe = str(Path(sys.executable).with_name("keepsafe"))

    def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [keepsafe, *args],
            env=env,
            cwd=cwd,
            input=stdin,
            capture_output=True,
            text=True,
            check=False,
            timeout=120,
        )

    return run


@pytest.fixture(scope="module")
def migrated(tmp_path_factory) -> Path:
    """A SQLite file migrated by the command once for the module (migrating takes longer than most tests here)."""
    where = tmp_path_factory.mktemp("cli-migrated")
    done = _runner(where / "cli.sqlite3", where)("migrate", "--no-input")
    assert done.returncode == 0, done.stderr
    return where / "cli.sqlite3"


@pytest.fixture
def cli(tmp_path: Path, migrated: Path):
    """A fresh copy of the migrated file for each test."""
    db = tmp_path / "cli.sqlite3"
    copy_sqlite(migrated, db)
    return _runner(db, tmp_path)


def test_a_refusal_names_the_command_as_typed_not_a_python_class(tmp_path):
    """A try-out: refusals began "CommandError:", Django's class name for them. Each reads `keepsafe NAME: …`, NAME
    as the user typed it (the alias `import` or the command's own name), with the command's exit status."""
    run = _runner(tmp_path / "unused.sqlite3", tmp_path)
    absent = tmp_path / "absent.json"
    for typed in ("import", "bundle_import"):
        done = run(typed, str(absent))
        assert (done.returncode, done.stderr) == (2, f"keepsafe {typed}: {absent}: no such file\n")
    unknown = run("predict", "ogrs4")  # the parser's own refusal was already in these words
    assert unknown.returncode == 2
    assert "keepsafe predict: error: argument predictor: invalid choice: 'ogrs4'" in unknown.stderr


def write(tmp_path: Path, bundle) -> str:
    path = tmp_path / "bundle.json"
    path.write_text(json.dumps(bundle))
    return str(path)


def test_import_case_export_cycle(cli, tmp_path):
    bundle = make_bundle(make_person(), make_person("Y000001", restricted_to=["STF0001"]))
    done = cli("import", write(tmp_path, bundle))
    assert done.returncode == 0, done.stderr
    assert "people: 2 created" in done.stdout
    again = cli("import", write(tmp_path, bundle))
    assert "nothing to change" in again.stdout

    summary = json.loads(cli("case", "X123456", "--json").stdout)
    assert list(summary) == [
        "crn",
        "person",
        "pdu",
        "practitioner",
        "events",
        "registrations",
        "contacts",
        "records",
        "risk",
        "indicators",
        "signals",
        "appointments",  # issue 14
        "transfers",  # issue 16 §2
        "remand_periods",  # issue 16 §6
        "victim_representations",  # issue 16 §7 (helper "victim")
        "victim_prompts",  # issue 16 §7 (helper "victim")
    ]
    assert summary["person"] == {
        "forename": "John",
        "surname": "Smith",
        "date_of_birth": "1993-02-01",
        "gender": "MALE",
    }
    assert summary["practitioner"] == "STF0001"
    event = summary["events"][0]
    assert {"id", "sentence", "dates", "requirements", "licence_conditions"} <= set(event)
    assert event["dates"]["licence_expiry"] == "2023-09-01"
    assert summary["registrations"][0]["type"] == "RSTO"
    assert set(summary["registrations"][0]) >= {"type", "start", "end", "next_review", "notes"}
    assert summary["records"][0]["id"] == "PRISON-INTEL-881"

    exported = json.loads(cli("export").stdout)
    assert [p["crn"] for p in exported["people"]] == ["X123456", "Y000001"]
    only_visible = json.loads(cli("export", "--as-user", "STF0002").stdout)
    assert [p["crn"] for p in only_visible["people"]] == ["X123456"]
    written = tmp_path / "one.json"
    one = cli("export", "-o", str(written), "--as-user", "STF0002")
    assert f"exported 1 case to {written}" in one.stderr  # never "1 case(s)"


def test_missing_and_hidden_crns_print_the_same_one_line_error_and_exit_2(cli, tmp_path):
    cli("import", write(tmp_path, make_bundle(make_person(), make_person("Y000001", excluded=["STF0002"]))))
    hidden = cli("case", "Y000001", "--json", "--as-user", "STF0002")
    missing = cli("case", "Z000009", "--json", "--as-user", "STF0002")
    assert hidden.returncode == missing.returncode == 2
    assert hidden.stdout == missing.stdout == ""
    assert hidden.stderr.replace("Y000001", "?") == missing.stderr.replace("Z000009", "?")
    assert len(hidden.stderr.strip().splitlines()) == 1
    assert hidden.stderr.startswith("keepsafe case: "), hidden.stderr  # the command as typed, not "CommandError:"
    assert cli("case", "Y000001", "--json", "--as-user", "STF0001").returncode == 0


def test_a_bad_bundle_lists_every_error_with_file_and_path_and_writes_nothing(cli, tmp_path):
    person = make_person(crn="bad")
    person["events"][0]["dates"]["licence_expiry"] = "2000-01-01"
    path = write(tmp_path, make_bundle(person, make_person("X000002", practitioner="NOBODY")))
    done = cli("import", path)
    assert done.returncode == 1
    assert f"{path}: people[0].crn:" in done.stderr
    assert f"{path}: people[1].practitioner:" in done.stderr
    assert "nothing was imported" in done.stderr
    assert re.search(r"rejected with \d+ errors; nothing was imported", done.stderr)  # never "error(s)"
    assert cli("case", "X000002", "--json").returncode == 2
    one = cli("import", write(tmp_path, make_bundle(make_person("X000003", practitioner="NOBODY"))))
    assert "rejected with 1 error; nothing was imported" in one.stderr


def test_audit_search_for_auditors_only(cli, tmp_path):
    cli("import", write(tmp_path, make_bundle()))
    cli("case", "X123456", "--json", "--as-user", "STF0001")
    lines = [json.loads(x) for x in cli("audit", "--crn", "X123456").stdout.splitlines()]
    assert {"CASE_SUMMARY", "CASE_IMPORT_CREATE"} <= {x["action"] for x in lines}
    assert cli("audit", "--crn", "X123456", "--as-user", "STF0001").returncode == 2

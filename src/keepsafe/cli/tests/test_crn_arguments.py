"""Every command that takes a CRN reads it by one rule (`cli.actors.crn_argument`): as CRNs are stored (upper case,
no spaces), or refused before the command runs, saying what a CRN is. `keepsafe rescan --crn x123456` said "no case
with CRN x123456" of a case that exists, and `keepsafe export --crn x123456` wrote an empty bundle."""

from __future__ import annotations

import io
import json
import pkgutil
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command, load_command_class

from keepsafe.cli import actors, management

COMMANDS = sorted(name for _, name, _ in pkgutil.iter_modules([str(Path(management.__file__).parent / "commands")]))


def crn_actions() -> dict[str, object]:
    """Every command's argument that takes a CRN (dest `crn`), by command; derived from the commands themselves."""
    found = {}
    for name in COMMANDS:
        parser = load_command_class("keepsafe.cli", name).create_parser("keepsafe", name)
        for action in parser._actions:
            if action.dest == "crn":
                found[name] = action
    return found


def test_every_command_taking_a_crn_reads_it_by_the_one_rule():
    found = crn_actions()
    assert {"rescan", "bundle_export", "audit_search", "case_summary", "actions", "allocate"} <= set(found)
    assert {name: action.type for name, action in found.items()} == dict.fromkeys(found, actors.crn_argument)


@pytest.mark.parametrize("typed", ["x123456", " X123456 ", "X123456"])
def test_a_crn_is_read_as_it_is_stored(typed):
    assert actors.crn_argument(typed) == "X123456"


@pytest.mark.django_db
def test_rescan_and_export_find_a_crn_typed_in_lower_case(imported, tmp_path):
    imported()
    said = io.StringIO()
    call_command("rescan", "--crn", "x123456", stdout=said)  # was: "no case with CRN x123456: nothing was rescanned"
    assert "1 of 1 person rescanned" in said.getvalue()
    out = tmp_path / "one.json"
    call_command("bundle_export", "--crn", "x123456", "--output", str(out))
    assert [p["crn"] for p in json.loads(out.read_text())["people"]] == ["X123456"]  # was: an empty bundle


@pytest.mark.django_db
@pytest.mark.parametrize("command", ["rescan", "bundle_export", "audit_search", "case_summary", "actions"])
def test_a_crn_that_is_not_one_is_refused_saying_what_a_crn_is(imported, command):
    imported()
    args = ["banana"] if command in ("case_summary", "actions") else ["--crn", "banana"]
    with pytest.raises(CommandError) as refused:
        call_command(command, *args)
    assert "'banana' is not a CRN: a CRN is a letter and six digits, like X123456" in str(refused.value)

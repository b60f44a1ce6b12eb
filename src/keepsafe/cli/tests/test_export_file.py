"""The try-out exported while the worker held the SQLite database: `database is locked` part-way left an 11.6 MB
truncated, invalid bundle and no clear error. An export to a file is written beside it and renamed when complete."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.db import OperationalError

from keepsafe.cli.management.commands import bundle_export as command


def test_a_failed_export_leaves_no_partial_file_and_keeps_the_old_one(tmp_path, monkeypatch):
    target = tmp_path / "all.json"
    target.write_text('{"format": "keepsafe-bundle/1", "people": []}')

    def half_then_locked(*, viewer, out, crns):
        out.write('{"format": "keepsafe-bundle/1", "people": [{"crn": "X0')
        raise OperationalError("database is locked")

    monkeypatch.setattr(command, "bundle_export", half_then_locked)
    with pytest.raises(CommandError) as caught:
        call_command("bundle_export", "-o", str(target))
    assert "not written" in str(caught.value)
    assert "database is locked" in str(caught.value)
    assert "\n" not in str(caught.value)
    assert target.read_text() == '{"format": "keepsafe-bundle/1", "people": []}'
    assert sorted(p.name for p in tmp_path.iterdir()) == ["all.json"]


def test_a_complete_export_replaces_the_file(tmp_path, monkeypatch):
    target = tmp_path / "all.json"

    def whole(*, viewer, out, crns):
        out.write('{"format": "keepsafe-bundle/1", "people": []}')
        return 0

    monkeypatch.setattr(command, "bundle_export", whole)
    call_command("bundle_export", "-o", str(target))
    assert target.read_text() == '{"format": "keepsafe-bundle/1", "people": []}'
    assert sorted(p.name for p in tmp_path.iterdir()) == ["all.json"]

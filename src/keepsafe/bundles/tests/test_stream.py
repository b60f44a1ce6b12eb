"""Issue 20 §4: bundle import streams people chunk by chunk; the file is the transaction; errors keep their paths."""

from __future__ import annotations

import io
import json
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from keepsafe.bundles.importer import bundle_import
from keepsafe.bundles.stream import bundle_head, people_chunks
from keepsafe.core.errors import ValidationError
from keepsafe.people.models import Person
from keepsafe.records.models import Record
from keepsafe.risk.models import CaseRisk
from keepsafe.testing.fixtures import SYSTEM, make_bundle, make_person, raw

pytestmark = pytest.mark.django_db

CRNS = ["X100001", "X100002", "X100003", "X100004", "X100005"]


def _people() -> list[dict]:
    return [make_person(crn) for crn in CRNS]


def _problems(data: bytes | str | Path, chunk: int) -> list[tuple[str, str]]:
    with pytest.raises(ValidationError) as caught:
        bundle_import(actor=SYSTEM, raw=data, chunk=chunk)
    return caught.value.problems


@pytest.mark.parametrize("chunk", [1, 2, 3, 1000])
def test_every_chunk_size_imports_the_same_cases(chunk):
    summary = bundle_import(actor=SYSTEM, raw=raw(make_bundle(*_people())), chunk=chunk)
    assert summary.as_dict()["people"] == {"created": 5, "updated": 0}
    assert sorted(Person.objects.values_list("crn", flat=True)) == CRNS
    assert Record.objects.count() == 5 * len(make_person()["records"])
    again = bundle_import(actor=SYSTEM, raw=raw(make_bundle(*_people())), chunk=chunk)
    assert not again.changed_anything


@pytest.mark.parametrize("chunk", [1, 2, 1000])
def test_errors_in_later_chunks_name_their_place_in_the_file_and_nothing_is_written(chunk):
    """People 0 and 1 are good and, in chunks of one or two, already written when person 3's error is found: the
    file is one transaction, so they are rolled back too; a CRN repeated across chunks is reported at both places."""
    people = _people()
    people[3]["events"][0]["dates"]["licence_expiry"] = "2000-01-01"
    people[4]["crn"] = CRNS[1]
    problems = _problems(raw(make_bundle(*people)), chunk)
    paths = {path for path, _ in problems}
    assert "people[3].events[0].dates.licence_expiry" in paths
    assert {"people[1].crn", "people[4].crn"} <= paths
    assert len(problems) == len(set(problems))
    assert not Person.objects.exists()
    assert not Record.objects.exists()


@pytest.mark.parametrize("chunk", [1, 1000])
def test_a_bad_organisation_still_gets_its_people_checked_once_each(chunk):
    bundle = make_bundle(*_people()[:3])
    bundle["staff"][0]["grade"] = "WIZARD"
    bundle["people"][2]["forename"] = 5
    paths = [path for path, _ in _problems(raw(bundle), chunk)]
    assert paths.count("staff[0].grade") == 1
    assert "people[2].forename" in paths
    assert not any(p.startswith(("people[0]", "people[1]")) for p in paths)
    assert not Person.objects.exists()


def test_a_lone_surrogate_in_a_later_chunk_is_named_and_an_escaped_pair_is_kept():
    people = _people()[:3]
    people[1]["records"][0]["text"] = "Said \U0001f600 then left."  # json.dumps writes the pair \ud83d\ude00
    text = raw(make_bundle(*people))
    assert "\\ud83d\\ude00" in text
    bundle_import(actor=SYSTEM, raw=text, chunk=1)
    assert Record.objects.filter(text__contains="\U0001f600").count() == 1
    broken = text.replace('"forename": "', '"forename": "\\udc00', 3)  # staff[0], then people…
    problems = _problems(broken, 1)
    assert all("unpaired surrogate" in reason for _, reason in problems)
    assert len(problems) == 3


def test_the_file_is_never_read_whole_on_the_way_in(tmp_path):
    """Every read of the file asks for a bounded block: the bundle is never held in memory at once."""
    path = tmp_path / "bundle.json"
    path.write_text(raw(make_bundle(*_people())))
    sizes: list[int] = []

    class Counting(io.FileIO):
        def read(self, size=-1):
            sizes.append(size)
            return super().read(size)

        def readinto(self, buffer):
            sizes.append(len(buffer))
            return super().readinto(buffer)

        def readall(self):
            sizes.append(-1)
            return super().readall()

    @contextmanager
    def opener():
        with Counting(path, "rb") as f:
            yield f

    head = bundle_head(opener)
    assert "people" not in head.values
    assert head.people_is_list
    assert [len(batch) for batch in people_chunks(opener, 2)] == [2, 2, 1]
    assert sizes
    assert all(0 <= size <= 2**20 for size in sizes)  # ijson asks for 0 bytes first, then blocks


def test_reimporting_unchanged_cases_writes_no_tier_rows():
    bundle_import(actor=SYSTEM, raw=raw(make_bundle(*_people())))
    assert CaseRisk.objects.count() == 5
    changed = make_bundle(*_people())
    changed["people"][0]["forename"] = "Changed"  # the case changes; its tier does not
    with CaptureQueriesContext(connection) as queries:
        bundle_import(actor=SYSTEM, raw=raw(changed))
    table = CaseRisk._meta.db_table
    writes = [q["sql"] for q in queries if q["sql"].startswith(("UPDATE", "INSERT")) and table in q["sql"]]
    assert writes == []


def test_the_command_streams_a_file_and_standard_input(tmp_path, monkeypatch, capsys):
    from django.core.management import call_command

    path = tmp_path / "bundle.json"
    path.write_text(raw(make_bundle(*_people()[:2])))
    call_command("bundle_import", str(path))
    assert Person.objects.count() == 2
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(json.dumps(make_bundle(*_people())).encode())))
    call_command("bundle_import", "-")
    assert Person.objects.count() == 5

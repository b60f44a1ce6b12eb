"""Checks on the evaluation corpora written by one annotator each, C to S (no Django, nothing imported from keepsafe):
each is exactly what `written_corpus.py` builds from its sources, and each meets what its writer was asked for."""

from __future__ import annotations

import importlib.util
import json
import re
from collections import Counter
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent


def _build_module():
    spec = importlib.util.spec_from_file_location("written_corpus", HERE / "written_corpus.py")
    assert spec
    assert spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


written = _build_module()
CODES = set(written.INDICATORS)  # corpus B's fourteen codes, which the build reads
CORPORA = [pytest.param(d, id=d.name) for d in written.CORPORA]


def _load(directory: Path) -> dict[str, list[dict]]:
    return {
        style: [
            json.loads(line)
            for line in (directory / f"{style}.jsonl").read_text(encoding="utf-8").splitlines()
            if line.strip()
        ]
        for style in written.STYLES
    }


def test_the_build_knows_the_eight_styles_and_fourteen_codes():
    assert len(CODES) == 14
    assert "violence_escalation" not in CODES
    assert len(written.STYLES) == 8
    assert len(written.CORPORA) == 63


@pytest.mark.parametrize("directory", CORPORA)
def test_each_jsonl_is_exactly_what_the_build_makes_from_its_sources(directory: Path):
    built = written.build(directory)
    assert set(built) == set(written.STYLES)
    for style, records in built.items():
        assert (directory / f"{style}.jsonl").read_text(encoding="utf-8") == written.dumps(records), style


@pytest.mark.parametrize("directory", CORPORA)
def test_records_are_well_formed_and_meet_the_brief(directory: Path):
    corpus = _load(directory)
    letter = written.letter_of(directory)
    records = [rec for recs in corpus.values() for rec in recs]
    assert len({rec["id"] for rec in records}) == len(records)
    assert len({rec["text"] for rec in records}) == len(records)
    for style, recs in corpus.items():
        # Corpus C's writer was asked for at least 45 texts a style, the later ones for at least 38 (and 320 in all).
        assert len(recs) >= (45 if letter == "c" else 38), style
        negatives = sum("negative" in rec for rec in recs)
        assert negatives / len(recs) >= 0.25, f"{style}: {negatives}/{len(recs)} hard negatives"
        for i, rec in enumerate(recs, 1):
            assert rec["id"] == f"{letter}-{style}-{i:04d}"
            assert (rec["style"], rec["source"]) == (style, written.STYLES[style])
            assert set(rec) <= {"id", "style", "source", "text", "labels", "negative"}
            assert rec.get("negative", "negation") in written.negative_kinds(letter)
            for lab in rec["labels"]:
                assert set(lab) == {"indicator", "start", "end", "text"}
                assert lab["indicator"] in CODES, rec["id"]
                assert rec["text"][lab["start"] : lab["end"]] == lab["text"], rec["id"]
    if letter == "c":
        labels = Counter(lab["indicator"] for rec in records for lab in rec["labels"])
        assert all(labels[code] >= 8 for code in CODES), labels
    else:
        assert len(records) >= 320
        texts = Counter(ind for rec in records for ind in {lab["indicator"] for lab in rec["labels"]})
        assert all(texts[code] >= 20 for code in CODES), texts
        paragraphs = sum(len(re.findall(r"[.!?](\s|$)", rec["text"])) >= 2 for rec in records)
        assert paragraphs / len(records) >= 0.40


def _corpus_dir(tmp_path: Path, name: str, text: str) -> Path:
    directory = tmp_path / "indicator-eval-x"
    (directory / "src").mkdir(parents=True)
    (directory / "src" / name).write_text(text, encoding="utf-8")
    return directory


def test_the_build_refuses_a_span_not_in_its_text(tmp_path: Path):
    directory = _corpus_dir(
        tmp_path, "police.txt", "## a bad source\nT: He punched the door.\nL: violence | punched the man\n"
    )
    with pytest.raises(SystemExit) as err:
        written.build(directory)
    assert "police.txt:3" in str(err.value)
    assert "not found" in str(err.value)


@pytest.mark.parametrize(
    ("source", "where", "why"),
    [
        ("T: He hit him.\nL: violence_escalation | hit him\n", "court.txt:2", "unknown indicator"),
        ("T: He hit him.\nL: violence | hit him\nL: violence | hit him\n", "court.txt:3", "duplicate label"),
        ("T: He hit him.\n\nT: He hit him.\n", "court.txt:3", "duplicates"),
        ("T! [banter] He said he'd kill for a brew.\n", "court.txt:1", "unknown negative kind"),
        ("T: drunk, then drunk again.\nL: substance_misuse | drunk\n", "court.txt:2", "give the occurrence"),
    ],
)
def test_the_build_refuses_a_bad_source_naming_file_and_line(tmp_path: Path, source: str, where: str, why: str):
    with pytest.raises(SystemExit) as err:
        written.build(_corpus_dir(tmp_path, "court.txt", source))
    assert where in str(err.value)
    assert why in str(err.value)


def test_a_repeated_span_takes_its_occurrence_and_own_kinds_are_per_corpus(tmp_path: Path):
    directory = _corpus_dir(tmp_path, "hostel.txt", "T: drunk, then drunk again.\nL: substance_misuse | drunk | 2\n")
    rec = written.build(directory)["hostel"][0]
    assert (rec["id"], rec["labels"][0]["start"]) == ("x-hostel-0001", 12)
    assert "banter" in written.negative_kinds("j")
    assert "banter" not in written.negative_kinds("x")

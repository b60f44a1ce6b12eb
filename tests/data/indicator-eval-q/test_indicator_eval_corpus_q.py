"""Checks on the held-out evaluation corpus Q (no Django, nothing imported from keepsafe)."""

from __future__ import annotations

import importlib.util
import json
from collections import Counter
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
SOURCES = {
    "police": "POLICE",
    "prison": "PRISON",
    "childrens": "CHILDRENS_SERVICES",
    "court": "COURT",
    "victim": "VICTIM_LIAISON",
    "practitioner": "PRACTITIONER",
    "hostel": "PARTNER",
    "health": "PARTNER",
}
CODES = {
    "weapons",
    "threats",
    "violence",
    "pro_violence_attitudes",
    "callousness",
    "domestic_abuse",
    "stalking",
    "order_breach",
    "child_safeguarding",
    "sexual_harm",
    "substance_misuse",
    "disengagement",
    "accommodation_loss",
    "mental_health",
}


def _build_module():
    spec = importlib.util.spec_from_file_location("build_q", HERE / "build_q.py")
    assert spec
    assert spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


build_q = _build_module()


def _load(style: str) -> list[dict]:
    path = HERE / f"{style}.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="module")
def corpus() -> dict[str, list[dict]]:
    return {style: _load(style) for style in SOURCES}


def test_build_script_knows_the_eight_styles_and_fourteen_codes():
    assert build_q.STYLES == SOURCES
    assert set(build_q.INDICATORS) == CODES


@pytest.mark.parametrize("style", list(SOURCES))
def test_jsonl_is_exactly_what_build_q_builds_from_src(style):
    built = build_q.build()
    assert style in built
    assert (HERE / f"{style}.jsonl").read_text(encoding="utf-8") == build_q.dumps(built[style])


def test_every_label_span_matches_its_text(corpus):
    for records in corpus.values():
        for rec in records:
            for lab in rec["labels"]:
                assert set(lab) == {"indicator", "start", "end", "text"}
                assert 0 <= lab["start"] < lab["end"] <= len(rec["text"])
                assert rec["text"][lab["start"] : lab["end"]] == lab["text"], rec["id"]


def test_ids_unique_and_records_well_formed(corpus):
    ids = [rec["id"] for records in corpus.values() for rec in records]
    assert len(ids) == len(set(ids))
    texts = [rec["text"] for records in corpus.values() for rec in records]
    assert len(texts) == len(set(texts))
    for style, records in corpus.items():
        assert len(records) >= 38, style
        for i, rec in enumerate(records, 1):
            assert rec["id"] == f"q-{style}-{i:04d}"
            assert rec["style"] == style
            assert rec["source"] == SOURCES[style]
            assert set(rec) <= {"id", "style", "source", "text", "labels", "negative"}
            if "negative" in rec:
                assert rec["negative"] in build_q.NEGATIVE_KINDS


def test_only_the_fourteen_codes(corpus):
    used = {lab["indicator"] for records in corpus.values() for rec in records for lab in rec["labels"]}
    assert used <= CODES
    assert "violence_escalation" not in used


@pytest.mark.parametrize("style", list(SOURCES))
def test_at_least_a_quarter_hard_negatives_per_style(corpus, style):
    records = corpus[style]
    negs = sum("negative" in rec for rec in records)
    assert negs / len(records) >= 0.25, f"{style}: {negs}/{len(records)}"


def test_every_indicator_labelled_at_least_eight_times(corpus):
    counts = Counter(lab["indicator"] for records in corpus.values() for rec in records for lab in rec["labels"])
    for code in CODES:
        assert counts[code] >= 8, f"{code}: {counts[code]}"


def test_build_refuses_a_span_not_in_its_text(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    (src / "police.txt").write_text(
        "## a bad source\nT: He punched the door.\nL: violence | punched the man\n", encoding="utf-8"
    )
    with pytest.raises(SystemExit) as err:
        build_q.build(src)
    msg = str(err.value)
    assert "police.txt:3" in msg
    assert "not found" in msg


def test_build_refuses_unknown_indicator_and_duplicates(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    (src / "court.txt").write_text("T: He hit him.\nL: violence_escalation | hit him\n", encoding="utf-8")
    with pytest.raises(SystemExit) as err:
        build_q.build(src)
    assert "court.txt:2" in str(err.value)
    assert "unknown indicator" in str(err.value)
    (src / "court.txt").write_text("T: He hit him.\nL: violence | hit him\nL: violence | hit him\n", encoding="utf-8")
    with pytest.raises(SystemExit) as err:
        build_q.build(src)
    assert "court.txt:3" in str(err.value)
    assert "duplicate label" in str(err.value)
    (src / "court.txt").write_text("T: He hit him.\n\nT: He hit him.\n", encoding="utf-8")
    with pytest.raises(SystemExit) as err:
        build_q.build(src)
    assert "court.txt:3" in str(err.value)
    assert "duplicates" in str(err.value)


def test_build_needs_an_occurrence_for_a_repeated_span(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    (src / "hostel.txt").write_text("T: drunk, then drunk again.\nL: substance_misuse | drunk\n", encoding="utf-8")
    with pytest.raises(SystemExit) as err:
        build_q.build(src)
    assert "hostel.txt:2" in str(err.value)
    (src / "hostel.txt").write_text("T: drunk, then drunk again.\nL: substance_misuse | drunk | 2\n", encoding="utf-8")
    rec = build_q.build(src)["hostel"][0]
    assert rec["labels"][0]["start"] == 12


def test_every_indicator_in_at_least_twenty_texts(corpus):
    texts: Counter[str] = Counter()
    for records in corpus.values():
        for rec in records:
            for code in {lab["indicator"] for lab in rec["labels"]}:
                texts[code] += 1
    for code in CODES:
        assert texts[code] >= 20, f"{code}: {texts[code]} texts"


def test_at_least_forty_percent_of_texts_have_two_or_more_sentences(corpus):
    import re

    records = [rec for records in corpus.values() for rec in records]
    multi = sum(len(re.findall(r"[.!?](\s|$)", rec["text"])) >= 2 for rec in records)
    assert multi / len(records) >= 0.40, f"{multi}/{len(records)}"
    assert len(records) >= 320

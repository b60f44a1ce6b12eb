"""The held-out evaluation corpus is well formed and matches its hand-written sources.

These tests check the corpus files only; they never run the scanner (the corpus must stay independent of it).
"""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

import pytest
from hypothesis import given
from hypothesis import strategies as st

HERE = Path(__file__).resolve().parent

# The 14 text indicators of docs/indicators.md ("The taxonomy"); violence_escalation is found across records.
TEXT_INDICATORS = {
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


def _load_build() -> ModuleType:
    spec = importlib.util.spec_from_file_location("indicator_eval_build", HERE / "build.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


build = _load_build()


def _entries(style: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in (HERE / f"{style}.jsonl").read_text(encoding="utf-8").splitlines()]


def test_codes_cover_exactly_the_text_indicators() -> None:
    assert set(build.CODES.values()) == TEXT_INDICATORS


@pytest.mark.parametrize("style", list(build.STYLES))
def test_jsonl_is_rebuilt_from_its_source(style: str) -> None:
    expected = "".join(e.as_json() + "\n" for e in build.parse(style, HERE / "raw" / f"{style}.txt"))
    assert (HERE / f"{style}.jsonl").read_text(encoding="utf-8") == expected, "run tests/data/indicator-eval/build.py"


@pytest.mark.parametrize("style", list(build.STYLES))
def test_every_label_matches_its_text(style: str) -> None:
    entries = _entries(style)
    assert len(entries) >= 200
    ids = [e["id"] for e in entries]
    assert len(set(ids)) == len(ids)
    for e in entries:
        assert e["style"] == style
        assert e["source"] == build.STYLES[style]
        text = e["text"]
        assert isinstance(text, str)
        labels = e["labels"]
        assert isinstance(labels, list)
        for label in labels:
            assert label["indicator"] in TEXT_INDICATORS, e["id"]
            assert text[label["start"] : label["end"]] == label["text"], e["id"]
            assert label["text"] == label["text"].strip() != "", e["id"]
        if not labels:
            assert e.get("negative") in build.NEGATIVE_KINDS, f"{e['id']} has no label and no negative kind"


def test_at_least_a_quarter_are_hard_negatives_in_every_style() -> None:
    for style in build.STYLES:
        entries = _entries(style)
        hard = [e for e in entries if e.get("negative") not in (None, "benign")]
        assert len(hard) / len(entries) >= 0.25, style


def test_every_indicator_is_labelled_in_the_corpus() -> None:
    seen = {label["indicator"] for style in build.STYLES for e in _entries(style) for label in e["labels"]}
    assert seen == TEXT_INDICATORS


@pytest.mark.parametrize(
    ("source", "reason"),
    [
        ("He hit her.\n= V kicked\n", "does not occur"),
        ("He hit her and hit him.\n= V hit\n", "occurs 2 times"),
        ("He hit her and hit him.\n= V hit@3\n", "not 3"),
        ("He hit her.\n= X hit\n", "unknown indicator code"),
        ("He hit her.\nhit\n", "expected a label line"),
        ("He hit her.\n! maybe\n", "unknown negative kind"),
        ("A quiet week.\n", "needs a '! kind' line"),
        ("He hit her.\n= V hit\n! benign\n", "marked benign but has labels"),
        ("Same.\n! benign\n\nSame.\n! benign\n", "same text"),
        ("He hit her.\n= V\n", "is empty"),
    ],
)
def test_bad_sources_are_refused_with_the_reason(tmp_path: Path, source: str, reason: str) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "police.txt").write_text(source, encoding="utf-8")
    with pytest.raises(build.CorpusError, match=reason):
        build.parse("police", raw / "police.txt")


def test_occurrence_index_picks_the_nth_match() -> None:
    text = "He hit her and then hit him."
    start, end, span = build.locate(text, "hit@2", "here")
    assert (start, end, span) == (text.rindex("hit"), text.rindex("hit") + 3, "hit")


@given(
    st.text(alphabet="abc .", min_size=1, max_size=40),
    st.integers(min_value=0, max_value=39),
    st.integers(min_value=1, max_value=6),
)
def test_located_spans_always_match_the_text(text: str, at: int, length: int) -> None:
    span = text[at : at + length].strip()
    if not span:
        return
    hits = [i for i in range(len(text)) if text.startswith(span, i)]
    for n in range(1, len(hits) + 1):
        start, end, found = build.locate(text, f"{span}@{n}", "here")
        assert text[start:end] == found == span
        assert start == hits[n - 1]
    if len(hits) == 1:
        assert build.locate(text, span, "here")[0] == hits[0]
    else:
        with pytest.raises(build.CorpusError, match="say which with @n"):
            build.locate(text, span, "here")

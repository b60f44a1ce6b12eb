"""Reading an annotated indicator corpus (tests/data/indicator-corpus.jsonl; format in docs/indicators.md)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass

from keepsafe.core.jsonlines import NotAnObjectError, in_words, line_object
from keepsafe.records.rules.indicators import CROSS_RECORD, INDICATORS


@dataclass(frozen=True)
class Annotation:
    indicator: str
    start: int
    end: int


@dataclass(frozen=True)
class CorpusItem:
    id: str
    source: str
    text: str
    labels: tuple[Annotation, ...]
    style: str = ""  # the record style (police, prison_intelligence...); the source when the file gives none


class CorpusError(ValueError):
    def __init__(self, line: int, field: str, reason: str) -> None:
        super().__init__(f"line {line}: {field}: {reason}")
        self.line, self.field, self.reason = line, field, reason


def read_corpus(lines: Iterable[str]) -> list[CorpusItem]:
    """Every problem names its line and field; ids must be unique and every span must match its text."""
    items: list[CorpusItem] = []
    seen: set[str] = set()
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:
            raise CorpusError(number, "(line)", f"not valid JSON: {in_words(exc.msg)}") from exc
        try:
            data = line_object(data)
        except NotAnObjectError as exc:
            raise CorpusError(number, "(line)", exc.reason) from exc
        item_id, text, labels = data.get("id"), data.get("text"), data.get("labels")
        if not isinstance(item_id, str) or not item_id:
            raise CorpusError(number, "id", "needs a non-empty string id")
        if item_id in seen:
            raise CorpusError(number, "id", f"{item_id!r} is used twice")
        seen.add(item_id)
        if not isinstance(text, str) or not text.strip():
            raise CorpusError(number, "text", "needs the sentence text")
        if not isinstance(labels, list):
            raise CorpusError(number, "labels", "needs a list (empty when nothing should be found)")
        annotations = []
        for index, label in enumerate(labels):
            field = f"labels[{index}]"
            if not isinstance(label, dict):
                raise CorpusError(number, field, "must be an object")
            indicator, start, end = label.get("indicator"), label.get("start"), label.get("end")
            if indicator not in INDICATORS or indicator in CROSS_RECORD:
                raise CorpusError(number, f"{field}.indicator", f"{indicator!r} is not a single-text indicator")
            if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text)):
                raise CorpusError(number, f"{field}.start", "start and end must be offsets within the text")
            if "text" in label and text[start:end] != label["text"]:
                raise CorpusError(
                    number, f"{field}.text", f"{label['text']!r} does not match the span {text[start:end]!r}"
                )
            annotations.append(Annotation(indicator, start, end))
        source = str(data.get("source", ""))
        style = data.get("style") or source or "(no style)"
        if not isinstance(style, str):
            raise CorpusError(number, "style", "must be a string")
        items.append(CorpusItem(item_id, source, text, tuple(annotations), style))
    return items

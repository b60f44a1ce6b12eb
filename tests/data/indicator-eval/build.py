"""Build the held-out indicator evaluation corpus from its hand-written sources.

Sources live in ``raw/<style>.txt``. One entry per block, blocks separated by a blank line:

    The text, on one line (a sentence or a short paragraph).
    = V punched
    = W a bottle@2
    = DA punched
    ! negation

The first line is the text. Each ``= CODE span`` line is a label: CODE names the indicator (table below) and
span is the exact text of the label, found in the text by this script; ``@n`` picks the n-th occurrence (1-based)
when the span appears more than once. A block with no label lines is a text where nothing should be found.
An optional ``! kind`` line says why the text is a negative on purpose (kinds in ``NEGATIVE_KINDS``;
``benign`` marks an easy negative, every other kind a hard one). It is written to the .jsonl as
``"negative"`` and may also sit on a text that has some labels (e.g. a threat to himself, which is
labelled ``mental_health`` but must not be found as ``threats``).
Lines starting with ``#`` are comments. A span that is not found, is ambiguous without ``@n``, or an unknown code
stops the build with the file, line and reason; nothing is written then.

Writes ``<style>.jsonl`` next to this script, one object per text:
``{"id", "style", "source", "text", "labels": [{"indicator", "start", "end", "text"}]}`` plus ``"negative"``
when the entry carries a ``! kind`` line.

Run: ``python tests/data/indicator-eval/build.py`` (``--check`` verifies the .jsonl files are up to date).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent

CODES: dict[str, str] = {
    "W": "weapons",
    "T": "threats",
    "V": "violence",
    "P": "pro_violence_attitudes",
    "C": "callousness",
    "DA": "domestic_abuse",
    "S": "stalking",
    "OB": "order_breach",
    "CS": "child_safeguarding",
    "SH": "sexual_harm",
    "SM": "substance_misuse",
    "D": "disengagement",
    "A": "accommodation_loss",
    "MH": "mental_health",
}

STYLES: dict[str, str] = {
    "police": "POLICE",
    "prison": "PRISON",
    "childrens": "CHILDRENS_SERVICES",
    "court": "COURT",
}

NEGATIVE_KINDS: dict[str, str] = {
    "negation": "harm named and denied or stated absent (no threats made, never violent, no DA callouts)",
    "form": "a form's headings answered None known / No",
    "admin": "administrative text: checks requested or outstanding, no record held, wrong person",
    "hypothetical": "conditional or hypothetical wording (if he were to..., would need to...)",
    "victim": "he is the victim or a witness of the harm, not its author",
    "order-made": "a protective order or bail conditions made, served, varied, refused or expired, no breach",
    "other-breach": "breach of licence, bail, a community or suspended sentence order or a CBO, not a civil order",
    "property": "damage to property only, nobody harmed or threatened",
    "cleared": "allegation not substantiated, acquitted, withdrawn, accidental or NFA",
    "other-party": "harm by or among other people, he was not involved",
    "self": "a threat or harm to himself only: mental_health at most, never threats or violence",
    "benign": "routine text with no harm vocabulary (an easy negative)",
}

_OCCURRENCE = re.compile(r"^(?P<span>.*?)@(?P<n>[1-9][0-9]*)$")


class CorpusError(ValueError):
    """A source entry that cannot be turned into a correct label."""


@dataclass(frozen=True)
class Label:
    indicator: str
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Entry:
    id: str
    style: str
    source: str
    text: str
    labels: tuple[Label, ...]
    negative: str | None = None

    def as_json(self) -> str:
        obj: dict[str, object] = {
            "id": self.id,
            "style": self.style,
            "source": self.source,
            "text": self.text,
            "labels": [
                {"indicator": lb.indicator, "start": lb.start, "end": lb.end, "text": lb.text} for lb in self.labels
            ],
        }
        if self.negative is not None:
            obj["negative"] = self.negative
        return json.dumps(obj, ensure_ascii=False)


def _occurrences(text: str, span: str) -> list[int]:
    found: list[int] = []
    at = text.find(span)
    while at != -1:
        found.append(at)
        at = text.find(span, at + 1)
    return found


def locate(text: str, spec: str, where: str) -> tuple[int, int, str]:
    """Offsets of the label described by ``spec`` (``span`` or ``span@n``) in ``text``."""
    wanted: int | None = None
    span = spec
    m = _OCCURRENCE.match(spec)
    if m is not None:
        span, wanted = m.group("span"), int(m.group("n"))
    if not span or span != span.strip():
        raise CorpusError(f"{where}: label span {spec!r} is empty or has surrounding spaces")
    hits = _occurrences(text, span)
    if not hits:
        raise CorpusError(f"{where}: label span {span!r} does not occur in the text")
    if wanted is None:
        if len(hits) > 1:
            raise CorpusError(f"{where}: label span {span!r} occurs {len(hits)} times; say which with @n")
        start = hits[0]
    else:
        if wanted > len(hits):
            raise CorpusError(f"{where}: label span {span!r} occurs {len(hits)} times, not {wanted}")
        start = hits[wanted - 1]
    return start, start + len(span), span


def parse(style: str, path: Path) -> list[Entry]:
    source = STYLES[style]
    blocks: list[list[tuple[int, str]]] = [[]]
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.rstrip()
        if line.startswith("#"):
            continue
        if not line:
            if blocks[-1]:
                blocks.append([])
            continue
        blocks[-1].append((number, line))
    entries: list[Entry] = []
    seen_texts: dict[str, int] = {}
    for block in blocks:
        if not block:
            continue
        first_line, text = block[0]
        where = f"{path.name}:{first_line}"
        if text.startswith("="):
            raise CorpusError(f"{where}: a block must start with its text, not a label")
        if text in seen_texts:
            raise CorpusError(f"{where}: same text as the entry at line {seen_texts[text]}")
        seen_texts[text] = first_line
        labels: list[Label] = []
        negative: str | None = None
        for number, line in block[1:]:
            lwhere = f"{path.name}:{number}"
            if line.startswith("! "):
                kind = line[2:].strip()
                if kind not in NEGATIVE_KINDS:
                    raise CorpusError(f"{lwhere}: unknown negative kind {kind!r} (known: {', '.join(NEGATIVE_KINDS)})")
                if negative is not None:
                    raise CorpusError(f"{lwhere}: a second negative kind for the same text")
                negative = kind
                continue
            if not line.startswith("= "):
                raise CorpusError(f"{lwhere}: expected a label line '= CODE span', got {line!r}")
            code, _, spec = line[2:].partition(" ")
            if code not in CODES:
                raise CorpusError(f"{lwhere}: unknown indicator code {code!r} (known: {', '.join(CODES)})")
            start, end, span = locate(text, spec.strip(), lwhere)
            label = Label(CODES[code], start, end, span)
            if label in labels:
                raise CorpusError(f"{lwhere}: duplicate label {code} {span!r}")
            labels.append(label)
        labels.sort(key=lambda lb: (lb.start, lb.end, lb.indicator))
        if not labels and negative is None:
            raise CorpusError(f"{where}: a text with no label needs a '! kind' line saying why it is a negative")
        if negative == "benign" and labels:
            raise CorpusError(f"{where}: marked benign but has labels")
        entries.append(Entry(f"{style}-{len(entries) + 1:04d}", style, source, text, tuple(labels), negative))
    return entries


def build(check: bool) -> int:
    stale: list[str] = []
    totals: Counter[str] = Counter()
    openings: Counter[str] = Counter()
    for style in STYLES:
        raw = HERE / "raw" / f"{style}.txt"
        if not raw.exists():
            continue
        entries = parse(style, raw)
        out = HERE / f"{style}.jsonl"
        body = "".join(e.as_json() + "\n" for e in entries)
        if check:
            if not out.exists() or out.read_text(encoding="utf-8") != body:
                stale.append(out.name)
        else:
            out.write_text(body, encoding="utf-8")
        for e in entries:
            for sentence in re.split(r"(?<=[.!?])\s+", e.text):
                openings[" ".join(sentence.lower().split()[:4])] += 1
        per_ind: Counter[str] = Counter()
        texts_with: Counter[str] = Counter()
        for e in entries:
            per_ind.update(lb.indicator for lb in e.labels)
            texts_with.update({lb.indicator for lb in e.labels})
        negatives = sum(1 for e in entries if not e.labels)
        hard = sum(1 for e in entries if e.negative not in (None, "benign"))
        kinds: Counter[str] = Counter(e.negative for e in entries if e.negative is not None)
        paragraphs = sum(1 for e in entries if len(re.findall(r"[.!?](\s|$)", e.text)) >= 2)
        totals["texts"] += len(entries)
        totals["negatives"] += negatives
        totals["hard"] += hard
        for kind, n in kinds.items():
            totals["kind:" + kind] += n
        totals["paragraphs"] += paragraphs
        for ind, n in texts_with.items():
            totals[ind] += n
        print(
            f"{style}: {len(entries)} texts, {paragraphs} of 2+ sentences, {negatives} with no label "
            f"({negatives / max(len(entries), 1):.0%}), {hard} hard negatives "
            f"({hard / max(len(entries), 1):.0%}), {sum(per_ind.values())} labels"
        )
        print("    negatives by kind: " + ", ".join(f"{k} {kinds[k]}" for k in NEGATIVE_KINDS if kinds[k]))
        for ind in CODES.values():
            print(f"    {ind:24s} labels {per_ind[ind]:4d}  texts {texts_with[ind]:4d}")
    n = totals["texts"]
    print(
        f"all: {n} texts, {totals['paragraphs']} of 2+ sentences, {totals['negatives']} with no label "
        f"({totals['negatives'] / max(n, 1):.0%}), {totals['hard']} hard negatives ({totals['hard'] / max(n, 1):.0%})"
    )
    print("    negatives by kind: " + ", ".join(f"{k} {totals['kind:' + k]}" for k in NEGATIVE_KINDS))
    for ind in CODES.values():
        print(f"    {ind:24s} texts {totals[ind]:4d}")
    repeated = [f"{opening!r} x{n}" for opening, n in openings.most_common() if n > 2]
    print("sentence openings (first 4 words) used more than twice: " + ("; ".join(repeated) or "none"))
    if stale:
        print(f"out of date (run build.py): {', '.join(stale)}", file=sys.stderr)
        return 1
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="verify the .jsonl files match their sources")
    args = parser.parse_args()
    try:
        return build(args.check)
    except CorpusError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())

"""Build the held-out evaluation corpus B (styles practitioner, victim, hostel, health).

Reads the hand-written sources in b-src/<style>-<n>.txt and writes <style>.jsonl next to this file.

Source format, one text per block (blocks separated by blank lines, ``##`` starts a comment line):
    T: <text>            a text
    T! <text>            a text written as a hard negative (a trap: negation, hypothesis, him as victim, ...)
    L: <indicator> | <span> [| <occurrence, 1-based>]
Offsets are computed by finding the span in the text at word boundaries; a span that is not found, or that occurs
more than once without an explicit occurrence, stops the build with the file and line.
Run: python tests/data/indicator-eval/build_b.py
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
STYLES = {"practitioner": "PRACTITIONER", "victim": "VICTIM_LIAISON", "hostel": "PARTNER", "health": "PARTNER"}
INDICATORS = (
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
)


def occurrences(text: str, span: str) -> list[int]:
    found = []
    for m in re.finditer(re.escape(span), text):
        s, e = m.start(), m.end()
        if span[0].isalnum() and s > 0 and text[s - 1].isalnum():
            continue
        if span[-1].isalnum() and e < len(text) and text[e].isalnum():
            continue
        found.append(s)
    return found


def parse(path: Path) -> list[dict[str, object]]:
    items: list[dict[str, object]] = []
    cur: dict[str, object] | None = None
    for n, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.rstrip()
        where = f"{path.name}:{n}"
        if not line.strip() or line.startswith("##"):
            continue
        if line.startswith(("T:", "T!")):
            cur = {"text": line[2:].strip(), "neg": line.startswith("T!"), "labels": [], "where": where}
            items.append(cur)
        elif line.startswith("L:"):
            if cur is None:
                sys.exit(f"{where}: label before any text")
            parts = [p.strip() for p in line[2:].split("|")]
            if len(parts) not in (2, 3):
                sys.exit(f"{where}: label needs 'indicator | span [| occurrence]'")
            ind, span = parts[0], parts[1]
            if ind not in INDICATORS:
                sys.exit(f"{where}: unknown indicator {ind!r}")
            text = str(cur["text"])
            occ = occurrences(text, span)
            if not occ:
                sys.exit(f"{where}: span {span!r} not found in text {text!r}")
            if len(parts) == 3:
                k = int(parts[2])
                if not 1 <= k <= len(occ):
                    sys.exit(f"{where}: span {span!r} has {len(occ)} occurrences, asked for {k}")
                start = occ[k - 1]
            else:
                if len(occ) > 1:
                    sys.exit(f"{where}: span {span!r} occurs {len(occ)} times; give the occurrence")
                start = occ[0]
            label = {"indicator": ind, "start": start, "end": start + len(span), "text": span}
            labels = cur["labels"]
            assert isinstance(labels, list)
            if label in labels:
                sys.exit(f"{where}: duplicate label")
            labels.append(label)
        else:
            sys.exit(f"{where}: cannot read line {line!r}")
    return items


def main() -> None:
    seen: dict[str, str] = {}
    total: Counter[str] = Counter()
    for style, source in STYLES.items():
        items: list[dict[str, object]] = []
        for path in sorted((HERE / "b-src").glob(f"{style}-*.txt")):
            items.extend(parse(path))
        if not items:
            continue
        out = []
        ind_texts: Counter[str] = Counter()
        ind_labels: Counter[str] = Counter()
        empty = negs = 0
        for i, it in enumerate(items, 1):
            text = str(it["text"])
            if text in seen:
                sys.exit(f"{it['where']}: text duplicates {seen[text]}")
            seen[text] = str(it["where"])
            labels = it["labels"]
            assert isinstance(labels, list)
            for lab in labels:
                assert text[lab["start"] : lab["end"]] == lab["text"]
                ind_labels[lab["indicator"]] += 1
            for ind in {lab["indicator"] for lab in labels}:
                ind_texts[ind] += 1
            empty += not labels
            negs += bool(it["neg"])
            out.append({"id": f"{style}-{i:04d}", "style": style, "source": source, "text": text, "labels": labels})
        (HERE / f"{style}.jsonl").write_text(
            "".join(json.dumps(o, ensure_ascii=False) + "\n" for o in out), encoding="utf-8"
        )
        total["texts"] += len(out)
        total["empty"] += empty
        total["neg"] += negs
        print(f"{style}: {len(out)} texts, {empty} with no label, {negs} written as hard negatives")
        for ind in INDICATORS:
            if ind_texts[ind]:
                total[ind] += ind_texts[ind]
                print(f"    {ind:24} texts {ind_texts[ind]:4}  spans {ind_labels[ind]:4}")
    print(f"all: {total['texts']} texts, {total['empty']} with no label, {total['neg']} hard negatives")
    for ind in INDICATORS:
        print(f"    {ind:24} texts {total[ind]:4}")


if __name__ == "__main__":
    main()

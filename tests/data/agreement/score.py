"""How far a second annotator agrees with the writers of the held-out corpora T and U, and the scanner with each.

    PYTHONPATH=src .venv/bin/python tests/data/agreement/score.py

The second annotator's labels (`T1`, `T2`, `U1`, `U2`-labels.jsonl: one line per text, `{"id", "labels": [{"indicator",
"text", "occurrence"}]}`) were written by four helpers who had read neither the code nor any corpus, from the texts
alone with their labels hidden, following `tests/data/indicator-eval/README-b.md` (brief.md is what they were told).
They train and tune nothing. Counting is the scanner's own (`records/rules/evaluation.py`); docs/indicators.md has
the figures.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[2] / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "keepsafe.config.settings.local")

from keepsafe.records.rules.evaluation import Evaluation, evaluate  # noqa: E402
from keepsafe.records.rules.scanner import scan_many  # noqa: E402

Spans = dict[str, list[tuple[int, int]]]


def _written() -> dict[str, tuple[str, Spans]]:
    out: dict[str, tuple[str, Spans]] = {}
    for letter in "tu":
        for path in sorted((HERE.parent / f"indicator-eval-{letter}").glob("*.jsonl")):
            for line in path.read_text(encoding="utf-8").splitlines():
                d = json.loads(line)
                spans: Spans = {}
                for label in d["labels"]:
                    spans.setdefault(label["indicator"], []).append((label["start"], label["end"]))
                out[d["id"]] = (d["text"], spans)
    return out


def _second(written: dict[str, tuple[str, Spans]]) -> dict[str, Spans]:
    out: dict[str, Spans] = {}
    for path in sorted(HERE.glob("*-labels.jsonl")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            d = json.loads(line)
            text = written[d["id"]][0]
            spans: Spans = {}
            for label in d["labels"]:
                start = -1
                for _ in range(int(label.get("occurrence") or 1)):
                    start = text.find(label["text"], start + 1)
                if start < 0:
                    raise SystemExit(f"{path.name} line {number}: {label['text']!r} is not in text {d['id']}")
                spans.setdefault(label["indicator"], []).append((start, start + len(label["text"])))
            out[d["id"]] = spans
    return out


def _show(name: str, result: Evaluation) -> None:
    o = result.overall
    print(f"{name}: precision {o.precision:.3f}, recall {o.recall:.3f}")
    for indicator, c in result.by_indicator.items():
        print(f"    {indicator:24} {c.precision:.3f} {c.recall:.3f}")


def main() -> None:
    written = _written()
    second = _second(written)
    ids = sorted(second)
    scanned: dict[str, Spans] = {}
    for item_id, findings in zip(ids, scan_many(written[i][0] for i in ids), strict=True):
        spans: Spans = {}
        for f in findings:
            spans.setdefault(f.indicator, []).append((f.start, f.end))
        scanned[item_id] = spans
    print(f"{len(ids)} texts")
    _show("second annotator against the writer", evaluate((i, written[i][1], second[i]) for i in ids))
    _show("scanner against the writer", evaluate((i, written[i][1], scanned[i]) for i in ids))
    _show("scanner against the second annotator", evaluate((i, second[i], scanned[i]) for i in ids))


if __name__ == "__main__":
    import django

    django.setup()
    main()

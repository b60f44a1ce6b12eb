"""Precision and recall of the scanner on an annotated corpus, per indicator and per indicator group.

Counting is per sentence and indicator: a prediction is a true positive when one of its spans overlaps an annotated
span of the same indicator. A prediction with no overlapping annotation is a false positive; an annotation with no
overlapping prediction is a false negative (so a right indicator on the wrong words counts against both).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from keepsafe.records.rules.indicators import CROSS_RECORD, GROUPS

Span = tuple[int, int]

# Issue 5, "Done means": every group must reach these on the corpus.
PRECISION_TARGET = 0.90
RECALL_TARGET = 0.85
# Issue 13, on held-out styles: micro precision and recall over every indicator, and no indicator below a recall floor.
MICRO_PRECISION_TARGET = 0.90
MICRO_RECALL_TARGET = 0.90
INDICATOR_RECALL_FLOOR = 0.80


@dataclass(frozen=True)
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def __add__(self, other: Counts) -> Counts:
        return Counts(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def meets_targets(self) -> bool:
        return self.precision >= PRECISION_TARGET and self.recall >= RECALL_TARGET


@dataclass(frozen=True)
class Mistake:
    item: str
    indicator: str
    kind: str  # "missed" or "spurious"
    spans: tuple[Span, ...]


@dataclass(frozen=True)
class Evaluation:
    by_indicator: Mapping[str, Counts]
    by_group: Mapping[str, Counts]
    overall: Counts
    mistakes: tuple[Mistake, ...]

    @property
    def failing_groups(self) -> list[str]:
        return [group for group, counts in self.by_group.items() if not counts.meets_targets]

    @property
    def shortfalls(self) -> list[str]:
        """Issue 13's targets this evaluation misses, each said in words (empty when every target is met)."""
        o = self.overall
        out = []
        if o.precision < MICRO_PRECISION_TARGET:
            out.append(f"micro precision {o.precision:.3f} < {MICRO_PRECISION_TARGET}")
        if o.recall < MICRO_RECALL_TARGET:
            out.append(f"micro recall {o.recall:.3f} < {MICRO_RECALL_TARGET}")
        out += [
            f"{name} recall {c.recall:.3f} < {INDICATOR_RECALL_FLOOR}"
            for name, c in self.by_indicator.items()
            if c.recall < INDICATOR_RECALL_FLOOR
        ]
        return out


def _overlaps(a: Span, b: Span) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def evaluate(
    items: Iterable[tuple[str, Mapping[str, Sequence[Span]], Mapping[str, Sequence[Span]]]],
) -> Evaluation:
    """`items`: (item id, annotated spans by indicator, predicted spans by indicator)."""
    per: dict[str, Counts] = {i: Counts() for group in GROUPS.values() for i in group if i not in CROSS_RECORD}
    mistakes: list[Mistake] = []
    for item_id, gold, predicted in items:
        for indicator in per:
            g, p = gold.get(indicator, ()), predicted.get(indicator, ())
            hit = any(_overlaps(a, b) for a in g for b in p)
            if hit:
                per[indicator] += Counts(tp=1)
                continue
            if g:
                per[indicator] += Counts(fn=1)
                mistakes.append(Mistake(item_id, indicator, "missed", tuple(g)))
            if p:
                per[indicator] += Counts(fp=1)
                mistakes.append(Mistake(item_id, indicator, "spurious", tuple(p)))
    by_group = {group: sum((per[i] for i in members if i in per), Counts()) for group, members in GROUPS.items()}
    return Evaluation(per, by_group, sum(per.values(), Counts()), tuple(mistakes))

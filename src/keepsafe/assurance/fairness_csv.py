"""The fairness report over a CSV file (`keepsafe fairness`): read, filter, check every row, then measure.

Every problem is one line naming the file, the line and the column, and nothing is measured from a file with a
problem (a partial report could be mistaken for a whole one).
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from keepsafe.assurance.rules.fairness import FairnessReport, GroupReport, Observation, fairness_report
from keepsafe.assurance.rules.table_filter import FilterSyntaxError, RowFilter, as_number, parse_filter


class FairnessInputError(Exception):
    """Bad input to the report; the message is one line naming the file, line and column."""


@dataclass(frozen=True, slots=True)
class CsvFairness:
    path: str
    rows_read: int
    rows_kept: int
    filters: tuple[str, ...]
    report: FairnessReport


def _outcome(text: str) -> int | None:
    value = as_number(text)
    return int(value) if value in (0.0, 1.0) else None


def fairness_from_csv(
    path: str, score: str, outcome: str, group: str, threshold: float, filters: Sequence[str] = ()
) -> CsvFairness:
    try:
        parsed: list[RowFilter] = [parse_filter(f) for f in filters]
    except FilterSyntaxError as exc:
        raise FairnessInputError(f"{path}: {exc}") from None
    file = Path(path)
    if not file.exists():
        raise FairnessInputError(f"{path}: no such file")
    if not file.is_file():
        raise FairnessInputError(f"{path}: not a file")
    try:
        with file.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            header = reader.fieldnames or []
            if not header:
                raise FairnessInputError(f"{path}: line 1: the file is empty (no header row)")
            duplicated = sorted({c for c in header if header.count(c) > 1})
            if duplicated:
                raise FairnessInputError(f"{path}: line 1: column {duplicated[0]!r} appears more than once")
            wanted = [("--score", score), ("--outcome", outcome), ("--group", group)]
            wanted += [(f"--filter {f.text!r}", f.column) for f in parsed]
            for option, column in wanted:
                if column not in header:
                    raise FairnessInputError(f"{path}: line 1: no column {column!r} (named by {option})")
            pairs: list[tuple[str, Observation]] = []
            rows_read = 0
            for row in reader:
                rows_read += 1
                line = reader.line_num
                if None in row or any(v is None for v in row.values()):
                    raise FairnessInputError(
                        f"{path}: line {line}: {len(header)} columns expected, the row has a different number"
                    )
                if not all(f.keeps(row) for f in parsed):
                    continue
                value = as_number(row[score].strip())
                if value is None:
                    raise FairnessInputError(
                        f"{path}: line {line}: column {score!r}: score {row[score]!r} is not a finite number"
                    )
                happened = _outcome(row[outcome].strip())
                if happened is None:
                    raise FairnessInputError(
                        f"{path}: line {line}: column {outcome!r}: outcome {row[outcome]!r} is not 0 or 1"
                    )
                pairs.append((row[group].strip(), Observation(score=value, outcome=happened)))
    except OSError as exc:
        raise FairnessInputError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    except UnicodeDecodeError as exc:
        raise FairnessInputError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    except csv.Error as exc:
        raise FairnessInputError(f"{path}: line {reader.line_num}: not valid CSV ({exc})") from None
    if not pairs:
        chosen = " and ".join(repr(f) for f in filters)
        why = f"after filters {chosen}" if filters else "(the file has no data rows)"
        raise FairnessInputError(f"{path}: no rows left to measure {why}")
    return CsvFairness(
        path=path,
        rows_read=rows_read,
        rows_kept=len(pairs),
        filters=tuple(filters),
        report=fairness_report(pairs, threshold),
    )


def score_key(score: float) -> str:
    """A score value as a JSON key: whole numbers without a decimal point (COMPAS deciles read 1…10)."""
    return str(int(score)) if score.is_integer() else repr(score)


def group_json(g: GroupReport) -> dict[str, object]:
    return {
        "n": g.n,
        "small": g.small,
        "tp": g.matrix.tp,
        "fp": g.matrix.fp,
        "tn": g.matrix.tn,
        "fn": g.matrix.fn,
        "fpr": g.fpr,
        "fnr": g.fnr,
        "ppv": g.ppv,
        "auc": g.auc,
        "auc_ci": list(g.auc_ci) if g.auc_ci is not None else None,
        "calibration": {score_key(c.score): {"n": c.n, "observed_rate": c.observed_rate} for c in g.calibration},
    }


def fairness_json(result: CsvFairness, score: str, outcome: str, group: str) -> dict[str, object]:
    report = result.report
    return {
        "file": result.path,
        "score": score,
        "outcome": outcome,
        "group": group,
        "threshold": report.threshold,
        "filters": list(result.filters),
        "rows_read": result.rows_read,
        "rows_kept": result.rows_kept,
        "auc_ci_method": "DeLong 1988, 95% Wald interval clipped to [0, 1]",
        "overall": group_json(report.overall),
        "groups": {name: group_json(g) for name, g in report.groups.items()},
    }

"""Workload points and capacity, as the HMPPS workload measurement tool computes them (hmpps-workload; hmpps.md §2c).

The tables (tier points per case type, the T2A row, court reports, grade targets and hours, reductions) are data:
`oversight/reference/workload.json` holds the published values; `workload_regions.json` overrides them per region
code (docs/workforce.md "Workload and capacity"). Nothing here imports Django.
"""

from __future__ import annotations

import enum
import functools
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from importlib import resources
from typing import Any

from keepsafe.people.rules.vocabulary import CUSTODIAL_SENTENCES, SentenceType
from keepsafe.workforce.rules.grades import Grade

TIERS = tuple(f"{letter}{n}" for letter in "ABCD" for n in (3, 2, 1, 0))


class CaseType(enum.StrEnum):
    """hmpps-workload `WL/domain/CaseType.kt`: COMMUNITY, LICENSE (spelt LICENCE here), CUSTODY."""

    COMMUNITY = "COMMUNITY"
    LICENCE = "LICENCE"
    CUSTODY = "CUSTODY"


class CourtReport(enum.StrEnum):
    """hmpps-workload seed `sdr` (standard report) and `sdr_conversion` (fast report)."""

    STANDARD = "STANDARD"
    FAST = "FAST"


class WorkloadTableError(ValueError):
    """A workload table (published default or region override) is malformed; the message names the key."""


@dataclass(frozen=True)
class ReductionReason:
    code: str
    label: str
    allowance_percent: Decimal | None  # None: the hours are entered
    maximum: bool  # True: the allowance is a ceiling on entered hours, not a fixed amount
    expiry_months: int | None


@dataclass(frozen=True)
class WorkloadTables:
    tier_points: Mapping[CaseType, Mapping[str, int]]
    t2a_tier_points: Mapping[CaseType, Mapping[str, int]]
    t2a_ages: tuple[int, int]
    court_reports: Mapping[CourtReport, int]
    nominal_target: Mapping[str, int]
    default_contracted_hours: Mapping[str, Decimal]
    reductions: Mapping[str, ReductionReason]


def _int_table(raw: Any, where: str) -> dict[str, int]:
    if not isinstance(raw, dict):
        raise WorkloadTableError(f"{where}: expected an object")
    out: dict[str, int] = {}
    for key, value in raw.items():
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise WorkloadTableError(f"{where}.{key}: {value!r} is not a whole number of points ≥ 0")
        out[key] = value
    return out


def _tier_table(raw: Any, where: str) -> dict[CaseType, dict[str, int]]:
    if not isinstance(raw, dict) or set(raw) != {c.value for c in CaseType}:
        raise WorkloadTableError(f"{where}: expected exactly the case types {', '.join(CaseType)}")
    out: dict[CaseType, dict[str, int]] = {}
    for case_type in CaseType:
        table = _int_table(raw[case_type.value], f"{where}.{case_type.value}")
        if set(table) != set(TIERS):
            raise WorkloadTableError(f"{where}.{case_type.value}: expected exactly the tiers {', '.join(TIERS)}")
        out[case_type] = table
    return out


def tables_from(raw: Mapping[str, Any]) -> WorkloadTables:
    """Parse and check a workload table document (workload.json's shape); a bad key gets a WorkloadTableError."""
    reductions: dict[str, ReductionReason] = {}
    raw_reductions = raw.get("reductions")
    if not isinstance(raw_reductions, dict) or not raw_reductions:
        raise WorkloadTableError("reductions: expected a non-empty object of reason codes")
    for code, r in raw_reductions.items():
        if not isinstance(r, dict):
            raise WorkloadTableError(f"reductions.{code}: expected an object")
        pct, expiry = r.get("allowance_percent"), r.get("expiry_months")
        if pct is not None and (not isinstance(pct, int | float) or not 0 < pct <= 100):
            raise WorkloadTableError(f"reductions.{code}.allowance_percent: {pct!r} is not a percentage in (0, 100]")
        if expiry is not None and (not isinstance(expiry, int) or expiry <= 0):
            raise WorkloadTableError(f"reductions.{code}.expiry_months: {expiry!r} is not a whole number of months")
        if r.get("maximum") and pct is None:
            raise WorkloadTableError(f"reductions.{code}: a maximum needs an allowance_percent")
        reductions[code] = ReductionReason(
            code=code,
            label=str(r.get("label") or code),
            allowance_percent=None if pct is None else Decimal(str(pct)),
            maximum=bool(r.get("maximum")),
            expiry_months=expiry,
        )
    ages = raw.get("t2a_ages")
    if not isinstance(ages, dict) or not isinstance(ages.get("from"), int) or not isinstance(ages.get("to"), int):
        raise WorkloadTableError("t2a_ages: expected {'from': age, 'to': age}")
    reports = _int_table(raw.get("court_reports"), "court_reports")
    if set(reports) != {c.value for c in CourtReport}:
        raise WorkloadTableError(f"court_reports: expected exactly {', '.join(CourtReport)}")
    hours = raw.get("default_contracted_hours")
    if not isinstance(hours, dict) or not all(isinstance(v, int | float) and v >= 0 for v in hours.values()):
        raise WorkloadTableError("default_contracted_hours: expected hours ≥ 0 per grade key")
    nominal = _int_table(raw.get("nominal_target"), "nominal_target")
    for key in ("PO", "SPO"):
        if key not in nominal or key not in hours:
            raise WorkloadTableError(f"nominal_target and default_contracted_hours need the {key} value")
    if "PSO" not in hours:
        raise WorkloadTableError("default_contracted_hours needs the PSO value")
    return WorkloadTables(
        tier_points=_tier_table(raw.get("tier_points"), "tier_points"),
        t2a_tier_points=_tier_table(raw.get("t2a_tier_points"), "t2a_tier_points"),
        t2a_ages=(ages["from"], ages["to"]),
        court_reports={CourtReport(k): v for k, v in reports.items()},
        nominal_target=nominal,
        default_contracted_hours={k: Decimal(str(v)) for k, v in hours.items()},
        reductions=reductions,
    )


def _merged(base: dict[str, Any], override: Mapping[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merged(out[key], value)
        else:
            out[key] = value
    return out


def _reference(name: str) -> dict[str, Any]:
    text = resources.files("keepsafe.oversight").joinpath("reference", name).read_text(encoding="utf-8")
    loaded: dict[str, Any] = json.loads(text)
    return loaded


def published_tables() -> WorkloadTables:
    """The published values (hmpps-workload V1_1__SEED_REF_DATA.sql standard and T2A rows; hmpps.md §2c)."""
    return tables_from(_reference("workload.json"))


def region_tables(region_code: str | None, overrides: Mapping[str, Any] | None = None) -> WorkloadTables:
    """Keepsafe's rule (issue 15 §1, "configurable per region"): the published tables with the region's overrides
    (`workload_regions.json` → regions → code) merged over them, key by key."""
    if overrides is None:
        return _stored_region_tables(region_code)
    return _region_tables(region_code, overrides)


@functools.cache
def _stored_region_tables(region_code: str | None) -> WorkloadTables:
    """The shipped files are read and checked once per region per process (a national import asks per staff)."""
    return _region_tables(region_code, _reference("workload_regions.json").get("regions", {}))


def _region_tables(region_code: str | None, regions: Mapping[str, Any]) -> WorkloadTables:
    base = _reference("workload.json")
    if region_code and region_code in regions:
        return tables_from(_merged(base, regions[region_code]))
    return tables_from(base)


def add_months(day: date, months: int) -> date:
    """The same date `months` later (the last day of the month when it has no such day): how expiries count."""
    year, month = divmod(day.year * 12 + day.month - 1 + months, 12)
    for candidate in (day.day, 30, 29, 28):
        try:
            return date(year, month + 1, candidate)
        except ValueError:
            continue
    raise ValueError(f"cannot step {months} months from {day}")


# --- Case type and points -------------------------------------------------------------------------------------------


def case_type(sentence_type: SentenceType, release: date | None, day: date) -> CaseType:
    """hmpps-workload CaseType (COMMUNITY/LICENSE/CUSTODY): a community or suspended sentence is COMMUNITY; a
    custodial sentence is CUSTODY until the release date and LICENCE from it."""
    if sentence_type not in CUSTODIAL_SENTENCES:
        return CaseType.COMMUNITY
    return CaseType.LICENCE if release is not None and release <= day else CaseType.CUSTODY


def is_t2a(date_of_birth: date | None, day: date, tables: WorkloadTables) -> bool:
    """Keepsafe's default (workload.json t2a_ages): a transition-to-adulthood case is one aged 18–20 on the day."""
    if date_of_birth is None:
        return False
    age = day.year - date_of_birth.year - ((day.month, day.day) < (date_of_birth.month, date_of_birth.day))
    low, high = tables.t2a_ages
    return low <= age <= high


def case_points(tier: str | None, kind: CaseType, tables: WorkloadTables, *, t2a: bool = False) -> int:
    """hmpps-workload WorkloadCalculator: the tier points of a case of this type (T2A row for T2A cases); an
    unsupervised "S" tier counts 0 (V1_64/V1_65) and so does a case with no tier yet (nothing to weigh)."""
    if not tier or tier not in TIERS:
        return 0
    return (tables.t2a_tier_points if t2a else tables.tier_points)[kind][tier]


def court_report_points(reports: Iterable[CourtReport], tables: WorkloadTables) -> int:
    """hmpps-workload seed: a standard report (`sdr`) 138 points, a fast report (`sdr_conversion`) 65."""
    return sum(tables.court_reports[r] for r in reports)


@dataclass(frozen=True)
class WorkloadCase:
    tier: str | None
    kind: CaseType
    t2a: bool = False


def total_points(cases: Iterable[WorkloadCase], reports: Iterable[CourtReport], tables: WorkloadTables) -> int:
    """hmpps-workload WorkloadCalculator: Σ case tier points + court reports (weighted contacts are not recorded in
    Keepsafe, so they add nothing — docs/workforce.md)."""
    return sum(case_points(c.tier, c.kind, tables, t2a=c.t2a) for c in cases) + court_report_points(reports, tables)


# --- Grades, reductions, available points ---------------------------------------------------------------------------


def nominal_target(grade: Grade, tables: WorkloadTables) -> int:
    """hmpps-workload WorkloadPointsEntity: the SPO value for an SPO, the PO value for every other grade."""
    return tables.nominal_target["SPO" if grade is Grade.SPO else "PO"]


def default_contracted_hours(grade: Grade, tables: WorkloadTables) -> Decimal:
    """hmpps-workload WorkloadPointsEntity: PO and PQiP use the PO value, PSO its own, others the SPO value."""
    match grade:
        case Grade.PO | Grade.PQIP:
            return tables.default_contracted_hours["PO"]
        case Grade.PSO:
            return tables.default_contracted_hours["PSO"]
    return tables.default_contracted_hours["SPO"]


@dataclass(frozen=True)
class Reduction:
    reason: str
    hours: Decimal | None  # None: the reason's allowance % of contracted hours
    start: date
    end: date | None


def reduction_problem(reduction: Reduction, contracted_hours: Decimal, tables: WorkloadTables) -> str | None:
    """hmpps.md §2c reductions table: the reason must be a published one; reasons without an allowance need hours;
    a "max" allowance caps the hours entered; hours are > 0 and the end is not before the start. None when fine."""
    reason = tables.reductions.get(reduction.reason)
    if reason is None:
        return f"reason {reduction.reason!r} is not one of {', '.join(sorted(tables.reductions))}"
    if reduction.end is not None and reduction.end < reduction.start:
        return f"end {reduction.end.isoformat()} is before start {reduction.start.isoformat()}"
    if reduction.hours is None:
        if reason.allowance_percent is None:
            return f"reason {reason.code} ({reason.label}) has no published allowance: enter the hours"
        return None
    if reduction.hours <= 0:
        return f"hours {reduction.hours} must be more than 0"
    if reason.maximum and reason.allowance_percent is not None:
        ceiling = contracted_hours * reason.allowance_percent / 100
        if reduction.hours > ceiling:
            return f"{reason.label} is at most {reason.allowance_percent}% of {contracted_hours} h = {ceiling} h"
    return None


def reduction_ends(reduction: Reduction, tables: WorkloadTables) -> date | None:
    """hmpps.md §2c: a reduction with an expiry in months ends then (exclusive) unless its own end comes first."""
    reason = tables.reductions.get(reduction.reason)
    expiry = (
        None if reason is None or reason.expiry_months is None else add_months(reduction.start, reason.expiry_months)
    )
    if reduction.end is None:
        return expiry
    last_day_after = date.fromordinal(reduction.end.toordinal() + 1)
    return last_day_after if expiry is None else min(expiry, last_day_after)


def is_active(reduction: Reduction, day: date, tables: WorkloadTables) -> bool:
    """hmpps-workload GetReductionService: only active reductions count — started by the day and not yet ended
    (the end date is the last day; an expiry of N months ends on the same date N months after the start)."""
    ends = reduction_ends(reduction, tables)
    return reduction.start <= day and (ends is None or day < ends)


def reduction_hours(reduction: Reduction, contracted_hours: Decimal, tables: WorkloadTables) -> Decimal:
    """hmpps.md §2c: the hours entered, or the reason's allowance % of the contracted hours."""
    if reduction.hours is not None:
        return reduction.hours
    reason = tables.reductions[reduction.reason]
    if reason.allowance_percent is None:
        raise ValueError(f"reduction {reduction.reason} has neither hours nor an allowance")
    return contracted_hours * reason.allowance_percent / 100


def available_hours(
    contracted_hours: Decimal, reductions: Iterable[Reduction], day: date, tables: WorkloadTables
) -> Decimal:
    """hmpps-workload WorkloadCalculationService: contracted hours − active reduction hours."""
    active = [r for r in reductions if is_active(r, day, tables)]
    return contracted_hours - sum((reduction_hours(r, contracted_hours, tables) for r in active), Decimal(0))


@dataclass(frozen=True)
class Available:
    points: int
    problem: str | None  # why the points are 0 when they cannot be worked out


def available_points(grade: Grade, hours: Decimal, tables: WorkloadTables) -> Available:
    """hmpps-workload CapacityCalculator: trunc(nominal target × available hours ÷ default contracted hours).
    No hours left, or a grade with no default hours (SPO 0), gives 0 points with the reason (not a crash)."""
    default = default_contracted_hours(grade, tables)
    if default <= 0:
        return Available(0, f"the {grade.value} grade has no default contracted hours, so no workload target")
    if hours <= 0:
        return Available(0, f"no available hours ({hours} h after reductions)")
    points = (Decimal(nominal_target(grade, tables)) * (hours / default)).to_integral_value(rounding=ROUND_DOWN)
    return Available(int(points), None)


def capacity_percent(points: int, available: int) -> Decimal | None:
    """hmpps-workload CapacityCalculator: points ÷ available rounded to 3 dp (HALF_UP), × 100. None when there
    are no available points (capacity cannot be measured; docs/workforce.md)."""
    if available <= 0:
        return None
    ratio = (Decimal(points) / Decimal(available)).quantize(Decimal("0.001"), rounding=ROUND_HALF_UP)
    return ratio * 100


FULL_CAPACITY = Decimal(
    100
)  # docs/workforce.md: ≥ 100 % is over capacity (CapacityCalculator.kt; manage-a-workforce-ui)


def at_or_over_full(percent: Decimal | float) -> bool:
    """The one rule for a measured capacity: 100 % exactly is already over capacity (docs/workforce.md), on the
    workload page and the supervisor view alike (issue 20 try-out: the supervisor view counted 100 % as met)."""
    return Decimal(str(percent)) >= FULL_CAPACITY


def is_over_capacity(percent: Decimal | None, points: int) -> bool:
    """manage-a-workforce-ui (27 Feb 2025): ≥ 100 % shows red; with no available points, any points are over."""
    return points > 0 if percent is None else at_or_over_full(percent)


def potential_capacity(
    points: int, available: int, new_case_points: int, held_case_points: int = 0
) -> tuple[Decimal | None, Decimal | None]:
    """hmpps-workload: potential = (total − this case's points if already held + the new case's points) ÷ available;
    returns (now, then) for "X% → Y%"."""
    return capacity_percent(points, available), capacity_percent(points - held_case_points + new_case_points, available)


def format_percent(percent: Decimal | float | None) -> str:
    """How a capacity shows everywhere (pages, allocation messages, supervisor view): one decimal place, half up
    ("95.1%", "100.0%", never "111.100%"); "not measured" when there are no available points."""
    if percent is None:
        return "not measured"
    return f"{Decimal(str(percent)).quantize(Decimal('0.1'), rounding=ROUND_HALF_UP)}%"

"""Equality monitoring: each group's rate of an outcome, its ratio to a reference group, confidence intervals and a
significance test, with small counts suppressed.

Sources: issue 17 §5; seeds/002 and seeds/004 (the region's equality monitoring tool "does not work effectively");
Clopper & Pearson 1934 (exact interval for a rate); Katz et al. 1978 (interval for a ratio of two rates, on the log
scale); Fisher's exact test (two-sided, scipy.stats.fisher_exact); Pearson's chi-squared test of independence for a
distribution (scipy.stats.chi2_contingency); GSS statistical disclosure control (counts 1–9 not published; what is
published rounded, so that no count can be worked out from others: ONS "rounding to base 5").
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date

SMALL = 10  # counts 1–9 are suppressed; a group of fewer than 10 people shows nothing
Z95 = 1.959963984540054

AGE_BANDS: tuple[tuple[int, int | None, str], ...] = (
    (0, 17, "Under 18"),
    (18, 24, "18 to 24"),
    (25, 34, "25 to 34"),
    (35, 49, "35 to 49"),
    (50, None, "50 and over"),
)


def age_on(born: date, day: date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def age_band(born: date, day: date) -> str:
    """The age band of someone born on `born`, on `day`. A programming guard, not a user's error: the caller counts only
    people born by `day` (selectors.period_population); asking for the age of someone not yet born is refused."""
    if born > day:
        raise ValueError(f"no age on {day.isoformat()} for someone born on {born.isoformat()}: not yet born")
    age = age_on(born, day)
    for low, high, label in AGE_BANDS:
        if age >= low and (high is None or age <= high):
            return label
    raise AssertionError(f"no age band holds age {age}")  # unreachable: the bands start at 0 and are open-ended


def disability_group(value: bool | None) -> str:
    return {True: "Disabled", False: "Not disabled", None: "Not recorded"}[value]


def suppressed(k: int, n: int) -> bool:
    """True when publishing k of n would reveal a count from 1 to 9 (k, n − k or n itself)."""
    return n < SMALL or 0 < k < SMALL or 0 < n - k < SMALL


@dataclass(frozen=True)
class GroupRate:
    """One group's figures; a suppressed group keeps only its name (n and k are None, so no export can show them)."""

    group: str
    n: int | None
    k: int | None
    suppressed: bool
    rate: float | None
    ci: tuple[float, float] | None
    ratio: float | None  # rate ÷ the reference group's rate
    ratio_ci: tuple[float, float] | None
    p_value: float | None  # Fisher's exact test against the reference group
    reference: bool


def _rate_ci(k: int, n: int) -> tuple[float, float]:
    from scipy import stats  # a second to import; loaded when a figure is computed, not at start-up

    ci = stats.binomtest(k, n).proportion_ci(confidence_level=0.95, method="exact")
    return float(ci.low), float(ci.high)


def _ratio_ci(k1: int, n1: int, k0: int, n0: int) -> tuple[float, float] | None:
    if k1 == 0 or k0 == 0:
        return None
    ratio = (k1 / n1) / (k0 / n0)
    se = math.sqrt(1 / k1 - 1 / n1 + 1 / k0 - 1 / n0)
    return ratio * math.exp(-Z95 * se), ratio * math.exp(Z95 * se)


def reference_group(counts: Mapping[str, tuple[int, int]]) -> str | None:
    """The largest group (most people; ties by name) among those whose figures may be published, or None. A large
    group with 1 to 9 people having the outcome is suppressed, so it cannot be the reference (a 500 in the try-out)."""
    eligible = [(n, g) for g, (k, n) in counts.items() if not suppressed(k, n)]
    return min(eligible, key=lambda x: (-x[0], x[1]))[1] if eligible else None


def compare(counts: Mapping[str, tuple[int, int]], reference: str | None = None) -> list[GroupRate]:
    """For each group's (k, n): its rate with a 95% exact interval, the ratio to the reference group's rate with a
    95% interval and Fisher's exact p-value; everything but the group's name left out when it must be suppressed.
    The reference defaults to the largest group; it must be one of the groups and not suppressed."""
    from scipy import stats  # a second to import; loaded when a figure is computed

    for group, (k, n) in counts.items():
        if not 0 <= k <= n:
            raise ValueError(f"group {group!r}: {k} of {n} is not a count of people")
    ref = reference if reference is not None else reference_group(counts)
    if ref is not None and (ref not in counts or suppressed(*counts[ref])):
        raise ValueError(f"the reference group {ref!r} is not a group large enough to compare with")
    out: list[GroupRate] = []
    for group in sorted(counts):
        k, n = counts[group]
        if suppressed(k, n):
            out.append(GroupRate(group, None, None, True, None, None, None, None, None, group == ref))
            continue
        rate = k / n
        ratio = ratio_ci = p = None
        if ref is not None:
            k0, n0 = counts[ref]
            if k0:
                ratio = rate / (k0 / n0)
            ratio_ci = _ratio_ci(k, n, k0, n0)
            p = None if group == ref else float(stats.fisher_exact([[k, n - k], [k0, n0 - k0]]).pvalue)
        out.append(GroupRate(group, n, k, False, rate, _rate_ci(k, n), ratio, ratio_ci, p, group == ref))
    return out


@dataclass(frozen=True)
class Distribution:
    categories: tuple[str, ...]
    rows: dict[str, dict[str, int | None]]  # group → category → count (None: suppressed)
    totals: dict[str, int | None]
    chi2: float | None
    p_value: float | None  # chi-squared test that the distribution is the same in every group


def distribution(pairs: Iterable[tuple[str, str]]) -> Distribution:
    """(group, category) per person → counts per group and category, counts 1–9 suppressed, and a chi-squared test of
    independence over groups and categories with at least one person (None when fewer than two of either)."""
    from scipy import stats  # a second to import; loaded when a figure is computed

    table: dict[str, dict[str, int]] = {}
    for group, category in pairs:
        row = table.setdefault(group, {})
        row[category] = row.get(category, 0) + 1
    categories = tuple(sorted({c for row in table.values() for c in row}))
    rows = {
        g: {c: (None if 0 < row.get(c, 0) < SMALL else row.get(c, 0)) for c in categories}
        for g, row in sorted(table.items())
    }
    # A total shown beside one suppressed cell would give the cell away (total − the cells shown): a row with a
    # suppressed cell has its total suppressed too.
    totals = {
        g: (None if sum(row.values()) < SMALL or None in rows[g].values() else sum(row.values()))
        for g, row in table.items()
    }
    chi2 = p = None
    if len(table) >= 2 and len(categories) >= 2:
        matrix = [[table[g].get(c, 0) for c in categories] for g in sorted(table)]
        result = stats.chi2_contingency(matrix)
        chi2, p = float(result.statistic), float(result.pvalue)
    return Distribution(categories, rows, totals, chi2, p)


# Publication (issue 17 try-out): suppression alone left the hidden counts recoverable. A test's p-value at full
# precision, searched over 1–9 for each hidden cell, matched one combination in most tables; and hidden counts fell
# out by subtraction (a region's figure less its PDUs'; a characteristic's column total less another's shown cells).
# So every published count is rounded to base 5, rates and intervals to whole percent, ratios to 2 places, p-values
# to 3; and a distribution with a suppressed cell publishes no test at all. The tests themselves run on the true
# counts; only what is shown is rounded (the page, JSON and CSV are made from these).
BASE = 5


def rounded(count: int | None) -> int | None:
    """A count to the nearest multiple of BASE (half up): 12 → 10, 13 → 15; 0 stays 0; None (suppressed) stays None."""
    if count is None:
        return None
    return BASE * ((count + BASE // 2) // BASE)


def _places(value: float | None, places: int) -> float | None:
    return None if value is None else round(value, places)


def _pair(ci: tuple[float, float] | None, places: int) -> tuple[float, float] | None:
    return None if ci is None else (round(ci[0], places), round(ci[1], places))


def published_rate(g: GroupRate) -> GroupRate:
    """What may be published of a group's figures: counts to base 5, rate and interval to whole percent (2 places as a
    fraction), the ratio and its interval to 2 places, the p-value to 3. A suppressed group is already only a name."""
    if g.suppressed:
        return g
    return replace(
        g,
        n=rounded(g.n),
        k=rounded(g.k),
        rate=_places(g.rate, 2),
        ci=_pair(g.ci, 2),
        ratio=_places(g.ratio, 2),
        ratio_ci=_pair(g.ratio_ci, 2),
        p_value=_places(g.p_value, 3),
    )


def published_distribution(d: Distribution) -> Distribution:
    """Cells and totals to base 5 (suppressed ones stay None); the chi-squared test only when no cell is suppressed,
    its statistic to 2 places and p-value to 3 (a test over hidden cells gives them away)."""
    hidden = any(v is None for row in d.rows.values() for v in row.values())
    return Distribution(
        d.categories,
        {g: {c: rounded(v) for c, v in row.items()} for g, row in d.rows.items()},
        {g: rounded(t) for g, t in d.totals.items()},
        None if hidden else _places(d.chi2, 2),
        None if hidden else _places(d.p_value, 3),
    )

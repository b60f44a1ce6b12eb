"""The capacity measure on the delivery dashboards (issue 17 item 1; hmpps.md §2c) on hand-computed cases."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from keepsafe.assurance.rules.capacity import Load, capacity_figure, format_unit_percent, within_capacity


def load(points: int, available: int) -> Load:
    """As workload_many gives it: the ratio rounded to 3 places half up, × 100; None with nothing available."""
    if available <= 0:
        return Load(points, available, None)
    ratio = (Decimal(points) / Decimal(available)).quantize(Decimal("0.001"), rounding=ROUND_HALF_UP)
    return Load(points, available, ratio * 100)


def test_80_100_120_percent_gives_one_of_three_within_and_exact_sums():
    fig = capacity_figure([load(80, 100), load(200, 200), load(360, 300)])
    assert (fig.within, fig.measured) == (1, 3)  # 100 % is at capacity, not within (it shows red)
    assert (fig.points, fig.available_points) == (640, 600)
    assert fig.unit_percent == Fraction(320, 3)  # 640 / 600 × 100 = 106.666…
    assert format_unit_percent(fig.unit_percent) == "106.7%"
    assert fig.rate == 1 / 3


def test_unit_percent_weights_by_available_points_not_the_mean_of_percentages():
    fig = capacity_figure([load(50, 100), load(1500, 1000)])  # 50 % and 150 %: mean 100 %, unit 1550 / 1100 = 140.9 %
    assert fig.unit_percent == Fraction(155000, 1100)
    assert format_unit_percent(fig.unit_percent) == "140.9%"
    assert (fig.within, fig.measured) == (1, 2)


def test_a_practitioner_with_no_available_points_is_not_measured_and_adds_nothing():
    fig = capacity_figure([load(80, 100), load(500, 0)])
    assert (fig.within, fig.measured, fig.points, fig.available_points) == (1, 1, 80, 100)


def test_nobody_measured_is_undefined_never_zero():
    fig = capacity_figure([load(10, 0)])
    assert (fig.measured, fig.rate, fig.unit_percent) == (0, None, None)
    assert format_unit_percent(None) == "–"


def test_rounding_follows_the_shown_figure_999_of_1000_is_over():
    assert not within_capacity(load(9996, 10000))  # 0.9996 → 1.000 → 100 %: shown red, so not within
    assert within_capacity(load(9994, 10000))


def test_format_rounds_half_up_to_one_place():
    assert format_unit_percent(Fraction(1001, 20)) == "50.1%"  # 50.05
    assert format_unit_percent(Fraction(0)) == "0.0%"
    assert format_unit_percent(Fraction(100)) == "100.0%"


loads = st.lists(st.builds(load, st.integers(0, 5000), st.integers(-10, 3000)), max_size=12)


@given(loads)
def test_within_never_exceeds_measured_and_unit_lies_between_min_and_max(items):
    fig = capacity_figure(items)
    assert 0 <= fig.within <= fig.measured <= len(items)
    exact = [Fraction(x.points * 100, x.available_points) for x in items if x.percent is not None]
    assert fig.measured == len(exact)
    if exact:
        assert fig.unit_percent is not None
        assert min(exact) <= fig.unit_percent <= max(exact)
    else:
        assert fig.unit_percent is None
        assert fig.rate is None

"""core/pages.py: a page past the last shows the last, never an offset past the rows."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from keepsafe.core.pages import shown_offset, shown_page


@given(number=st.integers(1, 10**40), limit=st.integers(1, 200), total=st.integers(0, 10**6))
def test_the_page_shown_is_the_one_asked_for_or_the_last(number, limit, total):
    pages = max(1, -(-total // limit))
    offset = shown_offset((number - 1) * limit, limit, total)
    assert shown_page(number, limit, total) == min(number, pages)
    assert offset == (min(number, pages) - 1) * limit
    assert offset < total or offset == total == 0  # never past the rows, however large the number


@pytest.mark.parametrize(
    ("number", "total", "shown"), [(1, 0, 1), (1, 120, 1), (3, 120, 3), (4, 120, 3), (99, 120, 3), (2, 50, 1)]
)
def test_examples_with_fifty_a_page(number, total, shown):
    assert shown_page(number, 50, total) == shown


def test_a_page_holds_at_least_one_row():
    with pytest.raises(ValueError, match="at least one row"):
        shown_offset(0, 0, 10)

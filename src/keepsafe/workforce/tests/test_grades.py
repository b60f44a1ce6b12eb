from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from keepsafe.core.actor import Role
from keepsafe.workforce.rules.grades import Grade, default_role, is_newly_qualified

TODAY = date(2026, 11, 23)


@pytest.mark.parametrize(
    ("grade", "qualified", "expected"),
    [
        (Grade.PO, date(2026, 1, 1), True),
        (Grade.PO, date(2025, 11, 24), True),
        (Grade.PO, date(2025, 11, 23), False),  # exactly 12 months: no longer newly qualified
        (Grade.PO, None, False),
        (Grade.PQIP, date(2026, 1, 1), False),  # trainees are not NQOs: they are not yet qualified
        (Grade.SPO, date(2026, 1, 1), False),
    ],
)
def test_newly_qualified_officer(grade, qualified, expected):
    assert is_newly_qualified(grade, qualified, TODAY) is expected


@given(st.dates(min_value=date(2000, 1, 1), max_value=TODAY))
def test_nqo_status_only_ever_ends(qualified):
    if not is_newly_qualified(Grade.PO, qualified, TODAY):
        assert not is_newly_qualified(Grade.PO, qualified, date(2027, 12, 1))


def test_every_grade_has_a_default_role_and_none_is_auditor():
    roles = {grade: default_role(grade) for grade in Grade}
    assert roles[Grade.PO] is Role.PRACTITIONER
    assert roles[Grade.SPO] is Role.SPO
    assert roles[Grade.ACO] is Role.REGIONAL_LEADER
    assert Role.AUDITOR not in roles.values()
    with pytest.raises(ValueError, match="unknown grade"):
        default_role("CHIEF")  # type: ignore[arg-type]

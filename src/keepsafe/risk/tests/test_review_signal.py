"""New information triggers review: indicator records received after the latest assessment raise RISK_REVIEW."""

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from keepsafe.risk.rules.review_signal import LatestAssessment, NewInformation, risk_review_signal

T0 = datetime(2024, 1, 1, tzinfo=UTC)
ASSESSED = LatestAssessment("OASYS-1", T0)


def info(record: str, days: float, *indicators: str) -> NewInformation:
    return NewInformation(record, T0 + timedelta(days=days), frozenset(indicators))


def test_indicator_records_after_the_assessment_raise_one_signal_naming_them():
    signal = risk_review_signal(
        [info("P1", 5, "weapons"), info("P0", -3, "threats"), info("P2", 9, "threats", "violence")],
        ASSESSED,
        T0 + timedelta(days=10),
    )
    assert signal is not None
    assert signal.id == "RISK_REVIEW:OASYS-1"
    assert signal.records == ("P1", "P2")
    assert signal.indicators == ("threats", "violence", "weapons")
    assert signal.raised_at == T0 + timedelta(days=5)


def test_without_an_assessment_every_indicator_record_counts():
    signal = risk_review_signal([info("P0", -3, "threats")], None, T0)
    assert signal is not None
    assert (signal.id, signal.since_assessment, signal.records) == ("RISK_REVIEW:NO_ASSESSMENT", None, ("P0",))


def test_records_without_indicators_or_not_yet_received_raise_nothing():
    assert risk_review_signal([info("P1", 5), info("P2", 20, "weapons")], ASSESSED, T0 + timedelta(days=10)) is None


def test_the_assessment_must_be_known_at_the_instant():
    with pytest.raises(ValueError, match="completed by the instant"):
        risk_review_signal([], LatestAssessment("X", T0 + timedelta(days=1)), T0)


@given(st.lists(st.tuples(st.integers(-50, 50), st.booleans()), max_size=15), st.integers(0, 60))
def test_a_signal_names_exactly_the_indicator_records_received_between_assessment_and_instant(rows, as_of_day):
    as_of = T0 + timedelta(days=as_of_day)
    items = [info(f"R{i}", d, *(["violence"] if flagged else [])) for i, (d, flagged) in enumerate(rows)]
    expected = [
        i.record
        for i in sorted(items, key=lambda i: (i.received_at, i.record))
        if i.indicators and T0 < i.received_at <= as_of
    ]
    signal = risk_review_signal(items, ASSESSED, as_of)
    assert (list(signal.records) if signal else []) == expected

"""The referral rule (sharing/rules/disclosures.py): refused while a review is open or an assessment is in progress,
or when the RoSH assessment is older than the newest significant information (seeds/001 concern 5)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from keepsafe.sharing.rules.agreements import PartnerKind
from keepsafe.sharing.rules.disclosures import (
    RECIPIENT_KINDS,
    ReferralService,
    RiskPictureState,
    SignificantInformation,
    reason_problem,
    recipient_problem,
    referral_refusal,
)

T0 = datetime(2026, 1, 1, tzinfo=UTC)
instants = st.integers(min_value=0, max_value=10_000).map(lambda h: T0 + timedelta(hours=h))


@given(
    review=st.none() | st.just("Review the risk assessment, due 1 December 2026"),
    draft=st.none() | st.just("KS-A-1"),
    assessed=st.none() | instants,
    newest=st.none() | instants,
)
def test_a_referral_is_allowed_iff_no_review_is_open_and_the_summary_is_not_older_than_what_is_known(
    review, draft, assessed, newest
):
    info = SignificantInformation("CAD-1", "Arrested", newest) if newest is not None else None
    refusal = referral_refusal(RiskPictureState(review, draft, assessed, info))
    allowed = review is None and draft is None and assessed is not None and (newest is None or newest <= assessed)
    assert (refusal is None) == allowed
    if refusal is not None:
        assert refusal.strip()


def test_each_refusal_names_its_reason():
    info = SignificantInformation("CAD-9", "Arrested", T0 + timedelta(days=2))
    assert "risk review is open (Review" in referral_refusal(RiskPictureState("Review due soon", None, T0, None))
    assert "in progress (KS-A-7)" in referral_refusal(RiskPictureState(None, "KS-A-7", T0, None))
    assert "no completed RoSH assessment" in referral_refusal(RiskPictureState(None, None, None, None))
    stale = referral_refusal(RiskPictureState(None, None, T0, info))
    assert stale is not None
    assert "1 January 2026" in stale
    assert "CAD-9" in stale
    assert "Arrested" in stale
    assert referral_refusal(RiskPictureState(None, None, T0 + timedelta(days=2), info)) is None


@pytest.mark.parametrize("service", list(ReferralService))
@pytest.mark.parametrize("kind", list(PartnerKind))
def test_each_service_goes_only_to_its_kinds_of_partner(service, kind):
    problem = recipient_problem(service, kind.value, "ABC")
    assert (problem is None) == (kind in RECIPIENT_KINDS[service])
    if problem is not None:
        assert "ABC" in problem
        assert kind.value in problem


def test_mappa_and_iom_summaries_go_to_the_police_only():
    assert RECIPIENT_KINDS[ReferralService.MAPPA] == RECIPIENT_KINDS[ReferralService.IOM] == {PartnerKind.POLICE}


def test_a_disclosure_says_why():
    assert reason_problem("  ") == "say why this information is being shared"
    assert "4,000 characters" in (reason_problem("x" * 4001) or "")
    assert reason_problem("Housing application") is None

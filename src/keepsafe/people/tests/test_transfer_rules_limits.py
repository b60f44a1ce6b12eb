"""The try-out stored a 100,000-character transfer reason in full (and in the immutable transfer summary): a reason is
at most the bundle's 5,000 characters, said by field."""

from keepsafe.people.rules.transfers import REASON_MAX, RequestFacts, rejection_problems, request_problems


def _facts(reason: str) -> RequestFacts:
    return RequestFacts(from_pdu="A", to_pdu="B", to_pdu_exists=True, pending_to=None, reason=reason)


def test_a_reason_over_the_bundle_limit_is_refused_by_field() -> None:
    assert request_problems(_facts("x" * REASON_MAX)) == []
    assert [f for f, _ in request_problems(_facts("x" * (REASON_MAX + 1)))] == ["reason"]
    assert [f for f, _ in rejection_problems("x" * (REASON_MAX + 1))] == ["reason"]

"""Coded values as words (user try-out: a case summary read "Spo oversight"): one function for every code shown to
people, keeping the acronyms probation staff write in capitals (and RoSH, OASys, PQiP as they are written)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from keepsafe.core.words import ACRONYMS, code_words, counted


@pytest.mark.parametrize(
    ("code", "words"),
    [
        ("SPO_OVERSIGHT", "SPO oversight"),
        ("HEAD_OF_PDU", "Head of PDU"),
        ("PDU_TRANSFER", "PDU transfer"),
        ("ROSH_REVIEW", "RoSH review"),
        ("VERY_HIGH_ROSH", "Very high RoSH"),
        ("MAPPA_MEETING", "MAPPA meeting"),
        ("POM_HANDOVER", "POM handover"),
        ("OASYS_ASSESSMENT", "OASys assessment"),
        ("NEW_CRN", "New CRN"),
        ("PQIP", "PQiP"),
        ("HOME_VISIT", "Home visit"),
        ("OTHER", "Other"),
        ("EDUCATION_TRAINING_EMPLOYMENT", "Education, training and employment"),
        ("", ""),
    ],
)
def test_codes_read_as_words_with_acronyms_kept(code, words):
    assert code_words(code) == words


@given(st.lists(st.sampled_from([*sorted(ACRONYMS), "CASE", "NOTE", "OF", "REVIEW"]), min_size=1, max_size=4))
def test_no_acronym_is_ever_lowered(parts):
    shown = code_words("_".join(parts))
    for part in parts:
        if part in ACRONYMS:
            assert {"ROSH": "RoSH", "OASYS": "OASys", "PQIP": "PQiP"}.get(part, part) in shown.split(), shown


@pytest.mark.parametrize(
    ("n", "records", "records_or_contacts"),
    [
        (0, "0 records", "0 records or contacts"),
        (1, "1 record", "1 record or contact"),
        (2, "2 records", "2 records or contacts"),
        (12, "12 records", "12 records or contacts"),
    ],
)
def test_a_count_agrees_with_its_noun(n, records, records_or_contacts):
    """A user try-out read "1 record carry"; nothing says "record(s)" either."""
    assert counted(n, "record") == records
    assert counted(n, "record or contact", "records or contacts") == records_or_contacts

"""Coded values as words (user try-out: a case summary read "Spo oversight"): one function for every code shown to
people, keeping the acronyms probation staff write in capitals (and RoSH, OASys, PQiP as they are written)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from keepsafe.core.words import ACRONYMS, code_words


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

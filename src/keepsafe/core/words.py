"""Coded values as words, GOV.UK style (sentence case), keeping the acronyms probation staff write in capitals.

The one place a code such as SPO_OVERSIGHT becomes words ("SPO oversight"): the pages' `label` filter, the models'
choices, documents and the chronology all use it, so no code is turned into words by `.capitalize()` or `.title()`
("Spo oversight", a user try-out). Codes with their own names (action types, contact types on the appointment pages)
keep those names.
"""

from __future__ import annotations

# Whole codes with a name of their own, before any word-by-word reading.
PHRASES = {
    "PART_A": "Part A",
    "SPO_SIGNED": "Countersigned by the SPO",
    "ACO_SIGNED": "Countersigned by the ACO",
    "SENT_TO_PPCS": "Sent to the public protection casework section",
    "DECIDED_NO_RECALL": "Decided not to recall",
    "HEAD_OF_PDU": "Head of PDU",
    "EDUCATION_TRAINING_EMPLOYMENT": "Education, training and employment",
}
# Acronyms kept as they are written (most in capitals; these three as spelled).
WRITTEN = {"ROSH": "RoSH", "OASYS": "OASys", "PQIP": "PQiP"}
ACRONYMS = frozenset(
    {
        "SPO",
        "ACO",
        "PDU",
        "PPCS",
        "POM",
        "COM",
        "PO",
        "PSO",
        "PQIP",
        "NQO",
        "MAPPA",
        "IOM",
        "DA",
        "ROSH",
        "OASYS",
        "OGRS",
        "RSR",
        "CRN",
        "PNC",
        "PSR",
        "AP",
        "IPP",
        "VLO",
        "ARP",
        "CSRP",
        "OSP",
        "OGP",
        "OVP",
    }
)


def code_words(code: str | None) -> str:
    """A code as words: "SPO_OVERSIGHT" → "SPO oversight", "VERY_HIGH" → "Very high", "ROSH_REVIEW" → "RoSH review".

    A part of the code is an acronym only when it is written in capitals (a lower-case code such as "known_adult"
    is all words)."""
    if not code:
        return ""
    if code in PHRASES:
        return PHRASES[code]
    words = [WRITTEN.get(w, w) if w.isupper() and w in ACRONYMS else w.lower() for w in code.split("_")]
    if words[0] and words[0].islower():
        words[0] = words[0].capitalize()
    return " ".join(words)


def counted(n: int, singular: str, plural: str | None = None) -> str:
    """A count with its noun agreeing: "0 records", "1 record", "2 records" (`plural` when it is not `singular` + s:
    "1 record or contact", "3 records or contacts"). Never "record(s)" (a user try-out read "1 record carry")."""
    return f"{n} {singular if n == 1 else plural or singular + 's'}"

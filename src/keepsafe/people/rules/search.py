"""What a search for a case typed by a person means (issue 14 §6): a whole or partial CRN, a PNC number, a date of
birth, and name words, in any order and combination ("smith 01/02/1993", "X12", "2010/0012345A").

Source: nDelius case search (CRN, PNC, name, date of birth). Pure: the selector turns the terms into a query.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

CRN_PART = re.compile(r"^[A-Z][0-9]{0,6}$")  # a letter then up to six digits: the start of a CRN
DIGITS = re.compile(r"^[0-9]{3,7}$")  # digits alone: part of a CRN's number (or a PNC's)
PNC = re.compile(r"^[0-9]{2,4}/[0-9]{0,7}[A-Z]?$")  # year / serial + check letter, whole or the start of one
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%d %B %Y", "%d %b %Y")
MAX_WORDS = 4


@dataclass(frozen=True)
class SearchTerms:
    crn_prefix: str | None = None
    digits: str | None = None
    pnc: str | None = None
    date_of_birth: date | None = None
    words: tuple[str, ...] = ()

    @property
    def empty(self) -> bool:
        return not (self.crn_prefix or self.digits or self.pnc or self.date_of_birth or self.words)


def _date(text: str) -> date | None:
    for fmt in DATE_FORMATS:
        try:
            parsed = datetime.strptime(text, fmt).date()  # noqa: DTZ007 — a calendar date, no time zone
        except ValueError:
            continue
        if 1900 <= parsed.year <= 2100:
            return parsed
    return None


def parse(query: str) -> SearchTerms:
    """The terms of a query. A date may be typed with spaces ("1 February 1993"); every other term is one word.
    Names keep letters, apostrophes and hyphens; anything else in a word is dropped."""
    text = " ".join(query.split())[:100]
    dob = None
    for size in (3, 1):  # "1 February 1993" before single tokens
        tokens = text.split(" ")
        for i in range(len(tokens) - size + 1):
            candidate = " ".join(tokens[i : i + size])
            if (found := _date(candidate)) is not None:
                dob = found
                text = " ".join(tokens[:i] + tokens[i + size :])
                break
        if dob is not None:
            break
    crn_prefix = digits = pnc = None
    words: list[str] = []
    for token in text.split():
        upper = token.upper()
        if crn_prefix is None and CRN_PART.match(upper) and any(c.isdigit() for c in upper):
            crn_prefix = upper
        elif pnc is None and PNC.match(upper):
            pnc = upper
        elif digits is None and DIGITS.match(upper):
            digits = upper
        else:
            word = "".join(c for c in token if c.isalpha() or c in "'-")
            if word and len(words) < MAX_WORDS:
                words.append(word)
    return SearchTerms(crn_prefix, digits, pnc, dob, tuple(words))

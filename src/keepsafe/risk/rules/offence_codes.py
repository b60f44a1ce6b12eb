"""Home Office offence codes → OGRS3 offence categories (shared/reference/offence-code-actuarial-mapping.csv).

The table is generated from OASys CT_OFFENCE.OGRS3_WEIGHTING (predictors.md §1.2); its labels map onto the twenty
OGRS3 groups below. Codes with no category, or flagged NEED_DETAILS_OF_EXACT_OFFENCE, cannot be scored.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping
from functools import cache
from pathlib import Path

from keepsafe.people.rules.vocabulary import OffenceCategory
from keepsafe.risk.rules.predictors import PredictorInputError
from keepsafe.risk.rules.predictors.ogrs3 import OFFENCE_WORDS
from keepsafe.risk.rules.predictors.snsv import RSR_OFFENCE_WORDS, VATP_WORDS, RsrOffenceCategory, ViolenceSubtype

MAPPING_CSV = Path(__file__).resolve().parents[1] / "reference" / "offence-code-actuarial-mapping.csv"

# The table's labels are each group's words (ogrs3.OFFENCE_WORDS, snsv.RSR_OFFENCE_WORDS, snsv.VATP_WORDS): here the
# other way round, label → group, to read the table.
OASYS_LABELS = {words: category for category, words in OFFENCE_WORDS.items()}
# The table's RSR/SNSV labels → the twenty RSR categories (predictors.md §2.2, rsr-svc register.js order).
RSR_LABELS = {words: category for category, words in RSR_OFFENCE_WORDS.items()}
VATP_LABELS = {words: subtype for subtype, words in VATP_WORDS.items()}


@cache
def load_table(path: Path = MAPPING_CSV) -> Mapping[str, Mapping[str, str]]:
    """code → its row of the OASys offence table, for every Home Office offence code."""
    with path.open(newline="", encoding="utf-8") as handle:
        return {row["ho_offence_code"]: row for row in csv.DictReader(handle)}


def load_mapping(path: Path = MAPPING_CSV) -> Mapping[str, tuple[str, str]]:
    """code → (OASys OGRS3 label, OASys error) for every Home Office offence code in the table."""
    return {code: (row["ogrs3_category"], row["ogrs3_error"]) for code, row in load_table(path).items()}


CODE_DIGITS = 5  # Home Office offence codes are five digits, many with leading zeros (00101 is murder)


def unknown_code(code: str) -> PredictorInputError:
    """A code not in the OASys table; when it is one a spreadsheet made by dropping leading zeros (00101 read as the
    number 101), says so and names the offence the code with its zeros restored would be.

    Keepsafe's hint (a user try-out: an analyst's file saved from Excel was refused code by code without a reason)."""
    reason = f"unknown Home Office offence code {code!r}"
    restored = code.zfill(CODE_DIGITS)
    row = load_table().get(restored) if code.isdigit() and len(code) < CODE_DIGITS else None
    if row is not None:
        reason += (
            f" (did a spreadsheet remove a leading zero? {restored} is {row['category_description']};"
            " codes have five digits, so keep the column as text)"
        )
    return PredictorInputError("offence_code", reason)


def rsr_category(code: str) -> tuple[RsrOffenceCategory, ViolenceSubtype | None]:
    """The RSR/SNSV offence category of a Home Office offence code, and its VATP subtype for violence."""
    row = load_table().get(code)
    if row is None:
        raise unknown_code(code)
    category = RSR_LABELS.get(row["rsr_snsv_category"])
    if category is None:
        raise PredictorInputError("offence_code", f"offence code {code} has no RSR category in the OASys table")
    subtype = VATP_LABELS.get(row["rsr_vatp_category"]) if category is RsrOffenceCategory.VIOLENCE else None
    return category, subtype


def ogrs3_category(code: str, mapping: Mapping[str, tuple[str, str]] | None = None) -> OffenceCategory:
    """The OGRS3 group of a Home Office offence code, or a PredictorInputError saying why it has none."""
    table = load_mapping() if mapping is None else mapping
    if code not in table:
        raise unknown_code(code)
    label, error = table[code]
    if error == "NEED_DETAILS_OF_EXACT_OFFENCE":
        raise PredictorInputError(
            "offence_code",
            f"offence code {code} needs the exact offence to set its OGRS3 "
            "category (OASys NEED_DETAILS_OF_EXACT_OFFENCE)",
        )
    if label not in OASYS_LABELS:
        raise PredictorInputError("offence_code", f"offence code {code} has no OGRS3 category in the OASys table")
    return OASYS_LABELS[label]


def actuarial_category(code: str) -> str:
    """The v4.1.2 ActuarialCategory of a Home Office offence code (v4_actuarial_category column)."""
    row = load_table().get(code)
    if row is None:
        raise unknown_code(code)
    category = row["v4_actuarial_category"]
    if not category or category == "UNKNOWN":
        raise PredictorInputError("offence_code", f"offence code {code} has no actuarial category in the OASys table")
    return category

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

MAPPING_CSV = Path(__file__).resolve().parents[1] / "reference" / "offence-code-actuarial-mapping.csv"

OASYS_LABELS = {
    "Violence": OffenceCategory.VIOLENCE,
    "Robbery": OffenceCategory.ROBBERY,
    "Public order": OffenceCategory.PUBLIC_ORDER,
    "Sexual (not against child)": OffenceCategory.SEXUAL_NOT_CHILD,
    "Sexual (against child)": OffenceCategory.SEXUAL_CHILD,
    "Soliciting or prostitution": OffenceCategory.SOLICITING_PROSTITUTION,
    "Burglary (domestic)": OffenceCategory.BURGLARY_DOMESTIC,
    "Burglary (other)": OffenceCategory.BURGLARY_OTHER,
    "Theft (non-motor)": OffenceCategory.THEFT_NON_MOTOR,
    "Handling stolen goods": OffenceCategory.HANDLING_STOLEN_GOODS,
    "Fraud and forgery": OffenceCategory.FRAUD_FORGERY,
    "Absconding or bail offences": OffenceCategory.ABSCONDING_BAIL,
    "Taking & driving away and related offences": OffenceCategory.TAKING_DRIVING_AWAY,
    "Theft from vehicles": OffenceCategory.THEFT_FROM_VEHICLES,
    "Other motoring": OffenceCategory.OTHER_MOTORING,
    "Drink driving and related offences": OffenceCategory.DRINK_DRIVING,
    "Criminal damage": OffenceCategory.CRIMINAL_DAMAGE,
    "Drug import/export/production": OffenceCategory.DRUG_IMPORT_EXPORT_PRODUCTION,
    "Drug possession/supply": OffenceCategory.DRUG_POSSESSION_SUPPLY,
    "Other offence": OffenceCategory.OTHER,
}


@cache
def load_mapping(path: Path = MAPPING_CSV) -> Mapping[str, tuple[str, str]]:
    """code → (OASys OGRS3 label, OASys error) for every Home Office offence code in the table."""
    with path.open(newline="", encoding="utf-8") as handle:
        return {row["ho_offence_code"]: (row["ogrs3_category"], row["ogrs3_error"]) for row in csv.DictReader(handle)}


def ogrs3_category(code: str, mapping: Mapping[str, tuple[str, str]] | None = None) -> OffenceCategory:
    """The OGRS3 group of a Home Office offence code, or a PredictorInputError saying why it has none."""
    table = load_mapping() if mapping is None else mapping
    if code not in table:
        raise PredictorInputError("offence_code", f"unknown Home Office offence code {code!r}")
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

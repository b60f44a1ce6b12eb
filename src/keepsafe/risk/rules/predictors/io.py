"""JSON-line inputs and outputs of `keepsafe predict`: how analysts check a score by hand."""

from __future__ import annotations

from typing import Any

from keepsafe.people.rules.vocabulary import OffenceCategory
from keepsafe.risk.rules.offence_codes import ogrs3_category
from keepsafe.risk.rules.predictors import PredictorInputError
from keepsafe.risk.rules.predictors.ogrs3 import Ogrs3Input, ogrs3

OGRS3_FIELDS = ("sex", "age", "age_at_conviction", "age_at_first_sanction", "previous_sanctions")


def ogrs3_line(data: dict[str, Any]) -> dict[str, Any]:
    """One input object → one output object; raises PredictorInputError naming the field at fault."""
    unknown = set(data) - {*OGRS3_FIELDS, "offence_category", "offence_code", "id"}
    if unknown:
        raise PredictorInputError(sorted(unknown)[0], "unknown input (check the spelling)")
    for name in OGRS3_FIELDS:
        if name not in data:
            raise PredictorInputError(name, "required input is missing")
    if "offence_category" in data:
        try:
            category = OffenceCategory(data["offence_category"])
        except ValueError as exc:
            raise PredictorInputError(
                "offence_category",
                f"unknown offence category {data['offence_category']!r}; one of the twenty OGRS3 groups",
            ) from exc
    elif "offence_code" in data:
        category = ogrs3_category(str(data["offence_code"]))
    else:
        raise PredictorInputError("offence_category", "give offence_category or offence_code")
    score = ogrs3(
        Ogrs3Input(
            sex=data["sex"],
            age=data["age"],
            age_at_conviction=data["age_at_conviction"],
            age_at_first_sanction=data["age_at_first_sanction"],
            previous_sanctions=data["previous_sanctions"],
            offence_category=category,
        )
    )
    return {
        "ogrs3_1y": score.ogrs3_1y,
        "ogrs3_2y": score.ogrs3_2y,
        "ogrs3_1y_percent": score.percent_1y,
        "ogrs3_2y_percent": score.percent_2y,
        "band": score.band,
        "age_band": score.age_band,
        "offence_category": category.value,
        "source": score.source,
    }


PREDICTORS = {"ogrs3": ogrs3_line}

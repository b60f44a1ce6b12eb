"""JSON-line inputs and outputs of `keepsafe predict`: how analysts check a score by hand."""

from __future__ import annotations

from typing import Any

from keepsafe.people.rules.vocabulary import OffenceCategory
from keepsafe.risk.rules.offence_codes import ogrs3_category, rsr_category
from keepsafe.risk.rules.predictors import PredictorInputError
from keepsafe.risk.rules.predictors.ogrs3 import Ogrs3Input, ogrs3
from keepsafe.risk.rules.predictors.snsv import (
    GRADED_ITEMS,
    PAST_OFFENCES,
    DynamicItems,
    RsrOffenceCategory,
    SnsvInput,
    ViolenceSubtype,
    snsv,
)

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


SNSV_FIELDS = ("sex", "age", "age_at_conviction", "age_at_first_sanction", "previous_sanctions", "violent_sanctions")
SNSV_OPTIONAL = ("offence_category", "offence_code", "violence_subtype", "offence_free_months", "dynamic", "id")
DYNAMIC_FLAGS = ("weapon_in_current_offence", "unemployed", "domestic_abuse_perpetrator")


def _dynamic(data: object) -> DynamicItems | None:
    if data is None:
        return None
    if not isinstance(data, dict):
        raise PredictorInputError("dynamic", "must be an object of OASys answers, or null for the static version")
    unknown = set(data) - {"past", *DYNAMIC_FLAGS, *GRADED_ITEMS}
    if unknown:
        raise PredictorInputError(f"dynamic.{sorted(unknown)[0]}", "unknown OASys item")
    past = data.get("past", [])
    if not isinstance(past, list) or not set(past) <= set(PAST_OFFENCES):
        raise PredictorInputError("dynamic.past", f"a list drawn from {', '.join(PAST_OFFENCES)}")
    for flag in DYNAMIC_FLAGS:
        if not isinstance(data.get(flag, False), bool):
            raise PredictorInputError(f"dynamic.{flag}", "must be true or false")
    return DynamicItems(
        past=frozenset(past),
        weapon_in_current_offence=data.get("weapon_in_current_offence", False),
        unemployed=data.get("unemployed", False),
        domestic_abuse_perpetrator=data.get("domestic_abuse_perpetrator", False),
        graded={k: data[k] for k in GRADED_ITEMS if k in data},
    )


def snsv_line(data: dict[str, Any]) -> dict[str, Any]:
    """`keepsafe predict snsv`: the static version, or the dynamic one when `dynamic` holds OASys answers."""
    unknown = set(data) - {*SNSV_FIELDS, *SNSV_OPTIONAL}
    if unknown:
        raise PredictorInputError(sorted(unknown)[0], "unknown input (check the spelling)")
    for name in SNSV_FIELDS:
        if name not in data:
            raise PredictorInputError(name, "required input is missing")
    subtype: ViolenceSubtype | None = None
    if "offence_category" in data:
        try:
            category = RsrOffenceCategory(data["offence_category"])
        except ValueError as exc:
            raise PredictorInputError(
                "offence_category",
                f"unknown RSR offence category {data['offence_category']!r}; one of {', '.join(RsrOffenceCategory)}",
            ) from exc
    elif "offence_code" in data:
        category, subtype = rsr_category(str(data["offence_code"]))
    else:
        raise PredictorInputError("offence_category", "give offence_category or offence_code")
    if data.get("violence_subtype") is not None:
        try:
            subtype = ViolenceSubtype[str(data["violence_subtype"]).upper()]
        except KeyError as exc:
            raise PredictorInputError(
                "violence_subtype", f"one of {', '.join(v.name for v in ViolenceSubtype)}"
            ) from exc
    score = snsv(
        SnsvInput(
            sex=data["sex"],
            age_at_sentence=data["age"],
            age_at_conviction=data["age_at_conviction"],
            age_at_first_sanction=data["age_at_first_sanction"],
            previous_sanctions=data["previous_sanctions"],
            violent_sanctions=data["violent_sanctions"],
            offence=category,
            violence_subtype=subtype,
            offence_free_months=data.get("offence_free_months", 0),
            dynamic=_dynamic(data.get("dynamic")),
        )
    )
    return {
        "snsv_1y": score.snsv_1y,
        "snsv_2y": score.snsv_2y,
        "static": score.static,
        "offence_category": category.value,
        "violence_subtype": subtype.name if subtype is not None else None,
        "source": score.source,
    }


PREDICTORS = {"ogrs3": ogrs3_line, "snsv": snsv_line}

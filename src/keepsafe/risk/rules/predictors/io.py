"""JSON-line inputs and outputs of `keepsafe predict`: how analysts check a score by hand."""

from __future__ import annotations

import dataclasses
from typing import Any

from keepsafe.people.rules.vocabulary import OffenceCategory
from keepsafe.risk.rules.offence_codes import actuarial_category, ogrs3_category, rsr_category
from keepsafe.risk.rules.predictors import PredictorInputError, given, not_one_of
from keepsafe.risk.rules.predictors.ogp_ovp import OgpInput, OvpInput, PointsScore, ogp, ovp
from keepsafe.risk.rules.predictors.ogrs3 import OFFENCE_WORDS, Ogrs3Input, ogrs3
from keepsafe.risk.rules.predictors.osp import SexualHistory, osp_c, osp_dc, osp_i, osp_iic
from keepsafe.risk.rules.predictors.rsr import rsr
from keepsafe.risk.rules.predictors.snsv import (
    GRADED_ITEMS,
    PAST_OFFENCES,
    RSR_OFFENCE_WORDS,
    VATP_WORDS,
    DynamicItems,
    RsrOffenceCategory,
    SnsvInput,
    ViolenceSubtype,
    snsv,
)
from keepsafe.risk.rules.predictors.snsv import validate as validate_snsv
from keepsafe.risk.rules.predictors.v4 import FLAGS, Dynamic, Model, V4Input, csrp, score
from keepsafe.risk.rules.predictors.v4 import GRADED_ITEMS as V4_GRADED

OGRS3_FIELDS = ("sex", "age", "age_at_conviction", "age_at_first_sanction", "previous_sanctions")


def offence_code(value: object) -> str:
    """A Home Office offence code as text: given as text ("00101") or a whole number (101, which the lookup's hint
    then explains); anything else is refused naming what was given (not looked up as "None" or "True")."""
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise PredictorInputError(
            "offence_code", f'must be a Home Office offence code such as "00101", got {given(value)}'
        )
    return str(value)


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
            raise not_one_of(
                "offence_category", data["offence_category"], "an OGRS3 offence category", OFFENCE_WORDS
            ) from exc
    elif "offence_code" in data:
        category = ogrs3_category(offence_code(data["offence_code"]))
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
    inputs = _snsv_input(data)
    score = snsv(inputs)
    return {
        "snsv_1y": score.snsv_1y,
        "snsv_2y": score.snsv_2y,
        "static": score.static,
        "offence_category": inputs.offence.value,
        "violence_subtype": inputs.violence_subtype.name if inputs.violence_subtype is not None else None,
        "source": score.source,
    }


SEXUAL_FIELDS = (
    "contact_adult",
    "contact_child",
    "paraphilia",
    "indecent_images",
    "age_at_last_sexual_offence",
    "stranger_victim",
)


def rsr_line(data: dict[str, Any]) -> dict[str, Any]:
    """`keepsafe predict rsr`: SNSV inputs, plus an optional `sexual` object for the OSP/C and OSP/I parts."""
    sexual_data = data.get("sexual")
    inputs = _snsv_input({k: v for k, v in data.items() if k != "sexual"})
    validate_snsv(inputs)  # before its counts are used below (a null count crashed the command: a user try-out)
    sexual = None
    if sexual_data is not None:
        if not isinstance(sexual_data, dict):
            raise PredictorInputError("sexual", "must be an object (contact_adult, contact_child, ...) or null")
        unknown = set(sexual_data) - set(SEXUAL_FIELDS)
        if unknown:
            raise PredictorInputError(f"sexual.{sorted(unknown)[0]}", "unknown input (check the spelling)")
        sexual = _build(
            SexualHistory,
            {
                "sex": inputs.sex,
                "age": inputs.age_at_sentence,
                "total_sanctions": inputs.previous_sanctions + 1,
                **sexual_data,
            },
        )
    score = rsr(inputs, sexual)
    return {
        "rsr_1y": score.rsr_1y,
        "rsr_2y": score.rsr_2y,
        "rsr_1y_percent": score.percent_1y,
        "rsr_2y_percent": score.percent_2y,
        "band": score.band,
        "snsv_2y": score.snsv_2y,
        "osp_c_2y": score.osp_c_2y,
        "osp_i_2y": score.osp_i_2y,
        "static": score.static,
        "source": "RSR v1 = SNSV + OSP/C + OSP/I — rsr-calculator (predictors.md §2)",
    }


def _snsv_input(data: dict[str, Any]) -> SnsvInput:
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
            raise not_one_of(
                "offence_category", data["offence_category"], "an RSR offence category", RSR_OFFENCE_WORDS
            ) from exc
    elif "offence_code" in data:
        category, subtype = rsr_category(offence_code(data["offence_code"]))
    else:
        raise PredictorInputError("offence_category", "give offence_category or offence_code")
    if data.get("violence_subtype") is not None:
        value = data["violence_subtype"]
        subtype = ViolenceSubtype.__members__.get(value.upper()) if isinstance(value, str) else None
        if subtype is None:
            names = {kind.name: words for kind, words in VATP_WORDS.items()}
            raise not_one_of("violence_subtype", value, "a violence subtype", names)
    return SnsvInput(
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


def _build[T](cls: type[T], data: dict[str, Any], extra: tuple[str, ...] = ()) -> T:
    """A predictor's input dataclass from one JSON object: unknown and missing keys are named, types checked."""
    fields = {f.name: f for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
    unknown = set(data) - set(fields) - {"id", *extra}
    if unknown:
        raise PredictorInputError(sorted(unknown)[0], "unknown input (check the spelling)")
    values: dict[str, Any] = {}
    for name, spec in fields.items():
        if name in data:
            value = data[name]
            wanted = bool if spec.type in ("bool",) else int if spec.type in ("int",) else None
            if wanted is int and (not isinstance(value, int) or isinstance(value, bool)):
                raise PredictorInputError(name, f"must be a whole number, got {given(value)}")
            if wanted is bool and not isinstance(value, bool):
                raise PredictorInputError(name, f"must be true or false, got {given(value)}")
            values[name] = value
        elif spec.default is dataclasses.MISSING:
            raise PredictorInputError(name, "required input is missing")
    return cls(**values)


def _points(score: PointsScore) -> dict[str, Any]:
    return {"points": score.points, "percent_1y": score.percent_1y, "percent_2y": score.percent_2y, "band": score.band}


def osp_c_line(data: dict[str, Any]) -> dict[str, Any]:
    p1, p2 = osp_c(_build(SexualHistory, data))
    return {"osp_c_1y": p1, "osp_c_2y": p2, "source": "OSP/C v1 — rsr-calculator (predictors.md §3.1)"}


def osp_i_line(data: dict[str, Any]) -> dict[str, Any]:
    p1, p2 = osp_i(_build(SexualHistory, data))
    return {"osp_i_1y": p1, "osp_i_2y": p2, "source": "OSP/I v1 — rsr-calculator (predictors.md §3.1)"}


DC_OPTIONS = (
    "non_contact_excluding_images",
    "in_custody",
    "years_since_last_offence",
    "years_since_last_sexual_offence",
    "years_since_follow_up_start",
)


def osp_dc_line(data: dict[str, Any]) -> dict[str, Any]:
    options = {k: data[k] for k in DC_OPTIONS if k in data}
    score = osp_dc(_build(SexualHistory, data, DC_OPTIONS), **options)
    if score is None:
        return {"applicable": False, "source": "OSP/DC — ARNS (predictors.md §3.2): men with a sexual history only"}
    return {
        "applicable": True,
        "points": score.points,
        "osp_dc": score.probability,
        "band": score.band,
        "risk_reduction_applied": score.reduced,
        "source": "OSP/DC — ARNS (predictors.md §3.2)",
    }


def osp_iic_line(data: dict[str, Any]) -> dict[str, Any]:
    result = osp_iic(_build(SexualHistory, data))
    if result is None:
        return {"applicable": False, "source": "OSP/IIC — ARNS (predictors.md §3.3): men with a sexual history only"}
    return {"applicable": True, "osp_iic": result[0], "band": result[1], "source": "OSP/IIC — ARNS (§3.3)"}


def ogp_line(data: dict[str, Any]) -> dict[str, Any]:
    return {**_points(ogp(_build(OgpInput, data))), "source": "OGP v1 — ARNS OGPTransformationHelper (§4.1)"}


def ovp_line(data: dict[str, Any]) -> dict[str, Any]:
    return {**_points(ovp(_build(OvpInput, data))), "source": "OVP v1 — ARNS OVPTransformationHelper (§4.2)"}


def _v4_line(model: Model, data: dict[str, Any]) -> dict[str, Any]:
    extra = ("offence_code", "dynamic")
    values = {k: v for k, v in data.items() if k not in extra}
    if "offence" not in values and "offence_code" in data:
        values["offence"] = actuarial_category(offence_code(data["offence_code"]))
    dynamic_data = data.get("dynamic")
    dynamic: Dynamic | None = None
    if dynamic_data is not None:
        if not isinstance(dynamic_data, dict):
            raise PredictorInputError("dynamic", "must be an object of OASys answers, or null for the static version")
        unknown = set(dynamic_data) - {*V4_GRADED, "flags"}
        if unknown:
            raise PredictorInputError(f"dynamic.{sorted(unknown)[0]}", "unknown OASys item")
        flags = dynamic_data.get("flags", [])
        if not isinstance(flags, list) or not set(flags) <= set(FLAGS):
            raise PredictorInputError("dynamic.flags", f"a list drawn from {', '.join(FLAGS)}")
        dynamic = Dynamic(graded={k: v for k, v in dynamic_data.items() if k != "flags"}, flags=frozenset(flags))
    base = _build(V4Input, {**values, "dynamic": None}, extra)
    result = score(model, V4Input(**{**base.__dict__, "dynamic": dynamic}))
    return {
        f"{model.value.lower()}_percent": result.percent,
        "band": result.band,
        "static": result.static,
        "offence": base.offence,
        "source": f"{model.value} — OASys v4.1.2 as implemented by ARNS (predictors.md §5.2)",
    }


def csrp_line(data: dict[str, Any]) -> dict[str, Any]:
    allowed = {"id", "svrp_percent", "dc_srp_percent", "iic_srp_percent", "female_sexual_offender"}
    unknown = set(data) - allowed
    if unknown:
        raise PredictorInputError(sorted(unknown)[0], "unknown input (check the spelling)")
    if "svrp_percent" not in data:
        raise PredictorInputError("svrp_percent", "required: the SVRP percentage")
    for name in ("svrp_percent", "dc_srp_percent", "iic_srp_percent"):
        value = data.get(name, 0.0)
        if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 100:
            raise PredictorInputError(name, f"must be a percentage from 0 to 100, got {given(value)}")
    if not isinstance(data.get("female_sexual_offender", False), bool):
        raise PredictorInputError(
            "female_sexual_offender", f"must be true or false, got {given(data['female_sexual_offender'])}"
        )
    percent, csrp_band = csrp(
        svrp_percent=float(data["svrp_percent"]),
        dc_srp_percent=float(data.get("dc_srp_percent", 0.0)),
        iic_srp_percent=float(data.get("iic_srp_percent", 0.0)),
        female_sexual_offender=bool(data.get("female_sexual_offender", False)),
    )
    return {"csrp_percent": percent, "band": csrp_band, "source": "CSRP — ARNS (predictors.md §5.2)"}


PREDICTORS = {
    "arp": lambda data: _v4_line(Model.ARP, data),
    "vrp": lambda data: _v4_line(Model.VRP, data),
    "svrp": lambda data: _v4_line(Model.SVRP, data),
    "csrp": csrp_line,
    "ogrs3": ogrs3_line,
    "rsr": rsr_line,
    "snsv": snsv_line,
    "osp_c": osp_c_line,
    "osp_i": osp_i_line,
    "osp_dc": osp_dc_line,
    "osp_iic": osp_iic_line,
    "ogp": ogp_line,
    "ovp": ovp_line,
}

"""`keepsafe predict`: JSON lines in, JSON lines out — one line at a time, and OGRS3 a chunk at a time.

`predict_line` is the reference behaviour (one input line → one output line, or none for a blank line).
`ogrs3_chunk` gives byte-for-byte the same output for a chunk of lines: lines that are plain OGRS3 inputs
(an object with exactly the five inputs, `offence_category` and optionally `id`, whole numbers in range) are
validated in bulk with numpy and scored with `ogrs3_batch`; every other line — invalid JSON, a missing or wrong
field, an `offence_code` — goes through `predict_line`, so its error object is exactly today's.
Formula and rounding: OGRS3 — Howard et al. 2009; ARNS sanitisePercentage (predictors.md §1.1–1.3).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from itertools import repeat
from json.encoder import encode_basestring_ascii  # type: ignore[attr-defined]
from operator import contains, eq
from typing import Any

import numpy as np
import numpy.typing as npt
import orjson

from keepsafe.core.jsonlines import (
    UNECHOABLE,
    DuplicateKeyError,
    NotAnObjectError,
    decode_error,
    id_written_first,
    line_object,
    loads,
    readable_id,
)
from keepsafe.people.rules.vocabulary import OffenceCategory
from keepsafe.risk.rules.predictors import MAX_SANCTIONS, PredictorInputError, record_id
from keepsafe.risk.rules.predictors.ogrs3 import (
    AGE_BAND_LABELS,
    AGE_BAND_LOWER,
    BANDS,
    MAX_AGE,
    ogrs3_batch,
    percentage,
)

Scorer = Callable[[dict[str, Any]], dict[str, Any]]

INT_FIELDS = ("age", "age_at_conviction", "age_at_first_sanction", "previous_sanctions")
FAST_KEYS = frozenset({"sex", *INT_FIELDS, "offence_category", "id"})
COLUMNS = ("sex", "offence_category", *INT_FIELDS)
CATEGORY_INDEX = {c.value: i for i, c in enumerate(OffenceCategory)}
CATEGORY_VALUES = tuple(c.value for c in OffenceCategory)
SOURCE = "OGRS3 — Howard et al. 2009 (MoJ Research Summary 7/09); rsr-calculator whitepaper coefficients"
HEAD = '{"id": '
MIDDLE_1Y = ', "ogrs3_1y": '
MIDDLE_2Y = ', "ogrs3_2y": '
INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1
LONG_DIGITS = re.compile(r"[0-9]{19}")
DIGITS_AS_ZERO = bytes.maketrans(b"123456789", b"000000000")  # a run of 19 digits → b"0" * 19


class _NoId:
    """A line without an `id` (a null `id` is refused: `record_id`)."""


NO_ID = _NoId()
_SLOW = object()  # a line orjson rejects: json.loads decides, as today


def predict_line(score: Scorer, number: int, line: str) -> tuple[str | None, bool]:
    """One input line → (output line or None for a blank line, whether it failed). The reference behaviour."""
    if not line.strip():
        return None, False
    # Every error record has the same keys, {id, line, field, error} (docs/risk.md), as `keepsafe scan`'s: `field` is
    # "(line)" where the line as a whole is at fault (not JSON, or not a JSON object), and `id` null when it has none.
    out: dict[str, object] = {"id": None}
    failed = False
    try:
        data = loads(line)  # a key given twice is refused, naming it (json.loads would keep the last value)
        try:
            data = line_object(data)  # "…, got a list", as `keepsafe scan` says (core.jsonlines)
        except NotAnObjectError as exc:
            raise PredictorInputError("(line)", exc.reason) from exc
        out["id"] = record_id(data)  # an object or a list is refused, never echoed (`id` stays null)
        out.update(score(data))
    except DuplicateKeyError as exc:
        # the id, when it is not the key given twice, names the record (as `keepsafe scan` gives it)
        out.update({"id": readable_id(line) if exc.key != "id" else None})
        out.update({"line": number, "field": exc.key, "error": str(exc)})
        failed = True
    except json.JSONDecodeError as exc:
        out.update({"id": id_written_first(line), "line": number, "field": "(line)", "error": decode_error(exc)})
        failed = True
    except PredictorInputError as exc:
        out.update({"line": number, "field": exc.field, "error": exc.reason})
        failed = True
    return json.dumps(out), failed


def _whole_numbers(values: list[Any]) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.bool_]]:
    """A column of JSON values as int64, and which of them are whole numbers (not bool) that fit in int64."""
    n = len(values)
    if set(map(type, values)) == {int} and INT64_MIN <= min(values) and max(values) <= INT64_MAX:
        return np.fromiter(values, dtype=np.int64, count=n), np.ones(n, dtype=np.bool_)
    ok = [type(v) is int and INT64_MIN <= v <= INT64_MAX for v in values]
    return (
        np.fromiter((v if good else 0 for v, good in zip(values, ok, strict=True)), dtype=np.int64, count=n),
        np.array(ok, dtype=np.bool_),
    )


def _ids_json(ids: list[Any]) -> list[str]:
    """Each `id` exactly as `json.dumps` writes it inside the output object (ASCII, default separators)."""
    if set(map(type, ids)) == {str}:
        return list(map(encode_basestring_ascii, ids))
    return [encode_basestring_ascii(v) if type(v) is str else json.dumps(v) for v in ids]


def float_texts(values: npt.NDArray[np.float64]) -> list[str]:
    """Each float as `repr` (and so `json.dumps`) writes it. orjson writes the same shortest round-trip digits several
    times faster; the two differ only in exponent notation (`1e-05` against `1e-5`), which `repr` uses below 1e-4 and
    from 1e16, so any value outside [1e-4, 1e16) sends the whole array through `repr`. Every OGRS3 probability lies
    between 0.0004 and 1 (`test_float_texts_are_repr_over_the_ogrs3_domain` checks the two writers agree)."""
    if not len(values) or not (values.min() >= 1e-4 and values.max() < 1e16):
        return list(map(float.__repr__, values.tolist()))
    texts: list[str] = orjson.dumps(values, option=orjson.OPT_SERIALIZE_NUMPY).decode()[1:-1].split(",")
    return texts


def percentages(p: npt.NDArray[np.float64]) -> npt.NDArray[np.int64]:
    """`percentage` over an array: HALF_UP to 5 dp, then HALF_UP to a whole %, clamped to 1–99.

    With k the 5-dp count, the whole % is (k + 500) // 1000 exactly; k comes from floating point except where
    p × 10⁵ lies within 10⁻⁶ of a half (where the decimal repr could round the other way): those few go through
    the scalar `percentage` itself.
    """
    t = p * 100_000.0
    k = np.floor(t + 0.5).astype(np.int64)
    whole = np.clip((k + 500) // 1000, 1, 99)
    near_half = np.flatnonzero(np.abs(t - np.floor(t) - 0.5) < 1e-6)
    for index in near_half.tolist():
        whole[index] = percentage(float(p[index]))
    return whole


def _tails(
    pct_1y: npt.NDArray[np.int64],
    pct_2y: npt.NDArray[np.int64],
    age_band: npt.NDArray[np.int64],
    offence: npt.NDArray[np.int64],
) -> list[str]:
    """Everything after `ogrs3_2y` in an output line; it depends only on four small integers, so each distinct
    combination is formatted once per chunk."""
    code = ((pct_1y * 100 + pct_2y) * 16 + age_band) * 32 + offence
    unique, inverse = np.unique(code, return_inverse=True)
    texts = []
    for c in unique.tolist():
        rest, off = divmod(c, 32)
        rest, band_index = divmod(rest, 16)
        p1, p2 = divmod(rest, 100)
        band_name = BANDS[0][0]
        for candidate, lower in BANDS:
            if p2 >= lower:
                band_name = candidate
        texts.append(
            f', "ogrs3_1y_percent": {p1}, "ogrs3_2y_percent": {p2}, "band": "{band_name}", '
            f'"age_band": "{AGE_BAND_LABELS[band_index]}", "offence_category": "{CATEGORY_VALUES[off]}", '
            f'"source": {encode_basestring_ascii(SOURCE)}}}'
        )
    table = np.array(texts, dtype=object)
    tails: list[str] = table[inverse.ravel()].tolist()
    return tails


def _flags(values: list[Any], wanted: str) -> npt.NDArray[np.bool_]:
    """Which values equal `wanted` (any JSON value compares; only the same string is equal)."""
    return np.array(list(map(eq, values, repeat(wanted))), dtype=np.bool_)


def _echoable(ids: list[Any]) -> npt.NDArray[np.bool_]:
    """Which ids `record_id` takes (a string not empty and without a control character, a whole number, or no `id` at
    all: NO_ID); the others go line by line, which refuses them."""
    types = set(map(type, ids))
    if types <= {int, _NoId}:
        return np.ones(len(ids), dtype=np.bool_)
    if types <= {str, int, _NoId}:
        texts = [v for v in ids if type(v) is str]
        if all(map(str.strip, texts)) and UNECHOABLE.search("".join(texts)) is None:
            return np.ones(len(ids), dtype=np.bool_)
    return np.array(
        [
            type(v) is int or v is NO_ID or (type(v) is str and bool(v.strip()) and UNECHOABLE.search(v) is None)
            for v in ids
        ],
        dtype=np.bool_,
    )


def _category_indexes(values: list[Any]) -> npt.NDArray[np.int64]:
    """The OGRS3 offence index of each `offence_category`, -1 where it is not one of the twenty codes."""
    try:
        indexes = list(map(CATEGORY_INDEX.get, values, repeat(-1)))
    except TypeError:  # an unhashable value (a list or an object) is not a category
        indexes = [CATEGORY_INDEX.get(v, -1) if type(v) is str else -1 for v in values]
    return np.array(indexes, dtype=np.int64)


def _ogrs3_fast(rows: list[dict[str, Any]]) -> tuple[list[str], npt.NDArray[np.bool_]]:
    """Score plain OGRS3 rows in bulk: (output lines for the rows that passed, mask of rows that passed)."""
    n = len(rows)
    sexes, categories, *numbers = (list(map(dict.__getitem__, rows, repeat(name))) for name in COLUMNS)
    arrays = []
    ok = np.ones(n, dtype=np.bool_)
    for values in numbers:
        array, good = _whole_numbers(values)
        arrays.append(array)
        ok &= good
    ids = list(map(dict.get, rows, repeat("id"), repeat(NO_ID)))
    ok &= _echoable(ids)
    if any(v is NO_ID for v in ids):
        ids = [None if v is NO_ID else v for v in ids]
    male = _flags(sexes, "M")
    ok &= male | _flags(sexes, "F")
    offence = _category_indexes(categories)
    ok &= offence >= 0
    age, conviction, first, previous = arrays
    ok &= (age >= 10) & (age <= MAX_AGE) & (conviction >= 10) & (conviction <= MAX_AGE)
    ok &= (age >= conviction) & (first >= 0) & (first <= conviction) & (previous >= 0) & (previous <= MAX_SANCTIONS)
    passed = np.flatnonzero(ok)
    if not len(passed):
        return [], ok
    age, conviction, first, previous = age[passed], conviction[passed], first[passed], previous[passed]
    offence = offence[passed]
    p1, p2 = ogrs3_batch(
        male=male[passed],
        age=age,
        age_at_conviction=conviction,
        age_at_first_sanction=first,
        previous_sanctions=previous,
        offence_index=offence,
    )
    band_index = np.searchsorted(np.array(AGE_BAND_LOWER), age, side="right") - 1
    tails = _tails(percentages(p1), percentages(p2), band_index.astype(np.int64), offence)
    id_list = ids if len(passed) == n else [ids[i] for i in passed.tolist()]
    lines = list(
        map(
            "".join,
            zip(
                repeat(HEAD),
                _ids_json(id_list),
                repeat(MIDDLE_1Y),
                float_texts(p1),
                repeat(MIDDLE_2Y),
                float_texts(p2),
                tails,
                strict=False,
            ),
        )
    )
    return lines, ok


def _parse(texts: Sequence[str]) -> list[Any]:
    """orjson where it gives what json.loads gives; `_SLOW` where it may not (json.loads then decides, as today).

    orjson rejects some lines json.loads takes (NaN, lone surrogates, 1e400) and reads an integer beyond 64 bits
    as a float, so a line it rejects or with a run of 19 or more digits is left to json.loads.
    """
    if b"0" * 19 not in "".join(texts).encode("utf-8", "surrogatepass").translate(DIGITS_AS_ZERO):
        try:
            return list(map(orjson.loads, texts))
        except orjson.JSONDecodeError:
            pass
    parsed: list[Any] = []
    for text in texts:
        try:
            parsed.append(_SLOW if LONG_DIGITS.search(text) else orjson.loads(text))
        except orjson.JSONDecodeError:
            parsed.append(_SLOW)
    return parsed


def _plain(parsed: list[Any], texts: Sequence[str]) -> list[int]:
    """Positions of the objects with exactly the OGRS3 inputs and `offence_category` (and perhaps `id`), each key
    given once. orjson, like json.loads, keeps the last of a key given twice; `predict_line` refuses it. Without a
    backslash (no escaped quote, no key spelt with escapes) a line's double quotes are exactly those around its keys
    and its string values, so a line with more than its object accounts for gives a key twice: it goes line by line."""
    if set(map(type, parsed)) == {dict}:
        superset = np.array(list(map(FAST_KEYS.issuperset, parsed)), dtype=np.bool_)
        sizes = np.array(list(map(len, parsed)), dtype=np.int64)
        with_id = np.array(list(map(contains, parsed, repeat("id"))), dtype=np.int64)
        plain: list[int] = np.flatnonzero(superset & (sizes - with_id == 6)).tolist()
    else:
        plain = [
            i
            for i, data in enumerate(parsed)
            if type(data) is dict and FAST_KEYS.issuperset(data) and len(data) - ("id" in data) == 6
        ]
    return [i for i in plain if _keys_once(texts[i], parsed[i])]


def _keys_once(text: str, data: dict[str, Any]) -> bool:
    """True when `text`, parsed as `data`, is sure to give each key once (see `_plain`); False sends it line by line."""
    if "\\" in text:
        return False
    strings = sum(type(v) is str for v in data.values())
    return text.count('"') == 2 * (len(data) + strings)


def ogrs3_chunk(score: Scorer, lines: Sequence[str], first_number: int) -> tuple[list[str], int]:
    """A chunk of input lines (numbered from `first_number`) → its output lines and how many failed.

    The output is exactly `predict_line` applied to each line in order (a test compares them over generated input).
    """
    if all(map(str.strip, lines)):
        numbers: Sequence[int] = range(first_number, first_number + len(lines))
        texts = lines
    else:
        numbers = [first_number + i for i, line in enumerate(lines) if line.strip()]
        texts = [lines[number - first_number] for number in numbers]
    parsed = _parse(texts)
    plain = _plain(parsed, texts)
    scored: list[str] = []
    passed: list[int] = []
    if plain:
        scored, ok = _ogrs3_fast([parsed[i] for i in plain] if len(plain) < len(parsed) else parsed)
        passed = np.asarray(plain, dtype=np.int64)[ok].tolist()
    if len(passed) == len(texts):
        return scored, 0
    outputs: list[str | None] = [None] * len(texts)
    for index, line in zip(passed, scored, strict=True):
        outputs[index] = line
    failures = 0
    for index, done in enumerate(outputs):
        if done is None:
            outputs[index], failed = predict_line(score, numbers[index], texts[index])
            failures += failed
    return [line for line in outputs if line is not None], failures

"""`keepsafe predict ogrs3 --format arrow|csv`: a table in, a table out, one record batch at a time.

For national recalculation and analysts' files: columns instead of JSON lines, so nothing is parsed or formatted
per value in Python. Rows that are plain OGRS3 inputs (whole numbers in range, `sex` M or F, a known
`offence_category` or a mapped `offence_code`) are validated with Arrow compute and numpy and scored with
`ogrs3_batch`; every other row goes through `ogrs3_line`, so its error (`field`, `error`) is exactly the JSON lines
one and a row the vectorised path cannot judge is still scored. Memory is bounded by the input's record batches.
Formula and rounding: OGRS3 — Howard et al. 2009; ARNS sanitisePercentage (predictors.md §1.1–1.3).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, cast

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from keepsafe.core.jsonlines import CONTROL_CLASS, INVISIBLE_CHARS, WHITESPACE
from keepsafe.core.words import counted
from keepsafe.risk.rules.offence_codes import ogrs3_category
from keepsafe.risk.rules.predictors import MAX_SANCTIONS, PredictorInputError, record_id
from keepsafe.risk.rules.predictors.io import OGRS3_FIELDS, ogrs3_line
from keepsafe.risk.rules.predictors.lines import CATEGORY_INDEX, CATEGORY_VALUES, INT_FIELDS, SOURCE, percentages
from keepsafe.risk.rules.predictors.ogrs3 import AGE_BAND_LABELS, AGE_BAND_LOWER, BANDS, MAX_AGE, ogrs3_batch

KNOWN_COLUMNS = (*OGRS3_FIELDS, "offence_category", "offence_code", "id")
BAND_NAMES = tuple(name for name, _lower in BANDS)
BAND_LOWER = np.array([lower for _name, lower in BANDS], dtype=np.int64)
WHOLE_NUMBER = r"^-?[0-9]{1,18}$"  # fits int64 whatever the digits; longer ones are left to `ogrs3_line`
WHOLE_NUMBER_TEXT = re.compile(r"-?[0-9]+")
_LABELS = pa.dictionary(pa.int8(), pa.string())

Bools = npt.NDArray[np.bool_]
Ints = npt.NDArray[np.int64]


class TableInputError(ValueError):
    """The input as a whole cannot be scored (a column missing, unknown or of the wrong kind); says which and why."""


def check_columns(names: Sequence[str]) -> None:
    """Refuse a table whose columns are not OGRS3 inputs, naming the column, before any row is scored."""
    seen: set[str] = set()
    for name in names:
        if name in seen:
            raise TableInputError(f"column {name!r} appears twice")
        seen.add(name)
        if name not in KNOWN_COLUMNS:
            raise TableInputError(
                f"column {name!r} is not an OGRS3 input (check the spelling); "
                f"the columns are {', '.join(KNOWN_COLUMNS)}"
            )
    missing = [name for name in OGRS3_FIELDS if name not in seen]
    if missing:
        raise TableInputError(f"required column {missing[0]!r} is missing")
    if "offence_category" not in seen and "offence_code" not in seen:
        raise TableInputError("give an offence_category or an offence_code column")


def ragged_row(number: int | None, expected: int, actual: int) -> TableInputError:
    """A CSV row with more or fewer fields than the header, named by its row (1 is the first after the header, as in
    the output's `row`) and its line of the file. `number` is the reader's count of rows with the header as 1 (None
    if it could not count them).

    Keepsafe's wording (a user try-out: the reader's "Expected 7 columns, got 8" named no row)."""
    where = f"row {number - 1} (line {number} of the file, counting the header)" if number else "a row"
    return TableInputError(
        f"{where} has {counted(actual, 'field')} where the header has {expected}: a comma too many or too few, or "
        "a value with a comma that is not in double quotes; correct the row and score the file again "
        "(the rows scored before it were written)"
    )


def echoable(id_type: pa.DataType) -> bool:
    """Whether an `id` column holds what `record_id` takes, text or whole numbers (or only nulls), and so is passed
    through; in a column of any other kind (floats, booleans, structs, lists) each row with an id is refused, as
    its JSON line is, and the output's `id` column is empty."""
    if pa.types.is_dictionary(id_type):
        return echoable(id_type.value_type)
    return bool(
        pa.types.is_null(id_type)
        or pa.types.is_string(id_type)
        or pa.types.is_large_string(id_type)
        or pa.types.is_string_view(id_type)
        or pa.types.is_integer(id_type)
    )


def output_schema(id_type: pa.DataType | None) -> pa.Schema:
    """The columns written for every row: `id` as given (empty where the input's cannot be one, `echoable`), the
    scores (null where the row failed), and `row`, `field`, `error` (null where it was scored). `source` is the same
    for every row and travels in the metadata."""
    return pa.schema(
        [
            pa.field("id", id_type if id_type is not None and echoable(id_type) else pa.null()),
            pa.field("ogrs3_1y", pa.float64()),
            pa.field("ogrs3_2y", pa.float64()),
            pa.field("ogrs3_1y_percent", pa.int64()),
            pa.field("ogrs3_2y_percent", pa.int64()),
            pa.field("band", _LABELS),
            pa.field("age_band", _LABELS),
            pa.field("offence_category", _LABELS),
            pa.field("row", pa.int64()),
            pa.field("field", pa.string()),
            pa.field("error", pa.string()),
        ],
        metadata={"source": SOURCE},
    )


def _plain(column: pa.Array) -> pa.Array:
    return column.dictionary_decode() if pa.types.is_dictionary(column.type) else column


def _filled(mask: pa.Array) -> Bools:
    return cast(Bools, pc.fill_null(mask, False).to_numpy(zero_copy_only=False))


def _whole_numbers(column: pa.Array) -> tuple[Ints, Bools]:
    """A column as int64, and which of its values are whole numbers that fit: integer columns as they are, text
    (CSV) where it is written as a whole number; anything else (floats, booleans) is left to `ogrs3_line`."""
    kind = column.type
    n = len(column)
    if pa.types.is_integer(kind) and not pa.types.is_boolean(kind):
        ok = pc.is_valid(column)
        if kind == pa.uint64():
            ok = pc.and_(ok, pc.less_equal(column, pa.scalar(2**63 - 1, pa.uint64())))
        values = pc.if_else(ok, column, pa.scalar(0, kind)).cast(pa.int64())
    elif pa.types.is_string(kind) or pa.types.is_large_string(kind):
        try:  # the usual case: every cell a whole number or empty, in decimal (Arrow's parse also reads `0x10`)
            if pc.any(pc.match_substring(column, "x", ignore_case=True)).as_py():
                raise pa.ArrowInvalid("hexadecimal")
            values = pc.fill_null(column.cast(pa.int64()), 0)
            ok = pc.is_valid(column)
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            ok = pc.match_substring_regex(column, WHOLE_NUMBER)
            values = pc.if_else(ok, column, pa.scalar("0", kind)).cast(pa.int64())
    else:
        return np.zeros(n, dtype=np.int64), np.zeros(n, dtype=np.bool_)
    return cast(Ints, values.to_numpy(zero_copy_only=False)), _filled(ok)


def _codes_to_categories(column: pa.Array) -> Ints:
    """The OGRS3 offence index of each `offence_code` (-1 where it has none): each distinct code looked up once."""
    text = column if pa.types.is_string(column.type) else pc.cast(column, pa.string())
    distinct = pc.unique(text).drop_null()
    indexes = []
    for code in distinct.to_pylist():
        try:
            indexes.append(CATEGORY_INDEX[ogrs3_category(str(code)).value])
        except PredictorInputError:
            indexes.append(-1)
    found = pc.index_in(text, value_set=distinct).to_numpy(zero_copy_only=False)
    table = np.array([*indexes, -1], dtype=np.int64)
    positions = np.where(np.isnan(found), len(indexes), found).astype(np.int64)
    return cast(Ints, table[positions])


def _categories(batch: pa.RecordBatch) -> Ints:
    """The offence index of each row: its `offence_category` where given, else its `offence_code`; -1 where
    neither gives one of the twenty groups (the row then goes to `ogrs3_line`, which says why)."""
    n = batch.num_rows
    names = batch.schema.names
    result = np.full(n, -1, dtype=np.int64)
    given = np.zeros(n, dtype=np.bool_)
    if "offence_category" in names:
        column = _plain(batch.column("offence_category"))
        given = _filled(pc.is_valid(column))
        if pa.types.is_string(column.type) or pa.types.is_large_string(column.type):
            found = pc.index_in(column, value_set=pa.array(CATEGORY_VALUES)).to_numpy(zero_copy_only=False)
            result = np.where(np.isnan(found), -1, found).astype(np.int64)
    if "offence_code" in names and not given.all():
        by_code = _codes_to_categories(_plain(batch.column("offence_code")))
        result = np.where(given, result, by_code)
    return result


def _row_input(row: dict[str, Any], text_numbers: bool) -> dict[str, Any]:
    """One table row as the JSON object `ogrs3_line` reads: null cells left out (so "required input is missing"),
    and in CSV a whole number written as text made an int again."""
    data = {name: value for name, value in row.items() if value is not None}
    if text_numbers:
        for name in INT_FIELDS:
            value = data.get(name)
            if isinstance(value, str) and WHOLE_NUMBER_TEXT.fullmatch(value):
                data[name] = int(value)
    return data


BLANK = "^[" + "".join(f"\\x{{{ord(c):x}}}" for c in WHITESPACE) + "]*$"  # RE2: nothing but str.strip()'s spaces


# RE2: a control character or one nobody sees anywhere (core.jsonlines.line_id refuses such an id)
CONTROL_IN = f"[{CONTROL_CLASS}" + "".join(f"\\x{{{ord(c):x}}}" for c in INVISIBLE_CHARS) + "]"


def _blank_ids(batch: pa.RecordBatch) -> Bools:
    """Which rows give an `id` of text that `record_id` refuses, never echoing it: empty or only spaces, or with a
    control character or a character nobody sees in it."""
    if "id" not in batch.schema.names:
        return np.zeros(batch.num_rows, dtype=np.bool_)
    column = _plain(batch.column("id"))
    kind = column.type
    if not (pa.types.is_string(kind) or pa.types.is_large_string(kind) or pa.types.is_string_view(kind)):
        return np.zeros(batch.num_rows, dtype=np.bool_)
    blank = _filled(pc.match_substring_regex(column, BLANK))
    return blank | _filled(pc.match_substring_regex(column, CONTROL_IN))


def _labels(indexes: Ints, mask: Bools, names: Sequence[str]) -> pa.DictionaryArray:
    return pa.DictionaryArray.from_arrays(
        pa.array(indexes.astype(np.int8), mask=mask), pa.array(list(names), pa.string())
    )


def score_batch(batch: pa.RecordBatch, first_row: int, schema: pa.Schema) -> tuple[pa.RecordBatch, int]:
    """One input record batch (rows numbered from `first_row`) → its output batch and how many rows failed."""
    n = batch.num_rows
    names = batch.schema.names
    numbers = []
    ok = np.ones(n, dtype=np.bool_)
    for name in INT_FIELDS:
        values, good = _whole_numbers(_plain(batch.column(name)))
        numbers.append(values)
        ok &= good
    sex = _plain(batch.column("sex"))
    if pa.types.is_string(sex.type) or pa.types.is_large_string(sex.type):
        male, female = _filled(pc.equal(sex, "M")), _filled(pc.equal(sex, "F"))
    else:
        male = female = np.zeros(n, dtype=np.bool_)
    offence = _categories(batch)
    age, conviction, first, previous = numbers
    ok &= (male | female) & (offence >= 0)
    if "id" in names and not echoable(batch.schema.field("id").type):  # each id given is refused (`record_id`)
        ok &= ~_filled(pc.is_valid(batch.column("id")))
    blank = _blank_ids(batch)
    ok &= ~blank  # refused line by line (`record_id`), and not echoed
    ok &= (age >= 10) & (age <= MAX_AGE) & (conviction >= 10) & (conviction <= MAX_AGE)
    ok &= (age >= conviction) & (first >= 0) & (first <= conviction) & (previous >= 0) & (previous <= MAX_SANCTIONS)

    p1 = np.zeros(n, dtype=np.float64)
    p2 = np.zeros(n, dtype=np.float64)
    passed = np.flatnonzero(ok)
    if len(passed):
        p1[passed], p2[passed] = ogrs3_batch(
            male=male[passed],
            age=age[passed],
            age_at_conviction=conviction[passed],
            age_at_first_sanction=first[passed],
            previous_sanctions=previous[passed],
            offence_index=offence[passed],
        )
    pct1 = np.zeros(n, dtype=np.int64)
    pct2 = np.zeros(n, dtype=np.int64)
    if len(passed):
        pct1[passed], pct2[passed] = percentages(p1[passed]), percentages(p2[passed])
    band = np.searchsorted(BAND_LOWER, pct2, side="right") - 1
    age_band = np.clip(np.searchsorted(np.array(AGE_BAND_LOWER), age, side="right") - 1, 0, None)

    scored = ok.copy()
    failed = np.flatnonzero(~ok)
    fields: list[str | None] = [None] * n if len(failed) else []
    errors: list[str | None] = [None] * n if len(failed) else []
    if len(failed):
        text_numbers = any(pa.types.is_string(_plain(batch.column(f)).type) for f in INT_FIELDS)
        rows = batch.take(pa.array(failed)).to_pylist()
        for index, row in zip(failed.tolist(), rows, strict=True):
            data = _row_input(row, text_numbers)  # an empty cell is no id, as a line without one
            try:
                record_id(data)  # first, as on the JSON lines path
                out = ogrs3_line(data)
            except PredictorInputError as exc:
                fields[index], errors[index] = exc.field, exc.reason
                continue
            scored[index] = True
            p1[index], p2[index] = out["ogrs3_1y"], out["ogrs3_2y"]
            pct1[index], pct2[index] = out["ogrs3_1y_percent"], out["ogrs3_2y_percent"]
            band[index] = BAND_NAMES.index(out["band"])
            age_band[index] = AGE_BAND_LABELS.index(out["age_band"])
            offence[index] = CATEGORY_INDEX[out["offence_category"]]

    lost = ~scored
    ids = batch.column("id") if "id" in names and echoable(batch.schema.field("id").type) else pa.nulls(n)
    if blank.any():
        ids = pc.if_else(pa.array(blank), pa.nulls(n, ids.type), ids)
    row_numbers = np.arange(first_row, first_row + n, dtype=np.int64)
    columns = [
        ids,
        pa.array(p1, mask=lost),
        pa.array(p2, mask=lost),
        pa.array(pct1, mask=lost),
        pa.array(pct2, mask=lost),
        _labels(band, lost, BAND_NAMES),
        _labels(age_band, lost, AGE_BAND_LABELS),
        _labels(np.where(lost, 0, offence), lost, CATEGORY_VALUES),
        pa.array(row_numbers, mask=scored) if len(failed) else pa.nulls(n, pa.int64()),
        pa.array(fields, pa.string()) if len(failed) else pa.nulls(n, pa.string()),
        pa.array(errors, pa.string()) if len(failed) else pa.nulls(n, pa.string()),
    ]
    return pa.RecordBatch.from_arrays(columns, schema=schema), int(lost.sum())


def score_batches(batches: Iterable[pa.RecordBatch], schema: pa.Schema) -> Iterator[tuple[pa.RecordBatch, int]]:
    """Score record batches in order, numbering rows from 1 across them."""
    first_row = 1
    for batch in batches:
        if batch.num_rows:
            yield score_batch(batch, first_row, schema)
        first_row += batch.num_rows

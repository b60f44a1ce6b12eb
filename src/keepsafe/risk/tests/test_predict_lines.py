"""`keepsafe predict ogrs3` in chunks (numpy) gives exactly the line-by-line output, over generated input."""

from __future__ import annotations

import io
import json
import math
import sys

import numpy as np
import pytest
from django.core.management import CommandError, call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from keepsafe.core.jsonlines import CONTROL, WHITESPACE
from keepsafe.people.rules.vocabulary import OffenceCategory
from keepsafe.risk.rules.predictors import MAX_SANCTIONS
from keepsafe.risk.rules.predictors import ogrs3 as model
from keepsafe.risk.rules.predictors.io import OGRS3_FIELDS, ogrs3_line
from keepsafe.risk.rules.predictors.lines import float_texts, ogrs3_chunk, percentages, predict_line

CATEGORIES = [c.value for c in OffenceCategory]
JSON_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=6),
)
IDS = st.one_of(
    # any unicode but not empty or only spaces, lone surrogates included (orjson rejects those: the line goes scalar),
    # without a control character (refused: REFUSED_IDS)
    st.text(min_size=1, max_size=12).filter(lambda text: text.strip() and not CONTROL.search(text)),
    st.integers(min_value=-(2**65), max_value=2**65),
)
REFUSED_IDS = st.one_of(  # not text or a whole number: the line's error names `id`, and the id is not echoed
    st.none(),
    st.text(alphabet=WHITESPACE, max_size=3),  # empty, or only spaces
    st.tuples(st.text(max_size=3), st.characters(categories=["Cc"]), st.text(max_size=3)).map("".join),  # NUL, tab…
    st.lists(st.integers(0, 9), max_size=3),
    st.dictionaries(st.text(max_size=3), st.integers(0, 9), max_size=2),
    st.booleans(),
    st.floats(allow_nan=False, allow_infinity=False),
)


@st.composite
def plain_person(draw: st.DrawFn) -> dict[str, object]:
    """A plain OGRS3 input across the whole domain, edges included."""
    conviction = draw(st.integers(10, model.MAX_AGE))
    person: dict[str, object] = {
        "sex": draw(st.sampled_from(["M", "F"])),
        "age": draw(st.integers(conviction, model.MAX_AGE)),  # follow-up starts at or after conviction
        "age_at_conviction": conviction,
        "age_at_first_sanction": draw(st.integers(0, conviction)),
        "previous_sanctions": draw(st.one_of(st.integers(0, 60), st.integers(0, MAX_SANCTIONS))),
        "offence_category": draw(st.sampled_from(CATEGORIES)),
    }
    if draw(st.booleans()):
        person = {"id": draw(IDS), **person}
    return person


@st.composite
def input_line(draw: st.DrawFn) -> str:
    """Valid lines mostly; each kind of fault the scalar path reports, blank lines, and layout variations."""
    person = draw(plain_person())
    kind = draw(st.integers(0, 14))
    if kind == 0:
        field = draw(st.sampled_from([*OGRS3_FIELDS, "offence_category"]))
        person[field] = draw(JSON_SCALARS)
    elif kind == 1:
        del person[draw(st.sampled_from([*OGRS3_FIELDS, "offence_category"]))]
    elif kind == 2:
        person[draw(st.sampled_from(["extra", "Age", "offence_code"]))] = draw(JSON_SCALARS)
    elif kind == 3:
        person.pop("offence_category")
        person["offence_code"] = draw(st.sampled_from(["00000", "11618", "10400", "12345", ""]))
    elif kind == 4:
        person[draw(st.sampled_from(["age", "age_at_conviction"]))] = draw(st.integers(-5, 130))
    elif kind == 5:
        person["age_at_first_sanction"] = draw(st.integers(-3, 130))
    elif kind == 6:
        return draw(st.sampled_from(["", "   ", "\t", "{not json", "[1, 2]", "42", '"M"', "null", "{}", "NaN"]))
    elif kind == 7:
        return json.dumps(person).replace('"age": ', '"age": NaN, "x": ')  # json.loads takes NaN, orjson not
    elif kind == 8:
        return json.dumps(person, ensure_ascii=False, indent=None, separators=(",", ":"))
    elif kind == 9:
        return " " + json.dumps(person) + "  "
    elif kind == 11:
        person["id"] = draw(REFUSED_IDS)
    elif kind == 12:  # a key given twice (orjson and json.loads both keep the last): refused, naming it
        field = draw(st.sampled_from([*OGRS3_FIELDS, "offence_category", "id"]))
        again = json.dumps({field: draw(st.one_of(JSON_SCALARS, st.integers(10, 60), st.sampled_from(["M", "F"])))})
        return json.dumps(person)[:-1] + ", " + again[1:]
    elif kind == 10:
        person["previous_sanctions"] = draw(
            st.sampled_from([2**63, 2**64, -(2**63) - 1, True, 3.0, MAX_SANCTIONS + 1, 2**62])
        )
    return json.dumps(person)


def reference(lines: list[str], first: int = 1) -> tuple[list[str], int]:
    outputs, failures = [], 0
    for number, line in enumerate(lines, start=first):
        text, failed = predict_line(ogrs3_line, number, line)
        failures += failed
        if text is not None:
            outputs.append(text)
    return outputs, failures


def chunked(lines: list[str], size: int) -> tuple[list[str], int]:
    outputs, failures = [], 0
    for start in range(0, len(lines), size):
        out, failed = ogrs3_chunk(ogrs3_line, lines[start : start + size], start + 1)
        outputs += out
        failures += failed
    return outputs, failures


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(lines=st.lists(input_line(), max_size=60), size=st.integers(1, 25))
def test_chunked_output_is_the_line_by_line_output(lines: list[str], size: int) -> None:
    with_newlines = [line + "\n" for line in lines]
    assert chunked(with_newlines, size) == reference(with_newlines)


@settings(max_examples=100, deadline=None)
@given(people=st.lists(plain_person(), min_size=1, max_size=200))
def test_valid_people_are_scored_in_bulk_exactly_as_one_by_one(people: list[dict[str, object]]) -> None:
    lines = [json.dumps(p) for p in people]
    out, failures = ogrs3_chunk(ogrs3_line, lines, 1)
    assert (out, failures) == reference(lines)
    assert failures == 0
    assert [json.loads(o).get("id") for o in out] == [p.get("id") for p in people]  # order kept


def test_a_sanction_count_over_1000_is_an_error_record_in_bulk_as_one_by_one() -> None:
    """A try-out (3 December): these counts scored "VERY_HIGH" 82 % on the vectorised path. Now an error record
    naming the field and the value, exactly the line-by-line one; 1,000 itself is scored."""
    person = {"sex": "M", "age": 30, "age_at_conviction": 30, "age_at_first_sanction": 15}
    counts = [1000, 1001, 2_000_000_000, 1234567890123456789, 99999999999999999999999]
    lines = [
        json.dumps({"id": str(count), **person, "previous_sanctions": count, "offence_category": "violence"})
        for count in counts
    ]
    out, failures = ogrs3_chunk(ogrs3_line, lines, 1)
    assert (out, failures) == reference(lines)
    assert failures == 4
    records = [json.loads(line) for line in out]
    assert records[0]["band"] == "VERY_HIGH"
    for number, (count, record) in enumerate(zip(counts[1:], records[1:], strict=True), start=2):
        assert record == {
            "id": str(count),
            "line": number,
            "field": "previous_sanctions",
            "error": f"{count:,} is more than 1,000 sanctions: check the input",
        }


def test_percentages_match_the_decimal_rounding_at_every_half() -> None:
    """Probabilities on and one ulp either side of each 5-dp half and each whole-% half."""
    halves = [(k + 0.5) / 100_000 for k in range(0, 100_000, 37)] + [(k + 0.5) / 100 for k in range(100)]
    values = [v for h in halves for v in (math.nextafter(h, 0), h, math.nextafter(h, 1)) if 0 < v < 1]
    values += [1e-9, 0.004995, 0.005, 0.994999, 0.995, 0.999999]
    array = np.array(values)
    assert percentages(array).tolist() == [model.percentage(v) for v in values]


def test_the_batch_scores_every_copas_term_and_sampled_scores_exactly_as_one_case_does() -> None:
    """Every Copas term (each capped sanction count against each age span) and sampled linear scores through the
    batch formula give the one-case formula's bits, whatever numpy's own log and exp do on this CPU (on AVX-512 they
    differ from the C library by one unit in the last place: the batch uses the C library's, `ogrs3._libm`)."""
    sanctions = np.arange(1, model.PREVIOUS_SANCTIONS_CAP + 2)[:, None]
    spans = np.arange(10, 10 + model.MAX_AGE + 1)[None, :]
    ratios = (sanctions / spans).ravel()
    assert model._libm(math.log, ratios).tolist() == [math.log(v) for v in ratios.tolist()]
    x = np.random.default_rng(7).uniform(-8, 6, 50_000)
    assert model._libm(math.exp, -x).tolist() == [math.exp(-v) for v in x.tolist()]
    n = 2_000
    rng = np.random.default_rng(11)
    age = rng.integers(18, 90, n)
    first = rng.integers(10, 18, n)
    conviction = np.minimum(age, first + rng.integers(0, 40, n))
    sanctions_n = rng.integers(0, 80, n)
    offence = rng.integers(0, len(model.OFFENCE_BY_INDEX), n)
    male = rng.integers(0, 2, n).astype(bool)
    p1, p2 = model.ogrs3_batch(
        male=male,
        age=age,
        age_at_conviction=conviction,
        age_at_first_sanction=first,
        previous_sanctions=sanctions_n,
        offence_index=offence,
    )
    for k in range(n):
        one = model.ogrs3(
            model.Ogrs3Input(
                sex="M" if male[k] else "F",
                age=int(age[k]),
                age_at_conviction=int(conviction[k]),
                age_at_first_sanction=int(first[k]),
                previous_sanctions=int(sanctions_n[k]),
                offence_category=list(OffenceCategory)[int(offence[k])],
            )
        )
        assert (one.ogrs3_1y, one.ogrs3_2y) == (float(p1[k]), float(p2[k])), k


def run_command(text: str, *args: str) -> tuple[str, int]:
    stdout, stdin = io.StringIO(), sys.stdin
    sys.stdin = io.StringIO(text)
    try:
        call_command("predict", "ogrs3", *args, stdout=stdout)
        status = 0
    except CommandError as exc:
        status = exc.returncode
    finally:
        sys.stdin = stdin
    return stdout.getvalue(), status


@pytest.mark.parametrize("chunk", ["1", "3", "50000"])
def test_the_command_writes_the_line_by_line_output(chunk: str) -> None:
    lines = [
        json.dumps({"id": "Zoë ✓", **person})
        for person in (
            {"sex": "F", "age": 43, "age_at_conviction": 37, "age_at_first_sanction": 14, "previous_sanctions": 5},
            {"sex": "M", "age": 19, "age_at_conviction": 18, "age_at_first_sanction": 12, "previous_sanctions": 0},
        )
        for _ in range(2)
    ]
    lines = [line[:-1] + ', "offence_category": "criminal_damage"}' for line in lines]
    lines += ["", "{not json", json.dumps({"id": 7, "sex": "X"}), "\r", lines[0]]
    text, status = run_command("\n".join(lines) + "\n", "--chunk-lines", chunk)
    expected, failures = reference([line + "\n" for line in lines])
    assert text.splitlines() == expected
    assert (status, failures) == (1, 2)


@pytest.mark.parametrize("id_", [-(2**63) - 1, 2**64, 12345678901234567890123, "😀 ünïcode"])
def test_ids_orjson_would_read_differently_are_echoed_as_json_loads_reads_them(id_: object) -> None:
    """orjson reads an integer beyond 64 bits as a float and rejects lone surrogates: such lines go line by line."""
    person = {"sex": "M", "age": 30, "age_at_conviction": 29, "age_at_first_sanction": 20, "previous_sanctions": 3}
    lines = [json.dumps({"id": id_, **person, "offence_category": "robbery"}), json.dumps({"id": "next", **person})]
    assert ogrs3_chunk(ogrs3_line, lines, 1) == reference(lines)
    assert json.loads(ogrs3_chunk(ogrs3_line, lines, 1)[0][0])["id"] == id_


def test_an_id_with_a_lone_surrogate_is_refused_in_bulk_as_line_by_line() -> None:
    """A lone surrogate is not a character (core.jsonlines.line_id): the line's error, never echoed, both paths."""
    person = {"sex": "M", "age": 30, "age_at_conviction": 29, "age_at_first_sanction": 20, "previous_sanctions": 3}
    lines = [
        json.dumps({"id": "\ud800", **person, "offence_category": "robbery"}),
        json.dumps({"id": "next", **person}),
    ]
    assert ogrs3_chunk(ogrs3_line, lines, 1) == reference(lines)
    refused = json.loads(ogrs3_chunk(ogrs3_line, lines, 1)[0][0])
    assert refused["id"] is None
    assert "lone surrogate" in refused["error"]


def test_float_texts_are_repr_over_the_ogrs3_domain() -> None:
    """orjson's float text is `repr`'s for sampled OGRS3 probabilities, at the exponent edges, and outside them."""
    rng = np.random.default_rng(11)
    x = rng.uniform(-10, 7, 100_000)
    probabilities = 1.0 / (1.0 + np.exp(-x))
    edges = np.array([1e-4, 0.00025, 0.5, 1.0, 0.1 + 0.2, 1e15, math.nextafter(1e16, 0), 123456789.0])
    outside = np.array([1e-5, 0.5, math.nextafter(1e-4, 0)])
    for values in (probabilities, edges, outside, np.array([0.0, 0.5]), np.array([-0.5]), np.array([1e16])):
        assert float_texts(values) == list(map(repr, values.tolist()))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.floats(min_value=1e-4, max_value=1e16, exclude_max=True), min_size=1, max_size=50))
def test_float_texts_are_repr_for_any_float_in_the_fixed_notation_range(values: list[float]) -> None:
    assert float_texts(np.array(values)) == list(map(repr, values))


PERSON = {"sex": "M", "age": 30, "age_at_conviction": 29, "age_at_first_sanction": 20, "previous_sanctions": 3}


_NOT_AN_ID = "must be a string or a whole number (not empty, not null), got"


@pytest.mark.parametrize(
    ("id_", "error"),
    [
        ({"crn": "X1"}, f"{_NOT_AN_ID} an object"),
        ([1, "a"], f"{_NOT_AN_ID} a list"),
        (True, f"{_NOT_AN_ID} true"),
        (1.5, f"{_NOT_AN_ID} 1.5"),
        (3.0, f"{_NOT_AN_ID} 3.0"),
        (float("nan"), f"{_NOT_AN_ID} NaN (not a number)"),
        (None, f"{_NOT_AN_ID} null"),
        ("", f"{_NOT_AN_ID} an empty string"),
        (" \t", f"{_NOT_AN_ID} a string of spaces only"),
        # an id with a NUL in it was scored and echoed, NUL and all
        ("P\x001", "must not contain a control character: U+0000 (NUL) at position 2"),
        ("P1\t", "must not contain a control character: U+0009 (a tab) at position 3"),
    ],
)
def test_an_id_that_is_not_text_or_a_whole_number_is_refused_never_echoed(id_: object, error: str) -> None:
    """A try-out: an object or a list given as `id` came back whole in the output, and an id with a control character
    was echoed. It is the line's error now, naming `id`; the record is named by its line, in bulk as one by one,
    whatever else is wrong with the line."""
    good = json.dumps({"id": "P1", **PERSON, "offence_category": "robbery"})
    for other in ({}, {"sex": "X"}, {"offence_category": "burglary_x"}):
        line = json.dumps({"id": id_, **PERSON, "offence_category": "robbery", **other})
        out, failures = ogrs3_chunk(ogrs3_line, [good, line, good], 1)
        assert (out, failures) == reference([good, line, good])
        assert failures == 1
        assert json.loads(out[1]) == {"id": None, "line": 2, "field": "id", "error": error}


@pytest.mark.parametrize(("line", "got"), [("[1, 2]", "a list"), ("42", "a number"), ('"M"', "a string")])
def test_a_line_that_is_not_an_object_says_what_it_got(line: str, got: str) -> None:
    """`keepsafe predict` said only "each line must be a JSON object"; `keepsafe scan` said what it got."""
    out, failures = ogrs3_chunk(ogrs3_line, [line], 1)
    assert (out, failures) == reference([line])
    assert json.loads(out[0]) == {
        "id": None,
        "line": 1,
        "field": "(line)",
        "error": f"each line must be a JSON object, got {got}",
    }


def test_a_key_given_twice_is_refused_naming_it_in_bulk_as_one_by_one() -> None:
    """A try-out: `{"sex": "M", ..., "sex": "F"}` was scored as F without a word (JSON takes the last value)."""
    good = json.dumps({"id": "P1", **PERSON, "offence_category": "robbery"})
    for twice in (', "sex": "F"}', ', "age": 31}', ', "id": "P2"}', ', "offence_category": "robbery"}'):
        line = good[:-1] + twice
        out, failures = ogrs3_chunk(ogrs3_line, [good, line, good], 1)
        assert (out, failures) == reference([good, line, good])
        key = twice.split('"')[1]
        assert json.loads(out[1]) == {
            "id": None if key == "id" else "P1",  # the id names the record unless it is the key given twice
            "line": 2,
            "field": key,
            "error": f"`{key}` is given more than once: give each key once",
        }


def test_a_line_without_an_id_is_named_by_its_line() -> None:
    """No `id` at all is allowed (the output's `id` is null); a null `id` is refused like any other bad id."""
    for person in ({**PERSON, "offence_category": "robbery"}, {**PERSON, "offence_category": "burglary_x"}):
        with_null, without = json.dumps({"id": None, **person}), json.dumps(person)
        assert json.loads(ogrs3_chunk(ogrs3_line, [without], 1)[0][0])["id"] is None
        assert json.loads(ogrs3_chunk(ogrs3_line, [with_null], 1)[0][0])["field"] == "id"
        assert ogrs3_chunk(ogrs3_line, [with_null, without], 1) == reference([with_null, without])

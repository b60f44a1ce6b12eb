"""core/jsonlines.py: one rule for a JSON line's `id`, a line that is not an object refused saying what it is, and a
key given twice refused naming it."""

from __future__ import annotations

import json
import sys
import unicodedata

import pytest

from keepsafe.core.jsonlines import (
    CONTROL,
    INVISIBLE_CHARS,
    WHITESPACE,
    DuplicateKeyError,
    LineIdError,
    NotAnObjectError,
    line_id,
    line_object,
    loads,
)


@pytest.mark.parametrize("value", ["P1", "  P1 ", 0, -7, 2**70, "٣"])
def test_a_string_with_something_in_it_or_a_whole_number_is_an_id(value):
    assert line_id({"id": value}, required=True) == value
    assert line_id({"id": value}, required=False) == value


@pytest.mark.parametrize(
    ("value", "got"),
    [
        (None, "null"),
        ("", "an empty string"),
        (" \t\u3000", "a string of spaces only"),
        (1.5, "1.5"),
        (2.0, "2.0"),
        (True, "true"),
        (False, "false"),
        ([1], "a list"),
        ({"crn": "X1"}, "an object"),
        (float("nan"), "NaN (not a number)"),
    ],
)
def test_anything_else_is_refused_saying_what_it_was(value, got):
    for required in (True, False):
        with pytest.raises(LineIdError) as refused:
            line_id({"id": value}, required=required)
        assert refused.value.reason == f"must be a string or a whole number (not empty, not null), got {got}"


@pytest.mark.parametrize(
    ("value", "where"),
    [
        ("P\x001", "U+0000 (NUL) at position 2"),
        ("\tP1", "U+0009 (a tab) at position 1"),
        ("P1\n", "U+000A (a line break) at position 3"),
        ("P\r1", "U+000D (a carriage return) at position 2"),
        ("\x1b[31mP1", "U+001B (escape) at position 1"),
        ("P1\x7f", "U+007F (a control character) at position 3"),
        ("P\x851", "U+0085 (a control character) at position 2"),
    ],
)
def test_an_id_with_a_control_character_is_refused_saying_which_and_where(value, where):
    """An id with a NUL (or any control character) in it was taken and echoed: no reader of the output can show or
    match it. Refused naming the character and its position, never echoing the id."""
    for required in (True, False):
        with pytest.raises(LineIdError) as refused:
            line_id({"id": value}, required=required)
        assert refused.value.reason == f"must not contain a control character: {where}"
        assert "P1" not in refused.value.reason


def test_the_control_characters_are_unicode_category_cc():
    controls = {chr(c) for c in range(sys.maxunicode + 1) if unicodedata.category(chr(c)) == "Cc"}
    assert {chr(c) for c in range(sys.maxunicode + 1) if CONTROL.fullmatch(chr(c))} == controls
    kept = "P 1\u00a0\u2028"  # spaces are not Cc: kept as given
    assert line_id({"id": kept}, required=True) == kept


@pytest.mark.parametrize("unseen", ["\u200b", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u202e"])
def test_an_id_with_a_character_nobody_sees_is_refused(unseen):
    """Try-out 13: "b12\u200b" was accepted and echoed; it prints as "b12" and never matches it in a join."""
    with pytest.raises(LineIdError, match=r"a character nobody sees: U\+.* at position 4"):
        line_id({"id": "b12" + unseen}, required=True)
    assert all(unicodedata.category(c) == "Cf" for c in INVISIBLE_CHARS)


def test_an_id_with_a_lone_surrogate_is_refused():
    """A lone surrogate ("\\ud800" in JSON, or a byte that was not UTF-8) is not a character: nothing downstream can
    encode it, and `keepsafe scan` echoed it into output strict JSON readers reject (issue 13 try-out 9)."""
    with pytest.raises(LineIdError, match=r"a lone surrogate .* at position 2"):
        line_id({"id": "P\ud8001"}, required=True)


@pytest.mark.parametrize(
    ("text", "got"),
    [
        ("[1, 2]", "a list"),
        ("3", "a number"),
        ("1.5", "a number"),
        ('"P1"', "a string"),
        ("null", "null"),
        ("true", "true or false"),
    ],
)
def test_a_line_that_is_json_but_not_an_object_is_refused_saying_what_it_is(text, got):
    with pytest.raises(NotAnObjectError) as refused:
        line_object(loads(text))
    assert refused.value.reason == f"each line must be a JSON object, got {got}"
    assert line_object(loads('{"id": 1}')) == {"id": 1}


def test_no_id_at_all_is_refused_only_where_one_is_needed():
    assert line_id({"text": "x"}, required=False) is None
    with pytest.raises(LineIdError, match=r"^missing: each line needs an `id`, a string or a whole number"):
        line_id({"text": "x"}, required=True)


def test_whitespace_is_what_str_strip_removes():
    assert set(WHITESPACE) == {chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace()}


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ('{"sex": "M", "age": 30, "sex": "F"}', "sex"),
        ('{"a": {"b": 1, "b": 2}}', "b"),
        ('[{"id": 1}, {"id": 2, "id": 3}]', "id"),
        ('{"s\\u0065x": "M", "sex": "F"}', "sex"),  # the same key spelt with an escape
    ],
)
def test_a_key_given_twice_is_refused_naming_it(text, key):
    assert isinstance(json.loads(text), dict | list)  # what json.loads does: takes the last, silently
    with pytest.raises(DuplicateKeyError) as refused:
        loads(text)
    assert refused.value.key == key
    assert str(refused.value) == f"`{key}` is given more than once: give each key once"


def test_json_without_a_repeated_key_reads_as_json_loads_reads_it():
    text = '{"a": [1, {"b": null}], "c": "d", "e": {"a": 2}}'
    assert loads(text) == json.loads(text)
    with pytest.raises(json.JSONDecodeError):
        loads("{not json")

"""JSON read from people (a JSON line of `keepsafe scan` or `keepsafe predict`, a partner API body): one rule for a
line's `id`, and a key given twice refused rather than the last value taken silently.

- **A line is a JSON object** (`line_object`): a line that is JSON but not an object is refused saying what it is
  ("each line must be a JSON object, got a list"), by `keepsafe scan` and `keepsafe predict` alike (`keepsafe
  predict` said only "must be a JSON object").
- **The `id` of a JSON line** (`line_id`): a string with something in it other than spaces, or a whole number. Not
  true or false (Python counts them as whole numbers), not 1.5 or 2.0, not "" or "   ", not null, not a list or an
  object; not a string with a control character in it (NUL, a tab, a line break, escape: Unicode category Cc),
  which no reader of the output can show or match (an id with a NUL in it was accepted and echoed). A refused id is
  never echoed back. `keepsafe scan` needs an id on every line (to match findings to their text); `keepsafe predict`
  takes a line without one (named by its line number). Try-outs found `1.5`, `""` and `null` treated differently by
  the two commands.
- **A key given twice** (`loads`): Python's `json.loads` keeps the last value without a word (`{"sex": "M", "sex":
  "F"}` scored as F). `loads` refuses it naming the key, at any depth.

Pure: no Django. Docs: docs/risk.md (predict), docs/indicators.md (scan), docs/api.md (partner API bodies)."""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from typing import Any


class DuplicateKeyError(ValueError):
    """A JSON object gives the same key more than once."""

    def __init__(self, key: str) -> None:
        self.key = key
        super().__init__(f"`{key}` is given more than once: give each key once")


class LineIdError(ValueError):
    """A JSON line's `id` is missing where one is needed, or is not one `line_id` takes."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(reason)


def _unique(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for key, value in pairs:
        if key in found:
            raise DuplicateKeyError(key)
        found[key] = value
    return found


def loads(text: str | bytes) -> Any:
    """`json.loads`, refusing an object that gives a key twice (DuplicateKeyError, naming it); json.JSONDecodeError
    for text that is not JSON, as json.loads, and for JSON nested deeper than the parser can follow (Python's parser
    recurses: `[[[...]]]` 5,000 deep raised RecursionError, which lost every line of a `keepsafe scan` run)."""
    try:
        return json.loads(text, object_pairs_hook=_unique)
    except RecursionError:
        raise json.JSONDecodeError("nested too deeply to read", text if isinstance(text, str) else "", 0) from None


def decode_error(exc: json.JSONDecodeError) -> str:
    """Why a line is not JSON, in words, with where ("not valid JSON at column 34: a comma or a closing } or ] is
    missing here ..."), and what to do when the line is a piece of a pretty-printed record (`ONE_PER_LINE`)."""
    why = in_words(exc.msg)
    hint = ONE_PER_LINE if _pretty_piece(exc.doc) else ""
    return (f"not valid JSON at column {exc.colno}: {why}" if exc.pos else f"not valid JSON: {why}") + hint


ONE_PER_LINE = (
    '; each record must be one JSON object on one line ({"id": ..., ...}): a pretty-printed file or a JSON array '
    "must be written as JSON lines first"
)


def _pretty_piece(line: str) -> bool:
    """A line that is a piece of a pretty-printed object or array, as a person's export writes one: only a bracket,
    or a key, its value and a comma (issue 13 try-out 13: one pretty-printed record gave four different errors, none
    saying what to do)."""
    bare = line.strip()
    return (
        bare in {"{", "}", "[", "]", "},", "}]", "[{", "},{"}
        or bare.startswith(('"', "[{"))
        or (bare.endswith(",") and not bare.startswith("{"))
    )


def in_words(message: str) -> str:
    """The JSON parser's message (`json.JSONDecodeError.msg`) in words a person can act on."""
    return next((words for start, words in _IN_WORDS if message.startswith(start)), message)


# The parser's messages in words a person who exported a spreadsheet can act on (issue 13 try-out 12: "Expecting ','
# delimiter" was the whole explanation). First match wins; an unlisted message is shown as the parser wrote it.
_IN_WORDS = (
    (
        "Invalid control character",
        "a raw control character (a tab, a line break, NUL or another) inside a string: write it escaped, as \\t, "
        "\\n or \\u0000",
    ),
    ("Unexpected UTF-8 BOM", "the line starts with a byte order mark: save the file as UTF-8 without one"),
    (
        "Expecting ',' delimiter",
        'a comma or a closing } or ] is missing here (is a quote inside the text not written \\"?)',
    ),
    ("Expecting ':' delimiter", "a colon is missing between a key and its value"),
    (
        "Expecting property name enclosed in double quotes",
        'a key in double quotes was expected here (keys need "double quotes", and no comma may come before })',
    ),
    ("Expecting value", 'a value was expected here (text needs "double quotes"; a line cannot end after a comma)'),
    ("Unterminated string", "a string is never closed: its closing double quote is missing"),
    ("Extra data", "more follows the end of the object: write one object per line"),
    ("Invalid \\uXXXX escape", "\\u must be followed by four hexadecimal digits"),
    ("Invalid \\escape", "a backslash starts an escape JSON does not have: write a backslash itself as \\\\"),
)


def lone_surrogate(value: str) -> int | None:
    """The position (from 1) of the first lone surrogate in a string (`"\\ud800"` in JSON, or a byte that was not
    UTF-8 read with surrogateescape): not a Unicode character, which nothing downstream can encode."""
    at = _SURROGATE.search(value)
    return None if at is None else at.start() + 1


_SURROGATE = re.compile("[\ud800-\udfff]")


def json_kind(value: object) -> str:
    """What a JSON value is, in words, for "got …" where the value itself is not repeated: `null`, `true or false`,
    `a number`, `a string`, `a list`, `an object`."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list | tuple):
        return "a list"
    return "an object"


class NotAnObjectError(ValueError):
    """A JSON line that is JSON but not an object."""

    def __init__(self, value: object) -> None:
        array_of_objects = isinstance(value, list) and bool(value) and isinstance(value[0], dict)
        self.reason = f"each line must be a JSON object, got {json_kind(value)}" + (
            ONE_PER_LINE if array_of_objects else ""
        )
        super().__init__(self.reason)


def line_object(value: object) -> dict[str, Any]:
    """A parsed JSON line as the object it must be; NotAnObjectError saying what it is otherwise."""
    if not isinstance(value, dict):
        raise NotAnObjectError(value)
    return value


def json_words(value: object) -> str:
    """A JSON value as the person wrote it, for "got …" in an error: `null`, `true`, `1.5`, `an empty string`,
    `a list`, `an object` — never Python's words (`None`, `True`)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and math.isnan(value):
        return "NaN (not a number)"  # as written: json.loads accepts NaN
    if isinstance(value, float) and math.isinf(value):
        return "a number too large to use"  # 1e400, or Infinity
    if isinstance(value, int | float):
        return json.dumps(value)
    if isinstance(value, str):
        return "an empty string" if not value else "a string of spaces only" if not value.strip() else repr(value)
    if isinstance(value, list | tuple):
        return "a list"
    return "an object"


ID_RULE = "a string or a whole number"
# What str.strip() removes: every character whose isspace() is true (core/tests/test_jsonlines.py checks the list), so
# a table's blank ids can be found in bulk by the same rule.
WHITESPACE = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008"
    "\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)


# The control characters an id may not contain: Unicode category Cc, U+0000 to U+001F and U+007F to U+009F
# (core/tests/test_jsonlines.py checks the range against unicodedata). CONTROL_CLASS is the same as a regular
# expression class, for a table's ids searched in bulk by the same rule (Arrow's RE2 reads it too).
CONTROL_CLASS = r"\x00-\x1f\x7f-\x9f"
CONTROL = re.compile(f"[{CONTROL_CLASS}]")
# Characters nobody sees (Unicode format characters: zero-width spaces and joiners, direction marks, the soft
# hyphen, a byte order mark): "b12\u200b" prints as "b12" and never matches it in a join (issue 13 try-out 13).
INVISIBLE_CHARS = "\u00ad\u061c\u180e\ufeff" + "".join(
    chr(c) for c in (*range(0x200B, 0x2010), *range(0x202A, 0x202F), *range(0x2060, 0x2065), *range(0x2066, 0x2070))
)
INVISIBLE_CLASS = "".join(f"\\u{ord(c):04x}" for c in INVISIBLE_CHARS)
INVISIBLE = re.compile(f"[{INVISIBLE_CLASS}]")
INVISIBLE_NAMES = {"\u200b": "a zero-width space", "\ufeff": "a byte order mark", "\u00ad": "a soft hyphen"}
# What no id may hold: a control character, a character nobody sees, or a lone surrogate (not a character at all;
# JSON's "\\ud800").
UNECHOABLE = re.compile(f"[{CONTROL_CLASS}{INVISIBLE_CLASS}\ud800-\udfff]")
CONTROL_NAMES = {"\x00": "NUL", "\t": "a tab", "\n": "a line break", "\r": "a carriage return", "\x1b": "escape"}


def line_id(data: Mapping[str, object], *, required: bool) -> str | int | None:
    """The `id` of a JSON line (an object), by the one rule above: the id as given, or None when the line has none
    and none is `required`; LineIdError saying why otherwise ("missing: …", "must be a string or a whole number, not
    empty, got 1.5")."""
    if "id" not in data:
        if required:
            raise LineIdError(f"missing: each line needs an `id`, {ID_RULE}, to match its output to")
        return None
    value = data["id"]
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip():
        if (position := lone_surrogate(value)) is not None:
            raise LineIdError(f"must be Unicode text: a lone surrogate (not a character) at position {position}")
        if (at := CONTROL.search(value)) is not None:
            raise LineIdError(
                f"must not contain a control character: U+{ord(at.group()):04X} "
                f"({CONTROL_NAMES.get(at.group(), 'a control character')}) at position {at.start() + 1}"
            )
        if (at := INVISIBLE.search(value)) is not None:
            raise LineIdError(
                f"must not contain a character nobody sees: U+{ord(at.group()):04X} "
                f"({INVISIBLE_NAMES.get(at.group(), 'an invisible formatting character')}) at position "
                f"{at.start() + 1}; the id would look like one it does not match"
            )
        return value
    raise LineIdError(f"must be {ID_RULE} (not empty, not null), got {json_words(value)}")


def readable_id(line: str) -> object:
    """The id of a line refused for something else (a key other than `id` given twice, bytes that are not UTF-8), so
    the person fixing the file can find the record (issue 13 try-out 12: those lines came back with `"id": null`);
    None when the id itself cannot be read or is not a good id (an id refused is never echoed)."""
    try:
        data = json.loads(line.rstrip("\r\n"))
        item_id = line_id(data, required=True) if isinstance(data, dict) else None
    except (ValueError, RecursionError, LineIdError):
        return None
    return item_id


_ID_FIRST = re.compile(r'\A\s*\{\s*"id"\s*:\s*("(?:[^"\\\x00-\x1f]|\\.)*"|-?(?:0|[1-9][0-9]*))\s*,')


def id_written_first(line: str) -> object:
    """The id of a line that is not valid JSON when it opens the line intact (`{"id": "b1", "text": "...` with the
    closing brace lost), so the record can be found (try-out 13); None otherwise."""
    m = _ID_FIRST.match(line)
    return None if m is None else readable_id('{"id": ' + m[1] + "}")

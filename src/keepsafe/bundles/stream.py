"""Read a case bundle without holding it in memory (issue 20 §4): the small sections whole, people a chunk at a time.

A bundle is one JSON object whose `people` list is nearly all of it. `bundle_head` makes one pass over the file with
ijson's C parser and builds every top-level value except the `people` list; `people_chunks` makes another and yields
people `chunk` at a time. Peak memory is the head (regions, PDUs, teams, staff) and one chunk, whatever the file's
size. A file that is not JSON text is read whole once, on that error path only, so the error names its line and
column exactly as `validate._load` does for a whole document.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import IO, Any

import ijson

from keepsafe.bundles.validate import MAX_DEPTH, validate
from keepsafe.core.errors import ValidationError

# Opens the bundle afresh for each pass (a file, or bytes held by the caller).
Opener = Callable[[], AbstractContextManager[IO[bytes]]]

PEOPLE = "people"
OPENS, CLOSES = frozenset({"start_map", "start_array"}), frozenset({"end_map", "end_array"})


@dataclass
class Head:
    """The bundle without its people: every other top-level key and its value; `people_is_list` says whether the
    `people` key holds a list (then read by `people_chunks`); any other value for it stays in `values`."""

    values: dict[str, Any]
    people_is_list: bool
    is_object: bool


def _read_all(open_bundle: Opener) -> bytes:
    with open_bundle() as f:
        return f.read()


def _not_json(open_bundle: Opener, exc: Exception) -> ValidationError:
    """The error for a file ijson cannot read: json's own message with line and column (the file is read whole)."""
    try:
        validate(_read_all(open_bundle))
    except ValidationError as error:
        return error
    return ValidationError([("(bundle)", f"not valid JSON: {str(exc).splitlines()[0]}")])


# ijson's C parser reads a lone surrogate escape (`\\ud800` without its pair) as "?": such a file is checked whole.
_PAIR = re.compile(rb"\\u[dD][89abAB][0-9a-fA-F]{2}\\u[dD][c-fC-F][0-9a-fA-F]{2}")
_SURROGATE = re.compile(rb"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")


class _Watching:
    """A file read through ijson that notes any surrogate escape not in a pair (an escape split between two reads
    is seen whole: the last 12 bytes of each read are looked at again with the next)."""

    def __init__(self, f: IO[bytes]) -> None:
        self.f, self.tail, self.lone = f, b"", False

    def read(self, size: int = -1) -> bytes:
        block = self.f.read(size)
        if b"\\u" in block or b"\\" in self.tail:
            window = self.tail + block
            if _SURROGATE.search(_PAIR.sub(b"", window)):
                self.lone = True
        if block:
            self.tail = block[-12:]
        return block


def bundle_head(open_bundle: Opener) -> Head:
    """One pass: the top-level keys and the values of all but a `people` list, built as the parser goes."""
    values: dict[str, Any] = {}
    people_is_list = False
    is_object: bool | None = None
    key: str | None = None
    builder: ijson.ObjectBuilder | None = None
    depth = level = 0
    try:
        with open_bundle() as f:
            watched = _Watching(f)
            for prefix, event, value in ijson.parse(watched, use_float=True):
                level += event in OPENS
                level -= event in CLOSES
                if level > MAX_DEPTH:  # not a bundle: the whole-document check names the place, as for any file
                    raise _not_json(open_bundle, ValueError("too deep"))
                if is_object is None:
                    is_object = event == "start_map"
                    if not is_object:
                        break
                elif builder is not None:  # inside a top-level value being built
                    builder.event(event, value)
                    depth += event in OPENS
                    depth -= event in CLOSES
                    if depth == 0:
                        values[str(key)], builder, key = builder.value, None, None
                elif prefix == "" and event == "map_key":
                    key = value
                elif key is not None and prefix == key:
                    if key == PEOPLE and event == "start_array":
                        people_is_list, key = True, None  # its items are read by people_chunks, not kept here
                        continue
                    builder = ijson.ObjectBuilder()
                    builder.event(event, value)
                    depth = 1 if event in OPENS else 0
                    if depth == 0:
                        values[key], builder, key = builder.value, None, None
            lone = watched.lone
    except (ijson.JSONError, UnicodeDecodeError) as exc:
        raise _not_json(open_bundle, exc) from exc
    if lone:
        # Perhaps an unpaired surrogate (or only an escaped backslash before a `u`): the whole-document check names
        # every one with its path; if it finds none, the stream is read as usual.
        validate(_read_all(open_bundle))
    if not is_object:
        # Not an object at the top: the whole-document check says what it is (the file is then small or not a bundle).
        return Head(values={}, people_is_list=False, is_object=False)
    return Head(values=values, people_is_list=people_is_list, is_object=True)


def people_chunks(open_bundle: Opener, chunk: int) -> Iterator[list[Any]]:
    """The `people` list, `chunk` items at a time, each item as plain JSON values (floats as float)."""
    batch: list[Any] = []
    try:
        with open_bundle() as f:
            for person in ijson.items(f, f"{PEOPLE}.item", use_float=True):
                batch.append(person)
                if len(batch) >= chunk:
                    yield batch
                    batch = []
    except ijson.JSONError as exc:
        raise _not_json(open_bundle, exc) from exc
    if batch:
        yield batch

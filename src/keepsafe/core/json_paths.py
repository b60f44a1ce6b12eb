"""Walking parsed JSON: where in a document something is, as the `a.b[3].c` paths error messages use."""

from __future__ import annotations

import re
from collections.abc import Iterator

SURROGATE = re.compile("[\\ud800-\\udfff]")


def nul_paths(value: object, path: str = "") -> Iterator[str]:
    """JSON paths of every string (key or value) holding U+0000."""
    if isinstance(value, str):
        if "\x00" in value:
            yield path or "(document)"
    elif isinstance(value, dict):
        for key, item in value.items():
            child = f"{path}.{key}" if path else str(key)
            if "\x00" in str(key):
                yield child
            yield from nul_paths(item, child)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from nul_paths(item, f"{path}[{index}]")


def unpaired_surrogate_paths(value: object, path: str = "") -> Iterator[str]:
    """JSON paths of every string value holding an unpaired surrogate (a `\\ud800` escape without its pair): not
    Unicode, so no database can store it as text."""
    if isinstance(value, str):
        if SURROGATE.search(value):
            yield path or "(document)"
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from unpaired_surrogate_paths(item, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from unpaired_surrogate_paths(item, f"{path}[{index}]")

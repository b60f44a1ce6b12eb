"""Walking parsed JSON: where in a document something is, as the `a.b[3].c` paths error messages use."""

from __future__ import annotations

from collections.abc import Iterator


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

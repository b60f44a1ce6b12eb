"""A case's open action keys as the rules read them, and what each rule read of them (issue 20 §1).

The reconciler applies the rules once to a case's facts and, when that reconcile opened or closed actions, needs
what they expect with the new open keys too (the next visit instant, rules/next_change.py). The rules are pure, and
the open keys are the only fact that changed, so a rule that never asked about a key that changed gives the same
answer again. `WatchedKeys` notes what each rule asks: which keys it tested (`in`), which prefixes it listed
(`keys_starting`), and whether it read the set any other way (iterated, counted, compared, hashed, combined: every
other use goes through `__iter__`, `__len__` or `__hash__`, which mark the whole set read). Being a
`collections.abc.Set` rather than a frozenset, nothing can read it behind those methods (C code reading a real set's
table directly, as `set(x)` or `x | y` do, cannot see into this one).
"""

from __future__ import annotations

from collections.abc import Iterator, Set


class WatchedKeys(Set[str]):
    """Open keys that note what is asked of them since `watch()`."""

    __slots__ = ("_keys", "asked", "prefixes", "whole")

    def __init__(self, keys: Set[str]) -> None:
        self._keys = frozenset(keys)
        self.watch()

    def watch(self) -> None:
        """Start noting afresh (before each rule)."""
        self.asked: set[str] = set()
        self.prefixes: set[str] = set()
        self.whole = False

    def __contains__(self, key: object) -> bool:
        if isinstance(key, str):
            self.asked.add(key)
        else:
            self.whole = True
        return key in self._keys

    def __iter__(self) -> Iterator[str]:
        self.whole = True
        return iter(self._keys)

    def __len__(self) -> int:
        self.whole = True
        return len(self._keys)

    def __hash__(self) -> int:
        self.whole = True
        return hash(self._keys)

    def starting(self, prefix: str) -> list[str]:
        self.prefixes.add(prefix)
        return [k for k in self._keys if k.startswith(prefix)]

    def read(self) -> Reading:
        return Reading(frozenset(self.asked), frozenset(self.prefixes), self.whole)


class Reading:
    """What one rule read of the open keys: whether its answer can differ when `changed` keys opened or closed."""

    __slots__ = ("asked", "prefixes", "whole")

    def __init__(self, asked: frozenset[str], prefixes: frozenset[str], whole: bool) -> None:
        self.asked, self.prefixes, self.whole = asked, prefixes, whole

    def affected_by(self, changed: Set[str]) -> bool:
        if self.whole:
            return True
        return any(key in self.asked or key.startswith(tuple(self.prefixes)) for key in changed)


def keys_starting(keys: Set[str], prefix: str) -> list[str]:
    """The open keys starting with `prefix`, in the set's order (a rule listing one kind of its actions)."""
    if isinstance(keys, WatchedKeys):
        return keys.starting(prefix)
    return [k for k in keys if k.startswith(prefix)]

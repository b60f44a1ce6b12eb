"""Record kinds: open-ended codes (INTELLIGENCE_LOG, CALL_OUT, CIVIL_ORDER…) with a fixed shape."""

from __future__ import annotations

import re

KIND_PATTERN = re.compile(r"[A-Z][A-Z0-9_]{0,59}")


def kind_problem(kind: str) -> str | None:
    """Kinds are upper-case codes so that routing and indicator rules can match them exactly."""
    if KIND_PATTERN.fullmatch(kind) is None:
        return f"kind {kind!r} must be an upper-case code such as INTELLIGENCE_LOG (A–Z, 0–9, _; up to 60)"
    return None

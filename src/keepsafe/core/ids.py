"""Identifiers used across the probation service."""

from __future__ import annotations

import re

# nDelius case reference number: one capital letter then six digits (bundle format v1, "crn").
CRN_PATTERN = re.compile(r"[A-Z][0-9]{6}")


def is_crn(value: object) -> bool:
    """CRN shape — Case bundle format v1, people[].crn ("one capital letter and six digits")."""
    return isinstance(value, str) and CRN_PATTERN.fullmatch(value) is not None


def normalise_crn(value: str) -> str | None:
    """A CRN typed by a person (surrounding space, lower case) in canonical form, or None if it is not one."""
    candidate = value.strip().upper()
    return candidate if is_crn(candidate) else None

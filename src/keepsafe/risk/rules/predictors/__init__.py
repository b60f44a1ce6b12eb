"""Actuarial predictors, exactly as published (shared/reference/predictors.md). Pure functions, no Django."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from keepsafe.core.jsonlines import LineIdError, json_words, line_id


class PredictorInputError(ValueError):
    """An input a predictor cannot score; `field` names it so callers can report `id: field: reason`."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason


# No criminal record holds more sanctions than this, nor a gap longer than a lifetime: a larger number is a data
# error (a user try-out scored 2,000,000,000 sanctions as 0 %), refused rather than scored. Keepsafe's bound.
MAX_SANCTIONS = 1000
MAX_MONTHS = 120 * 12


def plausible_count(field: str, value: int) -> None:
    """Refuse a sanction count or a number of months no real record has (`MAX_SANCTIONS`, `MAX_MONTHS`)."""
    limit = MAX_MONTHS if field.endswith("months") else MAX_SANCTIONS
    if value > limit:
        unit = "months (a lifetime)" if field.endswith("months") else "sanctions"
        raise PredictorInputError(field, f"{value:,} is more than {limit:,} {unit}: check the input")


def given(value: object) -> str:
    """An input value as the person wrote it in JSON, for "got …" in an error: `null (no value)`, `true`, `'forty'`,
    `3.5`, "a list", "an object", "NaN (not a number)", "a number too large to use" (1e400) — never Python's words for
    them (`None`, `True`, `nan`, `inf`; user try-outs saw "got None" and "got inf").

    Keepsafe's wording for `keepsafe predict` errors (docs/risk.md): `core.jsonlines.json_words`, with a null said to
    be no value, a string always quoted, and an Arrow column's bytes named."""
    if value is None:
        return "null (no value)"
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, bytes | bytearray):
        return "binary data"  # an Arrow binary column
    if isinstance(value, bool | int | float | list | tuple | dict):
        return json_words(value)
    return repr(str(value))


# The codes `keepsafe predict` takes for sex, in words.
SEX_WORDS = {"M": "male", "F": "female"}


def in_words[Code: str](choices: Mapping[Code, str]) -> str:
    """Codes with their words, `violence (Violence against the person), robbery, ...`: the words are left out
    where they only repeat the code (`criminal_damage`, not `criminal_damage (Criminal damage)`), so a list of twenty
    or more stays short enough to read in an error."""

    def letters(text: str) -> str:
        return "".join(c for c in text.casefold() if c.isalnum())

    def one(code: Code, words: str) -> str:
        return code if letters(words) == letters(code) else f"{code} ({words})"

    return ", ".join(one(code, words) for code, words in choices.items())


def not_one_of[Code: str](field: str, value: object, what: str, choices: Mapping[Code, str]) -> PredictorInputError:
    """A categorical input that is none of its codes, listing them in words: `'burglary_x' is not an OGRS3 offence
    category; use one of: violence, robbery, ...` (a user try-out: the error did not say which values there are).

    Keepsafe's wording for `keepsafe predict` errors (docs/risk.md)."""
    return PredictorInputError(field, f"{given(value)} is not {what}; use one of: {in_words(choices)}")


def check_sex(value: object) -> None:
    """Refuse a `sex` that is not M or F, saying which codes there are."""
    if not (isinstance(value, str) and value in SEX_WORDS):
        raise not_one_of("sex", value, "a sex code", SEX_WORDS)


def record_id(data: Mapping[str, object]) -> str | int | None:
    """The `id` echoed in a line's output, by the rule `keepsafe scan` uses too (`core.jsonlines.line_id`): a string
    (not empty) or a whole number, as given; none when the line has no `id` (the record is then named by its line or
    row). Any other value (null, "", an object, a list, true, 1.5) is refused naming `id`, and never echoed back (a
    user try-out saw a whole object come back as the id; another saw `1.5`, `""` and `null` treated differently by
    `keepsafe scan` and `keepsafe predict`)."""
    try:
        return line_id(data, required=False)
    except LineIdError as exc:
        raise PredictorInputError("id", exc.reason) from exc


@dataclass(frozen=True)
class Band:
    name: str  # LOW | MEDIUM | HIGH | VERY_HIGH
    lower: float  # inclusive
    upper: float | None  # exclusive; None = no upper bound

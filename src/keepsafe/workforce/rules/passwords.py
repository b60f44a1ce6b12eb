"""What makes a long password still guessable. Source: NCSC password guidance (no composition rules, but block
predictable passwords); OWASP ASVS 5.0 6.2.11 (context-specific words such as the username); issue 11 (low items).
"""

from __future__ import annotations

MIN_DISTINCT = 4  # "aaaaaaaaaaaaaaaa" and "abababababababab" are long but predictable
MIN_USERNAME = 3  # below this, a username is too short to be a meaningful match


def password_problems(password: str, username: str) -> list[str]:
    problems: list[str] = []
    if len(set(password)) < MIN_DISTINCT:
        problems.append(
            f"Use at least {MIN_DISTINCT} different characters: a repeated character or pattern is guessable"
        )
    name = username.strip().casefold()
    if len(name) >= MIN_USERNAME and name in password.casefold():
        problems.append("Your password must not contain your username")
    return problems

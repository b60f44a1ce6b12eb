"""Errors shared by services, selectors and their callers."""

from django.core.exceptions import PermissionDenied


class NotFoundError(Exception):
    """A case that does not exist, or that the viewer may not see: callers must not tell the two apart."""

    def __init__(self, crn: str) -> None:
        super().__init__(f"No case found with CRN {crn}")
        self.crn = crn


class PermissionDeniedError(PermissionDenied):
    """The actor's role, or their place on the case, does not allow this action. A Django PermissionDenied, so any
    page that lets one through answers 403 with the reason (never a 500), without each view catching it."""


class ValidationError(Exception):
    """Input that breaks a rule; `problems` lists (path, reason) pairs, all of them."""

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        self.problems = problems
        super().__init__("; ".join(f"{path}: {reason}" for path, reason in problems))


class UnknownIdError(Exception):
    """An id that is not a CRN (a check, an API key) names nothing the caller may reach; the message says which.

    Kept apart from NotFoundError, whose message is about a case, so an unknown check is not reported as a CRN."""

    def __init__(self, what: str, ident: str) -> None:
        super().__init__(f"no {what} {ident}")
        self.what, self.ident = what, ident

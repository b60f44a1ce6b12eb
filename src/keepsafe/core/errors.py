"""Errors shared by services, selectors and their callers."""


class NotFoundError(Exception):
    """A case that does not exist, or that the viewer may not see: callers must not tell the two apart."""

    def __init__(self, crn: str) -> None:
        super().__init__(f"No case found with CRN {crn}")
        self.crn = crn


class PermissionDeniedError(Exception):
    """The actor's role does not allow this action."""


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

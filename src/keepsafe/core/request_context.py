"""What the current web request is, for log lines and the audit trail: its id, who made it, which route.

Set by `keepsafe.web.middleware.RequestContextMiddleware`; read by the logging filter (`core.log_context`) and by
`audit.services` (the request id becomes the audit event's correlation id). Never holds names, CRNs or record text.
"""

from __future__ import annotations

import re
import uuid
from contextvars import ContextVar
from dataclasses import dataclass, replace

# A request id from a proxy or load balancer is kept only if it is short and plain (no log or header injection).
_ACCEPTABLE_ID = re.compile(r"^[A-Za-z0-9._:-]{1,36}$")


@dataclass(frozen=True)
class RequestContext:
    request_id: str
    user_id: int | None = None
    role: str | None = None
    route: str | None = None


_current: ContextVar[RequestContext | None] = ContextVar("keepsafe_request", default=None)


def request_id_from(header: str | None) -> str:
    """The caller's X-Request-ID when acceptable (so one id follows a request through proxies), else a new one."""
    if header and _ACCEPTABLE_ID.match(header):
        return header
    return uuid.uuid4().hex


def begin(request_id: str) -> object:
    return _current.set(RequestContext(request_id=request_id))


def update(**fields: object) -> None:
    ctx = _current.get()
    if ctx is not None:
        _current.set(replace(ctx, **fields))  # type: ignore[arg-type]


def end(token: object) -> None:
    _current.reset(token)  # type: ignore[arg-type]


def current() -> RequestContext | None:
    return _current.get()


def current_request_id() -> str | None:
    ctx = _current.get()
    return ctx.request_id if ctx else None

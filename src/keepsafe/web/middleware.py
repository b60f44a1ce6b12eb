"""Request-wide concerns: no caching of case pages (ASVS 5.0 14.3.2), no NUL characters, bodies within the limit;
request ids, request log lines and request timing."""

from __future__ import annotations

import json
import logging
import re
import time
from collections.abc import Callable, Iterator

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers

API_PREFIX = "/api/"


class NoStoreMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not request.path.startswith("/static/"):
            add_never_cache_headers(response)
            response["Cache-Control"] = "no-store, " + response["Cache-Control"]
        return response


NUL = "\x00"


def _where_nul(request: HttpRequest) -> str | None:
    """Where the request carries U+0000, which PostgreSQL cannot store or compare, or None."""
    if NUL in request.path:
        return "the address"
    for key, values in request.GET.lists():
        if NUL in key or any(NUL in v for v in values):
            return f"the query parameter {key.replace(NUL, '')!r}"
    for name, value in request.META.items():
        if name.startswith("HTTP_") and isinstance(value, str) and NUL in value:
            return f"the {name.removeprefix('HTTP_').replace('_', '-').title()} header"
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return None
    content_type = request.content_type or ""
    if content_type.startswith("multipart/"):
        # Uploaded files may be binary; their names and every other field may not carry NUL.
        for key, values in request.POST.lists():
            if NUL in key or any(NUL in v for v in values):
                return f"the form field {key.replace(NUL, '')!r}"
        for _, uploads in request.FILES.lists():
            if any(NUL in (upload.name or "") for upload in uploads):
                return "an uploaded file's name"
        return None
    body = request.body
    if content_type == "application/x-www-form-urlencoded":
        for key, values in request.POST.lists():
            if NUL in key or any(NUL in v for v in values):
                return f"the form field {key.replace(NUL, '')!r}"
        return None
    if b"\x00" in body:
        return "the request body"
    if content_type.endswith("json"):
        try:
            document = json.loads(body)
        except ValueError:
            return None  # not JSON: the view reports that
        # Values only: a key is never stored, and an unknown key is reported as such by the schema.
        for path, value in _json_strings(document):
            if NUL in value:
                return f"the JSON body at {path}"
            if UNPAIRED_SURROGATE.search(value):
                raise _UnpairedSurrogateError(path)
    return None


class _UnpairedSurrogateError(Exception):
    def __init__(self, path: str) -> None:
        self.path = path


UNPAIRED_SURROGATE = re.compile("[\ud800-\udfff]")


def _json_strings(value: object, path: str = "") -> Iterator[tuple[str, str]]:
    """(path, string) for every string value in a parsed JSON document, without recursion (any depth)."""
    stack: list[tuple[str, object]] = [(path, value)]
    while stack:
        where, item = stack.pop()
        if isinstance(item, str):
            yield where or "(document)", item
        elif isinstance(item, dict):
            stack.extend((f"{where}.{key}" if where else str(key), child) for key, child in item.items())
        elif isinstance(item, list):
            stack.extend((f"{where}[{index}]", child) for index, child in enumerate(item))


class RejectNulMiddleware:
    """Issue 11 §8: a NUL character anywhere in a request (address, query, headers, form or JSON body) is a 400.

    One place for every page and the partner API, before anything reaches the database: PostgreSQL cannot hold
    U+0000 in text, so without this a stray NUL became a 500 on every endpoint that compares or stores input.
    A body over the size limit is refused here too, as JSON for the partner API (413, in its schema).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            where = _where_nul(request)
        except RequestDataTooBig:
            limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
            return refusal(request, 413, f"the request body is larger than the limit of {limit:,} bytes")
        except TooManyFieldsSent:
            return refusal(request, 400, "the form has too many fields")
        except _UnpairedSurrogateError as exc:
            return refusal(
                request,
                400,
                f"the JSON body at {_printable(exc.path)} contains an unpaired surrogate (\\ud800-\\udfff), "
                "which is not valid Unicode; send the text as UTF-8",
            )
        if where is not None:
            return refusal(
                request,
                400,
                f"{_printable(where)} contains a NUL character (U+0000), which is not allowed; "
                "remove it and send again",
            )
        return self.get_response(request)


def _printable(text: str) -> str:
    """A caller's text fit to repeat in a message: NUL shown as \\0, unpaired surrogates replaced, bounded."""
    return text.replace(NUL, "\\0").encode("utf-8", "replace").decode("utf-8")[:200]


def refusal(request: HttpRequest, status: int, message: str) -> HttpResponse:
    """A refused request: JSON `{"detail"}` for the partner API (as its schema says), plain text for pages."""
    if request.path.startswith(API_PREFIX):
        return JsonResponse({"detail": message}, status=status)
    return HttpResponse(message + "\n", status=status, content_type="text/plain; charset=utf-8")


SESSION_RENEWED = "keepsafe_renewed"


class SessionRenewalMiddleware:
    """The idle time-out (SESSION_COOKIE_AGE) counts from a signed-in user's last request, as
    SESSION_SAVE_EVERY_REQUEST would, but the session row is rewritten at most once every
    SESSION_RENEW_EVERY_SECONDS (issue 20 §6): saving it on every page view cost a write transaction per request,
    which on SQLite queues every other writer (the audit, the worker's sweep) behind it. The expiry is therefore
    renewed by a request that comes that long after the last renewal, so a session idle for the whole age ends no
    later than it would have, and up to SESSION_RENEW_EVERY_SECONDS sooner. Anonymous sessions are never renewed:
    a stray cookie must not create a session row. After AuthenticationMiddleware, which gives request.user."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = int(timezone.now().timestamp())
            last = request.session.get(SESSION_RENEWED)
            if not isinstance(last, int) or not 0 <= now - last < settings.SESSION_RENEW_EVERY_SECONDS:
                request.session[SESSION_RENEWED] = now  # marks the session modified: saved with a new expiry
        return self.get_response(request)


class RequestContextMiddleware:
    """Give every request an id (the caller's X-Request-ID when acceptable), echo it in the response, put it (with
    the user's id, role and the route pattern) on every log line and audit event of the request, write one log line
    per request, and time it for `/metrics`. Logs never see the path itself: it carries CRNs."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from keepsafe.core import request_context
        from keepsafe.web import metrics

        started = time.perf_counter()
        request_id = request_context.request_id_from(request.headers.get("X-Request-ID"))
        token = request_context.begin(request_id)
        try:
            response = self.get_response(request)
            elapsed = time.perf_counter() - started
            route = _route_of(request)
            request_context.update(route=route)
            response["X-Request-ID"] = request_id
            metrics.observe_request(request.method or "", route, response.status_code, elapsed)
            if route not in QUIET_ROUTES:
                REQUEST_LOG.info(
                    "%s %s %s %.1fms",
                    request.method,
                    route,
                    response.status_code,
                    elapsed * 1000,
                    extra={"status": response.status_code, "duration_ms": round(elapsed * 1000, 1)},
                )
            return response
        finally:
            request_context.end(token)

    def process_view(self, request: HttpRequest, view_func: object, view_args: object, view_kwargs: object) -> None:
        from keepsafe.core import request_context

        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            request_context.update(user_id=user.pk, role=str(getattr(user, "role", "")) or None)
        request_context.update(route=_route_of(request))


# Health probes and metric scrapes come every few seconds; logging each would drown the rest.
QUIET_ROUTES = frozenset({"health/ping", "health", "metrics", "static"})
REQUEST_LOG = logging.getLogger("keepsafe.request")


def _route_of(request: HttpRequest) -> str:
    """The URL pattern that answered (`case/<str:crn>`), never the path; `static` for static files."""
    if request.path.startswith("/static/"):
        return "static"
    match = getattr(request, "resolver_match", None)
    if match is None:
        return "unmatched"
    return match.route or match.view_name or "unmatched"

"""Middleware: no caching of case pages (ASVS 5.0 14.3.2); request ids, request log lines and request timing."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers


class NoStoreMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not request.path.startswith("/static/"):
            add_never_cache_headers(response)
            response["Cache-Control"] = "no-store, " + response["Cache-Control"]
        return response


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

"""Plain error pages. A hidden case and a wrong CRN both land on the same 404 page; an address a page cannot answer
(a query parameter's value, `common.QueryRefusedError`) lands on the 400 page saying which parameter and why."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from keepsafe.core.errors import PermissionDeniedError
from keepsafe.web.views.common import QueryRefusedError


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if request.path.startswith("/api/"):
        # The partner API answers JSON, as its schema says (and the refusal is audited: api/middleware.py).
        return JsonResponse({"detail": "no such operation in the partner API; see /api/v1/openapi.json"}, status=404)
    return render(request, "pages/not_found.html", status=404)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """400: the parameter refused and why (the error summary), and a link to the same page without it. Any other bad
    request (Django's own) gets the page without a reason: its message is not written for staff."""
    refused = exception if isinstance(exception, QueryRefusedError) else None
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": refused.message if refused else "bad request"}, status=400)
    without = request.GET.copy()
    if refused is not None:
        without.pop(refused.name, None)
    query = without.urlencode()
    context = {
        "page_errors": [{"text": refused.message}] if refused else [],
        "parameter": refused.name if refused else None,
        "without": request.path + (f"?{query}" if query else ""),
    }
    return render(request, "pages/bad_request.html", context, status=400)


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """The reason a service gave (PermissionDeniedError: written for staff, never naming a case), if any."""
    cause = exception if isinstance(exception, PermissionDeniedError) else getattr(exception, "__cause__", None)
    reason = str(cause) if isinstance(cause, PermissionDeniedError) else ""
    return render(request, "pages/forbidden.html", {"reason": reason}, status=403)


def server_error(request: HttpRequest) -> HttpResponse:
    return render(request, "pages/server_error.html", status=500)

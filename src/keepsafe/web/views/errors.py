"""Plain error pages. A hidden case and a wrong CRN both land on the same 404 page."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from keepsafe.core.errors import PermissionDeniedError


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if request.path.startswith("/api/"):
        # The partner API answers JSON, as its schema says (and the refusal is audited: api/middleware.py).
        return JsonResponse({"detail": "no such operation in the partner API; see /api/v1/openapi.json"}, status=404)
    return render(request, "pages/not_found.html", status=404)


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """The reason a service gave (PermissionDeniedError: written for staff, never naming a case), if any."""
    cause = exception if isinstance(exception, PermissionDeniedError) else getattr(exception, "__cause__", None)
    reason = str(cause) if isinstance(cause, PermissionDeniedError) else ""
    return render(request, "pages/forbidden.html", {"reason": reason}, status=403)


def server_error(request: HttpRequest) -> HttpResponse:
    return render(request, "pages/server_error.html", status=500)

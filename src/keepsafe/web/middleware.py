"""Case pages hold sensitive personal data: never let a browser or proxy cache them (ASVS 5.0 14.3.2)."""

from __future__ import annotations

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

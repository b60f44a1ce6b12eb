"""Every route the service answers, derived from the URL conf and the partner API's published schema.

Tests that must hold for every route (no NUL reaches the database, a hidden case is indistinguishable from a
missing one) take their routes from here, so a route added tomorrow is covered tomorrow. A path parameter nobody
knows how to fill is an error, not a skipped route.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver

PARAM = re.compile(r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>")
API_PARAM = re.compile(r"\{(?P<name>\w+)\}")


@dataclass(frozen=True)
class WebRoute:
    name: str
    pattern: str  # e.g. "case/<str:crn>/actions/<int:action_id>/<str:verb>"
    params: tuple[str, ...]

    def path(self, fill: Mapping[str, Callable[[], object]]) -> str:
        missing = [p for p in self.params if p not in fill]
        if missing:
            raise LookupError(f"route {self.name!r} ({self.pattern}) has parameters nobody fills: {missing}")
        return "/" + PARAM.sub(lambda m: str(fill[m.group("name")]()), self.pattern)


def web_routes(urlconf: str = "keepsafe.web.urls") -> list[WebRoute]:
    """Every named page of the web service, walking the resolver (nested includes too)."""
    routes: list[WebRoute] = []

    def walk(patterns: list[Any], prefix: str) -> None:
        for entry in patterns:
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, prefix + str(entry.pattern))
            elif isinstance(entry, URLPattern):
                pattern = prefix + str(entry.pattern)
                params = tuple(m.group("name") for m in PARAM.finditer(pattern))
                routes.append(WebRoute(entry.name or pattern, pattern, params))

    walk(get_resolver(urlconf).url_patterns, "")
    return routes


@dataclass(frozen=True)
class ApiOperation:
    method: str
    path: str  # e.g. "/api/v1/records/{external_id}"
    params: tuple[str, ...]
    body: str | None  # the request body's schema component, if any

    @property
    def name(self) -> str:
        return f"{self.method} {self.path}"

    def url(self, fill: Mapping[str, Callable[[], object]]) -> str:
        missing = [p for p in self.params if p not in fill]
        if missing:
            raise LookupError(f"operation {self.name} has parameters nobody fills: {missing}")
        return API_PARAM.sub(lambda m: str(fill[m.group("name")]()), self.path)


def api_operations(schema: Mapping[str, Any]) -> Iterator[ApiOperation]:
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            params = tuple(p["name"] for p in operation.get("parameters", []) if p["in"] == "path")
            content: dict[str, Any] = operation.get("requestBody", {}).get("content", {})
            first: dict[str, Any] = next(iter(content.values()), {})
            ref = first.get("schema", {}).get("$ref")
            yield ApiOperation(method.upper(), path, params, ref.rsplit("/", 1)[1] if ref else None)

"""Health, readiness and build information for load balancers and operations (the HMPPS `/health`, `/health/ping`
and `/info` convention), and `/metrics` for Prometheus. No sign-in, no personal data (docs/operations.md)."""

from __future__ import annotations

import json
from datetime import timedelta
from importlib import metadata
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.module_loading import import_string
from django.views.decorators.http import require_GET

from keepsafe.core import clock, heartbeat
from keepsafe.web import metrics

BUILD_INFO = Path(__file__).resolve().parents[2] / "build-info.json"


@login_not_required
@require_GET
def ping(request: HttpRequest) -> JsonResponse:
    """The process is up and answering (liveness)."""
    return JsonResponse({"status": "UP"})


def _database() -> dict[str, Any]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return {"status": "UP", "details": {"vendor": connection.vendor}}
    except Exception as error:
        return {"status": "DOWN", "details": {"error": type(error).__name__}}


def _migrations() -> dict[str, Any]:
    try:
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except Exception as error:
        return {"status": "DOWN", "details": {"error": type(error).__name__}}
    if pending:
        return {"status": "DOWN", "details": {"pending": len(pending), "fix": "run keepsafe migrate"}}
    return {"status": "UP", "details": {"pending": 0}}


def _worker() -> dict[str, Any]:
    limit = timedelta(seconds=settings.KEEPSAFE_WORKER_HEARTBEAT_MAX_SECONDS)
    try:
        last = heartbeat.last_beat(heartbeat.WORKER)
    except Exception as error:
        return {"status": "DOWN", "details": {"error": type(error).__name__}}
    if last is None:
        return {"status": "DOWN", "details": {"last_heartbeat": None, "fix": "start keepsafe worker"}}
    age = (clock.now() - last).total_seconds()
    status = "UP" if age <= limit.total_seconds() else "DOWN"
    return {"status": status, "details": {"last_heartbeat": last.isoformat(), "age_seconds": round(age)}}


def _email() -> dict[str, Any]:
    backend = settings.MAILERS["default"]["BACKEND"]
    try:
        import_string(backend)
    except ImportError:
        return {"status": "DOWN", "details": {"backend": backend, "error": "cannot be imported"}}
    console = backend.endswith(("console.EmailBackend", "locmem.EmailBackend", "dummy.EmailBackend"))
    if console and not settings.DEBUG and settings.KEEPSAFE_REQUIRE_REAL_EMAIL:
        return {"status": "DOWN", "details": {"backend": backend, "error": "email is not sent anywhere"}}
    return {"status": "UP", "details": {"backend": backend.rsplit(".", 2)[-2]}}


@login_not_required
@require_GET
def health(request: HttpRequest) -> JsonResponse:
    """Readiness: the database answers, migrations are applied, the worker is alive, email can go. 503 if not."""
    components = {"db": _database(), "migrations": _migrations(), "worker": _worker(), "email": _email()}
    up = all(c["status"] == "UP" for c in components.values())
    return JsonResponse({"status": "UP" if up else "DOWN", "components": components}, status=200 if up else 503)


@login_not_required
@require_GET
def info(request: HttpRequest) -> JsonResponse:
    """Which Keepsafe this is: the package version and, when built by `./dev wheel`, the commit and build time."""
    build: dict[str, Any] = {"version": metadata.version("keepsafe")}
    if BUILD_INFO.exists():
        build.update(json.loads(BUILD_INFO.read_text(encoding="utf-8")))
    return JsonResponse({"app": "keepsafe", "build": build})


@login_not_required
@require_GET
def prometheus(request: HttpRequest) -> HttpResponse:
    if not metrics.may_scrape(request):
        return JsonResponse({"error": "metrics are for the monitoring network or a token holder"}, status=403)
    return metrics.render()

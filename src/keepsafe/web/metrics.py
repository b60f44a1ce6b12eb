"""Prometheus metrics at `/metrics` (prometheus-client; docs/operations.md lists each metric and what to watch).

Two kinds:
- **per process**: request latency by route (a histogram). Under gunicorn `keepsafe serve` sets
  PROMETHEUS_MULTIPROC_DIR so every worker process's figures are summed on scrape;
- **read from the database at scrape time**, so every process and the worker agree: open and overdue safety actions
  by type, the sweep's last duration and lag, the task queue's depth, email waiting and failed, bundle imports and
  partner API batches in the last 24 hours. A handful of aggregate queries; no CRN or name is ever a label.
"""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Iterator
from datetime import timedelta

from django.conf import settings
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Histogram, generate_latest, multiprocess
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from keepsafe.core import clock

REQUEST_SECONDS = Histogram(
    "keepsafe_http_request_duration_seconds",
    "Time to answer a request, by route pattern (never the path: paths carry CRNs), method and status class.",
    ["route", "method", "status"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)


def observe_request(method: str, route: str, status: int, seconds: float) -> None:
    REQUEST_SECONDS.labels(route=route, method=method, status=f"{status // 100}xx").observe(seconds)


class DatabaseCollector(Collector):
    """Figures every process shares, read when Prometheus scrapes."""

    def collect(self) -> Iterator[GaugeMetricFamily]:
        from django_tasks_db.models import DBTaskResult

        from keepsafe.actions.models import Action, Notification, SweepRun
        from keepsafe.actions.services.notify import WITHHELD
        from keepsafe.audit.models import AuditEvent

        now = clock.now()
        open_ = GaugeMetricFamily("keepsafe_actions_open", "Open safety actions, by type.", labels=["type"])
        overdue = GaugeMetricFamily(
            "keepsafe_actions_overdue", "Open safety actions past due, by type.", labels=["type"]
        )
        rows = (
            Action.objects.filter(status=Action.Status.OPEN)
            .values("type")
            .annotate(total=Count("id"), late=Count("id", filter=Q(due__lt=now)))
            .order_by("type")
        )
        for row in rows:
            open_.add_metric([row["type"]], row["total"])
            overdue.add_metric([row["type"]], row["late"])
        yield open_
        yield overdue

        last = SweepRun.objects.filter(finished_at__isnull=False).order_by("-finished_at").first()
        duration = GaugeMetricFamily("keepsafe_sweep_last_duration_seconds", "How long the last finished sweep took.")
        lag = GaugeMetricFamily("keepsafe_sweep_lag_seconds", "Seconds since the last sweep finished.")
        if last is not None and last.finished_at is not None:
            duration.add_metric([], (last.finished_at - last.started_at).total_seconds())
            lag.add_metric([], (now - last.finished_at).total_seconds())
        yield duration
        yield lag
        running = GaugeMetricFamily("keepsafe_sweeps_running", "Sweeps started and not finished.")
        running.add_metric([], SweepRun.objects.filter(finished_at__isnull=True).count())
        yield running

        queue = GaugeMetricFamily("keepsafe_task_queue_depth", "Background tasks waiting to run.")
        queue.add_metric([], DBTaskResult.objects.ready().count())
        yield queue

        mail = Notification.objects.aggregate(
            waiting=Count("id", filter=Q(sent_at__isnull=True, failed_at__isnull=True)),
            failed=Count("id", filter=Q(failed_at__isnull=False) & ~Q(error=WITHHELD)),
            withheld=Count("id", filter=Q(error=WITHHELD)),
        )
        for name, help_text in (
            ("waiting", "Emails in the outbox not yet sent (including ones being retried)."),
            ("failed", "Emails given up on (bad address, or failed every retry; the worker log says why)."),
            ("withheld", "Emails not sent because the recipient may no longer see the case."),
        ):
            gauge = GaugeMetricFamily(f"keepsafe_notifications_{name}", help_text)
            gauge.add_metric([], mail[name])
            yield gauge

        day = AuditEvent.objects.filter(at__gte=now - timedelta(hours=24))
        counts = day.aggregate(
            imports=Count("id", filter=Q(action="BUNDLE_IMPORT")),
            batches=Count("id", filter=Q(action="PARTNER_RECORDS_SUBMIT")),
        )
        imports = GaugeMetricFamily("keepsafe_bundle_imports_24h", "Bundle imports in the last 24 hours.")
        imports.add_metric([], counts["imports"])
        yield imports
        batches = GaugeMetricFamily("keepsafe_partner_batches_24h", "Partner API record batches in the last 24 hours.")
        batches.add_metric([], counts["batches"])
        yield batches


def may_scrape(request: HttpRequest) -> bool:
    """`/metrics` answers a bearer token (KEEPSAFE_METRICS_TOKEN) or an address in KEEPSAFE_METRICS_NETWORKS."""
    import hmac

    token = settings.KEEPSAFE_METRICS_TOKEN
    given = request.headers.get("Authorization", "")
    if token and hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
        return True
    try:
        address = ipaddress.ip_address(request.META.get("REMOTE_ADDR", ""))
    except ValueError:
        return False
    return any(address in network for network in settings.KEEPSAFE_METRICS_NETWORKS)


def render() -> HttpResponse:
    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        multiprocess.MultiProcessCollector(registry)
    else:
        registry.register(REQUEST_SECONDS)
    registry.register(DatabaseCollector())
    return HttpResponse(generate_latest(registry), content_type=CONTENT_TYPE_LATEST)

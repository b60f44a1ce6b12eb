"""Serious-harm scanning and partner API ingestion throughput, each at two sizes, measured in one run.

    .venv/bin/python bench/indicators_and_api.py [--small 2000] [--large 20000] [--api-batches 5]
        [--people 1000] [--batch-size 1000]

1. Scanning: the demo's synthetic record texts (prison intelligence, call-outs, replies, notes) through the
   scanner alone; prints texts per second at both sizes and their ratio (near 1.0: cost is linear in texts).
2. Ingestion: POST /api/v1/records in batches of 1,000 through the full WSGI stack (key check, per-item validation,
   idempotency, storage, scanning, audit) into a fresh SQLite file, or the PostgreSQL DATABASE_URL names; prints
   records per second for the first and the last batch and their ratio (near 1.0: no slowdown as records grow).
3. Against the floor (issue 20 §6): the same rows written by a raw bulk insert (`Record.objects.bulk_create`,
   nothing else), and the API path with the scanner replaced by one that finds nothing (the storage path's own
   cost), each as records per second and as a share of the raw insert. Targets: ingest + scan >= 2,000 records/s and
   >= 25% of the raw insert.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime


def scan_rate(texts: list[str]) -> float:
    from keepsafe.records.rules.scanner import scan_many

    started = time.perf_counter()
    found = sum(len(f) for f in scan_many(texts))
    elapsed = time.perf_counter() - started
    print(f"  {len(texts):>7} texts: {len(texts) / elapsed:>9.0f} texts/s ({found} findings)")
    return len(texts) / elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--small", type=int, default=2000)
    parser.add_argument("--large", type=int, default=20000)
    parser.add_argument("--api-batches", type=int, default=5)
    parser.add_argument("--people", type=int, default=1000, help="demo people seeded for the API part")
    parser.add_argument("--batch-size", type=int, default=1000, help="records per API batch (at most 1,000)")
    args = parser.parse_args()
    if "DATABASE_URL" not in os.environ:
        os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp(prefix='keepsafe-bench-')}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "keepsafe.config.settings.local")
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    from keepsafe.core.actor import Actor
    from keepsafe.demo import generator, texts
    from keepsafe.demo.seed import seed
    from keepsafe.records.rules.scanner import scanner
    from keepsafe.sharing.models import SharingAgreement
    from keepsafe.sharing.services import api_key_issue

    rng = random.Random(2026)  # noqa: S311 — reproducible synthetic data, not security
    pool = [
        *texts.PRISON_INTELLIGENCE,
        *texts.POLICE,
        *texts.CHILDRENS_SERVICES,
        *texts.PRACTITIONER,
        *texts.VICTIM_LIAISON,
        *texts.COURT,
    ]

    def synthetic(n: int) -> list[str]:
        return [generator._fill(rng, rng.choice(pool)) for _ in range(n)]

    scanner()  # build the matchers outside the timing
    print("Scanning (scanner only):")
    small, large = scan_rate(synthetic(args.small)), scan_rate(synthetic(args.large))
    print(f"  throughput ratio large/small: {large / small:.2f}")

    call_command("migrate", verbosity=0)
    today = date(2026, 11, 23)
    actor = Actor.system()
    seed(actor=actor, today=today, people=args.people)
    _, key = api_key_issue(
        actor=actor, agreement=SharingAgreement.objects.get(reference="ISA-DEMO-POLICE"), name="bench"
    )
    from keepsafe.people.models import Person

    # Cases the partner may send about: not under the limited-access rule (those are refused like unknown CRNs).
    crns = list(Person.objects.visible_to(is_system=False, staff_id=None).values_list("crn", flat=True))
    client = Client(HTTP_HOST="127.0.0.1")

    def batch_items(label: str) -> list[dict]:
        return [
            {
                "external_id": f"BENCH-{label}-{i}",
                "crn": rng.choice(crns),
                "kind": "CALL_OUT",
                "occurred_at": "2026-11-01T22:00:00Z",
                "author": "Bench",
                "text": generator._fill(rng, rng.choice(texts.POLICE)),
            }
            for i in range(args.batch_size)
        ]

    def post(items: list[dict]) -> float:
        started = time.perf_counter()
        response = client.post(
            "/api/v1/records",
            data=json.dumps({"records": items}),
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {key}",
        )
        elapsed = time.perf_counter() - started
        body = response.json()
        if response.status_code != 200 or body["created"] != len(items):
            sys.exit(f"batch failed: {response.status_code} {str(body)[:300]}")
        return len(items) / elapsed

    rates = []
    print(f"Partner API ingestion ({os.environ['DATABASE_URL'].split(':')[0]}), batches of {args.batch_size:,}:")
    for batch in range(args.api_batches):
        rates.append(post(batch_items(str(batch))))
        print(f"  batch {batch + 1}: {rates[-1]:>7.0f} records/s")
    print(f"  throughput ratio last/first batch: {rates[-1] / rates[0]:.2f}")

    # The floor: the same rows, inserted raw. And the API path with a scanner that finds nothing.
    from django.db import transaction

    from keepsafe.records.models import Record
    from keepsafe.records.rules import scanner as scanner_module  # records.services imports scan_many when it stores

    person_of = dict(Person.objects.values_list("crn", "pk"))
    raw_rates = []
    for batch in range(args.api_batches):
        items = batch_items(f"RAW-{batch}")
        now = datetime.now(UTC)
        started = time.perf_counter()
        with transaction.atomic():
            Record.objects.bulk_create(
                [
                    Record(
                        person_id=person_of[i["crn"]],
                        external_id=f"DEMOPOLICE-{i['external_id']}",
                        source="POLICE",
                        kind=i["kind"],
                        occurred_at=datetime.fromisoformat(i["occurred_at"]),
                        received_at=now,
                        author=i["author"],
                        text=i["text"],
                    )
                    for i in items
                ],
                batch_size=1000,
            )
        raw_rates.append(len(items) / (time.perf_counter() - started))
    scanning = scanner_module.scan_many
    scanner_module.scan_many = lambda texts: ([] for _ in texts)  # type: ignore[assignment]
    try:
        unscanned = [post(batch_items(f"NOSCAN-{batch}")) for batch in range(args.api_batches)]
    finally:
        scanner_module.scan_many = scanning
    api_rate, raw_rate, unscanned_rate = (statistics.median(r) for r in (rates, raw_rates, unscanned))
    print("Against a raw bulk insert of the same rows (medians of the batches above):")
    print(f"  raw bulk insert:          {raw_rate:>9.0f} records/s")
    print(f"  API ingest + scan:        {api_rate:>9.0f} records/s = {api_rate / raw_rate:.1%} of raw (target >= 25%)")
    print(f"  API ingest, scan nothing: {unscanned_rate:>9.0f} records/s = {unscanned_rate / raw_rate:.1%} of raw")
    print(f"  scanner alone (above):    {large:>9.0f} texts/s")
    print(f"  ingest + scan target 2,000 records/s: {'met' if api_rate >= 2000 else 'not met'}")


if __name__ == "__main__":
    main()

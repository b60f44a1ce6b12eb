"""The delivery dashboard over periods of different lengths (issue 17 §1): queries and seconds per read.

    .venv/bin/python bench/assurance_periods.py --database-file PATH [--months 3 12 36] [--repeat 3]

PATH is an SQLite file already seeded by `keepsafe demo` and swept (`keepsafe sweep`); a copy is read, the file is
left as it was. For the region and its first PDU, over the N whole months to the end of last month (as the regional
leader of the demo), it times each selector the dashboard calls — `dashboard` (the measures and their monthly
trend), `capacity_measure` (capacity at the period's end and each month end), `overrides_in`, `equality_rows` — and
the region's page and JSON export through the test client, printing the queries each costs and the best of
`--repeat` runs in seconds. The period's length should change neither count. Not collected by pytest.
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
import time
from datetime import date, timedelta
from typing import Any


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-file", required=True)
    parser.add_argument("--months", type=int, nargs="+", default=[3, 12, 36])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    path = os.path.join(tempfile.mkdtemp(prefix="keepsafe-bench-"), "bench.sqlite3")
    shutil.copy(args.database_file, path)
    os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "keepsafe.config.settings.local"
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from keepsafe.assurance import selectors
    from keepsafe.assurance.rules.scope import Scope
    from keepsafe.core import clock
    from keepsafe.demo import generator
    from keepsafe.workforce.models import Pdu, User
    from keepsafe.workforce.selectors import actor_for_staff_code

    leader = actor_for_staff_code(generator.ROLE_LOGINS["regional-leader"][0])
    assert leader is not None, "not a seeded demo database"
    user = User.objects.get(staff__code=generator.ROLE_LOGINS["regional-leader"][0])
    client = Client()
    client.force_login(user)
    region = generator.REGION["code"]
    pdu = Pdu.objects.filter(region__code=region).order_by("code").values_list("code", flat=True).first()
    assert pdu is not None
    last = clock.today().replace(day=1) - timedelta(days=1)

    def timed(call: Any) -> tuple[int, float]:
        best = float("inf")
        queries = 0
        for _ in range(args.repeat):
            with CaptureQueriesContext(connection) as ctx:
                started = time.perf_counter()
                call()
                best = min(best, time.perf_counter() - started)
            queries = len(ctx.captured_queries)
        return queries, best

    print("unit      months  read            queries  seconds")
    for months in args.months:
        back = last.year * 12 + last.month - months  # the first month, counted from year 0
        first = date(back // 12, back % 12 + 1, 1)
        for scope, code in ((Scope.REGION, region), (Scope.PDU, pdu)):
            for name, read in (
                ("dashboard", selectors.dashboard),
                ("capacity", selectors.capacity_measure),
                ("overrides", selectors.overrides_in),
                ("equality", selectors.equality_rows),
            ):
                queries, seconds = timed(
                    lambda read=read, scope=scope, code=code, first=first: read(leader, scope, code, first, last)
                )
                print(f"{code:9} {months:6}  {name:14} {queries:8}  {seconds:7.2f}", flush=True)
        query = {"scope": "REGION", "code": region}
        query |= {"from-day": "1", "from-month": str(first.month), "from-year": str(first.year)}
        query |= {"to-day": str(last.day), "to-month": str(last.month), "to-year": str(last.year)}
        for fmt in ("", "json"):

            def get(fmt: str = fmt, query: dict[str, str] = query) -> None:
                response = client.get("/assurance", query | ({"format": fmt} if fmt else {}), HTTP_HOST="localhost")
                assert response.status_code == 200, response.content[:500]

            queries, seconds = timed(get)
            print(f"{region:9} {months:6}  {'page ' + (fmt or 'html'):14} {queries:8}  {seconds:7.2f}", flush=True)


if __name__ == "__main__":
    main()

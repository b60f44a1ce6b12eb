"""Dump what successive full sweeps produce, to compare two checkouts row by row (issue 20 §1: a faster sweep must
produce the same actions, owners, due instants, chains, log entries, notifications and next visit instants).

    PYTHONPATH=<checkout>/src .venv/bin/python bench/sweep_dump.py --database-file seeded.sqlite3 --out dump.txt

A copy of the seeded file is swept (its actions, log entries, notifications and sweep state removed first) at
23 November 2026 09:00 UTC, then 30 hours, 3 days and 9 days 5 hours after it, in turn; after each sweep every row
of those tables is written out, every column but those stamped with the wall clock (`auto_now`, `auto_now_add`,
`updated_at`, `sent_at`/`claimed_at` style columns are not set by the sweep). Compare two dumps with `cmp`/`diff`.
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
from datetime import UTC, datetime, timedelta

START = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
INSTANTS = (START, START + timedelta(hours=30), START + timedelta(days=3), START + timedelta(days=9, hours=5))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-file", required=True)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    path = os.path.join(tempfile.mkdtemp(prefix="keepsafe-dump-"), "dump.sqlite3")
    shutil.copy(args.database_file, path)
    os.environ["DJANGO_SETTINGS_MODULE"] = "keepsafe.config.settings.local"
    os.environ["KEEPSAFE_LOG_LEVEL"] = "WARNING"
    os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    import django

    django.setup()
    from django.core.management import call_command

    from keepsafe.actions.models import Action, ActionLog, CaseSweep, Notification
    from keepsafe.actions.services.sweep import sweep_everything

    call_command("migrate", verbosity=0)
    Notification.objects.all().delete()
    ActionLog.objects.all().delete()
    Action.objects.all().delete()
    CaseSweep.objects.all().delete()
    with open(args.out, "w") as out:
        for at in INSTANTS:
            _, outcome = sweep_everything(as_of=at)
            out.write(
                f"=== sweep at {at.isoformat()}: {outcome.created} created, {outcome.closed} closed, "
                f"{outcome.cancelled} cancelled, {outcome.reminded} reminded, {outcome.escalated} escalated\n"
            )
            for model in (Action, ActionLog, Notification, CaseSweep):
                columns = [
                    f.attname
                    for f in model._meta.concrete_fields
                    if not getattr(f, "auto_now", False)
                    and not getattr(f, "auto_now_add", False)
                    and f.attname != "updated_at"
                ]
                out.write(f"--- {model.__name__} ({', '.join(columns)})\n")
                for row in model.objects.order_by("pk").values_list(*columns):
                    out.write(repr(row) + "\n")
    shutil.rmtree(os.path.dirname(path))


if __name__ == "__main__":
    main()

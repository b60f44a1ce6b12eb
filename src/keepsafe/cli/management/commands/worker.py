import logging
import signal
import time
import uuid
from functools import partial

from django.conf import settings
from django.core.management import BaseCommand
from django.db import OperationalError, close_old_connections
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from keepsafe.actions.services.worker import housekeeping
from keepsafe.core import heartbeat
from keepsafe.core.dbturns import is_locked

log = logging.getLogger(__name__)


class Command(BaseCommand):
    help = (
        "The durable background worker: runs queued tasks (django-tasks-db), the periodic sweep "
        "(KEEPSAFE_SWEEP_EVERY_MINUTES), the SPOs' daily digest, recovery of work a lost worker left, the rebuild of "
        "indicator findings after an upgrade changed the scanner, and email."
    )

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=5.0, help="seconds between polls (default 5)")
        parser.add_argument("--until-idle", action="store_true", help="stop once nothing is left to do")

    def handle(self, *args, **options):
        stopping = {"now": False}

        def stop(signum, frame):
            stopping["now"] = True

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        worker_id = f"keepsafe-{uuid.uuid4().hex[:12]}"
        self.stdout.write(f"worker {worker_id}: sweeping every {settings.KEEPSAFE_SWEEP_EVERY_MINUTES} min")
        while not stopping["now"]:
            try:
                done = self.round(worker_id)
                idle = options["until_idle"] and not any(housekeeping(worker=worker_id).values())
            except OperationalError as error:
                if not is_locked(error):
                    raise
                # A transient lock (SQLite, another writer busy): this round is tried again; the worker lives on.
                log.warning("worker %s: database locked, trying again", worker_id)
                close_old_connections()
                time.sleep(options["interval"] or 1.0)
                continue
            if options["until_idle"]:
                if idle and not DBTaskResult.objects.ready().exists():
                    break
                continue
            if done["reaped"] or done["scheduled"] or done["rebuilt"]:
                self.stdout.write(f"worker {worker_id}: {done}")
            if done["rebuilding"] and not done["rebuilt"]:
                continue  # a findings rebuild is part-way: its next slice now, after this round's tasks
            time.sleep(options["interval"])

    def round(self, worker_id: str) -> dict[str, int]:
        """Housekeeping, then every queued task."""
        # /health reports the worker DOWN when no worker has beaten for KEEPSAFE_WORKER_HEARTBEAT_MAX_SECONDS.
        beat = partial(heartbeat.beat, heartbeat.WORKER, {"worker": worker_id})
        beat()
        done = housekeeping(alive=beat, worker=worker_id)
        Worker(
            queue_names=["default"],
            interval=0,
            batch=True,
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id=worker_id,
            excluded_queue_names=[],
        ).run()
        return done

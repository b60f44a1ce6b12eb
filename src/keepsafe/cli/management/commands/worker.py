import signal
import time
import uuid

from django.conf import settings
from django.core.management import BaseCommand
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from keepsafe.actions.services.worker import housekeeping
from keepsafe.core import heartbeat


class Command(BaseCommand):
    help = (
        "The durable background worker: runs queued tasks (django-tasks-db), the periodic sweep "
        "(KEEPSAFE_SWEEP_EVERY_MINUTES), the SPOs' daily digest, recovery of work a lost worker left, and email."
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
            # /health reports the worker DOWN when no worker has beaten for KEEPSAFE_WORKER_HEARTBEAT_MAX_SECONDS.
            heartbeat.beat(heartbeat.WORKER, {"worker": worker_id})
            done = housekeeping()
            tasks = Worker(
                queue_names=["default"],
                interval=0,
                batch=True,
                backend_name="default",
                startup_delay=False,
                max_tasks=None,
                worker_id=worker_id,
                excluded_queue_names=[],
            )
            tasks.run()
            if options["until_idle"]:
                if not any(housekeeping().values()) and not DBTaskResult.objects.ready().exists():
                    break
                continue
            if done["reaped"] or done["scheduled"]:
                self.stdout.write(f"worker {worker_id}: {done}")
            time.sleep(options["interval"])

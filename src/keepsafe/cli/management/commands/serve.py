import os
import tempfile
from pathlib import Path

from django.core.management import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Run the web service (gunicorn) against the database DATABASE_URL names, serving static files."

    def add_arguments(self, parser):
        parser.add_argument("--host", default=os.environ.get("KEEPSAFE_HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("KEEPSAFE_PORT", "8000")))
        parser.add_argument("--workers", type=int, default=int(os.environ.get("KEEPSAFE_WORKERS", "2")))

    def handle(self, *args, **options):
        from django.db import connection
        from django.db.migrations.executor import MigrationExecutor
        from gunicorn.app.base import BaseApplication

        from keepsafe.config.assets import missing_assets
        from keepsafe.config.wsgi import application

        problem = missing_assets()
        if problem:
            raise CommandError(problem, returncode=2)
        executor = MigrationExecutor(connection)
        if executor.migration_plan(executor.loader.graph.leaf_nodes()):
            raise CommandError("the database needs migrating first: run `keepsafe migrate`", returncode=2)
        connection.close()
        bind = f"{options['host']}:{options['port']}"
        # Request timings from every gunicorn worker process are summed on /metrics (prometheus-client multiprocess).
        metrics_dir = os.environ.setdefault("PROMETHEUS_MULTIPROC_DIR", tempfile.mkdtemp(prefix="keepsafe-metrics-"))
        for stale in Path(metrics_dir).glob("*.db"):
            stale.unlink()

        class Server(BaseApplication):
            def load_config(self):
                self.cfg.set("bind", bind)
                self.cfg.set("workers", options["workers"])
                self.cfg.set("accesslog", None)  # request lines carry CRNs in paths: no access log by default
                self.cfg.set("timeout", 60)

            def load(self):
                return application

        self.stdout.write(f"Keepsafe is running at http://{bind}/  (press Ctrl+C to stop)")
        self.stdout.flush()
        Server().run()

import shutil
import sys
import tempfile
from pathlib import Path

from django.core.management import BaseCommand, CommandError

from keepsafe.bundles.importer import bundle_import
from keepsafe.cli.actors import add_as_user, cli_actor
from keepsafe.core.errors import ValidationError
from keepsafe.core.words import counted


class Command(BaseCommand):
    help = (
        "Import a case bundle (shared/specs/bundle-format.md). Everything is validated first; "
        "any error rejects the whole file and nothing is written."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="the bundle, a JSON file ('-' reads standard input)")
        parser.add_argument(
            "--no-reconcile",
            action="store_true",
            help="do not queue the imported cases' actions for re-evaluation (for point-in-time replays with sweep)",
        )
        add_as_user(parser)

    def handle(self, *args, **options):
        name = options["file"]
        with tempfile.TemporaryDirectory(prefix="keepsafe-import-") as spool:
            if name == "-":
                # Read twice as it streams (bundles/stream.py), so standard input is copied to a file first.
                path = Path(spool) / "stdin.json"
                with path.open("wb") as out:
                    shutil.copyfileobj(sys.stdin.buffer, out)
            else:
                path = Path(name)
                if not path.is_file():
                    raise CommandError(f"{name}: no such file", returncode=2)
            summary = self._import(name, path, options)
        if not summary.changed_anything:
            self.stdout.write(f"{name}: nothing to change (already imported)")
            return
        for section, counts in summary.as_dict().items():
            if counts["created"] or counts["updated"]:
                self.stdout.write(f"{section}: {counts['created']} created, {counts['updated']} updated")

    def _import(self, name, path, options):
        actor = cli_actor(options["as_user"])
        try:
            return bundle_import(actor=actor, raw=path, source_name=name, reconcile=not options["no_reconcile"])
        except ValidationError as exc:
            for path_, reason in exc.problems:
                self.stderr.write(f"{name}: {path_}: {reason}")
            raise CommandError(
                f"{name}: rejected with {counted(len(exc.problems), 'error')}; nothing was imported", returncode=1
            ) from exc

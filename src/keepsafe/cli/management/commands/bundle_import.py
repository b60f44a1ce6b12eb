from pathlib import Path

from django.core.management import BaseCommand, CommandError

from keepsafe.bundles.importer import bundle_import
from keepsafe.cli.actors import add_as_user, cli_actor
from keepsafe.core.errors import ValidationError


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
        if name == "-":
            import sys

            raw = sys.stdin.buffer.read()
        else:
            path = Path(name)
            if not path.is_file():
                raise CommandError(f"{name}: no such file", returncode=2)
            raw = path.read_bytes()
        actor = cli_actor(options["as_user"])
        try:
            summary = bundle_import(actor=actor, raw=raw, source_name=name, reconcile=not options["no_reconcile"])
        except ValidationError as exc:
            for path_, reason in exc.problems:
                self.stderr.write(f"{name}: {path_}: {reason}")
            raise CommandError(
                f"{name}: rejected with {len(exc.problems)} error(s); nothing was imported", returncode=1
            ) from exc
        if not summary.changed_anything:
            self.stdout.write(f"{name}: nothing to change (already imported)")
            return
        for section, counts in summary.as_dict().items():
            if counts["created"] or counts["updated"]:
                self.stdout.write(f"{section}: {counts['created']} created, {counts['updated']} updated")

import os
import sys
import tempfile
from pathlib import Path

from django.core.management import BaseCommand, CommandError
from django.db import DatabaseError

from keepsafe.bundles.exporter import bundle_export
from keepsafe.cli.actors import add_as_user, cli_actor, crn_argument
from keepsafe.core.words import counted


class Command(BaseCommand):
    help = "Export the case record in the bundle format (every case the caller may see). Each case is audited."

    def add_arguments(self, parser):
        parser.add_argument("--output", "-o", default="-", help="file to write (default: standard output)")
        parser.add_argument("--crn", action="append", type=crn_argument, help="only this CRN (repeatable)")
        add_as_user(parser)

    def handle(self, *args, **options):
        actor = cli_actor(options["as_user"])
        if options["output"] == "-":
            count = bundle_export(viewer=actor, out=sys.stdout, crns=options["crn"])
            return
        # Written beside the target and renamed only when complete: an export that fails part-way (the database busy,
        # the disk full) leaves no truncated bundle behind, and an earlier file of that name is kept as it was.
        target = Path(options["output"])
        fd, partial = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".partial", dir=target.parent or ".")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                count = bundle_export(viewer=actor, out=out, crns=options["crn"])
            os.replace(partial, target)
        except DatabaseError as exc:
            Path(partial).unlink(missing_ok=True)
            first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            raise CommandError(f"{target}: not written, the database refused the export ({first}); try again") from exc
        except BaseException:
            Path(partial).unlink(missing_ok=True)
            raise
        self.stderr.write(f"exported {counted(count, 'case')} to {target}")

import sys

from django.core.management import BaseCommand

from keepsafe.bundles.exporter import bundle_export
from keepsafe.cli.actors import add_as_user, cli_actor


class Command(BaseCommand):
    help = "Export the case record in the bundle format (every case the caller may see). Each case is audited."

    def add_arguments(self, parser):
        parser.add_argument("--output", "-o", default="-", help="file to write (default: standard output)")
        parser.add_argument("--crn", action="append", help="only this CRN (repeatable)")
        add_as_user(parser)

    def handle(self, *args, **options):
        actor = cli_actor(options["as_user"])
        if options["output"] == "-":
            count = bundle_export(viewer=actor, out=sys.stdout, crns=options["crn"])
        else:
            with open(options["output"], "w", encoding="utf-8") as out:
                count = bundle_export(viewer=actor, out=out, crns=options["crn"])
            self.stderr.write(f"exported {count} case(s) to {options['output']}")

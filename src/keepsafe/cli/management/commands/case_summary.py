import json

from django.core.management import BaseCommand, CommandError

from keepsafe.cases.selectors import case_summary
from keepsafe.cli.actors import add_as_user, cli_actor
from keepsafe.core.errors import NotFoundError


class Command(BaseCommand):
    help = "Print a case summary (keys documented in docs/case-json.md)."

    def add_arguments(self, parser):
        parser.add_argument("crn")
        parser.add_argument("--json", action="store_true", help="print JSON (the only format for now)")
        add_as_user(parser)

    def handle(self, *args, **options):
        actor = cli_actor(options["as_user"])
        try:
            summary = case_summary(crn=options["crn"], viewer=actor)
        except NotFoundError as exc:
            raise CommandError(str(exc), returncode=2) from exc
        self.stdout.write(json.dumps(summary, indent=2, ensure_ascii=False))

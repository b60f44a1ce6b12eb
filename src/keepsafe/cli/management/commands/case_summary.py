import json

from django.core.management import BaseCommand, CommandError

from keepsafe.cases.selectors import case_summary
from keepsafe.cli.actors import add_as_user, cli_actor, crn_argument, parse_instant_option
from keepsafe.core.errors import NotFoundError


class Command(BaseCommand):
    help = "Print a case summary (keys documented in docs/case-json.md)."

    def add_arguments(self, parser):
        parser.add_argument("crn", type=crn_argument)
        parser.add_argument("--json", action="store_true", help="print JSON (the only format for now)")
        parser.add_argument(
            "--as-of",
            metavar="INSTANT",
            default=None,
            help="show the case as it was known at this ISO 8601 instant (with an offset or Z)",
        )
        add_as_user(parser)

    def handle(self, *args, **options):
        actor = cli_actor(options["as_user"])
        as_of = parse_instant_option("--as-of", options["as_of"])
        try:
            summary = case_summary(crn=options["crn"], viewer=actor, as_of=as_of)
        except NotFoundError as exc:
            raise CommandError(str(exc), returncode=2) from exc
        self.stdout.write(json.dumps(summary, indent=2, ensure_ascii=False))

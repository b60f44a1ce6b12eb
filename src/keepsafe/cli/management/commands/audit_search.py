import json
from datetime import date

from django.core.management import BaseCommand, CommandError

from keepsafe.audit.selectors import audit_search
from keepsafe.cli.actors import add_as_user, cli_actor, crn_argument
from keepsafe.core.errors import PermissionDeniedError
from keepsafe.core.formats import iso_instant


class Command(BaseCommand):
    help = "Search the audit trail by CRN, staff member and date (auditors only)."

    def add_arguments(self, parser):
        parser.add_argument("--crn", type=crn_argument)
        parser.add_argument("--actor", help="username or staff code")
        parser.add_argument("--from", dest="date_from", type=date.fromisoformat)
        parser.add_argument("--to", dest="date_to", type=date.fromisoformat)
        parser.add_argument("--limit", type=int, default=200)
        add_as_user(parser)

    def handle(self, *args, **options):
        actor = cli_actor(options["as_user"])
        try:
            events = audit_search(
                viewer=actor,
                crn=options["crn"],
                actor=options["actor"],
                date_from=options["date_from"],
                date_to=options["date_to"],
            )
        except PermissionDeniedError as exc:
            raise CommandError(str(exc), returncode=2) from exc
        for e in events[: options["limit"]]:
            self.stdout.write(
                json.dumps(
                    {
                        "at": iso_instant(e.at),
                        "actor": e.actor,
                        "staff": e.actor_staff_code,
                        "role": e.actor_role,
                        "channel": e.channel,
                        "action": e.action,
                        "crn": e.crn,
                        "outcome": e.outcome,
                        "details": e.details,
                    }
                )
            )

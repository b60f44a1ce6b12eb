import json

from django.core.management import BaseCommand, CommandError

from keepsafe.actions.selectors import action_dict, actions_for_case
from keepsafe.cli.actors import add_as_user, cli_actor, crn_argument, parse_instant_option
from keepsafe.core import clock
from keepsafe.core.errors import NotFoundError
from keepsafe.people.selectors import person_get


class Command(BaseCommand):
    help = "List a case's open safety actions (keys documented in docs/actions.md)."

    def add_arguments(self, parser):
        parser.add_argument("crn", type=crn_argument)
        parser.add_argument("--json", action="store_true", help="print JSON (the only format for now)")
        parser.add_argument("--as-of", metavar="INSTANT", default=None, help="as the service had them at this instant")
        parser.add_argument("--all", action="store_true", help="include done and cancelled actions")
        add_as_user(parser)

    def handle(self, *args, **options):
        actor = cli_actor(options["as_user"])
        as_of = parse_instant_option("--as-of", options["as_of"]) or clock.now()
        try:
            person = person_get(crn=options["crn"], viewer=actor, action="ACTIONS_VIEW")
        except NotFoundError as exc:
            raise CommandError(str(exc), returncode=2) from exc
        rows = [action_dict(a, as_of) for a in actions_for_case(person, as_of=as_of, include_closed=options["all"])]
        self.stdout.write(json.dumps({"crn": person.crn, "as_of": as_of.isoformat(), "actions": rows}, indent=2))

import json

from django.core.management import BaseCommand

from keepsafe.actions.services.notify import deliver
from keepsafe.actions.services.sweep import sweep_everything
from keepsafe.cli.actors import parse_instant_option


class Command(BaseCommand):
    help = (
        "Reconcile every case's safety actions: create what is missing, close what is satisfied, remind and escalate "
        "what is overdue. --as-of evaluates another instant using only what was known then (docs/actions.md)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--as-of", metavar="INSTANT", default=None, help="ISO 8601 instant with an offset or Z")
        parser.add_argument("--no-email", action="store_true", help="record reminders but do not send email now")
        parser.add_argument("--json", action="store_true", help="print the outcome as JSON")

    def handle(self, *args, **options):
        as_of = parse_instant_option("--as-of", options["as_of"])
        run, outcome = sweep_everything(as_of=as_of)
        sent = 0 if options["no_email"] else deliver(limit=100_000)[0]
        result = {
            "sweep": run.pk,
            "as_of": options["as_of"],
            "cases": run.cases,
            "created": outcome.created,
            "closed": outcome.closed,
            "cancelled": outcome.cancelled,
            "reminded": outcome.reminded,
            "escalated": outcome.escalated,
            "emails_sent": sent,
        }
        if options["json"]:
            self.stdout.write(json.dumps(result))
        else:
            self.stdout.write(", ".join(f"{k}: {v}" for k, v in result.items() if v is not None))

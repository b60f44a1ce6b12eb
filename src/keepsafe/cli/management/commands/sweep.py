import json

from django.core.management import BaseCommand, CommandError

from keepsafe.actions.services.notify import deliver
from keepsafe.actions.services.sweep import sweep_everything
from keepsafe.cli.actors import parse_instant_option


class Command(BaseCommand):
    help = (
        "Reconcile the cases' safety actions: create what is missing, close what is satisfied, remind and escalate "
        "what is overdue. Visits only the cases that are dirty or due (incremental) unless --full; --as-of evaluates "
        "another instant using only what was known then, visiting every case unless --incremental (docs/actions.md)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--as-of", metavar="INSTANT", default=None, help="ISO 8601 instant with an offset or Z")
        parser.add_argument("--no-email", action="store_true", help="record reminders but do not send email now")
        parser.add_argument("--json", action="store_true", help="print the outcome as JSON")
        parser.add_argument("--full", action="store_true", help="visit every case (the default with --as-of)")
        parser.add_argument(
            "--incremental",
            action="store_true",
            help="visit only dirty or due cases (the default without --as-of; instants must move forward)",
        )

    def handle(self, *args, **options):
        as_of = parse_instant_option("--as-of", options["as_of"])
        if options["full"] and options["incremental"]:
            raise CommandError("--full and --incremental: choose one")
        # Incremental by default (issue 20 §2). An instant chosen by hand may lie before the next-change instants
        # stored by later sweeps (a replay of the past), which only hold for instants moving forward: full unless asked.
        full = options["full"] or (as_of is not None and not options["incremental"])
        run, outcome = sweep_everything(as_of=as_of, full=full)
        sent = 0
        while not options["no_email"]:  # every waiting notification, in batches (no silent cap)
            done, failed = deliver(limit=1000)
            sent += done
            if done + failed == 0:
                break
        result = {
            "sweep": run.pk,
            "as_of": options["as_of"],
            "full": full,
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

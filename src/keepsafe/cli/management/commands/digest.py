from django.core.management import BaseCommand

from keepsafe.actions.rules.calendar import LONDON
from keepsafe.actions.services.digest import digest_send
from keepsafe.actions.services.notify import deliver
from keepsafe.cli.actors import parse_instant_option
from keepsafe.core import clock


class Command(BaseCommand):
    help = "Send the SPOs' daily digest of their team's overdue and due-soon actions (once per day)."

    def add_arguments(self, parser):
        parser.add_argument("--as-of", metavar="INSTANT", default=None)

    def handle(self, *args, **options):
        as_of = parse_instant_option("--as-of", options["as_of"]) or clock.now()
        sent = digest_send(day=as_of.astimezone(LONDON).date(), as_of=as_of)
        delivered, failed = deliver()
        self.stdout.write(f"digests: {sent}; emails sent: {delivered}; failed: {failed}")

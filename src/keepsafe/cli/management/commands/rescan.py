from django.core.management import BaseCommand

from keepsafe.cli.actors import add_as_user, cli_actor
from keepsafe.people.models import Person
from keepsafe.records.rules.lexicon import LEXICON_VERSION
from keepsafe.records.services import findings_rescan


class Command(BaseCommand):
    help = "Rebuild every serious-harm indicator finding with the current lexicon (run after the lexicon changes)."

    def add_arguments(self, parser):
        parser.add_argument("--crn", action="append", default=None, help="only these cases (repeatable)")
        add_as_user(parser)

    def handle(self, *args, **options):
        actor = cli_actor(options["as_user"])
        ids = None
        if options["crn"]:
            ids = list(Person.objects.filter(crn__in=options["crn"]).values_list("pk", flat=True))
        stored = findings_rescan(actor=actor, person_ids=ids)
        self.stdout.write(f"{stored} findings stored with lexicon {LEXICON_VERSION}")

from django.core.management import BaseCommand, CommandError

from keepsafe.cli.actors import add_as_user, cli_actor, crn_argument
from keepsafe.core.words import counted
from keepsafe.people.models import Person
from keepsafe.records.rules.lexicon import LEXICON_VERSION
from keepsafe.records.services import findings_rescan


class Command(BaseCommand):
    help = (
        "Rebuild every serious-harm indicator finding with the current lexicon and classifier (run after they "
        "change), fifty people per transaction; it prints its progress. Interrupted, run it again: it starts over "
        "and finishes the job (rescanning a case twice gives the same findings)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--crn", action="append", default=None, type=crn_argument, help="only these cases (repeatable)"
        )
        add_as_user(parser)

    def handle(self, *args, **options):
        actor = cli_actor(options["as_user"])
        ids = None
        if options["crn"]:
            found = dict(Person.objects.filter(crn__in=options["crn"]).values_list("crn", "pk"))
            unknown = sorted(set(options["crn"]) - set(found))
            if unknown:
                raise CommandError(f"no case with CRN {', '.join(unknown)}: nothing was rescanned")
            ids = list(found.values())

        def progress(done: int, total: int, stored: int) -> None:
            self.stdout.write(
                f"{done} of {counted(total, 'person', 'people')} rescanned ({counted(stored, 'finding')} stored)"
            )

        stored = findings_rescan(actor=actor, person_ids=ids, progress=progress)
        self.stdout.write(f"{stored} findings stored with lexicon {LEXICON_VERSION}")

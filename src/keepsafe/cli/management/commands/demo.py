from django.conf import settings
from django.core.management import BaseCommand, CommandError

from keepsafe.core import clock
from keepsafe.core.actor import Actor, Channel
from keepsafe.demo.generator import ROLE_LOGINS
from keepsafe.demo.seed import DEMO_PASSWORD, seed


class Command(BaseCommand):
    help = (
        "Seed a deterministic synthetic probation region (1 region, 3 PDUs, ~60 staff, people, flags, "
        "contacts, records) and one login per role. Idempotent: running it again changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--people", type=int, default=2000, help="how many people on probation (default 2000)")
        parser.add_argument("--chunk", type=int, default=1000, help="people per bulk transaction")
        parser.add_argument(
            "--national",
            action="store_true",
            help="a national region: one PDU per 2,500 people in regions of ten, six teams of nine staff each "
            "(about 5,500 staff at 250,000 people); the demo logins are the same",
        )

    def handle(self, *args, **options):
        if settings.KEEPSAFE_PRODUCTION:
            raise CommandError(
                "keepsafe demo creates synthetic people and logins with a published password; it refuses to run "
                f"under production settings ({settings.SETTINGS_MODULE}). Use keepsafe import for real data.",
                returncode=2,
            )
        actor = Actor.system(Channel.SYSTEM)
        total = options["people"]

        def progress(done: int) -> None:
            if total >= 10_000 and done % 10_000 == 0:
                self.stderr.write(f"  {done} of {total} people")

        summary = seed(
            actor=actor,
            today=clock.today(),
            people=total,
            chunk=options["chunk"],
            progress=progress,
            national=options["national"],
        )
        counts = summary.as_dict()
        made = ", ".join(f"{v['created']} {k}" for k, v in counts.items() if v["created"])
        self.stdout.write(f"Demo data ready ({made or 'already seeded, nothing changed'}).")
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        for username, (_, role) in ROLE_LOGINS.items():
            self.stdout.write(f"  {username:<16} {role}")
        self.stdout.write(
            "Partner API: schema at /api/v1/openapi.json; agreements ISA-DEMO-POLICE, ISA-DEMO-CS and "
            "ISA-DEMO-AP (approved premises). "
            "Issue a key with: keepsafe agreement issue-key ISA-DEMO-POLICE --name demo"
        )

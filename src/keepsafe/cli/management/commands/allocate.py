"""`keepsafe allocate CRN --to STAFF --as-user SPO --reason REASON` (issue 15 §2; docs/workforce.md "Allocation").

Exit 0 when allocated; 3 with a one-line reason when a guardrail refuses (nothing changes); 2 for bad input."""

from django.core.management import BaseCommand, CommandError

from keepsafe.cli.actors import add_as_user, cli_actor, crn_argument
from keepsafe.core.errors import NotFoundError, PermissionDeniedError, ValidationError
from keepsafe.oversight.allocation import AllocationRefusedError, allocate
from keepsafe.oversight.rules.allocation import AllocationReason


class Command(BaseCommand):
    help = "Allocate or reallocate a case to a community practitioner, through the allocation guardrails."

    def add_arguments(self, parser):
        parser.add_argument("crn", type=crn_argument)
        parser.add_argument("--to", required=True, metavar="STAFF", help="the practitioner's staff code")
        parser.add_argument("--reason", required=True, help="one of: " + ", ".join(r.value for r in AllocationReason))
        parser.add_argument("--notes", default="", metavar="TEXT", help="allocation justification notes")
        parser.add_argument("--oversight-note", default="", metavar="TEXT", help="the SPO oversight note")
        parser.add_argument(
            "--override-reason",
            default="",
            metavar="TEXT",
            help="why a guardrail is overridden (the head of PDU countersigns)",
        )
        parser.add_argument(
            "--oversight-plan",
            default="",
            metavar="TEXT",
            help="the enhanced-oversight plan for a complex case held by a newly qualified officer",
        )
        parser.add_argument("--capacity-reason", default="", metavar="TEXT", help="why above 100%% capacity")
        add_as_user(parser)

    def handle(self, *args, **options):
        if options["as_user"] is None:
            raise CommandError("--as-user: name the allocating SPO (allocation is a person's decision)", returncode=2)
        actor = cli_actor(options["as_user"])
        try:
            result = allocate(
                actor=actor,
                crn=options["crn"],
                to=options["to"],
                reason=options["reason"],
                notes=options["notes"],
                oversight_note=options["oversight_note"],
                override_reason=options["override_reason"],
                oversight_plan=options["oversight_plan"],
                capacity_reason=options["capacity_reason"],
            )
        except AllocationRefusedError as exc:
            raise CommandError(f"refused: {exc}", returncode=3) from exc
        except (NotFoundError, ValidationError, PermissionDeniedError) as exc:
            raise CommandError(str(exc), returncode=2) from exc
        decision = result.decision
        line = f"{decision.person.crn} allocated to {decision.staff.code} ({decision.get_reason_display()})"
        if result.countersign is not None and result.countersign.owner is not None:
            line += f"; override to be countersigned by {result.countersign.owner.code}"
        self.stdout.write(line)

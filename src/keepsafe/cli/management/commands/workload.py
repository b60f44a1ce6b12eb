import json

from django.core.management import BaseCommand, CommandError

from keepsafe.audit.services import audit_record
from keepsafe.cli.actors import add_as_user, cli_actor, parse_instant_option
from keepsafe.core import clock
from keepsafe.oversight.workload import practitioners, workload_json, workload_many, workload_scope_problem
from keepsafe.workforce.models import Pdu


class Command(BaseCommand):
    help = "Print each practitioner's workload points and capacity (shape in docs/workforce.md)."

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="print JSON (the only format)")
        parser.add_argument("--pdu", metavar="CODE", default=None, help="only this probation delivery unit")
        parser.add_argument(
            "--as-of", metavar="INSTANT", default=None, help="as known at this ISO 8601 instant (with an offset or Z)"
        )
        add_as_user(parser)

    def handle(self, *args, **options):
        actor = cli_actor(options["as_user"])
        try:
            as_of = parse_instant_option("--as-of", options["as_of"]) or clock.now()
        except CommandError as exc:
            raise CommandError(str(exc), returncode=2) from exc
        if as_of > clock.now():  # a projection would be presented as known (tester: 2030 answered silently)
            raise CommandError("--as-of is in the future; workload is known only up to now", returncode=2)
        pdu = options["pdu"]
        if pdu is not None and not Pdu.objects.filter(code=pdu).exists():
            raise CommandError(f"--pdu: no probation delivery unit with code {pdu!r}", returncode=2)
        if (problem := workload_scope_problem(actor, pdu)) is not None:
            raise CommandError(f"--as-user: {problem}", returncode=3)
        staff = practitioners(pdu_code=pdu)
        loads = workload_many([s.pk for s in staff], as_of=as_of)
        audit_record(
            actor=actor,
            action="WORKLOAD_READ",
            details={"pdu": pdu, "as_of": as_of.isoformat(), "practitioners": len(staff)},
        )
        self.stdout.write(json.dumps([workload_json(loads[s.pk]) for s in staff], indent=2, ensure_ascii=False))

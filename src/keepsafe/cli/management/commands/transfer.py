"""`keepsafe transfer CRN --to-pdu CODE --reason TEXT --as-user STAFF` (issue 16 §2; docs/sharing.md "Transfers")."""

import json

from django.core.management import BaseCommand, CommandError

from keepsafe.cases.transfers import transfer_request
from keepsafe.cli.actors import add_as_user, cli_actor, crn_argument
from keepsafe.core.errors import NotFoundError, PermissionDeniedError, ValidationError
from keepsafe.core.formats import iso_instant
from keepsafe.people.selectors import person_get

REFUSED = 3  # the request was refused: the reason is printed on one line and nothing changed


def refused(exc: Exception) -> CommandError:
    """One line saying why, exit 3 (a hidden case is reported exactly like a missing one)."""
    text = str(exc) if not isinstance(exc, ValidationError) else "; ".join(r for _, r in exc.problems)
    return CommandError(f"refused: {' '.join(text.split())}", returncode=REFUSED)


class Command(BaseCommand):
    help = "Request a case's transfer to another PDU; the receiving head of PDU decides (keepsafe transfer-decide)."

    def add_arguments(self, parser):
        parser.add_argument("crn", type=crn_argument)
        parser.add_argument("--to-pdu", required=True, metavar="CODE", help="the receiving PDU's code")
        parser.add_argument("--reason", required=True, help="why the case should move")
        add_as_user(parser)

    def handle(self, *args, **options):
        actor = cli_actor(options["as_user"])
        try:
            person = person_get(crn=options["crn"], viewer=actor, action="TRANSFER_REQUEST_VIEW")
            transfer = transfer_request(
                actor=actor, person=person, to_pdu_code=options["to_pdu"], reason=options["reason"]
            )
        except (NotFoundError, PermissionDeniedError, ValidationError) as exc:
            raise refused(exc) from exc
        self.stdout.write(
            json.dumps(
                {
                    "crn": person.crn,
                    "transfer": transfer.external_id,
                    "status": transfer.status,
                    "from_pdu": transfer.from_pdu.code,
                    "to_pdu": transfer.to_pdu.code,
                    "requested_at": iso_instant(transfer.requested_at),
                },
                indent=2,
            )
        )

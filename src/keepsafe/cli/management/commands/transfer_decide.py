"""`keepsafe transfer-decide CRN --accept --practitioner STAFF | --reject --reason TEXT --as-user HEAD`
(issue 16 §2; docs/sharing.md "Transfers"). Exit 3 with a one-line reason when refused."""

import json

from django.core.management import BaseCommand

from keepsafe.cases.transfers import transfer_decide
from keepsafe.cli.actors import add_as_user, cli_actor, crn_argument
from keepsafe.cli.management.commands.transfer import refused
from keepsafe.core.errors import NotFoundError, PermissionDeniedError, ValidationError
from keepsafe.core.formats import iso_instant
from keepsafe.people.selectors import person_get


class Command(BaseCommand):
    help = "Accept (naming the receiving practitioner) or reject (with a reason) a case's pending transfer."

    def add_arguments(self, parser):
        parser.add_argument("crn", type=crn_argument)
        choice = parser.add_mutually_exclusive_group(required=True)
        choice.add_argument("--accept", action="store_true")
        choice.add_argument("--reject", action="store_true")
        parser.add_argument("--practitioner", metavar="STAFF", default=None, help="on --accept: who holds the case")
        parser.add_argument("--reason", default="", help="on --reject: why (required); on --accept: an optional note")
        add_as_user(parser)

    def handle(self, *args, **options):
        actor = cli_actor(options["as_user"])
        try:
            person = person_get(crn=options["crn"], viewer=actor, action="TRANSFER_DECIDE_VIEW")
            transfer = transfer_decide(
                actor=actor,
                person=person,
                accept=options["accept"],
                practitioner_code=options["practitioner"],
                reason=options["reason"],
            )
        except (NotFoundError, PermissionDeniedError, ValidationError) as exc:
            raise refused(exc) from exc
        self.stdout.write(
            json.dumps(
                {
                    "crn": person.crn,
                    "transfer": transfer.external_id,
                    "status": transfer.status,
                    "to_pdu": transfer.to_pdu.code,
                    "practitioner": transfer.to_practitioner.code if transfer.to_practitioner else None,
                    "decided_at": iso_instant(transfer.decided_at) if transfer.decided_at else None,
                    "summary_document": str(transfer.summary_document) if transfer.summary_document else None,
                },
                indent=2,
            )
        )

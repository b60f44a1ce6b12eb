from datetime import date

from django.core.management import BaseCommand, CommandError

from keepsafe.cli.actors import add_as_user, cli_actor
from keepsafe.core.errors import UnknownIdError, ValidationError
from keepsafe.sharing.models import SharingAgreement
from keepsafe.sharing.services import agreement_create, api_key_issue, api_key_revoke


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"{value!r} is not a date (YYYY-MM-DD)") from exc


def _list(value: str) -> list[str]:
    return [v.strip() for v in value.split(",") if v.strip()]


class Command(BaseCommand):
    help = (
        "Information sharing agreements with partner organisations and their API keys: "
        "`add`, `list`, `issue-key REFERENCE`, `revoke-key PREFIX`."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        add = sub.add_parser("add", help="record a new agreement (and its partner, the first time)")
        add.add_argument("--partner", required=True, help="partner code, e.g. GMP")
        add.add_argument("--partner-name", required=True)
        add.add_argument("--partner-kind", required=True, help="POLICE, PRISON, CHILDRENS_SERVICES, HOUSING, ...")
        add.add_argument("--reference", required=True)
        add.add_argument("--purpose", required=True)
        add.add_argument("--send-kinds", default="", help="comma-separated record kinds the partner may send")
        add.add_argument("--answers", default="", help="checks it answers: DOMESTIC_ABUSE, SAFEGUARDING")
        add.add_argument("--pdus", required=True, help="comma-separated PDU codes whose cases it covers")
        add.add_argument("--valid-from", required=True, type=_date)
        add.add_argument("--valid-until", required=True, type=_date)
        sub.add_parser("list", help="every agreement, its dates and keys")
        issue = sub.add_parser("issue-key", help="issue an API key (shown once)")
        issue.add_argument("reference")
        issue.add_argument("--name", required=True, help="what the key is for, e.g. the partner's system")
        revoke = sub.add_parser("revoke-key", help="revoke an API key at once")
        revoke.add_argument("prefix")
        for p in (add, issue, revoke):
            add_as_user(p)

    def handle(self, *args, **options):
        action = options["action"]
        if action == "list":
            for a in SharingAgreement.objects.select_related("partner").prefetch_related("keys", "pdus"):
                keys = ", ".join(f"{k.prefix}{' (revoked)' if k.revoked_at else ''}" for k in a.keys.all()) or "none"
                self.stdout.write(
                    f"{a.reference}  {a.partner.code}  {a.valid_from}..{a.valid_until}  sends: "
                    f"{', '.join(a.send_kinds) or '-'}  answers: {', '.join(a.answers) or '-'}  "
                    f"PDUs: {', '.join(p.code for p in a.pdus.all())}  keys: {keys}"
                )
            return
        actor = cli_actor(options["as_user"])
        try:
            if action == "add":
                agreement = agreement_create(
                    actor=actor,
                    partner_code=options["partner"],
                    partner_name=options["partner_name"],
                    partner_kind=options["partner_kind"],
                    reference=options["reference"],
                    purpose=options["purpose"],
                    send_kinds=_list(options["send_kinds"]),
                    answers=_list(options["answers"]),
                    pdu_codes=_list(options["pdus"]),
                    valid_from=options["valid_from"],
                    valid_until=options["valid_until"],
                )
                self.stdout.write(f"agreement {agreement.reference} recorded")
            elif action == "issue-key":
                found = SharingAgreement.objects.filter(reference=options["reference"]).first()
                if found is None:
                    raise CommandError(f"no agreement {options['reference']!r}", returncode=2)
                key, full = api_key_issue(actor=actor, agreement=found, name=options["name"])
                self.stdout.write(f"API key {key.prefix} for {found.reference} (shown once, store it now):")
                self.stdout.write(full)
            else:
                key = api_key_revoke(actor=actor, prefix=options["prefix"])
                self.stdout.write(f"API key {key.prefix} revoked at {key.revoked_at:%Y-%m-%d %H:%M}")
        except ValidationError as exc:
            raise CommandError("; ".join(f"{f}: {r}" for f, r in exc.problems), returncode=1) from exc
        except UnknownIdError as exc:
            raise CommandError(str(exc), returncode=2) from exc

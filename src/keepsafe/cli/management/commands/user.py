"""`keepsafe user add|disable|list` (issue 14 §8): sign-in accounts for imported staff."""

import sys

from django.core.management import BaseCommand, CommandError

from keepsafe.cli.actors import add_as_user, cli_actor
from keepsafe.core.actor import Role
from keepsafe.core.errors import PermissionDeniedError, ValidationError
from keepsafe.workforce.selectors import users_list
from keepsafe.workforce.services import user_add, user_disable


class Command(BaseCommand):
    help = "Sign-in accounts for imported staff: `add USERNAME --staff CODE --role ROLE`, `disable USERNAME`, `list`."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        add = sub.add_parser("add", help="create an account for an imported member of staff")
        add.add_argument("username")
        add.add_argument("--staff", required=True, help="the member of staff's code, e.g. N07A123")
        add.add_argument(
            "--role", required=True, help=", ".join(r.value for r in Role if r not in (Role.SYSTEM, Role.PARTNER))
        )
        add.add_argument(
            "--password-stdin",
            action="store_true",
            help="read the password from standard input; without it a random one is generated and printed once",
        )
        disable = sub.add_parser("disable", help="stop an account signing in")
        disable.add_argument("username")
        disable.add_argument("--reason", required=True)
        sub.add_parser("list", help="every account: username, name, staff code, role, active or disabled")
        for p in (add, disable):
            add_as_user(p)

    def handle(self, *args, **options):
        action = options["action"]
        if action == "list":
            for user in users_list():
                staff = user.staff
                who = f"{staff.forename} {staff.surname}" if staff else "-"
                self.stdout.write(
                    f"{user.username}\t{who}\t{staff.code if staff else '-'}\t{Role(user.role).label}\t"
                    f"{'active' if user.is_active else 'disabled'}"
                )
            return
        actor = cli_actor(options["as_user"])
        try:
            if action == "add":
                password = sys.stdin.readline().rstrip("\r\n") if options["password_stdin"] else None
                user, generated = user_add(
                    actor=actor,
                    username=options["username"],
                    staff_code=options["staff"],
                    role=options["role"],
                    password=password,
                )
                self.stdout.write(
                    f"account {user.username} created for staff {options['staff'].strip()} as {Role(user.role).label}"
                )
                if generated:
                    self.stdout.write(
                        f"password (shown once: pass it on securely; `keepsafe changepassword {user.username}` "
                        f"sets another): {generated}"
                    )
            else:
                user_disable(actor=actor, username=options["username"], reason=options["reason"])
                self.stdout.write(f"account {options['username']} disabled")
        except ValidationError as exc:
            raise CommandError("; ".join(f"{field}: {reason}" for field, reason in exc.problems), returncode=1) from exc
        except PermissionDeniedError as exc:
            raise CommandError(str(exc), returncode=2) from exc

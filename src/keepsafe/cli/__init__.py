"""The `keepsafe` command: Django management commands under the probation service's own names."""

from __future__ import annotations

import os
import sys
from typing import Any

# keepsafe NAME → management command. Python keywords (import) cannot be command module names.
ALIASES = {
    "import": "bundle_import",
    "export": "bundle_export",
    "case": "case_summary",
    "audit": "audit_search",
    "scan-corpus": "scan_corpus",
    "indicator-train": "indicator_train",
    "transfer-decide": "transfer_decide",  # issue 16 §2 (helper "transfer")
}


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "keepsafe.config.settings.local")
    from django.core.management import ManagementUtility

    args = list(sys.argv[1:] if argv is None else argv)
    typed = args[0] if args else ""
    if args and args[0] in ALIASES:
        args[0] = ALIASES[args[0]]

    class Utility(ManagementUtility):
        """Django's own dispatch (help, version, settings), each command run by `_PlainErrors`."""

        def fetch_command(self, subcommand: str) -> Any:
            return _PlainErrors(super().fetch_command(subcommand), typed)

    Utility(["keepsafe", *args]).execute()


class _PlainErrors:
    """A management command as `keepsafe NAME` runs it: exactly as Django's `run_from_argv` does, except that a
    refusal (`CommandError`) is written as `keepsafe NAME: what is wrong`, not `CommandError: what is wrong` — a
    user try-out read Django's class name as Python internals. The exit status is the error's (1 unless it says).
    `--traceback` still raises it, and a failed system check keeps its own layout. Everything else (help, the
    parser) is the command's own."""

    def __init__(self, command: Any, typed: str) -> None:
        self.command, self.typed = command, typed

    def __getattr__(self, name: str) -> Any:
        return getattr(self.command, name)

    def run_from_argv(self, argv: list[str]) -> None:
        from django.core.exceptions import ImproperlyConfigured
        from django.core.management.base import CommandError, SystemCheckError, handle_default_options
        from django.db import connections

        command = self.command
        command._called_from_command_line = True
        parser = command.create_parser(argv[0], argv[1])
        options = parser.parse_args(argv[2:])
        cmd_options = vars(options)
        args = cmd_options.pop("args", ())
        handle_default_options(options)
        try:
            command.execute(*args, **cmd_options)
        except CommandError as exc:
            if options.traceback:
                raise
            if isinstance(exc, SystemCheckError):
                command.stderr.write(str(exc), lambda text: text)
            else:
                command.stderr.write(f"keepsafe {self.typed or argv[1]}: {exc}")
            sys.exit(exc.returncode)
        finally:
            try:
                connections.close_all()
            except ImproperlyConfigured:  # no settings: nothing was connected
                pass

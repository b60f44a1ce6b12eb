"""The `keepsafe` command: Django management commands under the probation service's own names."""

from __future__ import annotations

import os
import sys

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
    from django.core.management import execute_from_command_line

    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] in ALIASES:
        args[0] = ALIASES[args[0]]
    execute_from_command_line(["keepsafe", *args])

"""Running the `keepsafe` script as a user would, beside the interpreter running the tests."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def run_keepsafe(args: list[str], lines: list[str], timeout: int = 300, **env: str) -> subprocess.CompletedProcess[str]:
    """`keepsafe ARGS` with `lines` on standard input (one per line), its output captured as text."""
    keepsafe = str(Path(sys.executable).with_name("keepsafe"))
    return subprocess.run(
        [keepsafe, *args],
        input="\n".join(lines) + "\n",
        capture_output=True,
        text=True,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "keepsafe.config.settings.local", **env},
        check=False,
        timeout=timeout,
    )

"""Local and demo use: the embedded SQLite database under var/, plain HTTP on loopback."""

import os

os.environ.setdefault("KEEPSAFE_SECRET_KEY", "insecure-local-only-keepsafe-demo-key-do-not-use-in-production")

from keepsafe.config.settings.base import *  # noqa: F403

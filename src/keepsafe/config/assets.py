"""Refuse to serve pages without their stylesheet: a service that looks broken is one staff stop trusting."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders

STYLESHEET = "keepsafe/app.css"


def missing_assets() -> str | None:
    """None when the compiled front end can be served, else what is wrong and how to fix it."""
    if getattr(settings, "WHITENOISE_USE_FINDERS", False):
        if finders.find(STYLESHEET):
            return None
        return (
            f"the compiled front end ({STYLESHEET}) is missing from the installed package: build it with "
            "`./dev setup` in a checkout, or install a wheel built by `./dev wheel`"
        )
    root = Path(settings.STATIC_ROOT or "")
    if (root / STYLESHEET).exists():
        return None
    return f"static files are not collected into {root}: run `keepsafe collectstatic --no-input` first"

"""`keepsafe serve` refuses to start without its stylesheet rather than serve pages that look broken."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from keepsafe.config.assets import missing_assets


def test_the_built_front_end_is_found():
    assert missing_assets() is None


@override_settings(STATICFILES_FINDERS=[], WHITENOISE_USE_FINDERS=True)
def test_serve_refuses_when_the_stylesheet_is_missing():
    assert "keepsafe/app.css" in (missing_assets() or "")
    with pytest.raises(CommandError, match="compiled front end"):
        call_command("serve", "--port", "1")


def test_production_without_collected_static_files_is_refused(tmp_path):
    with override_settings(WHITENOISE_USE_FINDERS=False, STATIC_ROOT=str(tmp_path)):
        assert "keepsafe collectstatic" in (missing_assets() or "")
        (tmp_path / "keepsafe").mkdir()
        (tmp_path / "keepsafe" / "app.css").write_text("body{}")
        assert missing_assets() is None

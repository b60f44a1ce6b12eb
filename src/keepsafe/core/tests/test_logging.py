from __future__ import annotations

import logging

from keepsafe.core.logging import RedactCrnFilter


def test_crns_are_masked_in_log_lines():
    record = logging.LogRecord(
        "django.request", logging.ERROR, __file__, 1, "Internal Server Error: %s", ("/case/X123456/flags",), None
    )
    RedactCrnFilter().filter(record)
    assert record.getMessage() == "Internal Server Error: /case/[CRN]/flags"


def test_other_lines_are_untouched():
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "took %d ms", (12,), None)
    RedactCrnFilter().filter(record)
    assert (record.msg, record.args) == ("took %d ms", (12,))


def test_every_configured_log_handler_masks_crns():
    from django.conf import settings

    console = settings.LOGGING["handlers"]["console"]
    assert "redact_crn" in console["filters"]
    handlers = [h for h in logging.getLogger().handlers if type(h) is logging.StreamHandler]
    assert handlers
    assert all(any(isinstance(f, RedactCrnFilter) for f in h.filters) for h in handlers)

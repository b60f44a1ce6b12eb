"""Keep personal data out of application logs: case reference numbers in any log line are masked."""

from __future__ import annotations

import logging
import re

CRN_IN_TEXT = re.compile(r"\b[A-Z][0-9]{6}\b")


class RedactCrnFilter(logging.Filter):
    """Request paths (/case/X123456) reach Django's error logs; the CRN must not."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = CRN_IN_TEXT.sub("[CRN]", message)
        if masked != message:
            record.msg, record.args = masked, None
        return True

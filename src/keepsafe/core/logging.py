"""Keep personal data out of application logs: case reference numbers in any log line are masked."""

from __future__ import annotations

import logging
import re

# Either case: /case/x123456 reaches the logs as typed (issue 11, low items).
CRN_IN_TEXT = re.compile(r"\b[A-Z][0-9]{6}\b", re.IGNORECASE)


class RedactCrnFilter(logging.Filter):
    """Request paths (/case/X123456) reach Django's error logs; the CRN must not."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = CRN_IN_TEXT.sub("[CRN]", message)
        if masked != message:
            record.msg, record.args = masked, None
        return True

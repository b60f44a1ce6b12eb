"""Log lines carry the request they belong to (id, user id, role, route), and in production are JSON lines.

Never names, record text or unmasked CRNs: the route is the URL pattern (`case/<str:crn>`), not the path, and
`core.logging.RedactCrnFilter` still masks anything shaped like a CRN in the message.
"""

from __future__ import annotations

import logging

from keepsafe.core.request_context import current

# The fields every JSON log line has (python-json-logger reads them from the record).
JSON_FIELDS = "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s %(user_id)s %(role)s %(route)s"


class RequestContextFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        ctx = current()
        record.request_id = getattr(record, "request_id", None) or (ctx.request_id if ctx else None)
        record.user_id = getattr(record, "user_id", None) or (ctx.user_id if ctx else None)
        record.role = getattr(record, "role", None) or (ctx.role if ctx else None)
        record.route = getattr(record, "route", None) or (ctx.route if ctx else None)
        return True

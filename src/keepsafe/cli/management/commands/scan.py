import json
import sys

from django.core.management import BaseCommand, CommandError

from keepsafe.core.jsonlines import (
    DuplicateKeyError,
    LineIdError,
    NotAnObjectError,
    json_kind,
    line_id,
    line_object,
    loads,
)
from keepsafe.core.words import counted
from keepsafe.records.rules.scanner import scan_many


class Command(BaseCommand):
    help = (
        'Scan JSON lines ({"id": ..., "text": ...}) from standard input for serious-harm indicators; one JSON line '
        "out per line in: the id and its findings (indicator, start, end, text, rule, why). A line that cannot be "
        "scanned (not a JSON object, a key given twice, no `id` or one that is not a string or a whole number, "
        "an `id` with a control character, no `text`) gets its `line`, the `field` and the `error`; every other "
        "line is still scanned and the exit status is 1."
    )

    # Scanning reads standard input and needs no database: Django's checks would open it (and fail with fields.E180
    # while SQLite is busy being seeded, as its JSON probe cannot begin a transaction).
    requires_system_checks: list[str] = []

    def handle(self, *args, **options):
        failures = 0
        pending: list[tuple[object, str]] = []

        def flush() -> None:
            for (item_id, _), findings in zip(pending, scan_many(text for _, text in pending), strict=True):
                self.stdout.write(json.dumps({"id": item_id, "findings": [finding_json(f) for f in findings]}))
            pending.clear()

        for number, line in enumerate(sys.stdin, start=1):
            if not line.strip():
                continue
            item_id, text, problem = read_line(line)
            if problem is not None:
                flush()
                field, error = problem
                self.stdout.write(json.dumps({"id": item_id, "line": number, "field": field, "error": error}))
                failures += 1
                continue
            pending.append((item_id, text))
            if len(pending) >= 256:
                flush()
        flush()
        if failures:
            raise CommandError(f"{counted(failures, 'line')} could not be scanned", returncode=1)


def read_line(line: str) -> tuple[object, str, tuple[str, str] | None]:
    """One input line → its `id` (None if it has none, or one that cannot be an id: never echoed), its `text`, and
    the field and why it cannot be scanned (None when it can). The id is checked before the text, so a line with
    neither is reported for its id; the line and the id by the rules `keepsafe predict` uses too (`core.jsonlines`)."""
    try:
        data = line_object(loads(line))
    except DuplicateKeyError as exc:
        return None, "", (exc.key, str(exc))
    except json.JSONDecodeError as exc:
        return None, "", ("(line)", f"not valid JSON: {exc.msg}")
    except NotAnObjectError as exc:
        return None, "", ("(line)", exc.reason)
    try:
        item_id = line_id(data, required=True)
    except LineIdError as exc:
        return None, "", ("id", exc.reason)
    text = data.get("text")
    if "text" not in data:
        return item_id, "", ("text", "missing: each line needs the `text` to scan")
    if not isinstance(text, str):
        return item_id, "", ("text", f"must be a string, got {json_kind(text)}")
    return item_id, text, None


def finding_json(f) -> dict[str, object]:
    return {"indicator": f.indicator, "start": f.start, "end": f.end, "text": f.text, "rule": f.rule, "why": f.why}

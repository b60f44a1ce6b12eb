import json
import sys

from django.core.management import BaseCommand, CommandError

from keepsafe.core.jsonlines import (
    DuplicateKeyError,
    LineIdError,
    NotAnObjectError,
    decode_error,
    json_kind,
    line_id,
    line_object,
    loads,
    lone_surrogate,
)
from keepsafe.core.words import counted
from keepsafe.records.rules.scanner import Finding, scan_many, scanner


class Command(BaseCommand):
    help = (
        'Scan JSON lines ({"id": ..., "text": ...}, UTF-8) from standard input for serious-harm indicators; one JSON '
        "line out per line in (blank lines are skipped): the id and its findings (indicator, start, end, text, rule, "
        "why). A line that cannot be scanned (not UTF-8, not a JSON object, a key given twice, no `id` or one that is "
        "not a string or a whole number, an `id` with a control character, an `id` already given on an earlier line, "
        "no `text`) gets its `line`, the `field` and the `error`; every other line is still scanned and the exit "
        "status is 1."
    )

    # Scanning reads standard input and needs no database: Django's checks would open it (and fail with fields.E180
    # while SQLite is busy being seeded, as its JSON probe cannot begin a transaction).
    requires_system_checks: list[str] = []

    def handle(self, *args, **options):
        failures = 0
        pending: list[tuple[int, object, str]] = []
        seen: dict[object, int] = {}

        def refuse(number: int, item_id: object, field: str, error: str) -> None:
            nonlocal failures
            self.stdout.write(json.dumps({"id": item_id, "line": number, "field": field, "error": error}))
            failures += 1

        def flush() -> None:
            texts = [text for _, _, text in pending]
            found: list[list[Finding] | Exception]
            try:
                found = list(scan_many(texts))
            except Exception:
                # one text the scanner cannot read must not lose the others: read them one by one
                found = []
                for text in texts:
                    try:
                        found.append(scanner().scan(text))
                    except Exception as exc:
                        found.append(exc)
            for (number, item_id, _), findings in zip(pending, found, strict=True):
                if isinstance(findings, Exception):
                    refuse(number, item_id, "text", f"the scanner could not read this text ({type(findings).__name__})")
                    continue
                self.stdout.write(json.dumps({"id": item_id, "findings": [finding_json(f) for f in findings]}))
            pending.clear()

        for number, raw in enumerate(sys.stdin.buffer, start=1):
            line, unreadable = decoded(raw, first=number == 1)
            if unreadable is not None:
                flush()
                refuse(number, None, "(line)", unreadable)
                continue
            if not line.strip():
                continue
            item_id, text, problem = read_line(line)
            if problem is None and item_id in seen:
                problem = (
                    "id",
                    f"{json.dumps(item_id)} is also the id on line {seen[item_id]}: give each line its own id",
                )
            if problem is not None:
                flush()
                # an id refused is never echoed; one already given is a good id, and names the line
                refuse(number, item_id if problem[0] != "id" or item_id in seen else None, *problem)
                continue
            seen[item_id] = number
            pending.append((number, item_id, text))
            if len(pending) >= 256:
                flush()
        flush()
        if failures:
            raise CommandError(f"{counted(failures, 'line')} could not be scanned", returncode=1)


def decoded(raw: bytes, *, first: bool) -> tuple[str, str | None]:
    """One line of standard input as text, or why it cannot be read: UTF-8 only (a byte that is not UTF-8 made
    spaCy fail and lost every later line). A UTF-8 byte order mark on the first line is let through (a Windows
    export); a line of UTF-16 is named as such."""
    if first and raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")) or (b"\x00" in raw and raw.count(b"\x00") * 4 >= len(raw)):
        return "", "not UTF-8 text: it looks like UTF-16; save the file as UTF-8"
    try:
        return raw.decode("utf-8"), None
    except UnicodeDecodeError as exc:
        return (
            "",
            f"not UTF-8 text: byte 0x{raw[exc.start]:02X} at byte {exc.start + 1} is not UTF-8; save the file as UTF-8",
        )


def read_line(line: str) -> tuple[object, str, tuple[str, str] | None]:
    """One input line → its `id` (None if it has none, or one that cannot be an id: never echoed), its `text`, and
    the field and why it cannot be scanned (None when it can). The id is checked before the text, so a line with
    neither is reported for its id; the line and the id by the rules `keepsafe predict` uses too (`core.jsonlines`)."""
    try:
        data = line_object(loads(line.rstrip("\r\n")))
    except DuplicateKeyError as exc:
        return None, "", (exc.key, str(exc))
    except json.JSONDecodeError as exc:
        return None, "", ("(line)", decode_error(exc))
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
    if (position := lone_surrogate(text)) is not None:
        return item_id, "", ("text", f"must be Unicode text: a lone surrogate (not a character) at position {position}")
    return item_id, text, None


def finding_json(f) -> dict[str, object]:
    return {"indicator": f.indicator, "start": f.start, "end": f.end, "text": f.text, "rule": f.rule, "why": f.why}

import errno
import json
import os
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

from django.core.management import BaseCommand, CommandError

from keepsafe.core.jsonlines import (
    DuplicateKeyError,
    LineIdError,
    NotAnObjectError,
    decode_error,
    id_written_first,
    json_kind,
    line_id,
    line_object,
    loads,
    lone_surrogate,
    readable_id,
)
from keepsafe.core.words import counted
from keepsafe.records.rules.scanner import Finding, normalised, scan_many, scanner


class Command(BaseCommand):
    help = (
        'Scan JSON lines ({"id": ..., "text": ...}, UTF-8) from a FILE or standard input for serious-harm '
        "indicators; one JSON line out per line in (blank lines are skipped): the id and its findings (indicator, "
        "start, end, text, rule, why); empty input is said on standard error. A line that cannot be scanned (not "
        "UTF-8, not a JSON object, a key given twice, no `id` or one that is not a string or a whole number, an `id` "
        "with a control character or one nobody sees, an `id` already given on an earlier line "
        '(1 and "1" are the same id), no `text`, a `text` that is empty or only spaces or characters nobody sees) '
        "gets its `line`, the `field` and the `error`; every other line is still scanned and the exit status is 1."
    )

    # Scanning reads standard input and needs no database: Django's checks would open it (and fail with fields.E180
    # while SQLite is busy being seeded, as its JSON probe cannot begin a transaction).
    requires_system_checks: list[str] = []

    def add_arguments(self, parser):
        parser.add_argument(
            "file",
            nargs="?",
            type=Path,
            help="a JSON-lines file to scan instead of standard input (`keepsafe scan FILE` and `keepsafe scan < FILE` "
            "are the same)",
        )

    def handle(self, *args, **options):
        source = options.get("file")
        try:
            if source is not None and str(source) != "-":  # "-" is standard input, as other tools read it
                try:
                    stream: BinaryIO = source.open("rb")
                except OSError as exc:
                    raise CommandError(f"{source}: cannot read: {exc.strerror}", returncode=2) from exc
                with stream:
                    self._scan(stream)
            else:
                self._scan(sys.stdin.buffer)
        except BrokenPipeError:
            # `keepsafe scan < big.jsonl | head`: the reader stopped; say so in one line, not a traceback (try-out
            # 14), and write nothing more to the closed pipe
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            raise CommandError("the output was closed before every line was written", returncode=1) from None
        except OSError as exc:
            if exc.errno != errno.ENOSPC:
                raise
            raise CommandError(f"cannot write the output: {exc.strerror}", returncode=1) from None

    def _scan(self, stream: BinaryIO) -> None:
        failures = 0
        lines = 0
        pending: list[tuple[int, object, str]] = []
        # ids as written: 1 and "1" name one record to a spreadsheet or a join on text, so they are one id here
        seen: dict[str, tuple[int, object]] = {}

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

        for number, raw in enumerate(input_lines(stream), start=1):
            line, unreadable = decoded(raw, first=number == 1)
            lines += unreadable is not None or bool(line.strip())
            if unreadable is not None:
                flush()
                refuse(number, readable_id(raw.decode("utf-8", errors="surrogateescape")), "(line)", unreadable)
                continue
            if not line.strip():
                continue
            item_id, text, problem = read_line(line)
            earlier = seen.get(str(item_id)) if problem is None else None
            if earlier is not None:
                given = (
                    "" if earlier[1] == item_id else f" (as {json.dumps(earlier[1])}, the same id written another way)"
                )
                problem = (
                    "id",
                    f"{json.dumps(item_id)} is also the id on line {earlier[0]}{given}: give each line its own id",
                )
            if problem is not None:
                flush()
                # an id refused is never echoed; one already given is a good id, and names the line
                refuse(number, item_id if problem[0] != "id" or earlier is not None else None, *problem)
                continue
            seen[str(item_id)] = (number, item_id)
            pending.append((number, item_id, text))
            if len(pending) >= 256:
                flush()
        flush()
        if not lines:
            # nothing in, nothing out: say so, as a file that exported nothing looks like one without harm
            self.stderr.write("keepsafe scan: no records to scan (the input was empty or only blank lines)")
        if failures:
            raise CommandError(f"{counted(failures, 'line')} could not be scanned", returncode=1)


def input_lines(stream: Iterable[bytes]) -> Iterator[bytes]:
    """The lines of standard input, ended by LF, CRLF or a lone CR (a file saved with old Mac line endings was read
    as one line, and its records after the first were lost inside that line's error; try-out 12). Inside a JSON
    string a CR must be written \\r, so a raw one can only be whitespace between tokens, which no JSON-lines writer
    puts there: splitting at it cuts no record that was readable."""
    for raw in stream:
        body = raw[:-2] if raw.endswith(b"\r\n") else raw[:-1] if raw.endswith(b"\n") else raw
        if b"\r" not in body:
            yield raw
            continue
        pieces = body.split(b"\r")
        if body.endswith(b"\r"):
            pieces.pop()  # a CR that ends the last line ends it, and starts no line of its own
        yield from (piece + b"\n" for piece in pieces)


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
        return (readable_id(line) if exc.key != "id" else None), "", (exc.key, str(exc))
    except json.JSONDecodeError as exc:
        return id_written_first(line), "", ("(line)", decode_error(exc))
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
    if not normalised(text)[0].strip():
        # an empty record scanned would read as "nothing found": say it held nothing to scan (characters nobody sees,
        # a zero-width space or a byte order mark, are nothing too)
        return item_id, "", ("text", "empty: there is no text to scan (a blank record is not a record without harm)")
    if (position := lone_surrogate(text)) is not None:
        return item_id, "", ("text", f"must be Unicode text: a lone surrogate (not a character) at position {position}")
    return item_id, text, None


def finding_json(f) -> dict[str, object]:
    return {"indicator": f.indicator, "start": f.start, "end": f.end, "text": f.text, "rule": f.rule, "why": f.why}

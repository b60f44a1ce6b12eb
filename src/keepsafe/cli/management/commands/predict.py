import io
import sys
from collections.abc import Iterator
from itertools import islice
from typing import Any, BinaryIO

from django.core.management import BaseCommand, CommandError

from keepsafe.core.words import counted
from keepsafe.risk.rules.predictors.io import PREDICTORS
from keepsafe.risk.rules.predictors.lines import ogrs3_chunk, predict_line

CHUNK_LINES = 50_000
CSV_BLOCK_BYTES = 16 << 20  # CSV read a block at a time: memory bounded by the block, not the file
ARROW_FILE_MAGIC = b"ARROW1"


class _Ragged:
    """The CSV rows with more or fewer fields than the header, as the reader reports them. The reader skips them and
    `before_first` stops the batches at the first, so the rows before it are scored and written (a user try-out: with
    the reader stopping at once, a small file wrote nothing, not even the header, though the message said the rows
    before it were written)."""

    def __init__(self) -> None:
        self.rows: list[Any] = []

    def append_and_skip(self, row: Any) -> str:
        self.rows.append(row)
        return "skip"

    def before_first(self, batches: Iterator[Any]) -> Iterator[Any]:
        """The record batches up to the first ragged row, the last one cut short there. The reader numbers rows with
        the header as 1 (single-threaded), so the rows before ragged row `number` are the first `number - 2`; no
        earlier row was skipped, so they are the first rows of the batches. The reader parses ahead, so a ragged row
        may be reported while batches before it are still to come: they are passed on whole. Without a number, stop
        at once."""
        seen = 0
        for batch in batches:
            if self.rows:
                number = self.rows[0].number
                limit = number - 2 if number else seen
                if seen + batch.num_rows >= limit:
                    yield batch.slice(0, max(0, limit - seen))
                    return
            seen += batch.num_rows
            yield batch


class _Prefixed(io.RawIOBase):
    """A stream whose first bytes were already read (to tell an Arrow IPC file from a stream), read whole again."""

    def __init__(self, head: bytes, rest: BinaryIO) -> None:
        self.head, self.rest = head, rest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if self.head:
            size = min(len(buffer), len(self.head))
            buffer[:size], self.head = self.head[:size], self.head[size:]
            return size
        data = self.rest.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


class Command(BaseCommand):
    help = (
        "Score JSON lines from standard input with a published predictor; one JSON line out per line in, "
        "echoing `id`. A line that cannot be scored gets an `error` naming the field; the exit status is then 1. "
        "`ogrs3` reads and scores large input in chunks with numpy (the same output, line for line); with "
        "`--format arrow` or `--format csv` it reads and writes a table instead (docs/risk.md)."
    )

    def add_arguments(self, parser):
        parser.add_argument("predictor", choices=sorted(PREDICTORS))
        parser.add_argument(
            "--chunk-lines",
            type=int,
            default=None,
            help=f"ogrs3: lines scored together (default {CHUNK_LINES:,}; 1 when standard input is a terminal)",
        )

        parser.add_argument(
            "--format",
            choices=("jsonl", "arrow", "csv"),
            default="jsonl",
            help="ogrs3: JSON lines (default), an Arrow IPC stream or file, or CSV with a header row; "
            "the output is in the same format",
        )

    # Scoring reads standard input and needs no database: Django's checks would open it (and fail with fields.E180
    # while SQLite is busy being seeded), as `keepsafe scan` found before (independent try-out, 4 December).
    requires_system_checks: list[str] = []

    def handle(self, *args, **options):
        name = options["predictor"]
        score = PREDICTORS[name]
        failures = 0
        if options["format"] != "jsonl":
            if name != "ogrs3":
                raise CommandError(f"--format {options['format']} is for ogrs3 only; {name} reads JSON lines")
            failures = self._table(options["format"])
        elif name == "ogrs3":
            chunk = options["chunk_lines"]
            if chunk is None:
                chunk = 1 if sys.stdin.isatty() else CHUNK_LINES
            if chunk < 1:
                raise CommandError(f"--chunk-lines must be at least 1, got {chunk}")
            number = 1
            while lines := list(islice(sys.stdin, chunk)):
                out, failed = ogrs3_chunk(score, lines, number)
                number += len(lines)
                failures += failed
                if out:
                    self.stdout.write("\n".join(out))
        else:
            for number, line in enumerate(sys.stdin, start=1):
                text, failed = predict_line(score, number, line)
                failures += failed
                if text is not None:
                    self.stdout.write(text)
        if failures:
            unit = "line" if options["format"] == "jsonl" else "row"
            raise CommandError(f"{counted(failures, unit)} could not be scored", returncode=1)

    def _table(self, kind: str) -> int:
        """Score a table from standard input a record batch at a time; the output table goes to standard output."""
        import pyarrow as pa  # imported here: only the table formats need it
        import pyarrow.csv as pa_csv
        import pyarrow.ipc as pa_ipc

        from keepsafe.risk.rules.predictors.table import (
            KNOWN_COLUMNS,
            TableInputError,
            check_columns,
            output_schema,
            ragged_row,
            score_batches,
        )

        source: BinaryIO = sys.stdin.buffer
        text_out: Any = self.stdout._out
        out: BinaryIO = getattr(text_out, "buffer", text_out)
        what = "an Arrow IPC stream or file" if kind == "arrow" else "CSV"
        ragged = _Ragged()
        batches: Iterator[Any]
        try:
            if kind == "arrow":
                head = source.read(len(ARROW_FILE_MAGIC))
                if not head:
                    raise CommandError("standard input is empty: expected an Arrow IPC stream or file")
                if head == ARROW_FILE_MAGIC:  # the file format needs the whole file (it ends with its index)
                    whole = pa_ipc.open_file(pa.py_buffer(head + source.read()))
                    schema = whole.schema
                    batches = (whole.get_batch(i) for i in range(whole.num_record_batches))
                else:
                    reader = pa_ipc.open_stream(io.BufferedReader(_Prefixed(head, source)))
                    schema, batches = reader.schema, iter(reader)
            else:
                reader = pa_csv.open_csv(
                    source,
                    # one thread: the reader then counts rows, so a ragged one is named by its row (with threads the
                    # count is None; reading is no slower, measured on 2 million rows)
                    read_options=pa_csv.ReadOptions(block_size=CSV_BLOCK_BYTES, use_threads=False),
                    parse_options=pa_csv.ParseOptions(invalid_row_handler=ragged.append_and_skip),
                    convert_options=pa_csv.ConvertOptions(
                        column_types=dict.fromkeys(KNOWN_COLUMNS, pa.string()),
                        strings_can_be_null=True,
                        null_values=[""],  # only an empty cell is missing: "NA" or "null" is a value, and says so
                    ),
                )
                schema, batches = reader.schema, ragged.before_first(iter(reader))
            check_columns(schema.names)
            id_type = schema.field("id").type if "id" in schema.names else None
            target = output_schema(id_type)
            failures = 0
            writer = pa_ipc.new_stream(out, target) if kind == "arrow" else pa_csv.CSVWriter(out, target)
            with writer:
                for batch, failed in score_batches(batches, target):
                    writer.write_batch(batch)
                    failures += failed
            if ragged.rows:  # the rows before it are written, as the message says (table.ragged_row)
                first = ragged.rows[0]
                raise ragged_row(first.number, first.expected_columns, first.actual_columns)
        except TableInputError as exc:
            raise CommandError(f"standard input ({what}): {exc}") from exc
        except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError, OSError) as exc:
            if ragged.rows:  # the reader's own message names no row
                first = ragged.rows[0]
                problem = ragged_row(first.number, first.expected_columns, first.actual_columns)
                raise CommandError(f"standard input ({what}): {problem}") from exc
            # OSError: an Arrow stream cut short (the rows before it are already written; the exit status says so)
            raise CommandError(f"standard input is not readable as {what}: {exc}") from exc
        except UnicodeDecodeError as exc:
            raise CommandError(f"standard input is not readable as {what}: the header is not UTF-8 text") from exc
        out.flush()
        return failures

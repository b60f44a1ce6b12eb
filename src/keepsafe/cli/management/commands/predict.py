import sys
from itertools import islice

from django.core.management import BaseCommand, CommandError

from keepsafe.risk.rules.predictors.io import PREDICTORS
from keepsafe.risk.rules.predictors.lines import ogrs3_chunk, predict_line

CHUNK_LINES = 50_000


class Command(BaseCommand):
    help = (
        "Score JSON lines from standard input with a published predictor; one JSON line out per line in, "
        "echoing `id`. A line that cannot be scored gets an `error` naming the field; the exit status is then 1. "
        "`ogrs3` reads and scores large input in chunks with numpy (the same output, line for line)."
    )

    def add_arguments(self, parser):
        parser.add_argument("predictor", choices=sorted(PREDICTORS))
        parser.add_argument(
            "--chunk-lines",
            type=int,
            default=None,
            help=f"ogrs3: lines scored together (default {CHUNK_LINES:,}; 1 when standard input is a terminal)",
        )

    def handle(self, *args, **options):
        name = options["predictor"]
        score = PREDICTORS[name]
        failures = 0
        if name == "ogrs3":
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
            raise CommandError(f"{failures} line(s) could not be scored", returncode=1)

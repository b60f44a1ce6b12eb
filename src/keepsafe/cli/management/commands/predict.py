import json
import sys

from django.core.management import BaseCommand, CommandError

from keepsafe.risk.rules.predictors import PredictorInputError
from keepsafe.risk.rules.predictors.io import PREDICTORS


class Command(BaseCommand):
    help = (
        "Score JSON lines from standard input with a published predictor; one JSON line out per line in, "
        "echoing `id`. A line that cannot be scored gets an `error` naming the field; the exit status is then 1."
    )

    def add_arguments(self, parser):
        parser.add_argument("predictor", choices=sorted(PREDICTORS))

    def handle(self, *args, **options):
        score = PREDICTORS[options["predictor"]]
        failures = 0
        for number, line in enumerate(sys.stdin, start=1):
            if not line.strip():
                continue
            out: dict[str, object] = {}
            try:
                data = json.loads(line)
                if not isinstance(data, dict):
                    raise PredictorInputError("(line)", "each line must be a JSON object")
                out["id"] = data.get("id")
                out.update(score(data))
            except json.JSONDecodeError as exc:
                out.update({"id": None, "line": number, "error": f"not valid JSON: {exc.msg}"})
                failures += 1
            except PredictorInputError as exc:
                out.update({"line": number, "field": exc.field, "error": exc.reason})
                failures += 1
            self.stdout.write(json.dumps(out))
        if failures:
            raise CommandError(f"{failures} line(s) could not be scored", returncode=1)

import json
import sys

from django.core.management import BaseCommand, CommandError

from keepsafe.records.rules.scanner import scan_many


class Command(BaseCommand):
    help = (
        'Scan JSON lines ({"id": ..., "text": ...}) from standard input for serious-harm indicators; one JSON line '
        "out per line in: the id and its findings (indicator, start, end, text, rule, why). A line that cannot be "
        "scanned gets an `error` and the exit status is 1."
    )

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
            error: str | None
            try:
                data = json.loads(line)
            except json.JSONDecodeError as exc:
                error = f"not valid JSON: {exc.msg}"
                data = None
            else:
                error = None
                if not isinstance(data, dict):
                    error = "each line must be a JSON object"
                elif not isinstance(data.get("text"), str):
                    error = "`text` must be a string"
            if error is not None:
                flush()
                item_id = data.get("id") if isinstance(data, dict) else None
                self.stdout.write(json.dumps({"id": item_id, "line": number, "error": error}))
                failures += 1
                continue
            pending.append((data.get("id"), data["text"]))
            if len(pending) >= 256:
                flush()
        flush()
        if failures:
            raise CommandError(f"{failures} line(s) could not be scanned", returncode=1)


def finding_json(f) -> dict[str, object]:
    return {"indicator": f.indicator, "start": f.start, "end": f.end, "text": f.text, "rule": f.rule, "why": f.why}

import json

from django.core.management import BaseCommand, CommandError

from keepsafe.assurance.fairness_csv import FairnessInputError, fairness_from_csv, fairness_json
from keepsafe.assurance.rules.fairness import SMALL_GROUP, GroupReport
from keepsafe.assurance.rules.table_filter import as_number


def _threshold(text: str) -> float:
    value = as_number(text)
    if value is None:
        raise CommandError(f"--threshold {text!r} is not a finite number", returncode=2)
    return value


def _rate(value: float | None) -> str:
    return "—" if value is None else f"{value:.3f}"


class Command(BaseCommand):
    help = (
        "Predictor fairness report over a CSV file: per group and overall, the confusion matrix at a threshold "
        "(scores ≥ threshold are high risk), false positive and false negative rates, positive predictive value, "
        "AUC with a DeLong 95% interval and calibration by score value (docs/assurance.md). Exit 2 on bad input."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="CSV file with a header row")
        parser.add_argument("--score", required=True, help="column holding the predictor's score")
        parser.add_argument("--outcome", required=True, help="column holding the outcome, 0 or 1")
        parser.add_argument("--group", required=True, help="column whose values form the groups")
        parser.add_argument(
            "--threshold", default="5", help="scores ≥ this count as high risk (default 5: COMPAS medium/high)"
        )
        parser.add_argument(
            "--filter",
            action="append",
            default=[],
            dest="filters",
            metavar="EXPR",
            help="keep rows where COLUMN OP VALUE holds (OP: == != < <= > >=); repeat to combine (all must hold)",
        )
        parser.add_argument("--json", action="store_true", help="print the report as JSON")

    def handle(self, *args, **options):
        threshold = _threshold(options["threshold"])
        try:
            result = fairness_from_csv(
                options["file"],
                score=options["score"],
                outcome=options["outcome"],
                group=options["group"],
                threshold=threshold,
                filters=options["filters"],
            )
        except FairnessInputError as exc:
            raise CommandError(str(exc), returncode=2) from None
        if options["json"]:
            data = fairness_json(result, options["score"], options["outcome"], options["group"])
            self.stdout.write(json.dumps(data, indent=2, allow_nan=False))
            return
        report = result.report
        self.stdout.write(
            f"{result.path}: {result.rows_kept} of {result.rows_read} rows; high risk = {options['score']} ≥ "
            f"{threshold:g}; outcome {options['outcome']}; groups by {options['group']}"
        )
        self.stdout.write(f"{'group':<24} {'n':>7} {'tp':>6} {'fp':>6} {'tn':>6} {'fn':>6}  fpr    fnr    ppv    auc")
        rows: list[tuple[str, GroupReport]] = [("(overall)", report.overall), *report.groups.items()]
        for name, g in rows:
            m = g.matrix
            flag = f"  small (< {SMALL_GROUP})" if g.small else ""
            self.stdout.write(
                f"{name[:24]:<24} {g.n:>7} {m.tp:>6} {m.fp:>6} {m.tn:>6} {m.fn:>6}  {_rate(g.fpr):<6} "
                f"{_rate(g.fnr):<6} {_rate(g.ppv):<6} {_rate(g.auc)}{flag}"
            )

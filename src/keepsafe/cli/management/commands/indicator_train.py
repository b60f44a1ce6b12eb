import json
from pathlib import Path

from django.core.management import BaseCommand, CommandError

from keepsafe.records.rules import classifier
from keepsafe.records.rules.evaluation import Counts, Evaluation
from keepsafe.records.training.train import (
    EVALUATION_DIRS,
    HELD_OUT_DIRS,
    Design,
    leave_one_style_out,
    prepare,
    shipped,
    strict,
    synthetic_leave_one_style_out,
    totals,
    write_corpus,
)


class Command(BaseCommand):
    help = (
        "Rebuild the indicator classifier: generate the synthetic training corpus (fixed seed), train one logistic "
        "regression per indicator (scikit-learn, the dev extra) on it and on the evaluation corpus, and write the "
        "weights into the package. --protocol also reports the evaluation protocol of docs/indicators.md: strict "
        "(no evaluation text in training) and leave-one-style-out, per style and per indicator."
    )

    def add_arguments(self, parser):
        parser.add_argument("--per-style", type=int, default=1000, help="texts generated per record style")
        parser.add_argument("--corpus-dir", type=Path, default=Path("tests/data/indicator-train"))
        parser.add_argument(
            "--evaluation-dir",
            type=Path,
            action="append",
            default=None,
            help="an independently written evaluation corpus (*.jsonl), trained on for the shipped model; repeat for "
            f"several (default: the {len(EVALUATION_DIRS)} corpora {', '.join(d.name for d in EVALUATION_DIRS)}; "
            f"never the held-out {', '.join(d.name for d in HELD_OUT_DIRS)})",
        )
        parser.add_argument("--protocol", action="store_true", help="report strict and leave-one-style-out figures")
        parser.add_argument(
            "--held-out-styles", action="store_true", help="report the synthetic corpus's own leave-one-style-out"
        )

    def handle(self, *args, **options):
        try:
            import sklearn  # noqa: F401
        except ImportError as exc:
            raise CommandError("scikit-learn is needed to train: pip install -e '.[dev]'", returncode=2) from exc
        evaluation_dirs: list[Path] = options["evaluation_dir"] or list(EVALUATION_DIRS)
        for evaluation_dir in evaluation_dirs:
            if not evaluation_dir.is_dir() or not any(evaluation_dir.glob("*.jsonl")):
                raise CommandError(f"{evaluation_dir}: no evaluation corpus (*.jsonl) to train on", returncode=2)
        texts, synthetic, evaluation, held, names = prepare(options["per_style"], evaluation_dirs)
        design = Design([*synthetic, *held], names)
        model = shipped(design, options["per_style"])
        write_corpus(texts, options["corpus_dir"])
        target = Path(classifier.__file__).with_name(classifier.MODEL_FILE)
        target.write_text(json.dumps(model.to_json(), sort_keys=True, separators=(",", ":")) + "\n", encoding="utf-8")
        self.stdout.write(
            f"{len(texts)} synthetic texts ({len(synthetic)} sentences) in {options['corpus_dir']}, {len(evaluation)} "
            f"evaluation texts ({len(held)} sentences); {len(model.weights)} features written to {target}"
        )
        if options["protocol"]:
            _, results = strict(design, evaluation)
            self._table("strict: trained on the synthetic corpus only", results)
            self._table(
                "leave one style out: each style scored by a model trained without it",
                leave_one_style_out(design, evaluation),
            )
        if options["held_out_styles"]:
            self._table("synthetic corpus, leave one style out", synthetic_leave_one_style_out(design, texts))

    def _table(self, title: str, results: dict[str, Evaluation]) -> None:
        w = self.stdout.write

        def line(name: str, c: Counts) -> None:
            w(f"{name:<24} {c.tp:>5} {c.fp:>5} {c.fn:>5} {c.precision:>9.3f} {c.recall:>7.3f}")

        w("")
        w(title)
        w(f"{'held-out style':<24} {'TP':>5} {'FP':>5} {'FN':>5} {'precision':>9} {'recall':>7}")
        for style, ev in results.items():
            line(style, ev.overall)
        per, total = totals(results)
        w(f"{'indicator':<24} {'TP':>5} {'FP':>5} {'FN':>5} {'precision':>9} {'recall':>7}")
        for name, c in per.items():
            line(name, c)
        line("micro", total)

import json
from pathlib import Path

from django.core.management import BaseCommand, CommandError

from keepsafe.records.rules import classifier
from keepsafe.records.rules.evaluation import Counts
from keepsafe.records.training.train import leave_one_style_out, train, write_corpus


class Command(BaseCommand):
    help = (
        "Rebuild the indicator classifier: generate the synthetic training corpus (fixed seed), train one logistic "
        "regression per indicator (scikit-learn, the dev extra), and write the weights into the package. With "
        "--held-out-styles, also measure rules + classifier leave-one-style-out, per style and per indicator."
    )

    def add_arguments(self, parser):
        parser.add_argument("--per-style", type=int, default=1000, help="texts generated per record style")
        parser.add_argument("--corpus-dir", type=Path, default=Path("tests/data/indicator-train"))
        parser.add_argument("--held-out-styles", action="store_true", help="report leave-one-style-out figures")

    def handle(self, *args, **options):
        try:
            import sklearn  # noqa: F401
        except ImportError as exc:
            raise CommandError("scikit-learn is needed to train: pip install -e '.[dev]'", returncode=2) from exc
        model, texts, data = train(options["per_style"])
        write_corpus(texts, options["corpus_dir"])
        target = Path(classifier.__file__).with_name(classifier.MODEL_FILE)
        target.write_text(json.dumps(model.to_json(), sort_keys=True, separators=(",", ":")) + "\n", encoding="utf-8")
        self.stdout.write(
            f"{len(texts)} texts ({len(data)} sentences) in {options['corpus_dir']}; {len(model.weights)} features "
            f"written to {target}"
        )
        if not options["held_out_styles"]:
            return
        results = leave_one_style_out(texts, data)
        w = self.stdout.write
        w(f"{'held-out style':<24} {'TP':>5} {'FP':>5} {'FN':>5} {'precision':>9} {'recall':>7}")
        for style, ev in results.items():
            c = ev.overall
            w(f"{style:<24} {c.tp:>5} {c.fp:>5} {c.fn:>5} {c.precision:>9.3f} {c.recall:>7.3f}")
        per: dict[str, Counts] = {}
        for ev in results.values():
            for name, c in ev.by_indicator.items():
                per[name] = per.get(name, Counts()) + c
        w("")
        w(f"{'indicator (held out)':<24} {'TP':>5} {'FP':>5} {'FN':>5} {'precision':>9} {'recall':>7}")
        for name, c in per.items():
            w(f"{name:<24} {c.tp:>5} {c.fp:>5} {c.fn:>5} {c.precision:>9.3f} {c.recall:>7.3f}")
        total = sum(per.values(), Counts())
        w(f"{'micro':<24} {total.tp:>5} {total.fp:>5} {total.fn:>5} {total.precision:>9.3f} {total.recall:>7.3f}")

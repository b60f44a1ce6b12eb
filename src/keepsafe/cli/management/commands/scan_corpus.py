from pathlib import Path

from django.core.management import BaseCommand, CommandError

from keepsafe.records.rules.corpus import CorpusError, read_corpus
from keepsafe.records.rules.evaluation import PRECISION_TARGET, RECALL_TARGET, Evaluation, evaluate
from keepsafe.records.rules.lexicon import LEXICON_VERSION
from keepsafe.records.rules.scanner import scan_many


class Command(BaseCommand):
    help = (
        "Measure the indicator scanner on an annotated corpus: precision and recall per indicator and per group. "
        f"Exits 1 if any group misses precision {PRECISION_TARGET} or recall {RECALL_TARGET}."
    )

    def add_arguments(self, parser):
        parser.add_argument("corpus", type=Path, help="JSON lines: id, source, text, labels (docs/indicators.md)")
        parser.add_argument("--report-only", action="store_true", help="print the figures; never fail on them")
        parser.add_argument("--mistakes", action="store_true", help="list every missed and spurious finding")

    def handle(self, *args, **options):
        path: Path = options["corpus"]
        try:
            with path.open(encoding="utf-8") as handle:
                items = read_corpus(handle)
        except OSError as exc:
            raise CommandError(f"{path}: cannot read: {exc.strerror}", returncode=2) from exc
        except CorpusError as exc:
            raise CommandError(f"{path}: {exc}", returncode=2) from exc
        rows = []
        for item, findings in zip(items, scan_many(i.text for i in items), strict=True):
            gold: dict[str, list[tuple[int, int]]] = {}
            for a in item.labels:
                gold.setdefault(a.indicator, []).append((a.start, a.end))
            predicted: dict[str, list[tuple[int, int]]] = {}
            for f in findings:
                predicted.setdefault(f.indicator, []).append((f.start, f.end))
            rows.append((item.id, gold, predicted))
        result = evaluate(rows)
        self._report(path, len(items), result)
        if options["mistakes"]:
            texts = {i.id: i.text for i in items}
            for m in result.mistakes:
                spans = ", ".join(repr(texts[m.item][a:b]) for a, b in m.spans)
                self.stdout.write(f"{m.item} {m.kind} {m.indicator}: {spans} in {texts[m.item]!r}")
        failing = result.failing_groups
        if failing and not options["report_only"]:
            raise CommandError(f"{path}: below target in: {', '.join(failing)}", returncode=1)

    def _report(self, path: Path, size: int, result: Evaluation) -> None:
        w = self.stdout.write
        w(f"{path}: {size} sentences, lexicon {LEXICON_VERSION}")
        w(f"{'indicator':<40} {'TP':>4} {'FP':>4} {'FN':>4} {'precision':>9} {'recall':>7}")
        for name, c in result.by_indicator.items():
            w(f"{name:<40} {c.tp:>4} {c.fp:>4} {c.fn:>4} {c.precision:>9.3f} {c.recall:>7.3f}")
        w("")
        w(f"{'group':<40} {'TP':>4} {'FP':>4} {'FN':>4} {'precision':>9} {'recall':>7}  target")
        for name, c in result.by_group.items():
            verdict = "met" if c.meets_targets else "MISSED"
            w(f"{name:<40} {c.tp:>4} {c.fp:>4} {c.fn:>4} {c.precision:>9.3f} {c.recall:>7.3f}  {verdict}")
        o = result.overall
        w(f"{'all':<40} {o.tp:>4} {o.fp:>4} {o.fn:>4} {o.precision:>9.3f} {o.recall:>7.3f}")

from pathlib import Path

from django.core.management import BaseCommand, CommandError

from keepsafe.records.rules.corpus import CorpusError, CorpusItem, read_corpus
from keepsafe.records.rules.evaluation import (
    INDICATOR_RECALL_FLOOR,
    MICRO_PRECISION_TARGET,
    MICRO_RECALL_TARGET,
    Counts,
    Evaluation,
    evaluate,
)
from keepsafe.records.rules.lexicon import LEXICON_VERSION
from keepsafe.records.rules.scanner import Finding, Scanner, scan_many, scanner
from keepsafe.records.training.corpus import Text, generate
from keepsafe.records.training.train import (
    EVALUATION,
    EVALUATION_DIRS,
    SEED,
    SYNTHETIC,
    Design,
    examples,
    names_of,
    train_model,
    training_rows,
)


class Command(BaseCommand):
    help = (
        "Measure the indicator scanner on annotated corpora (files, or directories of *.jsonl): precision and recall "
        "per style (the `style` field, else `source`), per indicator and per group, and micro over all. Exits 1 "
        f"below micro precision {MICRO_PRECISION_TARGET}, micro recall {MICRO_RECALL_TARGET}, or any indicator's "
        f"recall below {INDICATOR_RECALL_FLOOR}."
    )

    def add_arguments(self, parser):
        parser.add_argument("corpus", type=Path, nargs="+", help="JSON lines files or directories (docs/indicators.md)")
        parser.add_argument("--report-only", action="store_true", help="print the figures; never fail on them")
        parser.add_argument("--mistakes", action="store_true", help="list every missed and spurious finding")
        parser.add_argument(
            "--leave-one-style-out",
            action="store_true",
            help="score each style with rules plus a classifier trained on the synthetic corpus and the other styles' "
            "texts only (needs scikit-learn, the dev extra; docs/indicators.md, 'The evaluation protocol')",
        )
        parser.add_argument("--per-style", type=int, default=1000, help="synthetic texts per style (with the above)")

    def handle(self, *args, **options):
        files: list[Path] = []
        for path in options["corpus"]:
            if path.is_dir():
                found = sorted(path.glob("*.jsonl"))
                if not found:
                    raise CommandError(f"{path}: no *.jsonl files in this directory", returncode=2)
                files += found
            else:
                files.append(path)
        items: list[CorpusItem] = []
        seen: dict[str, Path] = {}
        for path in files:
            try:
                with path.open(encoding="utf-8") as handle:
                    read = read_corpus(handle)
            except OSError as exc:
                raise CommandError(f"{path}: cannot read: {exc.strerror}", returncode=2) from exc
            except CorpusError as exc:
                raise CommandError(f"{path}: {exc}", returncode=2) from exc
            for item in read:
                if item.id in seen:
                    raise CommandError(f"{path}: id {item.id!r} is also in {seen[item.id]}", returncode=2)
                seen[item.id] = path
            items += read
        model = scanner().model
        if options["leave_one_style_out"]:
            findings_of, model_name = self._leave_one_style_out(items, options["per_style"]), "leave one style out"
        else:
            findings_of, model_name = list(scan_many(i.text for i in items)), model.version if model else "none"
        rows = []
        for item, findings in zip(items, findings_of, strict=True):
            gold: dict[str, list[tuple[int, int]]] = {}
            for a in item.labels:
                gold.setdefault(a.indicator, []).append((a.start, a.end))
            predicted: dict[str, list[tuple[int, int]]] = {}
            for f in findings:
                predicted.setdefault(f.indicator, []).append((f.start, f.end))
            rows.append((item.id, gold, predicted))
        result = evaluate(rows)
        styles = sorted({i.style for i in items})
        by_style = {
            style: evaluate(row for row, item in zip(rows, items, strict=True) if item.style == style)
            for style in styles
        }
        names = ", ".join(str(f) for f in files)
        self.stdout.write(f"{names}: {len(items)} texts, lexicon {LEXICON_VERSION}, classifier {model_name}")
        if (
            not options["leave_one_style_out"]
            and model is not None
            and any(p.resolve().is_relative_to(d.resolve()) for p in files for d in EVALUATION_DIRS)
        ):
            self.stdout.write(
                "NOTE: the shipped classifier was trained on the evaluation corpus, so these figures are not held out; "
                "use --leave-one-style-out for the held-out figures"
            )
        self._report(result, by_style)
        if options["mistakes"]:
            texts = {i.id: i.text for i in items}
            for m in result.mistakes:
                spans = ", ".join(repr(texts[m.item][a:b]) for a, b in m.spans)
                self.stdout.write(f"{m.item} {m.kind} {m.indicator}: {spans} in {texts[m.item]!r}")
        shortfalls = result.shortfalls
        if shortfalls and not options["report_only"]:
            raise CommandError(f"{names}: below target: {'; '.join(shortfalls)}", returncode=1)

    def _leave_one_style_out(self, items: list[CorpusItem], per_style: int) -> list[list[Finding]]:
        """Issue 13's protocol: the texts of each style are scanned by the rules and a classifier trained without
        any text of that style (the synthetic corpus plus the other styles' texts given here)."""
        try:
            import sklearn  # noqa: F401
        except ImportError as exc:
            raise CommandError(
                "--leave-one-style-out trains a classifier per style: scikit-learn is needed (pip install -e '.[dev]')",
                returncode=2,
            ) from exc
        styles = sorted({i.style for i in items})
        if len(styles) < 2:
            raise CommandError("--leave-one-style-out needs texts of at least two styles", returncode=2)
        texts = [Text(i.id, i.style, "", i.text, tuple((a.indicator, a.start, a.end) for a in i.labels)) for i in items]
        base = Scanner()
        synthetic = list(generate(per_style, seed=SEED))
        names = names_of([*synthetic, *texts])
        design = Design(
            [*examples(base, synthetic, SYNTHETIC, names), *examples(base, texts, EVALUATION, names)], names
        )
        findings: dict[str, list[Finding]] = {}
        for style in styles:
            rows = training_rows(design, lambda e, held=style: e.style != held)  # type: ignore[misc]
            model = train_model(design, rows, f"loso-{style}", EVALUATION)
            scored = [t for t in texts if t.style == style]
            for text, found in zip(scored, Scanner(model=model).scan_many(t.text for t in scored), strict=True):
                findings[text.id] = found
        return [findings[i.id] for i in items]

    def _report(self, result: Evaluation, by_style: dict[str, Evaluation]) -> None:
        w = self.stdout.write

        def line(name: str, c: Counts, note: str = "") -> None:
            w(f"{name:<40} {c.tp:>5} {c.fp:>5} {c.fn:>5} {c.precision:>9.3f} {c.recall:>7.3f}  {note}".rstrip())

        header = f"{'':<40} {'TP':>5} {'FP':>5} {'FN':>5} {'precision':>9} {'recall':>7}"
        w(header.replace(" " * 40, f"{'style':<40}", 1))
        for style, evaluation in by_style.items():
            line(style, evaluation.overall)
        w("")
        w(header.replace(" " * 40, f"{'indicator':<40}", 1))
        for name, c in result.by_indicator.items():
            line(name, c, "BELOW RECALL FLOOR" if c.recall < INDICATOR_RECALL_FLOOR else "")
        w("")
        w(header.replace(" " * 40, f"{'group':<40}", 1))
        for name, c in result.by_group.items():
            line(name, c)
        line("micro, all indicators", result.overall, "; ".join(result.shortfalls) or "targets met")

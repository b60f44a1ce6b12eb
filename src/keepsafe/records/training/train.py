"""Train the indicator classifier (records/rules/classifier.py) on the synthetic corpus, and measure it honestly.

One scikit-learn logistic regression per indicator over the sentence features of `classifier.token_features`
(liblinear, L2, fixed seed). Sentences are labelled with the indicators whose annotated spans they overlap.
Generalisation is measured leave-one-style-out: for each record style, a model trained on the other eight styles is
combined with the curated rules and scored on the held-out style's texts, per style and per indicator.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from keepsafe.records.rules.classifier import Model, context_features, token_features
from keepsafe.records.rules.evaluation import Evaluation, evaluate
from keepsafe.records.rules.indicators import CROSS_RECORD, INDICATORS
from keepsafe.records.rules.lexicon import LEXICON_VERSION
from keepsafe.records.rules.scanner import Scanner
from keepsafe.records.training.corpus import STYLES, Text, generate

TRAINED = sorted(i for i in INDICATORS if i not in CROSS_RECORD)
THRESHOLD = 0.5
MIN_WEIGHT = 0.02
SEED = 13
C = 0.5  # L2 strength: smoother weights generalise better to wordings the corpus lacks


@dataclass(frozen=True)
class Example:
    style: str
    features: tuple[str, ...]
    labels: frozenset[str]


def examples(scanner: Scanner, texts: Sequence[Text]) -> list[Example]:
    out: list[Example] = []
    for text, doc in zip(texts, scanner.nlp.pipe(t.text for t in texts), strict=True):
        sentences = list(doc.sents)
        words_of = [[t.lower_ for t in s if not t.is_space] for s in sentences]
        for n, sent in enumerate(sentences):
            if not words_of[n]:
                continue
            feats = [f for token in token_features(words_of[n]) for f in token]
            feats += context_features(words_of[max(0, n - 2) : n])
            labels = frozenset(
                ind for ind, s, e in text.labels if s < sent.end_char and sent.start_char < e and ind in TRAINED
            )
            out.append(Example(text.style, tuple(feats), labels))
    return out


def fit(data: Sequence[Example], version: str) -> Model:
    from sklearn.feature_extraction import DictVectorizer  # build-time only: the dev extra installs scikit-learn
    from sklearn.linear_model import LogisticRegression

    # A hard negative drawn many times from one template must not outweigh a varied positive: one copy of each.
    data = list({(e.features, e.labels): e for e in data}.values())
    vectorizer = DictVectorizer()
    x = vectorizer.fit_transform([dict.fromkeys(e.features, 1) for e in data]).tocsr()
    x.indices, x.indptr = x.indices.astype("int32"), x.indptr.astype("int32")  # liblinear wants 32-bit indices
    names = vectorizer.get_feature_names_out()
    intercepts: dict[str, float] = {}
    weights: dict[str, dict[str, float]] = {}
    for indicator in TRAINED:
        y = [indicator in e.labels for e in data]
        if not any(y):
            raise ValueError(f"the training corpus has no example of {indicator}")
        model = LogisticRegression(C=C, solver="liblinear", random_state=SEED, max_iter=1000)
        model.fit(x, y)
        intercepts[indicator] = round(float(model.intercept_[0]), 4)
        for name, w in zip(names, model.coef_[0], strict=True):
            if abs(w) >= MIN_WEIGHT:
                weights.setdefault(str(name), {})[indicator] = round(float(w), 4)
    return Model(version, intercepts, dict.fromkeys(TRAINED, THRESHOLD), weights)


def score(scanner: Scanner, texts: Sequence[Text]) -> Evaluation:
    rows = []
    for text, findings in zip(texts, scanner.scan_many(t.text for t in texts), strict=True):
        gold: dict[str, list[tuple[int, int]]] = {}
        for ind, s, e in text.labels:
            gold.setdefault(ind, []).append((s, e))
        predicted: dict[str, list[tuple[int, int]]] = {}
        for f in findings:
            predicted.setdefault(f.indicator, []).append((f.start, f.end))
        rows.append((text.id, gold, predicted))
    return evaluate(rows)


def leave_one_style_out(texts: Sequence[Text], data: Sequence[Example]) -> dict[str, Evaluation]:
    """Per held-out style: rules plus a model trained without that style, scored on that style's texts."""
    results = {}
    for style in STYLES:
        model = fit([e for e in data if e.style != style], f"loso-{style}")
        results[style] = score(Scanner(model=model), [t for t in texts if t.style == style])
    return results


def write_corpus(texts: Iterable[Text], directory: Path) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    by_style: dict[str, list[str]] = {}
    for t in texts:
        by_style.setdefault(t.style, []).append(json.dumps(t.as_json(), ensure_ascii=False))
    for style, lines in by_style.items():
        (directory / f"{style}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")


def train(per_style: int = 1000) -> tuple[Model, list[Text], list[Example]]:
    texts = list(generate(per_style, seed=SEED))
    data = examples(Scanner(), texts)
    return fit(data, f"{LEXICON_VERSION}+lr{per_style}"), texts, data

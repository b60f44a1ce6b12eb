"""The statistical layer of the indicator scanner: one logistic regression per indicator over a sentence's words.

It catches wordings the curated rules have not seen (slang, typos, behaviour described without the indicator's
name). Features are word unigrams and bigrams, word prefixes and character 4-grams (so "stabbin", "stabed" and
"stabbing" share evidence), each marked when it sits inside a negation or a hypothetical ("n:" / "h:"), plus
context flags for a partner or child named in the two sentences before. Weights are trained at build time with
scikit-learn (`keepsafe indicator-train`, records/training/train.py) and shipped as JSON beside this module: scoring
is a sum of weights, so nothing is downloaded or imported at run time beyond the standard library.

Every classifier finding names the sentence it covers and the words whose weights drove it (explainability, issue
13). Method: Jurafsky & Martin, Speech and Language Processing (3rd ed.), ch. 5, logistic regression.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable

import numpy as np

NEGATION_CUES = frozenset(
    {
        "no",
        "not",
        "n't",
        "never",
        "without",
        "denies",
        "denied",
        "deny",
        "none",
        "nor",
        "nothing",
        "negative",
        "unsubstantiated",
        "dropped",
        "acquitted",
    }
)
HYPOTHETICAL_CUES = frozenset(
    {
        "if",
        "should",
        "would",
        "could",
        "might",
        "unless",
        "whether",
        "risk",
        "reduce",
        "prevent",
        "avoid",
        "case",
        "warned",
        "advised",
        "reminded",
        "consequences",
        "explore",
        "planning",
    }
)
SCOPE_ENDS = frozenset(
    {"but", "however", "although", "though", "yet", "whereas", "while", "whilst", "despite", ";", ".", ",", "-", "and"}
)
SCOPE = 6
# Function words carry no evidence of their own (a template's "a" or "with" must not drive a finding); they still
# take part in bigrams ("would have", "with a").
STOPWORDS = frozenset(
    {
        "a",
        "an",
        "the",
        "and",
        "or",
        "of",
        "to",
        "in",
        "on",
        "at",
        "by",
        "for",
        "with",
        "from",
        "is",
        "was",
        "were",
        "be",
        "been",
        "has",
        "have",
        "had",
        "he",
        "she",
        "him",
        "her",
        "his",
        "they",
        "them",
        "it",
        "this",
        "that",
        "as",
        "up",
        "out",
        "into",
        "about",
        "after",
        "before",
        "during",
        ".",
        ",",
        "-",
        ":",
        "'s",
        '"',
        "(",
        ")",
        "/",
    }
)
# Words never named as what drove a classifier finding: a practitioner reads the reason, and quote marks, "re" or
# "states" explain nothing (issue 13 try-out 9). Display only: the features are unchanged.
NOT_DRIVERS = frozenset(
    "re while should would could will 'd 'll states stated state notes noted says said reports reported told heard "
    "new also then when where which who what there here is are am be being not n't no yes very just now today "
    "yesterday last next "
    # ...nor pronouns, auxiliaries and the pieces of "gonna" (try-out 13: "the words that weighed most: 'if', 'you',
    # 'gon', 'though'")
    "if you i me my your we our us it its gon na wan though do did does done can get got go going has have had was "
    "were been this that these those shows claims".split()
)


def shown_as_driver(word: str) -> bool:
    return any(c.isalnum() for c in word) and word not in STOPWORDS and word not in NOT_DRIVERS


PARTNER_WORDS = frozenset(
    {
        "partner",
        "girlfriend",
        "wife",
        "ex",
        "gf",
        "fiancee",
        "fiancée",
        "missus",
        "boyfriend",
        "husband",
        "spouse",
        "bm",
        "ex-partner",
        "ex-wife",
    }
)
CHILD_WORDS = frozenset(
    {"child", "children", "son", "daughter", "baby", "kids", "toddler", "infant", "stepdaughter", "stepson"}
)


def scope_marks(words: Sequence[str]) -> list[str]:
    """ "n:" for a word inside a negation's scope, "h:" inside a hypothetical's, "" otherwise (NegEx-like)."""
    marks: list[str] = []
    mode, left = "", 0
    for w in words:
        if w in NEGATION_CUES:
            mode, left = "n:", SCOPE
        elif w in HYPOTHETICAL_CUES and mode != "n:":
            mode, left = "h:", SCOPE
        elif w in SCOPE_ENDS or left == 0:
            mode, left = "", 0
        else:
            left -= 1
        marks.append(mode)
    return marks


def word_features(word: str, mark: str) -> list[str]:
    """A word's own features: itself (unless a function word), its prefix and its character 4-grams."""
    feats = [] if word in STOPWORDS else [f"{mark}w:{word}"]
    if word.isalpha() and len(word) >= 4:
        feats.append(f"{mark}p:{word[:5]}")
        padded = f"<{word}>"
        feats += [f"{mark}c:{padded[j : j + 4]}" for j in range(len(padded) - 3)]
    return feats


def token_features(words: Sequence[str], names: frozenset[str] = frozenset()) -> list[list[str]]:
    """The features of each token (lower-cased words), so a score can be traced back to the words behind it. A
    person's or a place's name (`names`) has none, and no bigram with it: see `proper_names`."""
    marks = scope_marks(words)
    out = []
    for i, w in enumerate(words):
        feats = [] if w in names else word_features(w, marks[i])
        if i + 1 < len(words) and w not in names and words[i + 1] not in names:
            feats.append(f"{marks[i]}b:{w} {words[i + 1]}")
        out.append(feats)
    return out


_WORD = re.compile(r"[A-Za-z][A-Za-z'-]*")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n")


def proper_names(texts: Iterable[str], keep: frozenset[str] = frozenset()) -> frozenset[str]:
    """The words the training texts write only with a capital, never in lower case, after a sentence's first word:
    the names of the people and places the writers invented ("Jade", "Kwame", "Moss Side"). A name weighs in a model
    only because a training writer gave it to a victim or a man who offended; in a real record it says nothing of
    harm, and a reason that gives it as a driving word is nonsense to a practitioner (issue 13 try-outs 12 and 13:
    "the words that weighed most: 'shannon'"). So names carry no feature (`token_features`), and the model keeps
    the list so that scanning skips them too. `keep`: capitalised words the rules rely on (`lexicon.NOT_NAMES`)."""
    title: set[str] = set()
    lower: set[str] = set()
    for text in texts:
        for sentence in _SENTENCE_END.split(text):
            words = _WORD.findall(sentence)
            for n, w in enumerate(words):
                if w.islower():
                    lower.add(w)
                elif n and w[0].isupper() and w[1:].islower() and len(w) > 1:
                    title.add(w.lower())
    return frozenset(title - lower - keep)


def context_features(previous: Sequence[Sequence[str]]) -> list[str]:
    """Flags for what the sentences just before named: a partner in one sentence and "he"/"she" in the next."""
    words = {w for sentence in previous for w in sentence}
    flags = []
    if words & PARTNER_WORDS:
        flags.append("x:partner")
    if words & CHILD_WORDS:
        flags.append("x:child")
    return flags


PARTNER_PRONOUNS = frozenset({"she", "her", "hers", "herself"})
CHILD_HARMS = ("violence", "domestic_abuse", "threats", "substance_misuse")
PARTNER_HARMS = ("violence", "threats", "stalking", "pro_violence_attitudes", "callousness")


def reference_features(words: Sequence[str], context: Sequence[str]) -> list[str]:
    """Conjunctions a sum of weights cannot make by itself: who a harm the rules found is done to. "pr:" a harm with
    a partner named in this sentence or the two before (and "she"/"her" here when she was named before), "cr:" a
    harm with a child named nearby, "xp:her" "she"/"her" here after a partner named just before."""
    here = set(words)
    flags = set(context)
    partner = bool(here & PARTNER_WORDS) or ("x:partner" in flags and bool(here & PARTNER_PRONOUNS))
    child = bool(here & CHILD_WORDS) or "x:child" in flags
    out = []
    if "x:partner" in flags and here & PARTNER_PRONOUNS:
        out.append("xp:her")
    for indicator in PARTNER_HARMS:
        if partner and (f"r:{indicator}" in flags or f"q:{indicator}" in flags):
            out.append(f"pr:{indicator}" if f"r:{indicator}" in flags else f"pq:{indicator}")
    for indicator in CHILD_HARMS:
        if child and f"r:{indicator}" in flags:
            out.append(f"cr:{indicator}")
    return out


def rule_features(
    kept: Iterable[str], candidates: Iterable[str], rules: Iterable[str], before: Iterable[str]
) -> list[str]:
    """What the curated rules said of this sentence, as features (stacking: the classifier learns when a rule is
    right): "r:" an indicator a rule found, "q:" one a rule matched but the context cancelled (negated,
    hypothetical, his own harm), "rid:" the rule that found it, "xr:" an indicator found in the two sentences before."""
    kept = set(kept)
    return (
        [f"r:{i}" for i in sorted(kept)]
        + [f"q:{i}" for i in sorted(set(candidates) - kept)]
        + [f"rid:{r}" for r in sorted(set(rules))]
        + [f"xr:{i}" for i in sorted(set(before))]
    )


@dataclass(frozen=True)
class Verdict:
    indicator: str
    probability: float
    drivers: tuple[tuple[str, float], ...]  # the words that weighed most, with their summed weights


class Model:
    """Trained weights: a bias per indicator, each feature's weight per indicator, and two cut-offs per indicator
    chosen by cross-validation on the training folds: `thresholds`, the probability at which the classifier adds a
    finding the rules did not make, and `vetoes`, the probability below which it drops a rule's finding (0: never)."""

    def __init__(
        self,
        version: str,
        intercepts: dict[str, float],
        thresholds: dict[str, float],
        weights: dict[str, dict[str, float]],
        vetoes: dict[str, float] | None = None,
        names: frozenset[str] = frozenset(),
    ) -> None:
        self.version, self.intercepts, self.thresholds, self.weights = version, intercepts, thresholds, weights
        self.names = names  # `proper_names` of the training texts: no features, never a driving word
        self.vetoes = dict.fromkeys(intercepts, 0.0) if vetoes is None else vetoes
        self.indicators = sorted(intercepts)
        column = {ind: j for j, ind in enumerate(self.indicators)}
        self.row = {f: i for i, f in enumerate(weights)}
        self.matrix = np.zeros((len(weights), len(self.indicators)))
        self._cache: dict[tuple[str, str], np.ndarray | None] = {}
        for f, per in weights.items():
            for ind, w in per.items():
                self.matrix[self.row[f], column[ind]] = w
        self.bias = np.array([intercepts[i] for i in self.indicators])
        self.cut = np.array([thresholds[i] for i in self.indicators])
        # p >= t  <=>  score >= logit(t)
        self.cut_score = np.log(self.cut / (1.0 - self.cut))

    def _word_vector(self, word: str, mark: str) -> np.ndarray | None:
        """The summed weights of a word's own features (cached: free text repeats its words)."""
        key = (mark, word)
        if key in self._cache:
            return self._cache[key]
        if len(self._cache) > 100_000:  # bounded: free text has an open vocabulary
            self._cache.clear()
        rows = [r for f in word_features(word, mark) if (r := self.row.get(f)) is not None]
        vector = self.matrix[rows].sum(axis=0) if rows else None
        self._cache[key] = vector
        return vector

    def judge(self, words: Sequence[str], context: Sequence[str] = ()) -> list[Verdict]:
        """Indicators whose probability reaches their threshold for this sentence, with the words behind each."""
        return [v for v in self.assess(words, context) if v.probability >= self.thresholds[v.indicator]]

    def assess(self, words: Sequence[str], context: Sequence[str] = ()) -> list[Verdict]:
        """Every indicator's probability for this sentence, with the words whose weights drove it."""
        marks = scope_marks(words)
        per_token: list[np.ndarray | None] = []
        for i, w in enumerate(words):
            if w in self.names:
                per_token.append(None)
                continue
            vector = self._word_vector(w, marks[i])
            if i + 1 < len(words) and (b := self.row.get(f"{marks[i]}b:{w} {words[i + 1]}")) is not None:
                vector = self.matrix[b] if vector is None else vector + self.matrix[b]
            per_token.append(vector)
        score = self.bias.copy()
        for vector in per_token:
            if vector is not None:
                score += vector
        for f in context:
            if (r := self.row.get(f)) is not None:
                score += self.matrix[r]
        verdicts = []
        for j in range(len(self.indicators)):
            top: tuple[tuple[str, float], ...] = ()
            if score[j] >= self.cut_score[j]:  # only a finding the classifier adds needs its words
                contributions = [float(v[j]) if v is not None else 0.0 for v in per_token]
                ranked = sorted(
                    (i for i in range(len(words)) if shown_as_driver(words[i])), key=lambda i: -contributions[i]
                )
                top = tuple((words[i], round(contributions[i], 2)) for i in ranked[:3] if contributions[i] > 0)
            probability = 1.0 / (1.0 + math.exp(-min(max(float(score[j]), -700.0), 700.0)))
            verdicts.append(Verdict(self.indicators[j], probability, top))
        return verdicts

    def to_json(self) -> dict[str, object]:
        return {
            "version": self.version,
            "intercepts": self.intercepts,
            "thresholds": self.thresholds,
            "vetoes": self.vetoes,
            "weights": self.weights,
            "names": sorted(self.names),
        }

    @classmethod
    def from_json(cls, data: dict[str, object]) -> Model:
        def floats(value: object) -> dict[str, float]:
            if not isinstance(value, dict):
                raise ValueError("indicator model: expected an object of numbers")
            return {str(k): float(v) for k, v in value.items()}

        weights = data.get("weights")
        if not isinstance(weights, dict):
            raise ValueError("indicator model: `weights` must be an object")
        names = data.get("names", [])
        if not isinstance(names, list):
            raise ValueError("indicator model: `names` must be a list of words")
        return cls(
            version=str(data.get("version", "")),
            intercepts=floats(data.get("intercepts")),
            thresholds=floats(data.get("thresholds")),
            weights={str(f): floats(w) for f, w in weights.items()},
            vetoes=floats(data["vetoes"]) if "vetoes" in data else None,
            names=frozenset(str(n) for n in names),
        )


MODEL_FILE = "indicator_model.json"


class ModelMissingError(RuntimeError):
    pass


def _model_path() -> Traversable:
    path = resources.files("keepsafe.records.rules").joinpath(MODEL_FILE)
    if not path.is_file():
        raise ModelMissingError(
            f"keepsafe/records/rules/{MODEL_FILE} is missing: run `keepsafe indicator-train` to build the indicator "
            "classifier (docs/indicators.md)"
        )
    return path


@cache
def shipped_model() -> Model:
    """The weights trained at build time and shipped in the package (`keepsafe indicator-train` writes them)."""
    return Model.from_json(json.loads(_model_path().read_text(encoding="utf-8")))


VERSION_KEY = '"version":'
HEAD_BYTES = 65536


@cache
def shipped_model_version() -> str:
    """The shipped model's version, without loading its weights (ten megabytes, about a second): the file is written
    with sorted keys, so "version" comes after the short "intercepts" and "thresholds" and before the weights. A file
    laid out otherwise is read whole."""
    with _model_path().open("rb") as handle:
        head = handle.read(HEAD_BYTES).decode("utf-8", errors="ignore")
    at = head.find(VERSION_KEY)
    if at >= 0:
        try:
            value, _ = json.JSONDecoder().raw_decode(head, at + len(VERSION_KEY))
        except json.JSONDecodeError:
            value = None
        if isinstance(value, str):
            return value
    return shipped_model().version

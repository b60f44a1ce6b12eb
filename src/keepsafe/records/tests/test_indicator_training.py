"""Issue 13: the evaluation protocol is honest: texts of a style never train, and never choose a cut-off for, the
model scored on that style; cut-offs are chosen by cross-validation on training folds only."""

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("sklearn")

from keepsafe.records.rules.classifier import proper_names, shipped_model, token_features
from keepsafe.records.rules.scanner import Scanner
from keepsafe.records.training import train as training
from keepsafe.records.training.corpus import Text, generate

ROOT = Path(__file__).resolve().parents[4]


def _evaluation_texts():
    texts = []
    for style, sentences in {
        "alpha": ["He punched his partner Amy in the face.", "No concerns on the wing.", "He threatened to stab him."],
        "beta": ["He followed her home from work twice.", "He was assaulted by another man.", "He smoked crack."],
        "gamma": ["Police attended a domestic at her flat.", "Attended on time.", "He slapped the child."],
    }.items():
        for n, sentence in enumerate(sentences):
            label = () if n == 1 else (("violence", 0, len(sentence)),)
            texts.append(Text(f"{style}-{n}", style, "", sentence, label))
    return texts


@pytest.fixture(scope="module")
def design():
    scanner = Scanner()
    synthetic = training.examples(scanner, list(generate(per_style=25, seed=3)), training.SYNTHETIC)
    held = training.examples(scanner, _evaluation_texts(), training.EVALUATION)
    return training.Design([*synthetic, *held])


def test_leave_one_style_out_never_trains_or_tunes_on_the_scored_style(design, monkeypatch):
    fitted_styles: list[set[str]] = []
    real_fit = training.Design.fit

    def recording_fit(self, rows):
        fitted_styles.append({self.data[n].style for n in rows if self.data[n].origin == training.EVALUATION})
        return real_fit(self, rows)

    scored: list[tuple[str, int]] = []
    real_score = training.score

    def recording_score(scanner, texts):
        scored.append(({t.style for t in texts}.pop(), len(fitted_styles)))
        return real_score(scanner, texts)

    monkeypatch.setattr(training.Design, "fit", recording_fit)
    monkeypatch.setattr(training, "score", recording_score)
    results = training.leave_one_style_out(design, _evaluation_texts())
    assert sorted(results) == ["alpha", "beta", "gamma"]
    done = 0
    for style, fits in scored:
        assert fits > done + 1  # an inner fit (for the cut-offs) and the final fit per style
        for styles in fitted_styles[done:fits]:
            assert style not in styles, (style, styles)
        done = fits


def test_cutoffs_are_the_best_f1_on_the_probabilities_given():
    examples = [
        training.Example(
            f"t{n}", "s", training.EVALUATION, (), frozenset({"violence"}) if n < 5 else frozenset(), frozenset()
        )
        for n in range(10)
    ]
    p = np.zeros((10, len(training.TRAINED)))
    column = training.TRAINED.index("violence")
    p[:5, column] = 0.62  # the five violent sentences
    p[5:, column] = 0.41  # the rest
    thresholds, _vetoes = training.choose_cutoffs(examples, p)
    assert 0.41 < thresholds["violence"] <= 0.62


def test_per_text_counts_a_text_once_however_many_of_its_sentences_say_it():
    # text a: two violent sentences, both found (one true finding, not two); text b: found by a rule the classifier
    # vetoes, and violent (a miss); text c: added by the classifier, not violent (a false alarm); text d: a rule
    # finding that names the harm survives the veto
    violent, none = frozenset({"violence"}), frozenset()
    examples = [
        training.Example("a", "s", training.EVALUATION, (), violent, none),
        training.Example("a", "s", training.EVALUATION, (), violent, none),
        training.Example("b", "s", training.EVALUATION, (), violent, violent),
        training.Example("c", "s", training.EVALUATION, (), none, none),
        training.Example("d", "s", training.EVALUATION, (), violent, violent, none, violent),
    ]
    p = np.zeros((5, len(training.TRAINED)))
    p[:, training.TRAINED.index("violence")] = [0.9, 0.9, 0.01, 0.8, 0.01]
    cutoffs = ({i: 0.5 for i in training.TRAINED}, {i: 0.05 for i in training.TRAINED})
    counts = training.per_text(examples, p, *cutoffs)
    assert counts["violence"] == (2, 1, 1)
    assert counts["weapons"] == (0, 0, 0)


def test_a_rule_finding_the_classifier_finds_unlikely_is_vetoed_when_that_is_better():
    # The rules found violence in all ten sentences; only the first five are violent and the classifier knows it.
    examples = [
        training.Example(
            f"t{n}",
            "s",
            training.EVALUATION,
            (),
            frozenset({"violence"}) if n < 5 else frozenset(),
            frozenset({"violence"}),
        )
        for n in range(10)
    ]
    p = np.zeros((10, len(training.TRAINED)))
    column = training.TRAINED.index("violence")
    p[:5, column] = 0.6
    p[5:, column] = 0.03
    _, vetoes = training.choose_cutoffs(examples, p)
    assert 0.03 < vetoes["violence"] <= 0.6


def test_scan_corpus_leave_one_style_out_scores_each_style_by_a_model_trained_without_it(tmp_path):
    lines = [
        {
            "id": t.id,
            "style": t.style,
            "text": t.text,
            "labels": [{"indicator": i, "start": s, "end": e} for i, s, e in t.labels],
        }
        for t in _evaluation_texts()
    ]
    corpus = tmp_path / "eval.jsonl"
    corpus.write_text("\n".join(json.dumps(line) for line in lines) + "\n")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "keepsafe.config.settings.local", "KEEPSAFE_TEST_DB": "external"}
    done = subprocess.run(
        [
            str(Path(sys.executable).parent / "keepsafe"),
            "scan-corpus",
            str(corpus),
            "--leave-one-style-out",
            "--per-style",
            "25",
            "--report-only",
        ],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr
    assert "classifier leave one style out" in done.stdout
    for style in ("alpha", "beta", "gamma"):
        assert style in done.stdout


def _corpus(folder: Path) -> tuple[set[str], set[str]]:
    rows = [json.loads(line) for path in folder.glob("*.jsonl") for line in path.read_text("utf-8").splitlines()]
    return {r["id"] for r in rows}, {r["text"] for r in rows}


@pytest.mark.parametrize("held", training.HELD_OUT_DIRS, ids=lambda p: p.name)
def test_held_out_corpora_train_no_model(held: Path):
    """Corpora F, G, T and U (one writer each) are held out from every model, the shipped one too: none of their texts
    is among what the trainer reads by default (`EVALUATION_DIRS`, which `keepsafe indicator-train` and the suite's
    leave-one-style-out use), and no held-out directory lies inside one it reads."""
    ids, texts = _corpus(ROOT / held)
    assert len(ids) >= 300, f"{held}: the held-out corpus is there"
    read = training.read_evaluation([ROOT / d for d in training.EVALUATION_DIRS])
    assert not {t.id for t in read} & ids
    assert not {t.text for t in read} & texts
    for folder in training.EVALUATION_DIRS:
        assert not (ROOT / held).resolve().is_relative_to((ROOT / folder).resolve())
    assert held not in training.EVALUATION_DIRS


def test_the_held_out_writers_are_f_g_t_and_u_and_every_other_written_corpus_trains():
    """F and G were named the held-out pair before any model learnt from the new corpora, T and U were written to be
    held out (docs/indicators.md); every other written corpus in tests/data trains the shipped model, so none is
    silently left out of both."""
    assert {p.name for p in training.HELD_OUT_DIRS} == {f"indicator-eval-{c}" for c in "fgtu"}
    written = {p.name for p in (ROOT / "tests/data").glob("indicator-eval*") if p.is_dir()}
    assert written == {p.name for p in training.EVALUATION_DIRS} | {p.name for p in training.HELD_OUT_DIRS}


def test_a_rule_finding_whose_words_name_the_harm_is_never_vetoed_in_the_cutoffs():
    # As above, but every rule finding named the harm ("knife"): vetoing would drop five true findings for five
    # false ones; the cut-offs must count them as kept whatever the veto, so the F1 cannot prefer a veto.
    examples = [
        training.Example(
            f"t{n}",
            "s",
            training.EVALUATION,
            (),
            frozenset({"weapons"}) if n < 5 else frozenset(),
            frozenset({"weapons"}),
            named=frozenset({"weapons"}),
        )
        for n in range(10)
    ]
    p = np.zeros((10, len(training.TRAINED)))
    column = training.TRAINED.index("weapons")
    p[:5, column] = 0.6
    p[5:, column] = 0.03
    _, vetoes = training.choose_cutoffs(examples, p)
    # Every choice scores the same F1 (all ten kept), so the first (no veto) stands.
    assert vetoes["weapons"] == 0.0
    unguarded = [training.Example(e.text_id, e.style, e.origin, e.features, e.labels, e.by_rules) for e in examples]
    assert training.choose_cutoffs(unguarded, p)[1]["weapons"] > 0.03


def test_cutoffs_are_chosen_on_writers_the_model_scoring_them_never_read(monkeypatch):
    """Every writer wrote every style, so cut-offs tuned on held-out *styles* were tuned on writers the model had
    read; the scanner meets new writers. Each inner fold's probabilities come from a model that read none of that
    fold's writers (corpus letters; A and B together), and the final model reads them all."""
    scanner = Scanner()
    synthetic = training.examples(scanner, list(generate(per_style=25, seed=3)), training.SYNTHETIC)
    texts = [
        Text(f"{prefix}{t.id}", t.style, "", t.text, t.labels)
        for prefix in ("", "k-", "m-", "zb-")
        for t in _evaluation_texts()
    ]
    data = [*synthetic, *training.examples(scanner, texts, training.EVALUATION)]
    assert {training.writer(e) for e in data if e.origin == training.EVALUATION} == {"ab", "k", "m", "zb"}
    design = training.Design(data)
    real_fit = training.Design.fit
    checked: list[set[str]] = []

    def recording_fit(self, rows):
        fitted = real_fit(self, rows)
        read = {training.writer(self.data[n]) for n in rows if self.data[n].origin == training.EVALUATION}
        real_probabilities = fitted.probabilities

        def probabilities(fold):
            scored = {training.writer(self.data[n]) for n in fold}
            assert not scored & read, (scored, read)
            checked.append(scored)
            return real_probabilities(fold)

        fitted.probabilities = probabilities
        return fitted

    monkeypatch.setattr(training.Design, "fit", recording_fit)
    training.train_model(design, design.rows(lambda e: True), "test", training.EVALUATION)
    assert set().union(*checked) == {"ab", "k", "m", "zb"}  # every writer's texts chose the cut-offs, once held out


def test_the_shipped_model_learns_from_written_texts_only_unless_they_lack_an_indicator(design):
    """4 December 2026: the synthetic corpus cost F1 on writers held out from training; it still trains where the
    written texts lack an indicator (the nine texts here have only violence)."""
    rows = training.training_rows(design, lambda e: True)
    assert any(design.data[n].origin == training.SYNTHETIC for n in rows)  # the nine texts lack indicators
    written_only = training.Design(
        [e for e in design.data if e.origin == training.SYNTHETIC]
        + [
            training.Example(f"w-{n}", "s", training.EVALUATION, e.features, e.labels, e.by_rules)
            for n, e in enumerate(design.data)
            if e.origin == training.SYNTHETIC
        ]
    )
    rows = training.training_rows(written_only, lambda e: True)
    assert {written_only.data[n].origin for n in rows} == {training.EVALUATION}


def test_names_the_writers_invented_make_no_feature():
    texts = ["He said Jade was at the flat. Jade is his ex.", "Police attended in Moss Side.", "A jade ring was found."]
    names = proper_names(texts)
    assert "side" in names
    assert "moss" in names
    assert "jade" not in names  # written in lower case too: a word, kept
    assert "he" not in names  # the first word of a sentence says nothing
    features = token_features(["says", "kyle", "hit", "her"], frozenset({"kyle"}))
    assert features[1] == []
    assert not any("kyle" in f for token in features for f in token)


def test_a_name_in_the_shipped_model_weighs_nothing():
    model = shipped_model()
    assert model is not None
    assert len(model.names) > 1000
    first, second = sorted(model.names)[:2]
    one = model.assess([first, "says", "he", "followed", "her", "home"])
    other = model.assess([second, "says", "he", "followed", "her", "home"])
    assert [v.probability for v in one] == [v.probability for v in other]
    assert not any(w in model.names for v in one for w, _ in v.drivers)

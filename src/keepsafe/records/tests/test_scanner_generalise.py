"""Issue 13: the scanner generalises (inflections, harm verb + person, order + prohibited act, a partner named nearby,
reported speech, the classifier) and forms are not evidence."""

import json
import os
import random
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from keepsafe.records.rules import lexicon as lx
from keepsafe.records.rules.classifier import (
    PARTNER_WORDS,
    Model,
    context_features,
    reference_features,
    shipped_model,
    token_features,
)
from keepsafe.records.rules.indicators import CROSS_RECORD, INDICATORS
from keepsafe.records.rules.scanner import (
    FORM_HEADINGS,
    Scanner,
    _names_in,
    form_answer,
    names_itself,
    scan,
    scanner,
)
from keepsafe.records.training import paraphrases
from keepsafe.records.training.corpus import STYLES, compose, generate
from keepsafe.sharing.rules.prison_information import SECTIONS
from keepsafe.sharing.rules.prison_information import compose as compose_form

ROOT = Path(__file__).resolve().parents[4]


def indicators(text: str) -> set[str]:
    return {f.indicator for f in scan(text)}


@pytest.mark.parametrize(
    ("verb", "forms"),
    [
        ("stab", {"stab", "stabs", "stabbed", "stabbing"}),
        ("strangle", {"strangles", "strangled", "strangling"}),
        ("punch", {"punches", "punched", "punching"}),
        ("bully", {"bullies", "bullied", "bullying"}),
        ("beat", {"beats", "beaten", "beating"}),
    ],
)
def test_inflections_name_a_verb_once(verb, forms):
    assert forms <= lx.inflections(verb)


@pytest.mark.parametrize(
    ("text", "indicator", "rule"),
    [
        ("He smacked the neighbour twice.", "violence", "violence.harm_person"),
        ("He smashed a tray over another prisoner's head.", "weapons", "weapons.object_used"),
        ("He went round to her flat despite the non-molestation order.", "order_breach", "order_breach.prohibited_act"),
        ("He followed a woman home from the station.", "stalking", "stalking.behaviour"),
        ("He told him he was a dead man.", "threats", "threats.slang"),
        ("He said she knew what would happen.", "pro_violence_attitudes", "pro_violence_attitudes.reported"),
        ("He laughed about it in interview.", "callousness", "callousness.behaviour"),
        ("Referred to MARAC after the DASH was graded high.", "domestic_abuse", "domestic_abuse.legal_terms"),
        ("The school reported bruising to the boy's arm.", "child_safeguarding", "child_safeguarding.present"),
        ("He asked a 13 year old for nude pictures.", "sexual_harm", "sexual_harm.messages"),
        ("The victim needed 12 stitches.", "violence", "violence.outcome"),
    ],
)
def test_patterns_that_generalise(text, indicator, rule):
    assert (indicator, rule) in {(f.indicator, f.rule) for f in scanner().scan(text)}


def test_a_partner_named_in_one_sentence_and_harmed_in_the_next_is_domestic_abuse():
    findings = scanner().scan("He has a new partner, Amy. He punched her in the face on Saturday.")
    [da] = [f for f in findings if f.indicator == "domestic_abuse"]
    # The finding is the harm done to her, from the harm to the pronoun (issue 13's annotation conventions).
    assert (da.rule, da.text) == ("domestic_abuse.partner_nearby", "punched her")
    # Without a partner nearby the same violence is not domestic abuse.
    assert "domestic_abuse" not in {f.indicator for f in scanner().scan("He punched her in the face on Saturday.")}


@pytest.mark.parametrize(
    ("text", "covers"),
    [
        ("He punched his partner Amy in the face.", ("punched", "partner")),
        ("His ex-wife says he threatened to burn the house down.", ("ex-wife", "threatened")),
        ("He has been following his ex-girlfriend home from work.", ("following", "ex-girlfriend")),
    ],
)
def test_a_partner_harmed_is_domestic_abuse_on_the_span_of_the_harm_and_the_partner(text, covers):
    """Domestic abuse found because a partner is the one harmed covers the harm done to her as well as her: a finding
    on "his partner" alone would miss an annotation of the act, and one on the act alone would lose who it was."""
    findings = scanner().scan(text)
    [da] = [f for f in findings if f.rule == "domestic_abuse.partner_harm"]
    assert all(word in da.text for word in covers), da.text
    assert text[da.start : da.end] == da.text
    harms = [f for f in findings if f.indicator in {"violence", "threats", "stalking"}]
    assert any(da.start <= h.start and h.end <= da.end for h in harms)


@pytest.mark.parametrize(
    ("words", "context", "expected"),
    [
        (["he", "punched", "her"], ["x:partner", "r:violence"], {"xp:her", "pr:violence"}),
        (["he", "punched", "his", "partner"], ["r:violence"], {"pr:violence"}),
        (["he", "punched", "a", "man"], ["r:violence"], set()),
        (["he", "punched", "her"], ["r:violence"], set()),
        (["he", "threatened", "his", "wife"], ["q:threats"], {"pq:threats"}),
        (["he", "hit", "his", "son"], ["r:violence"], {"cr:violence"}),
        (["he", "was", "drunk"], ["x:child", "r:substance_misuse"], {"cr:substance_misuse"}),
    ],
)
def test_reference_features_join_a_harm_to_who_it_was_done_to(words, context, expected):
    assert set(reference_features(words, context)) == expected


@pytest.mark.parametrize(
    "text",
    [
        "A restraining order was made for five years.",
        "He was recalled for breaching his curfew.",
        "He punched a wall in frustration.",
        "He threatened to kill himself.",
        "Domestic abuse enquiries were not completed.",
        "He was punched by another resident.",
        "He said he is scared he will be attacked.",
    ],
)
def test_hard_negatives_raise_nothing_of_the_near_miss(text):
    near = {"order_breach", "violence", "threats", "domestic_abuse"}
    assert not indicators(text) & near, scan(text)


def test_the_pom_form_raises_no_finding_from_its_own_headings():
    form = {key: "None known" for key, _, _ in SECTIONS}
    assert scan(compose_form(form)) == []
    # Each heading alone, with a blank or "None" answer, is not evidence either.
    for _, heading, _ in SECTIONS:
        for answer in ("None known", "None", "N/A", "nil"):
            assert scan(f"{heading}: {answer}") == [], heading


NONE_ANSWERS = ("None known", "None known.", "none", "N/A", "nil", "Nil.", "No concerns", "None recorded", "NONE KNOWN")


@settings(max_examples=60, deadline=None)
@given(
    answers=st.lists(st.sampled_from(NONE_ANSWERS), min_size=len(SECTIONS), max_size=len(SECTIONS)),
    gap=st.sampled_from([": ", ":\n", ":\n\n", " :  "]),
    upper=st.booleans(),
)
def test_a_form_answered_none_known_raises_nothing_however_it_is_laid_out(answers, gap, upper):
    """Issue 13: a heading on the line above its "None known" answer was scanned as a finding ("Threats:")."""
    text = "\n\n".join(
        f"{heading.upper() if upper else heading}{gap}{answer}"
        for (_, heading, _), answer in zip(SECTIONS, answers, strict=True)
    )
    assert scan(text) == []


def test_a_heading_on_its_own_line_is_not_evidence_but_its_answer_below_is():
    assert scan("Threats:\nNone known") == []
    assert scan("Weapons:\n\nnil") == []  # any heading whose answer is "nil"
    text = "Threats:\nHe told an officer he would stab him on release."
    assert {f.indicator for f in scan(text)} >= {"threats"}
    assert all(f.start >= text.index("He told") for f in scan(text))
    # A person's own heading with something written beneath is still read.
    assert "domestic_abuse" in indicators("Domestic call-out:\nhe hit his partner")


def test_the_pom_forms_answers_are_still_scanned_and_spans_point_into_the_answer():
    form = {key: "None known" for key, _, _ in SECTIONS}
    form["threats"] = "Told an officer he would stab him when he is released."
    text = compose_form(form)
    findings = scan(text)
    assert "threats" in {f.indicator for f in findings}
    answer_at = text.index("Told an officer")
    assert all(f.start >= answer_at for f in findings)


@pytest.mark.parametrize(
    ("line", "answer", "none"),
    [
        ("Weapons and drugs finds: None known", 25, True),
        ("Threats: he said he'd stab him", 9, False),
        ("Weapons: none", 0, True),
        ("None known", 0, True),
        ("Domestic call-out: he hit her", 0, False),
    ],
)
def test_form_answer(line, answer, none):
    assert form_answer(line) == (answer, none)


def test_every_heading_keepsafe_writes_is_known_to_the_scanner():
    assert {heading.lower() for _, heading, _ in SECTIONS} <= FORM_HEADINGS


def test_a_persons_own_heading_is_evidence():
    assert "domestic_abuse" in indicators("Domestic call-out: his partner says he threatened her with a knife.")


def test_classifier_findings_cover_their_sentence_and_name_the_words_that_drove_them():
    model = Model(
        "test",
        intercepts={"violence": -3.0, "threats": -3.0},
        thresholds={"violence": 0.5, "threats": 0.5},
        weights={"w:lamped": {"violence": 4.0}, "w:bloke": {"violence": 0.5}},
    )
    text = "All fine at the hostel. Apparently he lamped some bloke at the bus stop."
    [finding] = Scanner(rules=lx.RULES[:1], model=model).scan(text)
    assert finding.rule == "violence.classifier"
    assert finding.text == "Apparently he lamped some bloke at the bus stop."
    assert text[finding.start : finding.end] == finding.text
    assert "'lamped', 'bloke'" in finding.why
    assert "probability" in finding.why


def test_classifier_features_mark_negation_and_context():
    feats = [f for token in token_features(["no", "knife", "was", "found"]) for f in token]
    assert "n:w:knife" in feats
    assert "w:knife" not in feats
    assert context_features([["his", "partner", "called"]]) == ["x:partner"]


def test_the_shipped_model_is_trained_on_every_single_text_indicator():
    model = shipped_model()
    assert set(model.intercepts) == set(model.thresholds)
    assert scanner().model is model
    assert set(model.intercepts) == {i for i in INDICATORS if i not in CROSS_RECORD}
    # The classifier reads what the rules found (stacking): it keeps the rule's violence finding (above the veto).
    text = "he kicked off on a lad and sparked him out"
    verdicts = {v.indicator: v for v in model.assess(text.split(), ["r:violence", "rid:violence.harm_person"])}
    assert verdicts["violence"].probability >= model.vetoes["violence"]
    assert "violence" in indicators(text)


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("abc :\n.NoneknwWapTht")), max_size=80))
def test_every_finding_is_a_true_span_of_its_text(text):
    for f in scan(text):
        assert text[f.start : f.end] == f.text
        assert f.why


@pytest.mark.parametrize(
    "template",
    [t for templates in paraphrases.EVENTS.values() for t in templates] + paraphrases.NEGATIVES,
)
def test_every_paraphrase_template_fills_completely_with_known_indicators(template):
    """A misspelt slot or label would leave "{slot}" or "[[" in the training text and teach the classifier noise."""
    for seed in range(5):
        text, labels = compose(template, random.Random(seed), 0.0)  # noqa: S311 — reproducible test data
        assert "{" not in text, text
        assert "[[" not in text, text
        assert "]]" not in text, text
        assert all(indicator in INDICATORS and text[s:e].strip() for indicator, s, e in labels)
    assert all(indicator in INDICATORS for indicator in paraphrases.EVENTS)


def test_corpus_generator_spans_match_and_styles_are_all_there():
    texts = list(generate(per_style=30, seed=1))
    assert {t.style for t in texts} == set(STYLES)
    for t in texts:
        for indicator, start, end in t.labels:
            assert 0 <= start < end <= len(t.text)
            assert indicator
    negatives = sum(1 for t in texts if not t.labels)
    assert negatives / len(texts) >= 0.25


def test_compose_keeps_nested_labels():
    import random

    text, labels = compose("He [[violence|hit him with [[weapons|a tray]]]].", random.Random(0), 0.0)  # noqa: S311
    assert text == "He hit him with a tray."
    assert {(i, text[s:e]) for i, s, e in labels} == {("violence", "hit him with a tray"), ("weapons", "a tray")}


def _keepsafe(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "keepsafe.config.settings.local", "KEEPSAFE_TEST_DB": "external"}
    return subprocess.run(
        [str(Path(sys.executable).parent / "keepsafe"), *args],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        cwd=ROOT,
    )


def test_scan_corpus_reports_per_style_and_fails_below_target(tmp_path):
    good = {
        "id": "a",
        "style": "police",
        "text": "He punched the man.",
        "labels": [{"indicator": "violence", "start": 3, "end": 10, "text": "punched"}],
    }
    missed = {
        "id": "b",
        "source": "court",
        "text": "Nothing here at all.",
        "labels": [{"indicator": "sexual_harm", "start": 0, "end": 7, "text": "Nothing"}],
    }
    (tmp_path / "one.jsonl").write_text(json.dumps(good) + "\n")
    (tmp_path / "two.jsonl").write_text(json.dumps(missed) + "\n")
    done = _keepsafe("scan-corpus", str(tmp_path))
    assert done.returncode == 1, done.stdout + done.stderr
    assert "police" in done.stdout
    assert "court" in done.stdout
    assert "sexual_harm recall 0.000 < 0.8" in done.stderr
    only_good = _keepsafe("scan-corpus", str(tmp_path / "one.jsonl"))
    assert only_good.returncode == 0, only_good.stdout + only_good.stderr


# --- issue 13: the classifier reads the rules' findings, vetoes weak ones, and is measured leave-one-style-out ---


def _model(vetoes=None, thresholds=None):
    return Model(
        "test",
        intercepts={"violence": -6.0, "threats": -6.0},
        thresholds=thresholds or {"violence": 0.5, "threats": 0.5},
        weights={"r:violence": {"violence": 3.0}, "w:lamped": {"violence": 9.0}},
        vetoes=vetoes,
    )


def test_the_classifier_vetoes_a_rule_finding_it_finds_too_unlikely_and_keeps_the_rest():
    text = "He laid into the man."
    assert "violence" in {f.indicator for f in Scanner(model=None).scan(text)}
    # p(violence) = sigmoid(-6 + 3) = 0.047: below a veto of 0.1 the rule's finding goes, above 0.01 it stays.
    assert "violence" not in {f.indicator for f in Scanner(model=_model({"violence": 0.1, "threats": 0.0})).scan(text)}
    kept = Scanner(model=_model({"violence": 0.01, "threats": 0.0})).scan(text)
    assert [(f.indicator, f.rule) for f in kept if f.indicator == "violence"] == [("violence", "violence.harm_person")]


_SENTENCES_FOR_VETO = (
    "Domestic call-out: his partner says he threatened her with a knife.",
    "He was convicted of GBH and affray in 2019.",
    "Police attended a domestic incident at the address.",
    "He breached the non-molestation order by texting her.",
    "The children are subject to a child protection plan.",
    "He was found in possession of a machete and a taser.",
    "Charged with the rape of a 15 year old.",
    "He has been stalking his ex-partner for months.",
    "He decked the lad outside the pub.",
    "No weapons were found in the cell.",
    "He says he is using heroin again.",
    "Threatening messages were sent to the victim.",
    "He admitted harassment of his neighbour.",
    "He turned up at her work three times this week.",
)


def _vetoes_everything():
    """A model that vetoes every rule finding it can (veto 1.0) and adds nothing (threshold above any probability)."""
    return Model(
        "veto-all",
        intercepts=dict.fromkeys(INDICATORS, -6.0),
        thresholds=dict.fromkeys(INDICATORS, 0.999),
        weights={},
        vetoes=dict.fromkeys(INDICATORS, 1.0),
    )


def test_the_classifier_never_vetoes_a_finding_whose_words_name_the_harm():
    # 3 December: a model trained on seventeen writers dropped the knife here, so the recall form suggested no
    # emergency recall. Named harm (a knife, "threatened", a domestic call-out, a charge) stays whatever the model says.
    text = "Domestic call-out: his partner says he threatened her with a knife. He was later charged with GBH."
    found = {(f.indicator, f.text) for f in Scanner(model=_vetoes_everything()).scan(text)}
    assert {("weapons", "knife"), ("threats", "threatened her with a knife"), ("violence", "GBH")} <= found
    assert "domestic_abuse" in {indicator for indicator, _ in found}
    # What the rules inferred from behaviour rather than named can still be vetoed; an assault verb with the person it
    # was done to names the harm (since 4 December: a retrained model vetoed "boxed a man" and "leathered a bloke").
    assert Scanner(model=None).scan("He laid into the lad outside the pub.")
    assert Scanner(model=_vetoes_everything()).scan("He laid into the lad outside the pub.") == []
    assert Scanner(model=_vetoes_everything()).scan("He decked the lad outside the pub.")


@pytest.mark.parametrize(
    ("indicator", "text", "named"),
    [
        ("weapons", "knife", True),
        ("weapons", "lock knives", True),
        ("weapons", "pocket-knife", False),  # a compound is not the word: the veto may judge it
        ("weapons", "chair leg", False),
        ("threats", "threatened", True),
        ("violence", "actual bodily harm", True),
        ("violence", "punched him", True),  # an assault verb with its person (4 December)
        ("violence", "laid into him", False),
        ("domestic_abuse", "Domestic call-out", True),
        ("child_safeguarding", "Section 47 enquiries", True),
        ("child_safeguarding", "teenage son", False),
        ("disengagement", "missed appointment", False),  # no naming terms: always the classifier's call
    ],
)
def test_names_itself_matches_whole_naming_words_only(indicator, text, named):
    assert names_itself(indicator, text) is named


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(_SENTENCES_FOR_VETO), min_size=1, max_size=4))
def test_invariant_every_named_rule_finding_survives_any_veto(sentences):
    text = " ".join(sentences)
    named = {(f.indicator, f.start, f.end) for f in Scanner(model=None).scan(text) if names_itself(f.indicator, f.text)}
    kept = {(f.indicator, f.start, f.end) for f in Scanner(model=_vetoes_everything()).scan(text)}
    assert named <= kept
    assert named <= {(f.indicator, f.start, f.end) for f in scan(text)}  # and under the shipped model


def test_what_the_rules_found_cancelled_and_found_before_are_classifier_features():
    s = Scanner(model=None)
    first, second = s.read(s.nlp("No weapons were found. He punched the man."))
    assert "q:weapons" in first.context
    assert "r:weapons" not in first.context
    assert {"r:violence", "rid:violence.harm_person"} <= set(second.context)
    third = list(s.read(s.nlp("He punched the man. He went home.")))[1]
    assert "xr:violence" in third.context


def test_a_model_file_keeps_its_vetoes_and_one_without_them_never_vetoes():
    model = _model({"violence": 0.2, "threats": 0.0})
    again = Model.from_json(json.loads(json.dumps(model.to_json())))
    assert again.vetoes == {"violence": 0.2, "threats": 0.0}
    data = model.to_json()
    del data["vetoes"]
    assert Model.from_json(data).vetoes == {"violence": 0.0, "threats": 0.0}


def test_shipped_model_has_a_cutoff_and_a_veto_per_indicator():
    model = shipped_model()
    assert set(model.vetoes) == set(model.thresholds) == set(model.intercepts)
    assert all(0.0 <= model.vetoes[i] <= 1.0 and 0.0 < model.thresholds[i] < 1.0 for i in model.thresholds)


# --- issue 13: an order breach named by the act and, nearby, the order (no word "breach") ---

_RULES_ONLY = Scanner(model=None)


def _order_breaches(text):
    return [f for f in _RULES_ONLY.scan(text) if f.indicator == "order_breach"]


@pytest.mark.parametrize(
    ("text", "act"),
    [
        ("Parked up outside her mother's bungalow at 2am. The SHPO bars him from Elm Close.", "outside her"),
        ("The non-mol was served on Monday. On Wednesday he rang her six times from a friend's phone.", "rang her"),
        ("Notification requirements apply for life. He has not told police about his new van.", "not told"),
        ("He phoned Kerry's sister to pass messages on. Kerry has a restraining order against him.", "phoned"),
        ("Registered sex offender: a laptop he had not declared was found under his bed.", "laptop"),
        ("Officers found him inside Ms Okafor's flat at midnight; her DAPO names the flat.", "inside"),
    ],
)
def test_an_act_beside_the_order_that_forbids_it_is_an_order_breach(text, act):
    found = _order_breaches(text)
    assert found, text
    assert any(act in f.text for f in found), [f.text for f in found]
    assert all(text[f.start : f.end] == f.text for f in found)


@pytest.mark.parametrize(
    "text",
    [
        # the order's own terms, not what he did
        "Restraining order made for three years: he is not to contact her or go to her address.",
        # the order is still being sought
        "He rang her 20 times last night. She is applying for a non-molestation order.",
        # a licence condition is not a civil order
        "He went to her house on Friday. His licence forbids contact with her.",
        # contact with children arranged through the court, under an SHPO
        "SHPO in place. Contact with children via the contact centre only.",
        # the order is named too far away (more than two sentences before)
        "A restraining order was made in 2019. He works nights. He likes football. He plays darts. He rang her today.",
        # the contact is hypothetical
        "If he contacted her, officers would treat it as a breach of the non-mol.",
    ],
)
def test_an_order_named_without_a_prohibited_act_done_is_no_breach(text):
    assert [f.text for f in _order_breaches(text) if f.rule.startswith("order_breach.")] == []


@settings(max_examples=80, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            (
                "He rang her twice on Sunday.",
                "He sent letters to her mum.",
                "He was seen outside her flat.",
                "He has not told police of his new address.",
                "The restraining order runs to 2028.",
                "His SHPO requires every device to be declared.",
                "He works at the depot.",
                "He attended his appointment.",
                "Her non-mol was granted in May.",
            )
        ),
        min_size=1,
        max_size=6,
    )
)
def test_invariant_no_order_named_no_order_breach_by_reference(sentences):
    """Whatever the acts, a text that names no civil order and no notification requirement has no breach found by
    reference to one; naming one can only add breaches, never take any away."""
    orderless = [s for s in sentences if not re.search(lx.ORDER_NAMED, s)]
    by_reference = {"order_breach.order_nearby", "order_breach.stalking_near_order"}
    assert not [f for f in _RULES_ONLY.scan(" ".join(orderless)) if f.rule in by_reference] if orderless else True
    with_order = {(f.indicator, f.text) for f in _RULES_ONLY.scan(" ".join(sentences)) if f.indicator != "order_breach"}
    without = {(f.indicator, f.text) for f in _RULES_ONLY.scan(" ".join(orderless))} if orderless else set()
    assert without <= with_order | {(i, t) for i, t in without if i == "order_breach"}


# --- issue 13, try-out of 3 December (evening): what an independent tester found the scanner got wrong ---


@pytest.mark.parametrize(
    ("text", "indicator"),
    [
        # the shorthand records use for the order
        ("He breached the non-mol again.", "order_breach"),
        ("Arrested for breach of RO.", "order_breach"),
        ("He breached his NMO by texting her.", "order_breach"),
        # a threat he stated holds though it was conditional
        ("He said if she leaves him he will kill her.", "threats"),
        ("If she goes to the police he will stab her, he told me.", "threats"),
        ("Should he be released, he has said he will kill the victim.", "threats"),
        ("PoP said 'if anyone touches my daughter I'll kill them'.", "threats"),
        # the order was applied for once and is now in force
        ("The non-mol she applied for was granted in May. He rang her yesterday.", "order_breach"),
        # a real fight and a real knife still count
        ("He was arrested after a fight outside a pub.", "violence"),
        ("A knife was kept under his bed.", "weapons"),
        ("He attacked her with a kitchen knife in the hallway.", "weapons"),
        ("He is NFA and sleeping in his car.", "accommodation_loss"),
    ],
)
def test_tryout_harm_is_found(text, indicator):
    assert indicator in {f.indicator for f in _RULES_ONLY.scan(text)}
    assert indicator in {f.indicator for f in scan(text)}


@pytest.mark.parametrize(
    ("text", "indicator"),
    [
        ("DAPO applied for by police, hearing next week. PoP has continued to ring her.", "order_breach"),
        ("He rang her twice last night. SHPO application to be heard in January.", "order_breach"),
        ("If he were to threaten her again he would be recalled.", "threats"),
        ("I advised him that if he drinks he could hurt someone.", "threats"),
        ("Mr Jones is fighting for custody of his son.", "violence"),
        ("He has been fighting his addiction for years.", "violence"),
        ("He is fighting to keep his flat.", "violence"),
        ("Kitchen knives kept locked away.", "weapons"),
        ("All kitchen knives are locked in the office.", "weapons"),
        ("He works as a chef and uses knives daily.", "weapons"),
        ("Threats to kill charge dropped; CPS NFA.", "accommodation_loss"),
    ],
)
def test_tryout_false_alarms_are_not_raised_by_the_rules(text, indicator):
    assert indicator not in {f.indicator for f in _RULES_ONLY.scan(text)}


# The second try-out round (lexicon 2026-12-03.4): each text was a finding the try-out said was missed or wrong.
@pytest.mark.parametrize(
    ("text", "indicator"),
    [
        ("He messaged Sarah. Restraining order in place.", "order_breach"),
        ("He sent Sarah a friend request on Facebook. RO in place.", "order_breach"),
        ("Seen on CCTV outside a primary school. He is subject to an SHPO.", "order_breach"),
        ("Seen on CCTV outside a primary school. He is subject to an SHPO.", "child_safeguarding"),
        ("He nutted the bouncer outside the club.", "violence"),
        ("Got in a scrap in town on Saturday and bust his lip.", "violence"),
        ("He head butted his cellmate.", "violence"),
        ("He slapped his missus during an argument.", "domestic_abuse"),
        ("He threatened his missus.", "domestic_abuse"),
    ],
)
def test_second_tryout_harm_is_found(text, indicator):
    assert indicator in {f.indicator for f in _RULES_ONLY.scan(text)}
    assert indicator in {f.indicator for f in scan(text)}


@pytest.mark.parametrize(
    ("text", "absent"),
    [
        # harm done to him is not his (the corpora's "him as the victim" convention)
        ("His partner assaulted him with a hairbrush.", {"violence", "domestic_abuse", "weapons"}),
        ("He was threatened with a knife by another resident.", {"threats", "weapons"}),
        ("Another resident punched him in the face in the kitchen.", {"violence"}),
        ("He says his ex-partner threatened him and smashed his phone.", {"threats", "domestic_abuse"}),
        ("He was glassed in a pub by a stranger.", {"weapons", "violence"}),
        ("He was beaten up by his dealer over a debt.", {"violence"}),
        # a programme's session on the subject is not abuse
        ("He completed session 6 of Building Better Relationships on coercive control.", {"domestic_abuse"}),
        # compliance: the classifier may not add what the sentence complies with
        ("He registered his new address within 3 days as required.", {"order_breach"}),
        ("Supervised contact with his daughter arranged under the child arrangements order.", {"child_safeguarding"}),
        # "visited Ms Ince" names a title, not the protected person's first name (the officer visited her)
        ("Officer visited Ms Ince; the restraining order is being complied with.", {"order_breach"}),
    ],
)
def test_second_tryout_false_alarms_are_not_raised(text, absent):
    assert not absent & {f.indicator for f in _RULES_ONLY.scan(text)}
    assert not absent & {f.indicator for f in scan(text)}


@pytest.mark.parametrize(
    "text",
    [
        "He punched another resident in the face.",
        "Mr Jones assaulted him in the yard.",  # a named person may be the man supervised
        "He hit his younger brother and hit him with a belt when drunk.",  # "brother and hit him" is his act
        "The older boy was hit with a table leg by his father.",  # a child's father may be the man supervised
        "Resident went for the staff member, punching him twice.",  # "member, punching him" is the resident's act
    ],
)
def test_harm_done_by_him_or_by_a_childs_father_still_stands(text):
    assert "violence" in {f.indicator for f in _RULES_ONLY.scan(text)}


def test_a_capitalised_word_is_a_name_only_when_it_is_not_a_common_word():
    def breach(text):
        return "order_breach" in {f.indicator for f in _RULES_ONLY.scan(text)}

    assert not breach("He rang Probation. Restraining order in place.")
    assert breach("He rang Kirsty. Restraining order in place.")
    assert not breach("He rang Kirsty to say he was running late.")  # far from any order, a name is not a breach


def test_a_heading_is_not_a_second_finding_of_what_is_written_beneath_it():
    text = "Weapons:\nHe carried a knife to the meeting."
    for scanned in (_RULES_ONLY.scan(text), scan(text)):
        assert [(f.indicator, f.text) for f in scanned] == [("weapons", "knife")]
    # A heading with nothing of its kind beneath it keeps its finding, and the next heading ends what is beneath.
    lone = "Domestic call-out:\nPolice attended at 2am.\nWeapons:\nA knife was found in his bag."
    assert ("domestic_abuse", "Domestic call-out") in {(f.indicator, f.text) for f in _RULES_ONLY.scan(lone)}


# Threats' precision (lexicon 2026-12-03.5), from the training corpora's false alarms: idioms, threats to himself,
# threats made to him, and things done rather than threatened.
@pytest.mark.parametrize(
    "text",
    [
        "He said he would kill for a pint.",
        "Defence counsel said the defendant would kill to get back to work.",
        "He told staff he would murder a bacon butty.",
        "His mum will kill him if he is late for the wedding.",
        "He wants to do the DA programme.",
        "He threatened to hang himself in front of her.",
        "She is worried he is planning to end his life.",
        "He has been getting threats from other prisoners over a debt.",
        "His ex-partner's new boyfriend had threatened to batter him if he came near the house.",
        "Another prisoner threatened to wet him up if he did not hand over his vapes.",
        "In 2021 he broke her jaw.",
    ],
)
def test_threat_false_alarms_from_the_training_corpora(text):
    assert "threats" not in {f.indicator for f in _RULES_ONLY.scan(text)}


@pytest.mark.parametrize(
    ("text", "indicator"),
    [
        ("He said he will kill her if she leaves.", "threats"),
        ("He said he would break her legs.", "threats"),
        ('Patient says he "wants to get" the man he believes is sending him messages.', "threats"),
        ("Resident threatening to slit his mum's new partner's throat.", "threats"),
        # a bare "Resident" or "The prisoner" is the man supervised in a hostel's or prison's own log
        ("Resident punched him in the lounge.", "violence"),
        ("The prisoner assaulted him on the landing.", "violence"),
        ("In 2021 he broke her jaw.", "violence"),
    ],
)
def test_threats_and_violence_by_him_still_stand(text, indicator):
    assert indicator in {f.indicator for f in _RULES_ONLY.scan(text)}


def test_kicked_out_is_losing_a_home_not_a_blow():
    found = {
        f.indicator for f in _RULES_ONLY.scan("He says the missus kicked him out after a row, so he is sofa surfing.")
    }
    assert "violence" not in found
    assert "accommodation_loss" in found


# Attitudes and callousness in his own words (lexicon 2026-12-03.6), written from the training corpora's misses.
@pytest.mark.parametrize(
    ("text", "indicator"),
    [
        ('He said he "would do it again tomorrow".', "pro_violence_attitudes"),
        ('He said "any man would have done the same".', "pro_violence_attitudes"),
        ('He keeps a bike chain in his bag "in case anyone starts".', "pro_violence_attitudes"),
        ('Says the lad "needs a good hiding".', "pro_violence_attitudes"),
        ('"Everyone carries round here, you\'d be mad not to."', "pro_violence_attitudes"),
        ('He said violence is "the only language some people understand".', "pro_violence_attitudes"),
        ('He said his ex "got what she deserved".', "callousness"),
        ('He said he "never hit her that hard" and she "bruises easy".', "callousness"),
        ("Not a flicker of remorse in interview.", "callousness"),
        ('"Look what you made me do," he told her.', "callousness"),
    ],
)
def test_attitudes_and_callousness_in_his_words_are_found(text, indicator):
    assert indicator in {f.indicator for f in _RULES_ONLY.scan(text)}


@pytest.mark.parametrize(
    ("text", "indicator"),
    [
        ("He was moved to another landing for his own safety.", "pro_violence_attitudes"),
        ("The jury rejected his account that the punch was in self-defence.", "pro_violence_attitudes"),
        ("She took his phone and he slapped her when she asked for it back.", "callousness"),
        ("He believes the neighbours are filming him through the walls.", "callousness"),
        ("The offender accepted that she did nothing to deserve it.", "callousness"),
        ('The resident said the man who beat him up "will get what\'s coming".', "pro_violence_attitudes"),
    ],
)
def test_attitude_and_callousness_false_alarms_from_the_training_corpora(text, indicator):
    assert indicator not in {f.indicator for f in _RULES_ONLY.scan(text)}


# The independent try-out's third round (lexicon 2026-12-03.7): texts it wrote, each missed or wrongly found.
@pytest.mark.parametrize(
    ("text", "indicator"),
    [
        ("He has been sending his ex-partner Leanne abusive messages despite the non-mol.", "order_breach"),
        ("Resident stated that if his missus leaves him he'll burn the house down with her in it.", "domestic_abuse"),
        ("He leathered a bloke outside the chippy.", "violence"),
        ("He described leathering a bloke in the pub toilets last weekend.", "violence"),
        ("Resident has been told he must leave the AP by Friday; no move-on address identified.", "accommodation_loss"),
        ("He has been threatening to share the images unless she sends more.", "threats"),  # "has been" + -ing: his act
        ("He told me his missus 'wound him up' so he slapped her.", "violence"),
    ],
)
def test_third_tryout_harm_is_found(text, indicator):
    assert indicator in {f.indicator for f in _RULES_ONLY.scan(text)}
    assert indicator in {f.indicator for f in scan(text)}


@pytest.mark.parametrize(
    ("text", "absent"),
    [
        ("He was stabbed in the leg in 2019 and still walks with a limp.", {"violence", "weapons"}),
        ("He was glassed in a pub in 2021 and has a scar on his face.", {"violence", "weapons"}),
        ("He was punched by his brother at a family party.", {"violence", "domestic_abuse"}),
        ("Risk of serious harm: Threats: None known", {"threats"}),
        ("Risk of serious harm: Threats:\nNone known\nWeapons:\nNone known", {"threats", "weapons"}),
        ("Weapons: None known. Domestic abuse: N/A. Stalking: Nil.", {"weapons", "domestic_abuse", "stalking"}),
        ("Section 3 - Weapons and violence\nNo concerns identified.", {"weapons", "violence"}),
        (
            "Attended group session on healthy relationships and domestic abuse; discussed coercive control.",
            {"domestic_abuse"},
        ),
        ("Programme session on managing anger; he role-played walking away from a fight.", {"violence"}),
        ("My mum's going to murder me when she sees my tattoo, he joked.", {"violence", "threats"}),
    ],
)
def test_third_tryout_false_alarms_are_not_raised(text, absent):
    assert not absent & {f.indicator for f in _RULES_ONLY.scan(text)}
    assert not absent & {f.indicator for f in scan(text)}


def test_his_own_spans_stay_where_the_words_are():
    # "wound him up" is not a wounding: the violence found is the slap
    found = [(f.indicator, f.text) for f in _RULES_ONLY.scan("He told me his missus 'wound him up' so he slapped her.")]
    assert ("violence", "wound him") not in found
    assert any(indicator == "violence" and "slapped" in text for indicator, text in found)


# Lexicon 2026-12-03.8: the second re-check's findings, each generalised (his own family harming him, the blade he
# harms himself with, a blow to a thing, a marker list's "- nil") and checked on the training corpora for true
# positives lost (none but one victim statement where "he" is the victim).
@pytest.mark.parametrize(
    ("text", "absent"),
    [
        ("His brother punched him during an argument about money.", {"violence", "domestic_abuse"}),
        ("He told me his dad used to hit him when he was a boy.", {"violence", "domestic_abuse"}),
        (
            "He disclosed that his stepfather beat him with a belt throughout his childhood.",
            {"violence", "weapons", "domestic_abuse"},
        ),
        (
            "Call from PoP saying his mum has hit him with a walking stick. Mum arrested.",
            {"violence", "weapons", "domestic_abuse"},
        ),
        ("He was the victim of an assault in town last month and suffered a broken jaw.", {"violence"}),
        ("He was bullied and beaten at school and still gets anxious in crowds.", {"violence"}),
        ("Police confirm he was the complainant in a robbery in 2016.", {"violence"}),
        ("Offender has reported that the victim's brother threatened him in the street.", {"threats"}),
        ("He says he is going to smash his exams this year.", {"threats"}),
        ("He says he will take a stab at the college course.", {"weapons", "violence"}),
        ("Resident punched the laundry room door after the machine ate his money.", {"violence"}),
        ("Injured his hand punching a boxing bag at the gym.", {"violence"}),
        ("Dad and Harvey (5) were play fighting with foam swords.", {"violence"}),
        (
            "Warning markers on PNC reviewed at custody: Weapons - nil. Violence - nil. Drugs - nil.",
            {"weapons", "violence"},
        ),
        (
            "Q15 (has the abuser ever threatened to kill you or anyone else?) - no. Q16 (strangled/choked?) - no.",
            {"threats", "violence"},
        ),
        ("Crisis line: he has a knife and says he is going to cut his own throat.", {"weapons", "threats"}),
        ("He cut his wrists with a razor blade last night.", {"weapons", "violence"}),
    ],
)
def test_second_recheck_false_alarms_are_not_raised(text, absent):
    assert not absent & {f.indicator for f in _RULES_ONLY.scan(text)}
    assert not absent & {f.indicator for f in scan(text)}


@pytest.mark.parametrize(
    ("text", "indicator"),
    [
        ("He boxed a man outside the chippy on Friday.", "violence"),
        ("He bottled a bouncer outside the club.", "weapons"),
        # a child's stepdad in a children's services record may be the man supervised: still found
        ("Tyler (12) told his teacher that his stepdad punched him in the stomach.", "violence"),
        # he harmed his family: his
        ("He punched his brother during an argument about money.", "violence"),
        ("He said he would cut her with a knife if she left.", "weapons"),
        ("Found with a razor blade melted into a toothbrush handle in his cell.", "weapons"),
        ("Weapons - a lock knife was found in his bag.", "weapons"),
        ("Resident punched the door and then punched the night worker.", "violence"),
        ("He threatened the victim's brother in the street.", "threats"),
    ],
)
def test_second_recheck_harm_is_found(text, indicator):
    assert indicator in {f.indicator for f in scan(text)}


# Lexicon 2026-12-04.1: classes of false alarm read off the training corpora's own spurious findings (A to E, H to S;
# never F or G) and the last try-out's texts. Each case below failed on lexicon 2026-12-03.8.
FOURTH_RECHECK_FALSE_ALARMS = [
    # a question asked is not evidence of what it asks about
    ("Asked directly about weapons, threats and contact with the victim. He denies all of these.", {"weapons"}),
    ("Supervision: asked re drug use, he says he is clean.", {"substance_misuse"}),
    # someone plainly else did it, to whomever
    ("Another resident threatened staff with a chair in the dining room; our PoP was in his room.", {"threats"}),
    ("A fellow prisoner assaulted an officer on the landing; he was behind his door.", {"violence"}),
    # his ex's new partner, or the victim's partner, is not his partner
    ('He threatened to "end" his ex-partner\'s new boyfriend.', {"domestic_abuse"}),
    ("He hit his partner's new boyfriend with a bottle outside the shop.", {"domestic_abuse"}),
    # negation by "nil" and by a check's answer
    ("Nil DA call-outs to the address in the last year.", {"domestic_abuse"}),
    ("Cell search negative for weapons.", {"weapons"}),
    # toys and drawings are not weapons; a blade used on himself is his mental health
    ("Report of a man waving a water pistol at his mates on a hot day.", {"weapons"}),
    ("School reported Mylo (8) has been drawing knives and guns in his book.", {"weapons"}),
    ("He used a Stanley blade on himself last night and needed steri-strips.", {"weapons"}),
    ('The children played a game of "sword fighting" with sticks in the park.', {"violence", "weapons"}),
]


FOURTH_RECHECK_HARM = [
    # what the new exclusions must leave standing
    ("Obi and another prisoner jumped a lad on the stairs.", "violence"),
    ("CCTV shows him and another male kicking the victim while he was on the floor.", "violence"),
    ("Mum's partner hit her in front of the children.", "domestic_abuse"),
    ('Staff found a BB gun in the resident\'s locker which he said he "uses to scare people".', "weapons"),
    ('The offender sent her a picture of a gun with the message "one for you".', "weapons"),
    ("When asked about the knife found in his room he said it was for protection.", "weapons"),
    ("Says he is 3 weeks clean but the test today was non-negative for cocaine.", "substance_misuse"),
    ("He slashed his cheek with a blade made from a disposable razor.", "weapons"),
    # slang and relatives as the ones harmed
    ('He admits he "leathered" his cousin with a bat after an argument.', "violence"),
    ('He admits he "leathered" his cousin with a bat after an argument.', "weapons"),
    ("He bottled a bouncer outside the club on Saturday.", "weapons"),
]


def test_a_generic_weapon_is_named_as_a_weapon_not_a_firearm():
    rules = {f.rule for f in _RULES_ONLY.scan("He was seen carrying a weapon in the town centre.")}
    assert rules == {"weapons.named"}


def test_a_cue_not_after_and_still_excludes_at_the_start_of_a_sentence():
    """The `<!` guard of an exclusion looks at the word before the cue; at a text's first word there is none."""
    assert not {f.indicator for f in _RULES_ONLY.scan("Another resident punched a member of staff.")} & {"violence"}
    assert "violence" in {f.indicator for f in _RULES_ONLY.scan("He and another resident punched a member of staff.")}


# Lexicon 2026-12-04.2: a record that says the harm it describes is someone else's (`lexicon.NOT_HIS`). Written from
# the training corpora's spurious findings (37 of them in texts that say so, against one true finding).
@pytest.mark.parametrize(
    "text",
    [
        "V says her neighbour has been harassing her over parking and has threatened to slash her tyres. Not "
        "connected to D. Advised to report to police.",
        "Victim's new partner has been arrested for assaulting her. This is unrelated to our offender, who is in "
        "custody.",
        "VLO: victim is being harassed by a different man, a neighbour; she has been signposted to police.",
        "Intelligence relates to the resident's brother, who is believed to be carrying a machete. Nothing links our "
        "resident to the weapon.",
        "Victim raised a 2019 harassment complaint. Police confirm it was a case of mistaken identity; the offender "
        "was never a suspect.",
        "Log: police attended re an allegation that the resident had assaulted a woman at the bus station; CCTV "
        "shows it was a different man.",
    ],
)
def test_harm_the_record_says_is_someone_elses_is_not_found(text):
    for scanned in (_RULES_ONLY.scan(text), scan(text)):
        assert not {f.indicator for f in scanned} & lx.NOT_HIS_INDICATORS, scanned


@pytest.mark.parametrize(
    ("text", "indicator"),
    [
        # "unrelated" or "not connected" to the case is not "not his"
        ("While on licence he was arrested for an unrelated assault on his partner.", "violence"),
        ("He was charged with an assault not connected to this case.", "violence"),
        # the saying covers the sentence before only when it stands on its own: here it has harm of its own
        (
            "He punched his partner on Friday. Separately, her neighbour has threatened her, unrelated to the "
            "offender.",
            "violence",
        ),
        # a child harmed by someone else is still a child at risk
        (
            "Kian (6) was hit with a belt by his mum's friend. This is unrelated to our offender.",
            "child_safeguarding",
        ),
    ],
)
def test_harm_the_record_does_not_say_is_someone_elses_still_stands(text, indicator):
    assert indicator in {f.indicator for f in scan(text)}


# Lexicon 2026-12-04.3: the independent try-out 9's findings (its own texts), each generalised to its class.
NINTH_TRYOUT_HARM = [
    # a negation does not reach across a new clause
    (
        "Mr F says he's been feeling really low, not eating, and has thought about taking an overdose.",
        "mental_health",
    ),
    ("She said he did not hit her, he pushed her into the wall.", "violence"),
    # harm he suffered once does not hide the knife he carries now
    ("He said he was carrying the knife for his own protection after being stabbed himself last year.", "weapons"),
    # "'d" before a past form is "had"
    ("She said he'd punched her in the face.", "violence"),
    # battery is a charge of violence; "Dom" is the police's domestic
    ("Court date for the new charge of battery against his partner is 14/7.", "violence"),
    ("Court date for the new charge of battery against his partner is 14/7.", "domestic_abuse"),
    ("Dom call out to 4 Acacia Ave. Verbal only.", "domestic_abuse"),
    # an implied threat
    ("Partner Amy attended. He later texted me that she's \"lucky I haven't battered her yet\".", "threats"),
    # a threat is still a threat; a conditional still cancels violence (below)
    ("He said he'd batter her if she left.", "threats"),
]


NINTH_TRYOUT_FALSE_ALARMS = [
    (
        "Reports his brother was stabbed last night in Moss Side; he's upset but won't get involved.",
        {"violence", "domestic_abuse"},
    ),
    ("Mr A was assaulted by another prisoner and taken to healthcare with facial injuries.", {"violence"}),
    ('Says he\'s "gonna murder" a cheeseburger after the appt lol.', {"threats", "violence"}),
    ("He has a new job at the abattoir; he uses knives all day for work.", {"weapons"}),
    ("Does the subject have any contact with children? No - he has no children.", {"child_safeguarding"}),
    ("Child protection concerns: Not applicable - no children in household.", {"child_safeguarding"}),
    ("Does he own a weapon? No.", {"weapons"}),
    ("He was told that any contact with the victim would breach the restraining order.", {"order_breach"}),
    ("He will be in breach of the restraining order if he contacts her.", {"order_breach"}),
    ("He said he wants to kill himself.", {"threats"}),
    ("He said he'd slashed his own wrists with a broken bottle.", {"weapons", "violence"}),
    ("If he relapses, he may hit her again.", {"violence"}),
    ("The co-defendant, not this defendant, was in possession of the firearm.", set()),
]


@pytest.mark.parametrize(("text", "indicator"), FOURTH_RECHECK_HARM + NINTH_TRYOUT_HARM)
def test_harm_classes_of_4_december_are_found(text, indicator):
    """What the new exclusions must leave standing (lexicon .1) and try-out 9's misses (lexicon .3), by the shipped
    scanner."""
    assert indicator in {f.indicator for f in scan(text)}


@pytest.mark.parametrize(("text", "absent"), FOURTH_RECHECK_FALSE_ALARMS + NINTH_TRYOUT_FALSE_ALARMS)
def test_false_alarm_classes_of_4_december_are_not_raised(text, absent):
    """The training corpora's false-alarm classes (lexicon .1) and try-out 9's (lexicon .3): neither the rules nor
    the shipped scanner raise them."""
    assert not absent & {f.indicator for f in _RULES_ONLY.scan(text)}
    assert not absent & {f.indicator for f in scan(text)}


def test_a_weak_classifier_finding_says_it_is_weak_and_names_words_not_punctuation():
    model = scanner().model
    assert model is not None
    for text in (
        "\"when I get out I'm gonna do that grass, he's dead\" - heard on the landing.",
        "He sent her flowers.",
    ):
        for f in scan(text):
            if f.rule.endswith(".classifier"):
                probability = float(re.search(r"probability (\d\.\d\d)", f.why)[1])
                assert ("a weak signal" in f.why) == (probability < 0.5), f.why
                words = re.findall(r"'([^']*)'", f.why.split("weighed most:")[1])
                assert all(any(c.isalnum() for c in w) for w in words), f.why


# Written for this rule from the training corpora's misses: the classifier found the threat, the pursuit or the harm,
# the sentence names his partner or former partner, and no rule joined the two, so domestic abuse was missed.
PARTNER_CLASSIFIED_HARM = [
    "PIN phone monitoring: made 41 calls in one day to his partner's mobile, she has since asked for the number to be "
    "blocked.",
    'Mental health liaison: he told the nurse "if I go home I\'ll finish her off" about his wife.',
    "Security: phone monitoring shows prisoner calling his ex-partner's new number 16 times in one afternoon.",
    "Staff found a photo on his tablet of his ex-partner's new house, taken from across the road last week.",
]


@pytest.mark.parametrize("text", PARTNER_CLASSIFIED_HARM)
def test_harm_the_classifier_found_against_a_named_partner_is_domestic_abuse(text):
    found = scan(text)
    abuse = [f for f in found if f.indicator == "domestic_abuse"]
    assert abuse, found
    for f in abuse:
        if f.rule == "domestic_abuse.partner_classified":
            # it says which harm the classifier judged, and that harm is a finding of the same sentence
            harms = [h for h in found if h.rule.endswith(".classifier") and h.start == f.start]
            assert harms, found
            named = [INDICATORS[h.indicator].split(":")[0].lower() for h in harms if h.indicator in lx.PARTNER_HARMS]
            assert all(n in f.why for n in named), (f.why, harms)


@pytest.mark.parametrize(
    "text",
    [
        # a partner named, harm the classifier could judge, but said not to have happened or done to him
        "He denied ever threatening his partner and police took no further action.",
        "His partner phoned to say he is doing well and they are going on holiday.",
        "He was assaulted by his ex-partner's new boyfriend outside the pub.",
        # someone else's partner: the victim's, or the victim's new one, in a victim liaison note
        "The victim's partner says the offender stared at her across the car park and then followed them home.",
        "Jess says since she got a new boyfriend she has had 20 missed calls a night from withheld numbers and her "
        "new boyfriend was followed home.",
    ],
)
def test_a_partner_named_beside_no_harm_of_his_is_not_domestic_abuse(text):
    assert not any(f.rule == "domestic_abuse.partner_classified" for f in scan(text)), scan(text)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                *PARTNER_CLASSIFIED_HARM,
                "He attended on time and was polite.",
                "His partner Amy came with him to the appointment.",
                "No concerns were raised by the hostel.",
            ]
        ),
        min_size=1,
        max_size=4,
    )
)
def test_every_partner_classified_finding_rests_on_a_classifier_harm_in_a_sentence_naming_a_partner(sentences):
    text = " ".join(sentences)
    found = scan(text)
    for f in found:
        if f.rule == "domestic_abuse.partner_classified":
            assert set(re.findall(r"[a-z-]+", f.text.lower())) & PARTNER_WORDS, f.text
            assert any(
                h.start == f.start and h.rule.endswith(".classifier") and h.indicator in lx.PARTNER_HARMS for h in found
            ), (f, found)


# Mental ill-health as records describe it without the clinical words (`mental_health.described`), by class; each was
# a rules-only miss in the training corpora, written here in new words. Rules only, so the classifier cannot hide a
# rule that stopped matching.
MENTAL_HEALTH_DESCRIBED = [
    "Says the voices keep telling him the neighbours want him dead.",
    "He has not collected his olanzapine from the pharmacy for a fortnight.",
    "Wing staff say he is refusing his depot and pacing all night.",
    "He told the keyworker he is going to top himself if he is recalled.",
    "Rang the duty line saying he wants to end it all tonight.",
    "Found with fresh cuts to his forearms which he says he did himself.",
    "He believes staff are putting something in his tea and are out to get him.",
    "Crisis call: CRHT to visit daily after he was detained under s136.",
    "She said the kids would be better off dead without me, his mum reported him saying.",
]
MENTAL_HEALTH_NOT = [
    "He denies hearing voices and has never self-harmed.",
    "Said he'd kill myself laughing if they put him on that course, then grinned.",
    "Raised voices were heard from the flat but both said it was the telly.",
    "He has stopped his methadone script and is using heroin on top.",
]


@pytest.mark.parametrize("text", MENTAL_HEALTH_DESCRIBED)
def test_mental_ill_health_described_in_a_writers_own_words_is_found(text):
    assert "mental_health" in {f.indicator for f in _RULES_ONLY.scan(text)}, _RULES_ONLY.scan(text)


@pytest.mark.parametrize("text", MENTAL_HEALTH_NOT)
def test_no_mental_ill_health_is_read_into_denials_idioms_or_someone_elses_voices(text):
    assert not any(f.rule == "mental_health.described" for f in _RULES_ONLY.scan(text)), _RULES_ONLY.scan(text)


# An attitude he stated is his though it is put as a conditional, and a "no" inside the words he said does not
# negate what follows the closing quote.
STATED_ATTITUDES = [
    ('He told the group "if a man disrespects you, you have to hurt him or you look weak".', "pro_violence_attitudes"),
    ("He believes that if someone grasses you've got to batter them.", "pro_violence_attitudes"),
    ('He said "no way am I going back" and that "she had it coming".', "callousness"),
    ('Said he "isn\'t getting caught out again" and carries a blade "for protection".', "pro_violence_attitudes"),
]


@pytest.mark.parametrize(("text", "indicator"), STATED_ATTITUDES)
def test_an_attitude_he_stated_as_a_conditional_or_after_a_quoted_no_is_found(text, indicator):
    assert indicator in {f.indicator for f in _RULES_ONLY.scan(text)}, _RULES_ONLY.scan(text)


@pytest.mark.parametrize(
    "text",
    [
        "He was advised that if he carries a knife for protection he will be arrested.",
        "He did not say that she had it coming.",
    ],
)
def test_advice_and_a_plain_negation_still_cancel_an_attitude(text):
    assert "pro_violence_attitudes" not in {f.indicator for f in _RULES_ONLY.scan(text)}, _RULES_ONLY.scan(text)


# A threat named by its word runs on to what was threatened, and a partner harmed is found with every harm done to her
# in the sentence: the finding a practitioner reads holds the threat and the act, not only "threatened" or "partner".
SPANS_HOLD_THE_HARM = [
    (
        'Adjudication: threatened Officer Reid, "I know where you park, I\'ll be waiting".',
        "threats",
        "I know where you park",
    ),
    (
        'She said he told her "I know which nursery the kids go to" and she took it as a threat.',
        "threats",
        "I know which nursery",
    ),
    (
        "He threatened to put his neighbour through the window if he called the police again.",
        "threats",
        "put his neighbour through the window",
    ),
    (
        "The victim (his sister) says he turned up at her flat and punched her twice in the face.",
        "domestic_abuse",
        "punched her",
    ),
]


@pytest.mark.parametrize(("text", "indicator", "words"), SPANS_HOLD_THE_HARM)
def test_a_findings_span_holds_the_threat_or_the_harm_itself(text, indicator, words):
    spans = [f.text for f in _RULES_ONLY.scan(text) if f.indicator == indicator]
    assert any(words in s for s in spans), spans


def test_a_threat_word_runs_only_to_the_end_of_its_clause():
    spans = [
        f.text
        for f in _RULES_ONLY.scan("He threatened her with a hammer and left for work.")
        if f.indicator == "threats"
    ]
    assert spans == ["threatened her with a hammer"]


def test_a_reason_is_a_clause_of_its_own_for_a_negation():
    text = "She asks that he is not allowed in the town as he has threatened her brothers before."
    assert "threats" in {f.indicator for f in _RULES_ONLY.scan(text)}


def test_the_classifier_adds_no_domestic_abuse_to_a_text_that_names_no_relationship():
    """Domestic abuse needs a relationship: a model sure of domestic abuse in every sentence still adds none where the
    text names no partner, family member, child or domestic abuse term (the victim of a stranger), and does where it
    does."""
    always = Model("test", intercepts={"domestic_abuse": 6.0}, thresholds={"domestic_abuse": 0.5}, weights={})
    sure = Scanner(model=always)
    stranger = "She told police he followed her home from the pub three nights running."
    assert "domestic_abuse" not in {f.indicator for f in sure.scan(stranger)}
    for related in (
        "His ex says he followed her home from the pub three nights running.",
        "She told police he followed her home from the pub; the children were with her.",
        "Non-mol in place. She told police he followed her home from the pub.",
    ):
        assert "domestic_abuse.classifier" in {f.rule for f in sure.scan(related)}, related


# Try-out 11 (4 December): characters pasted text carries and nobody sees, and curly quotes, lost findings silently.
_INVISIBLES = ["\u0000", "\u0007", "\u001b", "\u00ad", "\u200b", "\u200d", "\u2060", "\ufeff"]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.tuples(st.integers(min_value=0, max_value=60), st.sampled_from(_INVISIBLES)), max_size=6),
)
def test_hidden_characters_change_no_finding_and_spans_stay_as_written(insertions):
    plain = "He punched his partner and threatened her with a knife."
    text = plain
    for position, char in sorted(insertions, reverse=True):
        text = text[:position] + char + text[position:]
    found = scan(text)
    assert {f.indicator for f in found} == {f.indicator for f in scan(plain)}
    for f in found:
        assert text[f.start : f.end] == f.text


@pytest.mark.parametrize(
    ("text", "indicator"),
    [
        ("He said \u201cI\u2019ll stab her\u201d when she left.", "threats"),
        ("He\u2019d batter the lad, he told staff.", "threats"),
        ("He said he\u2019ll shank anyone who grasses.", "threats"),
    ],
)
def test_curly_apostrophes_read_as_straight_ones(text, indicator):
    found = [f for f in scan(text) if f.indicator == indicator]
    assert found
    assert all(text[f.start : f.end] == f.text for f in found)


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("He disclosed he was sexually abused as a child by an uncle.", False),
        ("He was raped in prison in 2015 and has never told anyone.", False),
        ("He was convicted of rape in 2015.", True),
        ("The victim of the rape has asked for an exclusion zone.", True),
        ("She was raped by him in 2019.", True),
    ],
)
def test_sexual_harm_he_suffered_is_not_his(text, found):
    assert ("sexual_harm" in {f.indicator for f in _RULES_ONLY.scan(text)}) is found


# Written from the training writers' misses and false findings (4 December, evening): never from F, G, T or U.
@pytest.mark.parametrize(
    ("text", "indicator", "found"),
    [
        # blades and guns as work, a kitchen, a garden or a licence needs them
        ("Kitchen worker signed out a cook's knife and returned it at the end of shift.", "weapons", False),
        ("He came in with a cut to his finger from a filleting knife at work.", "weapons", False),
        ("Spent the afternoon sharpening the hedge trimmer blades for the allotment group.", "weapons", False),
        ("Firearms licensing rang about renewing his shotgun certificate for pest control.", "weapons", False),
        # another person's weapon
        ("Darnell's mate was found with a zombie knife at his ROTL address; Darnell was not there.", "weapons", False),
        ("His cellmate was found with a blade in the mattress.", "weapons", False),
        # ...but not when the words between make it his
        ("He sent her son a picture of himself holding a machete.", "weapons", True),
        ("His brother is holding a gun for him.", "weapons", True),
        ("He and his mate were found with knives in the car.", "weapons", True),
        ("He held a kitchen knife to her throat.", "weapons", True),
        # harm done to him, said as notes say it
        ("Tyrese assaulted in the showers by two lads from a rival postcode.", "violence", False),
        ("PoP stabbed in the leg outside the chippy, refusing to say who did it.", "violence", False),
        ("Male charged with threats to kill PoP after a row over money.", "threats", False),
        ("He stabbed her in the leg outside the chippy.", "violence", True),
        ("He would smash his mock exam, he said.", "threats", False),
    ],
)
def test_work_tools_other_peoples_weapons_and_harm_done_to_him(text, indicator, found):
    assert (indicator in {f.indicator for f in _RULES_ONLY.scan(text)}) is found


@pytest.mark.parametrize(
    ("text", "indicator"),
    [
        ('When charged with ABH he replied "she got what she asked for".', "pro_violence_attitudes"),
        ('He says the officer "deserved a jugging".', "pro_violence_attitudes"),
        ("He said \"I've never hit a woman who didn't deserve it\" and laughed.", "pro_violence_attitudes"),
        ('Jay still says "a slap never killed anyone".', "pro_violence_attitudes"),
        ("He says you don't let people take liberties.", "pro_violence_attitudes"),
        ('He told another resident "that\'s how you deal with a snake".', "pro_violence_attitudes"),
        ('Says his ex "wants stabbing" for taking the kids.', "pro_violence_attitudes"),
        ("She says \"she's lucky I didn't get her eyes\".", "callousness"),
        ("He took his wife's bank card and will not give it back.", "domestic_abuse"),
        ("He smirked when the injuries were read out.", "callousness"),
        ('About the dog he kicked: "it was a dog, get over it".', "callousness"),
    ],
)
def test_attitudes_callousness_and_control_in_the_words_records_use(text, indicator):
    assert indicator in {f.indicator for f in _RULES_ONLY.scan(text)}


@pytest.mark.parametrize(
    "text",
    [
        "She has asked for it to stop.",
        'He told the writer the victim "was lucky I didn\'t have a blade on me".',
    ],
)
def test_asking_for_it_to_stop_and_a_blade_he_did_not_have_are_not_findings(text):
    found = {f.indicator for f in _RULES_ONLY.scan(text)}
    assert "pro_violence_attitudes" not in found
    assert "weapons" not in found


def test_a_partner_named_just_after_the_act_makes_it_domestic_abuse():
    text = "He kept ringing Jo constantly and turned up at her work. She is his ex."
    found = [f for f in _RULES_ONLY.scan(text) if f.indicator == "domestic_abuse"]
    assert [f.rule for f in found] == ["domestic_abuse.partner_nearby"]
    assert "after" in found[0].why
    # a woman he pursues who is not said to be his partner is stalking, not domestic abuse
    assert "domestic_abuse" not in {f.indicator for f in _RULES_ONLY.scan(text.replace(" She is his ex.", ""))}


# Try-out 12 (a helper that had not read the code, 150 texts of its own): its false alarms and misses, as classes.
TWELFTH_TRYOUT = [
    # another person's weapon or violence, the person first
    ("Cellmate was found with a blade; X denies any knowledge.", "weapons", False),
    ("His mate pulled a gun during the row; X ran off.", "weapons", False),
    ("His older brother stabbed someone in 2019; PoP says he's nothing like him.", "violence", False),
    ("His cousin was charged with robbery; X was interviewed as a witness only.", "violence", False),
    ("SUBJ's son (15) was found with a zombie knife at school.", "weapons", False),
    # ...but his own with them, and a relative harmed where, not whom
    ("He and his brother stabbed a man outside the pub.", "violence", True),
    ("Mrs Akhtar states her son pushed her down the stairs.", "violence", True),
    ("SUBJ's 16 yr old nephew stabbed in Woolwich, police think in retaliation.", "violence", True),
    # a trade's or a hobby's blades and guns; deer stalking is not stalking
    ("He has a new job at a butcher's, uses boning knives all day.", "weapons", False),
    ("Angling licence checked; filleting knife in his tackle box.", "weapons", False),
    ("Holds a certificate for deer stalking; rifle stored in a locked cabinet.", "weapons", False),
    ("Holds a certificate for deer stalking; rifle stored in a locked cabinet.", "stalking", False),
    ("He stalked her for months after she left.", "stalking", True),
    # harm done to him, and a threat to himself, and the gym
    ("Subject glassed in the face at the Red Lion, refused to give a statement.", "violence", False),
    ("Beaten up by his dealer's runners last week and robbed of his phone.", "violence", False),
    ("Threatened to end it all by jumping off the bridge.", "threats", False),
    ("Keywork: he's smashing it at the gym, hit a new PB on bench.", "violence", False),
    # a partner named after the act by name; money and papers held
    ("He admits headbutting Ryan. Ryan is his husband.", "domestic_abuse", True),
    ("He slapped Nadia in the car. Nadia had been his wife for eleven years.", "domestic_abuse", True),
    ("Kyle pushed Amy down the stairs. Amy is his partner and mother of the two children.", "domestic_abuse", True),
    ("Kyle pushed Amy down the stairs. Amy is his partner and mother of the two children.", "violence", True),
    ("He punched Dean at the pub. Dean is a friend of his brother.", "domestic_abuse", False),
    ("He has taken out loans in his wife's name and keeps her passport.", "domestic_abuse", True),
    ("Partner disclosed he makes her hand over her Universal Credit payment.", "domestic_abuse", True),
    # the children saw it; a social worker seeing the children is not that
    ("Mum said he'd leathered her again last nite and the kids seen it.", "child_safeguarding", True),
    ("Children seen alone at school, no marks, they feel safe at his.", "child_safeguarding", False),
    # gloating and the street's rules as reported
    ("Said he was lucky he didn't finish the lad off and laughed about it.", "callousness", True),
    ("She said he gave a thumbs up to his family when the verdict was read.", "callousness", True),
    ("He says a grass gets what a grass gets.", "pro_violence_attitudes", True),
    # staff hearing voices is not his mental ill-health
    ("Staff heard raised voices from room 2.", "mental_health", False),
    # try-out 12's leftovers: his family beside him did it with him; a robbery at knifepoint and a mugging are
    # violence; "merked" reports a past act (violence), "get merked" threatens; "do him proper" is a threat
    ("He and his brother stabbed a man outside the pub.", "domestic_abuse", False),
    ("His cousin and him robbed a shop in 2018.", "domestic_abuse", False),
    ("He stabbed his brother during a row at their mum's.", "domestic_abuse", True),
    ("He robbed a taxi driver at knifepoint.", "violence", True),
    ("Mugged a student near the uni for his phone.", "violence", True),
    ("He was mugged at knifepoint last year.", "violence", False),
    ("He merked a lad from the other estate back in 2020, he says.", "violence", True),
    ("He merked a lad from the other estate back in 2020, he says.", "threats", False),
    ("Told the lad he'd get merked if he came back.", "threats", True),
    ("Said he would do him proper if he saw him again.", "threats", True),
]


def test_a_blade_named_by_its_use_and_a_charge_of_battery_are_never_vetoed():
    # the retrained classifier doubted both; the words name the harm
    assert names_itself("weapons", "stabbed")
    assert names_itself("violence", "charge of battery")
    assert "weapons" in indicators("He stabbed his wife in the kitchen.")


def test_a_name_is_never_given_as_a_word_that_drove_a_classifier_finding():
    # try-out 12: a reason said "the words that weighed most: 'kayden'"; a name weighs only because a training
    # writer used it
    assert _names_in("Said Kayden would do Liam proper when he sees Liam at Tesco.") == {"kayden", "liam", "tesco"}
    assert _names_in("He said I would be fine.") == frozenset()
    found = [f for t in ("Said Kayden would do Liam proper when he sees Liam.",) for f in scanner().scan(t)]
    assert all("'kayden'" not in f.why and "'liam'" not in f.why for f in found)


# Try-out 13 (a helper that had not read the code, 191 texts of its own): its misses and false alarms, as classes.
THIRTEENTH_TRYOUT = [
    # robbery of a person by its verb, a heading or "armed"; the one harmed named by role without "by him"
    ("He robbed a petrol station cashier.", "violence", True),
    ("He robbed the empty house next door.", "violence", False),
    ("Street robbery: victim punched and his phone taken by two males.", "violence", True),
    ("Victim kicked and his wallet taken by two males.", "violence", True),
    ("Arrested for the armed robbery of a post office.", "weapons", True),
    # past violence in the street's words
    ("Said he 'left him leaking' last year.", "violence", True),
    ("Said he 'left him leaking' last year.", "weapons", True),
    ("Bragged that he 'dropped' a man in Croydon with one punch.", "violence", True),
    ("He dropped him off at the station.", "violence", False),
    ("Says he 'proper laid him out' back in the day.", "violence", True),
    ("He laid out the plan for the week.", "violence", False),
    ("He used to 'do people over' for drug money.", "violence", True),
    ("Overheard saying he would 'wet him up'.", "weapons", True),
    # threats in slang with no verb of harm
    ("Says the lads who jumped him 'will get theirs'.", "threats", True),
    ("His mother reports he said his ex 'better watch herself'.", "threats", True),
    ("She said she'd better watch out for the bus.", "threats", False),
    ("He said he is 'not done with him, believe'.", "threats", True),
    # attitudes, and someone else's
    ("Said 'I ain't gonna lie I'd stab anyone who came at me'.", "pro_violence_attitudes", True),
    ("Believes fighting is the only way to sort out beef.", "pro_violence_attitudes", True),
    ("Believes fighting is the only way to sort out beef.", "violence", False),
    ("He said his mate thinks violence is the answer but he doesn't agree with that.", "pro_violence_attitudes", False),
    # acquitted; tyres; a relative or a patient harmed; a toy
    ("The jury acquitted you of the s18 wounding.", "violence", False),
    ("His ex-partner's car tyres were slashed overnight. He denies involvement.", "weapons", False),
    ("His ex-partner's car tyres were slashed overnight. He denies involvement.", "violence", False),
    ("His brother was stabbed in Peckham last month.", "weapons", False),
    ("A&E: patient had been stabbed in the thigh during an altercation.", "violence", False),
    ("A&E: patient had been stabbed in the thigh during an altercation.", "weapons", False),
    ("He bought her a toy gun and a pirate sword for her birthday.", "weapons", False),
    # a child named with an age harmed by someone named after it; pursuit by behaviour
    ("Lewis, 14, disclosed that his stepdad 'battered' him with a belt last weekend.", "child_safeguarding", True),
    ("Zainab says Mohammed kept following her from Rusholme to Levenshulme.", "stalking", True),
    ("Ex-partner Stacey reports he turned up drunk at her mum's.", "stalking", True),
]


# Try-out 14 (a helper that had not read the code, 188 texts of its own): its classes, fixed.
FOURTEENTH_TRYOUT = [
    ("He threatened to take the landlord to court.", "threats", False),
    ("He threatened to go to the papers about the hostel.", "threats", False),
    ("He threatened to make a complaint about his officer.", "threats", False),
    ("He threatened to take her to the woods and bury her.", "threats", True),
    ("Child protection plan ended in March, no safeguarding concerns.", "child_safeguarding", False),
    ("The children are subject to a child protection plan under neglect.", "child_safeguarding", True),
    ("He said violence is never the answer.", "pro_violence_attitudes", False),
    ("He said violence is the answer.", "pro_violence_attitudes", True),
    ("Q. Any self-harm in custody? A. No.", "mental_health", False),
    ("Word is he has put money on his head.", "threats", True),
    ("Not been right in the head since his brother died.", "mental_health", True),
    ("He says he doesn't want to wake up some days.", "mental_health", True),
    # a partner named as his by name further back, and harmed by that name (5 December)
    (
        "His partner Kayleigh has three children. Neighbours heard shouting. Police were called after he punched "
        "Kayleigh.",
        "domestic_abuse",
        True,
    ),
    ("He lives with his ex-partner, Jade, and her mother. On 3 May he hit Jade with a belt.", "domestic_abuse", True),
    (
        "Kayleigh is his girlfriend. They argued about money. Later he threatened to stab Kayleigh.",
        "domestic_abuse",
        True,
    ),
    ("His ex, Jade, lives nearby. He sent Jade forty messages and waited outside Jade's work.", "domestic_abuse", True),
    ("His ex-partner Kayleigh's new boyfriend Dan was at the flat. He punched Dan.", "domestic_abuse", False),
    ("Her new partner Dan was present at the flat. He punched Dan.", "domestic_abuse", False),
    ("His partner Kayleigh supports him. His friend said he hit Kayleigh's brother.", "domestic_abuse", False),
    ("His partner Kayleigh was at work. He punched a man called Steve in the pub.", "domestic_abuse", False),
]


# Try-out 15 (a helper that had not read the code, 64 texts on partners named by name): its classes, fixed.
FIFTEENTH_TRYOUT = [
    ("His partner Jo is at work most days. His sister Sue came round. He punched her.", "domestic_abuse", False),
    ("His partner Jo is at work. He met a woman called Sue in the pub. He punched her.", "domestic_abuse", False),
    ("His partner Jo is at work most days. He punched her.", "domestic_abuse", True),
    ("His partner Jo is the mother of his children. He punched her.", "domestic_abuse", True),
    (
        "His partner Olivia is a nurse. Her friend Megan was at the flat. He slapped Megan after she swore.",
        "domestic_abuse",
        False,
    ),
    ("He hit Holly with a hairbrush.", "violence", True),
    ("CCTV shows him shoving Stacey into the wall.", "violence", True),
    ("He kicked Priya in the stomach.", "violence", True),
    ("He knocked Sarah's door at 2am asking for money.", "violence", False),
    ("He rushed Jamie to hospital after the fall.", "violence", False),
]


@pytest.mark.parametrize(
    ("text", "indicator", "found"), [*TWELFTH_TRYOUT, *THIRTEENTH_TRYOUT, *FOURTEENTH_TRYOUT, *FIFTEENTH_TRYOUT]
)
def test_the_try_outs_classes(text, indicator, found):
    """Try-outs 12 to 15: each text is found (or correctly not found) as the try-out's class says, by the rules."""
    assert (indicator in {f.indicator for f in _RULES_ONLY.scan(text)}) is found


@pytest.mark.parametrize(
    "text",
    [
        "Kayleigh is his girlfriend. They argued about money. Later he threatened to stab Kayleigh.",
        "His partner Gemma lives with him. He is on tag. He is not engaging with ETE. He grabbed Gemma by the neck.",
    ],
)
def test_a_partner_named_by_name_and_harmed_by_that_name_is_never_vetoed(text):
    """The record says who she is: the shipped classifier may not drop the join (try-out 15 found it vetoed)."""
    found = [f for f in scanner().scan(text) if f.indicator == "domestic_abuse"]
    assert [f.rule for f in found] == [lx.PARTNER_BY_NAME.id]


@pytest.mark.parametrize(
    ("indicator", "words"),
    [
        ("violence", "attack"),
        ("violence", 'leathered" his cousin'),
        ("violence", "jumped a lad"),
        ("violence", "robbery"),
        ("weapons", "with a bat"),
        ("weapons", "at knifepoint"),
        ("threats", "dead man"),
        ("domestic_abuse", "threatened his missus"),
        ("domestic_abuse", "Dom call"),
        ("domestic_abuse", "would kill his ex-partner"),  # CI: the POM form's threats answer lost its partner
        ("stalking", "messaging the victim"),
        ("stalking", "written to the victim"),
        ("callousness", "laughed about"),
    ],
)
def test_words_that_name_the_harm_are_never_vetoed_since_the_night_of_4_december(indicator, words):
    """The classifier retrained on written texts only vetoed these in the team's own tests and corpus."""
    assert names_itself(indicator, words)


def test_a_place_where_children_are_in_an_orders_breach_is_a_child_at_risk_the_classifier_cannot_veto():
    found = indicators("Seen on CCTV outside a primary school. He is subject to an SHPO.")
    assert {"child_safeguarding", "order_breach"} <= found


@pytest.mark.parametrize(
    ("text", "rule", "words"),
    [
        # a look-ahead word ("!'s", "!back") is checked, never part of the finding's words
        ("He punched Dan.", "violence.harm_person", "punched Dan"),
        ("He punched Kayleigh in the face.", "violence.harm_person", "punched Kayleigh"),
        # ...and a match that ends the record has nothing after it to check
        ("He said she was asking for it", "pro_violence_attitudes.blames", "was asking for it"),
        ("Said he would shank", "threats.stated_intent", "would shank"),
        ("He punched Dan", "violence.harm_person", "punched Dan"),
    ],
)
def test_a_look_ahead_is_not_part_of_a_findings_words_and_a_match_may_end_the_text(text, rule, words):
    found = [f.text for f in Scanner().scan(text) if f.rule == rule]
    assert found == [words]


@pytest.mark.parametrize(
    "text",
    ["He knocked Sarah's door.", "He slapped Sarah’s car.", "He said she asked for it back.", "He shanks himself"],
)
def test_a_look_ahead_still_refuses_its_words(text):
    rules = {"violence.harm_person", "callousness.blames_minimises", "threats.stated_intent"}
    assert not [f for f in Scanner().scan(text) if f.rule in rules]

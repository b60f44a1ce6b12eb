"""Find serious-harm indicators in free text, with the exact span and the rule that matched.

spaCy (blank English: tokenizer and sentencizer, no model download) runs the lexicon's token patterns through its
rule `Matcher`; a NegEx-style pass (Chapman et al. 2001) drops findings that are negated ("no weapons were found"),
hypothetical ("if he were to...") or where the person is the one harmed ("assaulted by another resident").
Everything is explainable: each finding names its rule and why the rule exists.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from functools import cache
from typing import Any

import spacy
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc, Span, Token
from spacy.util import filter_spans

from keepsafe.records.rules import lexicon as lx
from keepsafe.records.rules.classifier import (
    PARTNER_WORDS,
    Model,
    context_features,
    proper_names,
    reference_features,
    rule_features,
    shipped_model,
)
from keepsafe.records.rules.indicators import INDICATORS

TokenSpec = dict[str, Any]


@dataclass(frozen=True)
class Finding:
    indicator: str
    start: int  # character offsets into the scanned text
    end: int
    text: str
    rule: str
    why: str


@dataclass(frozen=True)
class SentenceReading:
    """One sentence as the scanner read it: where it is, its words, the classifier's context and rule features,
    and the curated rules' findings in it."""

    start: int
    end: int
    text: str
    words: list[str]
    context: tuple[str, ...]
    findings: tuple[Finding, ...]
    # indicators a rule matched here and the context cancelled (negated, hypothetical...), and those the sentence
    # describes complying with (`lexicon.COMPLIANCE`): the classifier may add none of them
    cancelled: frozenset[str]
    heading: bool = False  # a line that is only "Heading:" (its own words are read, as a person's heading may say much)


class PatternError(ValueError):
    pass


THEN_NOT = "|then-not:"  # a rule's match key with the words that may not follow its match


@Language.component("keepsafe_line_breaks")
def _line_breaks(doc: Doc) -> Doc:
    """A line break ends a sentence: notes and forms are often lines without full stops ("None known")."""
    for token in doc[:-1]:
        if token.is_space and "\n" in token.text:
            doc[token.i + 1].is_sent_start = True
    return doc


class Scanner:
    def __init__(self, rules: Sequence[lx.Rule] = lx.RULES, model: Model | None = None) -> None:
        """`model`: the statistical layer (classifier.py); None scans with the curated rules alone."""
        self.model = model
        self.nlp = spacy.blank("en")
        self.nlp.add_pipe("keepsafe_line_breaks")
        self.nlp.add_pipe("sentencizer")
        self.rules = {rule.id: rule for rule in rules}
        # spaCy's Matcher tries every pattern at every token, so each rule gets its own matcher, run only on texts
        # containing a word one of its patterns can start with (None: a pattern can start anywhere).
        self.rule_matchers: list[tuple[frozenset[str] | None, Matcher]] = []
        # a look-ahead pattern's match key: its rule's key and the words that may not follow (`_looked_ahead`)
        self.look_aheads: dict[int, tuple[int, frozenset[str]]] = {}
        for rule in rules:
            # A pattern's last word "!x|y" is a look-ahead: the word after the match may not be x or y, and the
            # match may end the text. It is checked after matching (`_looked_ahead`) so that it is not part of the
            # finding's words ("he punched Dan", not "he punched Dan.") and "she was asking for it" ends a record.
            matcher = Matcher(self.nlp.vocab)
            specs = []
            plain = []
            for p in rule.patterns:
                if not _look_ahead(p):
                    plain += self._compile(p)
                    continue
                body, last = p.rsplit(" ", 1)
                key = f"{rule.id}{THEN_NOT}{last[1:]}"
                matcher.add(key, compiled := self._compile(body))
                self.look_aheads[self.nlp.vocab.strings[key]] = (
                    self.nlp.vocab.strings.add(rule.id),
                    frozenset(last[1:].split("|")),
                )
                specs += compiled
            if plain:
                matcher.add(rule.id, plain)
            specs += plain
            starts = [_first_words(s) for s in specs]
            anchors = None if any(s is None for s in starts) else frozenset().union(*(s for s in starts if s))
            self.rule_matchers.append((anchors, matcher))
        self.cues = Matcher(self.nlp.vocab)
        # Exclusions run only on a text with a candidate of their indicator.
        self.exclusions: dict[str, Matcher] = {}
        for indicator, patterns in lx.EXCLUSIONS.items():
            self.exclusions[indicator] = Matcher(self.nlp.vocab)
            self.exclusions[indicator].add(
                f"EXCLUDE:{indicator}", [spec for p in patterns if not p.startswith("<!") for spec in self._compile(p)]
            )
            # "<!and|with another resident hit him": a cue that counts only where the word before it is none of
            # these ("Obi and another prisoner jumped a lad" is his act too)
            for p in patterns:
                if p.startswith("<!"):
                    first, rest = p.split(" ", 1)
                    self.exclusions[indicator].add(f"EXCLUDE:{indicator}|not-after:{first[2:]}", self._compile(rest))
        # What a sentence of compliance may not gain from the classifier (`lexicon.COMPLIANCE`).
        self.compliance = Matcher(self.nlp.vocab)
        compliance_specs = []
        for indicator, patterns in lx.COMPLIANCE.items():
            specs = [spec for p in patterns for spec in self._compile(p)]
            self.compliance.add(f"COMPLIES:{indicator}", specs)
            compliance_specs += specs
        # ...run only on a text containing a word one of its patterns starts with, as the rules are
        starts = [_first_words(spec) for spec in compliance_specs]
        self.compliance_anchors = (
            None if any(s is None for s in starts) else frozenset().union(*(s for s in starts if s))
        )
        for name, patterns in (
            ("NEG_AFTER_FAR", lx.NEGATION_AFTER_FAR),
            ("NEG_BEFORE", lx.NEGATION_BEFORE),
            ("NEG_AFTER", lx.NEGATION_AFTER),
            ("PSEUDO", lx.PSEUDO_NEGATION),
            ("HYPO_BEFORE", lx.HYPOTHETICAL_BEFORE),
            ("HYPO_AFTER", lx.HYPOTHETICAL_AFTER),
            ("EXP_BEFORE", lx.EXPERIENCER_BEFORE),
            ("EXP_AFTER", lx.EXPERIENCER_AFTER),
        ):
            self.cues.add(name, [spec for p in patterns for spec in self._compile(p)])

    def _looked_ahead(self, doc: Doc, matches: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
        """The rules' matches with each look-ahead checked: one whose next word is a forbidden one is dropped, the
        rest counted as matches of their rule."""
        kept: dict[tuple[int, int, int], None] = {}
        for key, start, end in matches:
            if (ahead := self.look_aheads.get(key)) is None:
                kept[(key, start, end)] = None
            elif end == len(doc) or doc[end].lower_ not in ahead[1]:
                kept[(ahead[0], start, end)] = None
        return list(kept)

    def _compile(self, pattern: str) -> list[list[TokenSpec]]:
        """One lexicon pattern to spaCy token patterns (several when an alternative spans more than one token)."""
        positions: list[list[list[TokenSpec]]] = []
        for raw in pattern.split():
            optional = raw.endswith("?") and len(raw) > 1
            word = raw[:-1] if optional else raw
            op: TokenSpec = {"OP": "?"} if optional else {}
            if gap := re.fullmatch(r"_\{(\d+),(\d+)\}", word):
                positions.append([[{"OP": f"{{{gap[1]},{gap[2]}}}"}]])
            elif word == "_":
                positions.append([[dict(op)]])
            elif word == "#":
                positions.append([[{"LIKE_NUM": True, **op}]])
            elif word == "^":
                positions.append([[{"IS_TITLE": True, "LOWER": {"NOT_IN": sorted(lx.NOT_NAMES)}, **op}]])
            elif word.startswith("!"):
                positions.append([[{"LOWER": {"NOT_IN": word[1:].split("|")}, **op}]])
            else:
                positions.append(self._alternatives(word.split("|"), op, pattern))
        combos = [[spec for seq in combo for spec in seq] for combo in itertools.product(*positions)]
        return [variant for specs in combos for variant in _exact_start(specs)]

    def _alternatives(self, alternatives: list[str], op: TokenSpec, pattern: str) -> list[list[TokenSpec]]:
        single: list[str] = []
        prefixes: list[str] = []
        variants: list[list[TokenSpec]] = []
        expanded: list[str] = []
        for alt in alternatives:
            expanded += sorted(lx.inflections(alt[1:])) if alt.startswith("~") and len(alt) > 1 else [alt]
        for alt in expanded:
            if not alt:
                raise PatternError(f"empty alternative in lexicon pattern {pattern!r}")
            if alt.endswith("*"):
                prefixes.append(alt[:-1].lower())
                continue
            pieces = [t.lower_ for t in self.nlp.tokenizer(alt.replace("+", " "))]
            if len(pieces) == 1:
                single.append(pieces[0])
            elif op:
                raise PatternError(f"optional {alt!r} in {pattern!r} must be a single token")
            else:
                variants.append([{"LOWER": piece} for piece in pieces])
        if prefixes:
            words = [re.escape(w) for w in single] + [re.escape(p) + ".*" for p in prefixes]
            variants.append([{"LOWER": {"REGEX": f"^(?:{'|'.join(words)})$"}, **op}])
        elif single:
            variants.append([{"LOWER": {"IN": single}, **op}])
        return variants

    def scan(self, text: str) -> list[Finding]:
        return next(self.scan_many([text]))

    def scan_many(self, texts: Iterable[str], batch_size: int = 256) -> Iterator[list[Finding]]:
        """Findings of each text, in order. A text longer than `PIECE_CHARS` is read in pieces cut at a line or
        sentence end (spaCy refuses a text over its limit, and one pasted document must not stop the rest), its
        findings given at their offsets in the whole text."""

        originals: dict[int, tuple[str, list[int] | None]] = {}

        def pieces() -> Iterator[tuple[str, tuple[int, bool, int]]]:
            for number, text in enumerate(texts):
                clean, index = normalised(text)
                if clean is not text:
                    originals[number] = (text, index)
                cut = text_pieces(clean)
                for piece_number, (offset, piece) in enumerate(cut):
                    yield piece, (offset, piece_number == len(cut) - 1, number)

        found: list[Finding] = []
        for doc, (offset, last, number) in self.nlp.pipe(pieces(), batch_size=batch_size, as_tuples=True):
            findings = self._findings(doc)
            found += [replace(f, start=f.start + offset, end=f.end + offset) for f in findings] if offset else findings
            if last:
                if number in originals:
                    # Offsets and words as the person wrote them, hidden characters and curly quotes included.
                    text, index = originals.pop(number)
                    found = [_as_written(f, text, index) for f in found]
                yield sorted(found, key=lambda f: (f.start, f.indicator)) if offset else found
                found = []

    def _findings(self, doc: Doc) -> list[Finding]:
        if self.model is None:
            read = [(r.heading, list(r.findings)) for r in self.read(doc, rules_only=True)]
        else:
            read = [(r.heading, self._combined(r)) for r in self.read(doc)]
        return sorted(_without_repeated_headings(read), key=lambda f: (f.start, f.indicator))

    def read(self, doc: Doc, rules_only: bool = False) -> Iterator[SentenceReading]:
        """Each sentence a person wrote (form headings and "None known" answers left out), with what the rules found
        in it and the features the classifier reads. `rules_only`: only sentences where a rule matched."""
        words = {t.lower_ for t in doc}
        matches = self._looked_ahead(
            doc,
            [m for anchors, matcher in self.rule_matchers if anchors is None or anchors & words for m in matcher(doc)],
        )
        if not matches and rules_only:
            return
        cues: dict[str, list[Span]] = {}
        if matches:
            candidates = {self.rules[self.nlp.vocab.strings[m]].indicator for m, _, _ in matches}
            for matcher in [self.cues, *(m for i, m in self.exclusions.items() if i in candidates)]:
                for match_id, start, end in matcher(doc):
                    name = self.nlp.vocab.strings[match_id]
                    if "|not-after:" in name:
                        name, not_after = name.split("|not-after:")
                        if start > 0 and doc[start - 1].lower_ in not_after.split("|"):
                            continue
                    cues.setdefault(name, []).append(Span(doc, start, end))
        sentences = list(doc.sents)
        # Matches and cues by the sentence they start in, so each sentence looks only at its own (a long text was
        # quadratic: every sentence filtered every match of the text).
        sentence_of = [0] * len(doc)
        for n, whole in enumerate(sentences):
            sentence_of[whole.start : whole.end] = [n] * (whole.end - whole.start)
        matches_in: list[list[tuple[int, int, int]]] = [[] for _ in sentences]
        for match in matches:
            matches_in[sentence_of[match[1]]].append(match)
        cues_in: list[dict[str, list[Span]]] = [{} for _ in sentences]
        for name, spans in cues.items():
            for span in spans:
                cues_in[sentence_of[span.start]].setdefault(name, []).append(span)
        words_of = [[t.lower_ for t in sent if not t.is_space] for sent in sentences]
        words_of_all = [list(w) for w in words_of]  # as written, before form headings and "none" answers are blanked
        partners = _partners_named(sentences) if words & PARTNER_WORDS else []
        complies_in: list[set[str]] = [set() for _ in sentences]
        if not rules_only and (self.compliance_anchors is None or self.compliance_anchors & words):
            for match_id, start, _ in self.compliance(doc):
                complies_in[sentence_of[start]].add(self.nlp.vocab.strings[match_id].split(":", 1)[1])
        found_in: list[set[str]] = [set() for _ in sentences]
        # Orders are looked for only in a text where an act that needs one, or stalking, matched (the hot path).
        needs_order = any(
            (rule := self.rules[self.nlp.vocab.strings[m]]).near_order or rule.indicator == "stalking"
            for m, _, _ in matches
        )
        order_near = _orders_near(sentences) if needs_order else [False] * len(sentences)
        # Inline answers of "none" are found over the whole text: a questionnaire's "(... anyone else?) - no" spans
        # the sentence break spaCy puts after its question mark.
        voids = (
            [(m.start(), m.end()) for m in _INLINE_NONE.finditer(doc.text)]
            if any(sep in doc.text for sep in _INLINE_SEPARATORS)  # every inline answer follows a separator
            else []
        )
        not_his = (
            _not_his(sentences, matches_in, self.rules, self.nlp.vocab.strings) if _NOT_HIS.search(doc.text) else []
        )
        # Domestic abuse needs a relationship: in a text that names no partner, family member, child or domestic abuse
        # term at all, the classifier may not add it ("she says he followed her home from the pub": a stranger).
        unrelated = frozenset() if _RELATIONSHIP.search(doc.text) else frozenset({"domestic_abuse"})
        for n, whole in enumerate(sentences):
            # Forms are not evidence: a heading Keepsafe (or a partner's form) wrote is not what a person said, and a
            # "None known" answer says nothing was found.
            answer_start, is_none = form_answer(whole.text)
            if is_none:
                words_of[n] = []
                continue
            heading = heading_only(whole.text)
            answered_none = n + 1 < len(sentences) and form_answer(sentences[n + 1].text)[1]
            if (heading is not None and (heading in FORM_HEADINGS or answered_none)) or (
                answered_none and len(whole.text.split()) <= 8 and _LABEL_LINE.match(whole.text)
            ):
                # A heading on a line of its own ("Threats:" with the answer below) is the form's text, not evidence.
                words_of[n] = []
                continue
            sent = whole
            if answer_start:
                sent = doc[_first_token_at(whole, whole.start_char + answer_start) : whole.end]
                words_of[n] = [t.lower_ for t in sent if not t.is_space]
            void = [(a, b) for a, b in voids if a < whole.end_char and whole.start_char < b]
            if void:
                # the words of a heading answered "none" are not the classifier's evidence either
                words_of[n] = [t.lower_ for t in sent if not t.is_space and not any(a <= t.idx < b for a, b in void)]
            in_sentence = [
                (rule, Span(doc, s, e))
                for rule, s, e in ((self.rules[self.nlp.vocab.strings[m]], s, e) for m, s, e in matches_in[n])
                if sent.start <= s
                and e <= sent.end
                and (order_near[n] or not rule.near_order)
                and not any(a <= doc[s].idx and doc[e - 1].idx < b for a, b in void)
            ]
            if rules_only and not in_sentence and heading is None:
                continue
            from_rules = self._sentence(doc, whole, in_sentence, cues_in[n]) if in_sentence else []
            from_rules += self._partner_nearby(sent, from_rules, words_of[max(0, n - 2) : n])
            if n + 1 < len(sentences) and _says_who_she_is(words_of[n + 1]):
                # ...or named just after ("He kept ringing Jo and turned up at her work. She is his ex."; "He admits
                # headbutting Ryan. Ryan is his husband.": the name the next sentence starts with stands for "her")
                who = next((t for t in sentences[n + 1] if not t.is_space), None)
                named = frozenset({who.lower_}) if who is not None and who.is_title else frozenset()
                from_rules += self._partner_nearby(sent, from_rules, words_of[n + 1 : n + 2], named)
            if earlier := [(m, name) for m, name in partners if m < n]:
                # ...or named by name as his partner anywhere earlier in the record, and harmed here by that name
                # ("His partner Kayleigh ... Police were called after he punched Kayleigh"; try-out 14 of issue 13)
                introduced = [words_of_all[m] for m in sorted({m for m, _ in earlier})]
                named = frozenset(name for _, name in earlier)
                from_rules += self._partner_nearby(sent, from_rules, introduced, named, by_name=True)
            if order_near[n]:
                from_rules += _stalking_near_order(from_rules)
            someone_elses = frozenset(lx.NOT_HIS_INDICATORS) if not_his and not_his[n] else frozenset()
            if someone_elses:
                # the record says this harm is someone else's: neither the rules nor the classifier find it here
                from_rules = [f for f in from_rules if f.indicator not in someone_elses]
            found_in[n] = {f.indicator for f in from_rules}
            if not words_of[n]:
                continue
            text = sent.text.rstrip()
            start = sent.start_char + (len(text) - len(text.lstrip()))
            previous = words_of[max(0, n - 2) : n]
            context = (
                *context_features(previous),
                *rule_features(
                    found_in[n],
                    {rule.indicator for rule, _ in in_sentence},
                    {f.rule for f in from_rules},
                    set().union(*found_in[max(0, n - 2) : n]),
                ),
            )
            yield SentenceReading(
                start=start,
                end=start + len(text.strip()),
                text=text.strip(),
                words=words_of[n],
                context=(*context, *reference_features(words_of[n], context)),
                findings=tuple(from_rules),
                cancelled=frozenset(
                    ({rule.indicator for rule, _ in in_sentence} | complies_in[n] | someone_elses | unrelated)
                    - found_in[n]
                ),
                heading=heading is not None,
            )

    def _combined(self, reading: SentenceReading) -> list[Finding]:
        """The rules' findings the classifier does not veto (never one whose words name the harm itself,
        `names_itself`), and what the classifier adds where the rules found nothing of that indicator (its finding
        covers the sentence and names the words that drove it)."""
        assert self.model is not None
        verdicts = {v.indicator: v for v in self.model.assess(reading.words, reading.context)}
        # A place where children are, in the same words as an order's breach ("Seen on CCTV outside a primary
        # school. He is subject to an SHPO."), is a child at risk the classifier may not veto: the order says so.
        by_order = [f for f in reading.findings if f.indicator == "order_breach"]
        findings = [
            f
            for f in reading.findings
            if f.indicator not in verdicts
            or verdicts[f.indicator].probability >= self.model.vetoes[f.indicator]
            or names_itself(f.indicator, f.text)
            or f.rule == lx.PARTNER_BY_NAME.id  # named as his partner, harmed by that name: the record says who she is
            or (f.indicator == "child_safeguarding" and any(o.start <= f.start and f.end <= o.end for o in by_order))
        ]
        # What the rules saw and cancelled (negated, hypothetical, his own harm, excluded) the classifier may not
        # bring back: the explainable context rules have the last word on "no evidence that he has used drugs".
        have = {f.indicator for f in reading.findings} | reading.cancelled
        for indicator, verdict in verdicts.items():
            if indicator in have or indicator not in INDICATORS:
                continue
            if verdict.probability < self.model.thresholds[indicator]:
                continue
            names = _names_in(reading.text)
            drivers = ", ".join(f"'{w}'" for w, _ in verdict.drivers if w not in names) or "the sentence as a whole"
            why = (
                f"the statistical classifier judged this sentence to describe "
                f"{INDICATORS[indicator].split(':')[0].lower()} (probability {verdict.probability:.2f}"
                f"{WEAK if verdict.probability < WEAK_BELOW else ''}); the words that weighed most: {drivers}"
            )
            findings.append(
                Finding(indicator, reading.start, reading.end, reading.text, f"{indicator}.classifier", why)
            )
        if "domestic_abuse" not in {f.indicator for f in findings}:
            findings += _partner_classified(reading, findings)
        return findings

    def _partner_nearby(
        self,
        sent: Span,
        findings: list[Finding],
        previous: list[list[str]],
        named: frozenset[str] = frozenset(),
        by_name: bool = False,
    ) -> list[Finding]:
        """A partner named in the sentences just before and "her"/"she" harmed in this one is domestic abuse; so is
        one named just after, by "she" or by the name the sentence after starts with (`named`). `by_name`: only the
        name stands for the partner (named as his partner further back in the record, where "her" may be anyone)."""
        if any(f.indicator == "domestic_abuse" for f in findings):
            return []
        harms = [f for f in findings if f.indicator in lx.PARTNER_HARMS]
        if not harms or "x:partner" not in context_features(previous):
            return []
        pronouns = [
            t
            for t in sent
            if (t.lower_ in lx.PARTNER_PRONOUNS and not by_name)
            # the partner herself, not "Kayleigh's brother"
            or (t.lower_ in named and t.is_title and not _someone_of(t))
        ]
        if not pronouns:
            return []
        t = pronouns[0]
        if not by_name:
            # another woman brought in after the partner was named, or before "her" here: "her" may be her
            words = [w for sentence in previous for w in sentence]
            last = max((i for i, w in enumerate(words) if w in PARTNER_WORDS), default=-1)
            between = {*words[last + 1 :], *(u.lower_ for u in sent if u.i < t.i)}
            if lx.OTHER_WOMEN & between:
                return []
        rule = lx.PARTNER_BY_NAME if by_name else lx.PARTNER_NEARBY
        # The finding runs from "her"/"she" to the nearest harm in the sentence (the harm done to her).
        harm = min(harms, key=lambda f: abs(f.start - t.idx))
        start, end = min(t.idx, harm.start), max(t.idx + len(t.text), harm.end)
        return [Finding("domestic_abuse", start, end, sent.doc.text[start:end], rule.id, rule.why)]

    def _sentence(
        self, doc: Doc, sent: Span, candidates: list[tuple[lx.Rule, Span]], cues: dict[str, list[Span]]
    ) -> list[Finding]:
        def within(name: str) -> list[Span]:
            return [c for c in cues.get(name, []) if sent.start <= c.start and c.end <= sent.end]

        pseudo = within("PSEUDO")
        matched = [span for _, span in candidates]

        def live(cue_list: list[Span]) -> list[Span]:
            # A cue inside a finding is part of it ("no remorse", "without emotion"), not a negation of others;
            # a cue overlapping a pseudo-negation ("no further action") is not a cue at all.
            return [
                c
                for c in cue_list
                if not any(s.start <= c.start and c.end <= s.end for s in matched)
                and not any(c.start < p.end and p.start < c.end for p in pseudo)
            ]

        neg_before, neg_after = live(within("NEG_BEFORE")), live(within("NEG_AFTER"))
        neg_far = live(within("NEG_AFTER_FAR"))
        hypo_before, hypo_after = live(within("HYPO_BEFORE")), live(within("HYPO_AFTER"))
        exp_before, exp_after = within("EXP_BEFORE"), within("EXP_AFTER")

        quotes = [t.i for t in sent if t.text in lx.QUOTE_MARKS]

        def clear(start: int, end: int, clauses: bool) -> bool:
            # A new clause ends a negation's reach ("not eating, and has thought about taking an overdose"); a
            # conditional's reaches over its comma ("if he relapses, he may hit her"). So does the end of the words
            # he said: the "no" of "tag or no tag" is his, not a negation of what follows the closing quote.
            if clauses and quotes:
                opened = sum(1 for q in quotes if q < start) % 2 == 1
                if opened and any(start <= q < end for q in quotes):
                    return False
            return not any(
                t.lower_ in lx.TERMINATORS
                or (
                    clauses
                    and t.lower_ in lx.CLAUSE_STARTS
                    and t.i + 1 < end
                    and doc[t.i + 1].lower_ in lx.CLAUSE_STARTS[t.lower_]
                )
                for t in doc[start:end]
            )

        def before(cue_list: list[Span], span: Span, window: int, clauses: bool = True) -> bool:
            return any(
                c.end <= span.start and span.start - c.end <= window and clear(c.end, span.start, clauses)
                for c in cue_list
            )

        def after(cue_list: list[Span], span: Span, window: int, clauses: bool = True) -> bool:
            return any(
                c.start >= span.end and c.start - span.end <= window and clear(span.end, c.start, clauses)
                for c in cue_list
            )

        # A threat he stated stands though it was conditional ("he said if she leaves he will kill her"), and so
        # does an attitude he stated ("he believes if someone disrespects you, you have to hurt them").
        said = _THREAT_SPEECH.search(sent.text) is not None and _THREAT_ADVICE.search(sent.text) is None
        stated = said and any(rule.id in lx.STATED_THREATS for rule, _ in candidates)
        attitude_stated = any(rule.indicator in lx.STATED_ATTITUDES for rule, _ in candidates) and (
            said or (_ATTITUDE_SPEECH.search(sent.text) is not None and _THREAT_ADVICE.search(sent.text) is None)
        )
        kept: list[tuple[lx.Rule, Span]] = []
        for rule, span in candidates:
            if any(c.start < span.end and span.start < c.end for c in within(f"EXCLUDE:{rule.indicator}")):
                continue
            if before(neg_before, span, lx.NEGATION_WINDOW) or after(neg_after, span, lx.POST_WINDOW):
                continue
            if after(neg_far, span, lx.NEGATION_AFTER_FAR_WINDOW):
                continue
            if (
                before(hypo_before, span, lx.HYPOTHETICAL_WINDOW, clauses=False)
                or after(hypo_after, span, lx.POST_WINDOW, clauses=False)
            ) and not (
                ((rule.id in lx.STATED_THREATS or rule.requires) and stated)
                or (rule.indicator in lx.STATED_ATTITUDES and attitude_stated)
            ):
                continue
            if rule.indicator in lx.EXPERIENCER_INDICATORS and (
                before(exp_before, span, lx.EXPERIENCER_WINDOW) or after(exp_after, span, 0)
            ):
                continue
            kept.append((rule, span))
        kept = [
            (rule, span)
            for rule, span in kept
            # a blow named inside an attitude's words is the attitude ("deserves a smack for making me wait": the
            # harm verb's object may run past the attitude's last word)
            if not any(
                other.indicator == lx.SUBSUMED_BY.get(rule.indicator)
                and other_span.start <= span.start < other_span.end
                for other, other_span in kept
            )
        ]
        present = {rule.indicator for rule, _ in kept if not rule.requires}
        kept = [(rule, span) for rule, span in kept if not rule.requires or rule.requires & present]
        # A partner named as the one harmed: the finding covers the partner and the nearest harm done to her (the
        # harm against a partner is the domestic abuse; the annotation conventions of issue 13's corpora label it).
        kept = [
            (rule, _with_nearest(doc, span, [s for r, s in kept if r.indicator in rule.requires]))
            if rule.requires
            else (rule, span)
            for rule, span in kept
        ]
        findings: list[Finding] = []
        for indicator, group in itertools.groupby(
            sorted(kept, key=lambda k: k[0].indicator), key=lambda k: k[0].indicator
        ):
            pairs = list(group)
            rule_of = {(s.start, s.end): r for r, s in pairs}
            merged: list[tuple[lx.Rule, Span]] = []
            for span in sorted(filter_spans([s for _, s in pairs]), key=lambda s: s.start):
                # Touching spans of one indicator are one finding ("crack" + "cocaine" is "crack cocaine").
                if merged and merged[-1][1].end == span.start:
                    # ...named by the rule that reads it alone rather than by one that needs an order nearby
                    first, second = merged[-1][0], rule_of[(span.start, span.end)]
                    rule = second if first.near_order and not second.near_order else first
                    merged[-1] = (rule, doc[merged[-1][1].start : span.end])
                else:
                    merged.append((rule_of[(span.start, span.end)], span))
            for rule, matched_span in merged:
                span = (
                    _threat_said(doc, sent, matched_span, quotes) if rule.id in lx.THREAT_WORD_RULES else matched_span
                )
                findings.append(Finding(indicator, span.start_char, span.end_char, span.text, rule.id, rule.why))
        return findings


def _threat_said(doc: Doc, sent: Span, span: Span, quotes: Sequence[int]) -> Span:
    """A threat named by the word ("threatened", "threatening") runs on to what was threatened: the quoted words
    (just after it, or just before it: '"I know where you live" - she took it as a threat') or else the rest of its
    clause ("threatened to put her through the window"). The practitioner reads the threat, not the word for it.
    `quotes`: the token positions of the sentence's quote marks."""
    pairs = list(zip(quotes[::2], quotes[1::2], strict=False))
    for opened, closed in pairs:
        if span.end <= opened <= span.end + lx.THREAT_QUOTE_WINDOW:
            return doc[span.start : closed + 1]
    for opened, closed in pairs:
        if span.start - lx.THREAT_QUOTE_WINDOW <= closed < span.start:
            return doc[opened : span.end]
    end = span.end
    while end < sent.end and doc[end].lower_ not in lx.CLAUSE_ENDS and doc[end].lower_ not in lx.TERMINATORS:
        end += 1
    return doc[span.start : max(end, span.end)]


def _says_who_she_is(words: Sequence[str]) -> bool:
    """A short sentence saying who she is to him, after what he did to her ("She is his ex.", "Jo was his girlfriend
    for two years."): his partner named after the act. Try-out 11 of issue 13."""
    # a short sentence, or one that says so in its first words ("Amy is his partner and mother of the two children")
    here = set(words) if len(words) <= 10 else set(words[:6])
    return "his" in here and bool(here & {"is", "was", "'s", "been"}) and bool(here & PARTNER_WORDS)


_NAME_IS = frozenset({"is", "was", "'s", "’s"})


def _partners_named(sentences: Sequence[Span]) -> list[tuple[int, str]]:
    """Who the record names as his partner, and in which sentence: "his partner Kayleigh", "his ex-girlfriend,
    Jade", "Kayleigh, his partner", "Kayleigh is his wife" (the name in lower case). Only "his": "her new partner
    Dan" or "Leanne's boyfriend Dan" is someone else's partner."""
    out: list[tuple[int, str]] = []

    def name_at(token: Token) -> str | None:
        if token.is_title and token.is_alpha and token.lower_ not in lx.NOT_NAMES and token.lower_ not in _NOT_A_NAME:
            return token.lower_
        return None

    for n, sent in enumerate(sentences):
        tokens = [t for t in sent if not t.is_space]
        for i, token in enumerate(tokens):
            word = token.lower_
            if word not in PARTNER_WORDS:
                continue
            if word == "ex" and i + 2 < len(tokens) and tokens[i + 2].lower_ in PARTNER_WORDS:
                continue  # "ex-partner", three tokens: read at "partner"
            back = i - 1
            while back >= 0 and tokens[back].lower_ in ("ex", "-", "former", "long", "term", "current"):
                back -= 1
            if back < 0 or tokens[back].lower_ != "his":
                continue
            after = i + 1
            if after < len(tokens) and tokens[after].text == ",":
                after += 1
            if after < len(tokens) and (name := name_at(tokens[after])):
                out.append((n, name))  # "his partner Kayleigh", "his partner, Kayleigh"
            before = back - 1
            if before >= 0 and tokens[before].text == ",":
                before -= 1
            elif before >= 0 and tokens[before].lower_ in _NAME_IS:
                before -= 1
            else:
                continue
            if before >= 0 and (name := name_at(tokens[before])):
                out.append((n, name))  # "Kayleigh, his partner", "Kayleigh is his partner"
    return out


# After a partner's name and "'s", someone else: "he hit Kayleigh's brother" is not harm to her ("Kayleigh's face" is)
_HER_PEOPLE = frozenset(
    {"brother", "sister", "mum", "mother", "dad", "father", "friend", "friends", "son", "daughter", "cousin", "new"}
    | PARTNER_WORDS
)


def _someone_of(token: Token) -> bool:
    """ "Kayleigh's brother", "Kayleigh's new boyfriend": the name stands for someone else of hers."""
    doc = token.doc
    return token.i + 2 < len(doc) and doc[token.i + 1].lower_ in ("'s", "’s") and doc[token.i + 2].lower_ in _HER_PEOPLE


# Capitalised words that stand where a name could and are not one
_NOT_A_NAME = frozenset({"he", "she", "they", "it", "police", "the", "and", "but", "who", "mr", "mrs", "ms", "miss"})


def _his_partner_named(words: Sequence[str]) -> bool:
    """A partner word that may be his partner's: not someone else's ("the victim's partner", "Leanne's boyfriend")
    and not a new one ("her new partner": the victim's, in a victim liaison note)."""
    for n, word in enumerate(words):
        if word not in PARTNER_WORDS:
            continue
        if n > 1 and words[n - 1] in lx.NEW_PARTNER and words[n - 2] in ("her", "their", "'s", "’s"):
            continue
        if n > 1 and words[n - 1] in ("'s", "’s", "s") and words[n - 2] in lx.VICTIMS:
            continue
        return True
    return False


def _partner_classified(reading: SentenceReading, findings: Sequence[Finding]) -> list[Finding]:
    """Harm, a threat or pursuit the classifier found in a sentence naming a partner or former partner is domestic
    abuse (the taxonomy: "any violence, threat, stalking or pro-violence statement about a partner, former partner or
    family member in the same sentence"). Family words and "she" after a partner named before were tried and left
    out: on the training corpora they added more false findings than true ones (docs/indicators.md)."""
    if not _his_partner_named(reading.words):
        return []
    harms = sorted(
        {f.indicator for f in findings if f.indicator in lx.PARTNER_HARMS and f.rule.endswith(".classifier")}
    )
    if not harms:
        return []
    rule = lx.PARTNER_CLASSIFIED
    what = " and ".join(INDICATORS[h].split(":")[0].lower() for h in harms)
    return [Finding("domestic_abuse", reading.start, reading.end, reading.text, rule.id, f"{rule.why} ({what})")]


def _without_repeated_headings(read: Sequence[tuple[bool, list[Finding]]]) -> list[Finding]:
    """Every finding, except one in a line that is only a heading ("Weapons:") when what is written beneath it,
    before the next heading, has a finding of the same indicator: the answer is the evidence, and the heading is not
    a second finding of it (issue 13 try-out). A heading with nothing of its kind beneath it keeps its finding."""
    kept: list[Finding] = []
    for n, (heading, findings) in enumerate(read):
        if not heading:
            kept += findings
            continue
        beneath: set[str] = set()
        for later_heading, later in read[n + 1 :]:
            if later_heading:
                break
            beneath |= {f.indicator for f in later}
        kept += [f for f in findings if f.indicator not in beneath]
    return kept


def _with_nearest(doc: Doc, span: Span, others: Sequence[Span]) -> Span:
    """`span` stretched to cover every one of `others` (the harms of its sentence), or `span` if there are none.
    Until 4 December it covered only the nearest, so "his sister) says he turned up at her flat" was the finding and
    "punched her twice in the face", the harm done to her, was left out of it."""
    if not others:
        return span
    return doc[min(span.start, *(o.start for o in others)) : max(span.end, *(o.end for o in others))]


# "Heading: answer" at the start of a line: a form's or template's heading of up to six words.
_HEADING = re.compile(r"\A\s*[A-Za-z][A-Za-z0-9 ,/&'()-]{0,60}?:[ \t]*(?=\S|\Z)")
_NONE_WORDS = (
    r"(?:none(?: known| reported| recorded| identified| disclosed)?|nil(?: known)?|n/?a|no|not known|not applicable|"
    r"nothing(?: known| to report| of note)?|no concerns?(?: known| noted| identified| raised| reported)?|unknown)"
)
_NONE_ANSWER = re.compile(r"\A" + _NONE_WORDS + r"[ .;]*\Z", re.IGNORECASE)
# "Domestic abuse: N/A. Stalking: Nil." inside one sentence: each heading answered "none" is the form's, not evidence;
# so are a marker list's and a questionnaire's ("Weapons - nil. Violence - nil.", "Q16 (strangled/choked?) - no").
_INLINE_NONE = re.compile(
    r"(?:^|(?<=[.;:]))\s*[A-Za-z][A-Za-z0-9 ,/&'()?-]{0,90}?(?::|\?|[ \t]+[-\u2013\u2014][ \t]+)\s*"
    # a question's answer may be marked as one: "Q. Any self-harm in custody? A. No." (try-out 14)
    r"(?:(?:A|Ans|Answer)\s*[.:)]\s*)?"
    + _NONE_WORDS
    # the answer may go on: "Any contact with children? No - he has no children"; "Concerns: Not applicable, ..."
    + r"\s*(?=[.;,]|\s+[-\u2013\u2014]\s|\Z)",
    re.IGNORECASE | re.MULTILINE,
)
_INLINE_SEPARATORS = (":", "?", " - ", " \u2013 ", " \u2014 ")
# A line that can only be a label ("Section 3 - Weapons and violence"): short, with no sentence's end.
_LABEL_LINE = re.compile(r"\A\s*[^.!?:\n]{1,80}?\s*\Z")


# Headings Keepsafe writes into a stored text itself (sharing/rules/prison_information.py composes the POM's form
# as "Heading: answer" lines; a test keeps the two lists in step). A person's own "Domestic call-out: ..." is evidence.
FORM_HEADINGS = frozenset(
    {
        "custodial behaviour",
        "adjudications",
        "security intelligence",
        "weapons and drugs finds",
        "threats",
        "visits and contact concerns",
        "engagement with the sentence plan",
    }
)


def form_answer(sentence: str) -> tuple[int, bool]:
    """Where the answer starts after one of Keepsafe's own form headings (0 if there is none), and whether the
    answer says nothing was found ("None known", after any heading or alone).

    Issue 13: the prison information form's headings ("Weapons and drugs finds", "Threats") are Keepsafe's own text,
    not evidence; only what a person wrote in answer is scanned.
    """
    m = _HEADING.match(sentence)
    if m and len(sentence[: m.end()].split()) <= 6:
        answer = sentence[m.end() :].strip()
        heading = sentence[: m.end()].strip().rstrip(":").strip().lower()
        # headings in a row ("Risk of serious harm: Threats: None known") answer with the last one's answer
        while (inner := _HEADING.match(answer)) and len(answer[: inner.end()].split()) <= 6:
            answer = answer[inner.end() :].strip()
        return (m.end() if heading in FORM_HEADINGS else 0), bool(_NONE_ANSWER.match(answer))
    return 0, bool(_NONE_ANSWER.match(sentence.strip())) and len(sentence.split()) <= 3


_HEADING_ONLY = re.compile(
    r"\A\s*(?:[A-Za-z][A-Za-z0-9 ,/&'()-]{0,60}?\s*:\s*)*([A-Za-z][A-Za-z0-9 ,/&'()-]{0,60}?)\s*:\s*\Z"
)


def heading_only(sentence: str) -> str | None:
    """The (last) heading, lower case, when a line is only "Heading:" ("Risk of serious harm: Threats:") of up to six
    words, else None."""
    m = _HEADING_ONLY.match(sentence)
    if m and len(m[1].split()) <= 6:
        return m[1].strip().lower()
    return None


def _first_token_at(sent: Span, char: int) -> int:
    for token in sent:
        if token.idx >= char:
            return token.i
    return sent.end


EXACT_START_LIMIT = 60


def _look_ahead(pattern: str) -> bool:
    """Whether a lexicon pattern ends with a look-ahead word ("!x|y", not optional)."""
    last = pattern.rsplit(" ", 1)[-1]
    return " " in pattern.strip() and last.startswith("!") and not last.endswith("?")


def _exact_start(specs: list[TokenSpec]) -> list[list[TokenSpec]]:
    """One pattern per first word. spaCy tries every pattern's first token at every token: an exact word is a C
    comparison, a word list a Python call, so starting exactly makes the scanner several times faster."""
    if not specs:
        return [specs]
    first, rest = specs[0], specs[1:]
    lower = first.get("LOWER")
    if not (isinstance(lower, dict) and set(lower) == {"IN"}) or len(lower["IN"]) > EXACT_START_LIMIT:
        # A long list (every form of fifty verbs) is cheaper as one Python set look-up than as hundreds of patterns.
        return [specs]
    optional = first.get("OP") == "?"
    variants = [[{"LOWER": word}, *rest] for word in lower["IN"]]
    if optional:
        variants += _exact_start(rest) if rest else []
    return variants


def _first_words(specs: list[TokenSpec]) -> frozenset[str] | None:
    """The words a token pattern can start with, or None when its start is not a fixed word."""
    words: set[str] = set()
    for spec in specs:
        lower = spec.get("LOWER")
        if isinstance(lower, str):
            words.add(lower)
        elif isinstance(lower, dict) and "IN" in lower:
            words.update(lower["IN"])
        else:
            return None
        if spec.get("OP") != "?":
            return frozenset(words)
    return None


PIECE_CHARS = 100_000  # a longer text is read in pieces (spaCy's own limit is 1,000,000 characters)


# Characters that pasted text carries and a reader does not see (control characters other than tab and line breaks,
# soft hyphens, zero-width spaces and joiners, word joiners, byte order marks) are read as absent, and curly quotes as
# straight ones: "He punched\u00ad his partner" and "I’ll stab her" are read as typed (try-out 11, 4 December).
# ...and a terminal's colour codes whole ("sta\x1b[0mbbed" is "stabbed" on screen; try-out 12): an ANSI CSI sequence
_INVISIBLE = re.compile(
    "\x1b\\[[0-9;?]*[ -/]*[@-~]|[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u00ad\u200b-\u200f\u2060-\u2064\ufeff]"
)
_CURLY_CHARS = ("\u2018", "\u2019", "\u201b", "\u2032")
_CURLY = str.maketrans(dict.fromkeys(_CURLY_CHARS, "'"))


def _as_written(finding: Finding, text: str, index: list[int] | None) -> Finding:
    """A finding made on the text as read, at its place and in its words as written."""
    start, end = (finding.start, finding.end) if index is None else (index[finding.start], index[finding.end - 1] + 1)
    return replace(finding, start=start, end=end, text=text[start:end])


def normalised(text: str) -> tuple[str, list[int] | None]:
    """`text` as the scanner reads it (`text` itself when nothing needs changing, the common case), and where each of
    its characters was in `text` (None when none moved). Curly apostrophes become straight ones in place; invisible
    characters are dropped, and the index maps every character read back to the one written."""
    invisible = _INVISIBLE.search(text) is not None
    if not invisible and not any(c in text for c in _CURLY_CHARS):
        return text, None
    straight = text.translate(_CURLY)
    if not invisible:
        return straight, None
    dropped = {n for m in _INVISIBLE.finditer(straight) for n in range(m.start(), m.end())}
    index = [n for n in range(len(straight)) if n not in dropped]
    return "".join(straight[n] for n in index), index


def text_pieces(text: str, limit: int | None = None) -> list[tuple[int, str]]:
    """`text` as (offset, piece) pieces of at most `limit` characters, each cut after a line break or a sentence's
    full stop in the second half of the piece where there is one, else after a space, else at the limit."""
    limit = PIECE_CHARS if limit is None else limit
    if len(text) <= limit:
        return [(0, text)]
    pieces: list[tuple[int, str]] = []
    start = 0
    while len(text) - start > limit:
        window = text[start : start + limit]
        cut = max(window.rfind("\n"), window.rfind(". ") + 1)
        if cut < limit // 2:
            cut = window.rfind(" ")
        cut = cut + 1 if cut >= limit // 2 else limit
        pieces.append((start, text[start : start + cut]))
        start += cut
    pieces.append((start, text[start:]))
    return pieces


def _orders_near(sentences: Sequence[Span]) -> list[bool]:
    """Per sentence, whether a civil order or notification requirement is named in it or within
    `lexicon.ORDER_NEARBY_SENTENCES` either side (and is in force, not still being sought)."""
    named = [
        _ORDER_NAMED.search(s.text) is not None
        and (_ORDER_SOUGHT.search(s.text) is None or _ORDER_IN_FORCE.search(s.text) is not None)
        for s in sentences
    ]
    reach = lx.ORDER_NEARBY_SENTENCES
    return [any(named[max(0, n - reach) : n + reach + 1]) for n in range(len(sentences))]


_NOT_HIS = re.compile(lx.NOT_HIS)


def _names_in(text: str) -> frozenset[str]:
    """The names in a sentence (`classifier.proper_names`: words written only with a capital after its first word,
    "... said Kayden", "at Tesco"). A reason shows the words that weighed most; a name weighs only because a training
    writer used it, and says nothing a practitioner can check (try-out 12: "the words that weighed most: 'kayden'").
    Display only: the classifier's features are unchanged."""
    return proper_names([text])


# A classifier finding below even odds says so in its reason (issue 13 try-out 9: a finding at 0.22 sat beside rule
# findings as if it weighed the same).
WEAK_BELOW = 0.5
WEAK = ", a weak signal: read the sentence to judge"


def _not_his(
    sentences: Sequence[Span],
    matches_in: Sequence[Sequence[tuple[int, int, int]]],
    rules: dict[str, lx.Rule],
    strings: Any,
) -> list[bool]:
    """Per sentence, whether the record says its harm is someone else's (`lexicon.NOT_HIS`): the sentence that says
    so, and the one before when the saying stands on its own (no harm words of its own, or it points back)."""
    says = [_NOT_HIS.search(s.text) is not None for s in sentences]
    covered = list(says)
    for n in range(1, len(sentences)):
        if not says[n]:
            continue
        own_harm = any(rules[strings[m]].indicator in lx.NOT_HIS_INDICATORS for m, _, _ in matches_in[n])
        first = next((t.lower_ for t in sentences[n] if t.is_alpha), "")
        if not own_harm or first in lx.NOT_HIS_POINTS_BACK:
            covered[n - 1] = True
    return covered


def _stalking_near_order(findings: list[Finding]) -> list[Finding]:
    """Contact or pursuit beside the order that prohibits it is also a breach of that order."""
    if any(f.indicator == "order_breach" for f in findings):
        return []
    rule = lx.STALKING_NEAR_ORDER
    return [
        Finding("order_breach", f.start, f.end, f.text, rule.id, rule.why)
        for f in findings
        if f.indicator == "stalking" and f.rule != "stalking.named"
    ][:1]


_ORDER_NAMED = re.compile(lx.ORDER_NAMED)
_ORDER_SOUGHT = re.compile(lx.ORDER_SOUGHT)
_ORDER_IN_FORCE = re.compile(lx.ORDER_IN_FORCE)
_THREAT_SPEECH = re.compile(lx.THREAT_SPEECH)
_THREAT_ADVICE = re.compile(lx.THREAT_ADVICE)
_ATTITUDE_SPEECH = re.compile(lx.ATTITUDE_SPEECH)
_RELATIONSHIP = re.compile(lx.RELATIONSHIP)


@cache
def _names(indicator: str) -> re.Pattern[str] | None:
    phrases = [
        r"\s+".join("(?:" + "|".join(re.escape(w) for w in token.split("|")) + ")" for token in phrase.split(" "))
        for phrase in lx.NAMES.get(indicator, ())
    ]
    return re.compile(r"(?<![\w-])(?:" + "|".join(phrases) + r")(?![\w-])") if phrases else None


def names_itself(indicator: str, text: str) -> bool:
    """Whether a finding's own words name the harm itself (`lexicon.NAMES`): "knife", "threatened", "GBH". Quote marks
    are not words: 'he "leathered" his cousin' names the blow as 'he leathered his cousin' does."""
    pattern = _names(indicator)
    return pattern is not None and pattern.search(_UNQUOTED.sub("", text.lower())) is not None


# double quotes, and a single quote that is not an apostrophe inside a word ("you're" keeps its own)
_UNQUOTED = re.compile(r"[\"\u201c\u201d]|(?<![a-z])['\u2018\u2019]|['\u2018\u2019](?![a-z])")


@cache
def scanner() -> Scanner:
    """The shared scanner, rules and shipped classifier: building it takes about a second, so once per process."""
    return Scanner(model=shipped_model())


def scan(text: str) -> list[Finding]:
    return scanner().scan(text)


def scan_many(texts: Iterable[str]) -> Iterator[list[Finding]]:
    return scanner().scan_many(texts)

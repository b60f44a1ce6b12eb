"""Build the evaluation corpora written by one annotator each (C to Z, then ZA...): `tests/data/indicator-eval-<name>/`.

One build for all of them (each annotator adapted corpus C's script; they differed only in their ids and a few
hard-negative kinds of their own). Reads the hand-written sources in src/<style>.txt (and src/<style>-<n>.txt if
any) of a corpus directory and writes <style>.jsonl beside them, with ids `<letter>-<style>-0001`.

Source format, one text per block (blocks separated by blank lines, ``##`` starts a comment line):
    T: <text>                 a text
    T! [<kind>] <text>        a text written as a hard negative; <kind> is one of the corpus's negative kinds
    L: <indicator> | <span> [| <occurrence, 1-based>]
Offsets are computed by finding the span in the text at word boundaries; a span that is not found, or that occurs
more than once without an explicit occurrence, stops the build with the file and line. Unknown indicators, unknown
negative kinds, duplicate labels and duplicate texts stop it too.
Run: python tests/data/written_corpus.py tests/data/indicator-eval-d [more corpus directories]
"""

from __future__ import annotations

import importlib.util
import json
import re
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
# One writer each; after Y the letters run out and corpora are named ZA, ZB, ...
CORPORA = tuple(
    HERE / f"indicator-eval-{letter}"
    for letter in (
        *"cdefghijklmnopqrstuvwxyz",
        *(f"z{c}" for c in "abcdefghijklmnopqrstuvwxyz"),
        *(f"y{c}" for c in "abcdefghijklm"),
    )
)


def _corpus_b_builder():
    """Corpus B's build script: the 14 indicator codes and the whole-word span search are its own, shared here."""
    spec = importlib.util.spec_from_file_location("build_b", HERE / "indicator-eval" / "build_b.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_B = _corpus_b_builder()
INDICATORS = _B.INDICATORS
occurrences = _B.occurrences
STYLES = {
    "police": "POLICE",
    "prison": "PRISON",
    "childrens": "CHILDRENS_SERVICES",
    "court": "COURT",
    "victim": "VICTIM_LIAISON",
    "practitioner": "PRACTITIONER",
    "hostel": "PARTNER",
    "health": "PARTNER",
}
NEGATIVE_KINDS = (
    "negation",  # "no weapons found", "denies any threats"
    "hypothetical",  # conditionals, plans, what might happen
    "him_victim",  # harm he suffered
    "order_not_breached",  # orders made, explained, complied with
    "licence_breach",  # licence/curfew/tag/signing matters, not civil orders
    "property_only",  # damage to things, no person harmed or frightened
    "self_harm",  # threats to harm himself (mental_health, not threats)
    "admin",  # administrative text, enquiries pending, referrals not required
    "none_known",  # form headings answered "None known" / "N/A"
    "ordinary",  # ordinary life that sounds alarming
    "idiom",  # figures of speech ("would kill for a brew")
    "remorse",  # insight and remorse, not callousness
    "historic_ruled_out",  # allegations unfounded, history ruled out
    "other_person",  # someone else's behaviour, not his
    "rearranged",  # appointments moved in advance, attended late
)
# The kinds an annotator added for the records of their persona.
OWN_KINDS = {
    "d": (
        "nfa_cleared",  # arrested or named, then NFA because he was not the one (CCTV, alibi, wrong male)
        "intel_discounted",  # intelligence graded unreliable / uncorroborated and discounted
    ),
    "j": (
        "performance",  # drill lyrics, music videos, posts judged to be performance with no real target
        "banter",  # joking between friends, no one harmed or in fear
    ),
    "m": (
        "dishonesty",  # offences of dishonesty only (theft, fraud, handling), no person harmed or threatened
        "not_proved",  # allegation denied by the defendant and not found proved by the court
        "order_proposed",  # an order recommended or applied for but not yet made
        "character_ref",  # character references and letters in support
    ),
    "o": (
        "her_victim",  # harm she (the woman under supervision) suffered
        "protective",  # her protective actions: calling police, fleeing, applying for orders, keeping children safe
        "cp_closed",  # child protection processes closed or stepped down with no concerns
    ),
    "q": (
        "uncorroborated",  # intelligence graded unreliable / not known / not corroborated, closed
        "no_crime",  # occurrences closed as no crime or crime-related incident, no offence disclosed
    ),
}


def letter_of(directory: Path) -> str:
    return directory.name.rsplit("-", 1)[-1]


def negative_kinds(letter: str) -> tuple[str, ...]:
    return NEGATIVE_KINDS + OWN_KINDS.get(letter, ())


class BuildError(SystemExit):
    """Stops the build; the message names the file and line."""


def fail(msg: str) -> None:
    raise BuildError(msg)


def parse(path: Path, kinds: tuple[str, ...] = NEGATIVE_KINDS) -> list[dict[str, object]]:
    items: list[dict[str, object]] = []
    cur: dict[str, object] | None = None
    for n, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.rstrip()
        where = f"{path.name}:{n}"
        if not line.strip() or line.startswith("##"):
            continue
        if line.startswith("T:"):
            cur = {"text": line[2:].strip(), "neg": None, "labels": [], "where": where}
            items.append(cur)
        elif line.startswith("T!"):
            m = re.match(r"T!\s*\[([a-z_]+)\]\s*(.+)$", line)
            if not m:
                fail(f"{where}: a hard negative is written 'T! [kind] text'")
            assert m is not None
            if m.group(1) not in kinds:
                fail(f"{where}: unknown negative kind {m.group(1)!r}")
            cur = {"text": m.group(2).strip(), "neg": m.group(1), "labels": [], "where": where}
            items.append(cur)
        elif line.startswith("L:"):
            if cur is None:
                fail(f"{where}: label before any text")
            assert cur is not None
            parts = [p.strip() for p in line[2:].split("|")]
            if len(parts) not in (2, 3) or not parts[1]:
                fail(f"{where}: label needs 'indicator | span [| occurrence]'")
            ind, span = parts[0], parts[1]
            if ind not in INDICATORS:
                fail(f"{where}: unknown indicator {ind!r}")
            text = str(cur["text"])
            occ = occurrences(text, span)
            if not occ:
                fail(f"{where}: span {span!r} not found in text {text!r}")
            if len(parts) == 3:
                try:
                    k = int(parts[2])
                except ValueError:
                    fail(f"{where}: occurrence {parts[2]!r} is not a number")
                if not 1 <= k <= len(occ):
                    fail(f"{where}: span {span!r} has {len(occ)} occurrences, asked for {k}")
                start = occ[k - 1]
            else:
                if len(occ) > 1:
                    fail(f"{where}: span {span!r} occurs {len(occ)} times; give the occurrence")
                start = occ[0]
            label = {"indicator": ind, "start": start, "end": start + len(span), "text": span}
            labels = cur["labels"]
            assert isinstance(labels, list)
            if label in labels:
                fail(f"{where}: duplicate label")
            labels.append(label)
        else:
            fail(f"{where}: cannot read line {line!r}")
    return items


def build(directory: Path, src: Path | None = None) -> dict[str, list[dict[str, object]]]:
    """Every style's records of the corpus in `directory` (its sources in `src`, by default directory/src), in the
    order written, as they go into <style>.jsonl."""
    letter = letter_of(directory)
    kinds = negative_kinds(letter)
    src = directory / "src" if src is None else src
    seen: dict[str, str] = {}
    corpus: dict[str, list[dict[str, object]]] = {}
    for style, source in STYLES.items():
        paths = sorted(src.glob(f"{style}.txt")) + sorted(src.glob(f"{style}-*.txt"))
        items: list[dict[str, object]] = []
        for path in paths:
            items.extend(parse(path, kinds))
        if not items:
            continue
        out = []
        for i, it in enumerate(items, 1):
            text = str(it["text"])
            if text in seen:
                fail(f"{it['where']}: text duplicates {seen[text]}")
            seen[text] = str(it["where"])
            labels = it["labels"]
            assert isinstance(labels, list)
            for lab in labels:
                assert text[lab["start"] : lab["end"]] == lab["text"]
            rec: dict[str, object] = {
                "id": f"{letter}-{style}-{i:04d}",
                "style": style,
                "source": source,
                "text": text,
                "labels": labels,
            }
            if it["neg"]:
                rec["negative"] = it["neg"]
            out.append(rec)
        corpus[style] = out
    return corpus


def dumps(records: list[dict[str, object]]) -> str:
    return "".join(json.dumps(o, ensure_ascii=False) + "\n" for o in records)


def main(directory: Path) -> None:
    corpus = build(directory)
    total: Counter[str] = Counter()
    spans_all: Counter[str] = Counter()
    for style, out in corpus.items():
        (directory / f"{style}.jsonl").write_text(dumps(out), encoding="utf-8")
        ind_texts: Counter[str] = Counter()
        ind_labels: Counter[str] = Counter()
        for rec in out:
            labels = rec["labels"]
            assert isinstance(labels, list)
            for lab in labels:
                ind_labels[lab["indicator"]] += 1
            for ind in {lab["indicator"] for lab in labels}:
                ind_texts[ind] += 1
        empty = sum(not rec["labels"] for rec in out)
        negs = sum("negative" in rec for rec in out)
        multi = sum(len(re.findall(r"[.!?](\s|$)", str(rec["text"]))) >= 2 for rec in out)
        total["texts"] += len(out)
        total["empty"] += empty
        total["neg"] += negs
        total["multi"] += multi
        print(
            f"{style}: {len(out)} texts, {multi} with 2+ sentences, {empty} with no label, "
            f"{negs} hard negatives ({100 * negs / len(out):.1f}%), {sum(ind_labels.values())} spans"
        )
        for ind in INDICATORS:
            if ind_texts[ind]:
                total[ind] += ind_texts[ind]
                spans_all[ind] += ind_labels[ind]
                print(f"    {ind:24} texts {ind_texts[ind]:4}  spans {ind_labels[ind]:4}")
    print(
        f"all: {total['texts']} texts, {total['multi']} with 2+ sentences, {total['empty']} with no label, "
        f"{total['neg']} hard negatives"
    )
    for ind in INDICATORS:
        print(f"    {ind:24} texts {total[ind]:4}  spans {spans_all[ind]:4}")
    kinds = Counter(str(rec["negative"]) for out in corpus.values() for rec in out if "negative" in rec)
    print("negative kinds: " + ", ".join(f"{k} {v}" for k, v in kinds.most_common()))


if __name__ == "__main__":
    for name in sys.argv[1:] or [str(d) for d in CORPORA]:
        print(f"== {name}")
        main(Path(name).resolve())

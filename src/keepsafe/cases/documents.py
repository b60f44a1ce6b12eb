"""Case documents (issue 14 §5): Part A, the decision-not-to-recall letter and a case summary.

One composition per document (`Composition`: a title and sections of labelled fields and paragraphs, all plain
text) is what the printable page shows, what the JSON gives and what the PDF draws (cases/pdf.py) — so the three can
never disagree. Generating a document stores the composition and the PDF bytes, with their SHA-256, who generated it
and when, in one transaction with its audit event; a stored document never changes (model and database trigger).
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from keepsafe.actions.models import Recall
from keepsafe.actions.rules.recall import ARREST_SECTIONS, PART_A_SECTIONS, Decision, part_a_digest
from keepsafe.actions.selectors import actions_for_case
from keepsafe.audit.services import audit_record
from keepsafe.cases.models import CaseDocument
from keepsafe.cases.recalls import active_recall
from keepsafe.cases.selectors import case_summary
from keepsafe.core import clock
from keepsafe.core.actor import Actor
from keepsafe.core.dates import clock_words
from keepsafe.core.errors import NotFoundError, ValidationError
from keepsafe.core.words import code_words, counted
from keepsafe.court.selectors import court_date_as_of, court_stages_of
from keepsafe.people.models import Event, Person
from keepsafe.people.rules.vocabulary import SENTENCE_LABELS, SentenceType, contact_title
from keepsafe.people.selectors import case_write_check
from keepsafe.risk.rules.tier.v3 import tier_words

Kind = CaseDocument.Kind
# The address of each kind (/case/<crn>/documents/new/<slug>) and back.
SLUGS = {"part-a": Kind.PART_A, "no-recall-letter": Kind.NO_RECALL_LETTER, "case-summary": Kind.CASE_SUMMARY}
SLUG_OF = {kind: slug for slug, kind in SLUGS.items()}
# Who may generate (and so store) a document: whoever may write on the case (people.selectors.case_write_check);
# reading a stored one follows case visibility.
ROSH_WORDS = {"VERY_HIGH": "Very high", "HIGH": "High", "MEDIUM": "Medium", "LOW": "Low"}


@dataclass(frozen=True)
class Field:
    label: str
    text: str


@dataclass(frozen=True)
class Section:
    heading: str
    fields: tuple[Field, ...] = ()
    paragraphs: tuple[str, ...] = ()


@dataclass(frozen=True)
class Composition:
    kind: str
    title: str
    crn: str
    name: str
    composed_at: str  # ISO instant the composition was made
    sections: tuple[Section, ...]

    def as_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "title": self.title,
            "crn": self.crn,
            "name": self.name,
            "composed_at": self.composed_at,
            "sections": [
                {
                    "heading": s.heading,
                    "fields": [{"label": f.label, "text": f.text} for f in s.fields],
                    "paragraphs": list(s.paragraphs),
                }
                for s in self.sections
            ],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Composition:
        return cls(
            kind=data["kind"],
            title=data["title"],
            crn=data["crn"],
            name=data["name"],
            composed_at=data["composed_at"],
            sections=tuple(
                Section(
                    heading=s["heading"],
                    fields=tuple(Field(f["label"], f["text"]) for f in s["fields"]),
                    paragraphs=tuple(s["paragraphs"]),
                )
                for s in data["sections"]
            ),
        )


def _when(value: datetime | None) -> str:
    return clock_words(timezone.localtime(value)) if value else "Not recorded"


def _day(value: date | str | None) -> str:
    if value is None or value == "":
        return "Not recorded"
    day = date.fromisoformat(value) if isinstance(value, str) else value
    return day.strftime("%-d %B %Y")


def _sentence(code: str | None) -> str:
    if code is not None and code in SentenceType.__members__:
        return SENTENCE_LABELS[SentenceType(code)]
    return code or "Not recorded"


def _person_fields(person: Person) -> tuple[Field, ...]:
    return (
        Field("Name", f"{person.forename} {person.surname}"),
        Field("CRN", person.crn),
        Field("PNC number", person.pnc or "Not recorded"),
        Field("Date of birth", _day(person.date_of_birth)),
        Field("PDU", person.pdu.name),
        Field("Probation practitioner", person.practitioner.name if person.practitioner else "Unallocated"),
    )


def _recall(person: Person) -> Recall:
    recall = Recall.objects.filter(person=person).select_related("event").first()
    if recall is None:
        raise ValidationError([("recall", "there is no recall on this case")])
    return recall


def compose_part_a(person: Person, recall: Recall) -> Composition:
    """Part A as the SPO and ACO countersign it and PPCS receive it (PartADocumentMapper.kt, simplified)."""
    if recall.decision != Decision.RECALL:
        raise ValidationError([("recall", "Part A follows a decision to recall")])
    if recall.part_a_completed_at is None:
        raise ValidationError([("part_a", "Part A is not complete: fill every section first")])
    event: Event | None = recall.event
    recall_kind = "Emergency" if recall.emergency else "Standard"
    if recall.recall_type == "FIXED_TERM":
        recall_kind = "Fixed-term"
    sections = [
        Section("The person on licence", _person_fields(person)),
        Section(
            "The recall",
            (
                Field("Recall", f"{recall_kind} recall ({recall.external_id})"),
                Field("Sentence", _sentence(event.sentence_type) if event else "Not recorded"),
                Field("Offence", event.offence if event else "Not recorded"),
                Field("Licence expiry", _day(event.licence_expiry) if event else "Not recorded"),
                Field("Decided", f"{_when(recall.decided_at)} by {recall.decided_by}"),
                Field("Reasons for the decision", recall.rationale),
            ),
        ),
        Section("Part A", tuple(Field(label, recall.part_a.get(n, "")) for n, label in PART_A_SECTIONS.items())),
        Section(
            "To locate and arrest safely",
            tuple(Field(label, recall.part_a.get(n, "")) for n, label in ARREST_SECTIONS.items()),
        ),
        Section(
            "Countersignatures",
            (
                Field("Written by", ", ".join(recall.part_a_by) or "Not recorded"),
                Field(
                    "Senior probation officer",
                    f"{recall.spo_signed_by}, {_when(recall.spo_signed_at)}" if recall.spo_signed_at else "Not yet",
                ),
                Field(
                    "Assistant chief officer",
                    f"{recall.aco_signed_by}, {_when(recall.aco_signed_at)}" if recall.aco_signed_at else "Not yet",
                ),
                Field("Part A fingerprint (SHA-256)", part_a_digest(recall.part_a)),
            ),
        ),
    ]
    return Composition(
        Kind.PART_A,
        f"Part A: recall of {person.forename} {person.surname}",
        person.crn,
        person.name,
        clock.now().isoformat(),
        tuple(sections),
    )


def compose_no_recall_letter(person: Person, recall: Recall) -> Composition:
    """The letter after a decision not to recall: the text written by actions.services.recall.recall_letter."""
    if recall.decision != Decision.NO_RECALL or not recall.letter:
        raise ValidationError([("letter", "there is no decision not to recall letter on this case yet")])
    paragraphs = tuple(p for p in recall.letter["text"].split("\n\n") if p.strip())
    written_at = datetime.fromisoformat(recall.letter["written_at"])
    return Composition(
        Kind.NO_RECALL_LETTER,
        "Decision not to recall",
        person.crn,
        person.name,
        clock.now().isoformat(),
        (
            Section(
                "Letter",
                (Field("To", person.name), Field("CRN", person.crn), Field("Date", _when(written_at))),
            ),
            Section("", paragraphs=paragraphs),
            Section("From", (Field("Written by", recall.letter.get("written_by", "")),)),
        ),
    )


def compose_case_summary(person: Person, viewer: Actor) -> Composition:
    """A printable summary of the case from the same summary `keepsafe case CRN --json` gives (cases.selectors)."""
    summary = case_summary(crn=person.crn, viewer=viewer)
    rosh = summary["risk"]["rosh"]["overall"]
    tier = summary["risk"].get("tier") or {}
    sentences = tuple(
        Field(
            _sentence(e["sentence"]["type"]),
            f"{e['offence']}; sentenced {_day(e['sentence']['date'])}"
            + (f"; licence expiry {_day(e['dates']['licence_expiry'])}" if e["dates"]["licence_expiry"] else "")
            + (f"; terminated {_day(e['terminated'])}" if e["terminated"] else ""),
        )
        for e in summary["events"]
    )
    flags = tuple(
        Field(
            r["name"],
            f"since {_day(r['start'])}" + (f"; review by {_day(r['next_review'])}" if r["next_review"] else ""),
        )
        for r in summary["registrations"]
    )
    contacts = tuple(
        Field(
            _when(datetime.fromisoformat(c["at"].replace("Z", "+00:00"))),
            contact_title(c["type"], c["outcome"]) + (f". {c['notes']}" if c["notes"] else ""),
        )
        for c in summary["contacts"][:10]
    )
    tier_text = " / ".join(t for t in (tier_words(tier.get("v3")), tier.get("v2")) if t) + (
        " (provisional)" if tier.get("provisional") else ""
    )
    return Composition(
        Kind.CASE_SUMMARY,
        f"Case summary: {person.forename} {person.surname}",
        person.crn,
        person.name,
        clock.now().isoformat(),
        (
            Section("The person", _person_fields(person)),
            Section(
                "Risk",
                (
                    Field("Risk of serious harm", ROSH_WORDS.get(rosh or "", "Not assessed")),
                    Field("Tier (version 3 / version 2)", tier_text.strip() or "Not assessed"),
                ),
            ),
            Section("Sentences", sentences or (Field("Sentences", "None recorded"),)),
            Section("Active flags", flags or (Field("Flags", "None"),)),
            Section("Latest contacts", contacts or (Field("Contacts", "None recorded"),)),
        ),
    )


def compose(kind: str, person: Person, viewer: Actor) -> Composition:
    """The composition of a document of `kind` for a case the caller has already fetched (and audited)."""
    if kind == Kind.PART_A:
        return compose_part_a(person, _recall(person))
    if kind == Kind.NO_RECALL_LETTER:
        return compose_no_recall_letter(person, _recall(person))
    if kind == Kind.CASE_SUMMARY:
        return compose_case_summary(person, viewer)
    raise ValidationError([("kind", f"there is no document kind {kind[:40]!r}")])


# --- storing and reading --------------------------------------------------------------------------------------------


@transaction.atomic
def document_generate(*, actor: Actor, person: Person, kind: str) -> CaseDocument:
    """Compose, draw the PDF and store both, immutable, with who generated it and when, and audit it."""
    cover = case_write_check(actor=actor, person=person)  # who works the case (issue 11): the COM and managers
    composition = compose(kind, person, actor)
    from keepsafe.cases.pdf import render_pdf  # fpdf loaded when a document is made

    pdf = render_pdf(composition)
    digest = hashlib.sha256(pdf).hexdigest()
    subject = Recall.objects.filter(person=person).values_list("external_id", flat=True).first() or ""
    document = CaseDocument.objects.create(
        person=person,
        kind=kind,
        title=composition.title,
        subject=subject if kind != Kind.CASE_SUMMARY else "",
        generated_at=clock.now(),
        generated_by=actor.code,
        composition=composition.as_json(),
        pdf=pdf,
        sha256=digest,
    )
    audit_record(
        actor=actor,
        action="DOCUMENT_GENERATED",
        crn=person.crn,
        details={"document": str(document.public_id), "kind": kind, "sha256": digest, "bytes": len(pdf), **cover},
    )
    return document


def documents_for_case(person: Person) -> QuerySet[CaseDocument]:
    """The case's stored documents, newest first, without their bytes (the case read is audited by the page)."""
    return CaseDocument.objects.filter(person=person).defer("pdf", "composition")


def document_get(*, actor: Actor, person: Person, public_id: str, as_pdf: bool) -> CaseDocument:
    """One stored document of a visible case; reading it (page or PDF) is audited with its fingerprint."""
    try:
        key = uuid.UUID(public_id)
    except ValueError:
        raise NotFoundError(public_id[:40]) from None
    document = CaseDocument.objects.filter(person=person, public_id=key).first()
    if document is None:
        raise NotFoundError(public_id[:40])
    audit_record(
        actor=actor,
        action="DOCUMENT_READ",
        crn=person.crn,
        details={"document": str(document.public_id), "kind": document.kind, "pdf": as_pdf, "sha256": document.sha256},
    )
    return document


def part_a_for_countersign(*, actor: Actor, person: Person, recall: Recall) -> tuple[Composition, str]:
    """Part A in full for the ACO about to countersign, and its fingerprint for the countersign form; showing it is
    audited with the fingerprint, so the trail says which Part A the ACO saw before signing."""
    composition = compose_part_a(person, recall)
    digest = part_a_digest(recall.part_a)
    audit_record(
        actor=actor,
        action="PART_A_SHOWN",
        crn=person.crn,
        details={"recall": recall.external_id, "part_a_sha256": digest},
    )
    return composition, digest


# --- issue 16 §2 (helper "transfer"): the transfer summary for the receiving team ----------------------------------
SLUG_OF[Kind.TRANSFER_SUMMARY] = "transfer-summary"  # stored on acceptance only: never generated from the Documents tab


def compose_transfer_summary(person: Person, viewer: Actor, *, transfer_id: str, reason: str) -> Composition:
    """What the receiving team needs on day one (seeds/003 rec. 12: risk information lost on transfer): the current
    RoSH, flags, serious-harm indicators, open actions and recall status, from the one summary of the case."""
    summary = case_summary(crn=person.crn, viewer=viewer)
    rosh = summary["risk"]["rosh"]["overall"]
    flags = tuple(
        Field(r["name"], f"since {_day(r['start'])}" + (f"; level {r['level']}" if r["level"] else ""))
        for r in summary["registrations"]
    )
    indicators = tuple(
        Field(str(i.get("label") or name), counted(len(i.get("evidence") or []), "record"))
        for name, i in summary["indicators"].items()
    )
    now = clock.now()
    actions = tuple(
        Field(a.title, f"due {_when(a.due)}; held by {a.owner.code if a.owner else 'nobody'}")
        for a in actions_for_case(person, as_of=now)
    )
    recall = active_recall(person)
    recall_text = (
        f"{'Emergency' if recall.emergency else 'Standard'} recall {recall.recall_id} decided "
        f"{_when(recall.decided_at)}; next: {recall.next_step}"
        if recall is not None
        else "No active recall"
    )
    return Composition(
        Kind.TRANSFER_SUMMARY,
        f"Transfer summary: {person.forename} {person.surname}",
        person.crn,
        person.name,
        now.isoformat(),
        (
            Section("The person", _person_fields(person)),
            Section("The transfer", (Field("Transfer", transfer_id), Field("Reason", reason))),
            Section("Risk of serious harm", (Field("Overall", ROSH_WORDS.get(rosh or "", "Not assessed")),)),
            Section("Active flags", flags or (Field("Flags", "None"),)),
            Section("Serious-harm indicators", indicators or (Field("Indicators", "None found"),)),
            Section("Open actions", actions or (Field("Actions", "None open"),)),
            Section("Recall", (Field("Recall status", recall_text),)),
            *_before_sentence(person, now),
        ),
    )


def _before_sentence(person: Person, now: datetime) -> tuple[Section, ...]:
    """An open court stage travels with the case too (the try-out found it left out): the hearing, the charges, the
    pre-sentence report's proposal and checks, and who lives at each address assessed (seeds/000: Bendall)."""
    out: list[Section] = []
    for stage in court_stages_of(person):
        if stage.closed_at is not None:
            continue
        listing = court_date_as_of(stage, now)
        fields = [
            Field("Court", stage.court),
            Field("Next hearing", _day(listing.date.isoformat()) if listing else "Not listed"),
            Field("Charges", "; ".join(stage.charges) or "None recorded"),
        ]
        psr = getattr(stage, "psr", None)
        if psr is not None:
            fields.append(Field("Pre-sentence report requested", _when(psr.requested_at)))
            for label, check in (
                ("Domestic abuse check", psr.domestic_abuse_check),
                ("Safeguarding check", psr.safeguarding_check),
            ):
                if check is not None:
                    fields.append(Field(label, "answered" if check.response_record_id else "not yet answered"))
            if psr.proposed_address:
                fields.append(Field("Proposed address", psr.proposed_address))
            if psr.proposal:
                fields.append(Field("Proposal", code_words(psr.proposal)))
        for assessed in stage.address_assessments.all():
            who = (
                [f"children aged {', '.join(str(a) for a in assessed.children_ages)}"] if assessed.children_ages else []
            )
            who += ["the victim"] if assessed.victim_lives_there else []
            who += ["a partner"] if assessed.partner_lives_there else []
            fields.append(
                Field(
                    f"Address assessed: {assessed.address}",
                    f"{assessed.conclusion.replace('_', ' ').lower()}; lives there: {', '.join(who) or 'nobody named'}",
                )
            )
        out.append(Section("Before sentence", tuple(fields)))
    return tuple(out)


def composition_store(*, actor: Actor, person: Person, composition: Composition, subject: str) -> CaseDocument:
    """Store a composition made by a service (the caller checked who may write), immutable, with its PDF; audited.
    Called inside the caller's transaction."""
    from keepsafe.cases.pdf import render_pdf  # fpdf loaded when a document is made

    pdf = render_pdf(composition)
    digest = hashlib.sha256(pdf).hexdigest()
    document = CaseDocument.objects.create(
        person=person,
        kind=composition.kind,
        title=composition.title,
        subject=subject,
        generated_at=clock.now(),
        generated_by=actor.code,
        composition=composition.as_json(),
        pdf=pdf,
        sha256=digest,
    )
    audit_record(
        actor=actor,
        action="DOCUMENT_GENERATED",
        crn=person.crn,
        details={"document": str(document.public_id), "kind": composition.kind, "sha256": digest, "bytes": len(pdf)},
    )
    return document


# --- end issue 16 (helper "transfer") ------------------------------------------------------------------------------

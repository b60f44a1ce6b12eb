"""Issue 14 §5: Part A, the decision-not-to-recall letter and a case summary as printable pages and PDFs, from one
composition, stored immutable with who generated them and when; the ACO countersigns the Part A they read."""

from __future__ import annotations

import hashlib
import re

import pytest
import time_machine
from django.db import DatabaseError, transaction
from hypothesis import given, settings
from hypothesis import strategies as st

from keepsafe.actions.models import Recall
from keepsafe.audit.models import AuditEvent
from keepsafe.cases.documents import Composition, Field, Section
from keepsafe.cases.models import CaseDocument, DocumentChangeError
from keepsafe.cases.pdf import composition_sha256, render_pdf
from keepsafe.web.tests import test_recall_pages as recall_pages
from keepsafe.web.tests.test_recall_pages import DECIDED, _recall, as_user

site = recall_pages.site  # the same case on licence, ACO and SPO as the recall pages

pytestmark = pytest.mark.django_db
PART_A = {
    f: f"{f.replace('_', ' ').capitalize()}: set out in full"
    for f in (
        "circumstances",
        "licence_conditions_breached",
        "alternatives_tried",
        "current_rosh",
        "mappa",
        "victim_contact_scheme",
        "last_known_address",
        "associates",
        "vehicles",
        "risk_to_officers",
    )
}


def _generate(client, kind: str) -> str:
    response = client.post(f"/case/X123456/documents/new/{kind}")
    assert response.status_code == 302, response.content.decode()[:500]
    return response.headers["Location"]


def test_part_a_is_not_available_before_it_is_complete_and_nothing_is_stored(site):
    _recall(site)
    with time_machine.travel(DECIDED, tick=False):
        ada = as_user(site["ada"])
        page = ada.get("/case/X123456/documents/new/part-a")
        assert page.status_code == 400
        assert "Part A is not complete" in page.content.decode()
        assert ada.post("/case/X123456/documents/new/part-a").status_code == 400
        letter = ada.get("/case/X123456/documents/new/no-recall-letter")
        assert letter.status_code == 400
        assert ada.get("/case/X123456/documents/new/nonsense").status_code == 404
    assert not CaseDocument.objects.exists()


def test_part_a_page_pdf_and_json_come_from_one_stored_composition(site):
    _recall(site)
    with time_machine.travel(DECIDED, tick=False):
        ada = as_user(site["ada"])
        assert ada.post("/case/X123456/recall/part-a", PART_A).status_code == 302
        preview = ada.get("/case/X123456/documents/new/part-a").content.decode()
        assert "Circumstances: set out in full" in preview
        assert "Risks to officers making the arrest" in preview
        location = _generate(ada, "part-a")
        stored = CaseDocument.objects.get()
        assert location == f"/case/X123456/documents/{stored.public_id}"
        page = ada.get(location).content.decode()
        pdf = ada.get(f"{location}/pdf")
        data = ada.get(f"{location}/json").json()
    assert stored.kind == "PART_A"
    assert stored.generated_by == "STF0001"
    assert stored.subject == Recall.objects.get().external_id
    composition = Composition.from_json(stored.composition)
    # The page shows every field of the stored composition.
    for section in composition.sections:
        for field in section.fields:
            assert field.label in page
    # The PDF is the stored bytes, fingerprinted, and was drawn from exactly that composition.
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert pdf.content == bytes(stored.pdf)
    assert hashlib.sha256(pdf.content).hexdigest() == stored.sha256 == pdf["X-Content-SHA256"]
    assert f"keepsafe-composition-sha256:{composition_sha256(composition)}".encode() in pdf.content
    assert render_pdf(composition) == pdf.content  # the same composition draws the same bytes
    assert data["composition"] == stored.composition
    assert data["pdf_sha256"] == stored.sha256
    generated = AuditEvent.objects.get(action="DOCUMENT_GENERATED")
    assert generated.crn == "X123456"
    assert generated.details["sha256"] == stored.sha256
    assert AuditEvent.objects.filter(action="DOCUMENT_READ", details__pdf=True).count() == 1
    tab = as_user(site["ada"]).get("/case/X123456/documents").content.decode()
    assert 'data-document-kind="PART_A"' in tab


def test_a_stored_document_never_changes(site):
    with time_machine.travel(DECIDED, tick=False):
        _generate(as_user(site["ada"]), "case-summary")
    stored = CaseDocument.objects.get()
    stored.title = "Changed"
    with pytest.raises(DocumentChangeError):
        stored.save()
    with pytest.raises(DocumentChangeError):
        stored.delete()
    with pytest.raises(DatabaseError), transaction.atomic():
        CaseDocument.objects.filter(pk=stored.pk).update(title="Changed")
    assert CaseDocument.objects.get().title.startswith("Case summary")


def test_a_case_summary_and_a_no_recall_letter(site):
    ada, sara = as_user(site["ada"]), as_user(site["sara"])
    with time_machine.travel(DECIDED, tick=False):
        summary = ada.get("/case/X123456/documents/new/case-summary").content.decode()
        assert "Case summary: John Smith" in summary
        assert "PNC number" in summary
        ada.post("/case/X123456/recall/consider", {"event": "1", "reasons": ["CONTACT_STOPPED"], "concerns": "Missed"})
        sara.post("/case/X123456/recall/decide", {"decision": "NO_RECALL", "rationale": "Re-engaged"})
        ada.post("/case/X123456/recall/letter", {"expectations": "Attend weekly", "next_appointment": "Monday 10:00"})
        _generate(ada, "no-recall-letter")
    letter = Composition.from_json(CaseDocument.objects.get(kind="NO_RECALL_LETTER").composition)
    text = " ".join(p for s in letter.sections for p in s.paragraphs)
    assert "Attend weekly" in text
    assert "Re-engaged" in text


def test_only_staff_who_work_the_case_store_documents(site):
    with time_machine.travel(DECIDED, tick=False):
        # The POM reads the case but does not write on it through this route.
        assert as_user(site["pat"]).post("/case/X123456/documents/new/case-summary").status_code == 403
    assert not CaseDocument.objects.exists()


def test_the_aco_countersigns_only_the_part_a_they_were_shown(site):
    _recall(site)
    with time_machine.travel(DECIDED, tick=False):
        assert as_user(site["ada"]).post("/case/X123456/recall/part-a", PART_A).status_code == 302
        from keepsafe.workforce.models import Staff, User

        hana = User.objects.create(username="hana", staff=Staff.objects.get(code="STF0800"), role="HEAD_OF_PDU")
        assert as_user(hana).post("/case/X123456/recall/countersign-spo").status_code == 302
        alex = as_user(site["alex"])
        shown = alex.get("/case/X123456/recall").content.decode()
        assert 'data-testid="part-a-in-full"' in shown
        for value in PART_A.values():
            assert value in shown
        seen = re.search(r'name="part_a_seen" value="([0-9a-f]{64})"', shown)
        assert seen is not None
        refused = alex.post("/case/X123456/recall/countersign-aco", {"part_a_seen": "f" * 64})
        assert refused.status_code == 400
        assert "changed since it was shown to you" in refused.content.decode()
        assert Recall.objects.get().aco_signed_at is None
        assert alex.post("/case/X123456/recall/countersign-aco", {"part_a_seen": seen.group(1)}).status_code == 302
    assert Recall.objects.get().aco_signed_by == "STF0900"
    signed = AuditEvent.objects.get(action="RECALL_COUNTERSIGN_ACO")
    shown_event = AuditEvent.objects.filter(action="PART_A_SHOWN").latest("id")
    assert signed.details["part_a_sha256"] == shown_event.details["part_a_sha256"] == seen.group(1)


text = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=200)


@given(
    title=text.filter(str.strip),
    fields=st.lists(st.tuples(text, text), max_size=6),
    paragraphs=st.lists(text, max_size=3),
)
@settings(max_examples=25, deadline=None)
def test_any_composition_round_trips_and_draws(title, fields, paragraphs):
    """Whatever the text (any script, control characters, empty), the composition survives JSON and draws a PDF."""
    composition = Composition(
        "CASE_SUMMARY",
        title,
        "X123456",
        "Name",
        "2026-11-23T10:00:00+00:00",
        (Section("Heading", tuple(Field(a, b) for a, b in fields), tuple(paragraphs)),),
    )
    assert Composition.from_json(composition.as_json()) == composition
    pdf = render_pdf(composition)
    assert pdf.startswith(b"%PDF")
    assert render_pdf(composition) == pdf


def test_a_case_summary_names_an_spo_oversight_note_in_words(site):
    """User try-out: the case summary's contacts read "Spo oversight" (the code capitalised)."""
    sara = as_user(site["sara"])
    with time_machine.travel(DECIDED, tick=False):
        noted = sara.post("/case/X123456/oversight-note", {"notes": "Reviewed the plan."})
        assert noted.status_code == 302, noted.content.decode()[:500]
        summary = sara.get("/case/X123456/documents/new/case-summary").content.decode()
        chronology = sara.get("/case/X123456/chronology").content.decode()
        overview = sara.get("/case/X123456").content.decode()
    assert "SPO oversight: No outcome recorded. Reviewed the plan." in summary
    assert "Spo oversight" not in summary
    # A user try-out: the summary said "not yet happened" where the chronology said "no outcome recorded" for the same
    # note; both now come from one composition (people/rules/vocabulary.contact_title), the overview's outcome too.
    assert "SPO oversight: No outcome recorded" in chronology
    for page in (summary, chronology, overview):
        assert "not yet happened" not in page.lower()

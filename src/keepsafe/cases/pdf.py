"""A composition (cases/documents.py) drawn as a PDF with fpdf2 (pure Python; no network, no system libraries).

The fonts are DejaVu Sans, shipped with Keepsafe (cases/fonts, Bitstream Vera licence), so every name and note in
any script the font covers prints as written on any machine; a character outside it is drawn as the font's missing
glyph, never dropped silently from the stored composition (which keeps the text exactly).
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from fpdf import FPDF
from fpdf.enums import XPos, YPos

if TYPE_CHECKING:
    from keepsafe.cases.documents import Composition

FONTS = Path(__file__).with_name("fonts")
MARKING = "OFFICIAL-SENSITIVE"


class _Document(FPDF):
    def __init__(self, title: str, crn: str, created: datetime) -> None:
        super().__init__(format="A4")
        self._title, self._crn = title, crn
        self.add_font("DejaVu", "", str(FONTS / "DejaVuSans.ttf"))
        self.add_font("DejaVu", "B", str(FONTS / "DejaVuSans-Bold.ttf"))
        self.set_title(title)
        self.set_author("Keepsafe")
        self.set_creation_date(created)  # the composition's instant: the same composition draws the same bytes
        self.set_auto_page_break(auto=True, margin=20)

    def header(self) -> None:
        self.set_font("DejaVu", "B", 9)
        self.cell(0, 6, f"{MARKING}  ·  {self._crn}", new_x=XPos.LMARGIN, new_y=YPos.NEXT, align="R")
        self.ln(2)

    def footer(self) -> None:
        self.set_y(-15)
        self.set_font("DejaVu", "", 8)
        self.cell(0, 6, f"{self._title}  ·  page {self.page_no()} of {{nb}}", align="C")


def composition_sha256(composition: Composition) -> str:
    """The fingerprint of a composition, written into its PDF's keywords: which composition a PDF was drawn from."""
    canonical = json.dumps(composition.as_json(), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def render_pdf(composition: Composition) -> bytes:
    """The PDF bytes of one composition: the title, then each section's heading, labelled fields and paragraphs.
    The same composition always draws the same bytes (the creation date is the composition's instant)."""
    pdf = _Document(composition.title, composition.crn, datetime.fromisoformat(composition.composed_at))
    pdf.set_keywords(f"keepsafe-composition-sha256:{composition_sha256(composition)}")
    pdf.alias_nb_pages()
    pdf.add_page()
    width = pdf.w - pdf.l_margin - pdf.r_margin
    pdf.set_font("DejaVu", "B", 16)
    pdf.multi_cell(width, 8, composition.title, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(2)
    for section in composition.sections:
        if section.heading:
            pdf.ln(2)
            pdf.set_font("DejaVu", "B", 13)
            pdf.multi_cell(width, 7, section.heading, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        for field in section.fields:
            pdf.set_font("DejaVu", "B", 10)
            pdf.multi_cell(width, 5, field.label, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            pdf.set_font("DejaVu", "", 10)
            pdf.multi_cell(width, 5, field.text or "—", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            pdf.ln(1.5)
        pdf.set_font("DejaVu", "", 11)
        for paragraph in section.paragraphs:
            pdf.multi_cell(width, 6, paragraph, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            pdf.ln(2)
    return bytes(pdf.output())

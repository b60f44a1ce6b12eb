"""Documents on a case (issue 14 §5): Part A, the decision-not-to-recall letter, a case summary — each stored as it
was generated, never changed, with who generated it and when."""

from __future__ import annotations

import uuid
from typing import Any

from django.db import models

from keepsafe.people.models import Person


class DocumentChangeError(Exception):
    """A stored document is immutable: it is never saved twice or deleted."""


class CaseDocument(models.Model):
    class Kind(models.TextChoices):
        PART_A = "PART_A", "Part A"
        NO_RECALL_LETTER = "NO_RECALL_LETTER", "Decision not to recall letter"
        CASE_SUMMARY = "CASE_SUMMARY", "Case summary"
        TRANSFER_SUMMARY = "TRANSFER_SUMMARY", "Transfer summary"  # issue 16 §2 (helper "transfer")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="documents")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    title = models.CharField(max_length=300)
    subject = models.CharField(max_length=64, blank=True, default="")  # the recall's id, for Part A and the letter
    generated_at = models.DateTimeField()
    generated_by = models.CharField(max_length=150)  # staff code (or username of an account without one)
    composition = models.JSONField()  # what the page showed: the PDF is drawn from exactly this
    pdf = models.BinaryField()
    sha256 = models.CharField(max_length=64)  # of `pdf`, also written to the audit event

    class Meta:
        ordering = ["-generated_at", "-id"]
        indexes = [models.Index(fields=["person", "kind"], name="casedocument_person_kind")]

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise DocumentChangeError(f"document {self.public_id} is stored and cannot change")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise DocumentChangeError(f"document {self.public_id} is stored and cannot be deleted")

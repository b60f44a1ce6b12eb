"""The risk picture: serious-harm indicators found on a case, with their evidence, as known at an instant."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from keepsafe.core.formats import iso_instant
from keepsafe.people.models import Contact, Person
from keepsafe.records.models import IndicatorFinding, Record, ScanState
from keepsafe.records.rules.escalation import Incident, violence_escalation
from keepsafe.records.rules.indicators import GROUP_OF, INDICATORS
from keepsafe.records.rules.lexicon import LEXICON_VERSION

PROBATION = "PROBATION"  # the source shown for contact notes, as in the chronology


@dataclass(frozen=True)
class Evidence:
    indicator: str
    record: str | None
    contact: str | None
    source: str
    kind: str
    occurred_at: datetime
    received_at: datetime
    start: int
    end: int
    text: str
    rule: str
    why: str

    @property
    def ref(self) -> str:
        return f"record:{self.record}" if self.record is not None else f"contact:{self.contact}"

    @property
    def anchor(self) -> str:
        """The chronology's anchor for the record or contact."""
        return f"record-{self.record}" if self.record is not None else f"contact-{self.contact}"


@dataclass(frozen=True)
class IndicatorSummary:
    indicator: str
    label: str
    group: str
    evidence: tuple[Evidence, ...]
    why: str = ""  # for indicators found across records (escalation): why the pattern counts

    @property
    def count(self) -> int:
        """How many records and contacts carry the indicator."""
        return len({e.ref for e in self.evidence})

    @property
    def sources(self) -> list[str]:
        return sorted({e.source for e in self.evidence})

    def as_json(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "group": self.group,
            "count": self.count,
            "first_seen": iso_instant(min(e.occurred_at for e in self.evidence)),
            "last_seen": iso_instant(max(e.occurred_at for e in self.evidence)),
            "sources": self.sources,
            "why": self.why or None,
            "evidence": [
                {
                    "record": e.record,
                    "contact": e.contact,
                    "source": e.source,
                    "kind": e.kind,
                    "occurred_at": iso_instant(e.occurred_at),
                    "received_at": iso_instant(e.received_at),
                    "start": e.start,
                    "end": e.end,
                    "text": e.text,
                    "rule": e.rule,
                    "why": e.why,
                }
                for e in self.evidence
            ],
        }


def findings_known(person: Person, as_of: datetime | None = None) -> list[Evidence]:
    """Every finding on the case from information received by `as_of` (all of them when None), oldest first."""
    rows = IndicatorFinding.objects.filter(person=person).select_related("record", "contact")
    if as_of is not None:
        rows = rows.filter(received_at__lte=as_of)
    return [
        Evidence(
            indicator=f.indicator,
            record=f.record.external_id if f.record else None,
            contact=f.contact.external_id if f.contact else None,
            source=f.record.source if f.record else PROBATION,
            kind=f.record.kind if f.record else "CONTACT",
            occurred_at=f.occurred_at,
            received_at=f.received_at,
            start=f.start,
            end=f.end,
            text=f.text,
            rule=f.rule,
            why=f.why,
        )
        for f in rows.order_by("occurred_at", "id")
    ]


def indicator_picture(person: Person, as_of: datetime) -> list[IndicatorSummary]:
    """Indicators found on the case, in taxonomy order, each with its evidence; escalation is worked out here."""
    evidence = findings_known(person, as_of)
    by_indicator: dict[str, list[Evidence]] = {}
    for e in evidence:
        by_indicator.setdefault(e.indicator, []).append(e)
    violent = by_indicator.get("violence", [])
    escalation = violence_escalation([Incident(e.occurred_at, e.ref) for e in violent], as_of)
    summaries: list[IndicatorSummary] = []
    for code, label in INDICATORS.items():
        if code == "violence_escalation":
            if escalation is not None:
                refs = {i.ref for i in escalation.recent}
                summaries.append(
                    IndicatorSummary(
                        code, label, GROUP_OF[code], tuple(e for e in violent if e.ref in refs), escalation.why
                    )
                )
        elif code in by_indicator:
            summaries.append(IndicatorSummary(code, label, GROUP_OF[code], tuple(by_indicator[code])))
    return summaries


# --- what the stored findings were built with (docs/indicators.md "After an upgrade") -------------------------------
@dataclass(frozen=True)
class ScannerVersions:
    lexicon: str  # blank: not known (no full scan on record)
    model: str

    def describe(self) -> str:
        return f"lexicon {self.lexicon or 'unknown'}, classifier {self.model or 'unknown'}"


@dataclass(frozen=True)
class Staleness:
    """The stored findings were last fully built by another scanner than the one running: the worker rebuilds them."""

    stored: ScannerVersions
    running: ScannerVersions


def scanner_versions() -> ScannerVersions:
    """The running scanner: its lexicon and the shipped classifier's version (read without loading the weights)."""
    from keepsafe.records.rules.classifier import shipped_model_version

    return ScannerVersions(LEXICON_VERSION, shipped_model_version())


def findings_staleness() -> Staleness | None:
    """None when every stored finding was built by the running scanner (as far as the scan state records it). A store
    with no state row (made by every `migrate`) is stale only if it holds something that was scanned."""
    running = scanner_versions()
    row = ScanState.objects.filter(pk=1).values_list("lexicon", "model").first()
    if row is None:
        if not Record.objects.exists() and not Contact.objects.exists():
            return None
        row = ("", "")
    stored = ScannerVersions(*row)
    return None if stored == running else Staleness(stored, running)

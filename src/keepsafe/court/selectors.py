"""Reads for the court stage: the action rules' facts (as known at an instant) and a case's stages for its pages.

Callers reach a case through people.selectors.person_get (audited); these read only what belongs to it."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from django.db.models import QuerySet

from keepsafe.core.chunkrows import chunk_rows
from keepsafe.court.models import AddressAssessment, CourtDate, CourtStage, PreSentenceReport
from keepsafe.court.rules.stage import AssessedAddress, CourtStageFacts, PreSentenceCheckFacts
from keepsafe.court.rules.suitability import address_key
from keepsafe.people.models import Person

_STAGE_FIELDS = ("id", "person_id", "external_id", "court", "opened_at", "closed_at")


def _stages_query(ids: Any, as_of: datetime) -> QuerySet[Any, Any]:
    """The court stages opened by `as_of`, the columns the facts read (core/chunkrows.py: compiled once)."""
    return (
        CourtStage.objects.filter(person_id__in=ids, opened_at__lte=as_of)
        .order_by("opened_at", "id")
        .values_list(*_STAGE_FIELDS)
    )


def court_stage_facts_many(person_ids: Iterable[int], as_of: datetime) -> dict[int, tuple[CourtStageFacts, ...]]:
    """Each case's court stages as known at `as_of`, in four queries for any number of cases: the court date known
    then (the newest listing recorded by then), the report and its checks as requested and answered by then, the
    address assessments recorded by then, and the outcome if recorded by then."""
    stages = [
        CourtStage(**dict(zip(_STAGE_FIELDS, row, strict=True))) for row in chunk_rows(_stages_query, person_ids, as_of)
    ]
    if not stages:
        return {}
    ids = [s.pk for s in stages]
    dates: dict[int, date] = {}
    for stage_id, day in (
        CourtDate.objects.filter(stage_id__in=ids, known_from__lte=as_of)
        .order_by("stage_id", "known_from", "id")
        .values_list("stage_id", "date")
    ):
        dates[stage_id] = day  # the last one known wins
    reports = {
        r.stage_id: r
        for r in PreSentenceReport.objects.filter(stage_id__in=ids, requested_at__lte=as_of).select_related(
            "domestic_abuse_check__response_record", "safeguarding_check__response_record"
        )
    }
    assessed: dict[int, list[AssessedAddress]] = defaultdict(list)
    for a in AddressAssessment.objects.filter(stage_id__in=ids, assessed_at__lte=as_of).order_by("assessed_at", "id"):
        assessed[a.stage_id].append(AssessedAddress(address_key(a.address), a.conclusion, a.assessed_at, a.external_id))
    out: dict[int, list[CourtStageFacts]] = defaultdict(list)
    for stage in stages:
        if stage.pk not in dates:
            continue  # no listing known yet at this instant
        report = reports.get(stage.pk)
        checks: list[PreSentenceCheckFacts] = []
        if report is not None:
            for kind, check in (
                ("DOMESTIC_ABUSE", report.domestic_abuse_check),
                ("SAFEGUARDING", report.safeguarding_check),
            ):
                if check is None or check.requested_at > as_of:
                    continue
                answered = check.response_record.received_at if check.response_record is not None else None
                checks.append(
                    PreSentenceCheckFacts(
                        kind=kind,
                        id=check.external_id or str(check.public_id),
                        requested_at=check.requested_at,
                        answered_at=answered if answered is not None and answered <= as_of else None,
                    )
                )
        closed = stage.closed_at if stage.closed_at is not None and stage.closed_at <= as_of else None
        out[stage.person_id].append(
            CourtStageFacts(
                id=stage.external_id,
                court=stage.court,
                court_date=dates[stage.pk],
                opened_at=stage.opened_at,
                closed_at=closed,
                psr_requested_at=report.requested_at if report is not None else None,
                checks=tuple(checks),
                considering=tuple(report.considering) if report is not None else (),
                proposed_address=report.proposed_address if report is not None else "",
                assessed=tuple(assessed[stage.pk]),
            )
        )
    return {pk: tuple(facts) for pk, facts in out.items()}


def court_stages_of(person: Person) -> QuerySet[CourtStage]:
    """A case's court stages with everything the case page shows, newest first."""
    return (
        CourtStage.objects.filter(person=person)
        .select_related(
            "event",
            "psr__domestic_abuse_check__response_record",
            "psr__safeguarding_check__response_record",
            "psr__domestic_abuse_check__partner",
            "psr__safeguarding_check__partner",
        )
        .prefetch_related("dates", "address_assessments")
        .order_by("-opened_at", "-id")
    )


def court_date_as_of(stage: CourtStage, as_of: datetime) -> CourtDate | None:
    """The listing known at `as_of` (None: none recorded by then)."""
    known = [d for d in stage.dates.all() if d.known_from <= as_of]
    return max(known, key=lambda d: (d.known_from, d.pk)) if known else None

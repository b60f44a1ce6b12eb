"""Caseload pages: my caseload (practitioners), team and PDU caseloads (SPOs, heads of PDU)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from keepsafe.cases.caseload import (
    ROSH_BY_REGISTRATION,
    SORTS,
    CaseloadFilters,
    caseload,
    caseload_counts,
    unfiltered_total,
)
from keepsafe.core.actor import Role
from keepsafe.core.pages import shown_page
from keepsafe.people.rules.vocabulary import SENTENCE_LABELS, SentenceType
from keepsafe.web.views.common import (
    PAGE_SIZE,
    QueryRefusedError,
    actor_of,
    choice_error,
    page_count,
    page_number,
    query_choice,
    query_value,
    require_role,
)
from keepsafe.workforce.models import Pdu, Team

ROSH_LABELS = {"VERY_HIGH": "Very high", "HIGH": "High", "MEDIUM": "Medium", "LOW": "Low"}


def home(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    staff = request.user.staff  # type: ignore[union-attr]
    team = staff.team if staff else None
    if actor.role is Role.SPO and team is not None:
        return redirect("web:team", code=team.code)
    if actor.role is Role.HEAD_OF_PDU and team is not None:
        return redirect("web:pdu", code=team.pdu.code)
    if actor.role is Role.REGIONAL_LEADER:
        return redirect("web:region")  # their region's overview, recalls awaiting execution first (issue 14 §4, §6)
    if actor.role is Role.AUDITOR:
        return redirect("web:audit")
    if actor.role in (Role.PRACTITIONER, Role.POM):
        return redirect("web:caseload")
    return redirect("web:search")


SETTINGS = ("CUSTODY", "COMMUNITY")
ROSH_CHOICES = (*ROSH_LABELS, "NOT_ASSESSED")


def _filters(request: HttpRequest) -> CaseloadFilters:
    """The filters and sort in the address; a value that is none of the page's choices is refused by name (it was not:
    `sort=banana` sorted by name, `rosh=purple` showed "No cases match", `sentence=banana` every case)."""
    sort = query_value(request, "sort") or "name"
    if sort.removeprefix("-") not in SORTS:
        raise QueryRefusedError(
            "sort",
            choice_error(
                "sort",
                sort,
                "a column this list sorts by",
                SORTS,
                " (a minus sign before one, like sort=-name, sorts it the other way)",
            ),
        )
    return CaseloadFilters(
        sentence_type=query_choice(request, "sentence", (s.value for s in SentenceType), "a sentence type"),
        rosh=query_choice(request, "rosh", ROSH_CHOICES, "a RoSH level"),
        setting=query_choice(request, "setting", SETTINGS, "custody or community"),
        sort=sort.removeprefix("-"),
        descending=sort.startswith("-"),
    )


def _render(
    request: HttpRequest,
    *,
    title: str,
    scope: str,
    code: str | None,
    show_practitioner: bool,
    counts: list | None = None,
) -> HttpResponse:
    actor = actor_of(request)
    filters = _filters(request)
    page = page_number(request)
    rows, total = caseload(  # a page past the last shows the last (core.pages)
        viewer=actor,
        scope=scope,
        scope_code=code,
        filters=filters,
        offset=(page - 1) * PAGE_SIZE,
        limit=PAGE_SIZE,
        total=unfiltered_total(counts, filters) if counts is not None else None,  # no second COUNT of the scope
    )
    page = shown_page(page, PAGE_SIZE, total)
    query = request.GET.copy()
    query.pop("page", None)
    filter_query = query.copy()
    filter_query.pop("sort", None)
    return render(
        request,
        "pages/caseload.html",
        {
            "title": title + (f" (page {page})" if page > 1 else ""),
            "heading": title,
            "rows": rows,
            "total": total,
            "filters": filters,
            "counts": counts,
            "show_practitioner": show_practitioner,
            "page": page,
            "pages": page_count(total),
            "query": query.urlencode(),
            "filter_query": filter_query.urlencode(),
            "sort": ("-" if filters.descending else "") + filters.sort,
            "sentence_options": [(s.value, SENTENCE_LABELS[s]) for s in SentenceType],
            "rosh_options": [*ROSH_LABELS.items(), ("NOT_ASSESSED", "Not assessed")],
            "rosh_labels": ROSH_LABELS,
            "sentence_labels": {s.value: SENTENCE_LABELS[s] for s in SentenceType},
            "rosh_codes": ROSH_BY_REGISTRATION,
            "workload_team": code if scope == "TEAM" else None,  # issue 15 (helper "work"): link to its workload
        },
    )


def my_caseload(request: HttpRequest) -> HttpResponse:
    return _render(request, title="My caseload", scope="MY", code=None, show_practitioner=False)


def team_caseload(request: HttpRequest, code: str) -> HttpResponse:
    actor = actor_of(request)
    require_role(actor, Role.SPO, Role.HEAD_OF_PDU, Role.REGIONAL_LEADER, Role.ADMINISTRATOR)
    team = Team.objects.filter(code=code).first()
    if team is None:
        raise Http404
    counts = caseload_counts(viewer=actor, scope="TEAM", scope_code=code)
    return _render(
        request, title=f"{team.name}: caseload", scope="TEAM", code=code, show_practitioner=True, counts=counts
    )


def pdu_caseload(request: HttpRequest, code: str) -> HttpResponse:
    actor = actor_of(request)
    require_role(actor, Role.HEAD_OF_PDU, Role.REGIONAL_LEADER, Role.ADMINISTRATOR)
    pdu = Pdu.objects.filter(code=code).first()
    if pdu is None:
        raise Http404
    counts = caseload_counts(viewer=actor, scope="PDU", scope_code=code)
    return _render(
        request, title=f"{pdu.name}: caseload", scope="PDU", code=code, show_practitioner=True, counts=counts
    )

"""A regional leader's (an ACO's) landing page: every recall awaiting execution in their area with the hours since
revocation, then their region's PDUs with cases, open and overdue actions (issue 14 §4 and §6)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from keepsafe.cases.recalls import area_regions, recalls_awaiting_execution, region_overview
from keepsafe.core import clock
from keepsafe.core.actor import Role
from keepsafe.core.pages import shown_page
from keepsafe.oversight.prioritisation import region_prioritisation  # issue 15 §4 (helper "overs")
from keepsafe.web.views.common import (
    PAGE_SIZE,
    actor_of,
    page_count,
    page_number,
    query_without_page,
    require_role,
)
from keepsafe.workforce.models import Pdu


def region(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    require_role(actor, Role.REGIONAL_LEADER)
    regions = area_regions(getattr(request.user, "staff", None))
    number = page_number(request)
    recalls, total = recalls_awaiting_execution(
        viewer=actor, regions=regions, offset=(number - 1) * PAGE_SIZE, limit=PAGE_SIZE
    )
    number = shown_page(number, PAGE_SIZE, total)  # past the last page: the last (core.pages)
    names = ", ".join(r.name for r in regions)
    return render(
        request,
        "pages/region.html",
        {
            "title": f"{names or 'Your region'}: overview" + (f" (page {number})" if number > 1 else ""),
            "heading": f"{names}: overview" if names else "Your region",
            "regions": regions,
            "recalls": recalls,
            "recall_total": total,
            "pdus": region_overview(viewer=actor, regions=regions),
            # issue 15 §4 (helper "overs"): each PDU's prioritisation status and the work it deprioritises
            "prioritisation": region_prioritisation(
                Pdu.objects.filter(region__in=regions).order_by("name"), clock.today()
            ),
            "page": number,
            "pages": page_count(total),
            "query": query_without_page(request),
        },
    )

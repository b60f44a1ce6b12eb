"""Issue 15 §1, §5 (helper "work"): a team's workload and capacity, and its training compliance."""

from __future__ import annotations

from decimal import Decimal

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from keepsafe.core import clock
from keepsafe.core.actor import Role
from keepsafe.core.errors import PermissionDeniedError
from keepsafe.oversight.rules.workload import format_percent
from keepsafe.oversight.workload import team_workload, workload_scope_problem
from keepsafe.web.views.common import actor_of, require_role
from keepsafe.workforce.models import Team

CHART_MAX = 150  # the chart's scale runs to 150 %; a longer bar is drawn to the edge and its figure still shown


@require_GET
def team_workload_page(request: HttpRequest, code: str) -> HttpResponse:
    actor = actor_of(request)
    require_role(actor, Role.SPO, Role.HEAD_OF_PDU, Role.REGIONAL_LEADER)
    team = Team.objects.select_related("pdu").filter(code=code).first()
    if team is None:
        raise Http404
    now = clock.now()
    if (problem := workload_scope_problem(actor, team.pdu.code)) is not None:
        raise PermissionDeniedError(problem[:1].upper() + problem[1:])
    data = team_workload(viewer=actor, team_code=team.code, pdu_code=team.pdu.code, as_of=now)
    bars = [
        {
            "name": m.load.staff.name,
            "percent": format_percent(m.load.capacity_percent),
            "width": min(float(m.load.capacity_percent or 0), CHART_MAX) / CHART_MAX * 100,
            "over": m.load.over_capacity,
        }
        for m in data.members
    ]
    return render(
        request,
        "pages/team_workload.html",
        {
            "title": f"{team.name}: workload and capacity",
            "team": team,
            "data": data,
            "bars": bars,
            "chart_max": CHART_MAX,
            "as_of": now,
            "format_percent": format_percent,
            "format_hours": lambda h: f"{h.quantize(Decimal('0.01')).normalize():f}",
        },
    )

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from keepsafe.people.selectors import person_search
from keepsafe.web.views.common import actor_of


def search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:100]
    results = person_search(viewer=actor_of(request), query=query) if query else None
    return render(request, "pages/search.html", {"query": query, "results": results})

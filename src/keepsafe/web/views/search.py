from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from keepsafe.core.pages import shown_page
from keepsafe.people.selectors import person_search_page
from keepsafe.web.views.common import PAGE_SIZE, actor_of, page_count, page_number, query_value, query_without_page


def search(request: HttpRequest) -> HttpResponse:
    """Search by whole or partial CRN, PNC, name and date of birth; every match, a page at a time (issue 14 §6)."""
    query = (query_value(request, "q") or "").strip()[:100]  # any text is a search; given twice it is refused
    number = page_number(request)
    results, total = (
        person_search_page(viewer=actor_of(request), query=query, offset=(number - 1) * PAGE_SIZE, limit=PAGE_SIZE)
        if query
        else (None, 0)
    )
    number = shown_page(number, PAGE_SIZE, total)  # past the last page: the last (core.pages)
    return render(
        request,
        "pages/search.html",
        {
            # No query in the title: it would put names in browser history.
            "title": ("Search results" if query else "Search for a case") + (f" (page {number})" if number > 1 else ""),
            "query": query,
            "results": results,
            "total": total,
            "page": number,
            "pages": page_count(total),
            "query_string": query_without_page(request),
        },
    )

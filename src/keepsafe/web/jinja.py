"""The Jinja2 environment: GOV.UK Frontend macros (govuk-frontend-jinja) plus Keepsafe's own templates."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import jinja2
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from markupsafe import Markup, escape

from keepsafe.core.dates import clock_words
from keepsafe.core.words import code_words


def _url(name: str, *args: Any, **kwargs: Any) -> str:
    return reverse(name, args=args or None, kwargs=kwargs or None)


def _date(value: date | datetime | None, fmt: str = "%-d %B %Y") -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = timezone.localtime(value)
    return value.strftime(fmt)


def _datetime(value: datetime | None) -> str:
    if value is None:
        return ""
    return clock_words(timezone.localtime(value))


def _due(value: datetime | None) -> str:
    """A due instant: "by the end of 25 December 2023" for a London midnight, else "25 December 2023 at 14:00"."""
    from keepsafe.actions.rules.calendar import due_words

    return "" if value is None else due_words(value, _datetime(value))


def _highlight(text: str, marks: tuple[tuple[int, int, str], ...] = ()) -> Markup:
    """Text with each indicator finding marked; everything escaped. Overlapping marks keep the earliest."""
    out: list[str] = []
    position = 0
    for start, end, _label in sorted(marks):
        if start < position:
            continue
        out.append(str(escape(text[position:start])))
        # No `title`: a hover is out of reach by keyboard, touch and screen reader; the page lists each finding's
        # indicator and reason as text under the record (case/chronology.html).
        out.append(f'<mark class="ks-finding">{escape(text[start:end])}</mark>')
        position = end
    out.append(str(escape(text[position:])))
    return Markup("".join(out))  # noqa: S704 — every piece above is escaped


def environment(**options: Any) -> jinja2.Environment:
    file_loader = options.pop("loader", None) or jinja2.FileSystemLoader(options.pop("DIRS", []))
    options["loader"] = jinja2.ChoiceLoader(
        [
            file_loader,
            jinja2.PrefixLoader({"govuk_frontend_jinja": jinja2.PackageLoader("govuk_frontend_jinja")}),
        ]
    )
    # Nunjucks-like undefined: the GOV.UK template calls macros without every parameter.
    options["undefined"] = jinja2.ChainableUndefined
    options.setdefault("autoescape", True)
    env = jinja2.Environment(**options)  # noqa: S701 — autoescape is on (set above)
    from keepsafe.core import clock
    from keepsafe.core.dates import date_anchor, date_example, date_parts_at_fault
    from keepsafe.web.navigation import nav_items

    env.globals.update(
        {
            "static": static,
            "url": _url,
            "nav_items": nav_items,
            "date_parts_at_fault": date_parts_at_fault,
            "date_anchor": date_anchor,
            # a date input's "For example, …" on the side of today the form asks for (core/dates.date_example)
            "date_hint": lambda when: date_example(clock.today(), when),
        }
    )
    from keepsafe.workforce.selectors import staff_name

    env.filters.update(
        {"govdate": _date, "govdatetime": _datetime, "govdue": _due, "label": code_words, "highlight": _highlight}
    )
    from keepsafe.actions.rules.types import type_name
    from keepsafe.people.rules.vocabulary import contact_type_words
    from keepsafe.risk.rules.tier.v3 import tier_words

    env.filters["tier"] = tier_words  # MISSING and NOT_SUPERVISED in words (issue 20 try-out)
    env.filters["action_type"] = type_name  # an action type by its explicit name, never derived from the code
    # A contact type by its one name, as the Appointments tab, the diary and the chronology write it (a try-out found
    # "Office visit" on the overview beside "Office appointment" elsewhere for the same contact).
    env.filters["contact_type"] = contact_type_words
    env.filters["staff"] = _staff_filter(staff_name)  # a stored staff code or username, by name (issue 14 §7)
    return env


def _staff_filter(name_of: Any) -> Any:
    """The `staff` filter, looking each value up once per page (issue 20 §6): a table of assessments by the same
    assessor read the staff and user tables again for every row. The memo is the page context's (web/context.py),
    so nothing outlives the request; a template rendered without it looks up every time."""
    from keepsafe.web.context import STAFF_FILTER_MEMO

    @jinja2.pass_context
    def staff(context: jinja2.runtime.Context, value: Any) -> Any:
        memo = context.get(STAFF_FILTER_MEMO)
        if not isinstance(memo, dict):
            return name_of(value)
        if value not in memo:
            memo[value] = name_of(value)
        return memo[value]

    return staff

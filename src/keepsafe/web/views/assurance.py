"""Assurance pages (issue 17): delivery dashboards, case audits, recall-decision sampling, overrides and equality
monitoring, for SPOs, heads of PDU, regional leaders and the quality team (role AUDITOR). Figures are computed by
assurance/rules over assurance/selectors; these views only read the form and render."""

from __future__ import annotations

import csv
import functools
import io
import json
import re
from collections.abc import Callable
from dataclasses import asdict
from datetime import date, timedelta
from fractions import Fraction
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from keepsafe.assurance import selectors, services
from keepsafe.assurance.rules import capacity, charts, inspection, overrides
from keepsafe.assurance.rules.measures import Figure, Measure
from keepsafe.assurance.rules.recall_sampling import REASON_LABELS, Reason
from keepsafe.assurance.rules.scope import ASSURANCE_ROLES, AUDITORS, SAMPLERS, Scope, default_scope
from keepsafe.core import clock
from keepsafe.core.actor import Actor
from keepsafe.core.dates import DATE_PARTS, date_from_parts, day_words, is_number
from keepsafe.core.errors import NotFoundError, PermissionDeniedError, ValidationError
from keepsafe.core.ranges import EARLIEST  # issue 11 §4: no date before 1900
from keepsafe.oversight.rules.workload import format_percent
from keepsafe.oversight.workload import Workload
from keepsafe.web.views.common import (
    PAGE_SIZE,
    QueryRefusedError,
    actor_of,
    once_error,
    page_number,
    query_without_page,
    repeated,
)
from keepsafe.workforce.rules.grades import GRADE_LABELS

DEFAULT_SHARE_PERCENT = 10  # Keepsafe default: one in ten no-recall decisions goes to a second reviewer


def _actor(request: HttpRequest) -> Actor:
    actor = actor_of(request)
    if actor.role.value not in ASSURANCE_ROLES:
        raise PermissionDenied
    return actor


class _ExportNotFoundError(Exception):
    """An export asked for a unit that does not exist: answered as JSON (`_exported`), not the HTML 404 page."""


def _export_asked(request: HttpRequest) -> bool:
    return request.GET.get("format") in ("json", "csv")


class _UnitRefusedError(Exception):
    """`unit` (or `scope` and `code`) cannot name a team, PDU or region: refused by field (`_refuses_unit`), never
    answered for the viewer's own unit (user try-out: `unit=garbage` was)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


UNIT_WORDS = {Scope.TEAM.value: "team", Scope.PDU.value: "PDU", Scope.REGION.value: "region"}
UNIT_ERROR = (
    "Choose a team, PDU or region from the list: {value!r} is not one "
    "(a unit is TEAM, PDU or REGION, a colon and its code, like PDU:GMR-MN)"
)


def _scope(request: HttpRequest, actor: Actor) -> tuple[Scope, str, str]:
    """The team, PDU or region asked for (default, when none is given: the viewer's own), checked against the viewer's
    role. Given as `unit=PDU:GMR-MN` (the picker) or `scope=PDU&code=GMR-MN` (links); half of one is refused."""
    raw_scope, code = request.GET.get("scope", "").strip(), request.GET.get("code", "").strip()[:30]
    unit = request.GET.get("unit", "").strip()
    if unit:
        raw_scope, _, code = unit.partition(":")
        raw_scope, code = raw_scope.strip(), code.strip()[:30]
        if not (raw_scope and code):
            raise _UnitRefusedError("unit", UNIT_ERROR.format(value=unit[:40]))
    elif raw_scope and not code:
        raise _UnitRefusedError(
            "code",
            f"Give the code of the {UNIT_WORDS.get(raw_scope, 'unit')} as well as scope={raw_scope[:10]}, "
            "or choose a team, PDU or region from the list",
        )
    elif code and not raw_scope:
        raise _UnitRefusedError(
            "scope",
            f"Give scope=TEAM, PDU or REGION as well as code={code}, or choose a team, PDU or region from the list",
        )
    if raw_scope and code:
        try:
            scope = Scope(raw_scope)
        except ValueError as exc:
            if _export_asked(request):
                raise _ExportNotFoundError from exc
            raise Http404 from exc
    else:
        found = default_scope(actor.role.value, selectors.place_of(actor))
        if found is None:
            raise PermissionDenied
        scope, code = found
    try:
        name = selectors.check_scope(actor, scope, code)
    except NotFoundError as exc:
        if _export_asked(request):
            raise _ExportNotFoundError from exc
        raise Http404 from exc
    except PermissionDeniedError as exc:
        raise PermissionDenied from exc
    return scope, code, name


ROLE_REFUSED = (
    "Assurance figures and their downloads are for SPOs, heads of PDU, regional leaders and auditors: "
    "your role does not give access to them"
)


# The parameters that choose what a dashboard, overrides or equality page answers with.
ANSWER_CHOICES = ("format", "list", "measure", "scope", "code", "unit")


def _exported(view: Callable[[HttpRequest], HttpResponse]) -> Callable[[HttpRequest], HttpResponse]:
    """An export for a team, PDU or region that does not exist is answered as JSON with 404 (second try-out); one
    refused to the viewer's role or for a unit they may not see, as JSON with 403 and why (a user try-out: a CSV
    download got the HTML 403 page). The reason names the unit asked for, never a case."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest) -> HttpResponse:
        # a choice given twice (`?format=csv&format=json`: which was meant?) is refused by name, as a repeated period
        # is (`_day`), never the last taken (independent try-out, 4 December)
        twice = repeated(request, ANSWER_CHOICES)
        if twice and (_export_asked(request) or "format" in twice):
            return JsonResponse({"errors": {name: once_error(name) for name in twice}}, status=400)
        if twice:
            # a page (not a download) answers on the GOV.UK error page, as every list page does (try-out 10: a
            # repeated `measure` on a page got raw JSON)
            raise QueryRefusedError(twice[0], once_error(twice[0]))
        try:
            return view(request)
        except _ExportNotFoundError:
            return JsonResponse({"errors": {"scope": "No team, PDU or region has that code"}}, status=404)
        except PermissionDenied as exc:
            if not _export_asked(request):
                raise
            cause = exc.__cause__
            reason = str(cause) if isinstance(cause, PermissionDeniedError) else ROLE_REFUSED
            return JsonResponse({"errors": {"access": reason[:1].upper() + reason[1:]}}, status=403)

    return wrapped


def _refuses_unit(
    heading: str, active: str, *, with_period: bool = True
) -> Callable[[Callable[[HttpRequest], HttpResponse]], Callable[[HttpRequest], HttpResponse]]:
    """A page whose unit is refused (`_UnitRefusedError`) answers 400 with the field and why: the picker with the
    error, the period as typed (and its own errors, if any) and no figure; an export answers `{"errors": ...}`."""

    def decorate(view: Callable[[HttpRequest], HttpResponse]) -> Callable[[HttpRequest], HttpResponse]:
        @functools.wraps(view)
        def wrapped(request: HttpRequest) -> HttpResponse:
            try:
                return view(request)
            except _UnitRefusedError as refused:
                first, last, period_errors = _period(request) if with_period else (clock.today(), clock.today(), {})
                errors = {refused.field: refused.message} | period_errors
                if _export_asked(request):
                    return JsonResponse({"errors": errors}, status=400)
                actor = _actor(request)
                context = {
                    "heading": heading,
                    "active": active,
                    "with_period": with_period,
                    "units": [(s.value, c, n) for s, c, n in selectors.units(actor)],
                    "first": first,
                    "last": last,
                    "typed": typed_dates(request),
                    "errors": errors,
                    "roles": {"sampler": actor.role.value in SAMPLERS, "auditor": actor.role.value in AUDITORS},
                }
                return render(request, "pages/assurance/unit_refused.html", context, status=400)

        return wrapped

    return decorate


def _no_download(request: HttpRequest) -> HttpResponse | None:
    """Pages without a download refuse `format` rather than answer with the page (second try-out)."""
    if "format" in request.GET:
        return JsonResponse({"errors": {"format": "This page has no download"}}, status=400)
    return None


def _day(request: HttpRequest, prefix: str, label: str, latest: date, errors: dict[str, str]) -> date | None:
    """The date asked for as `prefix` from 1 January 1900 to `latest`: a GOV.UK date input (prefix-day, prefix-month,
    prefix-year; read by core/dates.py, as every form's date boxes are), or, for a link or a download, the parameter
    `prefix` as YYYY-MM-DD, the form every export writes its dates in. None when left blank; refused, never ignored
    (a try-out: `?from=2026-02-31` silently gave the default period), with the reason in `errors[prefix]`; so is a
    parameter given twice (`?from=…&from=…`: which one was meant?)."""
    twice = repeated(request, (prefix, *(f"{prefix}-{p}" for p in DATE_PARTS)))
    if twice:  # a try-out: `?from=2026-01-01&from=2026-06-01` silently took the last
        names = " and ".join(f"{name}=" for name in twice)
        errors[prefix] = f"Give {label.lower()} once: {names} is in the address more than once"
        return None
    day, month, year = boxes = [request.GET.get(f"{prefix}-{p}", "") for p in DATE_PARTS]
    written = request.GET.get(prefix, "").strip()
    if written and any(b.strip() for b in boxes):
        errors[prefix] = f"Give {label.lower()} once: in the date boxes or as {prefix}=YYYY-MM-DD, not both"
        return None
    if written:
        found = _iso_day(written, prefix, label)
    elif any(b.strip() for b in boxes):
        found = date_from_parts(day, month, year, label.lower())
    else:
        return None
    if isinstance(found, str):
        errors[prefix] = found
        return None
    if found < EARLIEST:
        errors[prefix] = f"{label} must be on or after {day_words(EARLIEST)}"
        return None
    if found > latest:
        errors[prefix] = f"{label} must be on or before {day_words(latest)}" + (
            " (today)" if latest == clock.today() else " (the end of this month)"
        )
        return None
    return found


ISO_DAY = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")


def _iso_day(text: str, prefix: str, label: str) -> date | str:
    """`prefix=YYYY-MM-DD` as a date, or why not: not in that form (`from=yesterday`, `from=２０２６-01-01`), or not a
    real date (`from=2026-02-31`)."""
    shape = ISO_DAY.fullmatch(text)
    if shape is None:
        return f"{label} ({prefix}) must be written as YYYY-MM-DD using the digits 0 to 9, like 2026-03-27"
    year, month, day = (int(g) for g in shape.groups())
    try:
        return date(year, month, day)
    except ValueError:
        return f"{label} ({prefix}={text}) is not a real date: check the day and month"


def _period(request: HttpRequest) -> tuple[date, date, dict[str, str]]:
    """The period asked for, of any length (issue 17 §1: a dashboard reads a fixed number of queries whatever its
    months); by default the six whole months to the end of this month. Refused by field: an unreadable date, one
    before 1900, a start after today, an end after this month, an end before the start."""
    errors: dict[str, str] = {}
    today = clock.today()
    default_last = date(today.year + (today.month == 12), today.month % 12 + 1, 1) - timedelta(days=1)
    default_first = date(today.year - (today.month <= 5), (today.month - 6) % 12 + 1, 1)
    first = _day(request, "from", "The start date", today, errors)
    last = _day(request, "to", "The end date", default_last, errors)
    if errors:
        return default_first, default_last, errors
    given = first is not None
    first, last = first or default_first, last or default_last  # a blank date is the default period's
    if last < first:
        errors["to"] = f"The end date must be the same as or after the start date ({day_words(first)}" + (
            ")" if given else ", the default start when none is given)"
        )
        return default_first, default_last, errors
    return first, last, errors


def typed_dates(request: HttpRequest) -> dict[str, dict[str, str]]:
    """What was typed in the period's date boxes, to show again when it is refused (GOV.UK: keep the user's input);
    a date given as `from=YYYY-MM-DD` shows in the boxes as its day, month and year."""
    typed = {prefix: {p: request.GET.get(f"{prefix}-{p}", "") for p in DATE_PARTS} for prefix in PERIOD}
    for prefix in PERIOD:
        shape = ISO_DAY.fullmatch(request.GET.get(prefix, "").strip())
        if shape is not None and not any(typed[prefix].values()):
            typed[prefix] = {"year": shape[1], "month": shape[2], "day": shape[3]}
    return typed


PERIOD = ("from", "to")


def _common(request: HttpRequest, actor: Actor, scope: Scope, code: str, name: str, first: date, last: date) -> dict:
    return {
        "typed": typed_dates(request),
        "scope": scope.value,
        "code": code,
        "unit_name": name,
        "first": first,
        "last": last,
        "units": [(s.value, c, n) for s, c, n in selectors.units(actor)],
        "query": f"scope={scope.value}&code={code}&from-day={first.day}&from-month={first.month}"
        f"&from-year={first.year}&to-day={last.day}&to-month={last.month}&to-year={last.year}",
        "roles": {"sampler": actor.role.value in SAMPLERS, "auditor": actor.role.value in AUDITORS},
    }


FORMATS = ("", "csv", "json")
FORMAT_ERROR = "Choose format=csv or format=json to download, or leave format out for the page"


def _refused(
    request: HttpRequest,
    actor: Actor,
    scope: Scope,
    code: str,
    name: str,
    first: date,
    last: date,
    errors: dict[str, str],
    template: str,
) -> HttpResponse:
    """The page for a refused period: the picker with its errors and typed dates, and no figure for any period."""
    return render(
        request, template, _common(request, actor, scope, code, name, first, last) | {"errors": errors}, status=400
    )


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{value * 100:.0f}%"


# assure2 (issue 17): a period with nothing in its denominator reads so, never 0% (page, chart gap, null in exports).
NO_CASES = "No cases in this period"


def _share(denominator: int, rate: float | None) -> str:
    """A measure's share as the page prints it: "No cases in this period" when nothing was due, never 0%."""
    return NO_CASES if not denominator or rate is None else _pct(rate)


# 1. Delivery dashboards ---------------------------------------------------------------------------------------------


CAPACITY = "CAPACITY"  # `?measure=CAPACITY`: the practitioners behind the capacity measure
CAPACITY_LABEL = "Practitioners within capacity (under 100%) at the end of the period"


DASHBOARD_COLUMNS = (
    "measure",
    "label",
    "from",
    "to",
    "numerator",
    "denominator",
    "rate",
    "unit_capacity_percent",
    "no_figure",
)


def _month_label(first: date, after: date) -> str:
    """A trend bucket's label: "Oct 2026" for a whole month, "1 to 15 Oct 2026" for the part a period covers (try-out:
    a one-day period's capacity read "Oct 2026" and differed from the month's end figure)."""
    last = after - timedelta(days=1)
    if first.day == 1 and after.day == 1:
        return f"{first:%b %Y}"
    return f"{first.day} to {last.day} {last:%b %Y}"


BEFORE_RECORDS = "No records: before Keepsafe's first sweep could see this work"


def _measure_point(fig: Figure, before_records: bool) -> dict[str, Any]:
    """A measure's figure for a period or month; before its records begin (measures.records_begin), no figure."""
    if before_records:
        return {"numerator": None, "denominator": None, "rate": None, "no_figure": BEFORE_RECORDS}
    return {"numerator": fig.numerator, "denominator": fig.denominator, "rate": fig.rate, "no_figure": None}


def _capacity_point(fig: capacity.CapacityFigure | capacity.NoFigure) -> dict[str, Any]:
    if isinstance(fig, capacity.NoFigure):  # after now, or before the unit's caseload records begin
        return {"numerator": None, "denominator": None, "rate": None, "unit_capacity_percent": None} | {
            "points": None,
            "available_points": None,
            "no_figure": str(fig),
        }
    unit = fig.unit_percent
    return {
        "no_figure": None,
        "numerator": fig.within,
        "denominator": fig.measured,
        "rate": fig.rate,
        "unit_capacity_percent": None if unit is None else round(float(unit), 1),
        "points": fig.points,
        "available_points": fig.available_points,
    }


def _practitioner(load: Workload) -> dict[str, Any]:
    """One practitioner behind the capacity number: counts only, never a case."""
    return {
        "staff": load.staff.code,
        "name": f"{load.staff.forename} {load.staff.surname}",
        "grade": GRADE_LABELS[load.grade],
        "capacity_percent": None if load.capacity_percent is None else float(load.capacity_percent),
        "capacity": format_percent(load.capacity_percent),
        "within_capacity": not load.over_capacity,
        "points": load.points,
        "available_points": load.available_points,
        "cases": load.cases,
        "high_risk_cases": load.high_risk_cases,
    }


@_refuses_unit("Delivery", "assurance")
@_exported
def dashboard(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    scope, code, name = _scope(request, actor)
    first, last, errors = _period(request)
    if request.GET.get("format", "") not in FORMATS:  # an export never answers in another format (was the HTML page)
        return JsonResponse({"errors": {"format": FORMAT_ERROR}}, status=400)
    if errors and request.GET.get("format") in ("json", "csv"):
        return JsonResponse({"errors": errors}, status=400)  # an export never silently answers another period
    if errors:  # a refused period: nothing is computed for another (the page shows no figures)
        return _refused(request, actor, scope, code, name, first, last, errors, "pages/assurance/dashboard.html")
    rows, buckets = selectors.dashboard(actor, scope, code, first, last)
    fmt = request.GET.get("format", "")
    measure_raw = request.GET.get("measure", "")
    listing = None
    staff_listing = None
    if measure_raw == CAPACITY:
        cap = selectors.capacity_list(actor, scope, code, first, last)
        staff = [_practitioner(x) for x in cap.loads]
        staff_listing = {"figure": cap.figure, "at": cap.at, "staff": staff}
        keys = ["staff", "name", "grade", "capacity_percent", "points", "available_points", "cases", "high_risk_cases"]
        if fmt == "csv":
            return _csv(f"{code}-capacity-practitioners.csv", keys, [[p[k] for k in keys] for p in staff])
        if fmt == "json":  # the list behind the measure, as the CSV (tester: the whole dashboard came back)
            why = {"no_figure": str(cap.figure)} if isinstance(cap.figure, capacity.NoFigure) else {}
            return _listing_json(  # with why no practitioner is listed, when none can be (second try-out)
                scope.value, code, first, last, CAPACITY, [{k: p[k] for k in keys} for p in staff], why
            )
    else:
        cap = selectors.capacity_measure(actor, scope, code, first, last)
    if measure_raw and measure_raw != CAPACITY:
        try:
            measure = Measure(measure_raw)
        except ValueError as exc:
            if fmt in ("json", "csv"):  # an export is answered as an export (try-out: an HTML 404 page)
                return JsonResponse({"errors": {"measure": f"No measure is called {measure_raw[:40]!r}"}}, status=404)
            raise Http404 from exc
        fig, cases = selectors.measure_cases(actor, scope, code, first, last, measure)
        listing = {"measure": measure.value, "figure": fig, "cases": cases}
        columns = ["crn", "name", "met", "missed"]
        if fmt == "csv":
            return _csv(f"{code}-{measure.value.lower()}-cases.csv", columns, [[c[k] for k in columns] for c in cases])
        if fmt == "json":  # the cases behind the measure, as the CSV (tester: the whole dashboard came back)
            return _listing_json(
                scope.value, code, first, last, measure.value, [{k: c[k] for k in columns} for c in cases]
            )
    labels = [_month_label(a, b) for a, b in buckets]
    table: list[dict[str, Any]] = [
        {"measure": r.measure.value, "label": r.label}
        | {"records_begin": None if r.records_begin is None else r.records_begin.isoformat()}
        | _measure_point(r.figure, r.before_records)
        | {
            "trend": [
                {"from": a.isoformat(), "to": (b - timedelta(days=1)).isoformat()} | _measure_point(f, before)
                for (a, b), f, before in zip(buckets, r.trend, r.trend_before_records, strict=True)
            ],
        }
        for r in rows
    ]
    capacity_row: dict[str, Any] = (
        {"measure": CAPACITY, "label": CAPACITY_LABEL, "at": cap.at.isoformat()}
        | {"records_begin": None if cap.records_begin is None else cap.records_begin.isoformat()}
        | _capacity_point(cap.figure)
        | {
            "trend": [
                {"from": a.isoformat(), "to": (b - timedelta(days=1)).isoformat()} | _capacity_point(f)
                for (a, b), f in zip(buckets, cap.trend, strict=True)
            ]
        }
    )
    if fmt == "json":
        return JsonResponse(
            {"scope": scope.value, "code": code, "name": name, "from": first.isoformat(), "to": last.isoformat()}
            | {"measures": table, "capacity": capacity_row},
            json_dumps_params={"indent": 2},
        )
    if fmt == "csv":
        return _csv(
            f"{code}-delivery-{first}-{last}.csv",
            list(DASHBOARD_COLUMNS),
            [
                [
                    t["measure"],
                    t["label"],
                    p["from"],
                    p["to"],
                    p["numerator"],
                    p["denominator"],
                    p["rate"],
                    p.get("unit_capacity_percent", ""),
                    p.get("no_figure") or "",  # why the cells are empty: before the records begin, or not started
                ]
                for t in [*table, capacity_row]
                for p in [{"from": first.isoformat(), "to": last.isoformat()} | t, *t["trend"]]
            ],
        )
    for t in table:
        series = [charts.Series(f"{name}: share on time", [p["rate"] for p in t["trend"]])]
        t["chart"] = charts.line_chart(f"{t['label']}, by month", labels, series)
        t["legend"] = charts.legend(series)
        for p in [t, *t["trend"]]:
            p["pct"] = p["no_figure"] or _share(p["denominator"], p["rate"])
    series = [charts.Series(f"{name}: share within capacity", [p["rate"] for p in capacity_row["trend"]])]
    capacity_row["chart"] = charts.line_chart(f"{CAPACITY_LABEL}, by month", labels, series)
    capacity_row["legend"] = charts.legend(series)
    capacity_row["records_begin_text"] = (
        None if cap.records_begin is None else f"{timezone.localtime(cap.records_begin):%-d %B %Y}"
    )
    for p, f in zip([capacity_row, *capacity_row["trend"]], [cap.figure, *cap.trend], strict=True):
        p["pct"] = str(f) if isinstance(f, capacity.NoFigure) else _pct(p["rate"])
        p["unit"] = "–" if isinstance(f, capacity.NoFigure) else capacity.format_unit_percent(f.unit_percent)
    return render(
        request,
        "pages/assurance/dashboard.html",
        _common(request, actor, scope, code, name, first, last)
        | {"table": table, "errors": errors, "listing": listing, "labels": labels}
        | {"capacity": capacity_row, "staff_listing": staff_listing},
    )


def _listing_json(
    scope: str,
    code: str,
    first: date,
    last: date,
    measure: str,
    rows: list[dict[str, Any]],
    extra: dict[str, Any] | None = None,
) -> HttpResponse:
    """The list behind one measure as JSON: the CSV's rows and columns, with the unit, period and measure."""
    return JsonResponse(
        {"scope": scope, "code": code, "from": first.isoformat(), "to": last.isoformat(), "measure": measure}
        | {"rows": rows}
        | (extra or {}),
        json_dumps_params={"indent": 2},
    )


def _csv(filename: str, header: list[str], rows: list[list[Any]]) -> HttpResponse:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for row in rows:
        # A cell starting with = + - @ would be read as a formula by a spreadsheet (CSV injection): quote it.
        writer.writerow(["'" + v if isinstance(v, str) and v[:1] != "" and v[:1] in "=+-@" else v for v in row])
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# 2. Case audits ------------------------------------------------------------------------------------------------------


def _answers(request: HttpRequest) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for domain, question in inspection.KEYS:
        key = f"{domain.value}.{question.value}"
        raw = request.POST.get(f"{key}.sufficient", "")
        out[key] = {
            "sufficient": {"yes": True, "no": False}.get(raw),
            "evidence": request.POST.get(f"{key}.evidence", ""),
        }
    return out


@_refuses_unit("Case audits", "assurance-audits", with_period=False)
def audits(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    if refused := _no_download(request):
        return refused
    scope, code, name = _scope(request, actor)
    errors: dict[str, str] = {}
    form: dict[str, Any] = {}
    audit = None
    audit_id = request.GET.get("audit", "")
    if audit_id:
        if not is_number(audit_id):
            raise Http404
        try:
            audit = selectors.audit_get(actor, int(audit_id))
        except NotFoundError as exc:
            raise Http404 from exc
        except PermissionDeniedError as exc:
            raise PermissionDenied from exc
    if request.method == "POST":
        verb = request.POST.get("verb", "")
        try:
            if verb == "draw":
                form = {"size": request.POST.get("size", ""), "seed": request.POST.get("seed", "")}
                size = _int(form["size"], "size", "Enter the number of cases to sample, as a whole number")
                seed = _int(form["seed"], "seed", "Enter the seed as a whole number") if form["seed"] else None
                services.sample_draw(actor=actor, scope=scope, code=code, size=size, seed=seed)
                return redirect(f"{request.path}?scope={scope.value}&code={code}")
            if verb == "complete" and audit is not None:
                form = _answers(request)
                services.audit_complete(actor=actor, audit_id=audit.pk, answers=form)
                return redirect(f"{request.path}?scope={scope.value}&code={code}")
            return HttpResponse("Unknown request: choose to draw a sample or complete an audit", status=400)
        except PermissionDeniedError as exc:
            raise PermissionDenied from exc
        except ValidationError as exc:
            errors = dict(exc.problems)
    pdus, teams = selectors.audit_rollup(actor, scope, code)
    return render(
        request,
        "pages/assurance/audits.html",
        _common(request, actor, scope, code, name, clock.today(), clock.today())
        | {
            "audits": selectors.audits_list(actor, scope, code),
            "audit": audit,
            "pdu_rollup": pdus,
            "team_rollup": teams,
            "errors": errors,
            "form": form,
            "keys": [
                {"key": f"{d.value}.{q.value}", "domain": inspection.DOMAIN_LABELS[d], "text": t}
                for (d, q), t in inspection.QUESTION_TEXT.items()
            ],
            "domain_labels": {d.value: inspection.DOMAIN_LABELS[d] for d in inspection.Domain},
            "rating_label": lambda r: "Not rated" if r is None else r.label,
        },
        status=400 if errors else 200,
    )


def _int(raw: str, field: str, message: str) -> int:
    try:
        return int(raw.strip())
    except ValueError as exc:
        raise ValidationError([(field, message)]) from exc


# 3. Recall decision sampling -----------------------------------------------------------------------------------------


def recall_sampling(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    if refused := _no_download(request):
        return refused
    errors: dict[str, str] = {}
    form: dict[str, str] = {"share": str(DEFAULT_SHARE_PERCENT)}
    if request.method == "POST":
        verb = request.POST.get("verb", "")
        try:
            if verb == "select":
                form = {"share": request.POST.get("share", ""), "seed": request.POST.get("seed", "")}
                share = _int(form["share"], "share", "Enter the share as a whole percentage, from 0 to 100")
                seed = _int(form["seed"], "seed", "Enter the seed as a whole number") if form["seed"] else 0
                services.recall_sampling_select(actor=actor, share=Fraction(share, 100), seed=seed)
                return redirect(request.path)
            if verb == "review":
                form = {k: request.POST.get(k, "") for k in ("review", "agrees", "notes")}
                review_id = _int(form["review"], "review", "Choose a decision to review")
                agrees = {"yes": True, "no": False}.get(form["agrees"])
                services.recall_review_record(actor=actor, review_id=review_id, agrees=agrees, notes=form["notes"])
                return redirect(request.path)
            return HttpResponse("Unknown request: choose to select decisions or record a review", status=400)
        except NotFoundError as exc:
            raise Http404 from exc
        except PermissionDeniedError as exc:
            raise PermissionDenied from exc
        except ValidationError as exc:
            errors = dict(exc.problems)
    reviews = selectors.recall_reviews(actor)
    return render(
        request,
        "pages/assurance/recall_sampling.html",
        {
            "reviews": reviews,
            "errors": errors,
            "form": form,
            "reason_labels": {r.value: REASON_LABELS[r] for r in Reason},
            "roles": {"sampler": actor.role.value in SAMPLERS, "auditor": actor.role.value in AUDITORS},
            "waiting": sum(1 for r in reviews if r.reviewed_at is None),
        },
        status=400 if errors else 200,
    )


# 4. Overrides --------------------------------------------------------------------------------------------------------


@_refuses_unit("Overrides", "assurance-overrides")
@_exported
def overrides_page(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    scope, code, name = _scope(request, actor)
    first, last, errors = _period(request)
    fmt, listing = request.GET.get("format", ""), request.GET.get("list", "")
    if fmt not in FORMATS:  # an export never answers in another format (was the HTML page)
        return JsonResponse({"errors": {"format": FORMAT_ERROR}}, status=400)
    if listing not in ("", OVERRIDES_LIST):  # never another list than the one asked for
        return JsonResponse({"errors": {"list": OVERRIDES_LIST_ERROR}}, status=400)
    if errors and fmt in ("json", "csv"):
        return JsonResponse({"errors": errors}, status=400)  # an export never silently answers another period
    if errors:  # a refused period: nothing is computed for another (the page shows no figures)
        return _refused(request, actor, scope, code, name, first, last, errors, "pages/assurance/overrides.html")
    found = selectors.overrides_in(actor, scope, code, first, last)
    tallies = {by: overrides.tally(found, by) for by in ("team", "grade", "direction")}
    if fmt == "csv" and not listing:  # the tallies only: no case is named, so no read of one is audited
        return _csv(
            f"{code}-overrides-{first}-{last}.csv",
            ["by", "kind", "kind_label", "value", "count"],
            [
                [by, k, overrides.KIND_LABELS[overrides.Kind(k)], v, n]
                for by, t in tallies.items()
                for (k, _, v), n in t
            ],
        )
    newest = overrides.newest_first(found)
    if fmt in ("json", "csv"):  # the whole list: an export is never cut to a page
        rows = [_override_export(r) for r in selectors.override_rows(actor, scope, code, newest)]
        if fmt == "csv":
            return _csv(
                f"{code}-overrides-list-{first}-{last}.csv",
                OVERRIDE_COLUMNS,
                [[r[k] for k in OVERRIDE_COLUMNS] for r in rows],
            )
        return JsonResponse(
            {"scope": scope.value, "code": code, "from": first.isoformat(), "to": last.isoformat()}
            | {
                "tallies": {
                    by: [{"kind": k, "value": v, "count": n} for (k, _, v), n in t] for by, t in tallies.items()
                }
            }
            | {"overrides": rows, "not_recorded": NOT_RECORDED},
            json_dumps_params={"indent": 2},
        )
    shown, number, pages = overrides.page(newest, page_number(request), PAGE_SIZE)
    listed = selectors.override_rows(actor, scope, code, shown)  # audits the CRNs of this page only
    teams = selectors.team_names(o.team for o in found)
    return render(
        request,
        "pages/assurance/overrides.html",
        _common(request, actor, scope, code, name, first, last)
        | {
            "tallies": tallies,
            "value_labels": {
                "team": teams,
                "grade": GRADE_WORDS,
                "direction": {d.value: label for d, label in overrides.DIRECTION_LABELS.items()},
            },
            "count": len(found),
            "kind_labels": {k.value: v for k, v in overrides.KIND_LABELS.items()},
            "listed": [_override_shown(r) for r in listed],
            "page": number,
            "pages": pages,
            "page_query": query_without_page(request),
            "errors": errors,
            "not_recorded": NOT_RECORDED,
        },
    )


GRADE_WORDS = {g.value: label for g, label in GRADE_LABELS.items()}
OVERRIDES_LIST = "overrides"
OVERRIDES_LIST_ERROR = 'The list must be "overrides" (one row per override), or left out for the tallies'
OVERRIDE_COLUMNS = [
    "date",
    "crn",
    "kind",
    "by",
    "by_name",
    "team",
    "grade",
    "suggested",
    "chosen",
    "direction",
    "reason",
]


def _override_export(row: selectors.OverrideRow) -> dict[str, Any]:
    """One override as the exports hold it: codes as stored (team and grade codes, levels), the date ISO."""
    o = row.override
    return {
        "date": timezone.localtime(o.at).date().isoformat(),
        "crn": row.crn,
        "kind": o.kind.value,
        "by": o.by,
        "by_name": row.by_name,
        "team": o.team,
        "grade": o.grade,
        "suggested": o.suggested or "",
        "chosen": o.chosen or "",
        "direction": overrides.direction(o.suggested, o.chosen).value,
        "reason": o.reason,
    }


def _override_shown(row: selectors.OverrideRow) -> dict[str, Any]:
    """One override as the page shows it: in words (the kind, grade, levels and direction), the date as a date."""
    o = row.override

    def level(value: str | None) -> str:
        if not value:
            return overrides.NO_LEVEL
        if o.kind is overrides.Kind.ALLOCATION:  # `chosen` is the grade the case went to
            return GRADE_WORDS.get(value, value)
        return overrides.LEVEL_LABELS.get(value, value)

    return {
        "at": timezone.localtime(o.at).date(),
        "crn": row.crn,
        "name": row.name,
        "kind": overrides.KIND_LABELS[o.kind],
        "by_name": row.by_name,
        "grade": GRADE_WORDS.get(o.grade, o.grade),
        "team": row.team_name,
        "suggested": level(o.suggested),
        "chosen": level(o.chosen),
        "direction": overrides.DIRECTION_LABELS[overrides.direction(o.suggested, o.chosen)],
        "reason": o.reason,
    }


NOT_RECORDED = [
    "Tier overrides: Keepsafe calculates tiers and records no manual override of them yet.",
    "Predictor overrides: Keepsafe records no override of a predictor score yet.",
]


# 5. Equality ---------------------------------------------------------------------------------------------------------


EQUALITY_COLUMNS = [
    "characteristic",
    "measure",
    "group",
    "category",
    "reference",
    "suppressed",
    "people",
    "count",
    "rate",
    "rate_ci_low",
    "rate_ci_high",
    "ratio",
    "ratio_ci_low",
    "ratio_ci_high",
    "p_value",
]


def _equality_rows(report: dict[str, Any]) -> list[list[Any]]:
    """The equality report as CSV rows, as the page shows it: one row per group and outcome (people, how many had the
    outcome, the rate and ratio with their intervals, Fisher's p), then one per group and category of each
    distribution (the count; its chi-squared p on every row of it). A suppressed figure is an empty cell."""

    def pair(ci: tuple[float, float] | None) -> list[Any]:
        return ["", ""] if ci is None else [ci[0], ci[1]]

    def cell(value: Any) -> Any:
        return "" if value is None else value

    rows: list[list[Any]] = []
    for ch, data in report["characteristics"].items():
        for key, _, _, _ in selectors.OUTCOMES:
            for g in data["outcomes"][key]:
                rows.append(
                    [
                        ch,
                        key,
                        g.group,
                        "",
                        g.reference,
                        g.suppressed,
                        cell(g.n),
                        cell(g.k),
                        cell(g.rate),
                        *pair(g.ci),
                        cell(g.ratio),
                        *pair(g.ratio_ci),
                        cell(g.p_value),
                    ]
                )
        for key, _ in selectors.DISTRIBUTIONS:
            d = data["distributions"][key]
            for group, counts in d.rows.items():
                for category in d.categories:
                    count = counts.get(category)
                    rows.append(
                        [
                            ch,
                            key,
                            group,
                            category,
                            "",
                            count is None,
                            cell(d.totals.get(group)),
                            cell(count),
                            "",
                            "",
                            "",
                            "",
                            "",
                            "",
                            cell(d.p_value),
                        ]
                    )
    return rows


@_refuses_unit("Equality", "assurance-equality")
@_exported
def equality(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    scope, code, name = _scope(request, actor)
    first, last, errors = _period(request)
    if request.GET.get("format", "") not in FORMATS:  # an export never answers in another format (was the HTML page)
        return JsonResponse({"errors": {"format": FORMAT_ERROR}}, status=400)
    if errors and request.GET.get("format") in ("json", "csv"):
        return JsonResponse({"errors": errors}, status=400)  # an export never silently answers another period
    if errors:  # a refused period: nothing is computed for another (the page shows no figures)
        return _refused(request, actor, scope, code, name, first, last, errors, "pages/assurance/equality.html")
    report = selectors.equality_report(selectors.equality_rows(actor, scope, code, first, last))
    if request.GET.get("format") == "json":
        body: dict[str, Any] = {"scope": scope.value, "code": code, "from": first.isoformat(), "to": last.isoformat()}
        body["people"] = report["people"]
        body["characteristics"] = {
            ch: {
                "outcomes": {k: [asdict(g) for g in groups] for k, groups in data["outcomes"].items()},
                "distributions": {k: asdict(d) for k, d in data["distributions"].items()},
            }
            for ch, data in report["characteristics"].items()
        }
        return HttpResponse(json.dumps(body, indent=2, default=str), content_type="application/json")
    if request.GET.get("format") == "csv":
        return _csv(f"{code}-equality-{first}-{last}.csv", EQUALITY_COLUMNS, _equality_rows(report))
    sections = []
    for ch, data in report["characteristics"].items():
        outcomes = []
        for key, label, _, _ in selectors.OUTCOMES:
            groups = data["outcomes"][key]
            outcomes.append(
                {
                    "label": label,
                    "groups": groups,
                    "chart": charts.bar_chart(
                        f"{label} by {selectors.CHARACTERISTIC_LABELS[ch].lower()}",
                        [(g.group, g.rate, g.ci) for g in groups],
                    ),
                }
            )
        sections.append(
            {
                "key": ch,
                "label": selectors.CHARACTERISTIC_LABELS[ch],
                "outcomes": outcomes,
                "distributions": [
                    {"label": label, "d": data["distributions"][key]} for key, label in selectors.DISTRIBUTIONS
                ],
            }
        )
    return render(
        request,
        "pages/assurance/equality.html",
        _common(request, actor, scope, code, name, first, last)
        | {"sections": sections, "people": report["people"], "errors": errors, "pct": _pct},
    )

"""Every case write form (issue 14 "Bad input", issue 16 try-out): derived from the URL conf and the pages themselves,
not a hand list. For every POST-able case write route whose page shows a form:
- an empty POST re-shows the form with status 400 and lists, at once, every field that is required on its own (a
  field is required when the documented good payload without it is refused on that field);
- each radio or select field posted with a value the page does not offer is refused by that field, status 400.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from datetime import date
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.db import transaction
from django.test import Client
from django.urls import reverse

from keepsafe.court.services import court_stage_open
from keepsafe.people.models import Person
from keepsafe.premises.services import ap_referral_record
from keepsafe.testing.fixtures import SYSTEM
from keepsafe.web.tests.test_role_matrix import (  # the matrix's case, routes and documented good payloads
    ALLOWED,
    KWARGS,
    NOW,
    PAYLOADS,
    _params,
    case,  # noqa: F401 (a fixture)
    routes,
)

pytestmark = pytest.mark.django_db
DATE_PARTS = ("-day", "-month", "-year", "-time")
REFERRAL = "APR-FORMS"
ORDER = ("com", "spo", "head", "aco", "pom")


class _Fields(HTMLParser):
    """The post forms' radio, checkbox and select fields with the values they offer, and every field's name."""

    def __init__(self) -> None:
        super().__init__()
        self.choices: dict[str, set[str]] = {}
        self.names: set[str] = set()
        self.in_post_form = False
        self.select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.in_post_form = a.get("method", "").lower() == "post"
        if not self.in_post_form:
            return
        name = a.get("name", "")
        if tag == "select":
            self.select = name
            self.choices.setdefault(name, set())
        elif tag == "option" and self.select:
            self.choices[self.select].add(a.get("value", ""))
        elif tag == "input" and a.get("type") in ("radio", "checkbox"):
            self.choices.setdefault(name, set()).add(a.get("value", ""))
        if name and a.get("type") != "hidden" and not name.startswith("csrf"):
            self.names.add(name)

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self.select = None
        if tag == "form":
            self.in_post_form = False


def _errors(html: str) -> set[str]:
    """The fields the error summary names (a date input's link goes to its day box)."""
    summary = re.search(r'govuk-error-summary__list">(.*?)</ul>', html, re.S)
    if summary is None:
        return set()
    return {re.sub(r"-(day|x)$", "", h) for h in re.findall(r'href="#([\w-]+)"', summary.group(1))}


def _unreadable(html: str, codes: set[str]) -> list[str]:
    """What is wrong with the error summary's words: a message not starting with a capital, one naming an internal
    code the page offers (CURFEW, SUITABLE_WITH_CONDITIONS), or one citing a source document (seeds/…)."""
    summary = re.search(r'govuk-error-summary__list">(.*?)</ul>', html, re.S)
    texts = re.findall(r'<a href="#[\w-]+">(.*?)</a>', summary.group(1), re.S) if summary else []
    out = []
    for text in (" ".join(t.split()) for t in texts):
        if not text[:1].isupper():
            out.append(f"{text!r} does not start with a capital")
        if named := sorted(c for c in codes if re.search(rf"\b{c}\b", text)):
            out.append(f"{text!r} shows the code {named}")
        if "seeds/" in text or re.search(r"\bconcern \d", text):
            out.append(f"{text!r} cites a source document")
    return out


def _base(field: str) -> str:
    for part in DATE_PARTS:
        if field.endswith(part):
            return field[: -len(part)]
    return field


def _forms(case: Any, skip: Iterable[str] = ()) -> list[tuple[str, str, Client, dict[str, Any]]]:  # noqa: F811
    """(key, url, signed-in client, query) for every case write route whose page shows a post form."""
    users, values, _actions, _by_verb = case
    found = []
    for key, name, verb in routes():
        if key not in ALLOWED or key in skip:
            continue
        kwargs = {p: values.get(p, "") for p in (*KWARGS, "kind", "appointment") if p in _params(name)}
        if verb is not None:
            kwargs["verb" if "verb" in _params(name) else "step"] = verb
        if {"registration_id", "action_id"} & _params(name):
            continue  # a flag's or an action's own page: covered by their tests
        who = next(w for w in ORDER if w in ALLOWED[key])
        client = Client()
        client.force_login(users[who])
        url = reverse(f"web:{name}", kwargs=kwargs)
        query = {k: v for k, v in PAYLOADS.get(key, {}).items() if k in ("referral", "representation")}
        if "referral" in query:
            query["referral"] = REFERRAL
        page = client.get(url, query)
        parser = _Fields()
        parser.feed(page.content.decode())
        if page.status_code != 200 or not parser.names:
            continue  # no form on the page (e.g. no transfer waiting for a decision)
        with transaction.atomic():
            reachable = client.post(url, PAYLOADS.get(key, {}) | query).status_code != 404
            transaction.set_rollback(True)
        if reachable:  # (the report's proposal needs a requested report)
            found.append((key, url, client, query))
    return found


def _every_form(case: Any) -> Iterator[tuple[str, str, Client, dict[str, Any]]]:  # noqa: F811
    """Every form, in two rounds: the case as the matrix makes it; then with an open court stage and an approved
    premises referral, for the steps that need them (a court stage refuses a second one: the first round has it)."""
    first = _forms(case)
    yield from first
    person = Person.objects.get(crn="X123456")
    court_stage_open(
        actor=SYSTEM, person=person, court="Manchester Crown Court", court_date=date(2027, 1, 25), charges=["Assault"]
    )
    ap_referral_record(
        actor=SYSTEM,
        person=person,
        premises="Bunyan House",
        requested_arrival=date(2026, 12, 1),
        emergency=False,
        external_id=REFERRAL,
    )
    yield from _forms(case, skip={k for k, *_ in first})


def _post(client: Client, url: str, data: dict[str, Any]) -> tuple[int, str]:
    with transaction.atomic():
        response = client.post(url, data)
        transaction.set_rollback(True)
    return response.status_code, response.content.decode()


def test_an_empty_post_lists_every_required_field_at_once_with_400(case):  # noqa: F811
    failures, seen = [], []
    with time_machine.travel(NOW, tick=False):
        for key, url, client, query in _every_form(case):
            seen.append(key)
            payload = PAYLOADS.get(key, {})
            parser = _Fields()
            parser.feed(client.get(url, query).content.decode())
            _, good = _post(client, url, payload | query)
            refused_anyway = _errors(good)
            required = set()
            for field in sorted({_base(f) for f in payload} - set(query)):
                without = {k: v for k, v in payload.items() if _base(k) != field} | query
                if field not in _errors(_post(client, url, without)[1]) - refused_anyway:
                    continue
                # required only once a choice is made (a rejection's reason, the address of a curfew considered): not
                # when every choice is blank
                unchosen = {k: v for k, v in without.items() if k not in parser.choices or k == field}
                if field in _errors(_post(client, url, unchosen)[1]):
                    required.add(field)
            status, html = _post(client, url, query)
            if (required or _errors(html)) and status != 400:  # (a form with nothing required may be posted empty)
                failures.append(f"{key}: an empty post answers {status}, not 400")
            codes = {v for values in parser.choices.values() for v in values if re.fullmatch(r"[A-Z][A-Z0-9_]+", v)}
            failures += [f"{key}: empty: {problem}" for problem in _unreadable(html, codes)]
            if missing := required - _errors(html):
                failures.append(f"{key}: an empty post does not list {sorted(missing)} (lists {sorted(_errors(html))})")
    assert {"court-post:address", "ap-post:refer", "ap-post:decision", "victim-post:new", "remand-new"} <= set(seen)
    assert not failures, "\n".join(failures)


def test_a_radio_or_select_value_not_offered_is_refused_by_its_field(case):  # noqa: F811
    failures, seen = [], []
    with time_machine.travel(NOW, tick=False):
        for key, url, client, query in _every_form(case):
            parser = _Fields()
            parser.feed(client.get(url, query).content.decode())
            payload = PAYLOADS.get(key, {}) | query
            _, good = _post(client, url, payload)
            # a refusal whose summary link has no field to go to is the page's, not a field's
            gates = {f for f in _errors(good) if f'id="{f}"' not in good and f'id="{f}-day"' not in good}
            if gates:
                continue  # refused before any field is read (an assessment step not yet reached)
            for field in sorted(parser.choices):
                seen.append(f"{key}:{field}")
                status, html = _post(client, url, payload | {field: "maybe-not-offered"})
                if status != 400 or field not in _errors(html):
                    failures.append(
                        f"{key}: {field}=maybe-not-offered answers {status}, errors {sorted(_errors(html))}"
                    )
                codes = {v for values in parser.choices.values() for v in values if re.fullmatch(r"[A-Z][A-Z0-9_]+", v)}
                failures += [f"{key}: {field}: {problem}" for problem in _unreadable(html, codes)]
    assert {"court-post:address:victim", "ap-post:refer:emergency", "ap-post:refer:how"} <= set(seen)
    assert not failures, "\n".join(failures)


SOURCE = Path(__file__).resolve().parents[2]  # src/keepsafe


def test_every_date_shown_is_written_without_a_leading_zero():
    """GOV.UK style writes "1 March 2027", never "01 March 2027": every date formatted for people (f-strings and
    strftime in the code; the templates' `govdate`/`govdatetime` filters) uses the day without its zero."""
    leading = re.compile(r"[:(\"']%d %[Bb]")
    found = [
        f"{path.relative_to(SOURCE)}:{n}"
        for path in SOURCE.rglob("*.py")
        if "tests" not in path.parts and path.name != "search.py"  # search reads typed dates in any of their styles
        for n, line in enumerate(path.read_text().splitlines(), 1)
        if leading.search(line)
    ]
    assert not found, found

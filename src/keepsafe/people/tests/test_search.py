"""Case search (issue 14 §6, issue 20 §3): whole or partial CRN, PNC, name and date of birth, paginated, visible
cases only; on PostgreSQL the partial matches use trigram indexes."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from hypothesis import given
from hypothesis import strategies as st

from keepsafe.people.models import Person
from keepsafe.people.rules.search import parse
from keepsafe.people.selectors import person_search_page
from keepsafe.testing.fixtures import make_bundle, make_person

FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d %B %Y")


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)), st.sampled_from(FORMATS))
def test_a_date_of_birth_in_any_accepted_form_is_read_as_that_date(day, fmt):
    terms = parse(f"smith {day.strftime(fmt)}")
    assert terms.date_of_birth == day
    assert terms.words == ("smith",)


@given(st.from_regex(r"[A-Z][0-9]{1,5}", fullmatch=True))
def test_the_start_of_a_crn_is_a_crn_prefix(prefix):
    assert parse(prefix.lower()).crn_prefix == prefix


def test_a_pnc_and_digits():
    assert parse("2010/0012345A").pnc == "2010/0012345A"
    assert parse("2010/00123").pnc == "2010/00123"
    assert parse("23456").digits == "23456"
    assert parse("!!!").empty


@pytest.fixture
def people(imported, staff_actor):
    imported(
        make_bundle(
            make_person("A123456", forename="John", surname="Smith", date_of_birth="1993-02-01"),
            make_person("A123999", forename="Jane", surname="Goldsmith", date_of_birth="1980-05-05", pnc="99/1234Z"),
            make_person("B765432", forename="Ann", surname="Jones", date_of_birth="1993-02-01", pnc=None),
            make_person("C111111", forename="John", surname="Hidden", excluded=["STF0001"]),
        )
    )
    return staff_actor("STF0001")


def _crns(actor, query, **page):
    found, total = person_search_page(viewer=actor, query=query, **page)
    return [p.crn for p in found], total


@pytest.mark.django_db
def test_search_by_partial_crn_pnc_name_and_date_of_birth(people):
    actor = people
    assert _crns(actor, "a123") == (["A123999", "A123456"], 2)
    assert _crns(actor, "765") == (["B765432"], 1)
    assert _crns(actor, "2010/0012345A") == (["A123456"], 1)
    assert _crns(actor, "99/12") == (["A123999"], 1)
    assert _crns(actor, "smith") == (["A123999", "A123456"], 2)  # Goldsmith too: part of a surname
    assert _crns(actor, "smi") == (["A123999", "A123456"], 2)
    assert _crns(actor, "1/2/1993") == (["B765432", "A123456"], 2)
    assert _crns(actor, "john 1 February 1993") == (["A123456"], 1)
    assert _crns(actor, "john") == (["A123456"], 1)  # the excluded John is never matched or counted
    assert _crns(actor, "C111111") == ([], 0)
    assert _crns(actor, "%") == ([], 0)


@pytest.mark.django_db
def test_search_paginates_instead_of_capping(imported, staff_actor):
    imported(make_bundle(*[make_person(f"D{n:06d}", surname="Many") for n in range(1, 62)]))
    actor = staff_actor("STF0001")
    first, total = person_search_page(viewer=actor, query="many", offset=0, limit=50)
    second, _ = person_search_page(viewer=actor, query="many", offset=50, limit=50)
    assert total == 61
    assert len(first) == 50
    assert len(second) == 11
    assert not {p.crn for p in first} & {p.crn for p in second}


@pytest.mark.django_db
def test_the_search_page_shows_the_total_and_pages(imported):
    from django.test import Client

    from keepsafe.workforce.models import Staff, User

    imported(make_bundle(*[make_person(f"D{n:06d}", surname="Many") for n in range(1, 62)]))
    client = Client()
    client.force_login(User.objects.create(username="ada", staff=Staff.objects.get(code="STF0001")))
    page = client.get("/search", {"q": "many"}).content.decode()
    assert "61 results, page 1 of 2" in page
    assert page.count('href="/case/D0') == 50
    second = client.get("/search", {"q": "many", "page": "2"}).content.decode()
    assert second.count('href="/case/D0') == 11


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="trigram indexes are PostgreSQL's")
def test_partial_name_and_crn_search_can_use_the_trigram_indexes(people):
    queries = {
        "person_surname_trgm": Person.objects.filter(surname__icontains="mit"),
        "person_crn_trgm": Person.objects.filter(crn__contains="234"),
        "person_pnc_trgm": Person.objects.filter(pnc__istartswith="99/1"),
    }
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        try:
            for index, qs in queries.items():
                assert index in qs.explain(), qs.explain()
        finally:
            cursor.execute("SET enable_seqscan = on")

"""assure2 (issue 17): no export or document names a case its reader may not see — derived, not hand-listed.

Every export kind is taken from its registry, so one added later is covered (or fails the test until it can be
filled):
- every stored case document kind (`cases.models.CaseDocument.Kind`, the transfer summary included) read through
  every document route of the URL conf (page, PDF, JSON);
- every page of the URL conf in every export format the pages offer (`?format=csv|json`), the assurance pages with
  every measure of `assurance.rules.measures.Measure`, the capacity listing (`?measure=CAPACITY`) and the overrides
  list (`?list=overrides`; every case holds an override);
- every `keepsafe` command that exports (its parser takes `--json` or `--output`): `keepsafe workload --json`,
  `keepsafe case … --json`, `keepsafe actions … --json`, `keepsafe bundle_export`, `keepsafe sweep --json`,
  `keepsafe fairness … --json`.
A restricted and an excluded case each hold an item of every measure and a document of every kind; neither's CRN nor
name may appear in anything a viewer who may not see them is given.
"""

from __future__ import annotations

import io
import itertools
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import time_machine
from django.core.management import call_command, get_commands, load_command_class
from django.core.management.base import CommandError
from django.test import Client

from keepsafe.actions.models import Action
from keepsafe.assurance.rules.measures import Measure
from keepsafe.assurance.selectors import ACTION_MEASURES, SIGNAL_REVIEW
from keepsafe.bundles.importer import bundle_import
from keepsafe.cases.documents import Composition, Field, Section, composition_store
from keepsafe.cases.models import CaseDocument
from keepsafe.people.models import Person
from keepsafe.risk.models import Assessment
from keepsafe.testing.fixtures import SYSTEM, make_person, org_with_managers, raw, written_once
from keepsafe.testing.routes import web_routes
from keepsafe.web.tests.test_secin_matrix import fillers
from keepsafe.web.views.assurance import CAPACITY, OVERRIDES_LIST
from keepsafe.workforce.models import Staff, User

pytestmark = pytest.mark.django_db
NOW = "2026-11-23T10:00:00Z"
VISIBLE, RESTRICTED, EXCLUDED = "A000001", "A000002", "A000003"
HIDDEN_NAMES = {RESTRICTED: "Rhiannon Restricted", EXCLUDED: "Ezekiel Excluded"}
VIEWERS = (  # every role the export pages serve, all working in the case's PDU
    ("ada", "STF0001", "PRACTITIONER"),
    ("spo", "STF0100", "SPO"),
    ("head", "STF0800", "HEAD_OF_PDU"),
    ("aco", "STF0900", "REGIONAL_LEADER"),
    ("quality", "STF0700", "AUDITOR"),
)
# The one documented exception: the audit trail is the auditors' (docs/architecture.md, docs/security.md) and records
# every case's events by design, so an auditor reading it is not bound by case visibility; every other role is.
AUDIT_TRAIL = ("audit", "AUDITOR")
FORMATS = ("", "csv", "json")  # the pages' export formats (`?format=`), and the page itself
PERIOD = {"from-day": "1", "from-month": "9", "from-year": "2026", "to-day": "30", "to-month": "11", "to-year": "2026"}
# Every route reading a stored document (the URL conf's case-document* names: the page, its PDF and its JSON).
DOCUMENT_ROUTES = [r for r in web_routes() if r.name.startswith("case-document") and "public_id" in r.params]


def _named(text: str) -> list[str]:
    """Which hidden case (by CRN or name) the text names, if any."""
    return [crn for crn, name in HIDDEN_NAMES.items() if crn in text or name in text]


def _document(person: Person, kind: str) -> CaseDocument:
    name = f"{person.forename} {person.surname}"
    composition = Composition(
        kind=kind,
        title=f"{CaseDocument.Kind(kind).label}: {name}",
        crn=person.crn,
        name=name,
        composed_at=NOW,
        sections=(Section("The person", (Field("CRN", person.crn), Field("Name", name))),),
    )
    return composition_store(actor=SYSTEM, person=person, composition=composition, subject=name)


def _site() -> dict[tuple[str, str], CaseDocument]:
    staff_codes = [code for _, code, _ in VIEWERS]
    org = org_with_managers()
    quality = next(s for s in org["staff"] if s["code"] == "STF0100")
    org["staff"].append(quality | {"code": "STF0700", "forename": "Quinn", "surname": "Quality", "grade": "ADMIN"})
    bundle_import(
        actor=SYSTEM,
        raw=raw(
            org
            | {
                "people": [
                    make_person(VISIBLE),
                    make_person(RESTRICTED, restricted_to=["STF0002"], forename="Rhiannon", surname="Restricted"),
                    make_person(EXCLUDED, excluded=staff_codes, forename="Ezekiel", surname="Excluded"),
                ]
            }
        ),
    )
    for username, code, role in VIEWERS:
        User.objects.create(username=username, staff=Staff.objects.get(code=code), role=role)
    due = datetime(2026, 10, 10, 17, tzinfo=UTC)
    documents: dict[tuple[str, str], CaseDocument] = {}
    for person in Person.objects.all():
        # An item of every measure (on time and missed), so a leaky figure or list would name the case.
        for n, (measure, kind) in enumerate(ACTION_MEASURES.items()):
            key = f"{SIGNAL_REVIEW}{n}" if measure == Measure.RISK_REVIEWS else f"{measure.value.lower()}:{n}"
            Action.objects.create(
                person=person,
                type=kind,
                key=key,
                title=kind,
                owner_role="COM",
                opens_at=due - timedelta(days=5),
                due=due,
                created_at=due - timedelta(days=5),
                status="DONE" if n % 2 else "OPEN",
                closed_at=due - timedelta(days=1) if n % 2 else None,
                evidence={"kind": "test"} if n % 2 else None,
            )
        # An override on every case (a countersigner kept the higher level), so the overrides list names it if leaky.
        Assessment.objects.create(
            person=person,
            external_id=f"override-{person.crn}",
            status="COMPLETE",
            assessor_code="STF0001",
            started_at=due - timedelta(days=3),
            completed_at=due - timedelta(days=2),
            overall="MEDIUM",
            previous_level="HIGH",
            countersign_agreed=False,
            countersigned_at=due - timedelta(days=1),
            countersigned_by="STF0100",
            countersign_comments=f"Kept high for {person.forename} {person.surname}",
        )
        for kind in CaseDocument.Kind:  # every kind of document, the transfer summary included
            documents[(person.crn, kind.value)] = _document(person, kind.value)
    return documents


@pytest.fixture(scope="module")
def site_once(django_db_setup, django_db_blocker):
    """The site is written once for the module (a hundred tests read it; each runs in a savepoint)."""
    yield from written_once(django_db_blocker, _site)


@pytest.fixture
def site(site_once, db):
    return site_once


def _client(username: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def test_the_registries_are_enumerated():
    assert {"TRANSFER_SUMMARY", "CASE_SUMMARY", "PART_A", "NO_RECALL_LETTER"} <= {k.value for k in CaseDocument.Kind}
    assert {r.name for r in DOCUMENT_ROUTES} >= {"case-document", "case-document-pdf", "case-document-json"}
    assert set(ACTION_MEASURES) | {Measure.RECALLS_24, Measure.RECALLS_48, Measure.RECALLS_72} == set(Measure)
    assert {"workload", "case_summary", "actions", "bundle_export"} <= set(EXPORT_COMMANDS)


@pytest.mark.parametrize("kind", list(CaseDocument.Kind), ids=lambda k: k.value)
def test_no_document_of_any_kind_names_a_hidden_case(site, kind):
    documents = site
    with time_machine.travel(NOW, tick=False):
        for username, _, _ in VIEWERS:
            client = _client(username)
            for route in DOCUMENT_ROUTES:
                own = documents[(VISIBLE, kind.value)]
                shown = client.get(route.path(fillers(VISIBLE) | {"public_id": lambda d=own: d.public_id}))
                assert shown.status_code == 200, (route.name, username, kind)  # the visible case's is readable
                assert VISIBLE.encode() in shown.content or route.name.endswith("pdf")
                for hidden in HIDDEN_NAMES:
                    doc = documents[(hidden, kind.value)]
                    for crn in (hidden, VISIBLE):  # by its own case's address, or smuggled under a visible CRN
                        fill = fillers(crn) | {"public_id": lambda d=doc: d.public_id}
                        response = client.get(route.path(fill))
                        assert response.status_code == 404, (route.name, username, kind, crn)
                        assert not _named(response.content.decode(errors="replace")), (route.name, username, kind)


@pytest.mark.parametrize("route", [r for r in web_routes() if r not in DOCUMENT_ROUTES], ids=lambda r: r.name)
def test_no_page_or_export_names_a_hidden_case(site, route):
    assurance = route.name.startswith("assurance")
    measures = [""] + ([m.value for m in Measure] + [CAPACITY] if assurance else [])
    lists = ["", OVERRIDES_LIST] if assurance else [""]  # the overrides page's list of every override
    with time_machine.travel(NOW, tick=False):
        for username, _, role in VIEWERS:
            if (route.name, role) == AUDIT_TRAIL:
                continue
            client = _client(username)
            path = route.path(fillers(VISIBLE))
            for fmt, measure, listed in itertools.product(FORMATS, measures, lists):
                query = PERIOD | ({"format": fmt} if fmt else {}) | ({"measure": measure} if measure else {})
                response = client.get(path, query | ({"list": listed} if listed else {}))
                body = response.content.decode(errors="replace")
                assert not _named(body), (route.name, username, fmt, measure, listed, response.status_code)


def _export_commands() -> dict[str, set[str]]:
    """Every keepsafe command that exports: its parser takes --json or --output (derived from the commands)."""
    out: dict[str, set[str]] = {}
    for name, app in get_commands().items():
        if not app.startswith("keepsafe"):
            continue
        parser = load_command_class(app, name).create_parser("keepsafe", name)
        options = {s for action in parser._actions for s in action.option_strings}
        if options & {"--json", "--output"}:
            out[name] = options
    return out


EXPORT_COMMANDS = _export_commands()


CRN = "{crn}"  # an argument asking about one case: a hidden one must be answered exactly like a missing one
MISSING = "Z999999"


def _command_args(name: str, options: set[str], tmp: Path) -> list[list[str]]:
    """How to run each export command as each viewer; a command nobody knows how to run fails the test."""
    as_users = [["--as-user", code] for _, code, _ in VIEWERS] if "--as-user" in options else [[]]
    table = tmp / "scores.csv"
    table.write_text("score,outcome,group\n1,0,a\n7,1,a\n3,0,b\n8,1,b\n", encoding="utf-8")
    per_command: dict[str, list[list[str]]] = {
        "workload": [["--json"]],
        "case_summary": [[VISIBLE, "--json"], [CRN, "--json"]],
        "actions": [[VISIBLE, "--json", "--all"], [CRN, "--json", "--all"]],
        "bundle_export": [[], ["--crn", CRN]],
        "sweep": [["--json", "--no-email"]],
        "fairness": [[str(table), "--score", "score", "--outcome", "outcome", "--group", "group", "--json"]],
    }
    if name not in per_command:
        raise LookupError(f"export command {name!r}: no way to run it in this test")
    return [args + who for args in per_command[name] for who in as_users]


def _run(name: str, args: list[str]) -> str:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command(name, *args, stdout=out, stderr=err)
    except (CommandError, SystemExit) as exc:
        err.write(f"error: {exc}")
    return out.getvalue() + "\n" + err.getvalue()


@pytest.mark.parametrize("name", sorted(EXPORT_COMMANDS))
def test_no_command_export_names_a_hidden_case(site, name, tmp_path):
    with time_machine.travel(NOW, tick=False):
        for args in _command_args(name, EXPORT_COMMANDS[name], tmp_path):
            if "--as-user" not in args and "--as-user" in EXPORT_COMMANDS[name]:
                continue  # the system user sees every case; a person's export is what visibility bounds
            if CRN not in args:
                assert not _named(_run(name, args)), (name, args)
                continue
            missing = _run(name, [MISSING if a == CRN else a for a in args]).replace(MISSING, "[CRN]")
            for hidden, hidden_name in HIDDEN_NAMES.items():
                answer = _run(name, [hidden if a == CRN else a for a in args])
                assert answer.replace(hidden, "[CRN]") == missing, (name, args, hidden)
                assert hidden_name not in answer

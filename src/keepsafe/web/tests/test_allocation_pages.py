"""Issue 15 §2 (helper "alloc"): the allocation queue and the allocate journey: a guardrail refusal in the error
summary with nothing written, an override that allocates and opens the head of PDU's countersign, the success banner."""

from __future__ import annotations

import pytest
import time_machine
from django.test import Client

from keepsafe.actions.models import Action
from keepsafe.audit.models import AuditEvent
from keepsafe.oversight.tests.test_allocate import PQIP, PSO, bendall_like, mcsweeney_like, simple_case, world  # noqa: F401
from keepsafe.people.models import Person
from keepsafe.workforce.models import Staff, User

pytestmark = pytest.mark.django_db
NOW = "2026-12-01T10:00:00Z"


@pytest.fixture
def spo_client(world):  # noqa: F811
    user = User.objects.create(username="sara", staff=Staff.objects.get(code="STF0100"), role="SPO")
    c = Client()
    c.force_login(user)
    return c


def test_queue_shows_what_the_spo_needs_and_audits_each_case(spo_client):
    with time_machine.travel(NOW, tick=False):
        page = spo_client.get("/allocations").content.decode()
    for crn in ("M100001", "B100001", "S100001"):
        assert f'data-crn="{crn}"' in page
    assert 'data-crn="H100001"' not in page  # held: not in the queue
    assert "Domestic Abuse Perpetrator" in page
    assert "Child Protection" in page
    assert "High" in page  # the McSweeney-like case's RoSH, in words
    assert "Release on licence" in page
    assert "New community sentence" in page
    assert set(AuditEvent.objects.filter(action="ALLOCATION_QUEUE").values_list("crn", flat=True)) == {
        "M100001",
        "B100001",
        "S100001",
    }


def test_refused_then_overridden_with_banner(spo_client):
    with time_machine.travel(NOW, tick=False):
        choose = spo_client.get("/allocations/M100001").content.decode()
        assert f'data-code="{PSO}"' in choose
        assert "Needs" in choose
        refused = spo_client.post("/allocations/M100001", {"to": PSO, "reason": "INITIAL_ALLOCATION"})
        assert refused.status_code == 400  # re-shown with errors (issue 16 try-out)
        body = refused.content.decode()
        assert "There is a problem" in body
        assert "high RoSH" in body
        assert Person.objects.get(crn="M100001").practitioner is None
        done = spo_client.post(
            "/allocations/M100001",
            {"to": PSO, "reason": "INITIAL_ALLOCATION", "override_reason": "Only PSO who knows him; weekly SPO review"},
            follow=True,
        )
    assert "allocated to" in done.content.decode()
    assert 'data-testid="success-banner"' in done.content.decode()
    assert Person.objects.get(crn="M100001").practitioner.code == PSO
    assert Action.objects.filter(person__crn="M100001", type="ALLOCATION_COUNTERSIGN", owner__code="STF0800").exists()


def test_a_practitioner_cannot_allocate(world):  # noqa: F811
    user = User.objects.create(username="ada", staff=Staff.objects.get(code="STF0001"), role="PRACTITIONER")
    c = Client(raise_request_exception=False)
    c.force_login(user)
    with time_machine.travel(NOW, tick=False):
        assert c.post("/allocations/S100001", {"to": PQIP, "reason": "INITIAL_ALLOCATION"}).status_code == 403
    assert Person.objects.get(crn="S100001").practitioner is None


def test_a_practitioner_without_the_training_a_case_needs_is_flagged_until_they_complete_it(spo_client):
    """Issue 15 §5: allocation warns when a practitioner lacks the training a case needs (the Bendall-like case has
    domestic abuse and child protection flags: both courses)."""
    from datetime import date

    from keepsafe.workforce.models import TrainingCompletion

    pqip = Staff.objects.get(code=PQIP)
    TrainingCompletion.objects.filter(staff=pqip).delete()
    with time_machine.travel(NOW, tick=False):
        before = spo_client.get("/allocations/B100001").content.decode()
    row = before.split(f'data-code="{PQIP}"', 1)[1].split('data-testid="candidate"', 1)[0]
    assert "Training needed for this case" in row
    assert "Domestic abuse" in row
    assert "Child safeguarding" in row
    for course in ("DOMESTIC_ABUSE", "CHILD_SAFEGUARDING"):
        TrainingCompletion.objects.create(staff=pqip, course=course, completed_on=date(2026, 6, 1))
    with time_machine.travel(NOW, tick=False):
        after = spo_client.get("/allocations/B100001").content.decode()
    row = after.split(f'data-code="{PQIP}"', 1)[1].split('data-testid="candidate"', 1)[0]
    assert "Training needed for this case" not in row


def test_only_those_who_allocate_read_the_queue_or_a_case_to_allocate(world):  # noqa: F811
    """The try-out found practitioners and POMs reading the whole queue (names, RoSH, flags): a case read beyond their
    work. The queue and the allocate page are for SPOs and heads of PDU."""
    user = User.objects.create(username="pat", staff=Staff.objects.get(code=PSO), role="PRACTITIONER")
    c = Client()
    c.force_login(user)
    with time_machine.travel(NOW, tick=False):
        assert c.get("/allocations").status_code == 403
        assert c.get("/allocations/M100001").status_code == 403


def test_every_problem_at_once_each_naming_its_field(spo_client):
    """Tester (fix6 1a): no practitioner and 5,000-character notes listed only practitioner and reason, and the
    length error did not say which field; now every problem is listed at once, each naming its field."""
    long = "x" * 5000
    with time_machine.travel(NOW, tick=False):
        page = spo_client.post(
            "/allocations/M100001", {"to": "", "reason": "INITIAL_ALLOCATION", "notes": long, "oversight_note": long}
        )
    assert page.status_code == 400
    body = page.content.decode()
    assert "Choose the practitioner to allocate the case to" in body
    assert "Notes must be 4,000 characters or fewer (they have 5,000)" in body
    assert "The oversight note must be 4,000 characters or fewer (it has 5,000)" in body
    assert "characters; at most" not in body
    assert long in body  # what was typed is kept
    assert Person.objects.get(crn="M100001").practitioner is None


def test_the_form_fields_are_the_allocation_service_s_texts():
    from keepsafe.web.views.allocations import FIELDS, _Texts

    assert set(FIELDS) == set(_Texts.__annotations__)

"""Last contact is the last contact he attended (try-out round 2): a Video call recorded "Failed to attend" showed as
the last contact on the practitioner's and the team's caseload. The outcomes that count are CONTACT_MADE_OUTCOMES,
the ones contact levels count; the caseload column, its sort and the Risk tab use the same rule."""

from __future__ import annotations

import pytest
import time_machine
from django.test import Client

from keepsafe.testing.fixtures import make_bundle, make_person
from keepsafe.workforce.models import Staff, User

pytestmark = pytest.mark.django_db
NOW = "2026-11-23T10:00:00Z"
ALPHA, BETA, GAMMA = "B000001", "B000002", "B000003"


def _contact(cid: str, kind: str, at: str, outcome: str) -> dict:
    return {"id": cid, "type": kind, "at": at, "staff": "STF0001", "outcome": outcome, "notes": ""}


@pytest.fixture
def site(imported):
    alpha = make_person(ALPHA, surname="Alpha")  # attended on 10 November, failed to attend a Video call on 20th
    alpha["contacts"] = [
        _contact("A1", "OFFICE_VISIT", "2026-11-10T10:00:00Z", "ATTENDED"),
        _contact("A2", "VIDEO", "2026-11-20T10:00:00Z", "FAILED_TO_ATTEND"),
    ]
    beta = make_person(BETA, surname="Beta")  # attended but failed to comply on 15 November: he was there
    beta["contacts"] = [
        _contact("B1", "OFFICE_VISIT", "2026-11-15T10:00:00Z", "FAILED_TO_COMPLY"),
        _contact("B2", "PHONE", "2026-11-18T10:00:00Z", "ACCEPTABLE_ABSENCE"),
        _contact("B3", "PHONE", "2026-11-19T10:00:00Z", "RESCHEDULED"),
    ]
    gamma = make_person(GAMMA, surname="Gamma")  # only the fixture's failure to attend in 2022
    imported(make_bundle(alpha, beta, gamma))
    clients = {}
    for username, code, role in (("ada", "STF0001", "PRACTITIONER"), ("spo", "STF0100", "SPO")):
        user = User.objects.create(username=username, staff=Staff.objects.get(code=code), role=role)
        clients[username] = Client()
        clients[username].force_login(user)
    return clients


def _rows(html: str) -> dict[str, str]:
    """CRN → its table row, in the order shown."""
    rows = html.split('<tr class="govuk-table__row">')[1:]
    out = {}
    for row in rows:
        for crn in (ALPHA, BETA, GAMMA):
            if f'<td class="govuk-table__cell">{crn}</td>' in row:
                out[crn] = row
    return out


@pytest.mark.parametrize(("who", "path"), [("ada", "/caseload"), ("spo", "/teams/GMR-MN-1")])
def test_the_caseload_shows_and_sorts_by_the_last_attended_contact(site, who, path):
    with time_machine.travel(NOW, tick=False):
        page = site[who].get(path).content.decode()
        newest_first = site[who].get(path, {"sort": "-last"}).content.decode()
    assert "Last attended contact" in page
    rows = _rows(page)
    assert "10 November 2026" in rows[ALPHA]
    assert "20 November 2026" not in rows[ALPHA]
    assert "15 November 2026" in rows[BETA]
    assert "None attended" in rows[GAMMA]
    assert "2022" not in rows[GAMMA]
    assert list(_rows(newest_first)) == [BETA, ALPHA, GAMMA]  # 15th, 10th, none (a failure to attend is not contact)
    # the caption names the sort in words, not its key ("sorted by last")
    assert "Cases, sorted by last attended contact (descending)" in newest_first
    assert "sorted by name</caption>" in page


def test_the_risk_tab_shows_the_last_attended_contact(site):
    with time_machine.travel(NOW, tick=False):
        alpha = site["ada"].get(f"/case/{ALPHA}/risk").content.decode()
        gamma = site["ada"].get(f"/case/{GAMMA}/risk").content.decode()
    assert "Last attended contact: 10 November 2026." in alpha
    assert "Last attended contact: none recorded." in gamma

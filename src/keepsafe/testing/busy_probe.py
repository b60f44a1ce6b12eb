"""A person using the service while something else writes: signs in, asks a partner for a check (a form post that
writes), signs out, over and over for a number of seconds; prints one JSON line per request. Run as a process against
a real database file (actions/tests/test_sqlite_busy.py), the way the web service runs beside a sweep."""

from __future__ import annotations

import json
import sys
import time


def main(seconds: float, username: str, password: str) -> None:
    import django

    django.setup()
    from django.test import Client

    from keepsafe.people.models import Person
    from keepsafe.sharing.models import SharingAgreement
    from keepsafe.workforce.models import User

    user = User.objects.select_related("staff").get(username=username)
    agreement = next(
        (a for a in SharingAgreement.objects.select_related("partner") if "DOMESTIC_ABUSE" in a.answers), None
    )
    assert agreement is not None, "the probe needs an agreement answering domestic abuse checks"
    pdus = list(agreement.pdus.values_list("pk", flat=True))
    person = Person.objects.filter(practitioner=user.staff, pdu_id__in=pdus, access_lists__isnull=True).first()
    assert person is not None, "the probe needs a case the user holds in a PDU the agreement covers"
    client = Client()
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        for name, call in (
            ("sign-in", lambda: client.post("/sign-in", {"username": username, "password": password})),
            (
                "check",
                lambda: client.post(
                    f"/case/{person.crn}/checks/new",
                    {"kind": "DOMESTIC_ABUSE", "partner": agreement.partner.code, "question": "Call-outs since May?"},
                ),
            ),
            ("sign-out", lambda: client.post("/sign-out")),
        ):
            started = time.monotonic()
            status: int | str
            try:
                status = call().status_code
            except Exception as error:  # the test reports what went wrong, by type
                status = type(error).__name__
            line = {
                "request": name,
                "status": status,
                "at": time.time(),
                "seconds": round(time.monotonic() - started, 3),
            }
            print(json.dumps(line))
            sys.stdout.flush()


if __name__ == "__main__":
    main(float(sys.argv[1]), sys.argv[2], sys.argv[3])

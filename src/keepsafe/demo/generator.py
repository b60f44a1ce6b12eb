"""A deterministic synthetic probation region, as case bundles. Same seed and today → same data."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from keepsafe.actions.rules.calendar import start_of_day, working_days_after
from keepsafe.actions.rules.policy import DEFAULT_POLICY
from keepsafe.actions.rules.reviews import significance
from keepsafe.bundles.schema import NEED_AREAS
from keepsafe.demo import caseloads, premises_victims, texts
from keepsafe.records.rules.scanner import scan

REGION = {"code": "N01", "name": "North West (demo)"}
PDUS = [("N01-MN", "Manchester North"), ("N01-MS", "Manchester South"), ("N01-SA", "Salford")]
TEAMS_PER_PDU = 3
ROLE_LOGINS = {
    # username: (staff code, role)
    "practitioner": ("DEMO001", "PRACTITIONER"),
    "spo": ("DEMO002", "SPO"),
    "head-of-pdu": ("DEMO003", "HEAD_OF_PDU"),
    "regional-leader": ("DEMO004", "REGIONAL_LEADER"),
    "pom": ("DEMO005", "POM"),
    "auditor": ("DEMO006", "AUDITOR"),
    "admin": ("DEMO007", "ADMINISTRATOR"),
}


def _weighted(rng: random.Random, pairs: list[tuple[Any, int]]) -> Any:
    return rng.choices([p[0] for p in pairs], weights=[p[1] for p in pairs])[0]


def _at(day: date, hour: int, minute: int = 0) -> str:
    return datetime.combine(day, time(hour, minute), tzinfo=UTC).isoformat().replace("+00:00", "Z")


# --- ingest (issue 20 §5): a national synthetic region ----------------------------------------------------------
PEOPLE_PER_PDU = 2500  # `keepsafe demo --national`: one PDU per 2,500 people (about 100 at 250,000)
PDUS_PER_REGION = 10
NATIONAL_TEAMS_PER_PDU = 6
NATIONAL_GRADES = ["PO", "PO", "PO", "PO", "PO", "PQIP", "PSO", "PSO"]  # about 5,500 staff at 250,000 people


def national_pdus(people: int) -> int:
    return max(len(PDUS), round(people / PEOPLE_PER_PDU))


def _more_pdus(count: int) -> list[tuple[str, str, str]]:
    """(PDU code, name, region code) beyond the first region's three, ten PDUs to a region."""
    extra = []
    for k in range(count - len(PDUS)):
        number = len(PDUS) + k
        region = f"N{number // PDUS_PER_REGION + 1:02d}"
        extra.append((f"{region}-P{number:03d}", f"PDU {number} (synthetic)", region))
    return extra


# --- end ingest ---------------------------------------------------------------------------------------------------


def organisation(today: date, pdus: int = len(PDUS)) -> dict[str, Any]:
    """The demo region; with `pdus` above three, a national one: more regions and PDUs, larger teams (issue 20 §5).
    The first three PDUs, their staff and every demo login are the same either way."""
    rng = random.Random(7)
    teams, staff = [], []
    n = 100
    staff.append(
        {
            "code": "DEMO004",
            "forename": "Rachel",
            "surname": "Okonjo",
            "grade": "ACO",
            "team": None,
            "line_manager": None,
            "contracted_hours": 37.0,
            "email": "aco@example.org",
        }
    )
    for p_index, (pdu_code, pdu_name) in enumerate(PDUS):
        head = "DEMO003" if p_index == 0 else f"STF{n:04d}"
        n += 1
        first_team = f"{pdu_code}-1"
        staff.append(
            {
                "code": head,
                "forename": rng.choice(texts.FORENAMES_F),
                "surname": rng.choice(texts.SURNAMES),
                "grade": "HEAD_OF_PDU",
                "team": first_team,
                "line_manager": "DEMO004",
                "contracted_hours": 37.0,
                "email": "",
            }
        )
        for t in range(1, TEAMS_PER_PDU + 1):
            team_code = f"{pdu_code}-{t}"
            teams.append({"code": team_code, "name": f"{pdu_name} Team {t}", "pdu": pdu_code})
            spo = "DEMO002" if (p_index, t) == (0, 1) else f"STF{n:04d}"
            n += 1
            staff.append(
                {
                    "code": spo,
                    "forename": rng.choice(texts.FORENAMES_M + texts.FORENAMES_F),
                    "surname": rng.choice(texts.SURNAMES),
                    "grade": "SPO",
                    "team": team_code,
                    "line_manager": head,
                    "contracted_hours": 37.0,
                    "email": "",
                }
            )
            grades = ["PO", "PO", "PO", "PQIP", "PSO"]
            for g_index, grade in enumerate(grades):
                code = "DEMO001" if (p_index, t, g_index) == (0, 1, 0) else f"STF{n:04d}"
                n += 1
                qualified = None
                if grade == "PO":
                    qualified = (today - timedelta(days=rng.choice([120, 300, 800, 2000, 4000]))).isoformat()
                staff.append(
                    {
                        "code": code,
                        "forename": rng.choice(texts.FORENAMES_M + texts.FORENAMES_F),
                        "surname": rng.choice(texts.SURNAMES),
                        "grade": grade,
                        "team": team_code,
                        "line_manager": spo,
                        "qualified_on": qualified,
                        "contracted_hours": rng.choice([37.0, 37.0, 30.0, 22.5]),
                        "email": "",
                    }
                )
    # issue 15 (helper "demo4"): teams of ten practitioners, so the region's caseloads are realistic
    managers = {str(s["team"]): str(s["code"]) for s in staff if s["grade"] == "SPO"}
    staff.extend(
        caseloads.more_practitioners(teams, managers, today, texts.FORENAMES_M + texts.FORENAMES_F, texts.SURNAMES)
    )
    caseloads.experienced_demo_practitioner(staff, today)
    extra = _more_pdus(pdus)
    for pdu_code, _, _ in extra:
        n = _national_pdu(rng, today, pdu_code, n, teams, staff)
    for index, code in enumerate(["DEMO005", f"STF{n:04d}", f"STF{n + 1:04d}"]):
        staff.append(
            {
                "code": code,
                "forename": rng.choice(texts.FORENAMES_F),
                "surname": rng.choice(texts.SURNAMES),
                "grade": "POM",
                "team": f"{PDUS[index][0]}-1",
                "line_manager": None,
                "contracted_hours": 37.0,
                "email": "",
            }
        )
    staff.append(
        {
            "code": "DEMO006",
            "forename": "Priya",
            "surname": "Nair",
            "grade": "ADMIN",
            "team": None,
            "line_manager": None,
            "contracted_hours": 37.0,
            "email": "",
        }
    )
    staff.append(
        {
            "code": "DEMO007",
            "forename": "Sam",
            "surname": "Fletcher",
            "grade": "ADMIN",
            "team": None,
            "line_manager": None,
            "contracted_hours": 37.0,
            "email": "",
        }
    )
    n += len(PDUS)
    for pdu_code, _, _ in extra:  # one POM for each further PDU
        staff.append(_staff(rng, f"STF{n:04d}", "POM", f"{pdu_code}-1", None))
        n += 1
    staff.sort(key=lambda s: (s["line_manager"] is not None, s["code"]))
    staff_facts(staff, today)  # issue 15
    regions = [REGION] + [
        {"code": code, "name": f"Region {code} (synthetic)"}
        for code in sorted({r for _, _, r in extra} - {REGION["code"]})
    ]
    return {
        "format": "keepsafe-bundle/1",
        "regions": regions,
        "pdus": [{"code": c, "name": n_, "region": REGION["code"]} for c, n_ in PDUS]
        + [{"code": c, "name": n_, "region": r} for c, n_, r in extra],
        "teams": teams,
        "staff": staff,
        "people": [],
    }


def _staff(rng: random.Random, code: str, grade: str, team: str, manager: str | None, **more: Any) -> dict[str, Any]:
    return {
        "code": code,
        "forename": rng.choice(texts.FORENAMES_M + texts.FORENAMES_F),
        "surname": rng.choice(texts.SURNAMES),
        "grade": grade,
        "team": team,
        "line_manager": manager,
        "contracted_hours": 37.0,
        "email": "",
        **more,
    }


def _national_pdu(rng: random.Random, today: date, pdu_code: str, n: int, teams: list, staff: list) -> int:
    """A further PDU of the national region: a head, six teams each with an SPO and eight practitioners."""
    head = f"STF{n:04d}"
    n += 1
    staff.append(_staff(rng, head, "HEAD_OF_PDU", f"{pdu_code}-1", "DEMO004"))
    for t in range(1, NATIONAL_TEAMS_PER_PDU + 1):
        team_code = f"{pdu_code}-{t}"
        teams.append({"code": team_code, "name": f"{pdu_code} Team {t}", "pdu": pdu_code})
        spo = f"STF{n:04d}"
        n += 1
        staff.append(_staff(rng, spo, "SPO", team_code, head))
        for grade in NATIONAL_GRADES:
            qualified = None
            if grade == "PO":
                qualified = (today - timedelta(days=rng.choice([120, 300, 800, 2000, 4000]))).isoformat()
            staff.append(_staff(rng, f"STF{n:04d}", grade, team_code, spo, qualified_on=qualified))
            n += 1
    return n


_LOOKUPS: dict[int, tuple[dict[str, Any], list[str], dict[str, list[str]], list[str]]] = {}


def _lookup(org: dict[str, Any]) -> tuple[list[str], dict[str, list[str]], list[str]]:
    """PDU codes, practitioners by PDU and POMs of an organisation, worked out once per organisation."""
    cached = _LOOKUPS.get(id(org))
    if cached is not None and cached[0] is org:
        return cached[1], cached[2], cached[3]
    pdus = [p["code"] for p in org["pdus"]]
    by_pdu: dict[str, list[str]] = {code: [] for code in pdus}
    for s in org["staff"]:
        # the first draw of a holder (caseloads.Allocator then allocates by capacity) ignores the further
        # practitioners, so every other draw of a demo person is unchanged (issue 15, helper "demo4")
        if s["grade"] in ("PO", "PQIP", "PSO") and s["team"] and not s["code"].startswith(caseloads.MORE_CODE_PREFIX):
            by_pdu[s["team"].rsplit("-", 1)[0]].append(s["code"])
    poms = [s["code"] for s in org["staff"] if s["grade"] == "POM"]
    _LOOKUPS.clear()
    _LOOKUPS[id(org)] = (org, pdus, by_pdu, poms)
    return pdus, by_pdu, poms


def _fill(rng: random.Random, template: str) -> str:
    victim = f"{rng.choice(texts.FORENAMES_F)} {rng.choice(texts.SURNAMES)}"
    return template.format(v=victim, a=rng.choice(texts.FORENAMES_M), p=rng.choice(texts.PLACES))


def person(index: int, today: date, org: dict[str, Any], seed: int = 2026) -> dict[str, Any]:
    rng = random.Random(seed * 1_000_003 + index)
    pdus, practitioners, poms = _lookup(org)
    crn = f"{'XYZ'[index // 1_000_000 % 3]}{index % 1_000_000:06d}"
    male = rng.random() < 0.86
    age = rng.randint(19, 62)
    dob = today - timedelta(days=age * 365 + rng.randint(0, 364))
    pdu = rng.choice(pdus)
    practitioner = rng.choice(practitioners[pdu]) if rng.random() > 0.03 else None
    if index < 40:  # the demo practitioner gets a recognisable caseload
        practitioner, pdu = "DEMO001", "N01-MN"
    sentence_type = _weighted(
        rng,
        [
            ("COMMUNITY_ORDER", 40),
            ("SUSPENDED_SENTENCE_ORDER", 15),
            ("DETERMINATE_CUSTODY", 33),
            ("EXTENDED", 6),
            ("INDETERMINATE", 6),
        ],
    )
    offence, category = rng.choice(texts.OFFENCES)
    sentenced = today - timedelta(days=rng.randint(30, 2200))
    sentenced = max(sentenced, dob + timedelta(days=18 * 365 + 10))
    length = rng.choice([12, 18, 24, 36, 48, 72, 96])
    dates: dict[str, str | None] = {
        k: None
        for k in (
            "release",
            "conditional_release",
            "parole_eligibility",
            "licence_expiry",
            "sentence_expiry",
            "pss_end",
        )
    }
    custodial = sentence_type in ("DETERMINATE_CUSTODY", "EXTENDED", "INDETERMINATE")
    requirements, conditions = [], []
    if custodial:
        release = sentenced + timedelta(days=length * 15)
        dates["release"] = dates["conditional_release"] = release.isoformat()
        if sentence_type == "INDETERMINATE":
            dates["parole_eligibility"] = release.isoformat()
            dates["licence_expiry"] = None
        else:
            expiry = sentenced + timedelta(days=length * 30)
            dates["licence_expiry"] = dates["sentence_expiry"] = expiry.isoformat()
            if length < 24:
                dates["pss_end"] = (release + timedelta(days=365)).isoformat()
        conditions.append({"id": "L1", "type": "STANDARD", "text": "Standard licence conditions"})
    else:
        dates["sentence_expiry"] = (sentenced + timedelta(days=length * 30)).isoformat()
        req_type = rng.choice(
            [
                "UNPAID_WORK",
                "ACCREDITED_PROGRAMME",
                "REHABILITATION_ACTIVITY",
                "DRUG_REHABILITATION",
                "ALCOHOL_TREATMENT",
            ]
        )
        started = rng.random() < 0.7
        requirements.append(
            {
                "id": "R1",
                "type": req_type,
                "detail": req_type.replace("_", " ").title(),
                "start": (sentenced + timedelta(days=rng.randint(3, 40))).isoformat() if started else None,
            }
        )

    registrations = []
    rosh = _weighted(rng, [("RLRH", 25), ("RMRH", 45), ("RHRH", 25), ("RVHR", 5)])
    reg_start = sentenced + timedelta(days=rng.randint(0, 20))
    registrations.append(
        {
            "id": "REG-ROSH",
            "type": rosh,
            "start": reg_start.isoformat(),
            "end": None,
            "level": None,
            "category": None,
            "notes": "RoSH level from the latest assessment",
        }
    )
    victim = f"{rng.choice(texts.FORENAMES_F)} {rng.choice(texts.SURNAMES)}"
    domestic = (category == "violence" and rng.random() < 0.5) or rng.random() < 0.1
    if domestic:
        registrations.append(
            {
                "id": "REG-DA",
                "type": "ADVP",
                "start": reg_start.isoformat(),
                "end": None,
                "level": None,
                "category": None,
                "notes": "Domestic abuse perpetrator: police call-outs to previous partners",
            }
        )
        if rng.random() < 0.4:
            order_end = today + timedelta(days=rng.randint(-60, 1500))
            registrations.append(
                {
                    "id": "REG-RO",
                    "type": "RSTO",
                    "start": (order_end - timedelta(days=1826)).isoformat(),
                    "end": order_end.isoformat(),
                    "level": None,
                    "category": None,
                    "notes": f"Restraining order protecting {victim}, former partner",
                }
            )
            if custodial:
                conditions.append(
                    {"id": "L2", "type": "NO_CONTACT", "text": f"Not to contact {victim} directly or indirectly"}
                )
                conditions.append(
                    {
                        "id": "L3",
                        "type": "EXCLUSION_ZONE",
                        "text": f"Not to enter {rng.choice(texts.PLACES)} without prior approval",
                    }
                )
    if rosh in ("RHRH", "RVHR") and rng.random() < 0.35:
        registrations.append(
            {
                "id": "REG-MAPP",
                "type": "MAPP",
                "start": reg_start.isoformat(),
                "end": None,
                "level": rng.choice(["M1", "M1", "M2", "M3"]),
                "category": rng.choice(["M1", "M2"]),
                "notes": "Managed under MAPPA",
            }
        )
    for code, chance, note in (
        ("RCPR", 0.05, "Children subject to child protection plans"),
        ("WEAP", 0.05, "Known to carry bladed articles"),
        ("AV2S", 0.03, "Threatened staff at the office"),
        ("ALSH", 0.06, "History of self-harm"),
        ("IIOM", 0.05, "Integrated offender management cohort"),
    ):
        if rng.random() < chance:
            registrations.append(
                {
                    "id": f"REG-{code}",
                    "type": code,
                    "start": reg_start.isoformat(),
                    "end": None,
                    "level": None,
                    "category": None,
                    "notes": note,
                }
            )
    if rng.random() < 0.08:  # a removed flag, for the history view
        registrations.append(
            {
                "id": "REG-OLD",
                "type": "RCCO",
                "start": (reg_start - timedelta(days=400)).isoformat(),
                "end": (reg_start - timedelta(days=30)).isoformat(),
                "level": None,
                "category": None,
                "notes": "Child concerns",
                "end_reason": "Children's services closed the case",
            }
        )

    contacts = []
    first_contact = (dates["release"] and date.fromisoformat(dates["release"])) if custodial else sentenced
    if first_contact and first_contact < today + timedelta(days=60):
        day = first_contact
        number = 1
        while day < today + timedelta(days=21) and number < 40:
            outcome = (
                None
                if day >= today
                else _weighted(
                    rng, [("ATTENDED", 80), ("FAILED_TO_ATTEND", 10), ("ACCEPTABLE_ABSENCE", 6), ("RESCHEDULED", 4)]
                )
            )
            kind = _weighted(rng, [("APPOINTMENT", 70), ("HOME_VISIT", 10), ("PHONE", 15), ("OFFICE_VISIT", 5)])
            notes = _fill(rng, rng.choice(texts.PRACTITIONER)) if outcome and rng.random() < 0.3 else ""
            if outcome == "FAILED_TO_ATTEND":
                notes = "Failed to attend; no contact since. Warning letter to be considered."
            contacts.append(
                {
                    "id": f"C{number}",
                    "type": kind,
                    "at": _at(day, rng.choice([9, 10, 11, 14, 15])),
                    "staff": practitioner,
                    "outcome": outcome,
                    "notes": notes,
                }
            )
            number += 1
            day += timedelta(days=rng.choice([7, 7, 14, 14, 28]))

    records: list[dict[str, Any]] = []
    pools = [
        ("PRISON", "INTELLIGENCE_LOG", "Security department", texts.PRISON_INTELLIGENCE, custodial),
        ("POLICE", "CALL_OUT", "Greater Manchester Police (demo)", texts.POLICE, True),
        (
            "CHILDRENS_SERVICES",
            "SAFEGUARDING_RESPONSE",
            "Children's services (demo)",
            texts.CHILDRENS_SERVICES,
            domestic,
        ),
        ("PRACTITIONER", "CASE_NOTE", "Probation practitioner", texts.PRACTITIONER, True),
        ("VICTIM_LIAISON", "VICTIM_CONTACT", "Victim liaison unit", texts.VICTIM_LIAISON, domestic),
        ("COURT", "COURT_RESULT", "Magistrates' court (demo)", texts.COURT, rng.random() < 0.2),
    ]
    number = 1
    for source, kind, author, pool, applies in pools:
        if not applies:
            continue
        for _ in range(rng.randint(0, 3)):
            occurred = sentenced - timedelta(days=200) + timedelta(days=rng.randint(0, (today - sentenced).days + 199))
            # Received in the past: never after today (issue 11 §4 refuses records received in the future).
            received = min(occurred + timedelta(days=rng.choice([0, 0, 1, 3, 14])), today)
            records.append(
                {
                    "id": f"{source[:3]}-{index}-{number}",
                    "source": source,
                    "kind": kind,
                    "occurred_at": _at(occurred, rng.randint(7, 22), rng.choice([0, 15, 30, 45])),
                    "received_at": _at(received, rng.randint(7, 22) if received > occurred else 23, 59),
                    "author": author,
                    "text": _fill(rng, rng.choice(pool)),
                }
            )
            number += 1
    if domestic and rng.random() < 0.3:
        # Issue 5 §5: a civil order arrives as a record and raises its flag; nobody adds it by hand.
        made = sentenced - timedelta(days=rng.randint(30, 400))
        protected = f"{rng.choice(texts.FORENAMES_F)} {rng.choice(texts.SURNAMES)}"
        order_type = rng.choice(["RESTRAINING_ORDER", "NON_MOLESTATION_ORDER", "DOMESTIC_ABUSE_PROTECTION_ORDER"])
        records.append(
            {
                "id": f"COU-{index}-ORDER",
                "source": "COURT",
                "kind": "CIVIL_ORDER",
                "occurred_at": _at(made, 10, 0),
                "received_at": _at(made + timedelta(days=1), 9, 0),
                "author": "Family court (demo)",
                "text": f"{order_type.replace('_', ' ').capitalize()} made protecting {protected}.",
                "order": {
                    "type": order_type,
                    "start": made.isoformat(),
                    "end": (made + timedelta(days=rng.choice([365, 730, 1825]))).isoformat(),
                    "protected_person": protected,
                },
            }
        )

    sanctions = rng.randint(1, 40)
    assessments = []
    if rng.random() < 0.75:
        assessments.append(_assessment(rng, index, today, rosh, domestic, "RCPR" in {r["type"] for r in registrations}))
    return {
        "crn": crn,
        "forename": rng.choice(texts.FORENAMES_M if male else texts.FORENAMES_F),
        "surname": rng.choice(texts.SURNAMES),
        "date_of_birth": dob.isoformat(),
        "gender": "MALE" if male else "FEMALE",
        "ethnicity": _weighted(rng, texts.ETHNICITIES),
        "disability": rng.random() < 0.18,
        "pnc": None,
        "pdu": pdu,
        "practitioner": practitioner,
        "prison_offender_manager": rng.choice(poms) if custodial else None,
        "restricted_to": [],
        "excluded": [],
        "criminal_history": {
            "first_sanction_date": (dob + timedelta(days=rng.randint(15, 30) * 365)).isoformat()
            if dob + timedelta(days=30 * 365) < sentenced
            else None,
            "sanctions": sanctions,
            "violent_sanctions": rng.randint(0, sanctions),
        },
        "events": [
            {
                "id": "1",
                "offence": offence,
                "offence_category": category,
                "offence_date": (sentenced - timedelta(days=rng.randint(30, 300))).isoformat(),
                "sentence": {"type": sentence_type, "date": sentenced.isoformat(), "length_months": length},
                "dates": dates,
                "requirements": requirements,
                "licence_conditions": conditions,
                "terminated": None,
            }
        ],
        "registrations": registrations,
        "contacts": contacts,
        "records": records,
        "assessments": assessments,
        "enforcement_decisions": _enforcement_decisions(contacts, today, seed * 1_000_003 + index),
        "appointments": _appointments(contacts, today, practitioner),
    }


# issue 14: the appointments behind the demo's office appointments, home visits and phone calls (a generic imported
# "APPOINTMENT" is not a bookable type), so the diary and the Appointments tab show this week's and next week's
# bookings and the past ones with their outcomes (failures to attend included). Derived from the contacts, drawing no
# random numbers, so the rest of the demo is unchanged and the seed stays deterministic.
APPOINTMENT_PLACES = {"OFFICE_VISIT": "Probation office (demo)", "HOME_VISIT": "Home address", "PHONE": ""}


def _appointments(contacts: list[dict[str, Any]], today: date, practitioner: str | None) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    by = practitioner or "system"
    for number, c in enumerate((c for c in contacts if c["type"] in APPOINTMENT_PLACES), start=1):
        at = datetime.fromisoformat(c["at"].replace("Z", "+00:00"))
        booked = min(at.date() - timedelta(days=7), today - timedelta(days=1))
        past = c["outcome"] is not None
        absent = c["outcome"] == "ACCEPTABLE_ABSENCE"
        out.append(
            {
                "id": f"A{number}",
                "type": c["type"],
                "at": c["at"],
                "location": APPOINTMENT_PLACES[c["type"]],
                "staff": c["staff"],
                "booked_at": _at(booked, 9),
                "booked_by": by,
                "outcome": c["outcome"],
                "outcome_at": _at(at.date(), min(at.hour + 2, 23)) if past else None,
                "outcome_by": by if past else None,
                "absence_reason": "Hospital appointment" if absent else "",
                "absence_evidence": "Appointment letter seen" if absent else "",
                "contact": c["id"] if past else None,
                "reschedules": [],
            }
        )
    return out


def _bookable_diary(p: dict[str, Any], today: date) -> None:
    """The demo practitioner's generic "APPOINTMENT" contacts become office visits, so the diary a new user signs in
    to is as full as a real caseload's (a generic imported appointment is not bookable; `_appointments`). Draws no
    random numbers, so nothing else about the person changes."""
    for c in p["contacts"]:
        if c["type"] == "APPOINTMENT":
            c["type"] = "OFFICE_VISIT"
    p["appointments"] = _appointments(p["contacts"], today, p["practitioner"])


# assurance (issue 17): enforcement decisions after failures to attend, so the delivery dashboards show a realistic
# share made within 2 working days (seeds/002 found enforcement taken in 27 of 70 cases where it was needed). Their own
# generator, seeded per person, so the rest of the demo person is unchanged.
# Issue 15 (helper "demo15"): made on time (within 2 working days) with the PDU's and team's chance, like the checks;
# otherwise late (4 to 9 days) or, for CHECK_NEVER_DONE of them, only after escalation (ESCALATED_DAYS). A fixed 20%
# never recorded left most failures to attend of the past three months with an overdue decision in every PDU alike.
def _enforcement_decisions(
    contacts: list[dict[str, Any]], today: date, seed: int, chance: float | None = None
) -> list[dict[str, Any]]:
    rng = random.Random(f"{seed}:enforcement")
    on_time = ON_TIME_NATIONAL if chance is None else chance
    out: list[dict[str, Any]] = []
    absences: list[datetime] = []
    for c in contacts:
        if c["outcome"] != "FAILED_TO_ATTEND":
            continue
        at = datetime.fromisoformat(c["at"])
        earlier = [a for a in absences if at - timedelta(days=365) <= a < at]
        absences.append(at)
        in_time = rng.random() < on_time
        escalated = not in_time and rng.random() < CHECK_NEVER_DONE
        if c["staff"] is None:
            continue  # nobody holds the case to record a decision
        if escalated:  # recorded only once escalation brought it in
            when = datetime.combine(escalated_day(rng, at.date()), at.timetz())
        else:
            when = at + (timedelta(hours=rng.randint(2, 30)) if in_time else timedelta(days=rng.randint(4, 9)))
        if when.date() >= today:
            continue
        out.append(
            {
                "contact": c["id"],
                "decision": "BREACH" if earlier else "WARNING",
                "at": when.strftime("%Y-%m-%dT%H:%M:%SZ"),
                "by": c["staff"],
                "notes": "Further absence within 12 months: breach action started."
                if earlier
                else "First unacceptable absence: warning letter sent.",
            }
        )
    return out


LEVEL_OF = {"RLRH": "LOW", "RMRH": "MEDIUM", "RHRH": "HIGH", "RVHR": "VERY_HIGH"}
LEVELS = ("LOW", "MEDIUM", "HIGH", "VERY_HIGH")
RSR_RANGE = {"LOW": (0.2, 2.9), "MEDIUM": (1.0, 6.8), "HIGH": (3.0, 12.0), "VERY_HIGH": (6.9, 25.0)}


def _band(score: float, cuts: tuple[float, float, float]) -> str:
    return LEVELS[sum(score >= c for c in cuts)]


def _assessment(
    rng: random.Random, index: int, today: date, rosh_code: str, domestic: bool, child_protection: bool
) -> dict[str, Any]:
    """An OASys assessment consistent with the case's RoSH registration: its highest group is that level."""
    level = LEVEL_OF[rosh_code]
    lower = LEVELS[max(0, LEVELS.index(level) - 1)]
    community = {
        "children": level if child_protection else "LOW",
        "public": level if not domestic else lower,
        "known_adult": level if domestic else lower,
        "staff": "LOW",
    }
    rsr = round(rng.uniform(*RSR_RANGE[level]), 2)
    arp = round(rng.uniform(5, 95), 2)
    ogrs = round(rng.uniform(10, 95), 1)
    completed = today - timedelta(days=rng.randint(20, 420))
    return {
        "id": f"OASYS-{index}",
        "completed_at": _at(completed, 11),
        "assessor": "OASys",
        "status": "COMPLETE",
        "rosh": {"community": community, "custody": None},
        "predictors": {
            "rsr": {"score": rsr, "band": _band(rsr, (3.0, 6.9, 99.0)), "static": False},
            "ogrs4g": {"score": arp, "band": _band(arp, (50, 75, 90)), "static": True},
            "ogrs3_2y": {"score": ogrs, "band": _band(ogrs, (50, 75, 90)), "static": True},
        },
        "needs": {area: rng.choice(["NO_NEED", "NO_NEED", "STANDARD", "SEVERE"]) for area in NEED_AREAS},
        "risk_to_self": {"suicide": rng.choice(["NO", "NO", "NO", "YES", "DONT_KNOW"]), "self_harm": "NO"},
    }


def people(
    count: int, today: date, org: dict[str, Any], chunk: int = 1000, seed: int = 2026
) -> Iterator[list[dict[str, Any]]]:
    """Bundles' people lists in chunks, for bulk import at any scale."""
    allocator = caseloads.Allocator(org, today)  # issue 15 (helper "demo4"): caseloads within capacity, mostly
    issue16 = premises_victims.PremisesAndVictims(org, today)
    for start in range(0, count, chunk):
        batch = [person(i, today, org, seed) for i in range(start, min(count, start + chunk))]
        for i, p in enumerate(batch, start):
            allocator.allocate(p, i)
            if p["practitioner"] == caseloads.DEMO_PRACTITIONER:
                _bookable_diary(p, today)
            _restrictions(p)
            assurance_history(p, today, org, seed)  # issue 17 (helper "demo17")
            flag_review_history(p, today, org, seed)  # issue 17 (helper "assure2"): flags reviewed on time %
            issue16.add(p)  # issue 16 §5, §7 (helper "demo4"): approved premises referrals, victim representations
            work_history(p, today, org, seed)  # issue 15 (helper "demo15"): the work behind the safety actions
        yield batch


def _restrictions(p: dict[str, Any]) -> None:
    """A few limited-access cases, so the demo shows restriction and exclusion at work."""
    number = int(p["crn"][1:])
    if number in (5, 6):  # on the demo practitioner's caseload but excluding the demo SPO
        p["excluded"] = ["DEMO002"]
    if number in (50, 51, 52):  # restricted to one PO: invisible to the demo logins
        p["restricted_to"] = [p["practitioner"] or "DEMO004"]
        if p["restricted_to"] == ["DEMO001"]:
            p["restricted_to"] = ["DEMO004"]
    if number == 7:  # restricted to the demo practitioner: others never see it
        p["restricted_to"] = ["DEMO001"]


# --- assurance history (issue 17, helper "demo17"): checks asked and acted on, and recall decisions over the past
# twelve months, so the delivery dashboards and the recall sampling page show realistic figures. Their own generator,
# seeded per person, so the rest of the demo person (and other helpers' additions) are unchanged. How often the work is
# done on time depends on the PDU (Salford is the weaker one, as seeds/002 found shares between 27 and 59 per cent
# in Greater Manchester) and a little on the team.
HISTORY_DAYS = 330  # within the actions' look-back, so the sweep replays every deadline
ON_TIME_BY_PDU = {"N01-MN": 0.84, "N01-MS": 0.76, "N01-SA": 0.55}
ON_TIME_NATIONAL = 0.75  # a further PDU of the national demo
CHECK_NEVER_DONE = 0.3  # of the checks not done on time, the share never completed (the rest done late)
# Issue 15 (helper "demo15"): of the reviews, notes and other work not done on time, the CHECK_NEVER_DONE share left
# undone is brought in only once escalation reaches the head of PDU, this many days after it was due; until then it
# stays overdue. Work left undone for ever piled up over the replayed weeks (a review missed in May still overdue in
# December) and made every PDU read as failing; this way what is overdue today is mostly recent, more so where the
# PDU's chance is lower.
ESCALATED_DAYS = (21, 60)


def escalated_day(rng: random.Random, due: date) -> date:
    """The day work left undone past its late days is brought in after escalation (ESCALATED_DAYS after `due`)."""
    return due + timedelta(days=rng.randint(*ESCALATED_DAYS))


RECALL_CONSIDERED = 0.07  # of the people on licence, the share whose recall was considered in the past year
NO_RECALL_SHARE = 0.4
NO_RECALL_AFTER_CHARGE = 0.35
CHECK_ANSWERS = {
    "DOMESTIC_ABUSE": (
        "POLICE",
        "DOMESTIC_ABUSE_CHECK_RESPONSE",
        "Greater Manchester Police (demo)",
        (
            "Domestic abuse check: no call-outs recorded to the home address in the last two years.",
            "Domestic abuse check: two call-outs to a former partner's address, no further action taken by police.",
            "Domestic abuse check: nothing held on the police national database for this address.",
        ),
    ),
    "SAFEGUARDING": (
        "CHILDRENS_SERVICES",
        "SAFEGUARDING_CHECK_RESPONSE",
        "Children's services (demo)",
        (
            "Safeguarding check: no open case and no children known at the address.",
            "Safeguarding check: case closed last year after a child and family assessment; no current plan.",
            "Safeguarding check: children at the address known to early help; no safeguarding concerns open.",
        ),
    ),
}
ACTED_ON_NOTES = {
    "DOMESTIC_ABUSE": "Read the police answer with the case; risk to partners considered and the plan kept as it is.",
    "SAFEGUARDING": "Read the children's services answer with the case; contact arrangements checked, plan unchanged.",
}


def _on_time_chance(pdu: str, team: str | None) -> float:
    base = ON_TIME_BY_PDU.get(pdu, ON_TIME_NATIONAL)
    return base + (random.Random(f"{team}:team-quality").uniform(-0.08, 0.08) if team else 0.0)


def _history_instant(day: date, rng: random.Random) -> datetime:
    return datetime.combine(day, time(rng.randint(9, 16), rng.choice([0, 15, 30, 45])), tzinfo=UTC)


def _z(at: datetime) -> str:
    return at.strftime("%Y-%m-%dT%H:%M:%SZ")


def assurance_history(p: dict[str, Any], today: date, org: dict[str, Any], seed: int = 2026) -> None:
    """Adds to a generated person the checks asked and acted on for their latest sentence or release, and any recall
    considered in the past twelve months (with the police's charge record behind some decisions not to recall)."""
    if p["practitioner"] is None:
        return  # nobody holds the case to ask or decide
    staff = _staff_lookup(org)
    rng = random.Random(f"{seed}:{p['crn']}:assurance")
    team = staff[p["practitioner"]][0]
    chance = _on_time_chance(p["pdu"], team)
    event = p["events"][0]
    checks, records = _checks(rng, event, today, chance, p["practitioner"])
    recalls, charges = _recalls(rng, event, today, chance, staff[p["practitioner"]][1])
    p.setdefault("checks", []).extend(checks)
    p.setdefault("recalls", []).extend(recalls)
    p["records"].extend(records + charges)
    p["assessments"].extend(_assessment_history(p, today, chance, seed))


_STAFF: dict[int, tuple[dict[str, Any], dict[str, tuple[str | None, str | None]]]] = {}


def _staff_lookup(org: dict[str, Any]) -> dict[str, tuple[str | None, str | None]]:
    """Staff code → (team, line manager), worked out once per organisation."""
    cached = _STAFF.get(id(org))
    if cached is not None and cached[0] is org:
        return cached[1]
    lookup = {s["code"]: (s["team"], s["line_manager"]) for s in org["staff"]}
    _STAFF[id(org)] = (org, lookup)
    return lookup


def _checks(
    rng: random.Random, event: dict[str, Any], today: date, chance: float, practitioner: str
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Both checks for a sentence started, or a release falling, in the past year: done on time, late or never."""
    sentenced = date.fromisoformat(event["sentence"]["date"])
    release = event["dates"]["release"] and date.fromisoformat(event["dates"]["release"])
    horizon = today - timedelta(days=HISTORY_DAYS)
    if release:
        due = release - timedelta(days=28)  # actions/rules/policy.py checks_days_before_release
        opens = max(sentenced, due - timedelta(days=28))
    else:
        due = sentenced + timedelta(days=12)  # inside 10 working days (at least 14 calendar days) of the sentence
        opens = sentenced
    if not (horizon <= opens and due < today - timedelta(days=2) and (due - opens).days >= 7):
        return [], []
    checks, records = [], []
    for kind, (source, record_kind, author, answers) in CHECK_ANSWERS.items():
        on_time = rng.random() < chance
        never = not on_time and rng.random() < CHECK_NEVER_DONE
        requested = opens + timedelta(days=rng.randint(0, min(5, (due - opens).days - 6)))
        answered = requested + timedelta(days=rng.randint(1, 4))
        acted = (
            answered + timedelta(days=rng.randint(0, max(0, (due - answered).days)))
            if on_time
            else due + timedelta(days=rng.randint(2, 45))
        )
        if not on_time and acted >= today:
            never = True
        if not on_time and not never and rng.random() < 0.5:  # the answer itself came late
            answered = max(answered, acted - timedelta(days=rng.randint(0, 3)))
        asked_at = _history_instant(requested, rng)
        check: dict[str, Any] = {"id": f"{kind[:2]}-1", "kind": kind, "requested_at": _z(asked_at)}
        answer_day = answered if not never or rng.random() < 0.5 else None  # never done: some never answered
        if answer_day is not None and answer_day < today:
            answer_at = max(_history_instant(answer_day, rng), asked_at + timedelta(hours=2))
            record_id = f"{kind[:2]}-ANSWER-1"
            records.append(
                {
                    "id": record_id,
                    "source": source,
                    "kind": record_kind,
                    "occurred_at": _z(answer_at),
                    "received_at": _z(answer_at),
                    "author": author,
                    "text": rng.choice(answers),
                }
            )
            check["response_record"] = record_id
            if not never:
                acted_at = max(_history_instant(acted, rng), answer_at + timedelta(hours=1))
                check.update(
                    acted_on_at=_z(acted_at),
                    acted_on_by=practitioner,
                    acted_on_outcome="REASON",
                    acted_on_notes=ACTED_ON_NOTES[kind],
                )
        checks.append(check)
    return checks, records


def _recalls(
    rng: random.Random, event: dict[str, Any], today: date, chance: float, spo: str | None
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """A recall considered while on licence in the past year: recalled (executed within 24, 48 or 72 hours, late, or
    not yet) or not recalled, some of those after a charge."""
    release = event["dates"]["release"] and date.fromisoformat(event["dates"]["release"])
    expiry = event["dates"]["licence_expiry"] and date.fromisoformat(event["dates"]["licence_expiry"])
    if not release or spo is None or rng.random() >= RECALL_CONSIDERED:
        return [], []
    first = max(release + timedelta(days=14), today - timedelta(days=HISTORY_DAYS))
    last = min(expiry, today) - timedelta(days=14) if expiry else today - timedelta(days=14)
    if first > last:
        return [], []
    considered = _history_instant(first + timedelta(days=rng.randint(0, (last - first).days)), rng)
    decided = considered + timedelta(hours=rng.randint(1, 6))
    recall: dict[str, Any] = {
        "id": "RC1",
        "event": event["id"],
        "considered_at": _z(considered),
        "decided_at": _z(decided),
        "decided_by": spo,
    }
    charges: list[dict[str, Any]] = []
    if rng.random() < NO_RECALL_SHARE:
        recall["decision"] = "NO_RECALL"
        if rng.random() < NO_RECALL_AFTER_CHARGE:
            charged = considered - timedelta(days=rng.randint(1, 10), hours=rng.randint(1, 8))
            charges.append(
                {
                    "id": "POL-CHARGE-1",
                    "source": "POLICE",
                    "kind": "CHARGE",
                    "occurred_at": _z(charged - timedelta(days=1)),
                    "received_at": _z(charged),
                    "author": "Greater Manchester Police (demo)",
                    "text": "Charged with criminal damage at a neighbour's address; bailed to the home address.",
                }
            )
        return [recall], charges
    sentence = event["sentence"]["type"]
    if sentence == "INDETERMINATE":
        recall_type, emergency = "STANDARD", True
    elif sentence == "EXTENDED" or rng.random() < 0.7:
        recall_type, emergency = "STANDARD", rng.random() < 0.35
    else:
        recall_type, emergency = "FIXED_TERM", False
    revoked = decided + timedelta(hours=rng.randint(1, 3))
    if rng.random() < chance:  # in time: 24 hours for an emergency recall, 72 for a standard one
        hours = (
            rng.randint(4, 23)
            if emergency
            else _weighted(rng, [(rng.randint(4, 23), 5), (rng.randint(25, 47), 3), (rng.randint(49, 71), 2)])
        )
    else:
        hours = rng.randint(26, 60) if emergency else rng.randint(80, 400)
    executed = max(decided + timedelta(hours=hours), revoked + timedelta(minutes=30))
    recall.update(
        decision="RECALL",
        type=recall_type,
        emergency=emergency,
        revoked_at=_z(revoked),
        executed_at=_z(executed) if executed < datetime.combine(today, time(0), tzinfo=UTC) else None,
    )
    return [recall], charges


# Risk assessments completed after the moments that call for one (actions/rules/reviews.py): a community sentence
# starting (15 working days), a release (5), a recall or a significant record without indicators (5), and new
# information with indicator findings (5 working days from the first record after the latest assessment). On time
# with the PDU's chance, the rest late (1 to 30 days) or never completed, like the checks.
# The default dashboard period (six months) and more: every occasion the demo's replayed sweeps (FLAG_REPLAY_DAYS,
# seeding) or today's sweep can still open, FLAG_REPLAY_DAYS + the policy's trigger_lookback_days (issue 15, helper
# "demo15": with 200 days, reviews called for before them were opened by the replay and never answered).
REVIEW_HISTORY_DAYS = 290
# Of the assessments not completed on time, the share completed only after escalation (ESCALATED_DAYS; the rest late).
ASSESSMENT_NEVER_DONE = 0.3
RELEASE_ASSESSED_FROM_DAYS = 10  # an on-time assessment for a release is completed up to this long before it


def _occasions(p: dict[str, Any], today: date) -> list[tuple[str, datetime, datetime, datetime]]:
    """(kind, since, opens, due) of each moment in the history window that calls for a completed assessment: kind
    "signal" for a record with indicator findings (scanned as the import scans it), "event" for the others."""
    horizon = start_of_day(today - timedelta(days=REVIEW_HISTORY_DAYS))
    policy = DEFAULT_POLICY
    out: list[tuple[str, datetime, datetime, datetime]] = []
    event = p["events"][0]
    release = event["dates"]["release"] and date.fromisoformat(event["dates"]["release"])
    if event["sentence"]["type"] in ("DETERMINATE_CUSTODY", "EXTENDED", "INDETERMINATE"):
        if release:
            opens = start_of_day(release)
            since = opens - timedelta(days=policy.risk_review_release_lookback_days)
            due = working_days_after(opens, policy.risk_review_release_working_days)
            out.append(("event", since, opens, due))
    else:
        opens = start_of_day(date.fromisoformat(event["sentence"]["date"]))
        out.append(("event", opens, opens, working_days_after(opens, policy.risk_review_sentence_working_days)))
    for recall in p.get("recalls", []):
        if recall["decision"] == "RECALL":
            decided = datetime.fromisoformat(recall["decided_at"])
            out.append(("event", decided, decided, working_days_after(decided, policy.risk_review_event_working_days)))
    for record in p["records"]:
        received = datetime.fromisoformat(record["received_at"])
        if received < horizon:
            continue
        indicators = frozenset(f.indicator for f in scan(record["text"]))
        if indicators:
            out.append(
                ("signal", received, received, working_days_after(received, policy.risk_review_signal_working_days))
            )
        elif significance(record["kind"], indicators):
            out.append(
                ("event", received, received, working_days_after(received, policy.risk_review_event_working_days))
            )
    end = start_of_day(today)
    return sorted((o for o in out if horizon <= o[2] and o[3] < end), key=lambda o: (o[2], o[0]))


def _instant_between(rng: random.Random, low: datetime, high: datetime) -> datetime:
    """A working-hours instant after `low` and before `high` (at least an hour apart)."""
    days = max(0, (high.date() - low.date()).days)
    at = _history_instant(low.date() + timedelta(days=rng.randint(0, days)), rng)
    return min(max(at, low + timedelta(hours=1)), high - timedelta(minutes=1))


def _assessment_history(p: dict[str, Any], today: date, chance: float, seed: int) -> list[dict[str, Any]]:
    """Assessments completed after each occasion in the history window: on time with `chance`, otherwise late or
    after escalation. Each repeats the person's latest ratings (the case's RoSH level is unchanged), with its own id
    and date."""
    rng = random.Random(f"{seed}:{p['crn']}:assessments")
    index = int(p["crn"][1:])
    base = p["assessments"][-1] if p["assessments"] else None
    if base is None:
        kinds = {r["type"] for r in p["registrations"]}
        rosh = next(r["type"] for r in p["registrations"] if r["id"] == "REG-ROSH")
        base = _assessment(rng, index, today, rosh, "ADVP" in kinds, "RCPR" in kinds)
    placed = [datetime.fromisoformat(a["completed_at"]) for a in p["assessments"]]
    end = start_of_day(today)
    window_first: datetime | None = None
    for kind, since, opens, due in _occasions(p, today):
        if kind == "signal":
            latest = max((a for a in placed if a <= since), default=None)
            if window_first is not None and (latest is None or window_first > latest):
                continue  # part of the review already open: answered with it
            window_first = since
        if any(since <= a <= due for a in placed):
            continue  # an assessment completed for an earlier occasion answers this one in time
        if rng.random() < chance:
            low = opens - timedelta(days=RELEASE_ASSESSED_FROM_DAYS) if since < opens else since
            placed.append(_instant_between(rng, low, due))
        elif rng.random() >= ASSESSMENT_NEVER_DONE:
            late = _instant_between(rng, due + timedelta(days=1), due + timedelta(days=30))
            if late < end:
                placed.append(late)
        else:  # issue 15 (helper "demo15"): completed only once escalation brought it in
            late = _instant_between(
                rng, due + timedelta(days=ESCALATED_DAYS[0]), due + timedelta(days=ESCALATED_DAYS[1])
            )
            if late < end:
                placed.append(late)
    new = sorted(placed[len(p["assessments"]) :])
    return [
        base | {"id": f"OASYS-{index}-R{number}", "completed_at": _z(at.astimezone(UTC))}
        for number, at in enumerate(new, 1)
    ]


# --- issue 15 (helper "work"): realistic reductions and training for the demo's staff -------------------------------

DEMO_COURSES = ("DOMESTIC_ABUSE", "CHILD_SAFEGUARDING", "RISK_OF_SERIOUS_HARM", "MAPPA", "OASYS")
# Team number → the extra reductions its practitioners carry: the first teams of each PDU are fully staffed; the
# others carry sickness, court duty and trade union time, so they run over capacity (docs/workforce.md).
HEAVY_TEAMS = {2: ("COURT_DUTY", 7.4), 3: ("LONG_TERM_SICKNESS", None)}


def staff_facts(staff: list[dict[str, Any]], today: date) -> None:
    """Add `reductions` and `training` to every member of staff (its own random stream, so the rest of the demo is
    unchanged): PQiPs carry the PQiP reduction for their stage, newly qualified officers the NQO one; in a PDU's
    second team one practitioner has court duty, in its third one is on long-term sickness; one in ten has group
    work. Completions are one to four years old, some missing, so some training is due or overdue."""
    rng = random.Random(15)
    for s in staff:
        reductions: list[dict[str, Any]] = []
        grade, team = s["grade"], s.get("team")
        if grade == "PQIP":
            months = rng.choice([2, 8, 14])
            code = {2: "PQIP_0_6", 8: "PQIP_6_12", 14: "PQIP_12_18"}[months]
            start = today - timedelta(days=30 * (months % 6))
            reductions.append({"reason": code, "hours": None, "start": start.isoformat(), "end": None})
        if grade == "PO" and s.get("qualified_on"):
            qualified = date.fromisoformat(s["qualified_on"])
            if (today - qualified).days < 365:
                reductions.append({"reason": "NQO", "hours": None, "start": qualified.isoformat(), "end": None})
        if grade in ("PO", "PQIP", "PSO") and team:
            number = int(team.rsplit("-", 1)[1])
            heavy = HEAVY_TEAMS.get(number)
            # the further practitioners of issue 15 (helper "demo4") are not among the heavy teams' absences
            if heavy and not s["code"].startswith(caseloads.MORE_CODE_PREFIX) and rng.random() < 0.5:
                reason, hours = heavy
                start = today - timedelta(days=rng.randint(20, 120))
                end = None if reason == "COURT_DUTY" else (today + timedelta(days=rng.randint(30, 90))).isoformat()
                reductions.append({"reason": reason, "hours": hours, "start": start.isoformat(), "end": end})
            elif rng.random() < 0.1:
                began = (today - timedelta(days=rng.randint(10, 400))).isoformat()
                reductions.append({"reason": "GROUPS", "hours": 3.5, "start": began, "end": None})
        training: list[dict[str, Any]] = []
        if grade in ("PO", "PQIP", "PSO", "SPO"):
            for course in DEMO_COURSES:
                if rng.random() < 0.85:
                    done = today - timedelta(days=rng.randint(30, 4 * 365))
                    training.append({"course": course, "completed_on": done.isoformat()})
        s["reductions"] = reductions
        s["training"] = training


# --- issue 17 (helper "assure2"): a history of flag (registration) reviews ------------------------------------------
# Each active flag whose first review date fell in the past FLAG_REPLAY_DAYS is reviewed on time (in the 6 days up to
# the date), late (1 to 40 days after) or not yet, with the PDU's chance of being in time (as for the checks). The
# review travels as the bundle's `last_reviewed`, which the import records in the flag's history known from that day;
# `demo.seed.demo_flag_review_replay` then replays the sweep weekly over those past weeks, so each review date had an
# action open before its review, as a service sweeping every day would have had.

FLAG_REPLAY_DAYS = 190  # replayed weeks: the dashboard's default six months, and the lead time before them
_REVIEW_MONTHS: dict[str, int] = {}


def _review_months() -> dict[str, int]:
    """registration-types.csv `review_months` (the reference the import and the rules use)."""
    if not _REVIEW_MONTHS:
        import csv
        from pathlib import Path

        import keepsafe.people

        path = Path(keepsafe.people.__file__).parent / "reference" / "registration-types.csv"
        with path.open(encoding="utf-8") as f:
            _REVIEW_MONTHS.update({row["code"]: int(row["review_months"]) for row in csv.DictReader(f)})
    return _REVIEW_MONTHS


def flag_replay_instants(today: date) -> list[datetime]:
    """The replayed sweeps: weekly at 06:00 UTC from FLAG_REPLAY_DAYS ago up to yesterday."""
    first = today - timedelta(days=FLAG_REPLAY_DAYS)
    return [datetime.combine(first + timedelta(days=d), time(6), tzinfo=UTC) for d in range(0, FLAG_REPLAY_DAYS, 7)]


def flag_review_history(p: dict[str, Any], today: date, org: dict[str, Any], seed: int = 2026) -> None:
    """Sets `last_reviewed` on the person's active flags: the latest review due before the replayed weeks (made on
    time), then the one due in them (on time, late or not made, by the PDU's and team's chance)."""
    if p["practitioner"] is None:
        return  # nobody holds the case to review its flags
    rng = random.Random(f"{seed}:{p['crn']}:flag-reviews")
    team = _staff_lookup(org)[p["practitioner"]][0]
    chance = _on_time_chance(p["pdu"], team)
    for reg in p["registrations"]:
        months = _review_months().get(reg["type"], 0)
        end = date.fromisoformat(reg["end"]) if reg["end"] is not None else None
        reviewed = last_review(rng, months, date.fromisoformat(reg["start"]), end, today, chance)
        if reviewed is not None:
            reg["last_reviewed"] = reviewed.isoformat()


def last_review(
    rng: random.Random, months: int, start: date, end: date | None, today: date, chance: float
) -> date | None:
    """A flag's last review as of `today`: the latest review due before the replayed weeks (made on time), then the one
    due in them (on time, late or after escalation, by `chance`); None if never reviewed."""
    from keepsafe.people.rules.registration_review import next_review_date

    lead = DEFAULT_POLICY.registration_review_lead_days
    earliest = today - timedelta(days=FLAG_REPLAY_DAYS - lead)
    if (end is not None and end <= today) or months == 0:
        return None  # ended, or never reviewed (a flag with a future end date, a restraining order say, is reviewed)
    # Every review due before the latest one due by today was made on time (issue 15 try-out: a region whose
    # flags were last reviewed years ago read every practitioner "far from target"; a three-monthly flag's
    # earlier review in the replayed weeks was left overdue); only that latest one is drawn, if it falls in the
    # replayed weeks, since a bundle carries one `last_reviewed` per flag.
    done_before = None
    first = next_review_date(review_months=months, start=start, last_reviewed=None, end=end)
    while first is not None and first < today:
        after = next_review_date(review_months=months, start=start, last_reviewed=first, end=end)
        if after is None or after >= today:
            break
        done_before, first = first, after
    if first is not None and first < earliest:
        done_before, first = first, None  # the latest review fell before the replayed weeks: made on time
    if first is None or not earliest <= first < today:
        return done_before
    draw = rng.random()
    if draw < chance:
        reviewed = first - timedelta(days=rng.randint(0, 6))  # on time, after the week's sweep opened it
    elif rng.random() < CHECK_NEVER_DONE:  # reviewed only once escalation brought it in (issue 15, "demo15")
        reviewed = escalated_day(rng, first)
    else:
        reviewed = first + timedelta(days=rng.randint(1, WORK_LATE_DAYS))  # late
    return reviewed if start <= reviewed < today else done_before


# --- end issue 17 (helper "assure2") ----------------------------------------------------------------------------------


# --- issue 15 (helper "demo15"): the work behind the safety actions -----------------------------------------------
# Without it a seeded and swept region had 47% of its open actions overdue (requirements never started, release plans
# never made, sentences never closed at expiry), and the SPO's pages read "everyone is failing". Each trigger the
# demo's sweeps can still see (WORK_HISTORY_DAYS: the replayed weeks and the policy's look-back before them) gets its
# work recorded in the bundle: on time with the PDU's and team's chance, otherwise late or after escalation, so what
# remains overdue differs by PDU as the assurance pages expect. Its own random stream, so the rest of the demo is
# unchanged.

WORK_HISTORY_DAYS = FLAG_REPLAY_DAYS + DEFAULT_POLICY.trigger_lookback_days
WORK_LATE_DAYS = 30  # late work comes within this many days after the due date (if before today)
RELEASE_PLAN_NOTES = {
    "ACCOMMODATION": "Address confirmed with the housing provider for the day of release.",
    "LICENCE_CONDITIONS": "Licence conditions agreed with the prison offender manager after the risk assessment.",
    "VICTIM_CONTACT": "Victim liaison officer's views received and considered in the licence conditions.",
    "MULTI_AGENCY": "Release discussed at the multi-agency meeting with the prison offender manager's update.",
}


def _work_outcome(rng: random.Random, chance: float) -> str:
    """ON_TIME with `chance`; otherwise ESCALATED (done only ESCALATED_DAYS after it was due) for CHECK_NEVER_DONE of
    the rest, LATE for the others. Always draws twice, so a case's later draws do not depend on this one."""
    first, second = rng.random(), rng.random()
    if first < chance:
        return "ON_TIME"
    return "ESCALATED" if second < CHECK_NEVER_DONE else "LATE"


def work_history(p: dict[str, Any], today: date, org: dict[str, Any], seed: int = 2026) -> None:
    """Records in the person's bundle the work behind the requirement start, release plan, termination and enforcement
    actions (actions/rules/supervision.py, release.py, reviews.py) that fall in WORK_HISTORY_DAYS."""
    if p["practitioner"] is None:
        return  # nobody holds the case to do the work
    rng = random.Random(f"{seed}:{p['crn']}:work")
    chance = _on_time_chance(p["pdu"], _staff_lookup(org)[p["practitioner"]][0])
    horizon = today - timedelta(days=WORK_HISTORY_DAYS)
    event = p["events"][0]
    _requirement_starts(rng, event, today, horizon, chance)
    _release_plan(rng, p, event, today, horizon, chance)
    _termination(rng, event, today, horizon, chance)
    p["enforcement_decisions"] = _enforcement_decisions(
        p["contacts"], today, seed * 1_000_003 + int(p["crn"][1:]), chance
    )


def _requirement_starts(rng: random.Random, event: dict[str, Any], today: date, horizon: date, chance: float) -> None:
    """A recent sentence's requirements start within requirement_start_working_days, late, or not yet."""
    sentenced = date.fromisoformat(event["sentence"]["date"])
    if sentenced < horizon:
        return
    due = working_days_after(start_of_day(sentenced), DEFAULT_POLICY.requirement_start_working_days).date()
    for requirement in event["requirements"]:
        outcome = _work_outcome(rng, chance)
        late = due + timedelta(days=rng.randint(1, WORK_LATE_DAYS))
        on_time = sentenced + timedelta(days=rng.randint(1, max(1, (due - sentenced).days - 1)))
        start = {"ON_TIME": on_time, "LATE": late, "ESCALATED": escalated_day(rng, due)}[outcome]
        requirement["start"] = start.isoformat() if start < today else None


def _release_plan(
    rng: random.Random, p: dict[str, Any], event: dict[str, Any], today: date, horizon: date, chance: float
) -> None:
    """Every item of the plan for a release whose planning window opened in the period: confirmed in the window, late,
    or only after escalation. Licence conditions count only after a
    completed assessment (actions/rules/release.py), so they are confirmed after one."""
    if event["sentence"]["type"] not in ("DETERMINATE_CUSTODY", "EXTENDED", "INDETERMINATE"):
        return
    release = event["dates"]["release"] and date.fromisoformat(event["dates"]["release"])
    if not release:
        return
    policy = DEFAULT_POLICY
    opens = start_of_day(release - timedelta(days=policy.release_plan_opens_days_before))
    due = start_of_day(release - timedelta(days=policy.release_plan_due_days_before)) + timedelta(hours=17)
    end = start_of_day(today)
    if not horizon <= opens.date() < today:
        return
    items = ["ACCOMMODATION", "LICENCE_CONDITIONS", "MULTI_AGENCY"]
    if any(r["type"] == "INVI" for r in p["registrations"]):  # actions/selectors.py VICTIM_REGISTRATION
        items.append("VICTIM_CONTACT")
    outcome = _work_outcome(rng, chance)
    assessed = sorted(datetime.fromisoformat(a["completed_at"].replace("Z", "+00:00")) for a in p["assessments"])
    plan = []
    for item in items:
        if outcome == "LATE":
            at = _instant_between(rng, due + timedelta(days=1), due + timedelta(days=WORK_LATE_DAYS))
        elif outcome == "ESCALATED":
            at = _history_instant(escalated_day(rng, due.date()), rng)
        else:
            at = _instant_between(rng, opens, due)
        if item == "LICENCE_CONDITIONS":
            after = [a for a in assessed if a <= at] or [a for a in assessed if a > at]
            if not after:
                continue  # no completed assessment: the conditions cannot be set yet
            at = max(at, after[0] + timedelta(hours=1))
        if at < end:
            plan.append(
                {
                    "event": event["id"],
                    "item": item,
                    "at": _z(at),
                    "by": p["practitioner"],
                    "notes": RELEASE_PLAN_NOTES[item],
                }
            )
    p["release_plan"] = plan


def _termination(rng: random.Random, event: dict[str, Any], today: date, horizon: date, chance: float) -> None:
    """A sentence that expired in the period is closed on its expiry date, late, or not yet."""
    ends = [event["dates"][k] for k in ("sentence_expiry", "licence_expiry", "pss_end") if event["dates"][k]]
    if not ends:
        return
    expiry = max(date.fromisoformat(d) for d in ends)
    if not horizon <= expiry - timedelta(days=DEFAULT_POLICY.termination_lead_days) or expiry >= today:
        return
    outcome = _work_outcome(rng, chance)
    late = expiry + timedelta(days=rng.randint(1, WORK_LATE_DAYS))
    day = {"ON_TIME": expiry, "LATE": late, "ESCALATED": escalated_day(rng, expiry)}[outcome]
    if day < today:
        event["terminated"] = day.isoformat()


# --- end issue 15 (helper "demo15") ----------------------------------------------------------------------------------

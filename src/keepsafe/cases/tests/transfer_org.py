"""Issue 16 §2 (helper "transfer"): an organisation with a second region for transfer tests (service, CLI, pages).

GMR-MN (the fixtures' PDU: head STF0800, ACO STF0900, SPO STF0100, POs STF0001 and STF0002, POM STF0200), another
Greater Manchester PDU GMR-MS (head STF3800, PO STF3001), and West Midlands' WMR-BH (ACO STF2900, head STF2800,
SPOs STF2100 and STF2004, POs STF2001 and STF2002, a PSO STF2003) and WMR-CV with no head of PDU."""

from __future__ import annotations

from typing import Any

from keepsafe.testing.fixtures import make_person, org_with_managers


def _staff(code: str, grade: str, team: str | None, manager: str | None) -> dict[str, Any]:
    return {
        "code": code,
        "forename": "Staff",
        "surname": code,
        "grade": grade,
        "team": team,
        "line_manager": manager,
        "qualified_on": None,
        "contracted_hours": 37.0,
        "email": f"{code.lower()}@example.org",
    }


def transfer_org() -> dict[str, Any]:
    bundle = org_with_managers()
    bundle["regions"].append({"code": "WMR", "name": "West Midlands"})
    bundle["pdus"] += [
        {"code": "GMR-MS", "name": "Manchester South", "region": "GMR"},
        {"code": "WMR-BH", "name": "Birmingham", "region": "WMR"},
        {"code": "WMR-CV", "name": "Coventry", "region": "WMR"},
    ]
    bundle["teams"] += [
        {"code": "GMR-MS-1", "name": "Manchester South Team 1", "pdu": "GMR-MS"},
        {"code": "WMR-BH-1", "name": "Birmingham Team 1", "pdu": "WMR-BH"},
        {"code": "WMR-CV-1", "name": "Coventry Team 1", "pdu": "WMR-CV"},
    ]
    bundle["staff"] += [
        _staff("STF3800", "HEAD_OF_PDU", "GMR-MS-1", "STF0900"),
        _staff("STF2900", "ACO", None, None),
        _staff("STF2800", "HEAD_OF_PDU", "WMR-BH-1", "STF2900"),
        _staff("STF2100", "SPO", "WMR-BH-1", "STF2800"),
        _staff("STF2001", "PO", "WMR-BH-1", "STF2100"),
        _staff("STF2002", "PO", "WMR-BH-1", "STF2100"),
        _staff("STF2003", "PSO", "WMR-BH-1", "STF2100"),
        _staff("STF2004", "SPO", "WMR-BH-1", "STF2800"),
        _staff("STF4001", "PO", "WMR-CV-1", None),
        _staff("STF3001", "PO", "GMR-MS-1", "STF3800"),
    ]
    bundle["people"] = [make_person()]
    return bundle

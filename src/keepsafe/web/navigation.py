"""The service navigation: what each role can reach."""

from __future__ import annotations

from django.urls import reverse

from keepsafe.core.actor import Role


def nav_items(user, role: Role) -> list[dict[str, str]]:
    items = []
    staff = getattr(user, "staff", None)
    if role in (Role.PRACTITIONER, Role.POM, Role.SPO):
        items.append({"text": "My caseload", "href": reverse("web:caseload")})
    if role in (Role.SPO, Role.HEAD_OF_PDU) and staff and staff.team_id:
        items.append({"text": "Team caseload", "href": reverse("web:team", args=[staff.team.code])})
    if role is Role.HEAD_OF_PDU and staff and staff.team_id:
        items.append({"text": "PDU caseload", "href": reverse("web:pdu", args=[staff.team.pdu.code])})
    items.append({"text": "Search", "href": reverse("web:search")})
    if role in (Role.AUDITOR, Role.ADMINISTRATOR):
        items.append({"text": "Audit trail", "href": reverse("web:audit")})
    return items

"""The service navigation: what each role can reach."""

from __future__ import annotations

from django.urls import reverse

from keepsafe.actions.inbox import unread_count
from keepsafe.core.actor import Role


def nav_items(user, role: Role) -> list[dict[str, str]]:
    items = []
    staff = getattr(user, "staff", None)
    if role is Role.REGIONAL_LEADER:  # issue 14 §4 (helper "recall")
        items.append({"text": "Region overview", "href": reverse("web:region")})
    if role in (Role.PRACTITIONER, Role.POM, Role.SPO):
        items.append({"text": "My caseload", "href": reverse("web:caseload")})
    if role in (Role.SPO, Role.HEAD_OF_PDU) and staff and staff.team_id:
        items.append({"text": "Team caseload", "href": reverse("web:team", args=[staff.team.code])})
    if role is Role.HEAD_OF_PDU and staff and staff.team_id:
        items.append({"text": "PDU caseload", "href": reverse("web:pdu", args=[staff.team.pdu.code])})
    if staff is not None and role in (Role.PRACTITIONER, Role.POM, Role.SPO, Role.HEAD_OF_PDU):
        items.append({"text": "My actions", "href": reverse("web:actions-mine")})
    if role in (Role.SPO, Role.HEAD_OF_PDU, Role.REGIONAL_LEADER) and staff and staff.team_id:
        items.append({"text": "Team actions", "href": reverse("web:actions-team")})
    if role in (Role.HEAD_OF_PDU, Role.REGIONAL_LEADER):
        items.append({"text": "PDU actions", "href": reverse("web:actions-pdu")})
    if staff is not None and role in (Role.PRACTITIONER, Role.POM, Role.SPO, Role.HEAD_OF_PDU):  # issue 14
        items.append({"text": "My diary", "href": reverse("web:diary")})
    # --- issue 14 §3, §8 (helper "flags"): notifications with the unread count; accounts for administrators ---
    if staff is not None:
        unread = unread_count(staff.pk)
        text = f"Notifications ({unread} unread)" if unread else "Notifications"
        items.append({"text": text, "href": reverse("web:notifications")})
    if role is Role.ADMINISTRATOR:
        items.append({"text": "Accounts", "href": reverse("web:accounts")})
    # --- end of helper "flags" block ---
    if role in (Role.SPO, Role.HEAD_OF_PDU) and staff and staff.team_id:  # issue 15 §2 (helper "alloc")
        items.append({"text": "Cases to allocate", "href": reverse("web:allocations")})
    if role in (Role.HEAD_OF_PDU, Role.REGIONAL_LEADER) and staff is not None:  # issue 16 §2 (helper "transfer")
        items.append({"text": "Transfers", "href": reverse("web:transfers")})
    items.append({"text": "Search", "href": reverse("web:search")})
    if role in (Role.AUDITOR, Role.ADMINISTRATOR):
        items.append({"text": "Audit trail", "href": reverse("web:audit")})
    if role in (Role.SPO, Role.HEAD_OF_PDU, Role.REGIONAL_LEADER):  # issue 15 §3 (helper "overs")
        items.append({"text": "Oversight", "href": reverse("web:oversight")})
    if role is Role.HEAD_OF_PDU and staff and staff.team_id:  # issue 15 §4 (helper "overs")
        items.append({"text": "Prioritisation", "href": reverse("web:pdu-status")})
    # assurance (issue 17)
    if role in (Role.SPO, Role.HEAD_OF_PDU, Role.REGIONAL_LEADER, Role.AUDITOR):
        items.append({"text": "Assurance", "href": reverse("web:assurance")})
    return items

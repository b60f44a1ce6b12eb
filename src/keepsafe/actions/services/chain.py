"""Who owns an action and who it escalates to, from the case's allocation and the line-management chain."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q

from keepsafe.actions.rules.types import OwnerRole, Step
from keepsafe.people.models import Person
from keepsafe.workforce.models import Staff
from keepsafe.workforce.rules.grades import Grade


@dataclass
class Directory:
    """Staff looked up once per sweep: by id, and the heads of PDU and ACOs of each PDU."""

    staff: dict[int, Staff]
    heads: dict[int, Staff]  # pdu id → head of PDU
    acos: dict[int, Staff]  # pdu id → ACO
    by_code: dict[str, Staff]

    @classmethod
    def load(cls, people: list[Person] | None = None) -> Directory:
        """Everyone (a sweep), or only the staff who can matter to these cases (a change to one case)."""
        rows = Staff.objects.select_related("team")
        if people is not None:
            pdus = {p.pdu_id for p in people}
            named = {i for p in people for i in (p.practitioner_id, p.prison_offender_manager_id) if i}
            rows = rows.filter(Q(team__pdu_id__in=pdus) | Q(team__isnull=True) | Q(pk__in=named))
        staff = {s.pk: s for s in rows}
        heads: dict[int, Staff] = {}
        acos: dict[int, Staff] = {}
        for s in sorted(staff.values(), key=lambda s: s.code):
            if s.grade == Grade.HEAD_OF_PDU and s.team is not None:
                heads.setdefault(s.team.pdu_id, s)
        for pdu_id, head in heads.items():
            manager = staff.get(head.line_manager_id) if head.line_manager_id else None
            if manager is not None and manager.grade == Grade.ACO:
                acos[pdu_id] = manager
        return cls(staff, heads, acos, {s.code: s for s in staff.values()})

    def manager_of(self, member: Staff | None) -> Staff | None:
        if member is None or member.line_manager_id is None:
            return None
        return self.staff.get(member.line_manager_id)

    def above(self, member: Staff | None, grade: Grade) -> Staff | None:
        seen: set[int] = set()
        current = self.manager_of(member)
        while current is not None and current.pk not in seen:
            if current.grade == grade:
                return current
            seen.add(current.pk)
            current = self.manager_of(current)
        return None

    def owner(self, person: Person, role: OwnerRole) -> Staff | None:
        """The COM, the POM (else the COM), or the COM's line manager; an unallocated case goes to its head of PDU,
        so no action is ever without someone responsible."""
        com = self.staff.get(person.practitioner_id) if person.practitioner_id else None
        match role:
            case OwnerRole.COM:
                found = com
            case OwnerRole.POM:
                pom = self.staff.get(person.prison_offender_manager_id) if person.prison_offender_manager_id else None
                found = pom or com
            case OwnerRole.SPO:
                found = self.manager_of(com)
        return found or self.heads.get(person.pdu_id)

    def chain(self, person: Person, owner: Staff | None, steps: list[Step]) -> list[dict[str, str | None]]:
        out: list[dict[str, str | None]] = []
        for step in steps:
            match step:
                case Step.LINE_MANAGER:
                    who = self.manager_of(owner)
                case Step.HEAD_OF_PDU:
                    who = self.above(owner, Grade.HEAD_OF_PDU) or self.heads.get(person.pdu_id)
                case Step.ACO:
                    who = self.above(owner, Grade.ACO) or self.acos.get(person.pdu_id)
            out.append({"step": step.value, "staff": who.code if who else None})
        return out

"""Who owns an action and who it escalates to, from the case's allocation and the line-management chain, chosen only
among staff who may see the case (actions/rules/owners.py; the limited-access lists loaded in bulk per sweep)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db.models import Q

from keepsafe.actions.rules.owners import Candidate, Choice, Member, choose, recipients
from keepsafe.actions.rules.types import OwnerRole, Step
from keepsafe.people.models import Person
from keepsafe.people.rules.visibility import may_see_case
from keepsafe.people.selectors import AccessLists, access_lists
from keepsafe.workforce.models import Pdu, Staff
from keepsafe.workforce.rules.grades import Grade

STEP_LABELS = {Step.LINE_MANAGER: "line manager", Step.HEAD_OF_PDU: "head of PDU", Step.ACO: "ACO"}


@dataclass
class Directory:
    """Staff looked up once per sweep: by id, the heads of PDU and ACOs of each PDU, each team's SPOs, the region's
    senior managers; and the restriction and exclusion lists of the cases being worked, loaded in bulk."""

    staff: dict[int, Staff]
    heads: dict[int, Staff]  # pdu id → head of PDU
    acos: dict[int, Staff]  # pdu id → ACO
    by_code: dict[str, Staff]
    team_spos: dict[int, list[Staff]] = field(default_factory=dict)  # team id → SPOs, by code
    region_seniors: dict[int, list[Staff]] = field(default_factory=dict)  # region id → heads of PDU and ACOs
    pdu_region: dict[int, int] = field(default_factory=dict)
    access: dict[int, AccessLists] = field(default_factory=dict)  # person id → (restricted to, excluded)

    @classmethod
    def load(cls, people: list[Person] | None = None) -> Directory:
        """Everyone (a sweep), or only the staff who can matter to these cases (a change to one case)."""
        rows = Staff.objects.select_related("team")
        if people is not None:
            pdus = {p.pdu_id for p in people}
            named = {i for p in people for i in (p.practitioner_id, p.prison_offender_manager_id) if i}
            regions = set(Pdu.objects.filter(pk__in=pdus).values_list("region_id", flat=True))
            rows = rows.filter(
                Q(team__pdu_id__in=pdus) | Q(team__isnull=True) | Q(pk__in=named) | Q(team__pdu__region_id__in=regions)
            )
        staff = {s.pk: s for s in rows}
        heads: dict[int, Staff] = {}
        acos: dict[int, Staff] = {}
        team_spos: dict[int, list[Staff]] = defaultdict(list)
        pdu_region = dict(Pdu.objects.values_list("pk", "region_id"))
        region_seniors: dict[int, list[Staff]] = defaultdict(list)
        ordered = sorted(staff.values(), key=lambda s: s.code)
        for s in ordered:
            if s.grade == Grade.HEAD_OF_PDU and s.team is not None:
                heads.setdefault(s.team.pdu_id, s)
            if s.grade == Grade.SPO and s.team_id is not None:
                team_spos[s.team_id].append(s)
        for pdu_id, head in heads.items():
            manager = staff.get(head.line_manager_id) if head.line_manager_id else None
            if manager is not None and manager.grade == Grade.ACO:
                acos[pdu_id] = manager
        for s in ordered:
            if s.grade == Grade.HEAD_OF_PDU and s.team is not None and s.team.pdu_id in pdu_region:
                region_seniors[pdu_region[s.team.pdu_id]].append(s)
        for pdu_id, aco in sorted(acos.items(), key=lambda item: item[1].code):
            seniors = region_seniors[pdu_region[pdu_id]]
            if aco not in seniors:
                seniors.append(aco)
        directory = cls(staff, heads, acos, {s.code: s for s in staff.values()}, team_spos, region_seniors, pdu_region)
        if people is not None:
            directory.load_access(people)
        return directory

    def load_access(self, people: Iterable[Person]) -> None:
        """The restriction and exclusion lists of these cases, in one query (a sweep calls this per batch)."""
        missing = [p.pk for p in people if p.pk not in self.access]
        if missing:
            self.access.update(access_lists(missing))

    def lists(self, person: Person) -> AccessLists:
        if person.pk not in self.access:
            self.load_access([person])
        return self.access[person.pk]

    def may_see(self, staff_id: int, person: Person) -> bool:
        restricted, excluded = self.lists(person)
        return may_see_case(is_system=False, viewer_staff_id=staff_id, restricted_to=restricted, excluded=excluded)

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

    # --- the chain, as candidates in order ------------------------------------------------------------------------

    def _head(self, person: Person, member: Staff | None) -> Staff | None:
        return self.above(member, Grade.HEAD_OF_PDU) or self.heads.get(person.pdu_id)

    def _aco(self, person: Person, member: Staff | None) -> Staff | None:
        return self.above(member, Grade.ACO) or self.acos.get(person.pdu_id)

    def _ladder(self, person: Person, member: Staff | None, step: Step) -> list[Candidate]:
        """From `step` upwards for an action owned by `member`: the line manager, then another SPO in the team, the
        head of PDU, the ACO."""
        out: list[Candidate] = []
        if step is Step.LINE_MANAGER:
            manager = self.manager_of(member)
            out.append(Candidate(_m(manager), "line manager"))
            team_id = (manager.team_id if manager is not None else None) or (member.team_id if member else None)
            out += [
                Candidate(_m(s), "another SPO in the team")
                for s in self.team_spos.get(team_id or -1, [])
                if s is not manager and s is not member
            ]
        if step in (Step.LINE_MANAGER, Step.HEAD_OF_PDU):
            out.append(Candidate(_m(self._head(person, member)), "head of PDU"))
        out.append(Candidate(_m(self._aco(person, member)), "ACO"))
        return out

    def _region(self, person: Person) -> list[Member]:
        return [Member(s.pk, s.code) for s in self.region_seniors.get(self.pdu_region.get(person.pdu_id, -1), [])]

    def _see(self, person: Person) -> Callable[[int], bool]:
        return lambda staff_id: self.may_see(staff_id, person)

    def owner_choice(self, person: Person, role: OwnerRole) -> Choice:
        """The COM, the POM (else the COM), or the COM's line manager, if they may see the case; otherwise the next
        eligible person up the chain, with the reason. An unallocated case goes to its head of PDU."""
        com = self.staff.get(person.practitioner_id) if person.practitioner_id else None
        pom = self.staff.get(person.prison_offender_manager_id) if person.prison_offender_manager_id else None
        # Unallocated: the head of PDU allocates, so the chain starts with them.
        up = self._ladder(person, com, Step.LINE_MANAGER) if com else self._ladder(person, None, Step.HEAD_OF_PDU)
        holder = [Candidate(_m(com), "community offender manager")] if com else []
        match role:
            case OwnerRole.COM:
                chain = [*holder, *up]
            case OwnerRole.POM:
                chain = [*([Candidate(_m(pom), "prison offender manager")] if pom else []), *holder, *up]
            case OwnerRole.SPO:
                chain = up
        return choose(chain, self._region(person), self._see(person))

    def owner(self, person: Person, role: OwnerRole) -> Staff | None:
        return self.member_staff(self.owner_choice(person, role))

    def member_staff(self, choice: Choice) -> Staff | None:
        return self.staff.get(choice.member.id) if choice.member is not None else None

    def step_choice(self, person: Person, owner: Staff | None, step: Step) -> Choice:
        return choose(self._ladder(person, owner, step), self._region(person), self._see(person))

    def chain(self, person: Person, owner: Staff | None, steps: list[Step]) -> list[dict[str, str | None]]:
        """Who each escalation step reaches: the person the step names if they may see the case, else the next
        eligible person up the chain, with the reason in `note`."""
        out: list[dict[str, str | None]] = []
        for step in steps:
            choice = self.step_choice(person, owner, step)
            out.append(
                {"step": step.value, "staff": choice.member.code if choice.member else None, "note": choice.note}
            )
        return out

    def told(self, person: Person, staff: Iterable[Staff | None]) -> list[Staff]:
        """Only those who may see the case, each once."""
        members = recipients([_m(s) for s in staff], self._see(person))
        return [self.staff[m.id] if m.id in self.staff else Staff.objects.get(pk=m.id) for m in members]


def _m(staff: Staff | None) -> Member | None:
    return Member(staff.pk, staff.code) if staff is not None else None

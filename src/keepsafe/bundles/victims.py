"""The bundle's `victim_representations` section (issue 16 §7; docs/bundle-format.md): its cross-field rules, its
rows for import, and its export form. The bundle is authoritative for the representations it lists: a listed one is
created or brought up to date (its outcome recorded since, say); one stored but not listed is kept."""

from __future__ import annotations

from typing import Any

from keepsafe.bundles.schema import BundleIn, PersonIn, VictimRepresentationIn
from keepsafe.core import clock
from keepsafe.core.formats import iso_date, iso_instant
from keepsafe.victims.models import VictimRepresentation
from keepsafe.victims.services import RepresentationInput, representation_problems

SECTION = "victim_representations"


def representation_row(v: VictimRepresentationIn) -> dict[str, Any]:
    """The stored fields (all but the case, the id and the VLO's staff link) of a bundle representation."""
    return {
        "vlo_name": v.vlo_name,
        "received_on": v.received_on,
        "kind": v.kind,
        "no_contact_victim": v.no_contact_victim,
        "no_contact_named": list(v.no_contact_named),
        "zone": v.zone,
        "text": v.text,
        "status": v.status,
        "decided_on": v.decided_on,
        "decided_by": v.decided_by,
        "decline_reason": v.decline_reason,
        "recorded_at": v.recorded_at,
        "recorded_by": v.recorded_by,
    }


def victim_representation_bundle(rep: VictimRepresentation) -> dict[str, Any]:
    return {
        "id": rep.external_id,
        "vlo_name": rep.vlo_name,
        "vlo_staff": rep.vlo_staff.code if rep.vlo_staff is not None else None,
        "received_on": iso_date(rep.received_on),
        "kind": rep.kind,
        "no_contact_victim": rep.no_contact_victim,
        "no_contact_named": list(rep.no_contact_named),
        "zone": rep.zone,
        "text": rep.text,
        "status": rep.status,
        "decided_on": iso_date(rep.decided_on),
        "decided_by": rep.decided_by,
        "decline_reason": rep.decline_reason,
        "recorded_at": iso_instant(rep.recorded_at),
        "recorded_by": rep.recorded_by,
    }


def _outcome_problems(v: VictimRepresentationIn) -> list[tuple[str, str]]:
    problems: list[tuple[str, str]] = []
    if v.status == "REQUESTED":
        for name in ("decided_on", "decided_by", "decline_reason"):
            if getattr(v, name):
                problems.append((name, "a representation still REQUESTED has no outcome yet: leave it empty"))
        return problems
    if v.decided_on is None:
        problems.append(("decided_on", f"a {v.status} representation says when it was decided"))
    elif v.decided_on < v.received_on:
        problems.append(("decided_on", f"{v.decided_on.isoformat()} is before it was received ({v.received_on})"))
    if not v.decided_by.strip():
        problems.append(("decided_by", f"a {v.status} representation says who decided"))
    if v.status == "DECLINED" and not v.decline_reason.strip():
        problems.append(("decline_reason", "a DECLINED representation gives the reason"))
    if v.status == "INCLUDED" and v.decline_reason.strip():
        problems.append(("decline_reason", "only a DECLINED representation gives a reason"))
    return problems


def victim_problems(bundle: BundleIn, known_staff: set[str]) -> list[tuple[str, str]]:
    """Ids once per case, the VLO a known staff member (when named), each kind's own details (the service's rules),
    and an outcome consistent with the status."""
    problems: list[tuple[str, str]] = []
    today = clock.today()
    for i, person in enumerate(bundle.people):
        ids = [v.id for v in person.victim_representations]
        for j, v in enumerate(person.victim_representations):
            path = f"people[{i}].{SECTION}[{j}]"
            if ids.count(v.id) > 1:
                problems.append((f"{path}.id", f"{v.id!r} appears more than once in {SECTION}"))
            if v.vlo_staff is not None and v.vlo_staff not in known_staff:
                problems.append((f"{path}.vlo_staff", f"no staff member with code {v.vlo_staff!r}"))
            data = RepresentationInput(
                vlo_name=v.vlo_name,
                received_on=v.received_on,
                kind=v.kind,
                no_contact_victim=v.no_contact_victim,
                no_contact_named=list(v.no_contact_named),
                zone=v.zone,
                text=v.text,
            )
            problems += [(f"{path}.{field}", reason) for field, reason in representation_problems(data, today)]
            problems += [(f"{path}.{field}", reason) for field, reason in _outcome_problems(v)]
    return problems


def write_victim_representations(
    people: list[PersonIn], person_ids: dict[str, int], staff_ids: dict[str, int]
) -> tuple[set[int], int, int]:
    """Create the new representations and bring the changed ones up to date: (cases touched, created, updated)."""
    ids = [person_ids[p.crn] for p in people if p.victim_representations]
    if not ids:
        return set(), 0, 0
    stored = {(r.person_id, r.external_id): r for r in VictimRepresentation.objects.filter(person_id__in=ids)}
    new: list[VictimRepresentation] = []
    changed: list[VictimRepresentation] = []
    fields = [*representation_row(next(v for p in people for v in p.victim_representations)), "vlo_staff_id"]
    for p in people:
        for v in p.victim_representations:
            row = representation_row(v) | {"vlo_staff_id": staff_ids[v.vlo_staff] if v.vlo_staff else None}
            have = stored.get((person_ids[p.crn], v.id))
            if have is None:
                new.append(VictimRepresentation(person_id=person_ids[p.crn], external_id=v.id, **row))
            elif any(getattr(have, k) != value for k, value in row.items()):
                for k, value in row.items():
                    setattr(have, k, value)
                changed.append(have)
    VictimRepresentation.objects.bulk_create(new, batch_size=1000)
    VictimRepresentation.objects.bulk_update(changed, fields, batch_size=1000)
    return {r.person_id for r in (*new, *changed)}, len(new), len(changed)

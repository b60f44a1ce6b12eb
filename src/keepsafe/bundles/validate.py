"""Validate a bundle completely before anything is written: shape, then references, then consistency."""

from __future__ import annotations

import itertools
import json
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

import pydantic

from keepsafe.actions.rules.checks import substance_problem
from keepsafe.actions.rules.facts import CUSTODIAL as CUSTODIAL_SENTENCES
from keepsafe.actions.rules.facts import AssessmentFacts, ContactFacts
from keepsafe.actions.rules.recall import decision_problems
from keepsafe.actions.rules.release import licence_conditions_problem
from keepsafe.actions.rules.supervision import decision_allowed, earlier_absences
from keepsafe.actions.services.reconcile import policy
from keepsafe.bundles.schema import (
    AllocationPeriodIn,
    ApReferralIn,
    BundleIn,
    CourtStageIn,
    PduIn,
    PersonIn,
    RecallIn,
    RegionIn,
    StaffIn,
    TeamIn,
)
from keepsafe.bundles.victims import victim_problems  # issue 16 §7 (helper "victim")
from keepsafe.core import clock
from keepsafe.core.errors import ValidationError
from keepsafe.core.json_paths import nul_paths, unpaired_surrogate_paths
from keepsafe.core.jsonlines import in_words
from keepsafe.court.rules.suitability import ADDRESS_REQUIREMENTS, address_key, assessment_problems, proposal_problems
from keepsafe.oversight.rules.allocation_history import Period, history_problems  # issue 15 ("allochist")
from keepsafe.oversight.rules.training import published_training
from keepsafe.oversight.rules.workload import Reduction as WorkloadReduction
from keepsafe.oversight.rules.workload import reduction_problem, region_tables
from keepsafe.people.models import Contact, Event, Person, RegistrationType
from keepsafe.people.rules.key_dates import SentenceDates, date_problems
from keepsafe.people.rules.vocabulary import APPOINTMENT_TYPES, ENFORCEABLE_OUTCOMES, ContactOutcome, RequirementType
from keepsafe.people.services import mappa_problems
from keepsafe.premises.rules import referral as ap_rules  # issue 16 §5 (helper "ap")
from keepsafe.records.models import Record
from keepsafe.records.rules.civil_orders import order_json
from keepsafe.records.rules.immutability import changed_fields
from keepsafe.risk.models import Assessment
from keepsafe.sharing.models import CheckRequest, Disclosure, Meeting
from keepsafe.sharing.rules.disclosures import DisclosureKind, document_digest
from keepsafe.workforce.models import Pdu, Region, Staff, Team


def _path(loc: Iterable[object]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out or "(bundle)"


def _message(error: Mapping[str, Any]) -> str:
    message = str(error["msg"]).removeprefix("Value error, ")
    if error["type"] == "extra_forbidden":
        return "unknown key (not in the bundle format; check the spelling)"
    if error["type"] == "missing":
        return "required key is missing"
    return message


SECTIONS: dict[str, type[pydantic.BaseModel]] = {
    "regions": RegionIn,
    "pdus": PduIn,
    "teams": TeamIn,
    "staff": StaffIn,
    "people": PersonIn,
}


# A bundle nests about eight levels (people → events → requirements…); far deeper is not a bundle, and would
# exhaust the parser's recursion (a traceback instead of an error message).
MAX_DEPTH = 32


def _where(text: str, position: int) -> str:
    line = text.count("\n", 0, position) + 1
    return f"line {line} column {position - text.rfind(chr(10), 0, position)}"


def _too_deep(text: str) -> int | None:
    """Where the document first nests deeper than MAX_DEPTH, or None. A character scan that stops there: only run
    on a document already known to be too deep."""
    depth, in_string, escaped = 0, False, False
    for position, char in enumerate(text):
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return position
        elif char in "]}":
            depth -= 1
    return None


def _deeper_than(data: object, limit: int) -> bool:
    stack: list[tuple[object, int]] = [(data, 0)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict | list):
            if depth + 1 > limit:
                return True
            stack.extend((child, depth + 1) for child in (value.values() if isinstance(value, dict) else value))
    return False


def _load(raw: bytes | str) -> object:
    """Parse the document, with a line and column for every way it can fail to be JSON (issue 11, low items)."""
    if isinstance(raw, bytes):
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            before = raw[: exc.start].decode("utf-8")
            raise ValidationError(
                [
                    (
                        _where(before, len(before)),
                        f"not valid UTF-8 (byte 0x{raw[exc.start]:02X}); save the bundle as UTF-8",
                    )
                ]
            ) from exc
    else:
        text = raw
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValidationError(
            [(f"line {exc.lineno} column {exc.colno}", f"not valid JSON: {in_words(exc.msg)}")]
        ) from exc
    except RecursionError:
        data, deep = None, True
    else:
        deep = _deeper_than(data, MAX_DEPTH)
    if deep:
        where = _where(text, _too_deep(text) or 0)
        raise ValidationError([(where, f"nested more than {MAX_DEPTH} levels deep; not a case bundle")])
    return data


def parse(raw: bytes | str) -> BundleIn:
    """Shape errors for every field at once, each with its JSON path."""
    _load(raw)
    try:
        return BundleIn.model_validate_json(raw, strict=True)
    except pydantic.ValidationError as exc:
        raise ValidationError(_shape_problems(exc)) from exc


def _shape_problems(exc: pydantic.ValidationError) -> list[tuple[str, str]]:
    return [(_path(e["loc"]), _message(e)) for e in exc.errors(include_url=False)]


def _partial(data: object) -> tuple[BundleIn, dict[str, list[int]]] | None:
    """The items that are well-formed, so their references can be checked too; maps new index → original."""
    if not isinstance(data, dict):
        return None
    sections: dict[str, list] = {}
    index_maps: dict[str, list[int]] = {}
    for name, model in SECTIONS.items():
        items = data.get(name)
        sections[name], index_maps[name] = [], []
        for index, item in enumerate(items if isinstance(items, list) else []):
            try:
                sections[name].append(model.model_validate_json(json.dumps(item), strict=True))
                index_maps[name].append(index)
            except (pydantic.ValidationError, TypeError, ValueError):
                continue
    fields: dict[str, Any] = {"format": "keepsafe-bundle/1", **sections}
    return BundleIn.model_construct(**fields), index_maps


def _remap(problems: list[tuple[str, str]], index_maps: dict[str, list[int]]) -> list[tuple[str, str]]:
    def fix(path: str) -> str:
        match = re.match(r"^(\w+)\[(\d+)\]", path)
        if match and match.group(1) in index_maps:
            original = index_maps[match.group(1)][int(match.group(2))]
            return f"{match.group(1)}[{original}]" + path[match.end() :]
        return path

    return [(fix(path), reason) for path, reason in problems]


def _raw_codes(data: object) -> dict[str, set[str]]:
    """Codes of every item, well-formed or not, so a malformed item is not also reported as missing."""
    codes: dict[str, set[str]] = {name: set() for name in SECTIONS}
    if isinstance(data, dict):
        for name, found in codes.items():
            items = data.get(name)
            for item in items if isinstance(items, list) else []:
                if isinstance(item, dict) and isinstance(item.get("code"), str):
                    found.add(item["code"])
    return codes


@dataclass
class _Known:
    regions: set[str]
    pdus: set[str]
    teams: set[str]
    staff: set[str]
    registration_types: set[str]


def _duplicates(values: Iterable[str]) -> set[str]:
    return {value for value, count in Counter(values).items() if count > 1}


def _known(bundle: BundleIn, extra: dict[str, set[str]]) -> _Known:
    return _Known(
        regions={r.code for r in bundle.regions}
        | extra["regions"]
        | set(Region.objects.values_list("code", flat=True)),
        pdus={p.code for p in bundle.pdus} | extra["pdus"] | set(Pdu.objects.values_list("code", flat=True)),
        teams={t.code for t in bundle.teams} | extra["teams"] | set(Team.objects.values_list("code", flat=True)),
        staff={s.code for s in bundle.staff} | extra["staff"] | set(Staff.objects.values_list("code", flat=True)),
        registration_types=set(RegistrationType.objects.values_list("code", flat=True)),
    )


def check_references(bundle: BundleIn, extra_codes: dict[str, set[str]] | None = None) -> list[tuple[str, str]]:
    problems: list[tuple[str, str]] = []
    known = _known(bundle, extra_codes or {name: set() for name in SECTIONS})

    for section, items, attr in (
        ("regions", bundle.regions, "code"),
        ("pdus", bundle.pdus, "code"),
        ("teams", bundle.teams, "code"),
        ("staff", bundle.staff, "code"),
        ("people", bundle.people, "crn"),
    ):
        dupes = _duplicates(getattr(item, attr) for item in items)
        for index, item in enumerate(items):
            if getattr(item, attr) in dupes:
                problems.append((f"{section}[{index}].{attr}", f"{getattr(item, attr)!r} appears more than once"))

    def need(path: str, value: str | None, pool: set[str], what: str) -> None:
        if value is not None and value not in pool:
            problems.append((path, f"no {what} with code {value!r} in the bundle or the database"))

    for i, pdu in enumerate(bundle.pdus):
        need(f"pdus[{i}].region", pdu.region, known.regions, "region")
    for i, team in enumerate(bundle.teams):
        need(f"teams[{i}].pdu", team.pdu, known.pdus, "PDU")
    for i, staff in enumerate(bundle.staff):
        need(f"staff[{i}].team", staff.team, known.teams, "team")
        need(f"staff[{i}].line_manager", staff.line_manager, known.staff, "staff member")
        if staff.line_manager == staff.code:
            problems.append((f"staff[{i}].line_manager", "a member of staff cannot be their own line manager"))
    for i, person in enumerate(bundle.people):
        problems += _person_problems(f"people[{i}]", person, known)
    problems += _record_conflicts(bundle)
    problems += _recall_and_check_problems(bundle)
    problems += _decision_problems(bundle)
    problems += _appointment_problems(bundle, known)  # issue 14
    problems += _staff_fact_problems(bundle)  # issue 15
    problems += _transfer_and_remand_problems(bundle, known)  # issue 16 (helper "transfer")
    problems += _court_stage_problems(bundle)  # issue 16 §1 (helper "court")
    problems += _share_problems(bundle)  # issue 16 §3-4 (helper "share")
    problems += _allocation_history_problems(bundle, known)  # issue 15 (helper "allochist")
    problems += victim_problems(bundle, known.staff)  # issue 16 §7 (helper "victim")
    problems += _ap_referral_problems(bundle)  # issue 16 §5 (helper "ap")
    return problems


# --- issue 15 (helper "allochist"): a person's allocation history --------------------------------------------------
def _allocation_history_problems(bundle: BundleIn, known: _Known) -> list[tuple[str, str]]:
    """oversight.rules.allocation_history.history_problems for each person that gives `allocations`, at its path."""
    problems: list[tuple[str, str]] = []
    today = clock.today()
    for i, person in enumerate(bundle.people):
        if person.allocations is None:
            continue
        periods = [allocation_period(a) for a in person.allocations]
        for index, field, why in history_problems(
            periods, practitioner=person.practitioner, staff=known.staff, today=today
        ):
            at = f"people[{i}].allocations" + (f"[{index}]" if index is not None else "")
            problems.append((f"{at}.{field}" if field else at, why))
    return problems


def allocation_period(a: AllocationPeriodIn) -> Period:
    return Period(a.staff, a.from_, a.to, a.reason)


# --- end issue 15 ("allochist") --------------------------------------------------------------------------------------


# --- issue 15 (helper "work"): staff reductions and training -------------------------------------------------------


def _staff_fact_problems(bundle: BundleIn) -> list[tuple[str, str]]:
    """Each reduction is a published reason of the staff member's region (oversight.rules.workload.reduction_problem:
    hours where the reason has no allowance, within a maximum, end not before start), once per reason and start;
    each completion a known course, once per course and day."""
    if not any(s.reductions or s.training for s in bundle.staff):
        return []
    region_of_pdu = dict(Pdu.objects.values_list("code", "region__code")) | {p.code: p.region for p in bundle.pdus}
    region_of_team = {code: region_of_pdu.get(pdu) for code, pdu in Team.objects.values_list("code", "pdu__code")}
    region_of_team |= {t.code: region_of_pdu.get(t.pdu) for t in bundle.teams}
    courses = published_training().courses
    problems: list[tuple[str, str]] = []
    for i, staff in enumerate(bundle.staff):
        tables = region_tables(region_of_team.get(staff.team) if staff.team else None)
        for j, r in enumerate(staff.reductions or []):
            rule = WorkloadReduction(r.reason, r.hours, r.start, r.end)
            if (problem := reduction_problem(rule, Decimal(staff.contracted_hours), tables)) is not None:
                problems.append((f"staff[{i}].reductions[{j}]", problem))
        for j in _repeated([(r.reason, r.start) for r in staff.reductions or []]):
            problems.append((f"staff[{i}].reductions[{j}]", "the same reason and start appear more than once"))
        for j, t in enumerate(staff.training or []):
            if t.course not in courses:
                problems.append(
                    (f"staff[{i}].training[{j}].course", f"{t.course!r} is not one of {', '.join(sorted(courses))}")
                )
        for j in _repeated([(t.course, t.completed_on) for t in staff.training or []]):
            problems.append((f"staff[{i}].training[{j}]", "the same course and date appear more than once"))
    return problems


def _repeated(keys: list[Any]) -> list[int]:
    """The index of every item after the first with the same key."""
    seen: set[Any] = set()
    out: list[int] = []
    for index, key in enumerate(keys):
        if key in seen:
            out.append(index)
        seen.add(key)
    return out


# --- issue 16 §2, §6 (helper "transfer"): transfers and remand periods -----------------------------------------------
def _pdus_with_a_head(bundle: BundleIn) -> set[str]:
    team_pdu = dict(Team.objects.values_list("code", "pdu__code")) | {t.code: t.pdu for t in bundle.teams}
    heads = {t for t in Staff.objects.filter(grade="HEAD_OF_PDU").values_list("team__code", flat=True) if t}
    heads |= {s.team for s in bundle.staff if s.grade.value == "HEAD_OF_PDU" and s.team}
    return {team_pdu[t] for t in heads if t in team_pdu}


def _transfer_and_remand_problems(bundle: BundleIn, known: _Known) -> list[tuple[str, str]]:
    """A transfer names known PDUs (two different ones) and staff; its status and decision agree (pending: no
    decision; accepted: when, by whom and the receiving practitioner; rejected: when, by whom and why), decided no
    earlier than requested; at most one is pending, and a pending one's PDU has a head of PDU to decide it. A remand
    period ends no earlier than it starts. Ids are unique per person."""
    problems: list[tuple[str, str]] = []
    heads: set[str] | None = None
    for i, person in enumerate(bundle.people):
        for section, ids in (
            ("transfers", [t.id for t in person.transfers]),
            ("remand_periods", [r.id for r in person.remand_periods]),
        ):
            dupes = _duplicates(ids)
            problems += [
                (f"people[{i}].{section}[{j}].id", f"{ident!r} appears more than once in {section}")
                for j, ident in enumerate(ids)
                if ident in dupes
            ]
        pending = [j for j, t in enumerate(person.transfers) if t.status == "PENDING"]
        for j in pending[1:]:
            problems.append((f"people[{i}].transfers[{j}].status", "only one transfer may be pending at a time"))
        for j, t in enumerate(person.transfers):
            path = f"people[{i}].transfers[{j}]"
            for field in ("from_pdu", "to_pdu"):
                if getattr(t, field) not in known.pdus:
                    problems.append(
                        (f"{path}.{field}", f"no PDU with code {getattr(t, field)!r} in the bundle or the database")
                    )
            if t.from_pdu == t.to_pdu:
                problems.append((f"{path}.to_pdu", "a transfer moves the case to another PDU: to_pdu equals from_pdu"))
            for field in ("from_practitioner", "to_practitioner"):
                code = getattr(t, field)
                if code is not None and code not in known.staff:
                    problems.append(
                        (f"{path}.{field}", f"no staff member with code {code!r} in the bundle or the database")
                    )
            if t.status == "PENDING":
                for field in ("decided_at", "to_practitioner", "summary_document"):
                    if getattr(t, field) is not None:
                        problems.append((f"{path}.{field}", "must be null while the transfer is pending"))
                if t.decided_by:
                    problems.append((f"{path}.decided_by", "must be empty while the transfer is pending"))
                if heads is None:
                    heads = _pdus_with_a_head(bundle)
                if t.to_pdu in known.pdus and t.to_pdu not in heads:
                    problems.append((f"{path}.to_pdu", f"{t.to_pdu} has no head of PDU to decide the pending transfer"))
            else:
                if t.decided_at is None:
                    problems.append(
                        (f"{path}.decided_at", f"a transfer {t.status.lower()} needs the instant it was decided")
                    )
                elif t.decided_at < t.requested_at:
                    problems.append((f"{path}.decided_at", "decided before it was requested"))
                if not t.decided_by:
                    problems.append((f"{path}.decided_by", "say who decided the transfer (a staff code)"))
            if t.status == "ACCEPTED" and t.to_practitioner is None:
                problems.append((f"{path}.to_practitioner", "an accepted transfer names the receiving practitioner"))
            if t.status == "REJECTED":
                if not t.decision_reason.strip():
                    problems.append((f"{path}.decision_reason", "a rejected transfer gives the reason"))
                if t.to_practitioner is not None:
                    problems.append((f"{path}.to_practitioner", "must be null for a rejected transfer"))
        for j, r in enumerate(person.remand_periods):
            if r.end is not None and r.end < r.start:
                problems.append((f"people[{i}].remand_periods[{j}].end", f"end {r.end} is before start {r.start}"))
    return problems


# --- issue 16 §1: court stages before sentence (helper "court") ------------------------------------------------------
def _court_stage_problems(bundle: BundleIn) -> list[tuple[str, str]]:
    """Court stages: listings in the order they became known, the report's checks and the checks relied on are this
    person's checks of the right kind, an outcome names its event, at most one stage open, and a curfew or residence
    proposal only at an address assessed (not unsuitable) by the time it was made (court/rules/suitability.py)."""
    crns = [p.crn for p in bundle.people if p.court_stage]
    if not crns:
        return []
    stored_checks: dict[str, dict[str, str]] = {}
    stored_answered: dict[str, set[str]] = {}
    for crn, ext, kind, answer in CheckRequest.objects.filter(
        person__crn__in=crns, external_id__isnull=False
    ).values_list("person__crn", "external_id", "kind", "response_record_id"):
        stored_checks.setdefault(crn, {})[ext or ""] = kind
        if answer is not None:
            stored_answered.setdefault(crn, set()).add(ext or "")
    stored_events: dict[str, set[str]] = {}
    for crn, ext in Event.objects.filter(person__crn__in=crns).values_list("person__crn", "external_id"):
        stored_events.setdefault(crn, set()).add(ext)
    requirements = frozenset(t.value for t in RequirementType)
    problems: list[tuple[str, str]] = []
    for i, person in enumerate(bundle.people):
        if not person.court_stage:
            continue
        checks = stored_checks.get(person.crn, {}) | {c.id: c.kind for c in person.checks}
        answered = frozenset(
            stored_answered.get(person.crn, set()) | {c.id for c in person.checks if c.response_record}
        )
        events = stored_events.get(person.crn, set()) | {e.id for e in person.events}
        for dupe in _duplicates(stage.id for stage in person.court_stage):
            problems.append((f"people[{i}].court_stage", f"stage id {dupe!r} appears more than once"))
        open_stages = [stage.id for stage in person.court_stage if stage.closed_at is None]
        if len(open_stages) > 1:
            problems.append((f"people[{i}].court_stage", f"only one stage may be open; open: {', '.join(open_stages)}"))
        for j, stage in enumerate(person.court_stage):
            problems += _stage_problems(f"people[{i}].court_stage[{j}]", stage, checks, answered, events, requirements)
    return problems


def _stage_problems(
    at: str,
    stage: CourtStageIn,
    checks: dict[str, str],
    answered: frozenset[str],
    events: set[str],
    requirements: frozenset[str],
) -> list[tuple[str, str]]:
    problems: list[tuple[str, str]] = []
    for k, (earlier, later) in enumerate(itertools.pairwise(stage.dates), start=1):
        if later.known_from < earlier.known_from:
            problems.append((f"{at}.dates[{k}].known_from", "listings go in the order they became known"))
        if not later.reason.strip():
            problems.append((f"{at}.dates[{k}].reason", "an adjournment says why"))
    if stage.dates[0].known_from < stage.opened_at:
        problems.append((f"{at}.dates[0].known_from", "the first listing cannot be known before the stage opened"))
    if (stage.closed_at is None) != (stage.event is None):
        problems.append((f"{at}.event", "a closed stage names the event its sentence became, and only a closed one"))
    if stage.event is not None and stage.event not in events:
        problems.append((f"{at}.event", f"no event {stage.event!r} for this person"))
    if stage.closed_at is not None and stage.closed_at < stage.opened_at:
        problems.append((f"{at}.closed_at", "is before the stage opened"))

    def need_check(path: str, ident: str, kind: str | None = None) -> None:
        if ident not in checks:
            problems.append((path, f"no check {ident!r} for this person (see its `checks`)"))
        elif kind is not None and checks[ident] != kind:
            problems.append((path, f"check {ident!r} is a {checks[ident]} check, not {kind}"))

    assessed: list[tuple[Any, str, str]] = []
    for dupe in _duplicates(a.id for a in stage.address_assessments):
        problems.append((f"{at}.address_assessments", f"id {dupe!r} appears more than once"))
    for k, a in enumerate(stage.address_assessments):
        where = f"{at}.address_assessments[{k}]"
        for field, reason in assessment_problems(
            address=a.address,
            children_ages=a.children_ages,
            conclusion=a.conclusion,
            conditions=a.conditions,
            reasons=a.reasons,
            relied_on=a.relied_on,  # each one's existence is checked below (need_check), by its index
            known_checks=frozenset(checks) | frozenset(a.relied_on),
            answered_checks=answered,
        ):
            problems.append((f"{where}.{field}", reason))
        for m, ident in enumerate(a.relied_on):
            need_check(f"{where}.relied_on[{m}]", ident)
        if a.assessed_at < stage.opened_at:
            problems.append((f"{where}.assessed_at", "is before the stage opened"))
        assessed.append((a.assessed_at, address_key(a.address), a.conclusion))
    report = stage.psr
    if report is None:
        return problems
    where = f"{at}.psr"
    if report.requested_at < stage.opened_at:
        problems.append((f"{where}.requested_at", "is before the stage opened"))
    if ADDRESS_REQUIREMENTS & {str(k) for k in report.considering} and not address_key(report.proposed_address):
        problems.append((f"{where}.proposed_address", "a curfew or residence requirement considered needs the address"))
    if report.domestic_abuse_check is not None:
        need_check(f"{where}.domestic_abuse_check", report.domestic_abuse_check, "DOMESTIC_ABUSE")
    if report.safeguarding_check is not None:
        need_check(f"{where}.safeguarding_check", report.safeguarding_check, "SAFEGUARDING")
    for m, ident in enumerate(report.proposal_relied_on):
        need_check(f"{where}.proposal_relied_on[{m}]", ident)
    if report.proposal is None:
        if report.proposed_at is not None or report.proposal_requirements or report.proposal_address:
            problems.append((f"{where}.proposal", "a proposal's details need the proposed sentence"))
        return problems
    if report.proposed_at is None or not report.proposed_by:
        problems.append((f"{where}.proposed_at", "a proposal says when it was made and by whom (proposed_by)"))
        return problems
    if report.proposed_at < report.requested_at:
        problems.append((f"{where}.proposed_at", "is before the report was requested"))
    newest: dict[str, str] = {}
    for when, key, conclusion in sorted(assessed, key=lambda a: a[0]):
        if when <= report.proposed_at:
            newest[key] = conclusion
    for field, reason in proposal_problems(
        requirements=[r.value for r in report.proposal_requirements],
        address=report.proposal_address,
        assessed=newest,
        known_requirements=requirements,
    ):
        problems.append((f"{where}.proposal_{field}", reason))
    return problems


# --- end issue 16 §1 -------------------------------------------------------------------------------------------------


# --- issue 16 §3-4 (helper "share"): disclosures and meetings --------------------------------------------------------


def disclosure_row(d: Any) -> dict[str, Any]:
    """A bundle disclosure as the stored row's fields (also what the importer writes)."""
    return {
        "kind": d.kind.value,
        "service": d.service.value if d.service else "",
        "partner_code": d.partner,
        "recipient": d.recipient,
        "agreement_reference": d.agreement,
        "reason": d.reason,
        "title": d.title,
        "document": d.document,
        "sha256": d.sha256,
        "made_at": d.made_at,
        "made_by": d.made_by,
    }


def meeting_row(m: Any) -> dict[str, Any]:
    """A bundle meeting as the stored row's fields, the minutes aside (a record reference)."""
    return {
        "kind": m.kind.value,
        "held_on": m.held_on,
        "chair": m.chair,
        "attendees": list(m.attendees),
        "invitations": [
            {"name": i.name, "role": i.role.value, "response": i.response.value, "staff": i.staff}
            for i in m.invitations
        ],
        "agreed_actions": [{"text": a.text, "owner": a.owner, "due": a.due.isoformat()} for a in m.agreed_actions],
        "recorded_at": m.recorded_at,
        "recorded_by": m.recorded_by,
    }


def _share_problems(bundle: BundleIn) -> list[tuple[str, str]]:
    """Disclosures and meetings are immutable: a stored id arriving with different content is refused. A
    disclosure's fingerprint must be its document's; a referral names its service; a meeting's minutes are a record
    of the case (in the bundle or stored)."""
    people = [(i, p) for i, p in enumerate(bundle.people) if p.disclosures or p.meetings]
    if not people:
        return []
    crns = [p.crn for _, p in people]
    stored_d = {
        (row.person.crn, row.external_id): row
        for row in Disclosure.objects.filter(person__crn__in=crns).select_related("person")
    }
    stored_m = {
        (row.person.crn, row.external_id): row
        for row in Meeting.objects.filter(person__crn__in=crns).select_related("person", "minutes")
    }
    stored_records = set(Record.objects.filter(person__crn__in=crns).values_list("person__crn", "external_id"))
    problems: list[tuple[str, str]] = []
    for i, person in people:
        for section, ids in (
            ("disclosures", [d.id for d in person.disclosures]),
            ("meetings", [m.id for m in person.meetings]),
        ):
            for j in sorted({j for j, x in enumerate(ids) if ids.count(x) > 1}):
                problems.append((f"people[{i}].{section}[{j}].id", f"{ids[j]!r} appears more than once in {section}"))
        for j, d in enumerate(person.disclosures):
            path = f"people[{i}].disclosures[{j}]"
            if document_digest(d.document) != d.sha256:
                problems.append((f"{path}.sha256", "does not match the SHA-256 of the document as sent"))
            if d.kind in (DisclosureKind.REFERRAL, DisclosureKind.POLICE_SUMMARY) and d.service is None:
                problems.append((f"{path}.service", f"a {d.kind.value} names the service it was for"))
            stored = stored_d.get((person.crn, d.id))
            if stored is not None:
                differing = [k for k, v in disclosure_row(d).items() if getattr(stored, k) != v]
                if differing:
                    problems.append(
                        (
                            f"{path}.id",
                            f"disclosure {d.id!r} is already logged with different {', '.join(differing)}; "
                            "disclosures are immutable",
                        )
                    )
        records = {r.id for r in person.records}
        for j, m in enumerate(person.meetings):
            path = f"people[{i}].meetings[{j}]"
            if m.minutes not in records and (person.crn, m.minutes) not in stored_records:
                problems.append((f"{path}.minutes", f"no record {m.minutes!r} on this case holds the minutes"))
            stored_meeting = stored_m.get((person.crn, m.id))
            if stored_meeting is not None:
                differing = [k for k, v in meeting_row(m).items() if getattr(stored_meeting, k) != v]
                if stored_meeting.minutes.external_id != m.minutes:
                    differing.append("minutes")
                if differing:
                    problems.append(
                        (
                            f"{path}.id",
                            f"meeting {m.id!r} is already recorded with different {', '.join(differing)}; "
                            "meetings are immutable",
                        )
                    )
    return problems


# --- end issue 16 (helper "share") -----------------------------------------------------------------------------------


# --- issue 14: appointments ------------------------------------------------------------------------------------------
BOOKABLE = frozenset(t.value for t in APPOINTMENT_TYPES)


def _appointment_problems(bundle: BundleIn, known: _Known) -> list[tuple[str, str]]:
    """An appointment's type is bookable and its staff known; an outcome names the contact it became (in the bundle or
    stored), with the same type, time and outcome, once; an acceptable absence has its reason and evidence; the last
    reschedule moved it to its time."""
    people = [(i, p) for i, p in enumerate(bundle.people) if p.appointments]
    if not people:
        return []
    stored: dict[str, dict[str, tuple[str, Any, str | None]]] = {}
    for crn, external_id, type_, at, outcome in Contact.objects.filter(
        person__crn__in=[p.crn for _, p in people]
    ).values_list("person__crn", "external_id", "type", "at", "outcome"):
        stored.setdefault(crn, {})[external_id] = (type_, at, outcome)
    problems: list[tuple[str, str]] = []
    for i, person in people:
        contacts = stored.get(person.crn, {}) | {
            c.id: (c.type.value, c.at, c.outcome.value if c.outcome else None) for c in person.contacts
        }
        ids = _duplicates(a.id for a in person.appointments)
        named = _duplicates(a.contact for a in person.appointments if a.contact is not None)
        for j, a in enumerate(person.appointments):
            path = f"people[{i}].appointments[{j}]"
            if a.id in ids:
                problems.append((f"{path}.id", f"{a.id!r} appears more than once in appointments"))
            if a.type.value not in BOOKABLE:
                problems.append((f"{path}.type", f"{a.type.value} is not booked; one of {', '.join(sorted(BOOKABLE))}"))
            if a.staff is not None and a.staff not in known.staff:
                problems.append(
                    (f"{path}.staff", f"no staff member with code {a.staff!r} in the bundle or the database")
                )
            if a.outcome is None:
                for field in ("contact", "outcome_at"):
                    if getattr(a, field) is not None:
                        problems.append((f"{path}.{field}", "must be null while the appointment has no outcome"))
            else:
                if a.outcome_at is None:
                    problems.append((f"{path}.outcome_at", "an outcome needs the instant it was recorded"))
                if a.contact is None:
                    problems.append((f"{path}.contact", "an outcome needs the id of the contact it became"))
                elif (found := contacts.get(a.contact)) is None:
                    problems.append((f"{path}.contact", f"no contact {a.contact!r} for {person.crn}"))
                elif found != (a.type.value, a.at, a.outcome.value):
                    problems.append(
                        (
                            f"{path}.contact",
                            f"contact {a.contact!r} does not have this appointment's type, time and outcome",
                        )
                    )
                if a.contact in named:
                    problems.append((f"{path}.contact", f"contact {a.contact!r} is named by more than one appointment"))
            if a.outcome == ContactOutcome.ACCEPTABLE_ABSENCE and not (
                a.absence_reason.strip() and a.absence_evidence.strip()
            ):
                problems.append((f"{path}.absence_reason", "an acceptable absence needs its reason and evidence"))
            if a.reschedules and a.reschedules[-1].to_at != a.at:
                problems.append((f"{path}.reschedules", "the last reschedule must move the appointment to its `at`"))
    return problems


# --- end issue 14 ----------------------------------------------------------------------------------------------------


def _decision_problems(bundle: BundleIn) -> list[tuple[str, str]]:
    """Enforcement decisions: on one of the person's failures to attend, once each, not before it, a warning only for
    a first absence in 12 months, by a known member of staff. Release plan items: on a custodial sentence, once each,
    licence conditions only after a completed assessment, by a known member of staff (issue 12 §10)."""
    people = [(i, p) for i, p in enumerate(bundle.people) if p.enforcement_decisions or p.release_plan]
    if not people:
        return []
    crns = [p.crn for _, p in people]
    staff = set(Staff.objects.values_list("code", flat=True)) | {s.code for s in bundle.staff}
    stored_contacts: dict[str, dict[str, ContactFacts]] = {}
    for crn, external_id, type_, at, outcome in Contact.objects.filter(person__crn__in=crns).values_list(
        "person__crn", "external_id", "type", "at", "outcome"
    ):
        stored_contacts.setdefault(crn, {})[external_id] = ContactFacts(external_id, type_, at, outcome)
    stored_events: dict[str, dict[str, str]] = {}
    for crn, external_id, sentence_type in Event.objects.filter(person__crn__in=crns).values_list(
        "person__crn", "external_id", "sentence_type"
    ):
        stored_events.setdefault(crn, {})[external_id] = sentence_type
    stored_assessments: dict[str, list[AssessmentFacts]] = {}
    for crn, external_id, completed_at in Assessment.objects.filter(
        person__crn__in=crns, status=Assessment.Status.COMPLETE, completed_at__isnull=False
    ).values_list("person__crn", "external_id", "completed_at"):
        if completed_at is not None:
            stored_assessments.setdefault(crn, []).append(AssessmentFacts(external_id, completed_at, False, None))
    days = policy().enforcement_second_absence_days
    problems: list[tuple[str, str]] = []
    for i, person in people:
        contacts = stored_contacts.get(person.crn, {}) | {
            c.id: ContactFacts(c.id, c.type.value, c.at, c.outcome.value if c.outcome else None)
            for c in person.contacts
        }
        decided = _duplicates(d.contact for d in person.enforcement_decisions)
        for j, d in enumerate(person.enforcement_decisions):
            path = f"people[{i}].enforcement_decisions[{j}]"
            contact = contacts.get(d.contact)
            if contact is None:
                problems.append((f"{path}.contact", f"no contact {d.contact!r} for {person.crn}"))
                continue
            if contact.outcome not in ENFORCEABLE_OUTCOMES:
                problems.append((f"{path}.contact", f"contact {d.contact!r} is not a failure to attend or to comply"))
            if d.contact in decided:
                problems.append((f"{path}.contact", f"contact {d.contact!r} has more than one decision"))
            if d.at < contact.at:
                problems.append(
                    (f"{path}.at", f"is before the failure to attend or comply it follows ({contact.at.isoformat()})")
                )
            earlier = earlier_absences(contact, tuple(contacts.values()), days)
            if contact.outcome in ENFORCEABLE_OUTCOMES and (
                problem := decision_allowed(d.decision, len(earlier), contact.outcome or "")
            ):
                problems.append((f"{path}.decision", problem))
            if d.by not in staff:
                problems.append((f"{path}.by", f"no staff member with code {d.by!r}"))
        events = stored_events.get(person.crn, {}) | {e.id: e.sentence.type.value for e in person.events}
        assessments = tuple(stored_assessments.get(person.crn, [])) + tuple(
            AssessmentFacts(a.id, a.completed_at, False, None) for a in person.assessments
        )
        items = _duplicates(f"{r.event}/{r.item}" for r in person.release_plan)
        for j, r in enumerate(person.release_plan):
            path = f"people[{i}].release_plan[{j}]"
            if r.event not in events:
                problems.append((f"{path}.event", f"no event {r.event!r} for {person.crn}"))
            elif events[r.event] not in CUSTODIAL_SENTENCES:
                problems.append(
                    (f"{path}.event", f"event {r.event!r} is not a custodial sentence: there is no release")
                )
            if f"{r.event}/{r.item}" in items:
                problems.append((f"{path}.item", f"{r.item} is confirmed more than once for event {r.event!r}"))
            if r.item == "LICENCE_CONDITIONS" and (problem := licence_conditions_problem(assessments, r.at)):
                problems.append((f"{path}.at", problem))
            if r.by not in staff:
                problems.append((f"{path}.by", f"no staff member with code {r.by!r}"))
    return problems


def _recall_and_check_problems(bundle: BundleIn) -> list[tuple[str, str]]:
    """Recalls: a decision with its time and maker, options valid for the sentence, steps in order, cancelled only
    by an ACO. Checks: the answer is one of the person's records; acting on it needs the answer and who acted."""
    if not any(p.recalls or p.checks for p in bundle.people):
        return []
    grades = dict(Staff.objects.values_list("code", "grade")) | {s.code: s.grade.value for s in bundle.staff}
    crns = [p.crn for p in bundle.people if p.recalls or p.checks]
    stored_events: dict[str, dict[str, str]] = {}
    for crn, external_id, sentence_type in Event.objects.filter(person__crn__in=crns).values_list(
        "person__crn", "external_id", "sentence_type"
    ):
        stored_events.setdefault(crn, {})[external_id] = sentence_type
    stored_records: dict[str, set[str]] = {}
    for crn, external_id in Record.objects.filter(person__crn__in=crns).values_list("person__crn", "external_id"):
        stored_records.setdefault(crn, set()).add(external_id)
    # A record answers one check (CheckRequest.response_record is one-to-one): the check each stored answer is for.
    answering: dict[tuple[str, str], str] = {
        (crn, record): check_id or ""
        for crn, record, check_id in CheckRequest.objects.filter(
            person__crn__in=crns, response_record__isnull=False
        ).values_list("person__crn", "response_record__external_id", "external_id")
    }
    problems: list[tuple[str, str]] = []
    for i, person in enumerate(bundle.people):
        events = stored_events.get(person.crn, {}) | {e.id: e.sentence.type.value for e in person.events}
        records = stored_records.get(person.crn, set()) | {r.id for r in person.records}
        shared = _duplicates(c.response_record for c in person.checks if c.response_record is not None)
        for j, recall in enumerate(person.recalls):
            problems += [(f"people[{i}].recalls[{j}].{f}", why) for f, why in _recall_problems(recall, events, grades)]
        for j, check in enumerate(person.checks):
            at = f"people[{i}].checks[{j}]"
            if check.response_record is not None and check.response_record not in records:
                problems.append((f"{at}.response_record", f"no record {check.response_record!r} for {person.crn}"))
            elif check.response_record in shared:
                problems.append((f"{at}.response_record", "a record answers one check only; it is given for two"))
            elif (owner := answering.get((person.crn, check.response_record or ""))) not in (None, check.id):
                problems.append((f"{at}.response_record", f"already the answer to check {owner!r}"))
            if check.acted_on_at is not None:
                if check.response_record is None:
                    problems.append((f"{at}.acted_on_at", "a check can only be acted on once it has an answer"))
                if not check.acted_on_by:
                    problems.append((f"{at}.acted_on_by", "say who acted on the answer"))
                elif check.acted_on_by not in grades:
                    problems.append((f"{at}.acted_on_by", f"no staff member with code {check.acted_on_by!r}"))
                if check.acted_on_at < check.requested_at:
                    problems.append((f"{at}.acted_on_at", "is before the check was requested"))
            if check.acted_on_at is None and (check.acted_on_outcome or check.acted_on_notes):
                problems.append((f"{at}.acted_on_at", "a decision on the answer needs the time it was made"))
            if check.acted_on_outcome in ("REFERRAL", "REASON"):
                if (problem := substance_problem(check.acted_on_notes or "")) is not None:
                    problems.append((f"{at}.acted_on_notes", problem))
    return problems


def _recall_problems(recall: RecallIn, events: dict[str, str], grades: dict[str, str]) -> list[tuple[str, str]]:
    problems: list[tuple[str, str]] = []
    if recall.event not in events:
        return [("event", f"no event {recall.event!r} for this person")]
    if (recall.decision is None) != (recall.decided_at is None):
        problems.append(("decided_at", "a decision and its time go together"))
    if recall.decision is not None:
        if not recall.decided_by:
            problems.append(("decided_by", "say which SPO or manager decided"))
        elif grades.get(recall.decided_by) not in {"SPO", "HEAD_OF_PDU", "ACO"}:
            problems.append(("decided_by", f"{recall.decided_by!r} is not an SPO, head of PDU or ACO"))
        problems += decision_problems(events[recall.event], recall.decision, recall.type, recall.emergency)
    if recall.decision != "RECALL":
        for name in ("revoked_at", "executed_at"):
            if getattr(recall, name) is not None:
                problems.append((name, "only a decision to recall is revoked or executed"))
    steps = [("considered_at", recall.considered_at), ("decided_at", recall.decided_at)]
    steps += [("revoked_at", recall.revoked_at), ("executed_at", recall.executed_at)]
    known = [(name, value) for name, value in steps if value is not None]
    for (before, earlier), (name, later) in itertools.pairwise(known):
        if later < earlier:
            problems.append((name, f"is before {before} ({earlier.isoformat()})"))
    if (recall.cancelled_at is None) != (recall.cancelled_by is None):
        problems.append(("cancelled_by", "a cancellation needs both its time and the ACO who cancelled"))
    elif recall.cancelled_by is not None and grades.get(recall.cancelled_by) != "ACO":
        problems.append(("cancelled_by", f"only an ACO may cancel a recall; {recall.cancelled_by!r} is not one"))
    return problems


def _person_problems(at: str, person: PersonIn, known: _Known) -> list[tuple[str, str]]:
    problems: list[tuple[str, str]] = []

    def need(path: str, value: str | None, pool: set[str], what: str) -> None:
        if value is not None and value not in pool:
            problems.append((path, f"no {what} with code {value!r} in the bundle or the database"))

    need(f"{at}.pdu", person.pdu, known.pdus, "PDU")
    need(f"{at}.practitioner", person.practitioner, known.staff, "staff member")
    need(f"{at}.prison_offender_manager", person.prison_offender_manager, known.staff, "staff member")
    for key in ("restricted_to", "excluded"):
        codes = getattr(person, key)
        for j, code in enumerate(codes):
            need(f"{at}.{key}[{j}]", code, known.staff, "staff member")
        for code in _duplicates(codes):
            problems.append((f"{at}.{key}", f"{code!r} is listed more than once"))
    both = set(person.restricted_to) & set(person.excluded)
    if both:
        problems.append((f"{at}.excluded", f"{', '.join(sorted(both))} cannot be both restricted-to and excluded"))

    history = person.criminal_history
    if history is not None:
        if history.violent_sanctions > history.sanctions:
            problems.append(
                (
                    f"{at}.criminal_history.violent_sanctions",
                    f"{history.violent_sanctions} violent sanctions is more than {history.sanctions} sanctions in all",
                )
            )
        if history.first_sanction_date and history.first_sanction_date <= person.date_of_birth:
            problems.append(
                (
                    f"{at}.criminal_history.first_sanction_date",
                    f"first sanction {history.first_sanction_date} is not after the date of birth",
                )
            )

    sections: tuple[tuple[str, Sequence[Any]], ...] = (
        ("events", person.events),
        ("registrations", person.registrations),
        ("contacts", person.contacts),
        ("records", person.records),
        ("assessments", person.assessments),
        ("recalls", person.recalls),
        ("checks", person.checks),
    )
    for section, items in sections:
        dupes = _duplicates(item.id for item in items)
        for j, item in enumerate(items):
            if item.id in dupes:
                problems.append((f"{at}.{section}[{j}].id", f"{item.id!r} appears more than once in {section}"))

    for j, event in enumerate(person.events):
        ev = f"{at}.events[{j}]"
        d = event.dates
        dates = SentenceDates(
            sentence_date=event.sentence.date,
            release=d.release,
            conditional_release=d.conditional_release,
            parole_eligibility=d.parole_eligibility,
            licence_expiry=d.licence_expiry,
            sentence_expiry=d.sentence_expiry,
            pss_end=d.pss_end,
            offence_date=event.offence_date,
        )
        problems += [(f"{ev}.{field}", reason) for field, reason in date_problems(dates)]
        if event.sentence.date < person.date_of_birth:
            problems.append((f"{ev}.sentence.date", "the sentence date is before the date of birth"))
        if event.terminated and event.terminated < event.sentence.date:
            problems.append((f"{ev}.terminated", f"terminated {event.terminated} before the sentence date"))
        children: tuple[tuple[str, Sequence[Any]], ...] = (
            ("requirements", event.requirements),
            ("licence_conditions", event.licence_conditions),
        )
        for child, entries in children:
            for dupe in _duplicates(entry.id for entry in entries):
                problems.append((f"{ev}.{child}", f"id {dupe!r} appears more than once"))

    for j, reg in enumerate(person.registrations):
        rp = f"{at}.registrations[{j}]"
        if reg.type not in known.registration_types:
            problems.append(
                (f"{rp}.type", f"unknown registration type {reg.type!r} (see shared/reference/registration-types.csv)")
            )
        problems += [(f"{rp}.{field}", reason) for field, reason in mappa_problems(reg.type, reg.level, reg.category)]
        if reg.end is not None and reg.end < reg.start:
            problems.append((f"{rp}.end", f"end {reg.end} is before start {reg.start}"))
        if reg.last_reviewed is not None and reg.last_reviewed < reg.start:
            problems.append((f"{rp}.last_reviewed", f"review {reg.last_reviewed} is before start {reg.start}"))

    for j, contact in enumerate(person.contacts):
        need(f"{at}.contacts[{j}].staff", contact.staff, known.staff, "staff member")
    return problems


def _record_conflicts(bundle: BundleIn) -> list[tuple[str, str]]:
    """Records are immutable: the same id arriving again with different content is rejected, never applied."""
    wanted = {(p.crn, r.id): r for p in bundle.people for r in p.records}
    if not wanted:
        return []
    paths = {
        (p.crn, r.id): f"people[{i}].records[{j}]" for i, p in enumerate(bundle.people) for j, r in enumerate(p.records)
    }
    crns = sorted({crn for crn, _ in wanted})
    problems = []
    for start in range(0, len(crns), 500):
        chunk = crns[start : start + 500]
        if not Person.objects.filter(crn__in=chunk).exists():
            continue
        stored = Record.objects.filter(person__crn__in=chunk).values(
            "person__crn", "external_id", "source", "kind", "occurred_at", "received_at", "author", "text", "order"
        )
        for row in stored.iterator(chunk_size=2000):
            key = (row["person__crn"], row["external_id"])
            if key not in wanted:
                continue
            record = wanted[key]
            differing = changed_fields(
                row,
                {
                    "source": record.source.value,
                    "kind": record.kind,
                    "occurred_at": record.occurred_at,
                    "received_at": record.received_at,
                    "author": record.author,
                    "text": record.text,
                    "order": order_json(record.order.as_order()) if record.order else None,
                },
            )
            if differing:
                problems.append(
                    (
                        f"{paths[key]}.id",
                        f"record {record.id!r} is already stored with different "
                        f"{', '.join(differing)}; records are immutable",
                    )
                )
    return problems


def validate(raw: bytes | str, known_codes: dict[str, set[str]] | None = None) -> BundleIn:
    """Every problem in the bundle, shape and references alike, or the parsed bundle if there are none.

    `known_codes` (section → codes) counts as present besides the bundle and the database: the codes of a streamed
    bundle's own sections when its people are validated a chunk at a time (bundles/stream.py)."""
    data = _load(raw)
    # PostgreSQL cannot store U+0000 in text, nor anything an unpaired surrogate; refuse them with where they are,
    # together with every problem of shape (but not references: those are looked up in the database).
    text = [(path, "contains a NUL character (\\u0000), which cannot be stored") for path in nul_paths(data)]
    unpaired = [
        (path, "contains an unpaired surrogate (\\ud800-\\udfff), not valid Unicode")
        for path in unpaired_surrogate_paths(data)
    ]
    if unpaired:  # the schema's own JSON parser cannot read past one, so say where each is and stop here
        raise ValidationError(text + unpaired)
    try:
        bundle = BundleIn.model_validate_json(raw, strict=True)
    except pydantic.ValidationError as exc:
        problems = _shape_problems(exc)
        if text:
            raise ValidationError(text + problems) from exc
        partial = _partial(data)
        if partial is not None:
            codes = _raw_codes(data)
            for section, known in (known_codes or {}).items():
                codes[section] = codes[section] | known
            problems += _remap(check_references(partial[0], codes), partial[1])
        raise ValidationError(problems) from exc
    if text:
        raise ValidationError(text)
    problems = check_references(bundle, {name: set((known_codes or {}).get(name, ())) for name in SECTIONS})
    if problems:
        raise ValidationError(problems)
    return bundle


# --- issue 16 §5 (helper "ap"): approved premises referrals ----------------------------------------------------------
def _ap_referral_problems(bundle: BundleIn) -> list[tuple[str, str]]:
    """Each referral by the rules a referral made in Keepsafe obeys (premises/rules/referral.py): the requested arrival
    not before the referral, a decision with its instant and not before the referral, accepted with a place date,
    refused with a reason, arrival only for an accepted place and not before it; a named disclosure is the person's."""
    people = [(i, p) for i, p in enumerate(bundle.people) if p.ap_referrals]
    if not people:
        return []
    stored = set(
        Disclosure.objects.filter(person__crn__in=[p.crn for _, p in people]).values_list("person__crn", "external_id")
    )
    problems: list[tuple[str, str]] = []
    for i, person in people:
        ids = [r.id for r in person.ap_referrals]
        for j in sorted({j for j, x in enumerate(ids) if ids.count(x) > 1}):
            problems.append((f"people[{i}].ap_referrals[{j}].id", f"{ids[j]!r} appears more than once in ap_referrals"))
        disclosures = {d.id for d in person.disclosures} | {ext for crn, ext in stored if crn == person.crn}
        for j, r in enumerate(person.ap_referrals):
            problems += [(f"people[{i}].ap_referrals[{j}].{field}", why) for field, why in _ap_one(r, disclosures)]
    return problems


def _ap_one(r: ApReferralIn, disclosures: set[str]) -> list[tuple[str, str]]:
    referred_on = r.referred_at.date()
    out = [
        (field, why)
        for field, why in ap_rules.referral_problems(
            premises=r.premises, referred_on=referred_on, requested_arrival=r.requested_arrival, today=referred_on
        )
    ]
    if r.disclosure is not None and r.disclosure not in disclosures:
        out.append(("disclosure", f"names disclosure {r.disclosure!r}, which is not among this person's disclosures"))
    facts = ap_rules.ApReferralFacts(r.id, r.premises, r.referred_at, r.requested_arrival, r.emergency)
    if (r.decision is None) != (r.decided_at is None):
        out.append(("decided_at", "a decision and its instant (decided_at) go together: give both or neither"))
    elif r.decision is not None and r.decided_at is not None:
        out += [
            ("decided_at" if field == "decided_on" else field, why)
            for field, why in ap_rules.decision_problems(
                referral=facts,
                decision=r.decision,
                decided_at=r.decided_at,
                place_date=r.place_date,
                reason=r.decision_reason,
                now=r.decided_at,
            )
        ]
        facts = replace(facts, decision=r.decision, decided_at=r.decided_at, place_date=r.place_date)
    elif r.place_date is not None:
        out.append(("place_date", "a place date comes only with the premises' acceptance (decision ACCEPTED)"))
    if (r.arrival is None) != (r.arrival_on is None) or (r.arrival is None) != (r.arrival_recorded_at is None):
        out.append(("arrival", "arrival, arrival_on and arrival_recorded_at go together: give all three or none"))
    elif r.arrival is not None and r.arrival_on is not None:
        out += ap_rules.arrival_problems(referral=facts, arrival=r.arrival, on=r.arrival_on, today=r.arrival_on)
    return out


# --- end issue 16 §5 (helper "ap") -----------------------------------------------------------------------------------

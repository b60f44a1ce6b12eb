"""Issue 16 §5 and §7 (helper "demo4"): approved premises referrals and victim liaison officers' representations on a
few demo cases, so the demo shows them — through the bundle's own sections (`ap_referrals`, `victim_representations`,
docs/bundle-format.md), imported, validated and swept like any other.

Cases are chosen by what they are, in CRN order, from the demo SPO's PDU (Manchester North, where the demo logins
work; one team alone holds too few high-RoSH releases near today):
- approved premises: a high-RoSH case in custody released within RELEASE_SOON days, referred two days ago and awaiting
  the premises' decision (its AP_REFERRAL action is open, and the licence's approved premises condition has no place
  yet); a case released in the past RELEASED_WITHIN days with a place confirmed and arrival recorded; a case released
  later with the referral refused, the premises' reason given (its place action stays open);
- victim representations on licence cases with a domestic abuse flag: a no-contact request on a licence that has no
  no-contact condition (the licence prompts), an exclusion zone included, and one declined with the reason.
Deterministic: no random numbers, only the generated case's own facts and today.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

DEMO_PDU = "N01-MN"
RELEASE_SOON = (10, 45)  # days ahead: a referral awaiting the decision close to release
RELEASED_WITHIN = 90  # days ago: a place confirmed and arrival recorded
REFUSED_RELEASE = (46, 200)  # days ahead: refused, another referral still to make
PREMISES = ("Bunyan House (demo)", "Ellison Lodge (demo)", "Canal Street Approved Premises (demo)")
VLO = "Val Lowe, victim liaison officer (demo)"
AP_CONDITION = {"type": "APPROVED_PREMISES", "text": "To reside at approved premises as directed and keep its rules"}


def _at(day: date, hour: int) -> str:
    return datetime.combine(day, time(hour), tzinfo=UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _release(p: dict[str, Any]) -> date | None:
    event = p["events"][0]
    custodial = event["sentence"]["type"] in ("DETERMINATE_CUSTODY", "EXTENDED", "INDETERMINATE")
    release = event["dates"]["release"]
    return date.fromisoformat(release) if custodial and release else None


def _rosh(p: dict[str, Any]) -> str | None:
    return next((r["type"] for r in p["registrations"] if r["id"] == "REG-ROSH"), None)


class PremisesAndVictims:
    """Adds the referrals and representations to the first cases that fit each, as the people are generated."""

    def __init__(self, org: dict[str, Any], today: date) -> None:
        self.today = today
        self.team = {s["code"]: s["team"] for s in org["staff"]}
        self.wanted = {"AWAITING", "ARRIVED", "REFUSED", "VR_PROMPT", "VR_INCLUDED", "VR_DECLINED"}

    def add(self, p: dict[str, Any]) -> None:
        holder = p["practitioner"]
        pdu = self.team.get(holder, "").rsplit("-", 1)[0] if holder is not None else None
        if not self.wanted or pdu != DEMO_PDU or p["restricted_to"]:
            return
        release = _release(p)
        if release is None:
            return
        ahead = (release - self.today).days
        kind = None
        if _rosh(p) in ("RHRH", "RVHR"):
            if "AWAITING" in self.wanted and RELEASE_SOON[0] <= ahead <= RELEASE_SOON[1]:
                kind = "AWAITING"
            elif "ARRIVED" in self.wanted and -RELEASED_WITHIN <= ahead <= -7:
                kind = "ARRIVED"
            elif "REFUSED" in self.wanted and REFUSED_RELEASE[0] <= ahead <= REFUSED_RELEASE[1]:
                kind = "REFUSED"
        if kind is not None:
            self.wanted.discard(kind)
            self._referral(p, kind, release, holder)
            return
        if not any(r["type"] == "ADVP" for r in p["registrations"]) or ahead < -365:
            return  # victim representations: domestic abuse cases released in the past year or still to be
        types = {c["type"] for c in p["events"][0]["licence_conditions"]}
        if "VR_PROMPT" in self.wanted and "NO_CONTACT" not in types and ahead > 0:
            kind = "VR_PROMPT"
        elif "VR_INCLUDED" in self.wanted and "EXCLUSION_ZONE" in types:
            kind = "VR_INCLUDED"
        elif "VR_DECLINED" in self.wanted and "EXCLUSION_ZONE" not in types:
            kind = "VR_DECLINED"
        if kind is not None:
            self.wanted.discard(kind)
            self._representation(p, kind, release, holder)

    def _referral(self, p: dict[str, Any], kind: str, release: date, holder: str) -> None:
        premises = PREMISES[("AWAITING", "ARRIVED", "REFUSED").index(kind)]
        referred = min(release - timedelta(days=50), self.today - timedelta(days=2)) if kind != "AWAITING" else None
        referred_on = referred or self.today - timedelta(days=2)
        referral: dict[str, Any] = {
            "id": "APR-1",
            "premises": premises,
            "partner": None,
            "referred_at": _at(referred_on, 10),
            "referred_by": holder,
            "requested_arrival": max(release, referred_on).isoformat(),
            "emergency": False,
            "reason": "High risk of serious harm to a known adult: a managed address with night cover on release",
            "disclosure": None,
        }
        if kind == "ARRIVED":
            referral.update(
                decision="ACCEPTED",
                decided_at=_at(referred_on + timedelta(days=3), 15),
                decided_by="Approved premises manager (demo)",
                place_date=release.isoformat(),
                arrival="ARRIVED",
                arrival_on=release.isoformat(),
                arrival_recorded_at=_at(release, 17),
                arrival_by=holder,
            )
        elif kind == "REFUSED":
            referral.update(
                decision="REFUSED",
                decided_at=_at(referred_on + timedelta(days=1), 15),
                decided_by="Approved premises manager (demo)",
                decision_reason="A current resident is the victim's relative; refer to another approved premises",
            )
        p["ap_referrals"] = [referral]
        conditions = p["events"][0]["licence_conditions"]
        conditions.append({"id": f"L{len(conditions) + 1}", **AP_CONDITION})

    def _representation(self, p: dict[str, Any], kind: str, release: date, holder: str) -> None:
        received = min(self.today - timedelta(days=10), release - timedelta(days=40))
        rep: dict[str, Any] = {
            "id": "VR-1",
            "vlo_name": VLO,
            "vlo_staff": None,
            "received_on": received.isoformat(),
            "recorded_at": _at(received, 11),
            "recorded_by": holder,
        }
        if kind == "VR_PROMPT":
            rep.update(kind="NO_CONTACT", no_contact_victim=True, no_contact_named=["Her daughter (demo)"])
        elif kind == "VR_INCLUDED":
            zone = next(c["text"] for c in p["events"][0]["licence_conditions"] if c["type"] == "EXCLUSION_ZONE")
            rep.update(
                kind="EXCLUSION_ZONE",
                zone=zone.removeprefix("Not to enter ").split(" without")[0],
                status="INCLUDED",
                decided_on=(received + timedelta(days=5)).isoformat(),
                decided_by=holder,
            )
        else:
            rep.update(
                kind="EXCLUSION_ZONE",
                zone="The whole of the town centre, where the victim works",
                status="DECLINED",
                decided_on=(received + timedelta(days=6)).isoformat(),
                decided_by=holder,
                decline_reason="His only approved address and his employer are in the town centre; a no-contact "
                "condition and a smaller zone around her workplace were weighed instead",
            )
        p["victim_representations"] = [rep]

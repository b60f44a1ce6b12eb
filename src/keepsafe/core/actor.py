"""Who is acting: a signed-in member of staff, or the system itself (CLI default, scheduled jobs)."""

from __future__ import annotations

import enum
from dataclasses import dataclass


class Role(enum.StrEnum):
    PRACTITIONER = "PRACTITIONER"
    SPO = "SPO"
    HEAD_OF_PDU = "HEAD_OF_PDU"
    REGIONAL_LEADER = "REGIONAL_LEADER"
    POM = "POM"
    AUDITOR = "AUDITOR"
    ADMINISTRATOR = "ADMINISTRATOR"
    PARTNER = "PARTNER"  # a partner organisation's system, through the API under its agreement
    SYSTEM = "SYSTEM"

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]


ROLE_LABELS = {
    Role.PRACTITIONER: "Practitioner",
    Role.SPO: "Senior probation officer",
    Role.HEAD_OF_PDU: "Head of PDU",
    Role.REGIONAL_LEADER: "Regional leader",
    Role.POM: "Prison offender manager",
    Role.AUDITOR: "Auditor",
    Role.ADMINISTRATOR: "Administrator",
    Role.PARTNER: "Partner organisation",
    Role.SYSTEM: "System",
}


class Channel(enum.StrEnum):
    WEB = "WEB"
    CLI = "CLI"
    API = "API"
    SYSTEM = "SYSTEM"


@dataclass(frozen=True)
class Actor:
    """The identity every selector and service is given. Never built from request data directly."""

    username: str
    role: Role
    staff_id: int | None = None
    staff_code: str | None = None
    channel: Channel = Channel.WEB

    @property
    def code(self) -> str:
        """How records name who did something: the staff code, or the username of an account without one."""
        return self.staff_code or self.username

    @property
    def is_system(self) -> bool:
        return self.role is Role.SYSTEM

    @classmethod
    def system(cls, channel: Channel = Channel.CLI) -> Actor:
        return cls(username="system", role=Role.SYSTEM, channel=channel)

"""Who a CLI command acts as: --as-user CODE (a staff code or username), or the audited system user; and the CRNs
and instants commands are given, read by one rule each."""

from __future__ import annotations

import argparse
from datetime import datetime

from django.core.management import CommandError

from keepsafe.core import clock
from keepsafe.core.actor import Actor, Channel
from keepsafe.core.ids import normalise_crn
from keepsafe.core.ranges import EARLIEST, PLANNED_YEARS
from keepsafe.workforce.selectors import actor_for_staff_code


def add_as_user(parser) -> None:
    parser.add_argument(
        "--as-user",
        metavar="CODE",
        default=None,
        help="act as this staff code or username (default: the system user, audited as such)",
    )


def crn_argument(value: str) -> str:
    """A CRN given to a command (`keepsafe rescan --crn x123456`, `keepsafe case ' X123456'`) as CRNs are stored: upper
    case, without spaces (`core.ids.normalise_crn`, as the pages' search reads one). Anything else is refused before
    the command runs, saying what a CRN is: never looked up as typed (`rescan --crn x123456` found no case, `export
    --crn x123456` wrote an empty bundle). Every command taking a CRN reads it with this (argparse `type=`)."""
    crn = normalise_crn(value)
    if crn is None:
        raise argparse.ArgumentTypeError(f"{value[:40]!r} is not a CRN: a CRN is a letter and six digits, like X123456")
    return crn


def cli_actor(code: str | None) -> Actor:
    if code is None:
        return Actor.system(Channel.CLI)
    actor = actor_for_staff_code(code, Channel.CLI)
    if actor is None:
        raise CommandError(f"no staff member or user {code!r}", returncode=2)
    return actor


def parse_instant_option(option: str, value: str | None) -> datetime | None:
    """An ISO 8601 instant with an offset or Z; a date or a naive time is refused rather than guessed."""
    if value is None:
        return None
    try:
        instant = datetime.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"{option}: {value!r} is not an ISO 8601 instant such as 2022-06-30T12:00:00Z") from exc
    if instant.tzinfo is None:
        raise CommandError(f"{option}: {value!r} needs an offset or Z, for example {value}Z")
    # The same bounds as every date Keepsafe stores (core/ranges.py): nothing is known before 1900, and an instant
    # further ahead than the planning horizon cannot be turned into local dates safely.
    if instant.year < EARLIEST.year or instant.year > clock.today().year + PLANNED_YEARS:
        raise CommandError(
            f"{option}: {value!r} is outside {EARLIEST.year}–{clock.today().year + PLANNED_YEARS}, the years Keepsafe "
            "holds dates for"
        )
    return instant

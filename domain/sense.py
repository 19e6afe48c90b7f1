"""Sense checks: values that may be true but are unusual enough to be a typo, refused unless the
recorder confirms them.

A rule (domain/rules.py) refuses what cannot be; a sense check refuses what seldom is: a
cumulative investment above the project's total, or one report rising by more than the whole
total; a project named as another of the same county; a date before 2000 or more than 30 years
ahead. Each has a code, and an event that names the code in its `confirmed` field is recorded
with it (the record keeps which values were confirmed as right). The checks run on what an
event brings, when it is recorded (and on what a correction changes), never on a replay of the
history: a value confirmed once, or recorded before these checks existed, stays as it is.

What a check needs to know beyond the project (the other projects' names, the county's
catalogues) comes in a `Known`, which the application fills and tests leave empty.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from domain.errors import DomainError

INVESTMENT_ABOVE_TOTAL = "investment_above_total"
INVESTMENT_JUMP = "investment_jump"
DUPLICATE_NAME = "duplicate_name"
DATE_TOO_EARLY = "date_too_early"
DATE_TOO_FAR = "date_too_far"
UNUSUAL = (INVESTMENT_ABOVE_TOTAL, INVESTMENT_JUMP, DUPLICATE_NAME, DATE_TOO_EARLY,
           DATE_TOO_FAR)

EARLIEST_USUAL = date(2000, 1, 1)
YEARS_AHEAD = 30
# The dates an event names besides its business date, each checked for sense.
DATE_FIELDS = ("signed_on", "planned_on", "commitment_due_on", "due_on", "occurred_on")


@dataclass(frozen=True)
class Finding:
    """One unusual value: its check's code, the field and why."""

    code: str
    field: str
    message: str


class Unusual(DomainError):
    """Unusual values not confirmed: refused, naming each check (send its code in
    `confirmed` if the value is right)."""

    def __init__(self, findings: list[Finding]):
        first = findings[0]
        codes = list(dict.fromkeys(f.code for f in findings))
        super().__init__("; ".join(f.message for f in findings) + " — if this is right, "
                         f"send confirmed: {codes} to record it", field=first.field,
                         code=first.code)
        self.findings = findings
        self.codes = codes


def _nothing(kind: str) -> Collection[str] | None:
    return None


@dataclass(frozen=True)
class Known:
    """What the checks of a project's event need to know of its county: the names of its other
    projects, and the values of each catalogue (None for a catalogue the county keeps none)."""

    names: Callable[[], Iterable[str]] = tuple
    catalogue: Callable[[str], Collection[str] | None] = _nothing


NOTHING_KNOWN = Known()  # what tests and bulk loads know of a county: nothing


def name_key(name: str) -> str:
    """A project name as names are compared: width and case folded, spaces left out."""
    return "".join(unicodedata.normalize("NFKC", name).casefold().split())


def confirm(findings: list[Finding], confirmed: Collection[str]) -> list[str]:
    """The codes of the findings, all of which the recorder must have confirmed (else Unusual,
    naming those not confirmed): what the event keeps as `confirmed`."""
    missing = [f for f in findings if f.code not in confirmed]
    if missing:
        raise Unusual(missing)
    return list(dict.fromkeys(f.code for f in findings))


def dates(values: dict[str, Any], today: date, prefix: str = "") -> list[Finding]:
    """Dates before 2000 or more than YEARS_AHEAD years after today."""
    latest = _years_after(today, YEARS_AHEAD)
    found = []
    for name in DATE_FIELDS:
        value = values.get(name)
        if not isinstance(value, date):
            continue
        if value < EARLIEST_USUAL:
            found.append(Finding(DATE_TOO_EARLY, prefix + name,
                                 f"{prefix}{name} {value} is before {EARLIEST_USUAL}"))
        elif value > latest:
            found.append(Finding(DATE_TOO_FAR, prefix + name, f"{prefix}{name} {value} is more "
                                 f"than {YEARS_AHEAD} years after today ({today})"))
    return found


def progress(amount: int, on: date, total: int, reports: Iterable[dict[str, Any]],
             field: str = "investment_completed") -> list[Finding]:
    """A cumulative investment above the project's total, or (once above it) above the report
    before it by more than the whole total."""
    found = []
    if amount > total:
        found.append(Finding(INVESTMENT_ABOVE_TOTAL, field, f"{field} {amount} is more than "
                             f"the project's total investment {total}"))
    before = [r["investment_completed"] for r in reports if r["occurred_on"] <= on]
    previous = max(before, default=0)
    # Rising by more than the total implies ending above it: the jump says more only when
    # the report before it was already above the total (and confirmed so).
    if amount - previous > total and previous > total:
        found.append(Finding(INVESTMENT_JUMP, field, f"{field} {amount} rises by "
                             f"{amount - previous} since the report before it, more than the "
                             f"project's total investment {total}"))
    return found


def total(investment: int, completed: int, field: str = "investment") -> list[Finding]:
    """A total investment below what is already reported as completed."""
    if completed <= investment:
        return []
    return [Finding(INVESTMENT_ABOVE_TOTAL, field, f"{field} {investment} is less than the "
                    f"{completed} already reported as completed")]


def duplicate(name: str | None, known: Known, field: str = "name") -> list[Finding]:
    """A name another project of the county has (compared as name_key compares)."""
    if not name:
        return []
    key = name_key(name)
    if any(name_key(other) == key for other in known.names()):
        return [Finding(DUPLICATE_NAME, field,
                        f"{field} {name!r} is the name of another project of the county")]
    return []


def _years_after(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


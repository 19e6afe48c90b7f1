"""What a dispatch meeting reads first, for the page, the printed sheet and Excel: the headline
figures with their change against the previous period, and the lists a sheet has room for."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import gettext
from flask_babel import lazy_gettext as _l

from app.web.dispatch_tables import (
    BY_NAME,
    COUNT,
    PROJECT,
    Column,
    Context,
    Row,
    Table,
    flag_rows,
)
from app.web.format import money
from app.web.labels import EVENT_LABELS
from app.web.measure_tables import MEASURE_TABLES
from domain.dispatch import COMPARED

# The headline figures, in the order a meeting reads them: what stands at the end (late, then
# open), then what the period did.
HEADLINE_LABELS = {
    "red_flags": _l("Red flags"),
    "milestones_overdue": _l("Milestones overdue"),
    "problems_open": _l("Problems open"),
    "signed": _l("Projects signed"),
    "milestones_reached": _l("Milestones reached"),
    "approvals_granted": _l("Approvals granted"),
    "problems_raised": _l("Problems raised"),
    "problems_solved": _l("Problems solved"),
    "investment_completed": _l("Investment completed in the period"),
}
MONEY = ("investment_completed",)


@dataclass(frozen=True)
class Figure:
    """A headline figure: its name, value and unit, and how it moved since the previous period
    (`change` None for a report that has no comparison)."""

    name: str
    label: Any
    value: int
    change: int | None

    @property
    def shown(self) -> str:
        return money(self.value) if self.name in MONEY else str(self.value)

    @property
    def unit(self) -> str:
        return gettext("10,000 yuan") if self.name in MONEY else str(COUNT)

    @property
    def direction(self) -> str | None:
        """up, down or same; None without a comparison."""
        if self.change is None:
            return None
        return "up" if self.change > 0 else "down" if self.change < 0 else "same"

    @property
    def moved(self) -> str:
        """↑3, ↓1.2 亿元, or no change, in words."""
        if self.change is None:
            return ""
        if not self.change:
            return gettext("no change")
        amount = money(abs(self.change)) if self.name in MONEY else str(abs(self.change))
        return ("↑" if self.change > 0 else "↓") + amount


def headline(report: dict[str, Any]) -> list[Figure]:
    """The headline figures of a report, each with its change when the report compares."""
    compared = (report.get("comparison") or {}).get("figures", {})
    figures = []
    for name, label in HEADLINE_LABELS.items():
        value: Any = report
        for key in COMPARED[name]:
            value = value[key]
        change = compared[name]["change"] if name in compared else None
        figures.append(Figure(name, label, value, change))
    return figures


# ---- the printed sheet --------------------------------------------------------------------

# Table rows the one-page sheet has room for beside its head and figures (A4 at 9 pt), and
# the rows each list keeps before the others take what is left, in the order they are given.
SHEET_ROWS = 24
SHEET_OWNERS = 8  # the owners of most red flags the sheet names
LATEST = ("problems_raised", "instructions")  # lists cut from their start, not their end
SHEET_FLOORS = {"red_flags": 10, "due_next": 6, "problems_raised": 4, "instructions": 4}


# The red flags as the sheet lists them, a line each (rows from dispatch_tables.flag_rows).
SHEET_FLAG = Table("red_flags", _l("Red flags"), flag_rows, (
    PROJECT, Column(_l("Item"), "title"), Column(_l("Rule"), "rule"),
    Column(_l("Owner"), "owner"),
    Column(_l("Working days late"), "working_days_late", "int")), _l("No red flags."))
SHEET_INSTRUCTIONS = Table(
    "instructions", _l("Leaders' instructions and escalations"),
    lambda report, _: instruction_rows(report), (
        Column(_l("On"), "on", "date"), PROJECT,
        Column(_l("What"), "kind", "code", {"instruction": EVENT_LABELS["instruction_given"],
                                           "escalation": EVENT_LABELS["problem_escalated"]}),
        Column(_l("By or to"), "who", "owner"), Column(_l("Text"), "what")),
    _l("No instructions or escalations in this period."))


@dataclass(frozen=True)
class SheetList:
    """One list of the sheet: its table, the rows shown and how many more Excel holds."""

    table: Table
    rows: list[Row]
    more: int


def sheet_lists(report: dict[str, Any], context: Context, rows: int = SHEET_ROWS
                ) -> list[SheetList]:
    """The sheet's lists (red flags, due in the next 7 days, new problems, leaders'
    instructions and escalations), each cut to what one page holds: every list keeps its
    floor, then the first lists take what the others leave."""
    tables = (SHEET_FLAG, MEASURE_TABLES[0], BY_NAME["problems_raised"], SHEET_INSTRUCTIONS)
    found = {name: (table, table.rows(report, context))
             for name, table in zip(SHEET_FLOORS, tables)}
    sizes = {name: len(found[name][1]) for name in found}
    shown = {name: min(size, SHEET_FLOORS[name]) for name, size in sizes.items()}
    left = rows - sum(shown.values())
    for name in found:
        extra = max(min(sizes[name] - shown[name], left), 0)
        shown[name] += extra
        left -= extra
    # The most late and the soonest due lead their lists; of what happened, the latest.
    return [SheetList(table, found_rows[-shown[name]:] if name in LATEST and shown[name]
                      else found_rows[:shown[name]], sizes[name] - shown[name])
            for name, (table, found_rows) in found.items()]


def instruction_rows(report: dict[str, Any]) -> list[Row]:
    """Leaders' instructions and escalations of the period, in date order, as one list."""
    section = report["escalations_and_instructions"]
    rows = [row | {"what": row["instruction"], "who": row["leader"], "kind": "instruction"}
            for row in section["instructions"]]
    rows += [row | {"what": row["note"], "who": row["leader"] or "office", "kind": "escalation"}
             for row in section["escalations"]]
    return sorted(rows, key=lambda row: str(row["on"]))


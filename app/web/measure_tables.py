"""The tables a meeting asks about first, beside dispatch_tables' sections: what falls due in
the next 7 days, the seed's measures per project, and the measures' trend over the last
periods. Reports published before these existed have none: their rows are empty."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

from app.web import labels
from app.web.dispatch_tables import COUNT, PROJECT, TABLES, Column, Context, Row, Table
from app.web.period_names import LABEL, period_name


def _found(report: dict[str, Any], *path: str) -> Any:
    """The report's value at a path, or None when the report has no such key."""
    found: Any = report
    for key in path:
        if not isinstance(found, dict) or key not in found:
            return None
        found = found[key]
    return found


def _rows(*path: str):
    def rows(report: dict[str, Any], _: Context) -> list[Row]:
        return _found(report, *path) or []
    return rows


def _due_rows(report: dict[str, Any], _: Context) -> list[Row]:
    """What falls due, with its subject in words (a milestone by its name)."""
    return [row | {"item": labels.label(labels.MILESTONE_LABELS, row["title"])
                   if row["kind"] == "milestone" else row["title"]}
            for row in _found(report, "due_next_7_days", "items") or []]


MONTHS = (_l("Months"), "months", "number")
# Whether a project's measure is the period's (the rest are to date).
IN_PERIOD = Column(_l("In this period"), "in_period", "code", {True: _l("Yes"), False: ""})
DAYS = (_l("Calendar days"), "days", "int")
SUSPENDED = Column(_l("Days suspended, not counted"), "suspended_days", "int")
# What an obligation asks for by its due date, by the rule it would break.
DUE = {"milestone_overdue": _l("Milestone to reach"),
       "commitment_overdue": _l("Documents to supply"),
       "condition_overdue": _l("Review condition to meet"),
       "opinion_overdue": _l("Review opinion to give"),
       "problem_not_solved_same_day": _l("Solve the same day"),
       "problem_plan_late": _l("Solution plan"),
       "problem_follow_up_late": _l("Follow-up")}
CLOCKS = {"problem_not_solved_same_day": _l("Solved the same day"),
          "problem_plan_late": _l("Solution plan within 2 working days")}

def _in_months(name: str, title: Any, first: Column, last: Column, empty: Any) -> Table:
    """A measure in months per project: from one date to another, less days suspended."""
    return Table(name, title, _rows("measures", name, "projects"), (
        PROJECT, first, last, Column(*DAYS), SUSPENDED, Column(*MONTHS), IN_PERIOD), empty)


MEASURE_TABLES: tuple[Table, ...] = (
    Table("due_next", _l("Due in the next 7 days"), _due_rows, (
        Column(_l("Due by"), "due_on", "date"), PROJECT, Column(_l("Item"), "item"),
        Column(_l("What is due"), "rule", "code", DUE), Column(_l("Owner"), "owner", "owner")),
          _l("Nothing falls due in the next 7 days.")),
    Table("approval_time", _l("Approval time per project"),
          _rows("measures", "approval_time", "projects"), (
              PROJECT, Column(_l("Construction permit on"), "permitted_on", "date"),
              Column(_l("First item applied on"), "first_applied_on", "date"),
              Column(_l("Last item granted on"), "last_granted_on", "date"),
              Column(_l("Approval items"), "items", "int", unit=COUNT),
              Column(_l("Batches applied for together"), "batches", "int", unit=COUNT),
              Column(_l("Working days"), "working_days", "int"),
              Column(_l("Target (working days)"), "target_working_days", "int"),
              Column(_l("Within target"), "within_target", "yes_no"),
              IN_PERIOD),
          _l("No project has reached its construction permit yet.")),
    _in_months("signing_to_construction", _l("Signing to construction start"),
               Column(_l("Signed on"), "signed_on", "date"),
               Column(_l("Construction started on"), "started_on", "date"),
               _l("No project has started construction yet.")),
    _in_months("land_approval", _l("Land approval time"),
               Column(_l("First item applied on"), "applied_on", "date"),
               Column(_l("Land approval granted on"), "approved_on", "date"),
               _l("No project has its land approval yet.")),
    Table("problem_clocks", _l("Problem clocks"),
          _rows("measures", "problem_clocks", "problems"), (
              PROJECT, Column(_l("Problem"), "title"),
              Column(_l("Responsible unit"), "responsible_unit"),
              Column(_l("Raised on"), "raised_on", "date"),
              Column(_l("Clock"), "clock", "code", CLOCKS),
              Column(_l("Due by"), "due_on", "date"),
              Column(_l("Done on"), "done_on", "date"),
              Column(_l("Kept"), "kept", "yes_no", words=(_l("Kept"), _l("Missed")))),
          _l("No problem raised in this period.")),
)

# Every table of a report, in the order of the Excel file's sheets after the summary.
ALL_TABLES = (TABLES[0], MEASURE_TABLES[0], *TABLES[1:], *MEASURE_TABLES[1:])
ALL_BY_NAME = {table.name: table for table in ALL_TABLES}


def _trend_row(point: dict[str, Any]) -> Row:
    m = point["measures"]
    return {
        "period": period_name(point["period"], LABEL),
        "approvals": m["approval_time"]["count"],
        "approval_days": m["approval_time"]["median_working_days"],
        "approval_share": m["approval_time"]["share_within_target"]
        if m["approval_time"]["with_target"] else None,
        "started": m["signing_to_construction"]["count"],
        "started_months": m["signing_to_construction"]["median_months"],
        "land": m["land_approval"]["count"],
        "land_months": m["land_approval"]["median_months"],
        "same_day": m["same_day"]["share_kept"] if m["same_day"]["decided"] else None,
        "plan_in_time": m["plan_in_time"]["share_kept"] if m["plan_in_time"]["decided"] else None,
    }


# The measures' county figures, period by period (the trend; rows are periods).
TREND = Table("measures_trend", _l("Measures over the last periods"),
              lambda trend, _: [_trend_row(point) for point in trend], (
                  Column(_l("Period"), "period"),
                  Column(_l("Construction permits"), "approvals", "int", unit=COUNT),
                  Column(_l("Median approval time (working days)"), "approval_days", "number"),
                  Column(_l("Industrial within 40 working days"), "approval_share", "rate"),
                  Column(_l("Construction starts"), "started", "int", unit=COUNT),
                  Column(_l("Median months from signing to start"), "started_months", "number"),
                  Column(_l("Land approvals"), "land", "int", unit=COUNT),
                  Column(_l("Median months of land approval"), "land_months", "number"),
                  Column(_l("Solved the same day"), "same_day", "rate"),
                  Column(_l("Plans within 2 working days"), "plan_in_time", "rate")))

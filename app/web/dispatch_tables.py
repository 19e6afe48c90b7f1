"""The tables of a dispatch report, defined once for the page and the Excel download.

Each `Table` names the rows it takes from the report and its columns; each `Column` says what kind
of value it holds, which decides how the page shows it (a link, 万元/亿元, a date, a percentage)
and how Excel stores it (numbers as numbers, dates as dates). Red flags are flattened into rows
here too, with a sentence in the reader's language saying why each one is red.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape

from app.web import labels
from app.web.flag_reasons import reason_text
from app.web.format import day, money, wait_item
from app.web.period_names import period_name

Row = dict[str, Any]
NUMERIC = ("int", "number", "money", "rate")
COUNT = _l("number")  # the unit of a count of things: 个
WORKING_DAYS = _l("working days")


@dataclass(frozen=True)
class Context:
    """What formatting needs besides the report: people's names and the period's last day."""

    names: dict[str, str]  # username -> display name
    end: date

    def person(self, username: str | None) -> str:
        """A user's display name (the username if the user is unknown)."""
        if username is None:
            return "—"
        return self.names.get(username, username)

    def owner(self, owner: str) -> str:
        """Who owns a flag: a user, or "office" for the service centre (an escalation to it)."""
        return str(labels.ESCALATION_LABELS["office"]) if owner == "office" else self.person(owner)


@dataclass(frozen=True)
class Column:
    """One column: its header, where its value is in a row, and the kind of value.

    Kinds: text, int, number (int or float), date, money (integer yuan), rate (a fraction),
    yes_no (True/False/None, shown with `words`), project (the row's project name, linked),
    person (a username), owner (a username or "office"), code (shown through the `codes`
    table), list (of texts), county (a county's name, linked to its report). A column
    whose rows mix kinds (the roll-up's money and counts) names a function of the row.
    """

    header: Any  # a lazy string
    key: str | Callable[[Row], Any]
    kind: str | Callable[[Row], str] = "text"  # or the kind of each row's value
    codes: dict[str, Any] | None = None
    words: tuple[Any, Any] = (_l("Yes"), _l("No"))
    unit: Any = None  # what its numbers count (COUNT); money and rates have theirs

    def value(self, row: Row) -> Any:
        return self.key(row) if callable(self.key) else row[self.key]

    def kind_for(self, row: Row) -> str:
        return self.kind(row) if callable(self.kind) else self.kind

    @property
    def numeric(self) -> bool:
        """Whether the column holds numbers (aligned right on the page)."""
        return callable(self.kind) or self.kind in NUMERIC


@dataclass(frozen=True)
class Table:
    """A table of the report: a name for ids, a title, its rows and columns."""

    name: str
    title: Any  # a lazy string
    rows: Callable[[dict[str, Any], Context], list[Row]]
    columns: tuple[Column, ...]
    empty: Any = field(default=_l("None in this period."))


def unit_of(column: Column) -> str | None:
    """The unit of a column's numbers: 万元 for money, % for rates, or the one it names."""
    if column.unit is not None:
        return str(column.unit)
    return {"money": gettext("10,000 yuan"), "rate": "%"}.get(
        column.kind if isinstance(column.kind, str) else "")


def with_unit(column: Column) -> str:
    """A column's header with its unit, as Excel shows it: 总投资（万元）."""
    unit = unit_of(column)
    return str(column.header) if unit is None else gettext(
        "%(header)s (%(unit)s)", header=column.header, unit=unit)


def text(column: Column, row: Row, context: Context) -> str:
    """A cell as plain text in the reader's language (the page's text and Excel's words)."""
    value = column.value(row)
    if value is None or value == "":
        return "—"
    kind = column.kind_for(row)
    if kind == "date":
        return day(value)
    if kind == "money":
        return money(value)
    if kind == "rate":
        return percent(value)
    if kind == "number":
        return number(value)
    if kind == "yes_no":
        return str(column.words[0] if value else column.words[1])
    if kind == "person":
        return context.person(value)
    if kind == "owner":
        return context.owner(value)
    if kind == "code":
        return labels.label(column.codes or {}, value)
    if kind == "list":
        return separator().join(value)
    return str(value)


def html(column: Column, row: Row, context: Context) -> Markup:
    """A cell for the page: project names link to the project's page, county names to the
    county's report."""
    if column.kind == "project":
        project_id = row.get("project_id") or row.get("id")
        return Markup('<a href="/projects/{}">{}</a>').format(project_id, column.value(row))
    if column.kind == "county":
        return Markup('<a href="?county={}">{}</a>').format(row["code"], column.value(row))
    shown = text(column, row, context)
    if column.kind_for(row) == "yes_no" and column.value(row) is False:
        return Markup('<span class="late">{}</span>').format(shown)
    return escape(shown)


def whole(value: float) -> int | float:
    """A number as an int when it is whole (a median of an even count of days is a float)."""
    return int(value) if float(value).is_integer() else value


def number(value: float) -> str:
    """A figure such as a median: an integer when whole, else to one decimal."""
    value = whole(value)
    return str(value) if isinstance(value, int) else f"{value:.1f}"


def separator() -> str:
    """What separates the items of a list in a sentence: 、 in Chinese, a comma in English."""
    return gettext(", ")


def percent(fraction: float) -> str:
    """A fraction as a percentage to one place: 0.8571 -> 85.7%."""
    return f"{fraction * 100:.1f}%"


# ---- red flags -------------------------------------------------------------------------------


def flag_rows(report: dict[str, Any], context: Context, limit: int | None = None
              ) -> list[Row]:
    """The report's red flags (the first `limit` of them if given: the oldest due) as flat
    rows, each with its reason and the events behind it."""
    rows = []
    for flag in report["red_flags"]["flags"][:limit]:
        subject = flag["subject"]
        title = subject["title"]
        if subject["kind"] == "milestone":
            title = labels.label(labels.MILESTONE_LABELS, title)
        events = [{"version": e["version"], "occurred_on": e["occurred_on"],
                   "actor": context.person(e["actor"])} for e in flag["events"]]
        rows.append({
            "project_id": subject["project_id"], "project": subject["project"],
            "kind": labels.label(labels.SUBJECT_LABELS, subject["kind"]), "title": title,
            "rule": labels.label(labels.RULE_NAMES, flag["rule"]),
            "owner": context.owner(flag["owner"]), "due_on": flag["due_on"],
            "working_days_late": flag["working_days_late"],
            "reason": reason_text(flag, context.end),
            "thresholds": [(labels.label(labels.THRESHOLD_LABELS, name), value)
                           for name, value in flag["thresholds"].items()],
            "events": events,
            "cited": separator().join(
                gettext("record %(version)s, %(on)s, %(actor)s", version=e["version"],
                        on=day(e["occurred_on"]), actor=e["actor"]) for e in events),
        })
    return rows


# ---- the tables ------------------------------------------------------------------------------

PROJECT = Column(_l("Project"), "project", "project")
ON_TIME = (_l("On time"), _l("Late"))
# The columns every table of commitments, and every table of problems, begins with.
COMMITMENT = (PROJECT, Column(_l("Approval item"), "item"),
              Column(_l("Department"), "department"),
              Column(_l("Missing documents"), "missing_documents", "list"))
PROBLEM = (PROJECT, Column(_l("Problem"), "title"),
           Column(_l("Responsible unit"), "responsible_unit"),
           Column(_l("Raised on"), "raised_on", "date"))


def _phase_rows(report: dict[str, Any], _: Context) -> list[Row]:
    section = report["projects_by_phase_and_status"]
    rows = [{"phase": labels.label(labels.PHASE_LABELS, phase), **counts}
            for phase, counts in section["by_phase"].items()]
    return rows + [{"phase": gettext("Total"), **section["totals"]}]


def _roll_up_rows(report: dict[str, Any], _: Context) -> list[Row]:
    """A row per figure and enclosing period (a week straddling two months has two)."""
    roll = report["roll_up"]
    return [{"into": period_name(into["enclosing"]), "figure": name, "period": roll["period"][name],
             "contribution": into["contribution"][name],
             "enclosing": into["enclosing_to_date"][name], "share": into["share"][name]}
            for into in roll["into"] for name in labels.ROLL_UP_LABELS]


def _suspension_rows(report: dict[str, Any], context: Context) -> list[Row]:
    """Each suspended project, with what it was late on when suspended."""
    return [row | {"late_items": separator().join(
        gettext("%(item)s, %(days)s working days late", item=_item(late),
                days=late["working_days_late"]) for late in row["late"])}
        for row in report["suspensions"]["projects"]]


def _item(obligation: dict[str, Any]) -> str:
    """What an obligation is about, in the reader's language."""
    if obligation["kind"] == "milestone":
        return str(labels.label(labels.MILESTONE_LABELS, obligation["title"]))
    return f"{labels.label(labels.RULE_NAMES, obligation['rule'])}: {obligation['title']}"


def _party_rows(report: dict[str, Any], context: Context) -> list[Row]:
    """The county's waiting-on table, a party by its name (a leader by display name); none in
    a report published before it had one."""
    return [row | {"who": labels.party_name(row["party"], row["name"], context.person)}
            for row in report.get("waiting_on", {}).get("parties", [])]


def _wait_rows(report: dict[str, Any], context: Context) -> list[Row]:
    """Every wait, the longest first, with whom and what it waits for."""
    return [row | {"who": labels.party_name(row["party"], row["name"], context.person),
                   "what": wait_item(row["item"])}
            for row in report.get("waiting_on", {}).get("waits", [])]


def _section(*path: str) -> Callable[[dict[str, Any], Context], list[Row]]:
    def rows(report: dict[str, Any], _: Context) -> list[Row]:
        found: Any = report
        for key in path:
            found = found[key]
        return found
    return rows


def _kept(section: str, key: str) -> Callable[[dict[str, Any], Context], list[Row]]:
    """The rows of a section a report published before it was counted lacks (review
    conditions, review opinions): none there."""
    def rows(report: dict[str, Any], _: Context) -> list[Row]:
        return report.get(section, {}).get(key, [])
    return rows


# The columns ending each table of overdue items.
OVERDUE = (Column(_l("Due by"), "due_on", "date"),
           Column(_l("Working days overdue"), "working_days_overdue", "int"),
           Column(_l("Owner"), "owner", "person"))


def _figure_kind(row: Row) -> str:
    """Roll-up figures are counts but for investment, which is money."""
    return "money" if row["figure"] == "investment_completed" else "int"


def _figure_unit(row: Row) -> str:
    return gettext("10,000 yuan") if _figure_kind(row) == "money" else str(COUNT)


TABLES: tuple[Table, ...] = (
    Table("red_flags", _l("Red flags"), flag_rows, (
        PROJECT, Column(_l("Concerns"), "kind"), Column(_l("Item"), "title"),
        Column(_l("Rule"), "rule"), Column(_l("Owner"), "owner"),
        Column(_l("Due by"), "due_on", "date"),
        Column(_l("Working days late"), "working_days_late", "int"),
        Column(_l("Why"), "reason"), Column(_l("Events behind it"), "cited"))),
    Table("waiting_on", _l("Waiting on"), _party_rows, (
        Column(_l("Rank"), "rank", "int"), Column(_l("Waiting on"), "who"),
        Column(_l("Kind"), "party", "code", labels.PARTY_LABELS),
        Column(_l("Projects held"), "projects", "int", unit=COUNT),
        Column(_l("Oldest wait (working days)"), "oldest_working_days", "int"),
        Column(_l("Median wait (working days)"), "median_working_days", "number")),
        _l("No project waits on anyone.")),
    Table("waits", _l("Waits by project"), _wait_rows, (
        PROJECT, Column(_l("Waiting on"), "who"),
        Column(_l("Kind"), "party", "code", labels.PARTY_LABELS),
        Column(_l("Waiting for"), "what"), Column(_l("Waiting since"), "since", "date"),
        Column(_l("Working days waited"), "working_days", "int")),
        _l("No project waits on anyone.")),
    Table("phases", _l("Projects by phase"), _phase_rows, (
        Column(_l("Phase"), "phase"),
        *(Column(labels.STATUS_LABELS[status], status, "int", unit=COUNT)
          for status in ("active", "suspended", "terminated")),
        Column(_l("Total"), "total", "int", unit=COUNT))),
    Table("signed", _l("Projects signed"), _section("signed", "projects"), (
        Column(_l("Project"), "name", "project"), Column(_l("Investor"), "investor"),
        Column(_l("Total investment"), "investment", "money"),
        Column(_l("Signed on"), "signed_on", "date"))),
    Table("milestones_reached", _l("Milestones reached"),
          _section("milestones_reached", "milestones"), (
              PROJECT, Column(_l("Milestone"), "milestone", "code", labels.MILESTONE_LABELS),
              Column(_l("Phase"), "phase", "code", labels.PHASE_LABELS),
              Column(_l("Reached on"), "reached_on", "date"),
              Column(_l("Planned for"), "planned_on", "date"),
              Column(_l("On time"), "on_time", "yes_no", words=ON_TIME),
              Column(_l("Chief agent"), "chief_agent", "person"))),
    Table("milestones_overdue", _l("Milestones overdue"),
          _section("milestones_overdue", "milestones"), (
              PROJECT, Column(_l("Milestone"), "milestone", "code", labels.MILESTONE_LABELS),
              Column(_l("Planned for"), "planned_on", "date"),
              Column(_l("Due by"), "due_on", "date"),
              Column(_l("Working days overdue"), "working_days_overdue", "int"),
              Column(_l("Owner"), "owner", "person")), _l("None overdue.")),
    Table("approvals", _l("Approvals granted"), _section("approvals_granted", "approvals"), (
        PROJECT, Column(_l("Approval item"), "item"),
        Column(_l("Department"), "department"), Column(_l("Applied on"), "applied_on", "date"),
        Column(_l("Granted on"), "granted_on", "date"),
        Column(_l("Working days"), "working_days", "int"),
        Column(_l("Target (working days)"), "target_working_days", "int"),
        Column(_l("Within target"), "within_target", "yes_no"))),
    Table("commitments_due", _l("Commitments due"), _section("commitments", "due"), (
        *COMMITMENT, Column(_l("Promised for"), "promised_on", "date"),
        Column(_l("Due by"), "due_on", "date"),
        Column(_l("Fulfilled on"), "fulfilled_on", "date"))),
    Table("commitments_overdue", _l("Commitments overdue"), _section("commitments", "overdue"), (
        *COMMITMENT, Column(_l("Promised for"), "promised_on", "date"),
        Column(_l("Due by"), "due_on", "date"),
        Column(_l("Working days overdue"), "working_days_overdue", "int"),
        Column(_l("Owner"), "owner", "person")), _l("None overdue.")),
    Table("conditions_overdue", _l("Review conditions overdue"),
          _kept("conditions_overdue", "conditions"), (
              PROJECT, Column(_l("Condition"), "text"), Column(_l("Whose"), "whose"),
              Column(_l("Review concluded on"), "concluded_on", "date"), *OVERDUE),
          _l("None overdue.")),
    Table("opinions_overdue", _l("Review opinions overdue"),
          _kept("opinions_overdue", "opinions"), (
              PROJECT, Column(_l("Review"), "review_id"),
              Column(_l("Department"), "department"),
              Column(_l("Review convened on"), "convened_on", "date"),
              Column(_l("Within (working days)"), "within_working_days", "int"), *OVERDUE),
          _l("None overdue.")),
    Table("commitments_closed", _l("Commitments closed by termination"),
          _section("commitments", "closed_by_termination"), (
              *COMMITMENT, Column(_l("Due by"), "due_on", "date"),
              Column(_l("Closed on"), "closed_on", "date"))),
    Table("problems_raised", _l("Problems raised"), _section("problems", "raised"), PROBLEM),
    Table("problems_solved", _l("Problems solved"), _section("problems", "solved"), (
        *PROBLEM,
        Column(_l("Solved on"), "resolved_on", "date"),
        Column(_l("Working days to solve"), "working_days", "int"))),
    Table("problems_open", _l("Problems open"), _section("problems", "open"), (
        *PROBLEM,
        Column(_l("Working days open"), "working_days_open", "int"),
        Column(_l("Owner"), "owner", "owner")), _l("None open.")),
    Table("problems_closed", _l("Problems closed by termination"),
          _section("problems", "closed_by_termination"), (
              *PROBLEM, Column(_l("Closed on"), "closed_on", "date"))),
    Table("suspensions", _l("Suspended projects"), _suspension_rows, (
        PROJECT, Column(_l("Suspended on"), "since", "date"), Column(_l("Reason"), "reason"),
        Column(_l("Chief agent"), "chief_agent", "person"),
        Column(_l("Late when suspended"), "late_items")), _l("None suspended.")),
    Table("problems_by_unit", _l("Problems by unit"), _section("problems", "by_unit"), (
        Column(_l("Responsible unit"), lambda row: row["unit"] or gettext("No unit named")),
        Column(_l("Raised"), "raised", "int", unit=COUNT),
        Column(_l("Solved"), "solved", "int", unit=COUNT),
        Column(_l("Open"), "open", "int", unit=COUNT),
        Column(_l("To solve"), "to_solve", "int", unit=COUNT),
        Column(_l("Solution rate"), "solution_rate", "rate"))),
    Table("escalations", _l("Escalations"),
          _section("escalations_and_instructions", "escalations"), (
              PROJECT, Column(_l("Problem"), "problem"), Column(_l("On"), "on", "date"),
              Column(_l("Escalated to"), "escalated_to", "code", labels.ESCALATION_LABELS),
              Column(_l("Leader"), "leader", "person"), Column(_l("Note"), "note"),
              Column(_l("Recorded by"), "recorded_by", "person"))),
    Table("instructions", _l("Leaders' instructions"),
          _section("escalations_and_instructions", "instructions"), (
              PROJECT, Column(_l("Problem"), "problem"), Column(_l("On"), "on", "date"),
              Column(_l("Leader"), "leader", "person"),
              Column(_l("Instruction"), "instruction"))),
    Table("investment", _l("Investment"), _section("investment", "projects"), (
        PROJECT, Column(_l("Total investment"), "planned", "money"),
        Column(_l("Completed in the period"), "completed", "money"),
        Column(_l("Completed to date"), "cumulative", "money"),
        Column(_l("Share of plan"), "ratio_to_plan", "rate")), _l("No projects signed yet.")),
    Table("rank_agents", _l("Agents by on-time rate"), _section("rankings", "agents"), (
        Column(_l("Rank"), "rank", "int"), Column(_l("Agent"), "name", "person"),
        Column(_l("Milestones reached on time"), "on_time", "int", unit=COUNT),
        Column(_l("Milestones with a plan"), "with_plan", "int", unit=COUNT),
        Column(_l("On-time rate"), "rate", "rate")), _l("Nothing to rank in this period.")),
    Table("rank_departments", _l("Units by approvals on time"),
          _section("rankings", "units_by_approvals"), (
              Column(_l("Rank"), "rank", "int"), Column(_l("Department"), "name"),
              Column(_l("Within target"), "within_target", "int", unit=COUNT),
              Column(_l("With a target"), "with_target", "int", unit=COUNT),
              Column(_l("On-time rate"), "rate", "rate")), _l("Nothing to rank in this period.")),
    Table("rank_units", _l("Units by problems solved"), _section("rankings", "units_by_problems"), (
        Column(_l("Rank"), "rank", "int"), Column(_l("Responsible unit"), "name"),
        Column(_l("Solved"), "solved", "int", unit=COUNT),
        Column(_l("To solve"), "to_solve", "int", unit=COUNT),
        Column(_l("Solution rate"), "rate", "rate")), _l("Nothing to rank in this period.")),
    Table("roll_up", _l("Roll-up"), _roll_up_rows, (
        Column(_l("Counted towards"), "into"),
        Column(_l("Figure"), "figure", "code", labels.ROLL_UP_LABELS),
        Column(_l("Unit"), _figure_unit),
        Column(_l("This period"), "period", _figure_kind),
        Column(_l("Counted towards the enclosing period"), "contribution", _figure_kind),
        Column(_l("Enclosing period to date"), "enclosing", _figure_kind),
        Column(_l("Share"), "share", "rate"))),
)

BY_NAME = {table.name: table for table in TABLES}


# ---- the headline figures ---------------------------------------------------------------------


def _at(*path: str, unless_zero: str | None = None) -> Callable[[dict[str, Any]], Any]:
    """The report's value at a path; None (nothing to measure) when `unless_zero`, a sibling
    count, is 0 (a rate over nothing is no figure at all), or when the report has no such
    figure (one published before the figure was counted)."""
    def value(report: dict[str, Any]) -> Any:
        section = report
        for key in path[:-1]:
            section = section.get(key)
            if section is None:
                return None
        if unless_zero is not None and not section[unless_zero]:
            return None
        return section.get(path[-1])
    return value


# The period's figures at a glance, on the page's head and the Excel summary; a Column's row is
# the report itself.
FIGURES: tuple[Column, ...] = (
    Column(_l("Red flags"), _at("red_flags", "count"), "int", unit=COUNT),
    Column(_l("Projects signed"), _at("signed", "count"), "int", unit=COUNT),
    Column(_l("Investment signed"), _at("signed", "total_investment"), "money"),
    Column(_l("Milestones reached"), _at("milestones_reached", "count"), "int", unit=COUNT),
    Column(_l("Milestone on-time rate"), _at("milestones_reached", "on_time_rate",
                                         unless_zero="with_plan"), "rate"),
    Column(_l("Milestones overdue"), _at("milestones_overdue", "count"), "int", unit=COUNT),
    Column(_l("Approvals granted"), _at("approvals_granted", "count"), "int", unit=COUNT),
    Column(_l("Median working days per approval"),
           _at("approvals_granted", "median_working_days"), "number", unit=WORKING_DAYS),
    Column(_l("Industrial approvals within 40 working days"),
           _at("approvals_granted", "share_within_target", unless_zero="with_target"), "rate"),
    Column(_l("Approval items decided on the parallel-approval day"),
           _at("measures", "parallel_approval_day", "on_parallel_day"), "int", unit=COUNT),
    Column(_l("Commitments due"), _at("commitments", "due_count"), "int", unit=COUNT),
    Column(_l("Commitments overdue"), _at("commitments", "overdue_count"), "int", unit=COUNT),
    Column(_l("Problems raised"), _at("problems", "raised_count"), "int", unit=COUNT),
    Column(_l("Problems solved"), _at("problems", "solved_count"), "int", unit=COUNT),
    Column(_l("Problems open"), _at("problems", "open_count"), "int", unit=COUNT),
    Column(_l("Problems closed by termination"), _at("problems", "closed_by_termination_count"),
           "int", unit=COUNT),
    Column(_l("Projects suspended"), _at("suspensions", "count"), "int", unit=COUNT),
    Column(_l("Solution rate"), _at("problems", "solution_rate", unless_zero="to_solve_count"),
           "rate"),
    Column(_l("Median working days to solve"),
           _at("problems", "median_working_days_to_solve"), "number", unit=WORKING_DAYS),
    Column(_l("Escalations"), _at("escalations_and_instructions", "escalation_count"), "int",
           unit=COUNT),
    Column(_l("Leaders' instructions"), _at("escalations_and_instructions", "instruction_count"),
           "int", unit=COUNT),
    Column(_l("Investment completed in the period"), _at("investment", "completed"), "money"),
    Column(_l("Investment completed to date"), _at("investment", "cumulative"), "money"),
    Column(_l("Total planned investment"), _at("investment", "planned"), "money"),
    Column(_l("Completed share of plan"), _at("investment", "ratio_to_plan",
                                              unless_zero="planned"), "rate"),
)


# ---- the province summary ---------------------------------------------------------------------


def _county_rows(summary: dict[str, Any], _: Context) -> list[Row]:
    return summary["counties"]


COUNTY_FIGURES: tuple[Column, ...] = (
    Column(_l("Projects"), "projects", "int", unit=COUNT),
    Column(_l("Projects signed"), "signed", "int", unit=COUNT),
    Column(_l("Milestones reached"), "milestones_reached", "int", unit=COUNT),
    Column(_l("Milestone on-time rate"), "on_time_rate", "rate"),
    Column(_l("Milestones overdue"), "milestones_overdue", "int", unit=COUNT),
    Column(_l("Approvals granted"), "approvals_granted", "int", unit=COUNT),
    Column(_l("Commitments overdue"), "commitments_overdue", "int", unit=COUNT),
    Column(_l("Problems raised"), "problems_raised", "int", unit=COUNT),
    Column(_l("Problems solved"), "problems_solved", "int", unit=COUNT),
    Column(_l("Problems open"), "problems_open", "int", unit=COUNT),
    Column(_l("Solution rate"), "solution_rate", "rate"),
    Column(_l("Red flags"), "red_flags", "int", unit=COUNT),
    Column(_l("Investment completed in the period"), "investment_completed", "money"),
)

PROVINCE_TABLE = Table("counties", _l("Counties"), _county_rows, (
    Column(_l("Rank"), "rank", "int"), Column(_l("County"), "name", "county"),
    Column(_l("City"), "city"), *COUNTY_FIGURES), _l("No county is listed."))

"""What the dispatch page, its printed sheet and the auditors' published page show of a report:
the tables rendered, the red flags, the headline figures, and the publication's state."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext
from flask_login import current_user

from app.store import service
from app.web import labels
from app.web.dispatch_summary import headline
from app.web.dispatch_tables import (
    COUNTY_FIGURES,
    FIGURES,
    PROVINCE_TABLE,
    Context,
    Row,
    Table,
    flag_rows,
    html,
    text,
)
from app.web.format import display_names, moment
from app.web.measure_tables import ALL_BY_NAME
from domain.dispatch_sections import INDUSTRIAL_APPROVAL_TARGET_WORKING_DAYS
from domain.errors import DomainError


def context_of(report: dict[str, Any]) -> Context:
    """What the tables need beside the report: people's names, and the day the report judges
    what stands (its period's last day, or today while the period runs)."""
    return Context(names=display_names(), end=report["period"]["as_of"])


# A page shows this many rows of a long table; its full count says how many there are, and
# the Excel download has them all (a 500-project county's tables run to hundreds of rows).
PAGE_ROWS = 20


def rendered(table: Table, source: Any, context: Context,
             rows: list[Row] | None = None, limit: int | None = None) -> dict[str, Any]:
    """A table ready for the page: headers, each column's class (numbers align right, dates
    do not wrap), and its cells, the first `limit` rows of them if given (`total` counts
    them all). `source` is what the table's rows come from (a report), unless the rows are
    given."""
    if rows is None:
        rows = table.rows(source, context)
    classes = ["num" if column.numeric else "date" if column.kind == "date" else ""
               for column in table.columns]
    return {"table": table, "classes": classes, "total": len(rows),
            "rows": [[html(column, row, context) for column in table.columns]
                     for row in rows[:limit]]}


def report_view(report: dict[str, Any], context: Context, rows: int | None = None
                ) -> dict[str, Any]:
    """Everything the report's sections show, for the page and the auditors' published page:
    its tables, red flags, headline figures and figures at a glance; of each long table and
    of the red flags the first `rows` if given (the dispatch page: the Excel file has them
    all), else all (a frozen publication, whose Excel file is not the current one)."""
    return {
        "report": report,
        # Red flags show as explanations to open rather than as a table (Excel has the table).
        "tables": {name: rendered(table, report, context,
                                  _shown(name, table.rows(report, context)), rows)
                   for name, table in ALL_BY_NAME.items() if name != "red_flags"},
        "idle": sum(1 for row in report["investment"]["projects"] if not row["completed"]),
        "flags": flag_rows(report, context, rows),
        "headline": headline(report),
        "figures": [(figure.header, text(figure, report, context)) for figure in FIGURES],
        "owners": [(context.owner(row["owner"]), row["count"])
                   for row in report["red_flags"]["by_owner"]],
        "approval_target": INDUSTRIAL_APPROVAL_TARGET_WORKING_DAYS,
        "motto": labels.MOTTO_LABELS[report["period"]["cadence"]],
    }


# The province's figures as its headline shows them: what is late and open first.
PROVINCE_FIRST = ("red_flags", "milestones_overdue", "problems_open", "commitments_overdue")


def province_view(summary: dict[str, Any], context: Context) -> dict[str, Any]:
    """What the province summary shows (its page, its sheet, its publishing step and its
    audit page): the province's figures, then a row per county leading to its report, and
    the province's totals under them."""
    table = rendered(PROVINCE_TABLE, summary, context)
    totals = {"rank": None, "name": gettext("Province"), "city": "", "code": ""} \
        | summary["totals"]
    table |= {"headers": [str(column.header) for column in PROVINCE_TABLE.columns],
              "totals": [text(column, totals, context) if column.kind != "county" else
                         totals["name"] for column in PROVINCE_TABLE.columns]}
    first = {key: index for index, key in enumerate(PROVINCE_FIRST)}
    figures = sorted(COUNTY_FIGURES, key=lambda figure: first.get(figure.key, len(first)))
    return {"summary": summary, "table": table, "headline": [
        {"name": figure.key, "label": figure.header, "moved": "",
         "shown": text(figure, summary["totals"], context)} for figure in figures]}


def _shown(name: str, rows: list[Row]) -> list[Row]:
    """The rows a page shows: of investment, the projects that completed some in the period
    (the others are counted under the table; Excel lists every project)."""
    return [row for row in rows if row["completed"]] if name == "investment" else rows


def publication(cadence: str, period_id: str, county: str | None) -> dict[str, Any] | None:
    """The latest publication record of the report shown (the reader's own, or the county a
    province reader asked for), or None if it was never published."""
    try:
        record, _ = service().published_dispatch(cadence, period_id, county=county,
                                                 reader=current_user.username)
    except DomainError as error:
        if error.code == "not_published":
            return None
        raise
    return record


def published_text(record: dict[str, Any] | None, context: Context) -> str:
    """Whether, when and by whom the period's report was last published, in a sentence."""
    if record is None:
        return gettext("This period's report has not been published.")
    return gettext("Published: revision %(revision)s, %(at)s, by %(actor)s.",
                   revision=record["revision"], at=moment(record["published_at"]),
                   actor=context.person(record["actor"]))


def seal_code(record: dict[str, Any] | None) -> str:
    """The seal's short code a leader reads aloud; the full head is for the audit pages."""
    seal = (record or {}).get("seal")
    return seal["code"] if seal else ""

"""Pages for leaders: the dispatch report of each cadence, its pictures, print and Excel."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from typing import Any
from urllib.parse import quote

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app.store import service
from app.web import labels
from app.web.auth import roles_required
from app.web.dispatch_pictures import pictures
from app.web.dispatch_tables import (
    BY_NAME,
    FIGURES,
    PROVINCE_TABLE,
    Context,
    flag_rows,
    html,
    percent,
    text,
)
from app.web.format import display_names, moment
from app.web.xlsx import province_workbook, workbook
from domain.dates import FIRST_YEAR, LAST_YEAR
from domain.dispatch_sections import INDUSTRIAL_APPROVAL_TARGET_WORKING_DAYS
from domain.errors import ConcurrentUpdate, DomainError
from domain.periods import CADENCES, Period

bp = Blueprint("leaders", __name__)
bp.add_app_template_filter(percent)

READERS = ("leader", "office", "auditor")
TREND_PERIODS = 6
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# What the office is told when publishing is refused, by the domain's error code.
REFUSALS = {
    "future_period": _l("This period has not begun: there is nothing to publish yet."),
}


@bp.get("/dispatch/<cadence>")
@bp.get("/dispatch/<cadence>/<period>")
@roles_required(*READERS)
def dispatch(cadence: str, period: str | None = None):
    """The dispatch page of a period, today's by default."""
    _check_cadence(cadence)
    if "go" in request.args:
        return _go(cadence, request.args["go"], period)
    banban = service()
    shown = banban.period(cadence, period)
    today = banban.clock()
    if shown.start > today:
        return _not_begun(cadence, shown, today)
    county = request.args.get("county") or None
    report = banban.dispatch(cadence, shown.id, county=county, reader=current_user.username)
    if "counties" in report:
        return _province(cadence, shown, today, report)
    context = _context(report)
    # Red flags show as explanations to open rather than as a table (Excel has the table).
    tables = {name: _rendered(table, report, context) for name, table in BY_NAME.items()
              if name != "red_flags"}
    publication = _publication(cadence, shown.id, county)
    return render_template(
        "leaders/dispatch.html", cadence=cadence, period=shown, report=report, county=county,
        tables=tables, flags=flag_rows(report, context),
        figures=[(figure.header, text(figure, report, context)) for figure in FIGURES],
        pictures=pictures(report, banban.dispatch_trend(
            cadence, shown.id, TREND_PERIODS, county=county, reader=current_user.username)),
        publication=publication, published=_published_text(publication, context),
        owners=[(context.owner(row["owner"]), row["count"])
                for row in report["red_flags"]["by_owner"]],
        cadences=_cadences(shown, today),
        meeting=labels.CADENCE_LABELS[cadence], motto=labels.MOTTO_LABELS[cadence],
        is_current=shown.contains(today), has_next=shown.next().start <= today,
        approval_target=INDUSTRIAL_APPROVAL_TARGET_WORKING_DAYS,
        calendar_warnings=report["calendar_warnings"],
    )


def _province(cadence: str, shown: Period, today: date, summary: dict[str, Any]):
    """The province summary: a row per county, each leading to its report."""
    publication = _publication(cadence, shown.id, None)
    context = _context(summary)
    table = _rendered(PROVINCE_TABLE, summary, context)
    totals = {"rank": None, "name": gettext("Province"), "city": "", "code": ""} \
        | summary["totals"]
    table |= {"headers": [str(column.header) for column in PROVINCE_TABLE.columns],
              "totals": [text(column, totals, context) if column.kind != "county" else
                         totals["name"] for column in PROVINCE_TABLE.columns]}
    return render_template(
        "leaders/province.html", cadence=cadence, period=shown, summary=summary, table=table,
        publication=publication, published=_published_text(publication, context),
        cadences=_cadences(shown, today), meeting=labels.CADENCE_LABELS[cadence],
        is_current=shown.contains(today), has_next=shown.next().start <= today,
        calendar_warnings=summary["calendar_warnings"])


def _not_begun(cadence: str, shown: Period, today: date):
    """A period that has not begun has no report: say so, and lead to the current one."""
    return render_template(
        "leaders/not_begun.html", cadence=cadence, period=shown, today=today,
        current=Period.containing(cadence, today), cadences=_cadences(shown, today),
        meeting=labels.CADENCE_LABELS[cadence]), 422


def _cadences(shown: Period, today: date) -> list[tuple[str, Any, str]]:
    """Each cadence's name and the page of it for the same time."""
    return [(c, labels.CADENCE_LABELS[c], _switch_to(c, shown, today)) for c in CADENCES]


@bp.get("/dispatch/<cadence>/<period>.xlsx")
@roles_required(*READERS)
def dispatch_xlsx(cadence: str, period: str):
    """The period's report as an Excel workbook, one sheet per section."""
    _check_cadence(cadence)
    banban = service()
    shown = banban.period(cadence, period)
    county = request.args.get("county") or None
    report = banban.dispatch(cadence, shown.id, county=county, reader=current_user.username)
    publication = _publication(cadence, shown.id, county)
    context = _context(report)
    heading = [
        (gettext("Report"), f"{labels.CADENCE_LABELS[cadence]} {shown.id}"),
        (gettext("Period"), shown.id), (gettext("From"), shown.start), (gettext("To"), shown.end),
        (gettext("Made at"), moment(datetime.now(timezone.utc))),
        (gettext("Published"), _published_text(publication, context)),
    ]
    body = province_workbook(report, context, heading) if "counties" in report else \
        workbook(report, context, heading)
    response = Response(body, mimetype=XLSX)
    name = f"{gettext('Dispatch')}-{cadence}-{shown.id}.xlsx"
    response.headers["Content-Disposition"] = (
        f'attachment; filename="dispatch-{cadence}-{shown.id}.xlsx"; '
        f"filename*=UTF-8''{quote(name)}")
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.post("/dispatch/<cadence>/<period>/publish")
@roles_required("office")
def publish(cadence: str, period: str):
    """Publish (freeze) the period's report as it stands now; the office only."""
    _check_cadence(cadence)
    shown = service().period(cadence, period)  # a bad id is the 422 page, not a message
    try:
        record = service().publish_dispatch(cadence, shown.id, current_user.username)
    except ConcurrentUpdate:
        flash(_l("Someone else published this period at the same moment. Look at the page and "
                 "publish again if needed."), "error")
    except DomainError as error:
        flash(REFUSALS.get(error.code, _l("This cannot be done as asked.")), "error")
    else:
        flash(gettext("Published %(period)s as revision %(revision)s.", period=shown.id,
                      revision=record["revision"]))
    return redirect(url_for(".dispatch", cadence=cadence, period=shown.id))


def _check_cadence(cadence: str) -> None:
    if cadence not in CADENCES:
        abort(404)


def _go(cadence: str, wanted: str, period: str | None):
    """From the period picker: to the period holding a date, or named by an id of any cadence."""
    found = _period_of(cadence, wanted.strip())
    if found is None:
        flash(gettext("“%(wanted)s” is neither a date (2026-11-25) nor a period (2026-W48, "
                      "2026-11-H2, 2026-11, 2026-Q4).", wanted=wanted[:40]), "error")
        return redirect(url_for(".dispatch", cadence=cadence, period=period))
    return redirect(url_for(".dispatch", cadence=cadence, period=found.id))


def _period_of(cadence: str, wanted: str) -> Period | None:
    """The period of a cadence holding a date, or the first day of a period of any cadence."""
    try:
        day = date.fromisoformat(wanted)  # also 20261125 and ISO week dates (2026-W48-3)
    except ValueError:
        pass
    else:
        return Period.containing(cadence, day) if FIRST_YEAR <= day.year <= LAST_YEAR else None
    for kind in (cadence, *CADENCES):
        try:
            return Period.containing(cadence, Period.parse(kind, wanted).start)
        except DomainError:
            continue
    return None


def _switch_to(cadence: str, shown: Period, today: date) -> str:
    """The page of another cadence for the same time: today's period if this one is today's,
    else the one holding this period's middle (a week's Thursday)."""
    if shown.contains(today):
        return url_for(".dispatch", cadence=cadence)
    middle = shown.start + timedelta(days=(shown.end - shown.start).days // 2)
    return url_for(".dispatch", cadence=cadence, period=Period.containing(cadence, middle).id)


def _context(report: dict[str, Any]) -> Context:
    """What the tables need beside the report: people's names, and the day the report judges
    what stands (its period's last day, or today while the period runs)."""
    return Context(names=display_names(),
                   end=report["period"]["as_of"])


def _rendered(table, report: dict[str, Any], context: Context) -> dict[str, Any]:
    """A table ready for the page: headers, each column's class (numbers align right, dates
    do not wrap), and its cells."""
    rows = table.rows(report, context)
    classes = ["num" if column.numeric else "date" if column.kind == "date" else ""
               for column in table.columns]
    return {"table": table, "classes": classes,
            "rows": [[html(column, row, context) for column in table.columns] for row in rows]}


def _publication(cadence: str, period_id: str, county: str | None) -> dict[str, Any] | None:
    """The latest publication record of the report shown, or None if it was never published."""
    try:
        record, _ = service().published_dispatch(cadence, period_id, county=county,
                                                 reader=current_user.username)
    except DomainError as error:
        if error.code == "not_published":
            return None
        raise
    return record


def _published_text(record: dict[str, Any] | None, context: Context) -> str:
    """Whether, when and by whom the period's report was last published, in a sentence."""
    if record is None:
        return gettext("This period's report has not been published.")
    return gettext("Published: revision %(revision)s, %(at)s, by %(actor)s.",
                   revision=record["revision"], at=moment(record["published_at"]),
                   actor=context.person(record["actor"]))


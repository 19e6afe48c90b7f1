"""Pages for leaders: the dispatch report of each cadence, its pictures, its printed sheet (and
the sheet as PDF), Excel, and publishing by the office."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from typing import Any
from urllib.parse import quote

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app.store import service
from app.web import labels
from app.web.auth import roles_required
from app.web.dispatch_pictures import pictures
from app.web.dispatch_summary import SHEET_OWNERS, sheet_lists
from app.web.dispatch_tables import percent
from app.web.dispatch_view import (
    PAGE_ROWS,
    context_of,
    province_view,
    publication,
    published_text,
    rendered,
    report_view,
    seal_code,
)
from app.web.format import moment
from app.web.measure_tables import TREND
from app.web.period_names import LONG, SHORT, full_date, period_name
from domain.dates import FIRST_YEAR, LAST_YEAR
from domain.errors import ConcurrentUpdate, DomainError
from domain.periods import CADENCES, Period

bp = Blueprint("leaders", __name__)
bp.add_app_template_filter(percent)

# Agents read the page too: they are ranked in it.
READERS = ("leader", "office", "auditor", "agent")
TREND_PERIODS = 6
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DEFAULT_ISSUER = _l("County Office for Optimising the Business Environment")

# What the office is told when publishing is refused, by the domain's error code.
REFUSALS = {
    "future_period": _l("This period has not begun: there is nothing to publish yet."),
}


@bp.get("/dispatch/<cadence>")
@bp.get("/dispatch/<cadence>/<period>")
@roles_required(*READERS)
def dispatch(cadence: str, period: str | None = None):
    """The dispatch page of a period, today's by default: the summary first, every other
    section folded below it; for a province reader the province summary, a row per county."""
    _check_cadence(cadence)
    if "go" in request.args:
        return _go(cadence, request.args["go"], period)
    banban = service()
    shown, today = banban.period(cadence, period), banban.clock()
    if shown.start > today:
        return _not_begun(cadence, shown, today)
    county = _county()
    report = banban.dispatch(cadence, shown.id, county=county, reader=current_user.username,
                             shared=True)
    context = context_of(report)
    record = publication(cadence, shown.id, county)
    shared = {**_heading(cadence, shown, today, county), "publication": record,
              "seal": seal_code(record), "published": published_text(record, context)}
    if "counties" in report:
        return render_template("leaders/province.html", **shared,
                               **province_view(report, context))
    trend = banban.dispatch_trend(cadence, shown.id, TREND_PERIODS, county=county,
                                  reader=current_user.username)
    return render_template(
        "leaders/dispatch.html", **shared, **report_view(report, context, PAGE_ROWS),
        pictures=pictures(report, trend), trend=rendered(TREND, trend, context))


@bp.get("/dispatch/<cadence>/<period>/sheet")
@roles_required(*READERS)
def sheet(cadence: str, period: str):
    """The period's one-page sheet for the meeting: to print, in black and white."""
    return render_template("leaders/sheet.html", **_sheet(cadence, period))


@bp.get("/dispatch/<cadence>/<period>/sheet.css")
@roles_required(*READERS)
def sheet_css(cadence: str, period: str):
    """The sheet's page header and footer (the period's name, the page number) in the reader's
    language: margin boxes take their text from a stylesheet, and inline style is refused."""
    _check_cadence(cadence)
    shown = service().period(cadence, period)
    return Response(_page_rules(shown), mimetype="text/css",
                    headers={"Cache-Control": "private, no-store"})


@bp.get("/dispatch/<cadence>/<period>/sheet.pdf")
@roles_required(*READERS)
def sheet_pdf(cadence: str, period: str):
    """The sheet as a PDF file (A4), for those who send it rather than print it."""
    from app.web.sheet_pdf import pdf_of  # WeasyPrint (40 MB): loaded by the workers it serves

    found = _sheet(cadence, period)
    shown = found["period"]
    body = pdf_of(render_template("leaders/sheet.html", **found),
                  {url_for(".sheet_css", cadence=cadence, period=shown.id): _page_rules(shown)})
    return _download(body, "application/pdf", f"dispatch-{cadence}-{shown.id}.pdf",
                     f"{_file_name(found)}.pdf")


def _sheet(cadence: str, period: str) -> dict[str, Any]:
    """What the sheet shows: the summary, the lists cut to one page (for the province, the
    counties), who issues it, the seal."""
    _check_cadence(cadence)
    banban = service()
    shown, today = banban.period(cadence, period), banban.clock()
    county = _county()
    report = banban.dispatch(cadence, shown.id, county=county, reader=current_user.username,
                             shared=True)
    context = context_of(report)
    record = publication(cadence, shown.id, county)
    shared = {**_heading(cadence, shown, today, county), "seal": seal_code(record),
              "publication": record, "printed_on": full_date(today), "issuer": _issuer()}
    if "counties" in report:
        return {**shared, **province_view(report, context)}
    lists = [(found, rendered(found.table, report, context, found.rows))
             for found in sheet_lists(report, context)]
    return {**shared, **report_view(report, context), "lists": lists,
            "sheet_owners": SHEET_OWNERS}


def _issuer() -> str:
    """Who issues the sheet: BANBAN_ISSUING_UNIT, or the county's business environment office."""
    return current_app.config.get("BANBAN_ISSUING_UNIT") or str(DEFAULT_ISSUER)


def _page_rules(shown: Period) -> str:
    """The sheet's @page rules: its period on every page's head, the page number at its foot."""
    # The sentence in the reader's language, cut where its numbers go: text, page, text, ...
    parts = gettext("Page %(page)s of %(pages)s", page="\x00page\x00",
                    pages="\x00pages\x00").split("\x00")
    footer = " ".join(f"counter({part})" if index % 2 else css_string(part)
                      for index, part in enumerate(parts))
    head = css_string(f"{labels.CADENCE_LABELS[shown.cadence]} {period_name(shown)}")
    return render_template("leaders/sheet.css", head=head, footer=footer,
                           issuer=css_string(_issuer()))


def css_string(text: str) -> str:
    """Text as a CSS string, quotes and all: backslashes and quotes escaped, control
    characters (a line end among them) made spaces."""
    plain = "".join(" " if ord(char) < 0x20 else char for char in text)
    return '"' + plain.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _county() -> str | None:
    """The county a province reader asked for (`?county=`), if any; the domain decides what
    the reader may see."""
    return request.args.get("county") or None


def _heading(cadence: str, shown: Period, today: date, county: str | None = None
             ) -> dict[str, Any]:
    """The period, its meeting, the county asked for, and the ways to other periods and
    cadences (of the same county)."""
    return {"cadence": cadence, "period": shown, "name": period_name(shown),
            "meeting": labels.CADENCE_LABELS[cadence], "county": county,
            "county_name": _county_name(county),
            "cadences": _cadences(shown, today, county), "is_current": shown.contains(today),
            "has_next": shown.next().start <= today}


def _county_name(code: str | None) -> str | None:
    """The name of the county asked for, as the province lists it."""
    if code is None:
        return None
    return next((county["name"] for county in service().counties()
                 if county["code"] == code), code)


def _not_begun(cadence: str, shown: Period, today: date):
    """A period that has not begun has no report: say so, and lead to the current one."""
    return render_template(
        "leaders/not_begun.html", **_heading(cadence, shown, today, _county()), today=today,
        current=Period.containing(cadence, today)), 422


def _cadences(shown: Period, today: date, county: str | None) -> list[tuple[str, Any, str]]:
    """Each cadence's name and the page of it for the same time."""
    return [(c, labels.CADENCE_LABELS[c], _switch_to(c, shown, today, county))
            for c in CADENCES]


@bp.get("/dispatch/<cadence>/<period>.xlsx")
@roles_required(*READERS)
def dispatch_xlsx(cadence: str, period: str):
    """The period's report as an Excel workbook: the summary first, then a sheet per table
    (for the province, a sheet of counties)."""
    _check_cadence(cadence)
    banban = service()
    shown, county = banban.period(cadence, period), _county()
    report = banban.dispatch(cadence, shown.id, county=county, reader=current_user.username,
                             shared=True)
    context = context_of(report)
    found = _heading(cadence, shown, banban.clock(), county)
    heading = [
        (gettext("Report"), _file_name(found, short=False)),
        (gettext("Period"), period_name(shown)), (gettext("Period id"), shown.id),
        (gettext("From"), shown.start), (gettext("To"), shown.end),
        (gettext("Judged on"), report["period"]["as_of"]),
        (gettext("Made at"), moment(datetime.now(timezone.utc))),
        (gettext("Published"), published_text(publication(cadence, shown.id, county), context)),
    ]
    from app.web.xlsx import province_workbook, workbook  # openpyxl: only where it is asked for

    if "counties" in report:
        body = province_workbook(report, context, heading)
    else:
        body = workbook(report, banban.dispatch_trend(
            cadence, shown.id, TREND_PERIODS, county=county, reader=current_user.username),
            context, heading)
    return _download(body, XLSX, f"dispatch-{cadence}-{shown.id}.xlsx",
                     f"{_file_name(found)}.xlsx")


def _file_name(heading: dict[str, Any], short: bool = True) -> str:
    """A report's name in the reader's language: the meeting, the county asked for, the
    period (short for a file: 周调度-2026年第49周)."""
    name = period_name(heading["period"], SHORT if short else LONG)
    parts = (heading["meeting"], heading["county_name"], name)
    return "-".join(str(part) for part in parts if part)


def _download(body: bytes, mimetype: str, ascii_name: str, name: str) -> Response:
    """A file to save: an ASCII name for old clients, the reader's name for the others."""
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = (
        f'attachment; filename="{ascii_name}"; filename*=UTF-8\'\'{quote(name)}')
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.get("/dispatch/<cadence>/<period>/publish")
@roles_required("office")
def confirm_publish(cadence: str, period: str):
    """What publishing will freeze, and for a republication what changed since the last one:
    the office confirms before anything is recorded."""
    _check_cadence(cadence)
    banban = service()
    shown, today = banban.period(cadence, period), banban.clock()
    if shown.start > today:
        return _not_begun(cadence, shown, today)
    # What the office publishes is its own report: a county's, or the province summary.
    report = banban.dispatch(cadence, shown.id, reader=current_user.username)
    context = context_of(report)
    record = publication(cadence, shown.id, None)
    changes = banban.dispatch_changes(cadence, shown.id, reader=current_user.username) \
        if record else None
    view = province_view(report, context) if "counties" in report else \
        report_view(report, context)
    return render_template(
        "leaders/publish.html", **_heading(cadence, shown, today), **view,
        publication=record, seal=seal_code(record), published=published_text(record, context),
        changes=changes, people=context.names, headline_labels=labels.HEADLINE_LABELS)


@bp.post("/dispatch/<cadence>/<period>/publish")
@roles_required("office")
def publish(cadence: str, period: str):
    """Publish (freeze) the period's report as it stands now; the office only."""
    _check_cadence(cadence)
    shown = service().period(cadence, period)  # a bad id is the 422 page, not a message
    try:
        record = service().publish_dispatch(cadence, shown.id, current_user.username)
    except ConcurrentUpdate:
        flash(_l("Nothing was published: the report was published by someone else, or "
                 "changed, at the same moment. Look at the page and publish again if needed."),
              "error")
    except DomainError as error:
        flash(REFUSALS.get(error.code, _l("This cannot be done as asked.")), "error")
    else:
        flash(gettext("Published %(period)s as revision %(revision)s.",
                      period=period_name(shown), revision=record["revision"]))
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
        return redirect(url_for(".dispatch", cadence=cadence, period=period, county=_county()))
    return redirect(url_for(".dispatch", cadence=cadence, period=found.id, county=_county()))


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


def _switch_to(cadence: str, shown: Period, today: date, county: str | None) -> str:
    """The page of another cadence for the same time: today's period if this one is today's,
    else the one holding this period's middle (a week's Thursday)."""
    if shown.contains(today):
        return url_for(".dispatch", cadence=cadence, county=county)
    middle = shown.start + timedelta(days=(shown.end - shown.start).days // 2)
    return url_for(".dispatch", cadence=cadence, period=Period.containing(cadence, middle).id,
                   county=county)

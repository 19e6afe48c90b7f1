"""A dispatch report as an Excel workbook (openpyxl): the summary sheet first, then one sheet
per table, then the measures' trend.

Headers are in the reader's language (Chinese by default), each with its unit (万元, 个, %).
Numbers are numbers, dates are dates and money is a number of 万元 (ten thousand yuan, as the
county's spreadsheets keep it) whose format shows the unit too, so the sheets can be summed and
filtered. Text that Excel would take for a formula stays text.
"""

from __future__ import annotations

import re
from datetime import date
from io import BytesIO
from typing import Any

from flask_babel import gettext
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from app.web.charts import text_width
from app.web.dispatch_summary import MONEY, headline
from app.web.dispatch_tables import (
    COUNTY_FIGURES,
    FIGURES,
    PROVINCE_TABLE,
    Column,
    Context,
    Row,
    Table,
    text,
    unit_of,
    whole,
    with_unit,
)
from app.web.measure_tables import ALL_TABLES, TREND

WAN = 10_000
HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDDDDD")
MIN_WIDTH, MAX_WIDTH = 6, 60  # characters
_NOT_IN_SHEET_NAMES = re.compile(r"[\[\]:*?/\\]")

Cell = tuple[Any, str | None]  # a value and its number format


def workbook(report: dict[str, Any], trend: list[dict[str, Any]], context: Context,
             heading: list[tuple[str, Any]]) -> bytes:
    """The report as .xlsx bytes; `heading` are (label, value) rows atop the summary sheet,
    `trend` the last periods' figures for the measures' sheet."""
    book = Workbook()
    summary = book.active
    summary.title = sheet_name(gettext("Summary"))
    _write_summary(summary, report, context, heading)
    for table, source in [*((table, report) for table in ALL_TABLES), (TREND, trend)]:
        _table_sheet(book, table, source, context)
    return _saved(book, heading)


def province_workbook(summary: dict[str, Any], context: Context,
                      heading: list[tuple[str, Any]]) -> bytes:
    """The province summary as .xlsx bytes: the totals, then a sheet of counties."""
    book = Workbook()
    sheet = book.active
    sheet.title = sheet_name(gettext("Summary"))
    rows = _heading_rows(heading)
    headers = {len(rows) + 1}
    rows.append([(gettext("Figure"), None), (gettext("Value"), None), (gettext("Unit"), None)])
    rows += _figure_rows(COUNTY_FIGURES, summary["totals"], context)
    _write(sheet, rows, headers)
    _table_sheet(book, PROVINCE_TABLE, summary, context)
    return _saved(book, heading)


def _table_sheet(book: Workbook, table: Table, source: Any, context: Context) -> None:
    """A sheet of one table: its headers with their units, a row per row, filters."""
    sheet = book.create_sheet(sheet_name(str(table.title)))
    found = table.rows(source, context)
    rows = [[(with_unit(column), None) for column in table.columns]]
    rows += [[cell(column, row, context) for column in table.columns] for row in found]
    _write(sheet, rows, {1})
    sheet.freeze_panes = "A2"
    if found:
        sheet.auto_filter.ref = sheet.dimensions


def _saved(book: Workbook, heading: list[tuple[str, Any]]) -> bytes:
    book.properties.title = str(heading[0][1]) if heading else None
    book.properties.creator = "banban"
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def _write_summary(sheet: Worksheet, report: dict[str, Any], context: Context,
                   heading: list[tuple[str, Any]]) -> None:
    """The heading, the headline figures against the previous period's, then every figure at
    a glance; each figure with its unit."""
    rows = _heading_rows(heading)
    headers = {len(rows) + 1}
    rows.append([(gettext("Figure"), None), (gettext("This period"), None),
                 (gettext("Previous period"), None), (gettext("Change"), None),
                 (gettext("Unit"), None)])
    for figure in headline(report):
        money = figure.name in MONEY
        previous = None if figure.change is None else figure.value - figure.change
        rows.append([(str(figure.label), None),
                     *(_number(v, money) for v in (figure.value, previous, figure.change)),
                     (figure.unit, None)])
    rows.append([])
    headers.add(len(rows) + 1)
    rows.append([(gettext("Figure"), None), (gettext("Value"), None), (gettext("Unit"), None)])
    rows += _figure_rows(FIGURES, report, context)
    _write(sheet, rows, headers)


def _heading_rows(heading: list[tuple[str, Any]]) -> list[list[Cell]]:
    """The (label, value) rows atop a summary sheet, then a blank row."""
    return [*([(label, None), (value, _format_of(value))] for label, value in heading), []]


def _figure_rows(figures: tuple[Column, ...], source: Row, context: Context
                 ) -> list[list[Cell]]:
    """A row per figure: its name, its value and its unit."""
    return [[(str(figure.header), None), cell(figure, source, context), (unit_of(figure), None)]
            for figure in figures]


def _number(value: int | None, money: bool) -> Cell:
    if value is None:
        return None, None
    if money:
        return round(value / WAN, 2), "#,##0.00"
    return value, "0"


def cell(column: Column, row: Row, context: Context) -> Cell:
    """A cell for Excel: numbers as numbers, dates as dates, money in 万元; with its format."""
    value, kind = column.value(row), column.kind_for(row)
    if value is None:
        return None, None
    if kind == "money":
        unit = _quoted(gettext("10,000 yuan"))
        return round(value / WAN, 2), f'#,##0.00" {unit}"'
    if kind == "rate":
        return value, "0.0%"
    if kind in ("int", "number"):
        value = whole(value)
        return value, "0" if isinstance(value, int) else "0.0"
    if kind == "date":
        return value, "yyyy-mm-dd"
    return text(column, row, context), None


def sheet_name(title: str) -> str:
    """A title as Excel allows a sheet name: at most 31 characters, none of []:*?/\\."""
    return _NOT_IN_SHEET_NAMES.sub(" ", title)[:31]


def _format_of(value: Any) -> str | None:
    return "yyyy-mm-dd" if isinstance(value, date) else None


def _quoted(unit: str) -> str:
    """A unit as literal text inside a number format's quotes."""
    return unit.replace('"', "")


def _shown(value: Any, number_format: str | None) -> str:
    """About what Excel shows for a value, to size its column (too narrow shows ####)."""
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    if number_format == "0.0%":
        return f"{value * 100:.1f}%"
    if number_format and '"' in number_format:  # money: "1,234.00 万元"
        return f"{value:,.2f}{number_format.split(chr(34))[1]}"
    return str(value)


def _write(sheet: Worksheet, rows: list[list[Cell]], header_rows: set[int]) -> None:
    """Write rows from A1, mark the header rows, set number formats and column widths."""
    widths: dict[int, float] = {}
    for r, cells in enumerate(rows, start=1):
        for c, (value, number_format) in enumerate(cells, start=1):
            target = sheet.cell(row=r, column=c, value=value)
            if isinstance(value, str):
                target.data_type = "s"  # "=..." typed by a user is text, never a formula
            if number_format:
                target.number_format = number_format
            if r in header_rows:
                target.font, target.fill = HEADER_FONT, HEADER_FILL
                target.alignment = Alignment(wrap_text=True, vertical="top")
            # text_width at size 1 counts a CJK character as 1 and a Latin one as 0.6; Excel's
            # width unit is about one Latin character, and a CJK one takes two.
            shown = _shown(value, number_format)
            widths[c] = max(widths.get(c, 0), text_width(shown, 1) * 1.9 + 2)
    for c, width in widths.items():
        sheet.column_dimensions[get_column_letter(c)].width = min(max(width, MIN_WIDTH),
                                                                  MAX_WIDTH)

"""A dispatch report as an Excel workbook (openpyxl): a summary sheet, then one sheet per table.

Headers are in the reader's language (Chinese by default). Numbers are numbers, dates are dates
and money is a number of 万元 (ten thousand yuan, as the county's spreadsheets keep it) whose
format shows the unit, so the sheets can be summed and filtered. Text that Excel would take for a
formula stays text.
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
from app.web.dispatch_tables import (
    COUNTY_FIGURES,
    FIGURES,
    PROVINCE_TABLE,
    TABLES,
    Column,
    Context,
    Row,
    Table,
    text,
)

WAN = 10_000
HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDDDDD")
MIN_WIDTH, MAX_WIDTH = 6, 60  # characters
_NOT_IN_SHEET_NAMES = re.compile(r"[\[\]:*?/\\]")

Cell = tuple[Any, str | None]  # a value and its number format


def workbook(report: dict[str, Any], context: Context, heading: list[tuple[str, Any]]) -> bytes:
    """The report as .xlsx bytes; `heading` are (label, value) rows atop the summary sheet."""
    return _book(report, context, heading, FIGURES, TABLES)


def province_workbook(summary: dict[str, Any], context: Context,
                      heading: list[tuple[str, Any]]) -> bytes:
    """The province summary as .xlsx bytes: the totals, then a sheet of counties."""
    return _book(summary["totals"], context, heading, COUNTY_FIGURES, (PROVINCE_TABLE,),
                 summary)


def _book(figured: dict[str, Any], context: Context, heading: list[tuple[str, Any]],
          figures: tuple[Column, ...], tables: tuple[Table, ...],
          tabled: dict[str, Any] | None = None) -> bytes:
    """A summary sheet (`heading`, then each figure of `figured`) and a sheet per table of
    `tabled` (the same report by default)."""
    book = Workbook()
    summary = book.active
    summary.title = sheet_name(gettext("Summary"))
    rows: list[list[Cell]] = [[(label, None), (value, _format_of(value))]
                              for label, value in heading]
    rows += [[], [(gettext("Figure"), None), (gettext("Value"), None)]]
    header_row = len(rows)
    rows += [[(str(figure.header), None), cell(figure, figured, context)] for figure in figures]
    _write(summary, rows, header_row)
    for table in tables:
        sheet = book.create_sheet(sheet_name(str(table.title)))
        found = table.rows(figured if tabled is None else tabled, context)
        rows = [[(str(column.header), None) for column in table.columns]]
        rows += [[cell(column, row, context) for column in table.columns] for row in found]
        _write(sheet, rows, 1)
        sheet.freeze_panes = "A2"
        if found:
            sheet.auto_filter.ref = sheet.dimensions
    book.properties.title = str(heading[0][1]) if heading else None
    book.properties.creator = "banban"
    out = BytesIO()
    book.save(out)
    return out.getvalue()


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


def _write(sheet: Worksheet, rows: list[list[Cell]], header_row: int) -> None:
    """Write rows from A1, mark the header row, set number formats and column widths."""
    widths: dict[int, float] = {}
    for r, cells in enumerate(rows, start=1):
        for c, (value, number_format) in enumerate(cells, start=1):
            target = sheet.cell(row=r, column=c, value=value)
            if isinstance(value, str):
                target.data_type = "s"  # "=..." typed by a user is text, never a formula
            if number_format:
                target.number_format = number_format
            if r == header_row:
                target.font, target.fill = HEADER_FONT, HEADER_FILL
                target.alignment = Alignment(wrap_text=True, vertical="top")
            # text_width at size 1 counts a CJK character as 1 and a Latin one as 0.6; Excel's
            # width unit is about one Latin character, and a CJK one takes two.
            shown = _shown(value, number_format)
            widths[c] = max(widths.get(c, 0), text_width(shown, 1) * 1.9 + 2)
    for c, width in widths.items():
        sheet.column_dimensions[get_column_letter(c)].width = min(max(width, MIN_WIDTH),
                                                                  MAX_WIDTH)

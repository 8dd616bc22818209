"""The appeals list as a file: CSV or XLSX, the columns the page shows, names rather than codes.

Both are written row by row from the selector's chunked iterator (selectors.appeal_export_rows), so neither the
queries nor the server's memory grow with the rows: CSV is streamed line by line; XLSX is built by openpyxl's
write-only workbook in a temporary file (a zip archive is complete only at its end) and streamed from there.

Neither file can carry a formula: a CSV text cell starting with = + - @ gets a leading ' (core.csv_export.text_cell);
an XLSX text cell is stored as a string, never as a formula, whatever it starts with.
"""

from __future__ import annotations

import csv
import datetime as dt
import tempfile
from collections.abc import Callable, Iterable, Iterator
from typing import IO, Any

from django.utils import translation
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from prokuratura.core.csv_export import CSV_BOM, CSV_DELIMITER, text_cell

from .models import Appeal, Status

CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DATE_FORMAT = "%d.%m.%Y"
XLSX_DATE_FORMAT = "DD.MM.YYYY"

# (header, the cell's value for an appeal given the words of `_words`, XLSX column width): the list page's columns
# (appeal_results.html).
Column = tuple[Callable[[], str], Callable[[Appeal, dict[str, Any]], Any], int]

COLUMNS: tuple[Column, ...] = (
    (lambda: _("Number"), lambda a, w: a.reg_number, 20),
    (lambda: _("Registered"), lambda a, w: a.registered_on, 12),
    (lambda: _("Applicant"), lambda a, w: a.applicant_name or w["anonymous"], 32),
    (lambda: _("Subject"), lambda a, w: a.subject, 48),
    (lambda: _("Office"), lambda a, w: a.office.name, 40),
    (lambda: _("Prosecutor"), lambda a, w: a.assignee.full_name if a.assignee else "", 30),
    (lambda: _("Status"), lambda a, w: w["status"].get(a.status, a.status), 24),
    (lambda: _("Due"), lambda a, w: a.due_date, 12),
    (lambda: _("Repeated"), lambda a, w: w["yes"] if a.repeated_of_id is not None else "", 10),
    (lambda: _("Filed late"), lambda a, w: w["yes"] if a.is_late else "", 10),
)


def _words() -> dict[str, Any]:
    """The translated words the cells use, looked up once per file rather than once per row (a status's label
    through `get_status_display` costs a lookup of every choice: most of an export's time)."""
    return {
        "status": {value: str(label) for value, label in Status.choices},
        "anonymous": _("Anonymous"),
        "yes": _("yes"),
    }


def cap_note(cap: int) -> str:
    return _(
        "Only the first %(cap)s appeals of the list are in this file: narrow the filters to export the rest."
    ) % {"cap": number_format(cap, force_grouping=True)}


def headers() -> list[str]:
    return [str(header()) for header, _value, _width in COLUMNS]


def _values(appeal: Appeal, words: dict[str, Any]) -> list[Any]:
    return [value(appeal, words) for _header, value, _width in COLUMNS]


class _Line:
    """What csv.writer writes to: it hands each line back instead of keeping it."""

    def write(self, line: str) -> str:
        return line


def csv_lines(rows: Iterable[Appeal], *, cap: int, cut: bool, language: str | None = None) -> Iterator[str]:
    """The CSV, a line at a time: the byte-order mark and the headers, the rows, and a last line saying so when the
    list was cut at `cap`. The lines are made while the response is sent, after the view has returned: `language`
    is the request's, so the headers, statuses and office names are in it whichever thread sends them."""
    with translation.override(language or translation.get_language()):
        writer = csv.writer(_Line(), delimiter=CSV_DELIMITER)
        words = _words()
        yield CSV_BOM + writer.writerow([text_cell(h) for h in headers()])
        for appeal in rows:
            yield writer.writerow([_csv_cell(value) for value in _values(appeal, words)])
        if cut:
            yield writer.writerow([text_cell(cap_note(cap))])


def _csv_cell(value: Any) -> str:
    if isinstance(value, dt.date):
        return value.strftime(DATE_FORMAT)
    return text_cell(str(value))


def xlsx_file(rows: Iterable[Appeal], *, cap: int, cut: bool) -> IO[bytes]:
    """The XLSX in a temporary file (deleted when closed), rewound: one sheet, bold headers, dates as dates."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_("Appeals")[:31])
    for index, (_header, _value, width) in enumerate(COLUMNS):
        sheet.column_dimensions[get_column_letter(index + 1)].width = width
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    sheet.append([_xlsx_cell(sheet, h, font=bold) for h in headers()])
    words = _words()
    for appeal in rows:
        sheet.append([_xlsx_cell(sheet, value) for value in _values(appeal, words)])
    if cut:
        sheet.append([_xlsx_cell(sheet, cap_note(cap), font=bold)])
    out = tempfile.TemporaryFile()  # noqa: SIM115 - returned open; the response closes it
    workbook.save(out)
    out.seek(0)
    return out


def _xlsx_cell(sheet: Any, value: Any, *, font: Font | None = None) -> WriteOnlyCell:
    if isinstance(value, dt.date):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = XLSX_DATE_FORMAT
    else:
        text = ILLEGAL_CHARACTERS_RE.sub("", str(value))
        cell = WriteOnlyCell(sheet, value=text)
        # A string, whatever it starts with: openpyxl would take "=…" for a formula and "#N/A" for an error.
        cell.data_type = "s"
    if font is not None:
        cell.font = font
    return cell


def filename(fmt: str, *, now: dt.datetime) -> str:
    return f"appeals-{now:%Y%m%d-%H%M}.{fmt}"

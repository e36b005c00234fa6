"""Reading tables from CSV (plain or gzip) and Excel files, with messages a user understands.

Wrong encodings and delimiters are not tracebacks: they reject the file with a sentence that
says what was found and what to do.
"""

from __future__ import annotations

import contextlib
import csv
import datetime
import gzip
import io
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.utils.translation import gettext_noop

from tandem.core.validation import (
    INTEGER_MAX,
    INTEGER_MIN,
    InputError,
    check_amount,
    check_date,
    check_text,
    check_whole_number,
)
from tandem.imports.services import ImportReport

OTHER_DELIMITERS = [";", ",", "\t", "|"]
DELIMITER_NAMES = {"\t": "tab", ",": ",", ";": ";", "|": "|"}


@dataclass
class Table:
    headers: list[str]
    rows: list[tuple[int, list[Any]]]  # (line number in the file, cells)

    def column_index(self) -> dict[str, int]:
        return {header.strip().casefold(): i for i, header in enumerate(self.headers)}


def is_gzip(path: Path) -> bool:
    with open(path, "rb") as handle:
        return handle.read(2) == b"\x1f\x8b"


def read_bytes(path: Path) -> bytes:
    if is_gzip(path):
        with gzip.open(path, "rb") as handle:
            return handle.read()
    return path.read_bytes()


def decode(data: bytes, encoding: str, report: ImportReport) -> str:
    codec = "utf-8-sig" if encoding.replace("_", "-").lower() in {"utf-8", "utf8"} else encoding
    try:
        return data.decode(codec)
    except LookupError:
        raise report.fail(
            gettext_noop("Unknown encoding “{encoding}”."), encoding=encoding
        ) from None
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise report.fail(
            gettext_noop(
                "The file is not in the {encoding} encoding (unreadable byte 0x{byte} on line "
                "{line}). Save it as UTF-8, or name its encoding, e.g. --encoding cp1252."
            ),
            encoding=encoding,
            byte=f"{data[error.start]:02x}",
            line=line,
        ) from None


def check_headers(headers: list[str], report: ImportReport) -> None:
    """Each column once and readable: a second column of the same name would silently win over
    the first, and a control character in a name would be stored in the report."""
    seen: dict[str, int] = {}
    for number, header in enumerate(headers, start=1):
        try:
            check_text(header)
        except InputError as error:
            raise report.fail(
                gettext_noop("The name of column {number}: {problem}"),
                number=number,
                problem={"text": error.template, "params": error.params},
            ) from None
        key = header.strip().casefold()
        if not key:
            continue
        if key in seen:
            raise report.fail(
                gettext_noop(
                    "The column “{column}” appears twice (columns {first} and {second}); "
                    "rename or remove one."
                ),
                column=header.strip(),
                first=seen[key],
                second=number,
            )
        seen[key] = number


def check_delimiter(headers: list[str], delimiter: str, report: ImportReport) -> None:
    """One column only, and the header holds another separator: the delimiter is wrong."""
    if len(headers) != 1:
        return
    for other in OTHER_DELIMITERS:
        if other != delimiter and other in headers[0]:
            raise report.fail(
                gettext_noop(
                    "Only one column found; the file seems to use “{found}” as its delimiter, "
                    "not “{used}”. Use --delimiter “{found}”."
                ),
                found=DELIMITER_NAMES[other],
                used=DELIMITER_NAMES.get(delimiter, delimiter),
            )


def read_csv(
    path: Path, report: ImportReport, *, delimiter: str = ",", encoding: str = "utf-8"
) -> Table:
    text = decode(read_bytes(path), encoding, report)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        headers = next(reader)
    except StopIteration:
        raise report.fail(gettext_noop("The file is empty.")) from None
    except csv.Error as error:
        raise report.fail(
            gettext_noop("The file is not a readable CSV file: {error}"), error=str(error)
        ) from None
    check_delimiter(headers, delimiter, report)
    check_headers(headers, report)
    rows = []
    try:
        for cells in reader:
            if not any(cell.strip() for cell in cells):
                continue
            rows.append((reader.line_num, cells))
    except csv.Error as error:
        raise report.fail(
            gettext_noop("Line {line} is not readable CSV: {error}"),
            line=reader.line_num,
            error=str(error),
        ) from None
    return Table(headers=[h.strip() for h in headers], rows=rows)


def read_xlsx(path: Path, report: ImportReport, *, sheet: str | None = None) -> Table:
    # openpyxl takes a while to import; only Excel files need it
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a broken file
        raise report.fail(
            gettext_noop("The file is not a readable Excel workbook ({error})."), error=str(error)
        ) from None
    try:
        if sheet:
            if sheet not in workbook.sheetnames:
                raise report.fail(
                    gettext_noop("There is no sheet “{sheet}”; the workbook has: {sheets}."),
                    sheet=sheet,
                    sheets=", ".join(workbook.sheetnames),
                )
            worksheet = workbook[sheet]
        else:
            worksheet = workbook.worksheets[0]
        rows_iter = worksheet.iter_rows(values_only=True)
        header_row = next(rows_iter, None)
        if header_row is None:
            raise report.fail(gettext_noop("The file is empty."))
        headers = ["" if h is None else str(h).strip() for h in header_row]
        while headers and not headers[-1]:
            headers.pop()
        check_headers(headers, report)
        rows = []
        for number, cells in enumerate(rows_iter, start=2):
            if all(cell is None or str(cell).strip() == "" for cell in cells):
                continue
            rows.append((number, list(cells)))
    finally:
        workbook.close()
    return Table(headers=headers, rows=rows)


def read_table(
    path: Path,
    report: ImportReport,
    *,
    delimiter: str = ",",
    encoding: str = "utf-8",
    sheet: str | None = None,
) -> Table:
    if not path.exists():
        raise report.fail(gettext_noop("The file {path} does not exist."), path=str(path))
    if path.suffix.lower() in {".xlsx", ".xlsm"}:
        return read_xlsx(path, report, sheet=sheet)
    return read_csv(path, report, delimiter=delimiter, encoding=encoding)


# --- parsing cells --------------------------------------------------------------------------


class CellError(ValueError):
    """A cell cannot be read; args: (template, params)."""

    def __init__(self, template: str, **params: Any):
        super().__init__(template)
        self.template = template
        self.params = params


def rule(check, value: Any, column: str, **options: Any) -> Any:
    """A rule of tandem/core/validation.py on a cell: its error names the column."""
    try:
        return check(value, **options)
    except InputError as error:
        raise CellError(
            gettext_noop("{column}: {problem}"),
            column=column,
            problem={"text": error.template, "params": error.params},
        ) from None


def checked_text(value: Any, column: str) -> Any:
    """A text cell holds no control character (tabs and line breaks stay): checked before any
    other reading, so that no message quotes one."""
    if isinstance(value, str):
        rule(check_text, value, column, multiline=True)
    return value


def text_cell(value: Any, column: str | None = None) -> str:
    """The cell as text; with its column, refused when it holds a control character."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if column is not None:
        checked_text(value, column)
    return str(value).strip()


def parse_decimal(value: Any, column: str) -> Decimal | None:
    """An amount: a number that a money column holds."""
    number = _read_number(value, column)
    return None if number is None else rule(check_amount, number, column)


def _read_number(value: Any, column: str) -> Decimal | None:
    checked_text(value, column)
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise CellError(
            gettext_noop("“{value}” in {column} is not a number."), value=value, column=column
        )
    if isinstance(value, int | Decimal):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value))
    text = str(value).strip().replace(" ", "").replace("\u00a0", "")
    if "," in text and "." in text:
        # the separator that comes last is the decimal one: 1.234,50 or 1,234.50
        if text.rfind(",") > text.rfind("."):
            text = text.replace(".", "").replace(",", ".")
        else:
            text = text.replace(",", "")
    elif "," in text:
        text = text.replace(",", ".")
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise CellError(
            gettext_noop("“{value}” in {column} is not a number."), value=value, column=column
        ) from None
    if not number.is_finite():
        raise CellError(
            gettext_noop("“{value}” in {column} is not a number."), value=value, column=column
        )
    return number


THOUSANDS = re.compile(r"^-?\d{1,3}([.,\u00a0 ’']\d{3})+$")


def parse_int(value: Any, column: str) -> int | None:
    checked_text(value, column)
    if isinstance(value, str) and THOUSANDS.match(value.strip()):
        value = re.sub(r"[.,\u00a0 ’']", "", value.strip())  # 1.200 or 1,200: a whole number
    number = _read_number(value, column)
    if number is None:
        return None
    if number != number.to_integral_value():
        raise CellError(
            gettext_noop("“{value}” in {column} is not a whole number."), value=value, column=column
        )
    return rule(check_whole_number, int(number), column, low=INTEGER_MIN, high=INTEGER_MAX)


DATE_FORMATS = ["%Y-%m-%d", "%d.%m.%Y", "%d/%m/%Y", "%Y/%m/%d"]


def parse_date(value: Any, column: str) -> datetime.date | None:
    """A day in the years tandem/core/validation.py allows."""
    checked_text(value, column)
    day = _read_date(value, column)
    return None if day is None else rule(check_date, day, column)


def _read_date(value: Any, column: str) -> datetime.date | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = str(value).strip()
    if len(text) > 10 and text[10] in " T":
        text = text[:10]
    if len(text) == 10 and text[4] == text[7] == "-":
        with contextlib.suppress(ValueError):  # not a day: strptime below says why
            return datetime.date.fromisoformat(text)  # YYYY-MM-DD: 10 × faster than strptime
    last_error = None
    for fmt in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, fmt).date()  # noqa: DTZ007 (a date only)
        except ValueError as error:
            last_error = error
            if "does not match format" in str(error):
                continue
            break
    if last_error and "does not match format" not in str(last_error):
        raise CellError(
            gettext_noop("“{value}” in {column} is not a valid date ({detail})."),
            value=text,
            column=column,
            detail=str(last_error),
        )
    raise CellError(
        gettext_noop("“{value}” in {column} is not a date; write it as YYYY-MM-DD or DD.MM.YYYY."),
        value=text,
        column=column,
    )


TRUE_WORDS = {"1", "true", "yes", "y", "ja", "j", "x", "wahr"}
FALSE_WORDS = {"0", "false", "no", "n", "nein", "falsch", ""}


def parse_bool(value: Any, column: str) -> bool | None:
    checked_text(value, column)
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    text = str(value).strip().casefold()
    if text in TRUE_WORDS:
        return True
    if text in FALSE_WORDS:
        return False if text else None
    raise CellError(
        gettext_noop("“{value}” in {column} is not yes or no."), value=value, column=column
    )

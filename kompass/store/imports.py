"""Published results known only from a summary -> the store (issue #4).

Two CSV imports, for what a municipality's web page or a press release
states rather than a full report:

- `import_scores`: columns `kommun` (name or SCB code), `ar`, `manad`
  (optional), `ramverk` (2010/2020), `omrade1` … `omrade8` (optional),
  `total` (optional), `kalla` (free text or URL).
- `import_reference`: columns `etikett`, `ramverk`, `ar`, `antal_kommuner`
  (optional), `omrade1` … `omrade8` (optional), `total` (optional), `kalla`.

`load_published` imports the bundled `data/published/` files the same way,
marking their `report` row with format 'published' (a user's import: 'csv').

Reading: `,`, `;` or tab separated (whichever the header uses most), UTF-8
with or without BOM, UTF-16 with BOM (Excel's "Unicode text"), else
Windows-1252; decimal comma or point. Column names are matched ignoring
case, spaces, underscores and å/ä/ö ("Område 1" = omrade1). Lines are
counted as in a text editor, the header being line 1.

Reading is strict, so that nothing is lost silently: one line is one row (a
quoted field cannot span lines, so an unclosed quote is an error on its own
line instead of swallowing the rest of the file), a quote inside an unquoted
field is an error, and so is a control character in any field (one would
break the Excel export). A file that is read stores exactly its data rows,
less those skipped with a reason, or nothing.

Every error, warning and skipped or replaced row is a `Notice` (kompass.domain.notices):
a code and fields, with an English message for the CLI and `report.warnings`;
`kompass.present.notices` words them in Swedish for the app.

Rules decided here (issue 11):
- A row gives any of the eight areas and the total, at least one value: a
  press release often quotes the total and an area or two. Only the given
  areas get `area_score` rows (pages show the others as missing, never as 0).
- The stored total is the total the row states, as the source states it.
  With all eight areas and no total it is their sum, flagged
  `evaluation.total_computed`; with neither a total nor all eight areas it
  is NULL. A stated total that differs from the eight areas' sum by more
  than 0.5 is kept, with a warning and a `discrepancy` (kind 'import_total',
  stated = the sum, chosen = the total, line = the CSV line).
- A mean likewise gives any areas and the total; `reference_series.total` is
  the stated total, else the sum of all eight areas (with a warning saying
  so), else NULL.
- Unknown columns, out-of-range values, an unknown municipality and
  duplicates within the file are errors. Any error stores nothing:
  `ImportValidationError` carries every error, not only the first.
- Precedence per municipality and year: report > import > stated in a
  later report. An imported row never replaces a report's evaluation (the
  row is skipped and listed in `ImportResult.skipped`); it replaces an
  earlier import or a value stated in a later report. Where the skipped row
  and the report disagree, each differing number is kept as a discrepancy of
  kind 'published' on the report's evaluation (`rows.store_published_discrepancies`);
  a report stored after the import does the same (`rows._store`).
- A reference row replaces an earlier *imported* (or published) series with the
  same label, framework and year; series stated in reports are never touched.
- The same file bytes twice change nothing (status 'unchanged').
- A framework that does not match the year (2010 after 2019, 2020 before
  2020) and a reference total that differs from the sum of its areas are
  warnings, stored with the file (`report.warnings`, `report.notices`), not errors.
"""

from __future__ import annotations

import codecs
import hashlib
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Generic, TypeVar

from kompass.domain.municipalities import resolve_municipality
from kompass.domain.notices import Notice
from kompass.parse.common import MONTHS
from kompass.store import audit, originals
from kompass.store.db import (
    Connection,
    connect,
    insert_rows,
    transaction,
)
from kompass.store.rows import (
    PublishedValue,
    clean_file_name,
    delete_evaluation_rows,
    delete_report_if_unused,
    framework_of_year,
    insert_evaluation,
    replaces,
    store_published_discrepancies,
    warning_columns,
)

PARSER_VERSION = "import-1"
FORMAT = "csv"  # report.format of a user's import
PUBLISHED_FORMAT = "published"  # report.format of the files in data/published (load_published)
IMPORT_FORMATS = (FORMAT, PUBLISHED_FORMAT)
MAX_IMPORT_BYTES = 5_000_000
TOLERANCE = 0.5  # rounding: published areas may not add up to the total exactly
FRAMEWORKS = ("2010", "2020")
FIRST_YEAR = 2002  # the first Kommunkompassen evaluation
TRANSITION_YEARS = (2019, 2020)
AREA_MAX, TOTAL_MAX = 100.0, 800.0
N_MUNICIPALITIES = 290
AREA_COLUMNS = tuple(f"omrade{n}" for n in range(1, 9))
SCORE_COLUMNS = ("kommun", "ar", "manad", "ramverk", *AREA_COLUMNS, "total", "kalla")
SCORE_REQUIRED = ("kommun", "ar", "ramverk", "kalla")
REFERENCE_COLUMNS = ("etikett", "ramverk", "ar", "antal_kommuner", *AREA_COLUMNS, "total", "kalla")
REFERENCE_REQUIRED = ("etikett", "ramverk", "ar", "kalla")
# evaluation.origin as the English messages name it (present.notices has the Swedish).
ORIGIN_TEXT = {
    "report": "the report",
    "import": "the import",
    "stated_in_report": "the figure stated in the report",
}

T = TypeVar("T")


class ImportValidationError(Exception):
    """The file cannot be imported; `errors` holds every problem, one Notice each."""

    def __init__(self, errors: list[Notice]) -> None:
        self.errors = errors
        super().__init__("\n".join(errors))


@dataclass(frozen=True)
class ImportResult:
    """What one import did."""

    file_name: str  # as stored (store.clean_file_name: no control characters)
    status: str  # added | unchanged
    rows_stored: int  # 0 when unchanged
    data_rows: int  # in the file; when added, rows_stored + len(skipped) == data_rows
    skipped: list[tuple[int, Notice]] = field(default_factory=list)  # (line, reason)
    replaced: list[tuple[int, Notice]] = field(default_factory=list)  # (line, what it replaced)
    warnings: list[Notice] = field(default_factory=list)


class _Scores:
    """Areas and total as a row gives them: `areas` holds area 1..8, None where not given
    (an empty tuple: none given)."""

    areas: tuple[float | None, ...]
    stated_total: float | None

    @property
    def given_areas(self) -> list[tuple[int, float]]:
        """(area number, score) of each area the row gives."""
        return [(n, s) for n, s in enumerate(self.areas, start=1) if s is not None]

    @property
    def all_areas(self) -> bool:
        return len(self.given_areas) == len(AREA_COLUMNS)

    @property
    def area_sum(self) -> float | None:
        """The sum of the eight areas; None unless all eight are given."""
        return sum(s for _, s in self.given_areas) if self.all_areas else None

    @property
    def total(self) -> float | None:
        """The stored total: as stated, else the sum of all eight areas, else None."""
        return self.stated_total if self.stated_total is not None else self.area_sum

    @property
    def total_computed(self) -> bool:
        """The total is the sum of the eight areas, not a number the source states."""
        return self.stated_total is None and self.all_areas

    @property
    def has_discrepancy(self) -> bool:
        """A stated total that the eight areas do not add up to (beyond rounding)."""
        total, area_sum = self.stated_total, self.area_sum
        return total is not None and area_sum is not None and abs(total - area_sum) > TOLERANCE


@dataclass(frozen=True)
class ScoreRow(_Scores):
    """One valid row of a scores file."""

    line: int
    code: str
    name: str
    year: int
    month: int | None
    framework: str
    areas: tuple[float | None, ...]  # area 1..8, None where not given
    stated_total: float | None
    source: str

    def published_values(self) -> list[PublishedValue]:
        """The numbers the row states (a computed total is not one), to compare with a report."""
        values = [PublishedValue(n, s, self.line, self.source) for n, s in self.given_areas]
        if self.stated_total is not None:
            values.append(PublishedValue(None, self.stated_total, self.line, self.source))
        return values


@dataclass(frozen=True)
class ReferenceRow(_Scores):
    """One valid row of a reference file."""

    line: int
    label: str
    framework: str
    year: int
    n_municipalities: int | None
    areas: tuple[float | None, ...]  # area 1..8, None where not given
    stated_total: float | None
    source: str


@dataclass(frozen=True)
class ImportFile(Generic[T]):
    """A validated file: its rows and its warnings (for a preview before storing)."""

    rows: list[T]
    warnings: list[Notice]


# --- reading CSV -----------------------------------------------------------------

# One physical line is one record: a quote left open must not swallow the lines after it.
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_QUOTED = re.compile(r' *"((?:[^"]|"")*)" *')
# C0 and C1 control characters, DEL and the Unicode line and paragraph separators:
# none belongs in a name, a number or a source, and XML (.xlsx exports) cannot hold most.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_DELIMITERS = (",", ";", "\t")


def _decode(data: bytes) -> str:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):  # Excel's "Unicode text"
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise _refused(
                "import_utf16_unreadable", "the file starts as UTF-16 but cannot be read"
            ) from None
    if data.count(b"\0") * 4 > len(data):  # every other byte zero: UTF-16 without a BOM
        raise _refused(
            "import_utf16_without_bom",
            "the file looks like UTF-16 without a BOM; save it as CSV UTF-8 or Unicode text",
        )
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise _refused(
        "import_unknown_encoding", "the file is neither UTF-8, UTF-16 nor Windows-1252 (cp1252)"
    )


def _refused(code: str, message: str, **fields: object) -> ImportValidationError:
    """An error about the whole file (no line)."""
    return ImportValidationError([Notice(code, message, **fields)])


def _normalise(name: str) -> str:
    name = name.strip().casefold().translate(str.maketrans("åäö", "aao"))
    return re.sub(r"[\s_]+", "", name)


def _delimiter(lines: list[str]) -> str:
    """`,`, `;` or tab, whichever the header uses most (a tie goes to `,`)."""
    header = next((line for line in lines if line.strip()), "")
    return max(_DELIMITERS, key=header.count)


class MalformedLine(ValueError):
    """A quote `split_line` cannot read: `code` says which rule, the message says it in English."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def split_line(line: str, delimiter: str) -> list[str]:
    """The fields of one CSV line; MalformedLine (a ValueError) for a malformed quote.

    Strict RFC 4180 within a line: a quoted field is closed on the same line
    and followed by the delimiter or the line end; `""` is a quote inside it;
    an unquoted field holds no quote.
    """
    cells: list[str] = []
    at = 0
    while True:
        if line[at:].lstrip(" ").startswith('"'):
            quoted = _QUOTED.match(line, at)
            if quoted is None:
                raise MalformedLine(
                    "import_unclosed_quote",
                    "the quote is not closed on the same line (a field cannot hold line breaks)",
                )
            end = quoted.end()
            if end < len(line) and line[end] != delimiter:
                raise MalformedLine("import_text_after_quote", "text after a closing quote")
            cells.append(quoted.group(1).replace('""', '"'))
        else:
            found = line.find(delimiter, at)
            end = len(line) if found < 0 else found
            if '"' in line[at:end]:
                raise MalformedLine(
                    "import_quote_in_field",
                    'a quote inside a field; put the whole field in quotes and write "" '
                    "for a quote in the text",
                )
            cells.append(line[at:end])
        if end >= len(line):
            return cells
        at = end + 1


def _header(
    line: int, cells: list[str], columns: Sequence[str], required: Sequence[str]
) -> tuple[dict[str, int], list[Notice]]:
    """Column name -> index, and the header's errors (the header is on `line`)."""
    known = {_normalise(c): c for c in columns}
    index: dict[str, int] = {}
    errors: list[Notice] = []
    for i, cell in enumerate(cells):
        name = known.get(_normalise(cell))
        if not cell.strip():
            continue
        if name is None:
            shown, possible = _visible(cell.strip()), ", ".join(columns)
            errors.append(
                Notice(
                    "import_unknown_column",
                    f'line {line}: unknown column "{shown}" (possible: {possible})',
                    line=line,
                    column=shown,
                    known=possible,
                )
            )
        elif name in index:
            errors.append(
                Notice(
                    "import_duplicate_column",
                    f"line {line}: column {name} appears twice",
                    line=line,
                    column=name,
                )
            )
        else:
            index[name] = i
    errors += [
        Notice("import_missing_column", f"line {line}: column {c} is missing", line=line, column=c)
        for c in required
        if c not in index
    ]
    return index, errors


def _records(
    data: bytes, columns: Sequence[str], required: Sequence[str]
) -> list[tuple[int, dict[str, str]]]:
    """(line, column -> cell text) per non-empty data row; raises on any reading error.

    Every non-blank line after the header is one data row, so a valid file
    yields exactly as many records as it has data rows.
    """
    if len(data) > MAX_IMPORT_BYTES:
        limit = MAX_IMPORT_BYTES // 1_000_000
        raise _refused("import_too_large", f"the file is over {limit} MB", limit_mb=limit)
    rows = _split_rows(_decode(data))
    if not rows:
        raise _refused("import_empty", "the file is empty")
    (header_line, header), data_rows = rows[0], rows[1:]
    index, errors = _header(header_line, header, columns, required)
    if errors:
        raise ImportValidationError(errors)
    names = _column_names(header, index)
    records: list[tuple[int, dict[str, str]]] = []
    for line, cells in data_rows:
        if _row_errors(line, cells, names, errors):
            continue
        records.append(
            (line, {c: cells[i].strip() if i < len(cells) else "" for c, i in index.items()})
        )
    if errors:
        raise ImportValidationError(errors)
    if not records:
        raise _refused("import_no_data_rows", "the file has no data rows below the header row")
    return records


def _column_names(header: list[str], index: dict[str, int]) -> list[str]:
    """Each field's column for messages: its known name, else its header text or "#position"."""
    known = {i: name for name, i in index.items()}
    return [known.get(i) or cell.strip() or f"#{i + 1}" for i, cell in enumerate(header)]


def _split_rows(text: str) -> list[tuple[int, list[str]]]:
    """(line number, fields) of each non-blank line; every malformed quote raises at once."""
    lines = _LINE_BREAK.split(text)
    delimiter = _delimiter(lines)
    rows: list[tuple[int, list[str]]] = []
    errors: list[Notice] = []
    for number, line in enumerate(lines, start=1):
        try:
            cells = split_line(line, delimiter)
        except MalformedLine as exc:
            errors.append(Notice(exc.code, f"line {number}: {exc}", line=number))
            continue
        if any(c.strip() for c in cells):
            rows.append((number, cells))
    if errors:
        raise ImportValidationError(errors)
    return rows


def _row_errors(line: int, cells: list[str], names: list[str], errors: list[Notice]) -> bool:
    """Record a data row's field errors (too many fields, control characters); any found?"""
    before = len(errors)
    if any(c.strip() for c in cells[len(names) :]):
        errors.append(
            Notice(
                "import_too_many_fields",
                f"line {line}: more fields ({len(cells)}) than columns ({len(names)}); "
                "is there a decimal comma without quotes in a comma-separated file?",
                line=line,
                n_fields=len(cells),
                n_columns=len(names),
            )
        )
    for name, cell in zip(names, cells, strict=False):
        control = _CONTROL.search(cell.strip(" \t"))
        if control is not None:
            column, char = _visible(name), f"U+{ord(control.group()):04X}"
            errors.append(
                Notice(
                    "import_control_character",
                    f"line {line}, column {column}: forbidden control character {char}; "
                    "remove it from the file",
                    line=line,
                    column=column,
                    char=char,
                )
            )
    return len(errors) > before


def _visible(text: str) -> str:
    """Text with control characters shown as U+FFFD (a message must not carry them)."""
    return _CONTROL.sub("\ufffd", text)


# --- validating cells ------------------------------------------------------------


# What an integer column holds, for its "is not …" error: (code, English words).
_INTEGER_KINDS = {
    "ar": ("import_not_a_year", "a year"),
    "manad": ("import_not_a_month", "a month (1–12 or its Swedish name)"),
}


class _Cells:
    """One record's cells, parsed one column at a time; errors are collected, not raised."""

    def __init__(self, line: int, cells: dict[str, str], errors: list[Notice]) -> None:
        self.line = line
        self.cells = cells
        self.errors = errors

    def error(self, code: str, column: str, message: str, **fields: object) -> None:
        """Record "line 3, column omrade4: …" with its code, line, column and `fields`."""
        self.errors.append(
            Notice(
                code,
                f"line {self.line}, column {column}: {message}",
                line=self.line,
                column=column,
                **fields,
            )
        )

    def text(self, column: str) -> str:
        return self.cells.get(column, "")

    def required(self, column: str) -> str | None:
        value = self.text(column)
        if not value:
            self.error("import_value_missing", column, "value missing")
            return None
        return value

    def number(self, column: str, high: float) -> float | None:
        value = self.text(column)
        if not value:
            return None
        number = parse_number(value)
        if number is None:
            self.error("import_not_a_number", column, f'"{value}" is not a number', value=value)
        elif not 0 <= number <= high:
            self.error(
                "import_number_out_of_range",
                column,
                f"{number:g} is outside 0–{high:g}",
                value=number,
                high=high,
            )
        else:
            return number
        return None

    def integer(self, column: str, low: int, high: int) -> int | None:
        value = self.text(column)
        if not value:
            return None
        if not re.fullmatch(r"\d+", value):
            code, what = _INTEGER_KINDS.get(column, ("import_not_an_integer", "a whole number"))
            self.error(code, column, f'"{value}" is not {what}', value=value)
            return None
        if not low <= int(value) <= high:
            self.error(
                "import_integer_out_of_range",
                column,
                f"{value} is outside {low}–{high}",
                value=int(value),
                low=low,
                high=high,
            )
            return None
        return int(value)

    def year(self) -> int | None:
        if self.required("ar") is None:
            return None
        return self.integer("ar", *year_range())

    def month(self) -> int | None:
        value = self.text("manad").casefold()
        if value in MONTHS:
            return MONTHS[value]
        return self.integer("manad", 1, 12)

    def framework(self) -> str | None:
        value = self.required("ramverk")
        if value is not None and value not in FRAMEWORKS:
            self.error(
                "import_not_a_framework",
                "ramverk",
                f'"{value}" is not a framework (2010 or 2020)',
                value=value,
            )
            return None
        return value

    def areas(self) -> list[float | None]:
        """Area scores 1..8, None where empty or invalid."""
        return [self.number(c, AREA_MAX) for c in AREA_COLUMNS]


def year_range() -> tuple[int, int]:
    """Years an import accepts: the first evaluation (2002) to next year (a planned one)."""
    return FIRST_YEAR, datetime.now(UTC).year + 1


def parse_number(text: str) -> float | None:
    """A number with decimal comma or point ("42,2", "42.2", " 482 "); None if not one."""
    cleaned = re.sub(r"[\s\u00a0]", "", text).replace(",", ".")
    if not re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)", cleaned):
        return None
    value = float(cleaned)
    return value if math.isfinite(value) else None


def _framework_warning(line: int, framework: str, year: int) -> list[Notice]:
    """A warning when the framework does not fit the year.

    2019 and 2020 pass: the revision years, and a later report lines earlier
    results up with its own areas (sala-2023 states Sala 2019 in 2020 areas).
    """
    if framework == framework_of_year(year) or year in TRANSITION_YEARS:
        return []
    return [
        Notice(
            "import_framework_year",
            f"line {line}: framework {framework} but year {year}; the 2020 framework is used "
            "in evaluations from 2020 on – check the framework",
            line=line,
            framework=framework,
            year=year,
        )
    ]


# --- scores files ----------------------------------------------------------------


def read_scores(data: bytes) -> ImportFile[ScoreRow]:
    """Validate a scores CSV without touching the database (the app's preview).

    Raises ImportValidationError with every error found.
    """
    errors: list[Notice] = []
    warnings: list[Notice] = []
    rows: list[ScoreRow] = []
    seen: dict[tuple[str, int], int] = {}
    for line, cells in _records(data, SCORE_COLUMNS, SCORE_REQUIRED):
        row = _score_row(_Cells(line, cells, errors))
        if row is None:
            continue
        first = seen.setdefault((row.code, row.year), line)
        if first != line:
            errors.append(
                Notice(
                    "import_duplicate_evaluation",
                    f"line {line}, column kommun: {row.name} {row.year} already on line {first}",
                    line=line,
                    name=row.name,
                    year=row.year,
                    first=first,
                )
            )
        warnings += _framework_warning(line, row.framework, row.year)
        warnings += _total_warning(row)
        rows.append(row)
    if errors:
        raise ImportValidationError(errors)
    return ImportFile(rows, warnings)


def _no_scores(cells: _Cells) -> None:
    """Refuse a row that gives no area score and no total (an invalid one is its own error)."""
    if not cells.text("total") and not any(cells.text(c) for c in AREA_COLUMNS):
        cells.errors.append(
            Notice(
                "import_no_scores",
                f"line {cells.line}: neither area scores nor a total; give at least one "
                "area score or a total",
                line=cells.line,
            )
        )


def _total_warning(row: ScoreRow) -> list[Notice]:
    """A stated total the eight areas do not add up to: kept, and said (a discrepancy)."""
    if not row.has_discrepancy:
        return []
    total, areas = row.stated_total, row.area_sum
    return [
        Notice(
            "import_total_mismatch",
            f"line {row.line}: total {total:g} but the areas add up to {areas:g}; the stated "
            "total is kept and the difference stored as a discrepancy",
            line=row.line,
            total=total,
            sum=areas,
        )
    ]


def _score_row(cells: _Cells) -> ScoreRow | None:
    n_errors = len(cells.errors)
    kommun = cells.required("kommun")
    municipality = resolve_municipality(kommun) if kommun else None
    if kommun and municipality is None:
        cells.error(
            "import_unknown_municipality",
            "kommun",
            f'"{kommun}" is not a known municipality (give its name or SCB code)',
            value=kommun,
        )
    year, month, framework = cells.year(), cells.month(), cells.framework()
    scores = cells.areas()
    total = cells.number("total", TOTAL_MAX)
    source = cells.required("kalla")
    _no_scores(cells)
    if len(cells.errors) > n_errors:
        return None
    assert municipality and year and framework and source
    return ScoreRow(
        cells.line, municipality.code, municipality.name, year, month, framework,
        tuple(scores), total, source,
    )  # fmt: skip


def import_scores(
    data: bytes, file_name: str, db: Path | None = None, *, fmt: str = FORMAT
) -> ImportResult:
    """Validate a scores CSV, then store all its rows in one transaction (or nothing).

    `fmt` is the report row's format: 'csv', or 'published' for data/published.
    """
    return _import_file(read_scores(data), data, file_name, db, _write_scores, fmt)


@dataclass
class _Written:
    """What writing an import file's rows did: rows skipped and replaced, files superseded."""

    skipped: list[tuple[int, Notice]] = field(default_factory=list)
    replaced: list[tuple[int, Notice]] = field(default_factory=list)
    superseded: set[int] = field(default_factory=set)


def _import_file(
    parsed: ImportFile[T],
    data: bytes,
    file_name: str,
    db: Path | None,
    write: Callable[[Connection, list[T], int], _Written],
    fmt: str,
) -> ImportResult:
    """The same file twice is a no-op; else one report row and `write` in one transaction."""
    if fmt not in IMPORT_FORMATS:
        raise ValueError(f"an import's format is one of {IMPORT_FORMATS}, not {fmt!r}")
    sha256 = hashlib.sha256(data).hexdigest()
    file_name, n_rows = clean_file_name(file_name), len(parsed.rows)
    with connect(db) as con, transaction(con):
        # The file's bytes are kept with it (also when it is stored already: it may have
        # come before schema version 5), and its audit row goes in with the write.
        originals.keep(con, [(sha256, file_name, fmt, data)])
        if _known(con, sha256):
            audit.record(con, [(file_name, sha256, "unchanged")])
            return ImportResult(file_name, "unchanged", 0, n_rows, warnings=parsed.warnings)
        report_id = _insert_report(con, sha256, file_name, parsed.warnings, fmt)
        written = write(con, parsed.rows, report_id)
        for old_report_id in sorted(written.superseded | {report_id}):
            delete_report_if_unused(con, old_report_id)
        audit.record(con, [(file_name, sha256, "added")])
    stored = n_rows - len(written.skipped)
    return ImportResult(
        file_name, "added", stored, n_rows, written.skipped, written.replaced, parsed.warnings
    )


def _write_scores(con: Connection, rows: list[ScoreRow], report_id: int) -> _Written:
    """Each row by the precedence rule: an import never replaces a report's evaluation
    (where they disagree, the row's numbers are kept as discrepancies of the report's)."""
    written = _Written()
    for row in rows:
        existing = _existing_evaluation(con, row.code, row.year)
        if existing is not None:
            evaluation_id, origin, old_report_id, old_file = existing
            what = f"{row.name} {row.year}"
            where = f"{ORIGIN_TEXT.get(origin, origin)} {old_file}"
            facts = {"line": row.line, "name": row.name, "year": row.year}
            facts |= {"origin": origin, "file": old_file}
            if not replaces("import", origin):
                differing = store_published_discrepancies(
                    con, evaluation_id, row.published_values()
                )
                written.skipped.append((row.line, _skipped(what, where, facts, differing)))
                continue
            delete_evaluation_rows(con, evaluation_id)
            written.superseded.add(old_report_id)
            replaced = Notice(
                "import_replaces_evaluation", f"replaces {what} from {where}", **facts
            )
            written.replaced.append((row.line, replaced))
        insert_evaluation(con, row, report_id)
    return written


def _skipped(
    what: str, where: str, facts: dict[str, object], differing: list[PublishedValue]
) -> Notice:
    """Why a row was skipped; and, where it disagrees with the report, in which columns."""
    reason = f"{what} is already stored from {where}; a report goes before an import"
    if not differing:
        return Notice("import_skipped_report_wins", reason, **facts)
    columns = ", ".join("total" if v.area is None else f"omrade{v.area}" for v in differing)
    return Notice(
        "import_skipped_report_differs",
        f"{reason}; the row differs from it in {columns} (kept as discrepancies)",
        columns=columns,
        **facts,
    )


def _known(con: Connection, sha256: str) -> bool:
    return con.execute("SELECT 1 FROM report WHERE sha256 = ?", [sha256]).fetchone() is not None


def _insert_report(
    con: Connection, sha256: str, file_name: str, warnings: list[Notice], fmt: str
) -> int:
    ingested_at = datetime.now(UTC).replace(tzinfo=None)
    row = con.execute(
        "INSERT INTO report (sha256, file_name, format, parser_version, ingested_at, warnings, "
        "notices) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING report_id",
        [sha256, file_name, fmt, PARSER_VERSION, ingested_at, *warning_columns(warnings)],
    ).fetchone()
    assert row is not None
    return int(row[0])


def _existing_evaluation(con: Connection, code: str, year: int) -> tuple[int, str, int, str] | None:
    """(evaluation_id, origin, report_id, file name) of the stored evaluation, if any."""
    row = con.execute(
        "SELECT e.evaluation_id, e.origin, e.report_id, r.file_name FROM evaluation e "
        "JOIN report r USING (report_id) WHERE e.municipality_code = ? AND e.year = ?",
        [code, year],
    ).fetchone()
    return None if row is None else (int(row[0]), str(row[1]), int(row[2]), str(row[3]))


# --- reference files -------------------------------------------------------------


def read_reference(data: bytes) -> ImportFile[ReferenceRow]:
    """Validate a reference-means CSV without touching the database.

    Raises ImportValidationError with every error found. Labels must be
    unique per framework within a file (the store keys series by label,
    framework and file).
    """
    errors: list[Notice] = []
    warnings: list[Notice] = []
    rows: list[ReferenceRow] = []
    seen: dict[tuple[str, str], int] = {}
    for line, cells in _records(data, REFERENCE_COLUMNS, REFERENCE_REQUIRED):
        row = _reference_row(_Cells(line, cells, errors))
        if row is None:
            continue
        first = seen.setdefault((row.label.casefold(), row.framework), line)
        if first != line:
            errors.append(
                Notice(
                    "import_duplicate_label",
                    f'line {line}, column etikett: "{row.label}" with framework {row.framework} '
                    f"already on line {first}; give the series different labels "
                    f'(e.g. "{row.label} {row.year}")',
                    line=line,
                    label=row.label,
                    framework=row.framework,
                    year=row.year,
                    first=first,
                )
            )
        warnings += _framework_warning(line, row.framework, row.year)
        warnings += _reference_total_warning(row)
        rows.append(row)
    if errors:
        raise ImportValidationError(errors)
    return ImportFile(rows, warnings)


def _reference_row(cells: _Cells) -> ReferenceRow | None:
    n_errors = len(cells.errors)
    label = cells.required("etikett")
    framework, year = cells.framework(), cells.year()
    n = cells.integer("antal_kommuner", 1, N_MUNICIPALITIES)
    scores = cells.areas()
    total = cells.number("total", TOTAL_MAX)
    source = cells.required("kalla")
    _no_scores(cells)
    if len(cells.errors) > n_errors:
        return None
    assert label and framework and year and source
    return ReferenceRow(cells.line, label, framework, year, n, tuple(scores), total, source)


def _reference_total_warning(row: ReferenceRow) -> list[Notice]:
    """A total summed from the eight areas, or a stated one they do not add up to."""
    if row.total_computed:
        assert row.area_sum is not None
        return [
            Notice(
                "import_reference_total_computed",
                f"line {row.line}: no total given; the total is the sum of the eight areas, "
                f"{row.area_sum:g}",
                line=row.line,
                sum=row.area_sum,
            )
        ]
    if not row.has_discrepancy:
        return []
    total, areas = row.stated_total, row.area_sum
    return [
        Notice(
            "import_reference_total",
            f"line {row.line}: total {total:g} but the areas add up to {areas:g}; "
            "the stated total is kept",
            line=row.line,
            total=total,
            sum=areas,
        )
    ]


def import_reference(
    data: bytes, file_name: str, db: Path | None = None, *, fmt: str = FORMAT
) -> ImportResult:
    """Validate a reference-means CSV, then store all its series in one transaction.

    `fmt` is the report row's format: 'csv', or 'published' for data/published.
    """
    return _import_file(read_reference(data), data, file_name, db, _write_references, fmt)


def _write_references(con: Connection, rows: list[ReferenceRow], report_id: int) -> _Written:
    """Each series, replacing an imported one with the same label, framework and year."""
    written = _Written()
    for row in rows:
        for reference_id, old_report_id, old_file in _imported_references(con, row):
            _delete_reference(con, reference_id)
            written.superseded.add(old_report_id)
            written.replaced.append(
                (
                    row.line,
                    Notice(
                        "import_replaces_reference",
                        f'replaces "{row.label}" {row.year} from {old_file}',
                        line=row.line,
                        label=row.label,
                        year=row.year,
                        file=old_file,
                    ),
                )
            )
        _insert_reference_row(con, row, report_id)
    return written


def _imported_references(con: Connection, row: ReferenceRow) -> list[tuple[int, int, str]]:
    """Imported or published series (never ones stated in a report) with this label,
    framework and year."""
    found = con.execute(
        "SELECT s.reference_id, s.report_id, r.file_name FROM reference_series s "
        "JOIN report r USING (report_id) "
        "WHERE r.format IN (SELECT unnest(?)) AND lower(s.label) = lower(?) "
        "AND s.framework = ? AND s.year = ?",
        [list(IMPORT_FORMATS), row.label, row.framework, row.year],
    ).fetchall()
    return [(int(a), int(b), str(c)) for a, b, c in found]


def _delete_reference(con: Connection, reference_id: int) -> None:
    con.execute("DELETE FROM reference_score WHERE reference_id = ?", [reference_id])
    con.execute("DELETE FROM reference_series WHERE reference_id = ?", [reference_id])


def _insert_reference_row(con: Connection, row: ReferenceRow, report_id: int) -> None:
    result = con.execute(
        "INSERT INTO reference_series (label, framework, year, n_municipalities, total, "
        "report_id, source_note, line) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING reference_id",
        [
            row.label,
            row.framework,
            row.year,
            row.n_municipalities,
            row.total,
            report_id,
            row.source,
            row.line,
        ],
    ).fetchone()
    assert result is not None
    insert_rows(
        con,
        "reference_score",
        ("reference_id", "area", "score"),
        [(int(result[0]), n, score) for n, score in row.given_areas],
    )


# The bundled published results (data/published): file name -> (validator, importer).
PUBLISHED_FILES: dict[str, tuple[Callable[[bytes], object], Callable[..., ImportResult]]] = {
    "results.csv": (read_scores, import_scores),
    "means.csv": (read_reference, import_reference),
}


def load_published(folder: Path, db: Path | None = None) -> list[ImportResult]:
    """Import the published results and means in `folder` (a file already stored is a no-op),
    their report rows marked with format 'published'.

    Both files are validated before either is stored: an error in one
    (ImportValidationError) stores nothing of either. Reports win over these rows
    (the precedence rule): a published result for an evaluation whose report is
    stored changes none of its numbers, and where the two disagree the difference
    is kept as a discrepancy of kind 'published'.
    """
    found = {
        name: (folder / name).read_bytes() for name in PUBLISHED_FILES if (folder / name).is_file()
    }
    for name, data in found.items():
        PUBLISHED_FILES[name][0](data)
    return [
        PUBLISHED_FILES[name][1](data, f"published/{name}", db, fmt=PUBLISHED_FORMAT)
        for name, data in found.items()
    ]

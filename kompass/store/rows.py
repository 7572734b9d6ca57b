"""Parsed reports -> rows: one report in one transaction, and the precedence rules.

A report outranks an import, which outranks a value stated in a later report.
The same bytes twice change nothing; a changed report for the same
municipality and year replaces the old evaluation, and the old file's hash is
kept as superseded so that it never comes back by itself.

Where a report and an imported (or published) result for the same municipality
and year disagree, the report wins and each differing number is kept as a
`discrepancy` of kind 'published' on the report's evaluation, whichever came
first (`published_values`, `store_published_discrepancies`).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol

from kompass.domain.notices import records_json
from kompass.parse import PARSER_VERSION, Evaluation, ScoreSeries
from kompass.parse.budget import parse_bytes_within, parse_file_within
from kompass.parse.model import FINDING_KINDS
from kompass.store import audit, originals
from kompass.store.db import (
    FIRST_2020_YEAR,
    Connection,
    connect,
    insert_rows,
    transaction,
)


@dataclass(frozen=True)
class IngestResult:
    """What `ingest` did with one file (values from the parsed report)."""

    file_name: str
    status: str  # added | unchanged | replaced
    municipality: str
    municipality_code: str
    year: int
    total: float
    n_discrepancies: int
    n_warnings: int
    evaluation_id: int | None
    # "replaced": the file whose evaluation this one replaced; "superseded": the newer
    # file that replaced this one (so this file's values are not stored).
    other_file: str | None = None


# --- ingest ----------------------------------------------------------------------


def read_report(path: Path) -> tuple[bytes, Evaluation, str]:
    """Read and parse one report file within the parse budget: (bytes, evaluation, format).

    Unreadable files raise ParseError, and a parse over budget BudgetExceeded:
    either way the database is not touched.
    """
    return parse_file_within(path)


def ingest(path: Path, db: Path | None = None) -> IngestResult:
    """Parse one report file (within the parse budget) and store it (one transaction).

    ParseError or BudgetExceeded propagates before the database is touched.
    """
    data, evaluation, fmt = read_report(Path(path))
    return store_evaluation(evaluation, data, Path(path).name, fmt, db)


def ingest_bytes(data: bytes, name: str, db: Path | None = None) -> IngestResult:
    """Parse uploaded report bytes (within the parse budget) and store them."""
    evaluation, fmt = parse_bytes_within(data, name)
    return store_evaluation(evaluation, data, name, fmt, db)


def store_evaluation(
    evaluation: Evaluation, data: bytes, file_name: str, fmt: str, db: Path | None = None
) -> IngestResult:
    """Store an already parsed report; `data` are the file's bytes (for its sha256)."""
    sha256 = hashlib.sha256(data).hexdigest()
    name = clean_file_name(file_name)
    with connect(db) as con, transaction(con):
        result = _store(con, evaluation, sha256, name, fmt, data)
        audit.record(con, [(name, sha256, result.status)])
        return result


# C0/C1 controls and DEL, bidi overrides, and lone surrogates (file name bytes that are
# not UTF-8): a stored name is shown on pages and written to Excel, where they break.
_SURROGATE = re.compile(r"[\ud800-\udfff]")
# Control (C0, DEL, C1), format (bidi overrides such as U+202E, zero-width marks) and
# line/paragraph separators: invisible, or they reorder what is shown.
HIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp"})


def clean_file_name(name: str, fallback: str = "namnlös-fil") -> str:
    """The file name as stored and shown: no hidden characters; undecodable bytes as U+FFFD."""
    name = _SURROGATE.sub("\ufffd", name)
    cleaned = "".join(c for c in name if unicodedata.category(c) not in HIDDEN_CATEGORIES)
    return cleaned.strip() or fallback


def _store(
    con: Connection,
    evaluation: Evaluation,
    sha256: str,
    file_name: str,
    fmt: str,
    data: bytes | None = None,
) -> IngestResult:
    """Store one parsed report by the rules, inside the caller's transaction.

    `data`, the file's bytes, are kept (`originals.keep`) unless a newer file superseded
    this one; kept also when the report is stored already (it may predate schema 5).
    """
    if data is not None and not _is_superseded(con, sha256):
        originals.keep(con, [(sha256, file_name, fmt, data)])
    known = con.execute("SELECT report_id FROM report WHERE sha256 = ?", [sha256]).fetchone()
    if known is not None:
        row = con.execute(
            "SELECT evaluation_id FROM evaluation WHERE report_id = ? AND origin = 'report'",
            [known[0]],
        ).fetchone()
        return _result(evaluation, file_name, "unchanged", row[0] if row else None)
    newer = con.execute("SELECT replaced_by FROM superseded WHERE sha256 = ?", [sha256]).fetchone()
    if newer is not None:
        return _result(evaluation, file_name, "superseded", None, other_file=str(newer[0]))
    # Compared before the old evaluation goes: the import's numbers (or those recorded
    # against a report this one replaces) outlive it as discrepancies of this report.
    published = _published_before(con, evaluation.municipality_code, evaluation.year)
    replaced, old_file = _remove_evaluation(
        con, evaluation.municipality_code, evaluation.year, (sha256, file_name)
    )
    report_id = _insert_report(con, evaluation, sha256, file_name, fmt)
    evaluation_id = insert_evaluation(con, evaluation, report_id)
    store_published_discrepancies(con, evaluation_id, published)
    for series in evaluation.previous_evaluations:
        _store_stated(con, evaluation, series, report_id, file_name)
    for series in evaluation.references:
        _store_reference(con, evaluation, series, report_id, file_name)
    status = "replaced" if replaced in ("report", "import") else "added"
    return _result(evaluation, file_name, status, evaluation_id, other_file=old_file)


def _is_superseded(con: Connection, sha256: str) -> bool:
    found = con.execute("SELECT 1 FROM superseded WHERE sha256 = ?", [sha256]).fetchone()
    return found is not None


def _result(
    evaluation: Evaluation,
    file_name: str,
    status: str,
    evaluation_id: int | None,
    other_file: str | None = None,
) -> IngestResult:
    return IngestResult(
        file_name=file_name,
        status=status,
        municipality=evaluation.municipality,
        municipality_code=evaluation.municipality_code,
        year=evaluation.year,
        total=evaluation.total,
        n_discrepancies=len(evaluation.discrepancies),
        n_warnings=len(evaluation.warnings),
        evaluation_id=evaluation_id,
        other_file=other_file,
    )


def warning_columns(warnings: Sequence[str]) -> tuple[list[str], str]:
    """`report.warnings` (the English messages) and `report.notices` (their codes and fields,
    JSON aligned with them; `null` for a warning without a code)."""
    return [str(w) for w in warnings], records_json(warnings)


def _insert_report(
    con: Connection, evaluation: Evaluation, sha256: str, file_name: str, fmt: str
) -> int:
    ingested_at = datetime.now(UTC).replace(tzinfo=None)
    row = con.execute(
        "INSERT INTO report (sha256, file_name, format, parser_version, ingested_at, warnings, "
        "notices) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING report_id",
        [
            sha256,
            file_name,
            fmt,
            PARSER_VERSION,
            ingested_at,
            *warning_columns(evaluation.warnings),
        ],
    ).fetchone()
    assert row is not None
    return int(row[0])


# --- the one row builder and writer ----------------------------------------------
# Every evaluation stored (a report's own, one stated in a report, an imported row)
# becomes rows through `evaluation_rows`, and goes in through `insert_evaluation`
# (one) or `insert_table_rows` (many at once, kompass.store.bulk).


@dataclass(frozen=True)
class Stated:
    """A previous evaluation stated in a report's summary table ("Sala 2019")."""

    evaluation: Evaluation  # the report that states it
    series: ScoreSeries
    file_name: str


class ImportedScores(Protocol):
    """An imported scores row (kompass.store.imports.ScoreRow): any of the eight areas
    (None where not given) and a total as stated, or computed from all eight areas."""

    @property
    def line(self) -> int: ...
    @property
    def code(self) -> str: ...
    @property
    def year(self) -> int: ...
    @property
    def month(self) -> int | None: ...
    @property
    def framework(self) -> str: ...
    @property
    def areas(self) -> tuple[float | None, ...]: ...
    @property
    def stated_total(self) -> float | None: ...
    @property
    def source(self) -> str: ...
    @property
    def total(self) -> float | None: ...
    @property
    def total_computed(self) -> bool: ...
    @property
    def has_discrepancy(self) -> bool: ...


ToStore = Evaluation | Stated | ImportedScores
TableRows = dict[str, list[tuple[object, ...]]]

TABLE_COLUMNS: dict[str, tuple[str, ...]] = {
    "evaluation": (
        "evaluation_id", "municipality_code", "year", "month", "framework", "origin",
        "report_id", "evaluation_number", "interviewees", "evaluators", "total",
        "total_line", "source_note", "total_computed",
    ),
    "area_score": ("evaluation_id", "area", "score", "line", "stated_score", "stated_line"),
    "subarea_score": ("evaluation_id", "area", "code", "name", "score", "max", "line"),
    "finding": ("evaluation_id", "area", "kind", "ordinal", "text"),
    "discrepancy": ("evaluation_id", "area", "kind", "stated", "chosen", "line", "note"),
}  # fmt: skip


def empty_rows() -> TableRows:
    """No rows yet, for every table an evaluation writes to."""
    return {table: [] for table in TABLE_COLUMNS}


def origin_of(item: ToStore) -> str:
    if isinstance(item, Evaluation):
        return "report"
    return "stated_in_report" if isinstance(item, Stated) else "import"


def evaluation_rows(
    item: ToStore, evaluation_id: int, report_id: int, into: TableRows | None = None
) -> TableRows:
    """The rows (per table, columns as in TABLE_COLUMNS) that store `item`.

    Appends to `into` when given (many evaluations inserted at once), else to new lists.
    """
    rows = empty_rows() if into is None else into
    if isinstance(item, Evaluation):
        _report_rows(rows, item, evaluation_id, report_id)
    elif isinstance(item, Stated):
        _stated_rows(rows, item, evaluation_id, report_id)
    else:
        _imported_rows(rows, item, evaluation_id, report_id)
    return rows


def _report_rows(rows: TableRows, ev: Evaluation, eid: int, report_id: int) -> None:
    """The report's own evaluation with its areas, sub-areas, findings and discrepancies."""
    rows["evaluation"].append(
        (eid, ev.municipality_code, ev.year, ev.month, ev.framework, "report", report_id,
         ev.evaluation_number, ev.interviewees, list(ev.evaluators), ev.total, None, None,
         False)
    )  # fmt: skip
    for a in ev.areas:
        rows["area_score"].append((eid, a.number, a.score, a.line, a.stated_score, a.stated_line))
        rows["subarea_score"] += [
            (eid, a.number, s.code, s.name, s.score, s.max, s.line) for s in a.subareas
        ]
        rows["finding"] += [
            (eid, a.number, kind, ordinal, text)
            for kind in FINDING_KINDS
            for ordinal, text in enumerate(getattr(a, kind), start=1)
        ]
    rows["discrepancy"] += [
        (eid, d.area, d.kind, d.stated, d.chosen, d.line, d.note or None) for d in ev.discrepancies
    ]


def _stated_rows(rows: TableRows, stated: Stated, eid: int, report_id: int) -> None:
    """A stated evaluation keeps the stating report's framework: SKR's summary tables
    line earlier results up with the report's areas. The series carries one line (its
    header row): every score points there."""
    ev, series = stated.evaluation, stated.series
    scores = [(n, s) for n, s in enumerate(series.scores, start=1) if s is not None]
    total = series.total
    if total is None and len(scores) == 8:
        total = sum(s for _, s in scores)
    rows["evaluation"].append(
        (eid, ev.municipality_code, series.year, None, ev.framework, "stated_in_report",
         report_id, None, None, [], total, series.line if series.total is not None else None,
         stated_note(stated.file_name, series, ev.framework), False)
    )  # fmt: skip
    rows["area_score"] += [(eid, n, s, series.line, None, None) for n, s in scores]


def _imported_rows(rows: TableRows, row: ImportedScores, eid: int, report_id: int) -> None:
    """Only the areas the row gives; the total as stated (else summed, flagged computed).
    A stated total that the eight areas do not add up to is kept, with the sum beside it."""
    rows["evaluation"].append(
        (eid, row.code, row.year, row.month, row.framework, "import", report_id, None, None,
         [], row.total, row.line if row.stated_total is not None else None, row.source,
         row.total_computed)
    )  # fmt: skip
    given = [(n, score) for n, score in enumerate(row.areas, start=1) if score is not None]
    rows["area_score"] += [(eid, n, score, row.line, None, None) for n, score in given]
    if row.has_discrepancy:
        assert row.stated_total is not None
        rows["discrepancy"].append(
            (eid, None, "import_total", sum(score for _, score in given), row.stated_total,
             row.line, "the sum of the eight areas vs the stated total; the total is kept")
        )  # fmt: skip


def insert_table_rows(con: Connection, rows: TableRows) -> None:
    """Insert built rows: one statement per table (evaluation first)."""
    for table, columns in TABLE_COLUMNS.items():
        insert_rows(con, table, columns, rows[table])


_INSERT_ONE_EVALUATION = (
    f"INSERT INTO evaluation ({', '.join(TABLE_COLUMNS['evaluation'][1:])}) "
    f"VALUES ({', '.join('?' for _ in TABLE_COLUMNS['evaluation'][1:])}) "
    "RETURNING evaluation_id"
)


def insert_evaluation(con: Connection, item: ToStore, report_id: int) -> int:
    """Store one evaluation (its id from the sequence); returns its evaluation_id."""
    rows = evaluation_rows(item, 0, report_id)
    (evaluation,) = rows.pop("evaluation")
    row = con.execute(_INSERT_ONE_EVALUATION, list(evaluation[1:])).fetchone()
    assert row is not None
    evaluation_id = int(row[0])
    for table, table_rows in rows.items():
        insert_rows(con, table, TABLE_COLUMNS[table], [(evaluation_id, *r[1:]) for r in table_rows])
    return evaluation_id


# --- precedence --------------------------------------------------------------------

_RANK = {"stated_in_report": 0, "import": 1, "report": 2}


def replaces(
    new: str, old: str, new_stated_by: int | None = None, old_stated_by: int | None = None
) -> bool:
    """Whether a new evaluation of origin `new` replaces a stored one of origin `old`
    for the same municipality and year: report > import > stated in a report.

    A report replaces any (a changed report for the same year replaces the old one),
    an import replaces an import. A stated value replaces one stated in a report
    that is not more recent: `*_stated_by` are the stating reports' years.
    """
    if _RANK[new] != _RANK[old]:
        return _RANK[new] > _RANK[old]
    if new == "stated_in_report":
        return new_stated_by is None or old_stated_by is None or old_stated_by <= new_stated_by
    return True


# --- a report against an imported result -------------------------------------------

# Published scores are often rounded to whole points: a difference within this is none.
PUBLISHED_TOLERANCE = 0.5


@dataclass(frozen=True)
class PublishedValue:
    """One number an import or a published file gives for an evaluation a report covers."""

    area: int | None  # None: the total
    value: float
    line: int | None  # the line in the import file
    source: str | None  # the row's kalla


def published_values(con: Connection, evaluation_id: int) -> list[PublishedValue]:
    """The numbers a stored evaluation holds from an import, to compare with a report.

    An imported evaluation: the areas it gives and its stated total (a total summed
    from the areas is not the source's word). A report's evaluation: the values
    recorded against it earlier (discrepancies of kind 'published'), so that a
    changed report replacing it is compared with them too. Else none.
    """
    found = con.execute(
        "SELECT origin, total, total_line, total_computed, source_note FROM evaluation "
        "WHERE evaluation_id = ?",
        [evaluation_id],
    ).fetchone()
    if found is None:
        return []
    origin, total, total_line, computed, source = found
    if origin == "report":
        recorded = con.execute(
            "SELECT area, stated, line, note FROM discrepancy "
            "WHERE evaluation_id = ? AND kind = 'published' ORDER BY area NULLS LAST",
            [evaluation_id],
        ).fetchall()
        return [PublishedValue(a, float(v), line, note) for a, v, line, note in recorded]
    if origin != "import":
        return []
    areas = con.execute(
        "SELECT area, score, line FROM area_score WHERE evaluation_id = ? ORDER BY area",
        [evaluation_id],
    ).fetchall()
    values = [PublishedValue(int(a), float(v), line, source) for a, v, line in areas]
    if total is not None and not computed:
        values.append(PublishedValue(None, float(total), total_line, source))
    return values


def store_published_discrepancies(
    con: Connection, evaluation_id: int, values: Sequence[PublishedValue]
) -> list[PublishedValue]:
    """Keep each of `values` that the report's stored evaluation contradicts as a
    discrepancy of kind 'published' (stated = the value, chosen = the report's, note =
    its source); returns those. Where the report has no such number there is nothing
    to compare. Rows recorded earlier from the same sources are replaced, so the same
    source compared twice leaves one row per number.
    """
    if not values:
        return []
    own: dict[int | None, float] = {
        int(area): float(score)
        for area, score in con.execute(
            "SELECT area, score FROM area_score WHERE evaluation_id = ?", [evaluation_id]
        ).fetchall()
    }
    total = con.execute(
        "SELECT total FROM evaluation WHERE evaluation_id = ?", [evaluation_id]
    ).fetchone()
    if total is not None and total[0] is not None:
        own[None] = float(total[0])
    for source in sorted({v.source for v in values}, key=str):
        con.execute(
            "DELETE FROM discrepancy WHERE evaluation_id = ? AND kind = 'published' "
            "AND note IS NOT DISTINCT FROM ?",
            [evaluation_id, source],
        )
    differing = [
        v for v in values if v.area in own and abs(own[v.area] - v.value) > PUBLISHED_TOLERANCE
    ]
    insert_rows(
        con,
        "discrepancy",
        TABLE_COLUMNS["discrepancy"],
        [(evaluation_id, v.area, "published", v.value, own[v.area], v.line, v.source)
         for v in differing],
    )  # fmt: skip
    return differing


def _published_before(con: Connection, municipality_code: str, year: int) -> list[PublishedValue]:
    row = con.execute(
        "SELECT evaluation_id FROM evaluation WHERE municipality_code = ? AND year = ?",
        [municipality_code, year],
    ).fetchone()
    return [] if row is None else published_values(con, int(row[0]))


def _framework_of_year(year: int) -> str:
    return "2020" if year >= FIRST_2020_YEAR else "2010"


def _store_stated(
    con: Connection, evaluation: Evaluation, series: ScoreSeries, report_id: int, file_name: str
) -> None:
    """A previous evaluation stated in this report's summary table ("Sala 2019").

    It never overwrites a report or import; it replaces a value stated in an
    older report (`replaces`).
    """
    if series.year is None:
        return
    existing = con.execute(
        "SELECT e.evaluation_id, e.origin, source.year FROM evaluation e "
        "LEFT JOIN evaluation source ON source.report_id = e.report_id "
        "AND source.origin = 'report' "
        "WHERE e.municipality_code = ? AND e.year = ?",
        [evaluation.municipality_code, series.year],
    ).fetchone()
    if existing is not None:
        evaluation_id, origin, source_year = existing
        if not replaces("stated_in_report", origin, evaluation.year, source_year):
            return
        _delete_evaluation_rows(con, evaluation_id)
    insert_evaluation(con, Stated(evaluation, series, file_name), report_id)


def stated_note(file_name: str, series: ScoreSeries, framework: str) -> str:
    """Where a stated previous evaluation comes from (kept as source_note)."""
    note = f"stated in {file_name} (summary table, line {series.line})"
    if series.year is not None and _framework_of_year(series.year) != framework:
        note += "; the framework was revised between the two evaluations"
    return note


def _store_reference(
    con: Connection, evaluation: Evaluation, series: ScoreSeries, report_id: int, file_name: str
) -> None:
    """A reference mean stated in this report ("Medel 2020-")."""
    row = con.execute(
        "INSERT INTO reference_series (label, framework, year, total, report_id, source_note, "
        "line) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING reference_id",
        [
            series.label,
            evaluation.framework,
            series.year,
            series.total,
            report_id,
            f"stated in {file_name}",
            series.line,
        ],
    ).fetchone()
    assert row is not None
    insert_rows(
        con,
        "reference_score",
        ("reference_id", "area", "score"),
        [(int(row[0]), n, s) for n, s in enumerate(series.scores, start=1) if s is not None],
    )


def _remove_evaluation(
    con: Connection,
    municipality_code: str,
    year: int,
    replacement: tuple[str, str] | None = None,
) -> tuple[str | None, str | None]:
    """Delete the stored evaluation of this municipality and year: (its origin, its file).

    When it came from a report, that report file is superseded: its stated
    evaluations and reference series go too, and so does its report row; its
    hash is kept in `superseded` with the `replacement` (sha256, file name).
    """
    row = con.execute(
        "SELECT e.evaluation_id, e.origin, e.report_id, r.sha256, r.file_name "
        "FROM evaluation e JOIN report r USING (report_id) "
        "WHERE e.municipality_code = ? AND e.year = ?",
        [municipality_code, year],
    ).fetchone()
    if row is None:
        return None, None
    evaluation_id, origin, report_id, old_sha, old_file = row
    _delete_evaluation_rows(con, evaluation_id)
    if origin == "report":
        stated = con.execute(
            "SELECT evaluation_id FROM evaluation WHERE report_id = ? AND origin = ?",
            [report_id, "stated_in_report"],
        ).fetchall()
        for (stated_id,) in stated:
            _delete_evaluation_rows(con, stated_id)
        con.execute(
            "DELETE FROM reference_score WHERE reference_id IN "
            "(SELECT reference_id FROM reference_series WHERE report_id = ?)",
            [report_id],
        )
        con.execute("DELETE FROM reference_series WHERE report_id = ?", [report_id])
        if replacement is not None:
            _mark_superseded(con, (old_sha, old_file, municipality_code, year), replacement)
    _delete_report_if_unused(con, report_id)
    return str(origin), str(old_file) if origin in ("report", "import") else None


def _mark_superseded(
    con: Connection, old: tuple[str, str, str, int], replacement: tuple[str, str]
) -> None:
    con.execute(
        "INSERT OR REPLACE INTO superseded (sha256, file_name, municipality_code, year, "
        "replaced_by, replaced_by_sha256, superseded_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        [*old, replacement[1], replacement[0], datetime.now(UTC).replace(tzinfo=None)],
    )


_DELETE_EVALUATION = (
    "DELETE FROM area_score WHERE evaluation_id = ?",
    "DELETE FROM subarea_score WHERE evaluation_id = ?",
    "DELETE FROM finding WHERE evaluation_id = ?",
    "DELETE FROM discrepancy WHERE evaluation_id = ?",
    "DELETE FROM evaluation WHERE evaluation_id = ?",
)


def _delete_evaluation_rows(con: Connection, evaluation_id: int) -> None:
    for sql in _DELETE_EVALUATION:
        con.execute(sql, [evaluation_id])


def _delete_report_if_unused(con: Connection, report_id: int) -> None:
    con.execute(
        "DELETE FROM report WHERE report_id = ? "
        "AND NOT EXISTS (SELECT 1 FROM evaluation WHERE report_id = ?) "
        "AND NOT EXISTS (SELECT 1 FROM reference_series WHERE report_id = ?)",
        [report_id, report_id, report_id],
    )


# Public names for kompass.store.imports and .bulk, which write rows by the same rules.
delete_evaluation_rows = _delete_evaluation_rows
delete_report_if_unused = _delete_report_if_unused
remove_evaluation = _remove_evaluation
framework_of_year = _framework_of_year


store_parsed_one = _store
make_result = _result

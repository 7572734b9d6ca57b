"""Parsed reports -> the DuckDB store (tables documented in `kompass/schema.sql`).

Reference tables come from `data/` (municipalities.csv with centroids from
municipalities.geojson, neighbours.csv, frameworks.csv); everything else
comes from `kompass.parse` output of ingested report files. Ingesting one
file is one transaction: the same bytes twice change nothing, and a changed
report for the same municipality and year replaces the old evaluation.

Connections are short-lived on purpose (DuckDB locks the file per process):
open with `connect()`, work, and let the context manager close it.
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import json
import os
import re
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from kompass.config import db_path, reference_file
from kompass.domain.frameworks import area_names
from kompass.domain.municipalities import municipalities
from kompass.errors import (
    StoreCorruptError,
    StoreError,
    StoreFullError,
    StoreLockedError,
    StoreReadOnlyError,
)
from kompass.parse import PARSER_VERSION, Evaluation, ParseError, ScoreSeries
from kompass.parse.budget import parse_bytes_within, parse_file_within
from kompass.parse.model import FINDING_KINDS

SCHEMA_FILE = Path(__file__).with_name("schema.sql")
TABLES: tuple[str, ...] = tuple(
    re.findall(r"CREATE TABLE IF NOT EXISTS (\w+)", SCHEMA_FILE.read_text(encoding="utf-8"))
)
REPORT_SUFFIXES = (".txt", ".md", ".pdf")
# 2: the superseded and meta tables (issue 8). A store without them gets them on open.
SCHEMA_VERSION = 2
BATCH_SECONDS = 0.3  # a batch ingest gives up the write lock after this long
# How long an open waits for a lock held elsewhere: the app would rather wait two
# seconds during a concurrent ingest than tell the user to come back later.
LOCK_WAIT_SECONDS = 2.0
LOCK_POLL_SECONDS = 0.05  # how often a waiting open retries
MAX_BACKOFF_SECONDS = 0.4  # a waiting writer's longest pause between tries
# A writer's marker older than this is stale (its writer refreshes it on every open).
INTENT_FRESH_SECONDS = 30.0
# A batch or CLI write waits this long for readers to let it in before giving up.
WRITER_WAIT_SECONDS = 120.0
# A batch pauses this long after giving up the lock: several polls, so a waiting
# reader gets in before the batch takes the lock again even on a busy machine
# (parsing goes on in worker processes meanwhile, so little time is lost).
READER_TURN_SECONDS = 5 * LOCK_POLL_SECONDS
# The 2020 framework replaced the 2010 one from the 2020 evaluations on.
FIRST_2020_YEAR = 2020

Connection = duckdb.DuckDBPyConnection
Progress = Callable[[int, int, Path], None]


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


# --- connections -----------------------------------------------------------------


@contextmanager
def connect(
    path: Path | None = None, read_only: bool = False, wait: float = LOCK_WAIT_SECONDS
) -> Iterator[Connection]:
    """Open the store (default `config.db_path()`), yield the connection, always close it.

    A read-write connection always sees an initialised store (schema and
    reference tables). A read-only open of a missing file initialises it
    first. A lock held elsewhere is retried for `wait` seconds, then raises
    `StoreLockedError`; other failures raise the StoreError subclass that
    names the cause (corrupt file, read-only, disk full). Read-write
    connections in one process take turns: DuckDB shares one database per
    file within a process, so two write transactions at once would conflict.
    A writer announces itself (`WriterIntent`) so that readers let it in.
    """
    path = Path(path) if path is not None else db_path()
    if read_only and not path.exists():
        init_store(path)
    if not read_only and not _WRITER.acquire(timeout=wait):
        raise StoreLockedError(
            f"the database {path} is being written; try again in a moment", path=str(path)
        )
    try:
        con = _open_as_writer(path, wait) if not read_only else _open(path, True, wait)
        try:
            if not read_only:
                _initialise(con)
            yield con
        finally:
            con.close()
    finally:
        if not read_only:
            _WRITER.release()


_WRITER = threading.RLock()  # held by this process's one read-write connection

# Every connection: never fetch or load an extension. Pointed at a file of another
# format (SQLite, Parquet), DuckDB would otherwise try to download a scanner.
_CONFIG: dict[str, str | bool | int | float | list[str]] = {
    "autoinstall_known_extensions": False,
    "autoload_known_extensions": False,
}


def _open_as_writer(path: Path, wait: float) -> Connection:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise classify(exc, path) from exc
    with WriterIntent(path):
        return _open(path, False, wait)


def _open(path: Path, read_only: bool, wait: float) -> Connection:
    """duckdb.connect, retried with backoff while another process holds the lock."""
    deadline = time.monotonic() + wait
    pause = LOCK_POLL_SECONDS
    while True:
        if read_only:
            WriterIntent.let_writer_in(path, deadline)
        try:
            return duckdb.connect(str(path), read_only=read_only, config=_CONFIG)
        except duckdb.Error as exc:
            if not _is_lock_error(exc):
                raise classify(exc, path) from exc
            if time.monotonic() >= deadline:
                raise StoreLockedError(
                    f"the database {path} is in use by another process; try again in a moment",
                    path=str(path),
                ) from exc
        # Readers poll quickly (their reads are short); a waiting writer backs off up to
        # MAX_BACKOFF_SECONDS, so many waiting processes do not hammer the lock.
        time.sleep(min(pause, max(0.0, deadline - time.monotonic())))
        if not read_only:
            pause = min(pause * 2, MAX_BACKOFF_SECONDS)


def _is_lock_error(exc: duckdb.Error) -> bool:
    message = str(exc)
    # Another process holds the file lock, or this process holds a connection
    # opened with the other read_only setting.
    return "Could not set lock" in message or "different configuration" in message


_CAUSES: tuple[tuple[type[StoreError], tuple[str, ...], str], ...] = (
    (StoreFullError, ("No space left", "Disk quota"), "the disk is full"),
    (
        StoreReadOnlyError,
        ("Read-only file system", "Permission denied", "read-only", "Operation not permitted"),
        "it cannot be written (read-only file or folder)",
    ),
    (
        StoreCorruptError,
        (
            "not a valid DuckDB database",
            "Corrupt",
            "corrupt",
            "checksum",
            "Could not read enough bytes",
            "Extension",
        ),
        "it is not a DuckDB database or it is damaged",
    ),
)


def classify(exc: BaseException, path: Path | None) -> StoreError:
    """The StoreError subclass for an open or write failure, named by its cause."""
    if isinstance(exc, StoreError):
        return exc
    text = str(exc) if not isinstance(exc, OSError) else f"{exc.strerror} {exc}"
    where = f"the database {path}" if path is not None else "the database"
    fields = {"path": str(path)} if path is not None else {}
    for cls, needles, cause in _CAUSES:
        if any(n in text for n in needles):
            return cls(f"cannot use {where}: {cause}", **fields)
    reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return StoreError(f"cannot use {where}: {reason}", reason=reason, **fields)


class WriterIntent:
    """A marker file (`<db>.writer`) that says a writer waits for or holds the lock.

    DuckDB's file lock has no queue: while the app's sessions keep overlapping
    read-only connections open, a writer in another process never finds the
    file free. Readers therefore wait (within their own budget) while the
    marker is fresh and its process alive, so the writer gets a gap.
    """

    def __init__(self, db: Path) -> None:
        self.marker = marker_path(db)
        self.created = False

    def __enter__(self) -> WriterIntent:
        try:
            self.marker.write_text(str(os.getpid()), encoding="ascii")
            self.created = True
        except OSError:
            # A folder we cannot write, or a full disk: the open fails anyway and says
            # why; an empty marker must not stay behind.
            with contextlib.suppress(OSError):
                self.marker.unlink()
        return self

    def __exit__(self, *exc: object) -> None:
        if self.created:
            with contextlib.suppress(OSError):
                self.marker.unlink()

    @staticmethod
    def waiting(db: Path) -> bool:
        """A live writer (another process) is announced and its marker is fresh."""
        marker = marker_path(db)
        try:
            pid = int(marker.read_text(encoding="ascii") or 0)
            age = time.time() - marker.stat().st_mtime
        except (OSError, ValueError):
            return False
        if pid == os.getpid() or age > INTENT_FRESH_SECONDS:
            return False
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False  # left behind by a writer killed with -9
        except PermissionError:
            return True
        return True

    @classmethod
    def let_writer_in(cls, db: Path, deadline: float) -> None:
        """Wait while a writer is announced, leaving the reader a quarter of its budget."""
        stop = deadline - max(0.0, deadline - time.monotonic()) / 4
        while time.monotonic() < stop and cls.waiting(db):
            time.sleep(LOCK_POLL_SECONDS)


def marker_path(db: Path) -> Path:
    return db.with_name(db.name + ".writer")


def init_store(path: Path | None = None) -> Path:
    """Create the schema and load the reference tables if they are empty (idempotent)."""
    path = Path(path) if path is not None else db_path()
    with connect(path):
        pass  # a read-write connect() initialises
    return path


def _initialise(con: Connection) -> None:
    existing = {row[0] for row in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    needs_schema = not set(TABLES) <= existing
    counts = (
        {}
        if needs_schema
        else _counts(con, ("municipality", "neighbour", "framework_area", "meta"))
    )
    if not needs_schema and all(counts.values()):
        return  # nothing to write: keeps a plain open free of writes
    with transaction(con):
        if needs_schema:
            con.execute(SCHEMA_FILE.read_text(encoding="utf-8"))
        con.execute(
            "INSERT OR REPLACE INTO meta (key, value) VALUES ('schema_version', ?)",
            [str(SCHEMA_VERSION)],
        )
        if not counts.get("municipality"):
            _load_municipalities(con)
        if not counts.get("neighbour"):
            _load_neighbours(con)
        if not counts.get("framework_area"):
            _load_framework_areas(con)


@contextmanager
def transaction(con: Connection) -> Iterator[Connection]:
    """BEGIN … COMMIT; ROLLBACK on any exception (which then propagates).

    A COMMIT that fails for the database's sake (disk full, read-only file)
    raises the StoreError that names the cause; nothing of the transaction is kept.
    """
    con.execute("BEGIN TRANSACTION")
    try:
        yield con
    except BaseException:
        with contextlib.suppress(duckdb.Error):
            con.execute("ROLLBACK")
        raise
    try:
        con.execute("COMMIT")
    except duckdb.Error as exc:
        with contextlib.suppress(duckdb.Error):
            con.execute("ROLLBACK")
        error = classify(exc, _database_path(con))
        if type(error) is StoreError:
            raise
        raise error from exc


def _database_path(con: Connection) -> Path | None:
    try:
        row = con.execute(
            "SELECT path FROM duckdb_databases() WHERE database_name = current_database()"
        ).fetchone()
    except duckdb.Error:
        return None
    return Path(row[0]) if row and row[0] else None


def _insert_rows(
    con: Connection, table: str, columns: Sequence[str], rows: Sequence[Sequence[object]]
) -> None:
    """Insert rows in one statement; each column travels as one list parameter.

    `table` and `columns` are names from this module, never user input.
    """
    if not rows:
        return
    selects = ", ".join("unnest(?)" for _ in columns)
    sql = f"INSERT INTO {table} ({', '.join(columns)}) SELECT {selects}"
    con.execute(sql, [list(values) for values in zip(*rows, strict=True)])


# --- reference tables ------------------------------------------------------------


def _centroids(path: Path) -> dict[str, tuple[float, float]]:
    """Municipality code -> (lat, lon) from the GeoJSON's `id` and `geo_point_2d`."""
    if not path.exists():
        return {}
    features = json.loads(path.read_text(encoding="utf-8")).get("features", [])
    points: dict[str, tuple[float, float]] = {}
    for feature in features:
        props = feature.get("properties") or {}
        point = props.get("geo_point_2d")
        if props.get("id") and point and len(point) == 2:
            points[str(props["id"]).zfill(4)] = (float(point[0]), float(point[1]))
    return points


def _load_municipalities(con: Connection) -> None:
    points = _centroids(reference_file("municipalities.geojson"))
    rows = [
        (
            m.code,
            m.name,
            m.county_code,
            m.county_name,
            m.kommungrupp_code or None,
            m.kommungrupp_name or None,
            m.population,
            m.population_year,
            *points.get(m.code, (None, None)),
        )
        for m in municipalities()
    ]
    columns = (
        "code",
        "name",
        "county_code",
        "county_name",
        "kommungrupp_code",
        "kommungrupp_name",
        "population",
        "population_year",
        "lat",
        "lon",
    )
    _insert_rows(con, "municipality", columns, rows)


def _load_neighbours(con: Connection) -> None:
    path = reference_file("neighbours.csv")
    if not path.exists():
        return
    with path.open(encoding="utf-8", newline="") as f:
        pairs = {(r["code"], r["neighbour_code"]) for r in csv.DictReader(f)}
    # Borders are symmetric; store both directions whatever the file holds.
    rows = sorted(pairs | {(b, a) for a, b in pairs})
    _insert_rows(con, "neighbour", ("code", "neighbour_code"), rows)


def _load_framework_areas(con: Connection) -> None:
    rows = [(a.framework, a.area, a.name, a.role, a.maps_to_2020_area) for a in area_names()]
    columns = ("framework", "area", "name", "role", "maps_to_2020_area")
    _insert_rows(con, "framework_area", columns, rows)


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
    with connect(db) as con, transaction(con):
        return _store(con, evaluation, sha256, clean_file_name(file_name), fmt)


# C0/C1 controls and DEL, bidi overrides, and lone surrogates (file name bytes that are
# not UTF-8): a stored name is shown on pages and written to Excel, where they break.
_NAME_UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")


def clean_file_name(name: str) -> str:
    """The file name as stored: no control characters; undecodable bytes as U+FFFD."""
    cleaned = _NAME_UNSAFE.sub("", _SURROGATE.sub("\ufffd", name)).strip()
    return cleaned or "namnlös-fil"


def _store(
    con: Connection, evaluation: Evaluation, sha256: str, file_name: str, fmt: str
) -> IngestResult:
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
    replaced, old_file = _remove_evaluation(
        con, evaluation.municipality_code, evaluation.year, (sha256, file_name)
    )
    report_id = _insert_report(con, evaluation, sha256, file_name, fmt)
    evaluation_id = _insert_evaluation(con, evaluation, report_id)
    for series in evaluation.previous_evaluations:
        _store_stated(con, evaluation, series, report_id, file_name)
    for series in evaluation.references:
        _store_reference(con, evaluation, series, report_id, file_name)
    status = "replaced" if replaced in ("report", "import") else "added"
    return _result(evaluation, file_name, status, evaluation_id, other_file=old_file)


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


def _insert_report(
    con: Connection, evaluation: Evaluation, sha256: str, file_name: str, fmt: str
) -> int:
    ingested_at = datetime.now(UTC).replace(tzinfo=None)
    row = con.execute(
        "INSERT INTO report (sha256, file_name, format, parser_version, ingested_at, warnings) "
        "VALUES (?, ?, ?, ?, ?, ?) RETURNING report_id",
        [sha256, file_name, fmt, PARSER_VERSION, ingested_at, list(evaluation.warnings)],
    ).fetchone()
    assert row is not None
    return int(row[0])


def _insert_evaluation(con: Connection, evaluation: Evaluation, report_id: int) -> int:
    """The report's own evaluation with its areas, sub-areas, findings and discrepancies."""
    row = con.execute(
        "INSERT INTO evaluation (municipality_code, year, month, framework, origin, report_id, "
        "evaluation_number, interviewees, evaluators, total, total_line, source_note) "
        "VALUES (?, ?, ?, ?, 'report', ?, ?, ?, ?, ?, NULL, NULL) RETURNING evaluation_id",
        [
            evaluation.municipality_code,
            evaluation.year,
            evaluation.month,
            evaluation.framework,
            report_id,
            evaluation.evaluation_number,
            evaluation.interviewees,
            list(evaluation.evaluators),
            evaluation.total,
        ],
    ).fetchone()
    assert row is not None
    evaluation_id = int(row[0])
    _insert_children(con, evaluation, evaluation_id)
    return evaluation_id


def _insert_children(con: Connection, evaluation: Evaluation, evaluation_id: int) -> None:
    areas = evaluation.areas
    _insert_rows(
        con,
        "area_score",
        ("evaluation_id", "area", "score", "line", "stated_score", "stated_line"),
        [(evaluation_id, a.number, a.score, a.line, a.stated_score, a.stated_line) for a in areas],
    )
    _insert_rows(
        con,
        "subarea_score",
        ("evaluation_id", "area", "code", "name", "score", "max", "line"),
        [
            (evaluation_id, a.number, s.code, s.name, s.score, s.max, s.line)
            for a in areas
            for s in a.subareas
        ],
    )
    _insert_rows(
        con,
        "finding",
        ("evaluation_id", "area", "kind", "ordinal", "text"),
        [
            (evaluation_id, a.number, kind, ordinal, text)
            for a in areas
            for kind in FINDING_KINDS
            for ordinal, text in enumerate(getattr(a, kind), start=1)
        ],
    )
    _insert_rows(
        con,
        "discrepancy",
        ("evaluation_id", "area", "kind", "stated", "chosen", "line", "note"),
        [
            (evaluation_id, d.area, d.kind, d.stated, d.chosen, d.line, d.note or None)
            for d in evaluation.discrepancies
        ],
    )


def _framework_of_year(year: int) -> str:
    return "2020" if year >= FIRST_2020_YEAR else "2010"


def _store_stated(
    con: Connection, evaluation: Evaluation, series: ScoreSeries, report_id: int, file_name: str
) -> None:
    """A previous evaluation stated in this report's summary table ("Sala 2019").

    It never overwrites a report or import; it replaces a value stated in an
    older report. It keeps the report's framework: SKR's summary tables line
    earlier results up with the report's areas.
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
        if origin != "stated_in_report":
            return
        if source_year is not None and source_year > evaluation.year:
            return  # a more recent report already stated it
        _delete_evaluation_rows(con, evaluation_id)
    note = stated_note(file_name, series, evaluation.framework)
    scores = [(n, s) for n, s in enumerate(series.scores, start=1) if s is not None]
    total = series.total
    if total is None and len(scores) == 8:
        total = sum(s for _, s in scores)
    row = con.execute(
        "INSERT INTO evaluation (municipality_code, year, month, framework, origin, report_id, "
        "total, total_line, source_note) "
        "VALUES (?, ?, NULL, ?, 'stated_in_report', ?, ?, ?, ?) RETURNING evaluation_id",
        [
            evaluation.municipality_code,
            series.year,
            evaluation.framework,
            report_id,
            total,
            series.line if series.total is not None else None,
            note,
        ],
    ).fetchone()
    assert row is not None
    # The series carries one line (its header row): every score points there.
    _insert_rows(
        con,
        "area_score",
        ("evaluation_id", "area", "score", "line"),
        [(int(row[0]), n, s, series.line) for n, s in scores],
    )


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
    _insert_rows(
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


# Public names for kompass.imports, which writes imported rows by the same rules.
insert_rows = _insert_rows
delete_evaluation_rows = _delete_evaluation_rows
delete_report_if_unused = _delete_report_if_unused
framework_of_year = _framework_of_year


# --- many files ------------------------------------------------------------------


def expand_paths(paths: Iterable[Path]) -> list[Path]:
    """Files as given; folders expand to their *.txt, *.md and *.pdf files (sorted)."""
    files: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            files += sorted(
                p for p in path.iterdir() if p.is_file() and p.suffix.lower() in REPORT_SUFFIXES
            )
        else:
            files.append(path)
    return files


def ingest_many(
    paths: Iterable[Path],
    db: Path | None = None,
    progress: Progress | None = None,
    wait: float = WRITER_WAIT_SECONDS,
) -> tuple[list[IngestResult], list[tuple[str, str]]]:
    """Ingest files and folders; every file is stored completely or not at all.

    Returns the results and the failures as (file, message) pairs. A locked
    or unopenable database (StoreError) stops the run: files before it are kept.
    Files are parsed and stored in chunks (kompass.bulk: one transaction per
    chunk, retried file by file if it fails); the write connection is given
    up at least every BATCH_SECONDS, so the app's short read-only connections
    get in between during a long batch. Each open waits up to `wait` seconds
    for other processes' readers to let it in.
    """
    from kompass import bulk

    return bulk.ingest_files(expand_paths(paths), db, progress, wait)


class Batch:
    """A write connection that is given up every BATCH_SECONDS so readers get a turn."""

    def __init__(self, db: Path | None, wait: float = WRITER_WAIT_SECONDS) -> None:
        self.db = db
        self.wait = wait
        self._context: AbstractContextManager[Connection] | None = None
        self._con: Connection | None = None
        self._opened = 0.0

    def connection(self) -> Connection:
        if self._con is not None and time.monotonic() - self._opened > BATCH_SECONDS:
            self.close()
            time.sleep(READER_TURN_SECONDS)
        if self._con is None:
            self._context = connect(self.db, wait=self.wait)
            self._con = self._context.__enter__()
            self._opened = time.monotonic()
        return self._con

    def close(self) -> None:
        if self._context is not None:
            self._context.__exit__(None, None, None)
        self._context, self._con = None, None


def internal_error_message(exc: Exception) -> str:
    """One line for an unexpected exception (a bug): what it was, and to report it."""
    detail = str(exc).splitlines()[0] if str(exc) else ""
    return f"internal error ({type(exc).__name__}: {detail}); please report this file"


def failure_message(exc: ParseError) -> str:
    """A ParseError without its file name: "line 12: what is wrong"."""
    return f"line {exc.line}: {exc.message}" if exc.line is not None else exc.message


# --- inspection ------------------------------------------------------------------


def set_meta(db: Path, key: str, value: str) -> None:
    with connect(db) as con, transaction(con):
        con.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", [key, value])


def get_meta(db: Path, key: str) -> str | None:
    with connect(db, read_only=True) as con:
        row = con.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()
    return str(row[0]) if row else None


def _counts(con: Connection, tables: Iterable[str]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for table in tables:
        if table not in TABLES:
            raise ValueError(f"unknown table {table!r}")
        row = con.execute(f"SELECT count(*) FROM {table}").fetchone()
        counts[table] = int(row[0]) if row else 0
    return counts


def table_counts(db: Path | None = None) -> dict[str, int]:
    """Row count of every table in schema.sql, in schema order."""
    with connect(db, read_only=True) as con:
        return _counts(con, TABLES)


# Used by kompass.bulk for reports that need the careful rules one by one.
store_parsed_one = _store
make_result = _result

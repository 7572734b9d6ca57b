"""The DuckDB file: connections, transactions, the schema, reference tables, inspection.

Connections are short-lived on purpose (DuckDB locks the file per process):
open with `connect()`, work, and let the context manager close it. A writer
announces itself so that other processes' readers let it in; every failure
to open or write is a StoreError subclass that names its cause.
"""

from __future__ import annotations

import contextlib
import csv
import json
import os
import re
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path

import duckdb

from kompass import __version__
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
from kompass.parse import ParseError
from kompass.store.migrate import upgrade

SCHEMA_FILE = Path(__file__).with_name("schema.sql")
TABLES: tuple[str, ...] = tuple(
    re.findall(r"CREATE TABLE IF NOT EXISTS (\w+)", SCHEMA_FILE.read_text(encoding="utf-8"))
)
# Views over the tables (repeated joins); recreated on every initialising open.
VIEWS_FILE = Path(__file__).with_name("views.sql")
VIEWS: tuple[str, ...] = tuple(
    re.findall(r"CREATE OR REPLACE VIEW (\w+)", VIEWS_FILE.read_text(encoding="utf-8"))
)
REPORT_SUFFIXES = (".txt", ".md", ".pdf")
# 2: the superseded and meta tables (issue 8). A store without them gets them on open.
# 3: report.notices, the codes and fields of the warnings (issue 9; migrate.STEPS).
# 4: evaluation.total_computed and report.format 'published' (issue 11; migrate.STEPS).
# 5: the tables original (kept files, `kompass reparse`) and audit (issue 13; migrate.STEPS).
SCHEMA_VERSION = 5
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
# The error code of a store whose schema is newer than this kompass knows (issue 13).
SCHEMA_TOO_NEW = "store_too_new"

Connection = duckdb.DuckDBPyConnection
Progress = Callable[[int, int, Path], None]


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
    shared = _session_connection(path, wait) if read_only else None
    if shared is not None:
        yield shared  # the session closes it
        return
    if not read_only:
        pause_reading()  # a write in this thread: its own read connection must not stay open
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
_SESSION = threading.local()  # this thread's `reading` session: {"path", "con"}


@contextmanager
def reading(path: Path | None = None) -> Iterator[None]:
    """Within the block, this thread's read-only connects to `path` share one connection.

    A page's cold rerun runs a dozen queries; each opening its own connection
    costs an open and a lock each time. The shared connection opens on the
    first read and closes when the block ends, or earlier by `pause_reading`
    (before anything slow, so that a writer elsewhere is not kept waiting) or by
    a write in the same thread.
    """
    outer = getattr(_SESSION, "state", None)
    _SESSION.state = {"path": Path(path) if path is not None else db_path(), "con": None}
    try:
        yield
    finally:
        pause_reading()
        _SESSION.state = outer


def pause_reading() -> None:
    """Close this thread's shared read connection now; the next read opens it again."""
    state = getattr(_SESSION, "state", None)
    if state is not None and state["con"] is not None:
        con, state["con"] = state["con"], None
        with contextlib.suppress(duckdb.Error):
            con.close()


def _session_connection(path: Path, wait: float) -> Connection | None:
    state = getattr(_SESSION, "state", None)
    if state is None or state["path"] != path:
        return None
    if state["con"] is None:
        if not path.exists():
            init_store(path)
        state["con"] = _open(path, True, wait)
    return state["con"]


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
            con = duckdb.connect(str(path), read_only=read_only, config=_CONFIG)
            if read_only:
                _refuse_newer(con, path)
                _temporary_views(con)
            return con
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


def _temporary_views(con: Connection) -> None:
    """A store written before views.sql existed, read without a writer: views for this
    connection only (TEMP views need no write to the file)."""
    names = {row[0] for row in con.execute("SELECT view_name FROM duckdb_views()").fetchall()}
    if set(VIEWS) <= names or "evaluation" not in _table_names(con):
        return
    sql = VIEWS_FILE.read_text(encoding="utf-8")
    con.execute(sql.replace("CREATE OR REPLACE VIEW", "CREATE OR REPLACE TEMP VIEW"))


def _table_names(con: Connection) -> set[str]:
    return {row[0] for row in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}


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
    existing = _table_names(con)
    # A store from before version 2 has `report` but lacks later tables: it is upgraded,
    # not created, and its reference tables are counted, not loaded twice.
    fresh = "report" not in existing
    missing = not set(TABLES) <= existing
    counts = _counts(con, [t for t in REFERENCE_TABLES if t in existing])
    version = 0 if fresh else _schema_version(con) if "meta" in existing else 1
    if version > SCHEMA_VERSION:
        written_by = _meta_value(con, "kompass_version")
        raise too_new_error(version, _database_path(con), written_by)
    views = {row[0] for row in con.execute("SELECT view_name FROM duckdb_views()").fetchall()}
    current = version == SCHEMA_VERSION and set(VIEWS) <= views
    current = current and _meta_value(con, "kompass_version") == __version__
    if not missing and all(counts.get(t) for t in REFERENCE_TABLES) and current:
        return  # nothing to write: keeps a plain open free of writes
    with transaction(con):
        if missing:
            con.execute(SCHEMA_FILE.read_text(encoding="utf-8"))
        if not fresh and version < SCHEMA_VERSION:
            upgrade(con, version)
        con.execute(VIEWS_FILE.read_text(encoding="utf-8"))
        con.execute(
            "INSERT OR REPLACE INTO meta (key, value) VALUES ('schema_version', ?)",
            [str(SCHEMA_VERSION)],
        )
        # Which kompass last initialised the store: named when a newer store is refused.
        con.execute(
            "INSERT OR REPLACE INTO meta (key, value) VALUES ('kompass_version', ?)",
            [__version__],
        )
        if not counts.get("municipality"):
            _load_municipalities(con)
        if not counts.get("neighbour"):
            _load_neighbours(con)
        if not counts.get("framework_area"):
            _load_framework_areas(con)


REFERENCE_TABLES = ("municipality", "neighbour", "framework_area", "meta")


def is_current(db: Path) -> bool:
    """Does the store at `db` have this kompass's schema (version and views)?

    Read-only; False for a store an older kompass wrote (a writer's open upgrades it).
    """
    with connect(db, read_only=True) as con:
        if "meta" not in _table_names(con):
            return False
        # TEMP views (`_temporary_views`) stand in for a reader; the file itself lacks them.
        stored = {
            r[0]
            for r in con.execute(
                "SELECT view_name FROM duckdb_views() WHERE NOT temporary"
            ).fetchall()
        }
        return _schema_version(con) == SCHEMA_VERSION and set(VIEWS) <= stored


def upgrade_if_older(db: Path) -> int | None:
    """Upgrade a store an older kompass wrote, in place (a writer's open does it in one
    transaction); returns the version it had, None when it was current or is missing.

    For commands that only read: their queries need this kompass's tables and columns.
    A newer store raises `too_new_error` and is left alone.
    """
    if not db.exists() or is_current(db):
        return None
    with connect(db, read_only=True) as con:
        before = _schema_version(con) if "meta" in _table_names(con) else 1
    with connect(db):
        pass
    return before


def _schema_version(con: Connection) -> int:
    """The version the store says it has; 2 for a store from before the meta table held it."""
    row = con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    return int(row[0]) if row and str(row[0]).isdigit() else 2


def _meta_value(con: Connection, key: str) -> str | None:
    """A meta row's value; None when the row or the meta table (before version 2) is missing."""
    try:
        row = con.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()
    except duckdb.CatalogException:
        return None
    return str(row[0]) if row else None


def too_new_error(version: int, path: Path | None, written_by: str | None = None) -> StoreError:
    """The refusal of a store with a schema newer than SCHEMA_VERSION: no kompass guesses
    at tables it does not know, so nothing is read or written."""
    by = f" (written by kompass {written_by})" if written_by else ""
    where = f"the database {path}" if path is not None else "the database"
    fields = {"path": str(path)} if path is not None else {}
    return StoreError(
        f"{where} has schema version {version}{by}, newer than this kompass {__version__} "
        f"knows ({SCHEMA_VERSION}); upgrade kompass to use it",
        code=SCHEMA_TOO_NEW,
        found=version,
        supported=SCHEMA_VERSION,
        written_by=written_by,
        **fields,
    )


def _refuse_newer(con: Connection, path: Path) -> None:
    """A read-only open of a store newer than this kompass: close it and say so."""
    stored = _meta_value(con, "schema_version")
    if stored is not None and stored.isdigit() and int(stored) > SCHEMA_VERSION:
        error = too_new_error(int(stored), path, _meta_value(con, "kompass_version"))
        con.close()
        raise error


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


def insert_rows(
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
    insert_rows(con, "municipality", columns, rows)


def _load_neighbours(con: Connection) -> None:
    path = reference_file("neighbours.csv")
    if not path.exists():
        return
    with path.open(encoding="utf-8", newline="") as f:
        pairs = {(r["code"], r["neighbour_code"]) for r in csv.DictReader(f)}
    # Borders are symmetric; store both directions whatever the file holds.
    rows = sorted(pairs | {(b, a) for a, b in pairs})
    insert_rows(con, "neighbour", ("code", "neighbour_code"), rows)


def _load_framework_areas(con: Connection) -> None:
    rows = [(a.framework, a.area, a.name, a.role, a.maps_to_2020_area) for a in area_names()]
    columns = ("framework", "area", "name", "role", "maps_to_2020_area")
    insert_rows(con, "framework_area", columns, rows)


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
    """Row counts; 0 for a table a store from an older kompass does not have yet."""
    present = {str(r[0]) for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    counts: dict[str, int] = {}
    for table in tables:
        if table not in TABLES:
            raise ValueError(f"unknown table {table!r}")
        if table not in present:
            counts[table] = 0
            continue
        row = con.execute(f"SELECT count(*) FROM {table}").fetchone()
        counts[table] = int(row[0]) if row else 0
    return counts


def table_counts(db: Path | None = None) -> dict[str, int]:
    """Row count of every table in schema.sql, in schema order."""
    with connect(db, read_only=True) as con:
        return _counts(con, TABLES)

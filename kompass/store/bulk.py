"""Many reports at once: parse in chunks, store each chunk with few statements.

A DuckDB statement costs 1–2 ms here whatever its size, and one report needs
about ten (report, evaluation, areas, sub-areas, findings, …). Storing report
by report therefore caps ingest near 50 reports/s. This module stores a chunk
of reports in one transaction with one statement per table.

Guarantees stay those of `store_rows.ingest`: every file is stored completely or
not at all, and a bad file never costs the others. Reports that need the
careful rules (already stored, replacing an evaluation, stating previous
evaluations or means, or sharing municipality and year with another file in
the chunk) go through `store_rows._store` one by one, inside the same transaction.
If a chunk's transaction fails, its files are retried one transaction each,
so only the file at fault fails.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from kompass.errors import BudgetExceeded
from kompass.parse import PARSER_VERSION, Evaluation, ParseError
from kompass.parse.budget import parse_files_within
from kompass.store import audit, originals
from kompass.store import db as store_db
from kompass.store import rows as store_rows

# Files per write transaction: a transaction holds the write lock, and the app's
# readers wait at most LOCK_WAIT_SECONDS; 20 reports take well under 0.3 s even when
# each needs the one-by-one rules.
STORE_CHUNK = 20
# Parse workers (each a process with the parse budget); a batch of few files uses fewer.
WORKERS = min(4, os.cpu_count() or 1)


@dataclass
class Parsed:
    evaluation: Evaluation
    sha256: str
    file_name: str
    fmt: str
    path: Path
    data: bytes  # kept in `original` with the report (a chunk holds at most STORE_CHUNK)


Failure = tuple[str, str]
REPORT_COLUMNS = (
    "report_id", "sha256", "file_name", "format", "parser_version", "ingested_at",
    "warnings", "notices",
)  # fmt: skip


def parsed(path: Path, outcome: tuple[bytes, Evaluation, str]) -> Parsed:
    data, evaluation, fmt = outcome
    name = store_rows.clean_file_name(path.name)
    return Parsed(evaluation, hashlib.sha256(data).hexdigest(), name, fmt, path, data)


def failure(path: Path, exc: ParseError | BudgetExceeded) -> Failure:
    """(file, message): the message says what is wrong, the file says where."""
    if isinstance(exc, ParseError):
        return (str(path), store_db.failure_message(exc))
    return (str(path), f"over budget: {exc.message}")


def ingest_many(
    paths: Iterable[Path],
    db: Path | None = None,
    progress: store_db.Progress | None = None,
    wait: float = store_db.WRITER_WAIT_SECONDS,
) -> tuple[list[store_rows.IngestResult], list[tuple[str, str]]]:
    """Ingest files and folders; every file is stored completely or not at all.

    Returns the results and the failures as (file, message) pairs. A locked
    or unopenable database (StoreError) stops the run: files before it are kept.
    Files are parsed and stored in chunks (kompass.store.bulk: one transaction per
    chunk, retried file by file if it fails); the write connection is given
    up at least every BATCH_SECONDS, so the app's short read-only connections
    get in between during a long batch. Each open waits up to `wait` seconds
    for other processes' readers to let it in.
    """
    return ingest_files(store_db.expand_paths(paths), db, progress, wait)


def ingest_files(
    files: list[Path],
    db: Path | None,
    progress: store_db.Progress | None = None,
    wait: float = store_db.WRITER_WAIT_SECONDS,
) -> tuple[list[store_rows.IngestResult], list[Failure]]:
    """Parse and store `files`; returns results and (file, message) failures.

    Parsing is the slow part and needs no database: big batches parse in a
    process pool while this process stores what is ready, STORE_CHUNK files
    per short transaction. Files go in order of modification time, so when
    two files hold the same evaluation the newer one wins, whatever the names.
    A StoreError (database locked, full, damaged) stops the run; it carries
    what was stored before it in `fields["results"]` and `fields["failures"]`.
    """
    results: list[store_rows.IngestResult] = []
    failures: list[Failure] = []
    ordered = sorted(files, key=_modified)
    try:
        _parse_and_store(ordered, store_db.Batch(db, wait), progress, results, failures)
        _audit_failures(db, failures, wait)
    except store_db.StoreError as exc:
        exc.fields["results"] = _in_run_superseded(results, files)
        exc.fields["failures"] = failures
        raise
    return _in_run_superseded(results, files), failures


def _audit_failures(db: Path | None, failures: list[Failure], wait: float) -> None:
    """Files that failed to parse wrote nothing: their audit rows go in after the run."""
    recording = audit.current()
    if recording is not None and failures:
        entries = [(Path(file).name, None, f"failed: {message}") for file, message in failures]
        audit.record_now(db, entries, recording, wait)


def _modified(path: Path) -> tuple[float, str]:
    try:
        return path.stat().st_mtime, path.name
    except OSError:
        return 0.0, path.name  # unreadable: it fails in the parse and says why


def _parse_and_store(
    files: list[Path],
    batch: store_db.Batch,
    progress: store_db.Progress | None,
    results: list[store_rows.IngestResult],
    failures: list[Failure],
) -> None:
    pending: list[Parsed] = []
    try:
        outcomes = parse_files_within(files, workers=min(WORKERS, len(files)))
        for done, (path, outcome) in enumerate(outcomes, start=1):
            if isinstance(outcome, tuple):
                pending.append(parsed(path, outcome))
            else:
                failures.append(failure(path, outcome))
            if progress is not None:
                progress(done, len(files), path)
            if len(pending) >= STORE_CHUNK:
                _store_chunk(batch, pending, results, failures)
                pending = []
        _store_chunk(batch, pending, results, failures)
    finally:
        batch.close()


def _in_run_superseded(
    results: list[store_rows.IngestResult], files: list[Path]
) -> list[store_rows.IngestResult]:
    """Results in the order the files were given; a file that a newer file of this run
    replaced is reported as superseded by it (its values are not stored)."""
    replaced_by = {
        r.other_file: r.file_name for r in results if r.status == "replaced" and r.other_file
    }
    shown = [
        dataclasses.replace(r, status="superseded", other_file=replaced_by[r.file_name])
        if r.status in ("added", "replaced")
        and replaced_by.get(r.file_name, r.file_name) != r.file_name
        else r
        for r in results
    ]
    order = {store_rows.clean_file_name(p.name): i for i, p in enumerate(files)}
    return sorted(shown, key=lambda r: order.get(r.file_name, len(order)))


def _store_chunk(
    batch: store_db.Batch,
    parsed: list[Parsed],
    results: list[store_rows.IngestResult],
    failures: list[Failure],
) -> None:
    """Store a parsed chunk in short transactions, so the app's readers never wait long."""
    for start in range(0, len(parsed), STORE_CHUNK):
        part = parsed[start : start + STORE_CHUNK]
        try:
            with store_db.transaction(batch.connection()) as con:
                stored = store_parsed(con, part)
        except store_db.StoreError:
            raise
        except duckdb.Error:
            _store_one_by_one(batch, part, results, failures)
            continue
        results.extend(stored)  # only now: the COMMIT went through


def _store_one_by_one(
    batch: store_db.Batch,
    parsed: list[Parsed],
    results: list[store_rows.IngestResult],
    failures: list[Failure],
) -> None:
    for item in parsed:
        try:
            with store_db.transaction(batch.connection()) as con:
                result = _careful(con, item)
                audit.record(con, [(item.file_name, item.sha256, result.status)])
        except store_db.StoreError:
            raise
        except duckdb.Error as exc:
            failures.append((str(item.path), f"could not store: {str(exc).splitlines()[0]}"))
            continue
        results.append(result)


def _careful(con: store_db.Connection, item: Parsed) -> store_rows.IngestResult:
    return store_rows.store_parsed_one(
        con, item.evaluation, item.sha256, item.file_name, item.fmt, item.data
    )


def store_parsed(con: store_db.Connection, parsed: list[Parsed]) -> list[store_rows.IngestResult]:
    """Store parsed reports inside the caller's transaction; results in input order."""
    simple, careful = _split(con, parsed)
    by_file: dict[int, store_rows.IngestResult] = {}
    for index, result in zip(
        simple, _insert_simple(con, [parsed[i] for i in simple], parsed), strict=True
    ):
        by_file[index] = result
    for index in careful:
        by_file[index] = _careful(con, parsed[index])
    results = [by_file[i] for i in range(len(parsed))]
    audit.record(
        con, [(p.file_name, p.sha256, r.status) for p, r in zip(parsed, results, strict=True)]
    )
    return results


def _split(con: store_db.Connection, parsed: list[Parsed]) -> tuple[list[int], list[int]]:
    """Indexes of reports that can be inserted in bulk, and of those that need the rules."""
    shas = [p.sha256 for p in parsed]
    known = {
        r[0]
        for r in con.execute(
            "SELECT sha256 FROM report WHERE sha256 IN (SELECT unnest(?)) "
            "UNION SELECT sha256 FROM superseded WHERE sha256 IN (SELECT unnest(?))",
            [shas, shas],
        ).fetchall()
    }
    keys = [(p.evaluation.municipality_code, p.evaluation.year) for p in parsed]
    stored = {
        (r[0], r[1])
        for r in con.execute(
            "SELECT municipality_code, year FROM evaluation WHERE municipality_code IN "
            "(SELECT unnest(?))",
            [sorted({k[0] for k in keys})],
        ).fetchall()
    }
    stated = [_stated_keys(p.evaluation) for p in parsed]
    reports_twice = {k for k, n in Counter(keys).items() if n > 1}
    stated_twice = {k for k, n in Counter(k for ks in stated for k in ks).items() if n > 1}
    shas_twice = {k for k, n in Counter(shas).items() if n > 1}
    simple: list[int] = []
    careful: list[int] = []
    for i, p in enumerate(parsed):
        # A stated value that a report in this chunk covers is simply dropped (the
        # report wins); other clashes need the one-by-one rules.
        clashes = [k for k in stated[i] if k in stored or k in stated_twice]
        needs_rules = (
            p.sha256 in known
            or p.sha256 in shas_twice
            or keys[i] in stored
            or keys[i] in reports_twice
            or bool(clashes)
        )
        (careful if needs_rules else simple).append(i)
    return simple, careful


def _stated_keys(ev: Evaluation) -> list[tuple[str, int]]:
    return [(ev.municipality_code, s.year) for s in ev.previous_evaluations if s.year is not None]


def _ids(con: store_db.Connection, sequence: str, n: int) -> list[int]:
    rows = con.execute(f"SELECT nextval('{sequence}') FROM range(?)", [n]).fetchall()
    return [int(r[0]) for r in rows]


def _insert_simple(
    con: store_db.Connection, items: list[Parsed], parsed_all: list[Parsed]
) -> list[store_rows.IngestResult]:
    if not items:
        return []
    report_ids = _ids(con, "report_seq", len(items))
    evaluation_ids = _ids(con, "evaluation_seq", len(items))
    now = datetime.now(UTC).replace(tzinfo=None)
    report_rows = []
    for rid, p in zip(report_ids, items, strict=True):
        english, notices = store_rows.warning_columns(p.evaluation.warnings)
        report_rows.append(
            (rid, p.sha256, p.file_name, p.fmt, PARSER_VERSION, now, english, notices)
        )
    store_db.insert_rows(con, "report", REPORT_COLUMNS, report_rows)
    originals.keep(con, [(p.sha256, p.file_name, p.fmt, p.data) for p in items])
    rows = store_rows.empty_rows()
    for eid, rid, p in zip(evaluation_ids, report_ids, items, strict=True):
        store_rows.evaluation_rows(p.evaluation, eid, rid, into=rows)
    store_rows.insert_table_rows(con, rows)
    covered = {(p.evaluation.municipality_code, p.evaluation.year) for p in parsed_all}
    _insert_stated(con, list(zip(report_ids, items, strict=True)), covered)
    _insert_references(con, list(zip(report_ids, items, strict=True)))
    return [
        store_rows.make_result(p.evaluation, p.file_name, "added", eid)
        for eid, p in zip(evaluation_ids, items, strict=True)
    ]


def _insert_stated(
    con: store_db.Connection, pairs: list[tuple[int, Parsed]], covered: set[tuple[str, int]]
) -> None:
    """Previous evaluations stated in these reports, but not those a report in the chunk covers.

    `_split` sent every other clash (with the store, between two statements) the careful way.
    """
    # A report in the chunk outranks a value stated for the same year: that is dropped.
    report_wins = not store_rows.replaces("stated_in_report", "report")
    stated = [
        (rid, store_rows.Stated(p.evaluation, series, p.file_name))
        for rid, p in pairs
        for series in p.evaluation.previous_evaluations
        if series.year is not None
        and not (report_wins and (p.evaluation.municipality_code, series.year) in covered)
    ]
    if not stated:
        return
    ids = _ids(con, "evaluation_seq", len(stated))
    rows = store_rows.empty_rows()
    for eid, (rid, item) in zip(ids, stated, strict=True):
        store_rows.evaluation_rows(item, eid, rid, into=rows)
    store_rows.insert_table_rows(con, rows)


def _insert_references(con: store_db.Connection, pairs: list[tuple[int, Parsed]]) -> None:
    """Reference means ("Medel 2020-") stated in these reports."""
    rows = [(rid, p, series) for rid, p in pairs for series in p.evaluation.references]
    if not rows:
        return
    ids = _ids(con, "reference_seq", len(rows))
    store_db.insert_rows(
        con,
        "reference_series",
        ("reference_id", "label", "framework", "year", "total", "report_id", "source_note", "line"),
        [
            (
                ref_id,
                s.label,
                p.evaluation.framework,
                s.year,
                s.total,
                rid,
                f"stated in {p.file_name}",
                s.line,
            )
            for ref_id, (rid, p, s) in zip(ids, rows, strict=True)
        ],
    )
    store_db.insert_rows(
        con,
        "reference_score",
        ("reference_id", "area", "score"),
        [
            (ref_id, n, v)
            for ref_id, (_, _, s) in zip(ids, rows, strict=True)
            for n, v in enumerate(s.scores, start=1)
            if v is not None
        ],
    )

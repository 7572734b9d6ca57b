"""Consistent copies of the store while the app serves: `kompass backup`, `kompass snapshot`.

The copy is read through one read-only connection (`db.connect`: it waits for
an announced writer and retries a held lock), so it holds exactly what was
committed when it opened; a writer in another process (`kompass ingest`)
waits for the copy, and readers go on reading. DuckDB copies every table,
view and sequence into a new file (`ATTACH` + `COPY FROM DATABASE`), written
beside the target and renamed onto it: whoever opens the target sees the
old copy or the new one, never half of one. A read-only app serving a
snapshot folder therefore never needs to stop for a new snapshot.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

import duckdb

from kompass.errors import StoreError
from kompass.store.db import WRITER_WAIT_SECONDS, classify, connect

COPY_ALIAS = "kompass_copy"


def backup(db: Path, target: Path, wait: float = WRITER_WAIT_SECONDS) -> Path:
    """Write a consistent copy of the store `db` to `target` (replaced atomically).

    Raises StoreError: no database at `db`, `target` is `db`, or the copy failed
    (the cause named: locked for longer than `wait`, disk full, folder read-only).
    Returns the target's path.
    """
    db, target = Path(db), Path(target)
    if not db.is_file():
        raise StoreError(f"no database at {db}", path=str(db))
    if target.exists() and target.resolve() == db.resolve():
        raise StoreError(f"the backup would overwrite the database {db} itself", path=str(db))
    temporary = target.with_name(f".{target.name}.{os.getpid()}.partial")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        _remove(temporary)
        _copy(db, temporary, wait)
        _sync(temporary)
        # A WAL left beside the target by an earlier writer would be replayed onto the copy.
        _remove(_wal(target))
        os.replace(temporary, target)
    except duckdb.Error as exc:
        raise classify(exc, target) from exc
    except OSError as exc:
        raise classify(exc, target) from exc
    finally:
        _remove(temporary)
    return target


def snapshot(db: Path, folder: Path, wait: float = WRITER_WAIT_SECONDS) -> Path:
    """Publish a copy of `db` as `folder/<db's name>` atomically; returns its path."""
    return backup(db, Path(folder) / Path(db).name, wait)


def _copy(db: Path, temporary: Path, wait: float) -> None:
    with connect(db, read_only=True, wait=wait) as con:
        row = con.execute("SELECT current_database()").fetchone()
        source = str(row[0]) if row else ""
        con.execute(f"ATTACH {_literal(temporary)} AS {COPY_ALIAS} (READ_WRITE)")
        try:
            con.execute(f"COPY FROM DATABASE {_identifier(source)} TO {COPY_ALIAS}")
        finally:
            con.execute(f"DETACH {COPY_ALIAS}")  # checkpoints the copy into its file
    if _wal(temporary).exists():
        raise StoreError(f"the copy {temporary} was not completely written", path=str(temporary))


def _literal(path: Path) -> str:
    """A path as an SQL string literal (ATTACH takes no parameters)."""
    return "'" + str(path).replace("'", "''") + "'"


def _identifier(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _wal(path: Path) -> Path:
    return path.with_name(path.name + ".wal")


def _sync(path: Path) -> None:
    """The copy's bytes on the disk before the rename makes it the target."""
    with path.open("rb+") as f:
        os.fsync(f.fileno())


def _remove(path: Path) -> None:
    for stale in (path, _wal(path)):
        with contextlib.suppress(FileNotFoundError):
            stale.unlink()

"""The `audit` table: who wrote which file through the CLI or the app, and what came of it.

A writer says who is writing by opening `recording(Audit(...))` around its
write; the store's writers (`rows.store_evaluation`, `bulk.ingest_files`,
`imports.import_scores`/`import_reference`, `reparse.apply_reparse`) then add
one row per file inside the transaction that stores it (`record`), so an audit
row exists exactly when its write was committed. Without a recording (tests,
`kompass demo`, the app building its first store from the bundled reports)
they add none. Outcomes without a write transaction of their own (a file that
failed to parse, a write refused in the app) go in afterwards (`record_now`).
"""

from __future__ import annotations

import getpass
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from kompass.store.db import Connection, connect, insert_rows, transaction

VIA = ("cli", "app")
COLUMNS = ("recorded_at", "via", "who", "action", "file_name", "sha256", "result")
# A recorded outcome that is written on its own waits this long for the lock, no more:
# the write it records has happened or failed already, and the caller must not hang on it.
RECORD_WAIT_SECONDS = 5.0


@dataclass(frozen=True)
class Audit:
    """Who writes, through what: `via` cli | app, `who` the user (None where unknown)."""

    via: str
    who: str | None
    action: str  # ingest | import-scores | import-reference | import-text | upload | …

    def __post_init__(self) -> None:
        if self.via not in VIA:
            raise ValueError(f"audit via is one of {VIA}, not {self.via!r}")


Entry = tuple[str | None, str | None, str]  # (file name, sha256, result)

_CURRENT: ContextVar[Audit | None] = ContextVar("kompass_audit", default=None)


@contextmanager
def recording(audit: Audit | None) -> Iterator[None]:
    """Within the block, the store's writers record their files under `audit` (None: not)."""
    token = _CURRENT.set(audit)
    try:
        yield
    finally:
        _CURRENT.reset(token)


def current() -> Audit | None:
    """The audit being recorded in this thread, if any."""
    return _CURRENT.get()


def os_user() -> str | None:
    """The CLI's `who`: the operating system's user name; None where it cannot be told
    (a container without a passwd entry for its uid)."""
    try:
        return getpass.getuser() or None
    except Exception:  # getpass raises OSError or KeyError depending on the platform
        return None


def record(con: Connection, entries: Sequence[Entry], audit: Audit | None = None) -> None:
    """Add one row per (file name, sha256, result) inside the caller's transaction.

    `audit` defaults to the current recording; without either, nothing is added.
    """
    audit = audit or current()
    if audit is None or not entries:
        return
    at = datetime.now(UTC).replace(tzinfo=None)
    rows = [
        (at, audit.via, audit.who, audit.action, name, sha256, result)
        for name, sha256, result in entries
    ]
    insert_rows(con, "audit", COLUMNS, rows)


def record_now(
    db: Path | None, entries: Sequence[Entry], audit: Audit, wait: float = RECORD_WAIT_SECONDS
) -> None:
    """Add rows in a transaction of their own (outcomes that wrote nothing else).

    Raises StoreError when the store cannot be written within `wait` seconds.
    """
    if not entries:
        return
    with connect(db, wait=wait) as con, transaction(con):
        record(con, entries, audit)

"""The `original` table: the bytes of every stored report and imported CSV file.

Kept in the transaction that stores the file (`keep`), so that `kompass reparse`
can parse a report again after a parser change, and a backup or snapshot
holds them too (one file, one copy). The size is bounded where the bytes come
in: a report is at most parse.text.MAX_BYTES (50 MB; the app's upload limit is
lower), a CSV file at most imports.MAX_IMPORT_BYTES.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from kompass.store.db import Connection

COLUMNS = ("sha256", "file_name", "format", "bytes", "kept_at")
REPORT_FORMATS = ("text", "pdf")  # what `kompass reparse` parses again

Original = tuple[str, str, str, bytes]  # (sha256, file name, format, bytes)


def keep(con: Connection, originals: Sequence[Original]) -> None:
    """Keep each file's bytes once, inside the caller's transaction (a kept sha256 stays)."""
    unique = {sha256: (sha256, name, fmt, data) for sha256, name, fmt, data in originals}
    if not unique:
        return
    kept_at = datetime.now(UTC).replace(tzinfo=None)
    columns = list(zip(*unique.values(), strict=True))
    con.execute(
        f"INSERT OR IGNORE INTO original ({', '.join(COLUMNS)}) "
        "SELECT unnest(?), unnest(?), unnest(?), unnest(?), ?",
        [list(columns[0]), list(columns[1]), list(columns[2]), list(columns[3]), kept_at],
    )


def kept_bytes(con: Connection, sha256: str) -> bytes | None:
    row = con.execute("SELECT bytes FROM original WHERE sha256 = ?", [sha256]).fetchone()
    return bytes(row[0]) if row else None

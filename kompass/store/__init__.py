"""The only code that writes: parsed reports and imported rows -> the DuckDB store.

Tables are documented in `schema.sql`. `db` holds connections, transactions,
the schema and the reference tables; `rows` stores one report by the
precedence rules (report > import > stated); `bulk` stores many at once by
the same rules; `imports` stores CSV rows of published results and means.
This module names the public API; callers import from here.
"""

from kompass.errors import (
    StoreCorruptError,
    StoreError,
    StoreFullError,
    StoreLockedError,
    StoreReadOnlyError,
)
from kompass.store.bulk import ingest_files, ingest_many
from kompass.store.db import (
    LOCK_WAIT_SECONDS,
    TABLES,
    WRITER_WAIT_SECONDS,
    Batch,
    Connection,
    Progress,
    WriterIntent,
    classify,
    connect,
    expand_paths,
    failure_message,
    get_meta,
    init_store,
    internal_error_message,
    is_current,
    marker_path,
    pause_reading,
    reading,
    set_meta,
    table_counts,
    transaction,
    upgrade_if_older,
)
from kompass.store.rows import (
    IngestResult,
    clean_file_name,
    ingest,
    ingest_bytes,
    read_report,
    store_evaluation,
)

__all__ = [
    "LOCK_WAIT_SECONDS",
    "TABLES",
    "WRITER_WAIT_SECONDS",
    "Batch",
    "Connection",
    "IngestResult",
    "Progress",
    "StoreCorruptError",
    "StoreError",
    "StoreFullError",
    "StoreLockedError",
    "StoreReadOnlyError",
    "WriterIntent",
    "classify",
    "clean_file_name",
    "connect",
    "expand_paths",
    "failure_message",
    "get_meta",
    "is_current",
    "upgrade_if_older",
    "ingest",
    "ingest_bytes",
    "ingest_files",
    "ingest_many",
    "init_store",
    "internal_error_message",
    "marker_path",
    "pause_reading",
    "reading",
    "read_report",
    "set_meta",
    "store_evaluation",
    "table_counts",
    "transaction",
]

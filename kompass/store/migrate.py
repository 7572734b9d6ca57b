"""Schema upgrades: bring a store written by an older kompass to SCHEMA_VERSION in place.

`upgrade` runs inside the initialising transaction of `db._initialise`, so a
failed upgrade leaves the file as it was.
"""

from __future__ import annotations

from collections.abc import Callable

from duckdb import DuckDBPyConnection as Connection


def upgrade(con: Connection, version: int) -> None:
    """Apply every step after `version` (the store's current schema version)."""
    for step_version, step in STEPS:
        if version < step_version:
            step(con)


def add_report_notices(con: Connection) -> None:
    """3: `report.notices`, the codes and fields of the warnings (issue 9).

    Rows stored before keep NULL there: the app shows their English warnings as they are.
    """
    con.execute("ALTER TABLE report ADD COLUMN IF NOT EXISTS notices VARCHAR")


# (version, step): a step brings a store from version - 1 to version. Up to 2
# the schema only gained tables, which schema.sql's CREATE TABLE IF NOT EXISTS adds.
STEPS: list[tuple[int, Callable[[Connection], None]]] = [(3, add_report_notices)]

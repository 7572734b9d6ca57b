"""Schema upgrades: bring a store written by an older kompass to SCHEMA_VERSION in place.

`upgrade` runs inside the initialising transaction of `db._initialise`, so a
failed upgrade leaves the file as it was.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from duckdb import DuckDBPyConnection as Connection

SCHEMA_FILE = Path(__file__).with_name("schema.sql")


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


def add_total_computed(con: Connection) -> None:
    """4: `evaluation.total_computed`, and `report.format` 'published' (issue 11).

    Rows stored before are marked by the rules they were stored under: an import
    with all eight areas and no stated total (`total_line` NULL) had its total summed;
    the files `load_published` stored ("published/…", format csv) are the published ones.
    """
    # DuckDB adds no NOT NULL column with IF NOT EXISTS: add it, then constrain it (before
    # the UPDATE: a constraint cannot follow outstanding updates in one transaction).
    con.execute(
        "ALTER TABLE evaluation ADD COLUMN IF NOT EXISTS total_computed BOOLEAN DEFAULT false"
    )
    con.execute("ALTER TABLE evaluation ALTER COLUMN total_computed SET NOT NULL")
    con.execute(
        "UPDATE evaluation SET total_computed = true WHERE origin = 'import' "
        "AND total_line IS NULL AND total IS NOT NULL AND evaluation_id IN "
        "(SELECT evaluation_id FROM area_score GROUP BY evaluation_id HAVING count(*) = 8)"
    )
    con.execute(
        "UPDATE report SET format = 'published' "
        "WHERE format = 'csv' AND file_name LIKE 'published/%'"
    )


def add_originals_and_audit(con: Connection) -> None:
    """5: the tables `original` (the files' bytes, for `kompass reparse`) and `audit`
    (issue 13).

    schema.sql's CREATE TABLE IF NOT EXISTS has made them already when this runs; the
    step says so here and keeps the upgrade whole if schema.sql ever changes. Files
    stored before have no original: `kompass reparse` counts them and says how to
    keep them (ingest them again).
    """
    schema = SCHEMA_FILE.read_text(encoding="utf-8")
    for table in ("original", "audit"):
        found = re.search(rf"CREATE TABLE IF NOT EXISTS {table} \(.*?\n\);", schema, re.S)
        assert found is not None, table
        con.execute(found.group())


# (version, step): a step brings a store from version - 1 to version. Up to 2
# the schema only gained tables, which schema.sql's CREATE TABLE IF NOT EXISTS adds.
STEPS: list[tuple[int, Callable[[Connection], None]]] = [
    (3, add_report_notices),
    (4, add_total_computed),
    (5, add_originals_and_audit),
]

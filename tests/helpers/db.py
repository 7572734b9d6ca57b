"""Reading a store in tests: full dumps (to prove nothing changed) and row queries."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import duckdb

from kompass.store import TABLES, connect


def rows(db: Path, sql: str, params: list[Any] | None = None) -> list[tuple[Any, ...]]:
    with connect(db, read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


def dump(db: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, and the list of tables, in a stable order."""
    with connect(db, read_only=True) as con:
        tables = con.execute("SELECT table_name FROM duckdb_tables() ORDER BY ALL").fetchall()
        content = {t: con.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall() for t in TABLES}
    return {"(tables)": tables, **content}


# Two of Sala's neighbours (kompass/domain/data/neighbours.csv), and one that is not.
NEIGHBOUR_ROWS = (
    "kommun,ar,ramverk,omrade1,omrade2,omrade3,omrade4,omrade5,omrade6,omrade7,omrade8,total,kalla\n"
    "1980,2022,2020,70,60,50,40,30,20,10,60,,Test\n"
    "0331,2021,2020,50,60,70,80,90,40,30,20,,Test\n"
    "0331,2017,2010,10,10,10,10,10,10,10,10,,Test\n"
    "1283,2022,2020,99,99,99,99,99,99,99,99,,Test\n"
)


def with_neighbours(sample_db: Path, tmp_path: Path) -> Path:
    """A copy of the sample store with imported results for two of Sala's neighbours."""
    from kompass.store.imports import import_scores

    db = tmp_path / "k.duckdb"
    shutil.copyfile(sample_db, db)
    import_scores(NEIGHBOUR_ROWS.encode(), "grannar.csv", db)
    return db


def raw_sql(db: Path, *statements: str) -> None:
    """Run statements on the file directly, past kompass (to fake an older store)."""
    con = duckdb.connect(str(db))
    try:
        for statement in statements:
            con.execute(statement)
    finally:
        con.close()


def make_version_2(db: Path) -> None:
    """What kompass wrote before issue 9: no notices column, schema_version 2."""
    raw_sql(
        db,
        "ALTER TABLE report DROP COLUMN notices",
        "UPDATE meta SET value = '2' WHERE key = 'schema_version'",
    )

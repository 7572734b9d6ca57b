"""Reading a store in tests: full dumps (to prove nothing changed) and row queries."""

from __future__ import annotations

from pathlib import Path
from typing import Any

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

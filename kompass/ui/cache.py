"""Every Streamlit cache in one place.

Query results are cached per database file *and* its modification time, so
a new ingest (from the CLI or the upload page) shows up on the next rerun
without a restart, and a cache never serves another database's data.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

from kompass import queries


def db_version(db: Path) -> str:
    """Changes whenever the database file (or its WAL) changes."""
    parts = []
    for p in (db, db.with_name(db.name + ".wal")):
        try:
            st_ = p.stat()
            parts.append(f"{st_.st_mtime_ns}:{st_.st_size}")
        except FileNotFoundError:
            parts.append("-")
    return "|".join(parts)


@st.cache_data(show_spinner=False, max_entries=512)
def _call(name: str, db: str, version: str, args: tuple[Any, ...]) -> Any:
    return getattr(queries, name)(Path(db), *args)


def query(name: str, db: Path, *args: Any) -> Any:
    """`kompass.queries.<name>(db, *args)`, cached on the database version."""
    frozen = tuple(tuple(a) if isinstance(a, list) else a for a in args)
    return _call(name, str(db), db_version(db), frozen)


def evaluations(db: Path) -> pd.DataFrame:
    return query("evaluations", db)


def clear() -> None:
    """Drop every cached result (tests, or after a write from this process)."""
    _call.clear()

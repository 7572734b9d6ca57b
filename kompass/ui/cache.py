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


# A resource, not data: the tables are large at national scale and only read, so
# every caller shares one copy instead of unpickling all of them on each rerun.
@st.cache_resource(show_spinner=False, max_entries=2)
def _tidy(db: str, version: str) -> dict[str, pd.DataFrame]:
    from kompass import exports

    return exports.tidy_tables(Path(db))


def tidy_table_names(db: Path) -> list[str]:
    """Names of the downloadable tidy tables (kompass.exports)."""
    return list(_tidy(str(db), db_version(db)))


def tidy_table(db: Path, name: str) -> pd.DataFrame:
    return _tidy(str(db), db_version(db))[name]


@st.cache_data(show_spinner=False, max_entries=8)
def _zip(db: str, version: str, fmt: str) -> bytes:
    from kompass import exports

    return exports.zip_bytes(Path(db), fmt)


def export_zip(db: Path, fmt: str) -> bytes:
    """All tidy tables and their README as a zip, in csv, xlsx or parquet."""
    return _zip(str(db), db_version(db), fmt)


@st.cache_data(show_spinner=False, max_entries=16)
def _printout(db: str, version: str, kind: str, code: str, year: int, mean_key: str | None) -> Any:
    from kompass import printout

    if kind == "html":
        return printout.summary_html(Path(db), code, year, mean_key)
    return printout.radar_png(Path(db), code, year, mean_key)


def summary_html(db: Path, code: str, year: int, mean_key: str | None) -> str:
    """The one-page HTML summary (kompass.printout); slow (kaleido), so cached."""
    return str(_printout(str(db), db_version(db), "html", code, year, mean_key))


def radar_png(db: Path, code: str, year: int, mean_key: str | None) -> bytes:
    """The radar chart as a PNG for slides (kompass.printout); cached."""
    return bytes(_printout(str(db), db_version(db), "png", code, year, mean_key))


@st.cache_data(show_spinner=False, max_entries=16)
def _table_csv(db: str, version: str, name: str) -> bytes:
    from kompass import exports

    return exports.to_csv_bytes(_tidy(db, version)[name])


def table_csv(db: Path, name: str) -> bytes:
    """One tidy table as CSV for Swedish Excel, cached on the database version."""
    return _table_csv(str(db), db_version(db), name)


# Building the map (290 polygons, 20,000 points) takes longer than a rerun may.
@st.cache_resource(show_spinner=False, max_entries=2)
def _map_figure(db: str, version: str) -> Any:
    from kompass import charts
    from kompass.geo import load_geojson

    return charts.map_figure(query("map_frame", Path(db)), load_geojson())


def map_figure(db: Path) -> Any:
    """The Översikt map for this database version (shared, read-only)."""
    return _map_figure(str(db), db_version(db))

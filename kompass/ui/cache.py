"""Every Streamlit cache in one place, and what a page shows when the store fails.

Query results are cached per database file *and* its modification time, so
a new ingest (from the CLI or the upload page) shows up on the next rerun
without a restart, and a cache never serves another database's data.
Every cache is bounded in entries and time, and holds what a page shows
rather than whole query results (at national scale one search result is
30 MB; see `findings_page`).

An expected failure (the database locked, damaged, unwritable; a budget
exceeded) never reaches the page as a traceback: `guarded` shows it in
Swedish (`kompass.present.strings.error_text`) and ends the run (`st.stop`).
"""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

import duckdb
import pandas as pd
import streamlit as st

from kompass import queries, store
from kompass.errors import BudgetExceeded, KompassError
from kompass.present.strings import error_text
from kompass.queries import profile as profile_queries
from kompass.queries.profile import NeighbourMean

if TYPE_CHECKING:  # printout loads resvg and the fonts: imported when a page first needs it
    from kompass.present import printout

T = TypeVar("T")
# Ten minutes: a cache entry for an old database version is dropped even if no
# other entry pushes it out.
TTL_SECONDS = 600
# The findings search page shows the hits of at most this many evaluations,
# and at most this many hits; only those are cached (see findings_page).
SEARCH_GROUPS = 30
SEARCH_HITS = 600
SEARCH_ENTRIES = 128
# Pickled bytes per cached function (Streamlit evicts the least recently used
# beyond them); .streamlit/config.toml caps all of them together (maxCacheDataSize).
SEARCH_BYTES = "32MB"
# The export worker's wall-time limit (kompass.present.exports.zip_bytes_in_worker).
EXPORT_SECONDS = 120.0
# Rows of a tidy table the Data page shows (and the child process hands back).
BROWSE_ROWS = 1000


def stop_for(exc: KompassError) -> NoReturn:
    """Show an expected failure in Swedish and end this run of the page."""
    show = st.warning if exc.code == "store_locked" else st.error
    show(error_text(exc))
    st.stop()


def guarded(fn: Callable[..., T], *args: Any) -> T:
    """`fn(*args)`; a store or budget failure becomes a Swedish message and `st.stop()`."""
    try:
        return fn(*args)
    except KompassError as exc:
        stop_for(exc)
    except duckdb.Error as exc:
        # A failure while reading (a file damaged past its header): named by its cause.
        stop_for(store.classify(exc, None))


def db_version(db: Path) -> str:
    """Changes whenever the database file (or its WAL) changes."""
    parts = []
    for p in (db, db.with_name(db.name + ".wal")):
        try:
            st_ = p.stat()
            parts.append(f"{st_.st_mtime_ns}:{st_.st_size}")
        except OSError:  # missing, or a folder in the path is a file: opening says why
            parts.append("-")
    return "|".join(parts)


@st.cache_data(show_spinner=False, max_entries=256, ttl=TTL_SECONDS, max_size="256MB")
def _call(name: str, db: str, version: str, args: tuple[Any, ...]) -> Any:
    return getattr(queries, name)(Path(db), *args)


def _query(name: str, db: Path, *args: Any) -> Any:
    """`kompass.queries.<name>(db, *args)`, cached on the database version."""
    frozen = tuple(tuple(a) if isinstance(a, list) else a for a in args)
    return guarded(_call, name, str(db), db_version(db), frozen)


# --- one typed wrapper per query (pages call these, never `query` with a name) --------


def evaluations(db: Path) -> pd.DataFrame:
    """`queries.evaluations`: every evaluation with its municipality and report."""
    return _query("evaluations", db)


def area_names(db: Path, framework: str) -> list[str]:
    return list(_query("area_names", db, framework))


def scores_wide(db: Path, evaluation_ids: list[int]) -> pd.DataFrame:
    return _query("scores_wide", db, evaluation_ids)


def subarea_scores(db: Path, evaluation_id: int) -> pd.DataFrame:
    return _query("subarea_scores", db, evaluation_id)


def subarea_figure(db: Path, evaluation_id: int, color: str) -> Any:
    """`charts.subarea_figure` of one evaluation's sub-areas, shared by every session.

    Building it takes 0.1–0.4 s (one label above each of some 40 bars), more
    than the rest of Kommunprofil's rerun; st.plotly_chart only reads it.
    """
    return guarded(_subarea_figure, str(db), db_version(db), evaluation_id, color)


@st.cache_resource(show_spinner=False, max_entries=32, ttl=TTL_SECONDS)
def _subarea_figure(db: str, version: str, evaluation_id: int, color: str) -> Any:
    from kompass.present import charts

    return charts.subarea_figure(queries.subarea_scores(Path(db), evaluation_id), color)


def findings(db: Path, evaluation_id: int) -> pd.DataFrame:
    return _query("findings", db, evaluation_id)


def discrepancies(db: Path, evaluation_id: int) -> pd.DataFrame:
    return _query("discrepancies", db, evaluation_id)


def all_discrepancies(db: Path) -> pd.DataFrame:
    return _query("all_discrepancies", db)


def mean_options(db: Path, framework: str) -> pd.DataFrame:
    return _query("mean_options", db, framework)


def peers(db: Path, code: str, preset: str, k: int = 5) -> pd.DataFrame:
    return _query("peers", db, code, preset, k)


def comparable_scores(
    db: Path, evaluation_ids: list[int], target_framework: str, map_generations: bool
) -> pd.DataFrame:
    return _query("comparable_scores", db, evaluation_ids, target_framework, map_generations)


def framework_mapping(db: Path) -> pd.DataFrame:
    return _query("framework_mapping", db)


def role_models(db: Path, evaluation_id: int, area: int, k: int = 3) -> pd.DataFrame:
    return _query("role_models", db, evaluation_id, area, k)


def weakest_subareas(db: Path, evaluation_id: int, n: int = 5) -> pd.DataFrame:
    return _query("weakest_subareas", db, evaluation_id, n)


def reports(db: Path) -> pd.DataFrame:
    return _query("reports", db)


def store_is_current(db: Path) -> bool:
    """`store.is_current`, asked once per version of the database file."""
    return bool(_current(str(db), db_version(db)))


@st.cache_data(show_spinner=False, max_entries=8, ttl=TTL_SECONDS)
def _current(db: str, version: str) -> bool:
    return store.is_current(Path(db))


def map_frame(db: Path) -> pd.DataFrame:
    return _query("map_frame", db)


def neighbours(db: Path, code: str) -> list[str]:
    return list(_query("neighbours", db, code))


def nearest(db: Path, code: str, among: list[str], k: int = 10) -> list[str]:
    """`queries.profile.nearest` (cached)."""
    return list(guarded(_nearest, str(db), db_version(db), code, tuple(among), k))


@st.cache_data(show_spinner=False, max_entries=64, ttl=TTL_SECONDS, max_size="1MB")
def _nearest(db: str, version: str, code: str, among: tuple[str, ...], k: int) -> list[str]:
    return profile_queries.nearest(Path(db), code, list(among), k)


def clear() -> None:
    """Drop every cached result (tests, or after a write from this process)."""
    _call.clear()
    _subarea_figure.clear()
    _findings_page.clear()
    _zip.clear()
    _tidy_heads.clear()
    _table_csv.clear()
    _facts.clear()
    _neighbours.clear()
    _nearest.clear()
    _current.clear()


# --- the findings search -------------------------------------------------------------


@dataclass(frozen=True)
class FindingsPage:
    """What the search page shows for one search: counts, and the first hits only."""

    n_hits: int
    n_evaluations: int
    counts: pd.DataFrame  # hits per area (index) and kind (columns)
    hits: pd.DataFrame  # the first SEARCH_HITS hits of the first SEARCH_GROUPS evaluations
    n_shown_evaluations: int


@st.cache_data(
    show_spinner=False, max_entries=SEARCH_ENTRIES, ttl=TTL_SECONDS, max_size=SEARCH_BYTES
)
def _findings_page(db: str, version: str, args: tuple[Any, ...]) -> FindingsPage:
    found = queries.search_findings(Path(db), *args)
    keys = found[["name", "year", "file_name"]].drop_duplicates()
    first = found.merge(keys.head(SEARCH_GROUPS), on=["name", "year", "file_name"])
    shown = first.head(SEARCH_HITS).reset_index(drop=True)
    counts = found.pivot_table(
        index="area", columns="kind", values="text", aggfunc="count", fill_value=0
    )
    return FindingsPage(
        n_hits=len(found),
        n_evaluations=len(found[["code", "year"]].drop_duplicates()),
        counts=counts,
        hits=shown,
        n_shown_evaluations=len(shown[["name", "year", "file_name"]].drop_duplicates()),
    )


def findings_page(
    db: Path,
    text: str,
    area: int | None,
    kind: str | None,
    codes: list[str] | None,
    years: tuple[int, int] | None,
) -> FindingsPage:
    """`queries.search_findings`, reduced to what the page shows and cached (bounded)."""
    args = (text, area, kind, tuple(codes) if codes else None, years)
    return guarded(_findings_page, str(db), db_version(db), args)


# --- downloads -----------------------------------------------------------------------


# The Data page shows the first rows of one tidy table and offers one table as CSV. All
# tables together are about 115 MB at national scale and building them doubles that for a
# moment (the app server's peak memory went from 330 to 540 MB on one visit), so a child
# process builds them and hands back only what the page shows (issue 12).
_TIDY_CHILD = """
import pickle, sys
from pathlib import Path
from kompass.present import exports
db, what, arg = Path(sys.argv[1]), sys.argv[2], sys.argv[3]
tables = exports.tidy_tables(db)
if what == "heads":
    out = {name: (t.head(int(arg)).reset_index(drop=True), len(t)) for name, t in tables.items()}
else:
    out = exports.to_csv_bytes(tables[arg])
sys.stdout.buffer.write(pickle.dumps(out))
"""


def _tidy_in_child(db: str, what: str, arg: str) -> Any:
    """`_TIDY_CHILD`'s result (our own child's pickle); a failure is a KompassError."""
    store.pause_reading()  # the child reads on its own; no connection waits meanwhile
    root = str(Path(__file__).resolve().parents[2])  # this kompass first (a checkout)
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [root, os.environ.get("PYTHONPATH")])),
    }
    try:
        done = subprocess.run(
            [sys.executable, "-c", _TIDY_CHILD, db, what, arg],
            capture_output=True, timeout=EXPORT_SECONDS, env=env, stdin=subprocess.DEVNULL,
        )  # fmt: skip
    except subprocess.TimeoutExpired:
        raise BudgetExceeded(
            f"reading the tidy tables took over {EXPORT_SECONDS:g} s",
            limit="seconds",
            value=EXPORT_SECONDS,
        ) from None
    if done.returncode != 0 or not done.stdout:
        last = done.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or [""]
        raise KompassError(
            f"the tidy tables could not be read: {last[0]}", code="store_unavailable"
        )
    return pickle.loads(done.stdout)  # noqa: S301 – our own child's output, never outside data


@st.cache_data(show_spinner=False, max_entries=2, ttl=TTL_SECONDS, max_size="32MB")
def _tidy_heads(db: str, version: str, rows: int) -> dict[str, tuple[pd.DataFrame, int]]:
    return dict(_tidy_in_child(db, "heads", str(rows)))


def tidy_table_names(db: Path) -> list[str]:
    """Names of the downloadable tidy tables (kompass.present.exports)."""
    return list(guarded(_tidy_heads, str(db), db_version(db), BROWSE_ROWS))


def tidy_table_head(db: Path, name: str, rows: int = BROWSE_ROWS) -> tuple[pd.DataFrame, int]:
    """The first `rows` rows of one tidy table, and how many rows it has."""
    head, n_rows = guarded(_tidy_heads, str(db), db_version(db), max(rows, BROWSE_ROWS))[name]
    return head.head(rows), n_rows


@st.cache_data(show_spinner=False, max_entries=3, ttl=TTL_SECONDS, max_size="256MB")
def _zip(db: str, version: str, fmt: str) -> bytes:
    from kompass.present import exports

    store.pause_reading()  # the worker reads on its own; no connection waits meanwhile
    return exports.zip_bytes_in_worker(Path(db), fmt, timeout=EXPORT_SECONDS)


def one_connection(db: Path) -> AbstractContextManager[None]:
    """A page run's reads share one read-only connection (`store.reading`)."""
    return store.reading(db)


def export_zip(db: Path, fmt: str) -> bytes:
    """All tidy tables and their README as a zip, in csv, xlsx or parquet.

    Built in a worker process, so no other session waits for it; raises
    KompassError (BudgetExceeded over EXPORT_SECONDS, or a StoreError).
    """
    return _zip(str(db), db_version(db), fmt)


@st.cache_data(show_spinner=False, max_entries=16, ttl=TTL_SECONDS, max_size="64MB")
def _printout(db: str, version: str, kind: str, code: str, year: int, mean_key: str | None) -> Any:
    from kompass.present import printout

    store.pause_reading()  # the print-out opens its own read connection
    if kind == "html":
        return printout.summary_html(Path(db), code, year, mean_key)
    return printout.radar_png(Path(db), code, year, mean_key)


def summary_html(db: Path, code: str, year: int, mean_key: str | None) -> str:
    """The one-page HTML summary with its SVG radar (kompass.present.printout); cached."""
    return str(guarded(_printout, str(db), db_version(db), "html", code, year, mean_key))


def radar_png(db: Path, code: str, year: int, mean_key: str | None) -> bytes:
    """The radar chart as a PNG for slides (kompass.present.printout); cached."""
    return bytes(guarded(_printout, str(db), db_version(db), "png", code, year, mean_key))


@st.cache_data(show_spinner=False, max_entries=4, ttl=TTL_SECONDS, max_size="128MB")
def _table_csv(db: str, version: str, name: str) -> bytes:
    return bytes(_tidy_in_child(db, "csv", name))


def table_csv(db: Path, name: str) -> bytes:
    """One tidy table as CSV for Swedish Excel, cached on the database version."""
    return guarded(_table_csv, str(db), db_version(db), name)


# --- Kommunprofil's answer at the top ------------------------------------------------


@st.cache_data(show_spinner=False, max_entries=64, ttl=TTL_SECONDS, max_size="16MB")
def _facts(db: str, version: str, code: str, year: int, mean_key: str | None) -> Any:
    from kompass.present import printout

    return printout.summary_facts(Path(db), code, year, mean_key)


def summary_facts(db: Path, code: str, year: int, mean_key: str | None) -> printout.SummaryFacts:
    """`printout.SummaryFacts` of one evaluation against the chosen mean (cached)."""
    return guarded(_facts, str(db), db_version(db), code, year, mean_key)


def neighbour_mean(db: Path, code: str, framework: str) -> NeighbourMean | None:
    """`queries.profile.neighbour_mean`: the neighbours' latest results (cached)."""
    return guarded(_neighbours, str(db), db_version(db), code, framework)


@st.cache_data(show_spinner=False, max_entries=64, ttl=TTL_SECONDS, max_size="8MB")
def _neighbours(db: str, version: str, code: str, framework: str) -> Any:
    return profile_queries.neighbour_mean(Path(db), code, framework)

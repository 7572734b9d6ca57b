"""Start-up warm-up: fill the caches every visitor needs before the first visitor comes.

`warm(db)` runs in the server's process before Streamlit's server starts
(`kompass serve`, `kompass bench`). Streamlit's caches (`st.cache_data`,
`st.cache_resource`) are process-global: called outside a script run ("bare
mode") the wrappers in `kompass.ui.cache` store their results where the
server's sessions later find them. What is filled: the evaluations, the
means and area names of each framework, the national map (query and figure),
the ranking's scores and the framework mapping, and the modules and plotly
figure classes every page imports on its first run. Not filled: the tidy
tables of the Data page (about 115 MB at national scale, for one page).

The caches keep an entry for ten minutes (`cache.TTL_SECONDS`), so by default
a daemon thread repeats the warm-up every REFRESH_SECONDS: an entry that has
expired, or a new database version after an ingest, is filled again before
a visitor asks (a fresh entry costs a lookup, not a query).

Importing this module is cheap (no Streamlit, pandas or plotly until `warm`
runs), and `warm` never raises: a failure is logged and the app starts cold.
"""

from __future__ import annotations

import logging
import threading
import time
from pathlib import Path

_LOG = logging.getLogger(__name__)
# Bare-mode Streamlit warns that it has no runtime or script context: expected here.
_QUIET = (
    "streamlit.runtime.caching.cache_data_api",
    "streamlit.runtime.caching.cache_resource_api",
    "streamlit.runtime.scriptrunner_utils.script_run_context",
)
# Shorter than the caches' ten minutes: an expired entry is cold for at most this long.
REFRESH_SECONDS = 60.0


def warm(db: Path, refresh_seconds: float | None = REFRESH_SECONDS) -> None:
    """Fill the shared caches for the store at `db`; log what it took, never raise.

    With `refresh_seconds`, a daemon thread fills them again at that interval
    for as long as the process runs (`kompass serve`); None warms once.
    """
    _warm_once(Path(db))
    if refresh_seconds:
        threading.Thread(
            target=_keep_warm, args=(Path(db), refresh_seconds), name="kompass-warm", daemon=True
        ).start()


def _keep_warm(db: Path, seconds: float) -> None:
    while True:
        time.sleep(seconds)
        _warm_once(db)


def _warm_once(db: Path) -> None:
    started = time.perf_counter()
    quiet = [logging.getLogger(name) for name in _QUIET]
    levels = [q.level for q in quiet]
    for q in quiet:
        q.setLevel(logging.ERROR)
    try:
        done = _fill(db)
    except Exception:  # a cold start is slower, never broken
        _LOG.warning("kompass: warm-up of %s failed; the app starts cold", db, exc_info=True)
        return
    finally:
        for q, level in zip(quiet, levels, strict=True):
            q.setLevel(level)
    _LOG.info("kompass: warm-up of %s in %.1f s: %s", db, time.perf_counter() - started, done)


def _fill(db: Path) -> str:
    """The warm-up itself; returns what was filled, for the log."""
    _import_pages()
    _streamlit_elements()
    if not db.exists():
        return "no store yet (the app builds it on the first visit)"
    from kompass import store
    from kompass.ui import cache

    if not cache.store_is_current(db):
        return "store needs an upgrade (the app does it on the first visit)"
    with store.reading(db):  # one read-only connection for the whole warm-up, closed after
        evals = cache.evaluations(db)
        if evals is None or evals.empty:
            return "store is empty"
        for framework in sorted({str(f) for f in evals.framework}):
            cache.mean_options(db, framework)
            cache.area_names(db, framework)
        _overview(db, evals)
        cache.framework_mapping(db)
    return f"{len(evals)} evaluations"


def _overview(db: Path, evals: object) -> None:
    """The start page: the map's frame and figure, the ranking's scores."""
    from kompass import queries
    from kompass.present import maps
    from kompass.ui import cache

    frame = cache.map_frame(db)
    maps.national_map(frame, hover=False)  # the first screen's, then the whole page's
    maps.national_map(frame)
    ranked = queries.ranking(evals)  # type: ignore[arg-type]
    cache.scores_wide(db, [int(i) for i in ranked.evaluation_id])


def _import_pages() -> None:
    """What every page imports, and plotly's figure classes (lazily loaded, slow the first time)."""
    import plotly.graph_objects as go
    import plotly.io as pio

    import kompass.present.charts
    import kompass.present.compare
    import kompass.present.development
    import kompass.present.maps
    import kompass.present.overview
    import kompass.present.printout
    import kompass.present.profile
    import kompass.present.tables
    import kompass.ui.common
    import kompass.ui.widgets  # noqa: F401

    figure = go.Figure(
        [
            go.Scatterpolar(r=[1, 2], theta=["a", "b"]),
            go.Bar(x=[1], y=["a"]),
            go.Heatmap(z=[[1]]),
            go.Scatter(x=[1], y=[1]),
        ]
    )
    pio.to_json(figure, validate=True)


def _streamlit_elements() -> None:
    """Streamlit's own first time: the element types the pages draw, drawn once in bare mode.

    Outside a script run the commands build their messages and send nothing; the
    first visitor no longer pays for pyarrow's and the serialisers' first use. The
    app declares its pages with st.navigation (app.py): saying so now spares the
    first session Streamlit's pages/ folder mode and the rerun out of it
    (`ui.common.leave_v1_mode`).
    """
    import pandas as pd
    import plotly.graph_objects as go
    import streamlit as st
    from streamlit.runtime.pages_manager import PagesManager

    if PagesManager.uses_pages_directory is None:
        PagesManager.uses_pages_directory = False
    frame = pd.DataFrame({"Område": ["1 a", "2 b"], "Poäng": [60.0, 70.0], "År": [2023, 2024]})
    st.html("<p>a</p>")
    st.dataframe(frame, hide_index=True)
    st.metric("Total", "500", delta="+1")
    st.markdown("**a** b")
    st.plotly_chart(go.Figure(go.Scatterpolar(r=[1, 2], theta=["a", "b"])))

"""The start-up warm-up (kompass.ui.warm, issue 12): filled outside a script run, used by it.

`warm` runs in Streamlit's bare mode (no script run, as `kompass serve` calls it
before the server starts); the app's first run must then find what it reads
in the caches: the start page opens no database connection at all.
"""

from __future__ import annotations

import logging
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import pytest

from kompass.store import db as store_db
from kompass.ui import cache
from kompass.ui.warm import warm
from tests.helpers.app import run_page


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Every duckdb.connect the store makes, by path."""
    calls: list[str] = []
    real = duckdb.connect

    def counting(database: Any = ":memory:", *args: Any, **kwargs: Any) -> Any:
        calls.append(str(database))
        return real(database, *args, **kwargs)

    monkeypatch.setattr(store_db.duckdb, "connect", counting)
    yield calls


def test_after_the_warm_up_the_start_page_reads_nothing(
    sample_db: Path, use_db: Any, opened: list[str]
) -> None:
    use_db(sample_db, autoload=False)
    warm(sample_db, refresh_seconds=None)
    assert opened, "the warm-up itself reads the store"
    opened.clear()
    at = run_page("pages/oversikt.py")
    assert at.get("plotly_chart")
    assert opened == []
    # Without the warm-up the same run reads the store: the check above can fail.
    cache.clear()
    run_page("pages/oversikt.py")
    assert opened


def test_the_warm_up_never_raises(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    garbage = tmp_path / "garbage.duckdb"
    garbage.write_bytes(b"not a database" * 100)
    folder = tmp_path / "folder.duckdb"
    folder.mkdir()
    with caplog.at_level(logging.INFO, logger="kompass.ui.warm"):
        for db in (tmp_path / "missing.duckdb", garbage, folder):
            warm(db, refresh_seconds=None)
    assert len(caplog.records) == 3  # one line each: what was filled, or why not
    cache.clear()


def test_importing_the_warm_up_is_cheap() -> None:
    # kompass serve imports it before Streamlit starts: nothing heavy until warm() runs.
    code = (
        "import sys, kompass.ui.warm; "
        "print(sorted(m for m in ('streamlit', 'pandas', 'plotly', 'duckdb') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"

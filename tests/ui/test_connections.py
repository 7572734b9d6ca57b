"""Issue 9: a cold rerun of each page opens at most 3 database connections.

A page's reads share one read-only connection (`store.reading`, opened by
app.py around the page); before that, a cold Lär av andra rerun opened 19.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import pytest

from kompass.store import db as store_db
from kompass.ui import cache
from tests.helpers.app import PAGES, run_page

MOST = 3


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


@pytest.mark.parametrize("page", PAGES)
def test_a_cold_rerun_opens_few_connections(
    page: str, sample_db: Path, use_db: Any, opened: list[str]
) -> None:
    use_db(sample_db)
    at = run_page(page)
    cache.clear()
    opened.clear()
    at.run()
    assert not at.exception
    assert 1 <= len(opened) <= MOST, opened

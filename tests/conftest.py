"""Shared fixtures: one store built from the sample reports, plus empty and fresh stores.

`sample_db` is built once per test run from `data/reports/` (STYLE.md, "One
fixture store"); unit, AppTest and browser tests share it, so open it
read-only. Tests that write use `sample_db_copy`, `empty_db` or `fresh_db`.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kompass.store import ingest_many, init_store

REPO = Path(__file__).resolve().parent.parent
SAMPLE_REPORTS = REPO / "data" / "reports"


@pytest.fixture(scope="session")
def sample_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store holding the five sample reports (built once; treat as read-only)."""
    db = tmp_path_factory.mktemp("sample_store") / "kompass.duckdb"
    results, failures = ingest_many([SAMPLE_REPORTS], db)
    assert not failures, failures
    assert len(results) == 5
    return db


@pytest.fixture(scope="session")
def national_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A synthetic national store: 1 200 reports over Sweden (about a minute; read-only)."""
    from kompass.devtools import synth

    work = tmp_path_factory.mktemp("national_store")
    synth.write_corpus(work / "reports", 1200, seed=7)
    db = work / "kompass.duckdb"
    _, failures = ingest_many([work / "reports"], db)
    assert not failures
    return db


@pytest.fixture
def sample_db_copy(sample_db: Path, tmp_path: Path) -> Path:
    """A private, writable copy of `sample_db`."""
    copy = tmp_path / "sample-copy.duckdb"
    shutil.copyfile(sample_db, copy)
    return copy


@pytest.fixture
def empty_db(tmp_path: Path) -> Path:
    """An initialised store: schema and reference tables, no evaluations."""
    return init_store(tmp_path / "empty.duckdb")


@pytest.fixture
def fresh_db(tmp_path: Path) -> Path:
    """Path to a database that does not exist yet (nor does its folder)."""
    return tmp_path / "not-yet" / "kompass.duckdb"


@pytest.fixture
def use_db(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """For AppTest: `use_db(path, autoload=True)` points the app at a store, caches cleared."""
    from kompass.ui import cache

    def choose(db: Path, autoload: bool = True) -> None:
        monkeypatch.setenv("KOMPASS_DB", str(db))
        monkeypatch.setenv("KOMPASS_NO_AUTOLOAD", "0" if autoload else "1")
        cache.clear()

    yield choose
    cache.clear()


# Browser tests (test_browser, test_concurrency, test_safety) share these; a module
# gets one Chromium, each test a fresh page. Playwright is imported only when used.
@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from tests.helpers.browser import CHROMIUM, NO_CHROMIUM, chromium

    if CHROMIUM is None:  # a browser test without `needs_chromium` skips all the same
        pytest.skip(NO_CHROMIUM)
    with chromium() as b:
        yield b


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """Say plainly, after the results, that the browser tests did not run and how to run them."""
    from tests.helpers.browser import NO_CHROMIUM

    skipped = [
        r for r in terminalreporter.stats.get("skipped", []) if NO_CHROMIUM in str(r.longrepr)
    ]
    if skipped:
        terminalreporter.write_sep("=", "browser tests skipped", yellow=True, bold=True)
        terminalreporter.write_line(
            f"Browser tests skipped: Chromium not found ({len(skipped)} tests). Install it with "
            "`sudo make chromium` (Debian) and run make test again."
        )


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    from tests.helpers.browser import fresh_page

    with fresh_page(browser) as pg:
        yield pg

"""`kompass bench`'s browser clock: it finds what each page shows when ready.

The bench reads the page's own clock when the element is laid out and
visible, checked every 10 ms (Playwright's back-off rounded 0.6 s up to 0.9 s).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from kompass.devtools import bench
from tests.helpers.browser import needs_chromium

pytestmark = [pytest.mark.browser, needs_chromium]


def test_the_minimal_page_is_timed_from_the_pages_clock(tmp_path: Path, page: Any) -> None:
    script = bench._minimal_page(tmp_path)
    with bench.serve(script, tmp_path / "unused.duckdb", tmp_path) as (url, _):
        ms = bench._first_chart_ms(page, url)
        # The clock starts with the navigation, so it can never exceed the wall time.
        assert 0 < ms < 30_000
        assert ms <= page.evaluate("performance.now()")


def test_every_page_of_the_app_shows_what_the_bench_waits_for(sample_db: Path, page: Any) -> None:
    code = bench.sample_code(sample_db)
    with bench.serve(None, sample_db, bench.REPO_ROOT) as (url, _):
        for label, _, path, params, ready in bench.PAGES:
            ms = bench._first_chart_ms(page, bench._page_url(url, path, params, code), ready)
            assert 0 < ms < 30_000, label


def test_the_floors_are_measured_in_turns_with_their_own_settings(
    tmp_path: Path, page: Any
) -> None:
    script = bench._minimal_page(tmp_path)
    db = tmp_path / "unused.duckdb"
    with (
        bench.serve(script, db, tmp_path) as (plain, _),
        bench.serve(script, db, tmp_path, flags=bench.QUIET_FLAGS) as (quiet, quiet_pid),
    ):
        targets = [(bench.MINIMAL, plain, "chart"), (bench.MINIMAL_QUIET, quiet, "chart")]
        times = bench.first_chart_rounds(page, targets, rounds=2)
        command = Path(f"/proc/{quiet_pid}/cmdline").read_bytes().split(b"\0")
    assert set(times) == {bench.MINIMAL, bench.MINIMAL_QUIET}
    assert all(0 < ms < 30_000 for ms in times.values())
    assert command[-3:-1] == [b"--server.fileWatcherType", b"none"]

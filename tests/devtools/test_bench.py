"""`kompass bench`'s page timing (kompass.ui.timing) runs every page on a real store."""

from __future__ import annotations

from pathlib import Path

import pytest

from kompass.devtools import bench


def test_rerun_times_cover_every_page(
    sample_db_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The timing points the app at the store through the environment: restore it after.
    monkeypatch.setenv("KOMPASS_DB", str(sample_db_copy))
    monkeypatch.setenv("KOMPASS_NO_AUTOLOAD", "1")
    times = bench.rerun_times(sample_db_copy, repeats=1)
    assert set(times) == {p[0] for p in bench.PAGES} | {"Minimal sida"}
    assert all(ms > 0 for ms in times.values())

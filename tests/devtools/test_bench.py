"""`kompass bench`'s page timing (kompass.ui.timing) runs every page on a real store."""

from __future__ import annotations

from pathlib import Path
from typing import Any

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


def scale(first_chart: dict[str, float], **browser: Any) -> bench.Scale:
    """A measured scale as `bench.run` returns it, with the given browser figures."""
    return bench.Scale(
        "nationell",
        evaluations=2014,
        text_rate=150.0,
        text_files=2000,
        rerun_ms={"Kommunprofil": 120.0},
        browser=bench.Browser(first_chart_ms=first_chart, **browser),
        printout=bench.Printout(0.2, 0.3, 0.05, 0.06, browser=[], kaleido=False),
    )


def test_verdicts_name_every_target_with_its_numbers() -> None:
    pages = {"Översikt": 1400.0, "Kommunprofil": 1600.0, "Jämför": 1300.0, "Utveckling": 1200.0}
    pages |= {"Lär av andra": 1100.0, "Styrkor och förbättringar": 1150.0, "Data": 1500.0}
    measured = scale(
        {**pages, "Minimal sida": 1000.0, "Minimal sida i st.navigation": 1400.0}
        | {"Minimal sida utan filbevakning": 800.0},
        cold_ms=2600.0,
        cold_empty_ms=5000.0,
        start_s=3.0,
        picker_ms={"Kommunprofil": 450.0, "Jämför": 520.0},
        peak_mb=350.0,
    )
    lines = bench.verdicts([measured])
    text = "\n".join(lines)
    # Only pages with a chart count for the 1.5× target; Data (1.5×, a grid) is listed apart.
    assert "MISSED by Kommunprofil 1.60×" in text
    assert "Data 1.50×" in text
    # What the pages add to Streamlit's multipage floor, beside the target's ratio.
    assert "1.40× the minimal page; against it: Översikt 1.00×, Kommunprofil 1.14×" in text
    # And against the stricter floor: the minimal page without Streamlit's file watcher.
    assert "utan filbevakning is 0.80× the minimal page; against it: Översikt 1.75×" in text
    assert "2.60 s – MISSED" in text
    assert "MISSED by Jämför 520 ms" in text
    assert "350 MB – met" in text
    assert "HTML 200 ms, PNG 300 ms, browser processes: none – met" in text
    table = bench.markdown([measured])
    assert "| Kommunprofil | 120 | 1 600 | 1.60 |" in table
    assert "| Minimal sida utan filbevakning | – | 800 | 0.80 |" in table
    assert "| picker change to updated chart, Jämför, ms | 520 |" in table


def test_the_print_out_is_timed_in_a_fresh_process_without_a_browser(sample_db: Path) -> None:
    timed = bench.printout_times(sample_db, "1981")
    assert timed.again_html_s > 0
    assert timed.first_png_s > 0
    assert timed.browser == []  # no Chromium (kaleido) process started by the print-out

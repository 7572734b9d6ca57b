"""Partial, total-only and published results in a real browser (issue 11).

A `streamlit run` server on the sample store plus imported rows
(`tests.helpers.db.with_partial_results`), headless Chromium: hovering Karlskoga
on the Översikt map says "publicerat resultat" and names the source; Kommunprofil
of a total-only and a partial result shows "uppgift saknas" and no radar;
Utveckling draws Sala's totals over time with the published one marked.
Screenshots: screenshots/partial-*.png.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kompass.domain import geo
from tests.helpers.browser import (
    CHART,
    EXCEPTION,
    chart_data,
    main_text,
    needs_chromium,
    running_server,
    screenshot,
    wait_until_settled,
)
from tests.helpers.db import with_partial_results

pytestmark = needs_chromium

_POINT = """([lon, lat]) => {
    const gd = document.querySelector('.js-plotly-plot');
    const xa = gd._fullLayout.xaxis, ya = gd._fullLayout.yaxis;
    const box = gd.getBoundingClientRect();
    return {x: box.left + xa._offset + xa.l2p(lon), y: box.top + ya._offset + ya.l2p(lat)};
}"""


@pytest.fixture(scope="module")
def url(sample_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    db = with_partial_results(sample_db, tmp_path_factory.mktemp("partial_browser"))
    with running_server(db) as base:
        yield base


def _open(browser: Any, url: str, width: int, charts: bool = True) -> Any:
    context = browser.new_context(viewport={"width": width, "height": 2600}, locale="sv-SE")
    page = context.new_page()
    page.goto(url)
    page.wait_for_selector("[data-testid=stMain] h1", timeout=60_000)
    if charts:
        page.wait_for_selector(CHART, timeout=60_000)
    wait_until_settled(page)
    assert page.locator(EXCEPTION).count() == 0
    return page


def _centre(code: str) -> tuple[float, float]:
    points = geo.target_points()[code]
    mx = sum(p[0] for p in points) / len(points)
    my = sum(p[1] for p in points) / len(points)
    return min(points, key=lambda p: ((p[0] - mx) * 0.47) ** 2 + (p[1] - my) ** 2)


@pytest.mark.parametrize("width", [1280, 390])
def test_map_hover_marks_a_published_result(browser: Any, url: str, width: int) -> None:
    page = _open(browser, url, width)
    try:
        screenshot(page, f"partial-oversikt-{width}")
        at = page.evaluate(_POINT, list(_centre("1883")))
        page.mouse.move(at["x"], at["y"])
        page.wait_for_timeout(300)
        hover = str(page.locator(".hoverlayer").text_content())
        assert "Karlskoga 2014" in hover
        assert "publicerat resultat" in hover and "karlskoga.se" in hover
        assert "publicerade resultat (data/published)" in main_text(page)
    finally:
        page.context.close()


@pytest.mark.parametrize(("code", "charts"), [("1883", False), ("1283", True)])
def test_profile_of_a_partial_result(browser: Any, url: str, code: str, charts: bool) -> None:
    page = _open(browser, f"{url}/profil?kommun={code}", 390, charts)
    try:
        screenshot(page, f"partial-profil-{code}-390")
        text = main_text(page)
        assert "uppgift saknas" in text
        assert "publicerat resultat" in text
        drawn = page.locator(CHART).count()
        if charts:
            bars = chart_data(page, 0)
            assert list(bars[0]["x"]) == [80, 90]
        else:
            assert drawn == 0
    finally:
        page.context.close()


def test_totals_over_time_marks_published(browser: Any, url: str) -> None:
    page = _open(browser, f"{url}/utveckling?kommun=1981", 1280)
    try:
        screenshot(page, "partial-utveckling-1280")
        totals = chart_data(page, 0)
        assert list(totals[0]["x"]) == [2016, 2019, 2023]
        assert totals[1]["name"] == "publicerat resultat" and list(totals[1]["x"]) == [2016]
    finally:
        page.context.close()

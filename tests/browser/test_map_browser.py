"""The Översikt map in a real browser: polygons as hover and click targets, offline.

A real `streamlit run` server on the sample store (5 evaluated, markers shown)
and on a synthetic national store (every municipality evaluated, no markers),
headless Chromium. Screenshots: screenshots/map-*.png.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kompass import cli
from kompass.domain import geo
from tests.helpers.browser import (
    CHART,
    EXCEPTION,
    needs_chromium,
    running_server,
    screenshot,
    wait_until_settled,
)

pytestmark = needs_chromium

# Pixel position (in the page) of a lon/lat point on the map, and the plot area's box.
_GEOMETRY = """([lon, lat]) => {
    const gd = document.querySelector('.js-plotly-plot');
    const xa = gd._fullLayout.xaxis, ya = gd._fullLayout.yaxis;
    const box = gd.getBoundingClientRect();
    const legend = gd.querySelector('.legend').getBoundingClientRect();
    return {
        x: box.left + xa._offset + xa.l2p(lon), y: box.top + ya._offset + ya.l2p(lat),
        plotBottom: box.top + ya._offset + ya._length, plotLeft: box.left + xa._offset,
        plotRight: box.left + xa._offset + xa._length, figureBottom: box.bottom,
        legendTop: legend.top, legendBottom: legend.bottom,
    };
}"""

_MAIN_SHOWS = "t => (document.querySelector('[data-testid=stMain]')?.innerText || '').includes(t)"


def _centre(code: str) -> tuple[float, float]:
    """The target point nearest the middle of a municipality's targets: inside its polygon."""
    points = geo.target_points()[code]
    mx = sum(p[0] for p in points) / len(points)
    my = sum(p[1] for p in points) / len(points)
    return min(points, key=lambda p: ((p[0] - mx) * 0.47) ** 2 + (p[1] - my) ** 2)


@pytest.fixture(scope="module")
def sample_url(sample_db: Path) -> Iterator[str]:
    with running_server(sample_db) as url:
        yield url


@pytest.fixture(scope="module")
def national_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    db = tmp_path_factory.mktemp("national") / "demo.duckdb"
    assert cli.main(["demo", "--db", str(db), "--antal", "400", "--quiet"]) == 0
    with running_server(db) as url:
        yield url


def _open(browser: Any, url: str, width: int) -> tuple[Any, list[str], float]:
    """A fresh page at `width` px on Översikt, every request logged; seconds to the map."""
    context = browser.new_context(viewport={"width": width, "height": 2600}, locale="sv-SE")
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    start = time.monotonic()
    page.goto(url)
    page.wait_for_selector(CHART, timeout=60_000)
    seconds = time.monotonic() - start
    wait_until_settled(page)
    assert page.locator(EXCEPTION).count() == 0
    return page, requests, seconds


def _hover(page: Any, lon: float, lat: float) -> str:
    at = page.evaluate(_GEOMETRY, [lon, lat])
    page.mouse.move(at["x"], at["y"])
    page.wait_for_timeout(300)
    return str(page.locator(".hoverlayer").text_content())


@pytest.mark.parametrize("width", [1280, 390])
def test_sala_polygon_hovers_and_opens_the_profile(
    browser: Any, sample_url: str, width: int
) -> None:
    page, requests, _ = _open(browser, sample_url, width)
    try:
        screenshot(page, f"map-sample-{width}")
        # The centre of Sala's polygon, and a point inside it well away from its marker.
        assert "Sala 2023" in _hover(page, *_centre("1981"))
        far = max(geo.target_points()["1981"], key=lambda p: abs(p[0] - 16.6))
        assert "Sala 2023" in _hover(page, *far)
        at = page.evaluate(_GEOMETRY, list(_centre("1981")))
        page.mouse.click(at["x"], at["y"])
        page.wait_for_url("**/profil?kommun=1981*", timeout=30_000)
        page.wait_for_function(_MAIN_SHOWS, arg="Sala 2023", timeout=30_000)
        assert [r for r in requests if not r.startswith(sample_url)] == []
    finally:
        page.context.close()


@pytest.mark.parametrize("width", [1280, 390])
def test_legend_below_the_map_at_every_width(browser: Any, sample_url: str, width: int) -> None:
    page, _, _ = _open(browser, sample_url, width)
    try:
        box = page.evaluate(_GEOMETRY, [16.6, 59.9])
        assert box["legendTop"] >= box["plotBottom"] - 1, box
        assert box["legendBottom"] <= box["figureBottom"] + 1, box
        assert box["plotRight"] <= width, box
    finally:
        page.context.close()


# Around Stockholm, where 38 markers within 40 px once hid each other (Täby for Stockholm).
# Solna and Sundbyberg are left out: at national scale each is about a pixel, and
# their centres lie within 1.5 px of Stockholm's (288 of the 290 centres hover their
# own name; "Sök kommun" finds every one).
STOCKHOLM_AREA = {
    "0180": "Stockholm", "0160": "Täby", "0162": "Danderyd", "0186": "Lidingö",
    "0182": "Nacka", "0115": "Vallentuna", "0187": "Vaxholm", "0163": "Sollentuna",
}  # fmt: skip


def test_national_map_hovers_the_polygon_under_the_pointer(browser: Any, national_url: str) -> None:
    page, requests, seconds = _open(browser, national_url, 1280)
    try:
        screenshot(page, "map-national-1280")
        assert seconds < 30, seconds
        # No markers at national scale: only the polygons' targets answer.
        traces = page.evaluate(
            "() => document.querySelector('.js-plotly-plot').data.map(t => t.name)"
        )
        assert "Utvärderad kommun" not in traces
        shown = {code: _hover(page, *_centre(code)) for code in STOCKHOLM_AREA}
        assert all(shown[c].startswith(name + " ") for c, name in STOCKHOLM_AREA.items()), shown
        at = page.evaluate(_GEOMETRY, list(_centre("0180")))
        page.mouse.click(at["x"], at["y"])
        page.wait_for_url("**/profil?kommun=0180*", timeout=30_000)
        assert [r for r in requests if not r.startswith(national_url)] == []
    finally:
        page.context.close()

"""The leader's screen in a real browser (issue 10): Kommunprofil and Jämför at 1280 and 390 px,
on the sample store and on the synthetic national store.

What is asserted, per store and width: the mean's label names no file; Jämför has the mean
as a trace of its radar and bars and a totals chart; the traces of every chart have
distinct colours; a link to a municipality without evaluation says so and shows no other
municipality; no table on these pages scrolls sideways.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kompass.devtools.bench import sample_code
from kompass.ui.registry import PAGES
from tests.helpers.browser import (
    SHOTS,
    needs_chromium,
    start_server,
    stop_server,
    wait_until_settled,
)

pytestmark = [needs_chromium, pytest.mark.browser]

WIDTHS = (1280, 390)
FILE_WORDS = (".txt", ".pdf", ".csv", "rad ")

# Every chart's traces: name and the one colour it is drawn in (None for per-point colours).
CHARTS = """() => Array.from(document.querySelectorAll('.js-plotly-plot')).map((plot) =>
  (plot.data || []).filter((t) => t.showlegend !== false && t.type !== 'heatmap'
      && t.mode !== 'text' && t.hoverinfo !== 'skip')
    .map((t) => {
      const c = (t.line && t.line.color) || (t.marker && t.marker.color) || null;
      return {name: t.name || '', color: typeof c === 'string' ? c : null};
    }))"""
# Tables wider than their box scroll sideways on a phone.
WIDE_TABLES = """() => Array.from(document.querySelectorAll(
    '[data-testid=stMain] .kompass-table table')).filter((t) =>
      t.parentElement && t.scrollWidth > t.parentElement.clientWidth + 1).length"""


@pytest.fixture(scope="module", params=["sample", "national"])
def store(request: pytest.FixtureRequest) -> Iterator[tuple[str, str]]:
    """A server on the sample or the national store, and a municipality with 2+ evaluations."""
    db: Path = request.getfixturevalue(f"{request.param}_db")
    proc, url = start_server(db)
    try:
        yield url, sample_code(db)
    finally:
        stop_server(proc)


def visit(browser: Any, url: str, width: int, name: str) -> Any:
    context = browser.new_context(viewport={"width": width, "height": 1000}, locale="sv-SE")
    page = context.new_page()
    page.goto(url)
    wait_until_settled(page)
    page.wait_for_timeout(500)
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"leader-{name}-{width}.png"), full_page=True)
    return page


def distinct_colours(charts: list[list[dict[str, Any]]]) -> list[list[str]]:
    """Charts in which two traces share a colour (as the lists of their colours)."""
    clashes = []
    for traces in charts:
        colours = [t["color"].lower() for t in traces if t["color"]]
        if len(colours) != len(set(colours)):
            clashes.append(colours)
    return clashes


@pytest.mark.parametrize("width", WIDTHS)
def test_profile_names_its_mean_and_fits(store: tuple[str, str], browser: Any, width: int) -> None:
    url, code = store
    page = visit(browser, f"{url}/profil?kommun={code}", width, f"profil-{code}")
    try:
        text = page.inner_text("[data-testid=stMain]")
        assert "Mot medel" in text
        legends = [t["name"] for chart in page.evaluate(CHARTS) for t in chart]
        captions = " ".join(page.locator("[data-testid=stMetric]").all_inner_texts())
        for shown in [*legends, captions]:
            assert not any(w in shown for w in FILE_WORDS), shown
        assert distinct_colours(page.evaluate(CHARTS)) == []
        assert page.locator(".kompass-table table").count() > 0
        assert page.evaluate(WIDE_TABLES) == 0
        assert page.evaluate("() => document.documentElement.lang") == "sv"
    finally:
        page.context.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_compare_has_the_mean_and_the_totals(
    store: tuple[str, str], browser: Any, width: int
) -> None:
    url, code = store
    page = visit(browser, f"{url}/jamfor?kommun={code}", width, f"jamfor-{code}")
    try:
        charts = page.evaluate(CHARTS)
        assert len(charts) >= 4  # radar, bars, heatmap, totals
        radar, bars = charts[0], charts[1]
        mean_names = [t["name"] for t in radar if "medel" in t["name"].lower()]
        assert mean_names, [t["name"] for t in radar]
        assert any(t["name"] in mean_names for t in bars)
        assert "Totalpoäng" in page.inner_text("[data-testid=stMain]")
        assert distinct_colours(charts) == []
        assert page.locator(".kompass-table table").count() > 0
        assert page.evaluate(WIDE_TABLES) == 0
    finally:
        page.context.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_every_chart_of_every_page_keeps_colours_apart(
    store: tuple[str, str], browser: Any, width: int
) -> None:
    url, code = store
    for spec in PAGES:
        page = visit(browser, f"{url}{spec.path}?kommun={code}", width, f"farger-{spec.url_path}")
        try:
            assert distinct_colours(page.evaluate(CHARTS)) == [], spec.path
        finally:
            page.context.close()


# A municipality the store has no evaluation of: Upplands Väsby in the samples; in the
# national store every municipality has one, so a code that names none.
UNEVALUATED = {"sample": ("0114", "Upplands Väsby har ingen utvärdering i databasen"),
               "national": ("9999", "Det finns ingen kommun med koden")}  # fmt: skip


@pytest.mark.parametrize("width", WIDTHS)
def test_a_municipality_without_evaluation_is_named_not_replaced(
    store: tuple[str, str], browser: Any, width: int, request: pytest.FixtureRequest
) -> None:
    url, _ = store
    kind = request.node.callspec.params["store"]
    code, message = UNEVALUATED[kind]
    page = visit(browser, f"{url}/profil?kommun={code}", width, f"profil-{code}")
    try:
        assert message in page.inner_text("[data-testid=stMain]")
        headings = page.locator("[data-testid=stMain] h2").all_inner_texts()
        assert headings == [], headings  # no evaluation's heading, of anyone
        assert f"kommun={code}" in page.url
    finally:
        page.context.close()

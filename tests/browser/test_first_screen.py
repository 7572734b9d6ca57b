"""The first screen's chart first, the rest after it (issue 12), in a real browser.

A page's first run in a session ends after its first chart (`ui.common.rest_follows`);
a fragment timer in the browser then asks for the whole page once. Checked here:
the rest arrives by itself, with no error, and the timer stops (the browser sends
nothing more while nobody touches the page).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.helpers.browser import CHART, EXCEPTION, fresh_page, needs_chromium, running_server

pytestmark = [needs_chromium, pytest.mark.browser]

# (URL path on the sample store, plotly charts on the whole page)
PAGES = [
    ("/profil?kommun=1981&ar=2023", 3),  # radar, bars, sub-areas (collapsed)
    ("/jamfor?kommun=1981", 4),  # radar, bars, heatmap, totals
    ("/", 1),  # the map; the ranking and the tables follow
]


@pytest.fixture(scope="module")
def server(sample_db: Path) -> Iterator[str]:
    with running_server(sample_db) as url:
        yield url


@pytest.mark.parametrize(("path", "charts"), PAGES)
def test_the_rest_of_the_page_follows_the_first_chart(
    browser: Any, server: str, path: str, charts: int
) -> None:
    with fresh_page(browser) as page:
        sent: list[float] = []
        page.on("websocket", lambda ws: ws.on("framesent", lambda _: sent.append(1.0)))
        page.goto(server + path)
        page.locator(CHART).first.wait_for(timeout=30_000)
        page.wait_for_function(
            f"() => document.querySelectorAll('{CHART}').length >= {charts}", timeout=30_000
        )
        page.get_by_text("Källa:").first.wait_for(timeout=10_000)
        page.wait_for_timeout(1500)  # the whole page's run has ended
        assert page.locator(EXCEPTION).count() == 0
        before = len(sent)
        assert before >= 2  # the first run's request and the timer's
        page.wait_for_timeout(2000)  # several timer periods (REST_AFTER_SECONDS)
        assert len(sent) == before, "the browser still asks for reruns"
        assert page.locator(CHART).count() >= charts

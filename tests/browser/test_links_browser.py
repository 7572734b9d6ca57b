"""Links that never lie, in a real browser: tab titles, bad links, the pickers on a phone.

What AppTest cannot see (issue 10, points 6 and 7): the browser tab's title
after navigation, the URL the browser keeps, and the municipality picker in
view on a 390 px wide screen without opening the sidebar. Screenshots go to
screenshots/links-*.png.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.helpers.browser import (
    SHOTS,
    main_text,
    needs_chromium,
    open_page,
    start_server,
    stop_server,
    wait_until_settled,
)

pytestmark = [pytest.mark.browser, needs_chromium]

PICKERS = "[data-testid=stMain] [data-testid=stSelectbox]"
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def server(sample_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    db = tmp_path_factory.mktemp("links_browser") / "kompass.duckdb"
    shutil.copy(sample_db, db)
    proc, url = start_server(db)
    try:
        yield url
    finally:
        stop_server(proc)


def wait_for_title(page: Any, title: str) -> None:
    page.wait_for_function("t => document.title === t", arg=title, timeout=15_000)


def pick(page: Any, index: int, option: str) -> None:
    """Choose `option` in the index-th picker at the top of the main area."""
    page.locator(PICKERS).nth(index).click()
    page.get_by_role("option", name=option, exact=True).click()


def test_tab_title_names_the_municipality_and_page(server: str, page: Any) -> None:
    open_page(page, server + "/profil?kommun=1981&ar=2023", "links-title-sala")
    wait_for_title(page, "Sala 2023 – Kommunprofil")
    pick(page, 0, "Svenljunga")
    page.wait_for_url(re.compile(r"kommun=1465"), timeout=15_000)
    wait_until_settled(page)
    # The year follows the municipality: its latest, in the URL and in the picker.
    wait_for_title(page, "Svenljunga 2022 – Kommunprofil")
    assert "ar=2022" in page.url
    assert page.get_by_role("combobox", name="Utvärdering (år)").input_value() == "2022"
    assert "Svenljunga 2022" in main_text(page)
    page.locator("[data-testid=stSidebarNav] a", has_text="Jämför").click()
    page.wait_for_url(re.compile(r"/jamfor"), timeout=15_000)
    wait_until_settled(page)
    wait_for_title(page, "Svenljunga – Jämför")


def test_a_link_without_evaluation_stays_what_was_asked(server: str, page: Any) -> None:
    open_page(page, server + "/profil?kommun=0114&ar=2023", "links-upplands-vasby")
    text = main_text(page)
    assert "Upplands Väsby har ingen utvärdering i databasen." in text
    assert "Burlöv 2020" not in text and "Sala 2023" not in text
    assert not page.locator("[data-testid=stPlotlyChart]").count()
    assert page.url.endswith("/profil?kommun=0114&ar=2023")  # not rewritten
    wait_for_title(page, "Upplands Väsby – Kommunprofil")
    # A link to an evaluated municipality nearby opens its profile at its latest year.
    page.locator("[data-testid=stPageLink] a", has_text="Sala").click()
    page.wait_for_url(re.compile(r"kommun=1981"), timeout=15_000)
    wait_until_settled(page)
    wait_for_title(page, "Sala 2023 – Kommunprofil")
    assert "Sala 2023" in main_text(page)


def test_the_municipality_picker_is_in_view_on_a_phone(server: str, browser: Any) -> None:
    context = browser.new_context(
        viewport=PHONE, locale="sv-SE", is_mobile=True, has_touch=True, device_scale_factor=2
    )
    try:
        page = context.new_page()
        page.goto(server + "/profil?kommun=1981&ar=2023")
        page.wait_for_selector(PICKERS, timeout=30_000)
        wait_until_settled(page)
        SHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SHOTS / "links-phone.png"))
        # The sidebar is closed (off screen); the picker is on screen without opening it.
        sidebar = page.locator("[data-testid=stSidebar]")
        assert sidebar.get_attribute("data-collapsed") == "true"
        side = sidebar.bounding_box()
        assert side is None or side["x"] + side["width"] <= 0
        box = page.locator(PICKERS).first.bounding_box()
        assert box is not None
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
        assert box["y"] >= 0 and box["y"] + box["height"] <= PHONE["height"]
        assert page.get_by_role("combobox", name="Kommun").input_value() == "Sala"
    finally:
        context.close()

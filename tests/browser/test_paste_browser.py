"""The tab "Klistra in resultat" in a real browser (issue 11): paste, preview, save.

A real `streamlit run` server on a copy of the sample store and headless
Chromium at 1280 and 390 px. Screenshots of the preview and of the saved
result go to /tmp/shots/paste/ (for the acceptance) and screenshots/.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kompass import queries
from kompass.present import pasted as words
from tests.helpers.browser import (
    EXCEPTION,
    ROOT,
    main_text,
    needs_chromium,
    running_server,
    screenshot,
    wait_until_settled,
)

pytestmark = needs_chromium

SHOTS = Path("/tmp/shots/paste")
CASES = ROOT / "tests" / "cases" / "pasted"
SOURCE = "https://www.vallentuna.se/kommunkompassen"


@pytest.fixture(scope="module")
def served(sample_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    db = tmp_path_factory.mktemp("paste_store") / "kompass.duckdb"
    shutil.copyfile(sample_db, db)
    with running_server(db) as url:
        yield url, db


def open_tab(browser: Any, url: str, width: int) -> Any:
    context = browser.new_context(viewport={"width": width, "height": 2200}, locale="sv-SE")
    page = context.new_page()
    page.goto(url + "/data")
    page.wait_for_selector("[data-testid=stMain]", timeout=30_000)
    wait_until_settled(page)
    page.get_by_role("tab", name=words.TAB).click()
    return page


def paste(page: Any, text: str, source: str) -> None:
    page.get_by_role("textbox", name=words.TEXT_LABEL).fill(text)
    page.get_by_role("textbox", name=words.TEXT_LABEL).press(
        "Control+Enter"
    )  # commit the text area
    wait_until_settled(page)
    page.get_by_role("textbox", name=words.SOURCE_LABEL).fill(source)
    page.get_by_role("textbox", name=words.SOURCE_LABEL).press("Enter")
    wait_until_settled(page)
    page.get_by_text(words.RECOGNISED_HEADING).wait_for(timeout=30_000)


def shoot(page: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
    screenshot(page, name)


@pytest.mark.parametrize("width", [1280, 390])
def test_paste_preview_then_save(browser: Any, served: tuple[str, Path], width: int) -> None:
    url, db = served
    page = open_tab(browser, url, width)
    try:
        text = (CASES / "bullets-with-means.txt").read_text(encoding="utf-8")
        paste(page, text, SOURCE)
        shown = main_text(page)
        assert "Kommun: Vallentuna · År: februari 2021 · Ramverk: 2020" in shown
        assert page.locator("[data-testid=stDataFrame]").count() >= 2  # preview and rows
        assert page.locator(EXCEPTION).count() == 0
        shoot(page, f"paste-preview-{width}")
        page.get_by_role("button", name=words.SAVE_BUTTON).click()
        page.get_by_text(words.SAVED).wait_for(timeout=30_000)
        wait_until_settled(page)
        shown = main_text(page)
        # The second save of the same paste changes nothing.
        assert ("Resultat: 1 rad sparad." in shown) or ("Resultat: fanns redan" in shown)
        shoot(page, f"paste-saved-{width}")
    finally:
        page.context.close()
    evals = queries.evaluations(db)
    vallentuna = evals[evals.code == "0115"]
    assert list(zip(vallentuna.year, vallentuna.total, vallentuna.source_note, strict=True)) == [
        (2021, 648, SOURCE)
    ]


def test_markup_in_a_paste_is_shown_as_text(browser: Any, served: tuple[str, Path]) -> None:
    url, _ = served
    page = open_tab(browser, url, 1280)
    try:
        page.evaluate("window.__xss = 0")
        text = 'Sala kommun 2023 <img src=x onerror="window.__xss=1">\nArbetsliv 68\n'
        paste(page, text, '<img src=x onerror="window.__xss=2">')
        assert page.evaluate("window.__xss") == 0
        assert page.locator("[data-testid=stMain] img[src=x]").count() == 0
    finally:
        page.context.close()


def test_two_year_table_preview(browser: Any, served: tuple[str, Path]) -> None:
    url, _ = served
    page = open_tab(browser, url, 1280)
    try:
        text = (CASES / "two-years-and-mean.txt").read_text(encoding="utf-8")
        paste(page, text, "https://www.sala.se/kommunkompassen")
        assert "Kommun: Sala · År: 2019, 2023 · Ramverk: 2020 · 2 resultat, 1 medelvärde" in (
            main_text(page)
        )
        assert page.locator(EXCEPTION).count() == 0
        shoot(page, "paste-two-years-1280")
    finally:
        page.context.close()

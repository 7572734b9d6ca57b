"""Uploading on the Data page in a real browser (issue #11, points 3 and 4): a pasted
summary saved as a file is refused with the way to import it, and a report with one page
per line is read like the original."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.helpers.browser import (
    EXCEPTION,
    main_text,
    needs_chromium,
    open_page,
    start_server,
    stop_server,
)
from tests.helpers.shapes import SHAPES

pytestmark = [pytest.mark.browser, needs_chromium]
# Where the screenshots go for a person to look at (not a test output).
LOOK = Path(os.environ.get("KOMPASS_SHOTS", "/tmp/shots/parser"))
SUMMARY = """Resultat i Kommunkompassen 2021 (inom parentes Sverigesnitt)
• Samspel mellan förtroendevalda och medborgare: 63 (60)
• Samhällsutveckling: 55 (58)
• Styrning och kontroll: 61 (64)
"""


@pytest.fixture(scope="module")
def empty_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    db = tmp_path_factory.mktemp("shapes") / "kompass.duckdb"
    proc, url = start_server(db, {"KOMPASS_NO_AUTOLOAD": "1"})
    try:
        yield url
    finally:
        stop_server(proc)


def upload(page: Any, url: str, path: Path) -> None:
    open_page(page, url + "/data", "data-shapes")
    page.get_by_role("tab", name="Ladda upp rapport").click()
    page.locator("[data-testid=stFileUploaderDropzoneInput]").first.set_input_files(str(path))


def look(page: Any, name: str) -> None:
    LOOK.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(LOOK / f"{name}.png"), full_page=True)


def test_a_summary_is_refused_with_the_way_to_import_it(
    empty_server: str, page: Any, tmp_path: Path
) -> None:
    path = tmp_path / "grastorp-2021.txt"
    path.write_text(SUMMARY, encoding="utf-8")
    upload(page, empty_server, path)
    page.get_by_text("texten är en sammanfattning av resultat", exact=False).wait_for(
        timeout=20_000
    )
    look(page, "upload-summary-refused")
    text = main_text(page)
    assert "poäng för områdena 1, 2 och 3" in text
    assert "fliken ”Klistra in resultat” på sidan Data" in text
    assert page.locator(EXCEPTION).count() == 0


def test_a_report_with_one_page_per_line_previews_like_the_original(
    empty_server: str, page: Any
) -> None:
    upload(page, empty_server, SHAPES / "sala-2023.pages-headers.txt")
    page.get_by_text("Sala 2023 (2020-ramverket): 482 av 800 poäng").wait_for(timeout=20_000)
    look(page, "upload-one-page-per-line")
    assert page.locator(EXCEPTION).count() == 0

"""End to end: a real `streamlit run` server and headless Chromium (Playwright).

Skips only when no chromium binary exists; CI installs Debian's chromium
(`make chromium`) so there these tests run. Screenshots go to screenshots/
(git-ignored) for a person to look at.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.helpers.browser import (
    ROOT,
    SHOTS,
    chart_data,
    main_text,
    needs_chromium,
    open_page,
    start_server,
    stop_server,
    wait_for_charts,
)

pytestmark = [pytest.mark.browser, needs_chromium]


@pytest.fixture(scope="module")
def server(sample_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    db = tmp_path_factory.mktemp("browser") / "kompass.duckdb"
    shutil.copy(sample_db, db)
    proc, url = start_server(db)
    try:
        yield url
    finally:
        stop_server(proc)


def test_navigation_shows_the_declared_pages(server: str, page: Any) -> None:
    # The first session after a server start: Streamlit must not fall back to pages/ discovery.
    open_page(page, server + "/profil?kommun=1981&ar=2023", "00-first-visit")
    wait_for_charts(page)
    nav = page.locator("[data-testid=stSidebarNav] a").all_inner_texts()
    labels = [t.strip().splitlines()[-1] for t in nav]  # icon ligature first
    assert labels == [
        "Översikt", "Kommunprofil", "Jämför", "Utveckling", "Lär av andra",
        "Styrkor och förbättringar", "Data",
    ]  # fmt: skip


def test_overview_lists_evaluations(server: str, page: Any) -> None:
    open_page(page, server + "/", "01-oversikt")
    text = main_text(page)
    assert "Utvärderingar" in text and "5 av 290" in text
    page.wait_for_selector("[data-testid=stDataFrame]", timeout=20_000)
    wait_for_charts(page)


def test_profile_sala_2023(server: str, page: Any) -> None:
    open_page(page, server + "/profil?kommun=1981&ar=2023", "02-profil-sala-2023")
    wait_for_charts(page)
    page.screenshot(path=str(SHOTS / "02-profil-sala-2023.png"), full_page=True)
    text = main_text(page)
    assert "Sala 2023" in text and "482" in text and "515" in text
    assert "Källa: Kommunkompassen, SKR; rapport sala-2023.txt" in text
    radar = chart_data(page, 0)
    assert radar[0]["name"] == "Sala 2023"
    assert radar[0]["r"][:8] == [66, 60, 66, 57, 55, 58, 62, 58]
    assert "kommun=1981" in page.url


def test_profile_picker_changes_url(server: str, page: Any) -> None:
    open_page(page, server + "/profil?kommun=1981&ar=2023", "03-profil-before-pick")
    wait_for_charts(page)
    page.locator("[data-testid=stMain] [data-testid=stSelectbox]").first.click()
    page.get_by_role("option", name="Svenljunga").click()
    page.wait_for_url("**kommun=1465**", timeout=15_000)
    wait_for_charts(page)
    page.wait_for_function(
        "() => document.querySelector('.js-plotly-plot').data[0].name === 'Svenljunga 2022'",
        timeout=15_000,
    )
    assert "Svenljunga 2022" in main_text(page)
    page.screenshot(path=str(SHOTS / "04-profil-svenljunga.png"), full_page=True)


def test_compare_burlov_with_svenljunga_and_sala(server: str, page: Any) -> None:
    open_page(page, server + "/jamfor?kommun=1231&med=1465,1981", "05-jamfor")
    wait_for_charts(page)
    page.screenshot(path=str(SHOTS / "05-jamfor.png"), full_page=True)
    names = [t["name"] for t in chart_data(page, 0)]
    assert names[0] == "Burlöv 2020"
    assert sorted(names[1:3]) == ["Sala 2023", "Svenljunga 2022"]
    assert names[3] == "SKR:s medel, 2020-ramverket"  # the mean, after the municipalities
    text = main_text(page)
    assert "Burlöv 2020" in text and "Svenljunga 2022" in text and "Sala 2023" in text


def test_compare_burlov_neighbours_fall_back(server: str, page: Any) -> None:
    open_page(page, server + "/jamfor?kommun=1231&urval=grannar", "06-jamfor-grannar")
    wait_for_charts(page)
    page.screenshot(path=str(SHOTS / "06-jamfor-grannar.png"), full_page=True)
    text = main_text(page)
    assert "har någon utvärdering" in text
    assert "Höganäs" in text and "Lund" in text
    assert "fullt jämförbara" in text


def test_development_sala(server: str, page: Any) -> None:
    open_page(page, server + "/utveckling?kommun=1981", "07-utveckling-sala")
    wait_for_charts(page)
    page.screenshot(path=str(SHOTS / "07-utveckling-sala.png"), full_page=True)
    text = main_text(page)
    assert "363" in text and "482" in text and "+119" in text
    assert "reviderades" in text


def test_role_models_page(server: str, page: Any) -> None:
    open_page(page, server + "/lar-av-andra?kommun=1981", "09-lar-av-andra")
    text = main_text(page)
    assert "5 Brukarens fokus" in text and "Burlöv 2020: 70 poäng" in text


def test_findings_search_page(server: str, page: Any) -> None:
    open_page(page, server + "/fynd?q=digital", "10-fynd")
    text = main_text(page)
    assert "9 träffar" in text and "Sala 2023" in text
    marks = page.locator("[data-testid=stMain] span").filter(has_text="igital")
    assert marks.count() >= 9


def test_data_page_csv_download(server: str, page: Any, tmp_path: Path) -> None:
    import pandas as pd

    open_page(page, server + "/data", "11-data")
    page.get_by_role("tab", name="Ladda ner").click()
    page.locator("[data-testid=stSelectbox]").filter(has_text="En tabell").click()
    page.get_by_role("option", name="omradespoang", exact=True).click()
    with page.expect_download() as info:
        page.get_by_role("button", name="Ladda ner omradespoang.csv").click()
    target = tmp_path / "omradespoang.csv"
    info.value.save_as(target)
    df = pd.read_csv(target, sep=";", decimal=",", encoding="utf-8-sig", dtype={"kommunkod": str})
    lund = df[(df.kommunkod == "1281") & (df.omrade == 1)]
    assert float(lund.poang.iloc[0]) == 42.2  # the decimal comma read back as a number
    assert len(df) == 48


@pytest.fixture(scope="module")
def empty_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    db = tmp_path_factory.mktemp("upload") / "kompass.duckdb"
    proc, url = start_server(db, {"KOMPASS_NO_AUTOLOAD": "1"})
    try:
        yield url, db
    finally:
        stop_server(proc)


def test_upload_report_appears_on_profile_and_compare(
    empty_server: tuple[str, Path], page: Any
) -> None:
    url, _ = empty_server
    open_page(page, url + "/data", "12-data-tom")
    page.get_by_role("tab", name="Ladda upp rapport").click()
    page.locator("[data-testid=stFileUploaderDropzoneInput]").first.set_input_files(
        str(ROOT / "data" / "reports" / "svenljunga-2022.txt")
    )
    page.get_by_text("Svenljunga 2022 (2020-ramverket): 510 av 800 poäng").wait_for(timeout=20_000)
    page.screenshot(path=str(SHOTS / "13-data-forhandsvisning.png"), full_page=True)
    page.get_by_role("button", name="Spara i databasen").click()
    page.get_by_text("Svenljunga 2022 sparad.").wait_for(timeout=20_000)
    open_page(page, url + "/profil?kommun=1465&ar=2022", "14-profil-efter-uppladdning")
    wait_for_charts(page)
    assert "Svenljunga 2022" in main_text(page) and "510" in main_text(page)
    open_page(page, url + "/jamfor?kommun=1465", "15-jamfor-efter-uppladdning")
    assert "Svenljunga" in main_text(page)

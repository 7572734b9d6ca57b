"""Nothing lost, nothing frozen (issue 8) in a real browser: what AppTest cannot do.

Uploads and imports through the Data page (AppTest cannot upload files), a
database that cannot be written when saving, a damaged database behind the
real server (with its config: no error details), and stored or uploaded file
names that are Markdown.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kompass import queries
from kompass.store import ingest_bytes, ingest_many
from tests.helpers.browser import (
    EXCEPTION,
    REPORTS,
    main_text,
    needs_chromium,
    new_page,
    open_page,
    running_server,
    screenshot,
    wait_until_settled,
)
from tests.helpers.db import dump
from tests.helpers.parse import edited_sala

pytestmark = [pytest.mark.browser, needs_chromium]

UPLOAD_INPUT = "[data-testid=stFileUploaderDropzoneInput]"
EVIL_FILE = "![up](https:&#47;&#47;evil.example&#47;x.png).txt"
SCORES_CSV = (
    "kommun;ar;manad;ramverk;omrade1;omrade2;omrade3;omrade4;omrade5;omrade6;omrade7;"
    "omrade8;total;kalla\n"
    "Sala;2023;;2020;;;;;;;;;500;Pressmeddelande\n"
    "Ale;2022;;2020;;;;;;;;;600;Kommunens webbplats\n"
)
READ_ONLY = "Databasen (kompass.duckdb) går inte att skriva till"


def upload(page: Any, label: str, name: str, data: bytes) -> None:
    """Put a file in the uploader whose label starts with `label`."""
    box = page.locator("[data-testid=stFileUploader]").filter(has_text=label)
    box.locator(UPLOAD_INPUT).set_input_files(
        {"name": name, "mimeType": "application/octet-stream", "buffer": data}
    )


def open_tab(page: Any, url: str, tab: str, shot: str) -> None:
    open_page(page, url + "/data", shot)
    page.get_by_role("tab", name=tab).click()


# --- a writable store: imports, previews, names ---------------------------------------------


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample reports, Svenljunga's stored under a file name that is Markdown."""
    db = tmp_path_factory.mktemp("reliability") / "kompass.duckdb"
    _, failures = ingest_many([REPORTS / f"{n}.txt" for n in ("sala-2023", "lund-2011")], db)
    assert not failures
    ingest_bytes((REPORTS / "svenljunga-2022.txt").read_bytes(), EVIL_FILE, db)
    return db


@pytest.fixture(scope="module")
def server(store: Path) -> Iterator[str]:
    with running_server(store) as url:
        yield url


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    pg = new_page(browser)
    pg.requests = []
    pg.context.on("request", lambda r: pg.requests.append(r.url))
    try:
        yield pg
    finally:
        pg.context.close()


def test_import_shows_stored_and_skipped_rows(server: str, store: Path, page: Any) -> None:
    open_tab(page, server, "Importera resultat", "r-import")
    upload(page, "CSV-fil", "resultat.csv", SCORES_CSV.encode())
    page.get_by_role("button", name="Importera").click()
    page.get_by_text("Importerat: 1 rad sparad.").wait_for(timeout=30_000)
    wait_until_settled(page)
    screenshot(page, "r-import-resultat")
    assert page.locator(EXCEPTION).count() == 0
    assert "1 rad hoppades över" in main_text(page)
    assert "Rad 2: Sala 2023 finns redan från rapporten sala-2023.txt" in main_text(page)
    evals = queries.evaluations(store)
    assert ("Ale", 2022, "import") in set(zip(evals.name, evals.year, evals.origin, strict=True))


def test_uploader_refuses_other_types_in_swedish(server: str, page: Any) -> None:
    open_tab(page, server, "Ladda upp rapport", "r-upload")
    upload(page, "Rapport", "program.exe", b"MZ" + b"\x00" * 100)
    page.get_by_text("Filtypen stöds inte").wait_for(timeout=30_000)
    assert "not allowed" not in main_text(page)
    assert page.get_by_role("button", name="Spara i databasen").count() == 0


def test_preview_warns_before_replacing_an_evaluation(server: str, store: Path, page: Any) -> None:
    before = dump(store)
    open_tab(page, server, "Ladda upp rapport", "r-ersatt")
    upload(page, "Rapport", "sala-2023-v2.txt", edited_sala())
    warning = page.locator("[data-testid=stAlertContentWarning]").filter(has_text="ersätts")
    warning.wait_for(timeout=60_000)
    wait_until_settled(page)
    screenshot(page, "r-ersatt-forhandsvisning")
    text = warning.inner_text()
    assert "Databasen har redan Sala 2023: 482 poäng (från rapporten sala-2023.txt)" in text
    assert "Sparar du ersätts den av den nya rapportens 486 poäng" in text
    assert dump(store) == before  # a preview stores nothing


def test_file_names_are_text_not_markup(server: str, page: Any) -> None:
    open_page(page, server + "/fynd?q=Svenljunga", "r-fynd-filnamn")
    assert f"Källa: Kommunkompassen, SKR; rapport {EVIL_FILE}" in main_text(page)
    open_tab(page, server, "Ladda upp rapport", "r-data-filnamn")
    upload(page, "Rapport", EVIL_FILE, (REPORTS / "svenljunga-2022.txt").read_bytes())
    page.get_by_text("Den här rapporten finns redan i databasen").wait_for(timeout=60_000)
    wait_until_settled(page)
    screenshot(page, "r-data-filnamn-forhandsvisning")
    assert f"Fil: {EVIL_FILE}" in main_text(page)
    assert page.locator("img[src*='evil.example']").count() == 0
    assert [u for u in page.requests if "evil.example" in u] == []


# --- a store that cannot be written ----------------------------------------------------------


@pytest.fixture(scope="module")
def immutable_store(tmp_path_factory: pytest.TempPathFactory, store: Path) -> Iterator[Path]:
    """A store file with the immutable attribute: readable, and unwritable even for root."""
    db = tmp_path_factory.mktemp("immutable") / "kompass.duckdb"
    shutil.copyfile(store, db)
    done = subprocess.run(["chattr", "+i", str(db)], capture_output=True, check=False)
    if done.returncode != 0:
        pytest.skip(f"chattr +i is not supported here: {done.stderr.decode().strip()}")
    try:
        yield db
    finally:
        subprocess.run(["chattr", "-i", str(db)], check=True)


def test_save_and_import_to_an_unwritable_store_say_why(
    browser: Any, immutable_store: Path
) -> None:
    before = immutable_store.read_bytes()
    with running_server(immutable_store) as url:
        page = new_page(browser)
        try:
            open_tab(page, url, "Ladda upp rapport", "r-skrivskyddad")
            upload(page, "Rapport", "sala-2023-v2.txt", edited_sala())
            page.get_by_role("button", name="Spara i databasen").click()
            page.get_by_text(READ_ONLY).wait_for(timeout=60_000)
            wait_until_settled(page)
            screenshot(page, "r-skrivskyddad-spara")
            open_tab(page, url, "Importera resultat", "r-skrivskyddad-import")
            upload(page, "CSV-fil", "resultat.csv", SCORES_CSV.encode())
            page.get_by_role("button", name="Importera").click()
            page.get_by_text(READ_ONLY).wait_for(timeout=60_000)
            assert page.locator(EXCEPTION).count() == 0
            assert str(immutable_store.parent) not in main_text(page)
        finally:
            page.context.close()
    assert immutable_store.read_bytes() == before


# --- a damaged store behind the real server --------------------------------------------------


def test_corrupt_store_is_named_without_details(
    browser: Any, tmp_path: Path, sample_db: Path
) -> None:
    db = tmp_path / "kompass.duckdb"
    db.write_bytes(sample_db.read_bytes()[:4096] + b"\x00\xff" * 50_000)
    with running_server(db) as url:
        page = new_page(browser)
        try:
            for path in ("/data", "/fynd?q=digital"):
                open_page(page, url + path, "r-skadad" + path.split("?")[0].replace("/", "-"))
                text = main_text(page)
                assert "Databasfilen (kompass.duckdb) är skadad" in text
                assert str(tmp_path) not in text and "Traceback" not in text
        finally:
            page.context.close()

"""Issue 13: `kompass serve` in both modes, in headless Chromium.

Read-only (`--read-only`): every page works, the Data page offers no upload or
import and says how new data arrives, and `kompass ingest` into the same file
while the app serves shows up after a reload. Writable (this machine only):
the Data page offers the upload as before.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kompass.present.access import READ_ONLY_NOTE
from kompass.present.data_page import TABS, footer
from kompass.store import ingest_many, table_counts
from kompass.ui import registry
from tests.cli.test_serve import clean_env, serving
from tests.helpers.browser import main_text, needs_chromium, open_page, wait_until_settled

pytestmark = [pytest.mark.browser, needs_chromium]

REPORTS = Path(__file__).resolve().parents[2] / "data" / "reports"
SHOTS = Path("/tmp/shots/serve")
UPLOADER = "[data-testid=stFileUploader]"
LATER = "sala-2023.txt"  # ingested while the read-only app serves


def shot(page: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample store without Sala 2023, which arrives while the app serves."""
    work = tmp_path_factory.mktemp("read_only")
    db = work / "kompass.duckdb"
    first = [p for p in sorted(REPORTS.iterdir()) if p.suffix == ".txt" and p.name != LATER]
    _, failures = ingest_many(first, db)
    assert not failures
    return db


@pytest.fixture(scope="module")
def read_only(store: Path) -> Iterator[str]:
    with serving(["--db", str(store), "--read-only"], store.parent, clean_env()) as (url, _):
        yield url


def test_every_page_serves_read_only(read_only: str, page: Any) -> None:
    for spec in registry.PAGES:
        open_page(page, read_only + spec.path, f"read-only{spec.path.replace('/', '-')}")


def test_the_data_page_offers_no_upload_and_says_how_data_arrives(
    read_only: str, page: Any
) -> None:
    open_page(page, read_only + "/data", "read-only-data")
    shot(page, "read-only-data")
    assert page.locator(UPLOADER).count() == 0
    assert page.locator("[role=tab]").all_inner_texts() == TABS[:2]
    assert READ_ONLY_NOTE in main_text(page)


def test_an_ingest_while_serving_shows_after_a_reload(
    store: Path, read_only: str, page: Any
) -> None:
    before = table_counts(store)["evaluation"]
    open_page(page, read_only + "/data", "read-only-before-ingest")
    assert footer(store.name, before) in main_text(page)
    # The app keeps no connection open, so the CLI writer gets the file while it serves.
    env = {k: v for k, v in os.environ.items() if not k.startswith("KOMPASS_")}
    done = subprocess.run(
        [sys.executable, "-m", "kompass", "ingest", "--db", str(store), str(REPORTS / LATER)],
        env=env, capture_output=True, text=True, timeout=180,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    after = table_counts(store)["evaluation"]
    assert after > before
    page.reload()
    wait_until_settled(page)
    shot(page, "read-only-after-ingest")
    assert footer(store.name, after) in main_text(page)


def test_on_this_machine_the_data_page_offers_the_upload(
    store: Path, tmp_path: Path, page: Any
) -> None:
    copy = tmp_path / "kompass.duckdb"
    shutil.copyfile(store, copy)
    with serving(["--db", str(copy)], tmp_path, clean_env()) as (url, _):
        open_page(page, url + "/data", "writable-data")
        shot(page, "writable-data")
        assert page.locator("[role=tab]").all_inner_texts() == TABS
        assert page.locator(UPLOADER).count() >= 1
        assert READ_ONLY_NOTE not in main_text(page)


@pytest.mark.parametrize(("email", "writes"), [("skrivare@kommun.se", True), ("", False)])
def test_a_trusted_proxy_header_names_the_writer(
    store: Path, tmp_path: Path, browser: Any, email: str, writes: bool
) -> None:
    """The reverse proxy signs users in and sends the address; only named writers write."""
    copy = tmp_path / "kompass.duckdb"
    shutil.copyfile(store, copy)
    env = clean_env(KOMPASS_SIGN_IN="header:X-Forwarded-Email",
                    KOMPASS_WRITERS="skrivare@kommun.se")  # fmt: skip
    headers = {"X-Forwarded-Email": email} if email else {}
    context = browser.new_context(
        viewport={"width": 1280, "height": 1600}, locale="sv-SE", extra_http_headers=headers
    )
    try:
        page = context.new_page()
        with serving(["--db", str(copy), "--address", "0.0.0.0"], tmp_path, env) as (url, log):
            open_page(page, url + "/data", f"header-{'writer' if writes else 'reader'}")
            shot(page, f"header-{'writer' if writes else 'reader'}")
            assert (page.locator(UPLOADER).count() > 0) is writes
            assert "sign-in through the proxy's X-Forwarded-Email header" in log.read_text()
    finally:
        context.close()

"""Safety (issue 5): report text is data, uploads are checked, no outside requests, SQL is safe.

One server serves a store whose Sala 2023 report is tests/cases/unsafe/sala-2023-unsafe.txt:
sala-2023.txt with four extra strengths in area 4 (Effektivitet). In the file
they are HTML-escaped (`&lt;script&gt;`), as a report exported from HTML
would have them; the parser unescapes them, so the stored findings hold the
literal `<script>`, `<img onerror=…>`, a markdown `javascript:` link, `**fet**`
and `$x$` (checked first, in `test_unsafe_case_parses_to_literal_markup`).
Every page must show them as plain text and run none of them.
"""

from __future__ import annotations

import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from kompass import uploads
from kompass.parse import parse_report
from kompass.store import connect, ingest_many
from tests.browser_helpers import (
    REPORTS,
    ROOT,
    SHOTS,
    needs_chromium,
    new_page,
    open_page,
    running_server,
    screenshot,
    wait_for_charts,
    wait_until_settled,
)
from tests.db_helpers import dump

UNSAFE_REPORT = ROOT / "tests" / "cases" / "unsafe" / "sala-2023-unsafe.txt"
UNSAFE_AREA = 4  # Effektivitet: one of Svenljunga's three weakest, so Sala is a role model
SCRIPT = "<script>window.__xss=1</script>"
IMG = '<img src=x onerror="window.__xss=2">'
LINK = "[klicka](javascript:window.__xss=3)"
BOLD = "**fet**"
MATH = "$x$"
UNSAFE = (SCRIPT, IMG, LINK, BOLD, MATH)
UNSAFE_FINDINGS = [
    f"Skript i texten {SCRIPT} slut",
    f"Bild i texten {IMG} slut",
    f"Länk i texten {LINK} slut",
    f"Markdown i texten {BOLD} och {MATH} slut",
]
INJECTION = "'; DROP TABLE finding; --"
UPLOAD_INPUT = "[data-testid=stFileUploaderDropzoneInput]"


@dataclass(frozen=True)
class AppPage:
    name: str
    path: str
    ready: str | None = None  # text the page shows once its script has run
    charts: bool = False
    shows_findings: bool = False


PAGES = [
    AppPage("oversikt", "/", "Poäng per område", charts=True),
    AppPage("profil", "/profil?kommun=1981&ar=2023", "Dela resultatet", True, True),
    AppPage("jamfor", "/jamfor?kommun=1981", charts=True),
    AppPage("utveckling", "/utveckling?kommun=1981", charts=True),
    AppPage("lar-av-andra", "/lar-av-andra?kommun=1465", "Svagaste delområden", False, True),
    AppPage("fynd", "/fynd?q=klicka", "Källa: Kommunkompassen"),
    AppPage("fynd-alla", "/fynd?q=i+texten", "Källa: Kommunkompassen", False, True),
    AppPage("data", "/data", "Bläddra i tabellerna"),
]


# --- the unsafe input ------------------------------------------------------------------


def test_unsafe_case_parses_to_literal_markup() -> None:
    evaluation = parse_report(UNSAFE_REPORT)
    strengths = evaluation.areas[UNSAFE_AREA - 1].strengths
    assert strengths[-4:] == UNSAFE_FINDINGS
    original = parse_report(REPORTS / "sala-2023.txt")
    assert evaluation.total == original.total
    assert strengths[:-4] == original.areas[UNSAFE_AREA - 1].strengths


# --- one server, every page visited once -----------------------------------------------


@pytest.fixture(scope="module")
def unsafe_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The five samples, with Sala 2023 from the unsafe report."""
    db = tmp_path_factory.mktemp("unsafe") / "kompass.duckdb"
    others = sorted(p for p in REPORTS.glob("*.txt") if p.name != "sala-2023.txt")
    results, failures = ingest_many([*others, UNSAFE_REPORT], db)
    assert not failures and len(results) == 5
    return db


@pytest.fixture(scope="module")
def server(unsafe_db: Path) -> Iterator[str]:
    with running_server(unsafe_db) as url:
        yield url


@dataclass
class Visit:
    """What the browser saw on one page: requests made, and what the page holds."""

    requests: list[str] = field(default_factory=list)
    websockets: list[str] = field(default_factory=list)
    text: str = ""
    findings_text: str = ""
    dom: dict[str, Any] = field(default_factory=dict)


# Counted in the whole document after the page settled (and its expander opened).
DOM_PROBE = """() => ({
    xss: typeof window.__xss === 'undefined' ? null : window.__xss,
    main_scripts: document.querySelectorAll('[data-testid=stMain] script').length,
    js_links: document.querySelectorAll('a[href^="javascript:" i]').length,
    injected_imgs: document.querySelectorAll('img[src="x"], img[onerror]').length,
    katex: document.querySelectorAll('[data-testid=stMain] .katex').length,
    bold_fet: Array.from(document.querySelectorAll('[data-testid=stMain] strong'))
        .filter(e => e.textContent.trim() === 'fet').length,
})"""


def open_findings(page: Any, app_page: AppPage) -> str:
    """Visible text of the part of the page that shows Sala's area-4 findings."""
    main = page.locator("[data-testid=stMain]")
    if app_page.name == "profil":
        expander = main.locator("[data-testid=stExpander]").filter(has_text="4 Effektivitet")
        expander.locator("summary").click()
        expander.get_by_text(UNSAFE_FINDINGS[-1]).wait_for(timeout=10_000)
        page.wait_for_timeout(500)  # the opening animation
        SHOTS.mkdir(exist_ok=True)
        expander.screenshot(path=str(SHOTS / "s-profil-omrade-4.png"))
        return str(expander.inner_text())
    return str(main.inner_text())


def visit_page(browser: Any, base: str, app_page: AppPage) -> Visit:
    visit = Visit()
    page = new_page(browser)
    page.context.on("request", lambda r: visit.requests.append(r.url))
    page.on("websocket", lambda ws: visit.websockets.append(ws.url))
    try:
        page.goto(base + app_page.path)
        if app_page.ready:
            page.get_by_text(app_page.ready).first.wait_for(timeout=60_000)
        if app_page.charts:
            wait_for_charts(page)
        wait_until_settled(page)
        visit.findings_text = open_findings(page, app_page)
        screenshot(page, f"s-{app_page.name}")
        visit.text = str(page.locator("[data-testid=stMain]").inner_text())
        visit.dom = page.evaluate(DOM_PROBE)
        visit.dom["exceptions"] = page.locator("[data-testid=stException]").count()
    finally:
        page.context.close()
    return visit


class Visits(dict[AppPage, Visit]):
    """Each page is visited once, on first use, and shared by the tests below."""

    def __init__(self, browser: Any, base: str) -> None:
        super().__init__()
        self.browser, self.base = browser, base

    def __missing__(self, app_page: AppPage) -> Visit:
        self[app_page] = visit = visit_page(self.browser, self.base, app_page)
        return visit


@pytest.fixture(scope="module")
def visits(browser: Any, server: str) -> Visits:
    return Visits(browser, server)


# --- report text is data ---------------------------------------------------------------


@pytest.mark.browser
@needs_chromium
@pytest.mark.parametrize("app_page", PAGES, ids=[p.name for p in PAGES])
def test_report_text_is_never_markup(visits: Visits, app_page: AppPage) -> None:
    dom = visits[app_page].dom
    assert dom == {
        "xss": None,
        "main_scripts": 0,
        "js_links": 0,
        "injected_imgs": 0,
        "katex": 0,
        "bold_fet": 0,
        "exceptions": 0,
    }


@pytest.mark.browser
@needs_chromium
@pytest.mark.parametrize("app_page", [p for p in PAGES if p.shows_findings], ids=lambda p: p.name)
def test_unsafe_findings_show_as_plain_text(visits: Visits, app_page: AppPage) -> None:
    shown = visits[app_page].findings_text
    for finding in UNSAFE_FINDINGS:
        assert finding in shown


@pytest.mark.browser
@needs_chromium
def test_search_for_link_text_shows_the_link_as_text(visits: Visits) -> None:
    (fynd,) = [p for p in PAGES if p.name == "fynd"]
    text = visits[fynd].text
    assert "1 träffar" in text
    assert f"Länk i texten {LINK} slut" in text


# --- no outside requests ---------------------------------------------------------------


def outside(urls: list[str], base: str) -> list[str]:
    """The URLs that are neither the app's own origin nor data:/blob: URLs."""
    own = urllib.parse.urlsplit(base)[:2]  # (scheme, host:port)
    parts = [(url, urllib.parse.urlsplit(url)) for url in urls]
    return [url for url, u in parts if u.scheme not in ("data", "blob") and u[:2] != own]


@pytest.mark.browser
@needs_chromium
@pytest.mark.parametrize("app_page", PAGES, ids=[p.name for p in PAGES])
def test_no_outside_requests(visits: Visits, server: str, app_page: AppPage) -> None:
    visit = visits[app_page]
    assert visit.requests, "no request recorded"
    assert outside(visit.requests, server) == []
    host = urllib.parse.urlsplit(server).netloc  # the websocket: ws://127.0.0.1:PORT/…
    assert {urllib.parse.urlsplit(u).netloc for u in visit.websockets} == {host}


# --- SQL is parameterised --------------------------------------------------------------


@pytest.mark.browser
@needs_chromium
def test_search_with_sql_injection_changes_nothing(visits: Visits, unsafe_db: Path) -> None:
    before = dump(unsafe_db)
    page = AppPage("fynd-injection", "/fynd?q=" + urllib.parse.quote(INJECTION), "Inga träffar")
    text = visits[page].text
    assert "0 träffar" in text
    assert dump(unsafe_db) == before


# --- uploads ---------------------------------------------------------------------------


# (file name, size in bytes, the message shown); the files hold zero bytes.
REFUSED_UPLOADS = [
    ("program.exe", 100, "files are not allowed"),  # Streamlit's uploader: type filter
    ("stor.txt", 51_000_000, "File must be 50.0MB or smaller"),  # and its size limit
    ("skrap.txt", 2_000, "Filen kunde inte läsas som en Kommunkompass-rapport"),  # the app
]


@pytest.mark.browser
@needs_chromium
def test_upload_refuses_wrong_type_size_and_content(
    browser: Any, server: str, unsafe_db: Path, tmp_path: Path
) -> None:
    before = dump(unsafe_db)
    page = new_page(browser)
    try:
        open_page(page, server + "/data", "s-upload")
        page.get_by_role("tab", name="Ladda upp rapport").click()
        for name, size, message in REFUSED_UPLOADS:
            path = tmp_path / name
            with path.open("wb") as f:
                f.truncate(size)
            page.locator(UPLOAD_INPUT).first.set_input_files(str(path))
            page.get_by_text(message).first.wait_for(timeout=30_000)
            wait_until_settled(page)
            screenshot(page, f"s-upload-{name}")
            assert page.locator("[data-testid=stException]").count() == 0
            assert page.get_by_role("button", name="Spara i databasen").count() == 0
    finally:
        page.context.close()
    assert dump(unsafe_db) == before


def test_preview_refuses_wrong_suffix_and_size() -> None:
    report = (REPORTS / "svenljunga-2022.txt").read_bytes()
    for name in ("svenljunga.exe", "svenljunga.txt.exe", "svenljunga", "svenljunga.html"):
        preview = uploads.preview_upload(report, name)
        assert not preview.ok and preview.error is not None
        assert preview.error.startswith("Filtypen stöds inte")
    big = uploads.preview_upload(report + b" " * 51_000_000, "svenljunga.txt")
    assert not big.ok and big.error == "Filen är för stor (51,1 MB); gränsen är 50 MB."


@pytest.mark.parametrize(
    ("hostile", "stored"),
    [
        ("../../etc/passwd.txt", "passwd.txt"),
        ("..\\..\\windows\\passwd.txt", "passwd.txt"),
        ("/etc/passwd.txt", "passwd.txt"),
        ("C:\\Temp\\..\\passwd.txt", "passwd.txt"),
        ("..", None),
        ("pass\x00wd\n.txt", "passwd.txt"),
        ("passwd.txt\x00.exe", None),
    ],
)
def test_upload_name_never_becomes_a_path(
    empty_db: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    hostile: str,
    stored: str | None,
) -> None:
    work = tmp_path / "a" / "b"
    work.mkdir(parents=True)
    monkeypatch.chdir(work)  # "../../etc/passwd.txt" would land in tmp_path/etc
    before = sorted(tmp_path.rglob("*"))
    data = (REPORTS / "svenljunga-2022.txt").read_bytes()
    preview = uploads.preview_upload(data, hostile)
    if stored is None:
        assert not preview.ok and preview.error is not None
        return
    assert preview.ok and preview.name == stored
    uploads.save_upload(preview, data, empty_db)
    with connect(empty_db, read_only=True) as con:
        names = con.execute("SELECT file_name FROM report").fetchall()
    assert names == [(stored,)]
    after = sorted(tmp_path.rglob("*"))
    new = [p for p in after if p not in before and not p.name.startswith(empty_db.name)]
    assert new == []
    assert not Path("/etc/passwd.txt").exists()

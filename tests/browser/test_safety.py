"""Safety (issue 5): report text is data, uploads are checked, no outside requests, SQL is safe.

One server serves a store whose Sala 2023 report is tests/cases/unsafe/sala-2023-unsafe.txt:
sala-2023.txt with four extra strengths in area 4 (Effektivitet). In the file
they are HTML-escaped (`&lt;script&gt;`), as a report exported from HTML
would have them; the parser unescapes them, so the stored findings hold the
literal `<script>`, `<img onerror=…>`, a markdown `javascript:` link, `**fet**`
and `$x$` (checked first, in `test_unsafe_case_parses_to_literal_markup`).
Every page must show them as plain text and run none of them.

The same store holds hostile values in every other stored string (issue 8, item 15):
Svenljunga 2022 uploaded under a file name that is a Markdown image, imported
results (Ale 2022, Burlöv 2016) whose source (`kalla`) and file name are markup,
imported means whose labels (`etikett`) are markup, and, written with SQL as a
future parser or a hand-edited store could, an evaluator, a municipality name and a
sub-area name that are markup. Each holds a Markdown image, an HTML image and an
HTML link to evil.example: no page may load or link any of them.
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from kompass.parse import parse_report
from kompass.store import connect, ingest_many
from kompass.store.imports import import_reference, import_scores
from kompass.ui import cache, uploads
from kompass.ui.common import WORD_JOINER, plain, source_link
from tests.helpers.app import tables
from tests.helpers.browser import (
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
from tests.helpers.db import dump

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

# Stored values that are markup (item 15). Each names itself in its URLs.
EVIL_HOST = "evil.example"


def evil(what: str) -> str:
    return (
        f"![{what}](https://{EVIL_HOST}/{what}.png) "
        f'<img src="https://{EVIL_HOST}/{what}-img.png"> '
        f'<a href="https://{EVIL_HOST}/{what}">{what}</a>'
    )


EVIL_FILE = "![up](https:&#47;&#47;evil.example&#47;x.png).txt"  # an upload's name, as is
EVIL_CSV = f"[csv](https://{EVIL_HOST}/csv).csv"
EVIL_SOURCE = evil("kalla")
EVIL_LABEL = evil("etikett")  # sorts before "Medel 2020-": the default mean
# The page parameter that stands for the imported mean labelled EVIL_LABEL.
EVIL_MEAN = "<the imported mean EVIL_LABEL>"
EVIL_LABEL_LAST = "zz " + evil("etikett2")  # sorts last: the mean Översikt shows
EVIL_EVALUATOR = evil("utvarderare")
EVIL_NAME = "Höganäs " + evil("namn")
EVIL_SUBAREA = evil("delomrade")
HOGANAS, ALE, BURLOV = "1284", "1440", "1231"
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
    AppPage("profil", "/profil?kommun=1981&ar=2023", "Motsägelser i rapporten", True, True),
    AppPage("profil-import", "/profil?kommun=1440", "Motsägelser i rapporten", charts=True),
    AppPage("profil-namn", "/profil?kommun=1284", "Motsägelser i rapporten", charts=True),
    AppPage("profil-fil", "/profil?kommun=1465", "Motsägelser i rapporten", charts=True),
    AppPage("jamfor-namn", "/jamfor?kommun=1981&med=1284,1440", charts=True),
    AppPage("utveckling-import", "/utveckling?kommun=1231", charts=True),
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
    """The five samples, with Sala 2023 from the unsafe report, and the hostile values."""
    db = tmp_path_factory.mktemp("unsafe") / "kompass.duckdb"
    skip = ("sala-2023.txt", "svenljunga-2022.txt")
    others = sorted(p for p in REPORTS.glob("*.txt") if p.name not in skip)
    results, failures = ingest_many([*others, UNSAFE_REPORT], db)
    assert not failures and len(results) == 4
    upload_under_hostile_name(db)
    import_hostile_results(db)
    write_hostile_values(db)
    return db


def upload_under_hostile_name(db: Path) -> None:
    """Svenljunga 2022 through the upload path, named EVIL_FILE, its 1.1 renamed."""
    text = (REPORTS / "svenljunga-2022.txt").read_text(encoding="utf-8")
    text = text.replace(
        "1.1\tStrategi för demokratiutveckling och information", "1.1\t" + evil("sub")
    )
    data = text.encode("utf-8")
    preview = uploads.preview_upload(data, EVIL_FILE)
    assert preview.ok and preview.name == EVIL_FILE, preview.error
    uploads.save_upload(preview, data, db)


def csv_bytes(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    csv.writer(out, delimiter=";").writerows(rows)
    return out.getvalue().encode("utf-8")


def import_hostile_results(db: Path) -> None:
    areas = [f"omrade{n}" for n in range(1, 9)]
    scores = [
        ["kommun", "ar", "manad", "ramverk", *areas, "total", "kalla"],
        # Area 4 stays below Sala's 57: Sala remains a role model for Svenljunga there.
        [
            "Ale",
            "2022",
            "",
            "2020",
            "70",
            "65",
            "72",
            "40",
            "58",
            "61",
            "66",
            "68",
            "",
            EVIL_SOURCE,
        ],
        ["Burlöv", "2016", "", "2010", *["55"] * 8, "", EVIL_SOURCE],
    ]
    assert import_scores(csv_bytes(scores), EVIL_CSV, db).rows_stored == 2
    means = [
        ["etikett", "ramverk", "ar", "antal_kommuner", *areas, "total", "kalla"],
        [EVIL_LABEL, "2020", "2022", "", *["60"] * 8, "", "https://example.org/medel"],
        [EVIL_LABEL_LAST, "2020", "2022", "", *["62"] * 8, "", EVIL_SOURCE],
    ]
    assert import_reference(csv_bytes(means), EVIL_CSV, db).rows_stored == 2


def write_hostile_values(db: Path) -> None:
    """What the parser refuses today (such evaluator names, tags in names) goes in by SQL."""
    with connect(db) as con:
        con.execute(
            "UPDATE evaluation SET evaluators = [?, 'Leif Eldås'] "
            "WHERE municipality_code = '1981' AND year = 2023",
            [EVIL_EVALUATOR],
        )
        con.execute("UPDATE municipality SET name = ? WHERE code = ?", [EVIL_NAME, HOGANAS])
        con.execute(
            "UPDATE subarea_score SET name = ? WHERE code = '1.2' AND evaluation_id = (SELECT "
            "evaluation_id FROM evaluation WHERE municipality_code = '1981' AND year = 2023)",
            [EVIL_SUBAREA],
        )


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
    // The app's own frame script (ui.common.frame) is marked; any other is injected.
    main_scripts: document.querySelectorAll(
        '[data-testid=stMain] script:not([data-kompass=frame])').length,
    js_links: document.querySelectorAll('a[href^="javascript:" i]').length,
    injected_imgs: document.querySelectorAll('img[src="x"], img[onerror]').length,
    katex: document.querySelectorAll('[data-testid=stMain] .katex').length,
    evil_imgs: document.querySelectorAll('img[src*="evil.example"], image[href*="evil.example"]')
        .length,
    evil_links: document.querySelectorAll('[*|href*="evil.example"]').length,
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
        "evil_imgs": 0,
        "evil_links": 0,
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


# --- stored values are text, on every page (AppTest) ------------------------------------

APP = ROOT / "app.py"
# Markup from stored data that Markdown would render: an image, an HTML tag, a link.
RAW_MARKUP = re.compile(r"(?<!\\)(!\[|<img|<a[\s>]|\]\(https?:)")
# Text Streamlit's Markdown would turn into a link by itself (GFM autolinks), even escaped.
AUTOLINK = re.compile(r"https?\\?://|www\\?\.|@\w", re.IGNORECASE)
PLOTLY_TAGS = re.compile(r"<br>|</?extra>")  # the only tags our figures write themselves

# view id -> (page, query parameters, hostile values the view shows as text)
VIEWS = {
    "oversikt": ("pages/oversikt.py", {}, [EVIL_FILE, EVIL_CSV]),
    "profil-sala": (
        "pages/profil.py",
        {"kommun": "1981", "ar": "2023", "medel": EVIL_MEAN},
        [EVIL_EVALUATOR, EVIL_LABEL],
    ),
    "profil-import": ("pages/profil.py", {"kommun": ALE}, [EVIL_SOURCE, EVIL_CSV]),
    "profil-namn": ("pages/profil.py", {"kommun": HOGANAS}, [EVIL_NAME]),
    "profil-fil": ("pages/profil.py", {"kommun": "1465"}, [EVIL_FILE]),
    "jamfor": (
        "pages/jamfor.py",
        {"kommun": "1981", "med": f"{HOGANAS},{ALE}"},
        [EVIL_NAME, EVIL_CSV],
    ),
    "utveckling-import": ("pages/utveckling.py", {"kommun": BURLOV}, [EVIL_SOURCE, EVIL_CSV]),
    "utveckling-medel": (
        "pages/utveckling.py",
        {"kommun": "1981", "medel": EVIL_MEAN},
        [EVIL_LABEL],
    ),
    "lar-av-andra": ("pages/lar-av-andra.py", {}, [EVIL_CSV]),
    "lar-av-andra-fil": ("pages/lar-av-andra.py", {"kommun": "1465"}, [EVIL_FILE]),
    "fynd": ("pages/fynd.py", {"q": "i texten"}, []),
    "data": ("pages/data.py", {}, []),
}


def run_view(
    db: Path, monkeypatch: pytest.MonkeyPatch, page: str, params: dict[str, str]
) -> AppTest:
    monkeypatch.setenv("KOMPASS_DB", str(db))
    monkeypatch.setenv("KOMPASS_NO_AUTOLOAD", "1")
    cache.clear()
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.run()
    if page != "pages/oversikt.py":
        at.switch_page(page)
    for key, value in params.items():
        at.query_params[key] = mean_key(db, EVIL_LABEL) if value == EVIL_MEAN else value
    at.run()
    return at


def mean_key(db: Path, label: str) -> str:
    """The `medel` key of the imported mean labelled `label` (the default is SKR's)."""
    from kompass import queries

    options = queries.mean_options(db, "2020")
    return str(options[options.series_label == label].key.iloc[0])


def markdown_texts(at: AppTest) -> list[str]:
    """Every string the app handed to an element that renders Markdown."""
    out: list[str] = []
    for kind in ("markdown", "caption", "title", "header", "subheader"):
        out += [e.value for e in getattr(at, kind)]
    for kind in ("info", "warning", "error", "success"):
        out += [e.value for e in getattr(at, kind)]
    out += [text for m in at.metric for text in (m.label, m.proto.help)]
    out += [e.label for e in at.expander]
    out += [e.proto.label for e in at.get("page_link")]
    return out


def table_texts(at: AppTest) -> list[str]:
    """Every cell and header of the static tables, as shown (the HTML's escapes read)."""
    return [
        str(v)
        for frame in tables(at)
        for v in [frame.index.name, *frame.index, *frame.columns, *frame.to_numpy().ravel()]
    ]


def figure_strings(at: AppTest) -> list[str]:
    """Every string in every plotly figure of the page."""

    def walk(node: Any) -> Iterator[str]:
        if isinstance(node, str):
            yield node
        elif isinstance(node, dict):
            for value in node.values():
                yield from walk(value)
        elif isinstance(node, list):
            for value in node:
                yield from walk(value)

    return [s for chart in at.get("plotly_chart") for s in walk(json.loads(chart.proto.spec))]


def shown(markdown: str) -> str:
    """Markdown text as the reader sees it (backslash escapes and word joiners removed)."""
    return re.sub(r"\\(.)", r"\1", markdown).replace(WORD_JOINER, "")


@pytest.fixture(scope="module")
def views(unsafe_db: Path) -> Iterator[dict[str, AppTest]]:
    """Each view run once through AppTest, shared by the tests below."""
    done: dict[str, AppTest] = {}
    with pytest.MonkeyPatch.context() as mp:
        for view_id, (page, params, _) in VIEWS.items():
            done[view_id] = run_view(unsafe_db, mp, page, params)
        yield done
    cache.clear()


@pytest.mark.parametrize("view_id", VIEWS)
def test_every_view_runs_on_hostile_values(views: dict[str, AppTest], view_id: str) -> None:
    at = views[view_id]
    assert not at.exception, [e.value for e in at.exception]


@pytest.mark.parametrize("view_id", VIEWS)
def test_stored_values_reach_markdown_as_text(views: dict[str, AppTest], view_id: str) -> None:
    texts = markdown_texts(views[view_id])
    raw = [t for t in texts if RAW_MARKUP.search(t) or AUTOLINK.search(t)]
    assert raw == []
    everything = "\n".join([*(shown(t) for t in texts), *table_texts(views[view_id])])
    for value in VIEWS[view_id][2]:  # shown, as text
        assert value in everything


# The tags of `tables.html_table` itself; any other tag in a static table is markup let in.
TABLE_TAGS = re.compile(r"</?(div|table|thead|tbody|tr|th|td)\b")


@pytest.mark.parametrize("view_id", VIEWS)
def test_stored_values_reach_tables_escaped(views: dict[str, AppTest], view_id: str) -> None:
    static = [e.value for e in views[view_id].html if 'class="kompass-table"' in e.value]
    assert [t for t in static if "<" in TABLE_TAGS.sub("", t)] == []


@pytest.mark.parametrize("view_id", VIEWS)
def test_stored_values_reach_figures_escaped(views: dict[str, AppTest], view_id: str) -> None:
    strings = figure_strings(views[view_id])
    tagged = [s for s in strings if "<" in PLOTLY_TAGS.sub("", s)]
    assert tagged == []


# (view, a hostile value its figures must show, escaped)
FIGURE_VALUES = [
    ("profil-sala", EVIL_LABEL),  # the radar's and the bars' legend
    ("profil-sala", EVIL_SUBAREA),  # the sub-area bars' labels and hover
    ("profil-namn", EVIL_NAME),  # trace names
    ("jamfor", EVIL_NAME),  # radar, grouped bars, heatmap columns
    ("utveckling-medel", EVIL_LABEL),  # the mean's markers
]


@pytest.mark.parametrize(("view_id", "value"), FIGURE_VALUES)
def test_figures_show_stored_values_as_text(
    views: dict[str, AppTest], view_id: str, value: str
) -> None:
    # Legend entries are shortened (charts.NAME_WIDTH): the value up to its first tag's "<".
    start = html.escape(value[: value.index("<") + 1], quote=False)
    assert start.endswith("&lt;")
    assert any(start in s for s in figure_strings(views[view_id]))


def test_a_source_is_a_link_only_when_it_is_one_http_url() -> None:
    url = "https://example.org/medel?ar=2022&typ=alla#tabell"
    text = r"https\://example\.org/medel?ar=2022&typ=alla\#tabell"  # shown as the URL
    assert source_link(url) == f"[{text}]({url})"
    for text in (
        EVIL_SOURCE,
        "https://example.org/x.png) ![bild](https://evil.example/y.png",
        "https://example.org/a b",
        "javascript:alert(1)",
        "se https://example.org/medel",
        "ftp://example.org/medel",
    ):
        assert source_link(text) == plain(text)
        assert not RAW_MARKUP.search(source_link(text))
        assert not AUTOLINK.search(source_link(text))


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
    ("program.exe", 100, "Filtypen stöds inte"),  # the app (the uploader has no type filter)
    ("stor.txt", 51_000_000, "File must be 50.0MB or smaller"),  # Streamlit's size limit
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

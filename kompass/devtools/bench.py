"""`kompass bench`: ingest throughput, page times and memory, at two scales.

Scales: the five sample reports, and a synthetic national corpus (default
2,000 evaluations from `kompass.devtools.synth`). Per page it measures the server time
of one full rerun (AppTest, warm caches) and, in headless Chromium, the time
from navigation to the first chart drawn; the same two figures for a minimal
Streamlit page with one plotly chart give each page a ratio to Streamlit's own
floor. Peak memory is the app server's VmHWM after visiting every page.
"""

from __future__ import annotations

import json
import os
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from kompass import store
from kompass.config import REPO_ROOT, reports_dir
from kompass.ui import registry

# What each page needs in its URL, and what shows it is ready. "KOMMUN" is
# replaced by a municipality with two or more evaluations in the measured store.
_SETUP: dict[str, tuple[dict[str, str], str]] = {
    "": ({}, "chart"),
    "profil": ({"kommun": "KOMMUN"}, "chart"),
    "jamfor": ({"kommun": "KOMMUN", "urval": "narmast"}, "chart"),
    "utveckling": ({"kommun": "KOMMUN"}, "chart"),
    "lar-av-andra": ({"kommun": "KOMMUN"}, "text=Svagaste delområden"),
    "fynd": ({"q": "styr"}, "text=träffar i"),
    "data": ({}, "[data-testid=stDataFrame]"),
}
# (label, script, URL path, query, ready) for every page of the registry.
PAGES = [(p.title, p.script, p.path, *_SETUP[p.url_path]) for p in registry.PAGES]
MINIMAL_PAGE = """
import plotly.graph_objects as go
import streamlit as st

st.title("Minimal")
r = [60, 70, 80, 65, 55, 50, 75, 60]
st.plotly_chart(go.Figure(go.Scatterpolar(r=r, theta=list("ABCDEFGH"))))
"""
# The same page as one of two pages of a st.navigation app under plain `streamlit run`,
# for comparison: opened at its own path, Streamlit's browser code first looks for the
# server under that path (about 0.13 s), which `kompass serve` spares its pages
# (kompass.ui.asgi).
MINIMAL_NAV_APP = """
import plotly.graph_objects as go
import streamlit as st


def chart():
    st.title("Minimal")
    r = [60, 70, 80, 65, 55, 50, 75, 60]
    st.plotly_chart(go.Figure(go.Scatterpolar(r=r, theta=list("ABCDEFGH"))))


def other():
    st.title("Annan")


st.navigation([st.Page(chart, url_path="diagram"), st.Page(other, url_path="annan")]).run()
"""
MINIMAL = "Minimal sida"
MINIMAL_NAV = "Minimal sida i st.navigation"
# The minimal page with the one setting of `kompass serve` that speeds any Streamlit app up
# (no file watcher, which walks every loaded module after each run): the stricter floor.
MINIMAL_QUIET = "Minimal sida utan filbevakning"
QUIET_FLAGS = ["--server.fileWatcherType", "none"]
FLOORS = (MINIMAL, MINIMAL_QUIET, MINIMAL_NAV)
CHART = "[data-testid=stPlotlyChart] .js-plotly-plot .main-svg"
VIEWPORT: Any = {"width": 1280, "height": 1000}
ROUNDS = 9  # visits per page for the first-chart figures (the median is reported)
# (label, URL path, the picker's label): pages where changing the municipality is timed.
PICKERS = [("Kommunprofil", "/profil", "Kommun"), ("Jämför", "/jamfor", "Baskommun")]
# Issue 12's targets (and the earlier ones for ingest and reruns).
TARGETS = {
    "text_rate": 100.0,  # reports/s
    "rerun_ms": 300.0,
    "browser_ratio": 1.5,  # navigation to first chart, against the minimal page
    "cold_ms": 2500.0,  # first request after a server start, Kommunprofil's first chart
    "picker_ms": 500.0,
    "print_s": 1.0,  # print page and PNG, each, the first time
    "peak_mb": 400.0,
}


@dataclass
class Scale:
    name: str
    evaluations: int = 0
    text_rate: float = 0.0
    text_files: int = 0
    pdf_rate: float | None = None
    pdf_files: int = 0
    pdf_extract_share: float | None = None
    rerun_ms: dict[str, float] = field(default_factory=dict)
    browser: Browser | None = None
    printout: Printout | None = None

    @property
    def browser_ms(self) -> dict[str, float]:
        return self.browser.first_chart_ms if self.browser else {}

    @property
    def peak_mb(self) -> float | None:
        return self.browser.peak_mb if self.browser else None


# --- ingest ----------------------------------------------------------------------


def time_ingest(folder: Path, db: Path) -> tuple[float, int]:
    """Reports per second for ingesting every file in `folder` into a fresh store."""
    store.init_store(db)
    started = time.perf_counter()
    results, failures = store.ingest_many([folder], db)
    elapsed = time.perf_counter() - started
    if failures:
        raise RuntimeError(f"benchmark corpus did not ingest: {failures[:3]}")
    return len(results) / elapsed, len(results)


def pdf_extract_share(folder: Path) -> float:
    """Share of parse time spent in PDF text extraction, over the PDFs in `folder`."""
    from kompass.parse import parse_text
    from kompass.parse.text import normalise, pdf_to_text

    extract = parse = 0.0
    for path in sorted(folder.glob("*.pdf")):
        data = path.read_bytes()
        t0 = time.perf_counter()
        text = normalise(pdf_to_text(data, path.name))
        t1 = time.perf_counter()
        parse_text(text, path.name)
        t2 = time.perf_counter()
        extract += t1 - t0
        parse += t2 - t1
    return extract / (extract + parse) if extract + parse else 0.0


def build_scale(name: str, work: Path, n: int | None, pdfs: int, seed: int) -> tuple[Scale, Path]:
    """Ingest the corpus of one scale into `work/<name>.duckdb`; measure text and PDF ingest."""
    from kompass.devtools import synth

    scale = Scale(name)
    text_dir, pdf_dir = work / f"{name}-text", work / f"{name}-pdf"
    text_dir.mkdir()
    pdf_dir.mkdir()
    if n is None:
        for path in reports_dir().glob("*.txt"):
            shutil.copy(path, text_dir)
    else:
        synth.write_corpus(text_dir, n, seed)
    if pdfs:
        synth.write_corpus(pdf_dir, pdfs, seed + 1, pdf_share=1.0)
    db = work / f"{name}.duckdb"
    scale.text_rate, scale.text_files = time_ingest(text_dir, db)
    if pdfs:
        scale.pdf_rate, scale.pdf_files = time_ingest(pdf_dir, work / f"{name}-pdf.duckdb")
        scale.pdf_extract_share = pdf_extract_share(pdf_dir)
    with store.connect(db, read_only=True) as con:
        row = con.execute("SELECT count(*) FROM evaluation").fetchone()
    scale.evaluations = int(row[0]) if row else 0
    return scale, db


# --- pages -----------------------------------------------------------------------


def sample_code(db: Path) -> str:
    """A municipality with two or more evaluations (Sala in the samples), for page URLs."""
    return sample_codes(db)[0]


def sample_codes(db: Path) -> list[str]:
    """Municipalities with area scores, those with two or more evaluations first.

    The first is every page's subject; the second is what the picker changes to.
    """
    from kompass import queries

    evals = queries.evaluations(db)
    full = list(dict.fromkeys(evals[evals.n_areas == 8].sort_values("code").code))
    multi = [c for c in queries.multi_evaluated(evals) if c in full]
    codes = multi + [c for c in full if c not in multi]
    if not codes:
        codes = [str(evals.code.iloc[0])]
    return codes if len(codes) > 1 else codes * 2


def _name(db: Path, code: str) -> str:
    from kompass import queries

    evals = queries.evaluations(db)
    return str(evals[evals.code == code].name.iloc[0])


def _params(params: dict[str, str], code: str) -> dict[str, str]:
    return {k: code if v == "KOMMUN" else v for k, v in params.items()}


def rerun_times(db: Path, repeats: int = 3) -> dict[str, float]:
    """Median server time (ms) of one full rerun of each page, caches warm (AppTest)."""
    from kompass.ui.timing import rerun_ms

    code = sample_code(db)
    pages = [(p[0], str(REPO_ROOT / p[1]), _params(p[3], code)) for p in PAGES]
    pages.append((MINIMAL, str(_minimal_page(db.parent)), {}))
    return rerun_ms(db, pages, repeats)


def _minimal_page(folder: Path) -> Path:
    path = folder / "minimal_page.py"
    path.write_text(MINIMAL_PAGE, encoding="utf-8")
    return path


def _minimal_app(folder: Path) -> Path:
    app = folder / "minimal_nav"
    app.mkdir(exist_ok=True)
    (app / "app.py").write_text(MINIMAL_NAV_APP, encoding="utf-8")
    return app / "app.py"


def free_port() -> int:
    """A port on loopback that nothing listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _server_command(
    script: Path | None, db: Path, port: int, flags: Sequence[str] = ()
) -> list[str]:
    """`kompass serve` for the app (warm-up, then Streamlit); `streamlit run` for `script`."""
    if script is None:
        return [sys.executable, "-m", "kompass.cli", "serve", "--port", str(port),
                "--address", "127.0.0.1", "--db", str(db)]  # fmt: skip
    return [sys.executable, "-m", "streamlit", "run", str(script), "--server.headless", "true",
            "--server.port", str(port), "--server.address", "127.0.0.1", *flags]  # fmt: skip


@contextmanager
def serve(
    script: Path | None,
    db: Path,
    cwd: Path,
    port: int | None = None,
    flags: Sequence[str] = (),
) -> Iterator[tuple[str, int]]:
    """A real server on a free port; yields (url, pid) once it answers.

    `script` None serves the app as `kompass serve` does (the start-up warm-up
    included); a script path runs that script under plain `streamlit run` (with
    `flags`, Streamlit's own options).
    """
    port = port or free_port()
    env = {**os.environ, "KOMPASS_DB": str(db), "KOMPASS_NO_AUTOLOAD": "1"}
    proc = subprocess.Popen(
        _server_command(script, db, port, flags),
        cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url, proc)
        yield url, proc.pid
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()  # a browser still connected can keep it waiting
            proc.wait(timeout=10)


def wait_healthy(url: str, proc: subprocess.Popen[bytes], timeout: float = 120) -> None:
    """Until the server at `url` answers its health check; RuntimeError if it dies or never does."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the app server stopped on start (exit code {proc.returncode})")
        try:
            with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as r:
                if r.read().strip() == b"ok":
                    return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"the app server did not answer within {timeout:.0f} s")


# The page's own clock (ms since the navigation started) at the first check, every
# 10 ms, that finds the element laid out and visible. Playwright's `locator.wait_for` polls
# with a back-off of up to 500 ms between checks, which rounded a chart drawn at
# 0.6 s up to 0.9 s.
_VISIBLE_AT = """({css, text}) => {
  let e = null;
  if (text) {  // like Playwright's text=: the words may span a bold part and the rest
    const blocks = document.querySelectorAll('[data-testid=stMarkdownContainer]');
    e = Array.from(blocks).find((b) => b.textContent.includes(text)) || null;
  } else {
    e = document.querySelector(css);
  }
  if (!e) return false;
  const box = e.getBoundingClientRect();
  if (!box.width || !box.height || getComputedStyle(e).visibility !== 'visible') return false;
  return performance.now();
}"""


def _first_chart_ms(page: Any, url: str, ready: str = "chart") -> float:
    """Navigation to the first chart drawn (or the page's own sign of being ready)."""
    page.goto(url)
    css = CHART if ready == "chart" else ready
    target = {"css": None, "text": css[len("text=") :]} if css.startswith("text=") else {"css": css}
    # A fixed interval, not "raf": a page of another browser context gets no frames.
    seen = page.wait_for_function(_VISIBLE_AT, arg=target, polling=10, timeout=60_000)
    return float(seen.json_value())


# The first chart's series names and sizes: they change when the picker's choice is drawn.
_CHART_STATE = """() => {
  const p = document.querySelector('[data-testid=stPlotlyChart] .js-plotly-plot');
  return p && p.data ? JSON.stringify(p.data.map((t) => [t.name, t.r ?? t.x ?? t.z])) : '';
}"""
_CHART_CHANGED = """(before) => {
  const p = document.querySelector('[data-testid=stPlotlyChart] .js-plotly-plot');
  if (!p || !p.data || !document.querySelector('[data-testid=stPlotlyChart] .main-svg')) {
    return false;
  }
  return JSON.stringify(p.data.map((t) => [t.name, t.r ?? t.x ?? t.z])) !== before;
}"""


def _pick(page: Any, label: str, name: str) -> float:
    """Choose `name` in the select box `label`; ms from the choice to the chart redrawn."""
    before = page.evaluate(_CHART_STATE)
    box = page.get_by_role("combobox", name=label)
    box.click()
    box.fill(name)
    option = page.get_by_role("option", name=name, exact=True).first
    option.wait_for(timeout=10_000)
    t0 = time.perf_counter()
    option.click()
    page.wait_for_function(_CHART_CHANGED, arg=before, timeout=60_000, polling="raf")
    return (time.perf_counter() - t0) * 1000


def picker_ms(page: Any, url: str, label: str, names: tuple[str, str], repeats: int) -> float:
    """Median ms from choosing another municipality in `label` to the first chart updated."""
    _first_chart_ms(page, url)
    _pick(page, label, names[1])  # warm: both municipalities' queries are cached after this
    _pick(page, label, names[0])
    return statistics.median(_pick(page, label, names[(i + 1) % 2]) for i in range(repeats))


def browser_times(db: Path, repeats: int = 3) -> Browser:
    """Every browser figure of one scale (see `Browser`), in headless Chromium."""
    try:
        return _browser_times(db, repeats)
    except RuntimeError:
        raise
    except Exception as exc:  # playwright's own errors: one line for the CLI
        raise RuntimeError(f"browser measurement failed: {str(exc).splitlines()[0]}") from exc


@dataclass
class Browser:
    """What the browser part measures at one scale."""

    first_chart_ms: dict[str, float] = field(default_factory=dict)  # per page, warm server
    cold_ms: float | None = None  # first request after a server start: Kommunprofil's chart
    cold_empty_ms: float | None = None  # the same from an empty browser profile
    start_s: float | None = None  # server start (warm-up included) until it answers
    picker_ms: dict[str, float] = field(default_factory=dict)  # Kommunprofil, Jämför
    peak_mb: float | None = None  # the app server's VmHWM after visiting every page


def _browser_times(db: Path, repeats: int) -> Browser:
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        raise RuntimeError("no chromium found (make chromium)")
    args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
            "--disable-background-networking", "--no-first-run"]  # fmt: skip
    out = Browser()
    codes = sample_codes(db)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=args)
        out.cold_ms, out.cold_empty_ms, out.start_s = cold_start(browser, db, codes[0], repeats)
        page = browser.new_page(viewport=VIEWPORT)
        minimal = _minimal_page(db.parent)
        with (
            serve(None, db, REPO_ROOT) as (url, pid),
            serve(minimal, db, minimal.parent) as (plain_url, _),
            serve(minimal, db, minimal.parent, flags=QUIET_FLAGS) as (quiet_url, _),
            serve(_minimal_app(db.parent), db, db.parent) as (nav_url, _),
        ):
            targets = [(MINIMAL, plain_url, "chart"), (MINIMAL_QUIET, quiet_url, "chart")]
            targets.append((MINIMAL_NAV, nav_url + "/diagram", "chart"))
            targets += [
                (label, _page_url(url, path, params, codes[0]), ready)
                for label, _, path, params, ready in PAGES
            ]
            out.first_chart_ms = first_chart_rounds(page, targets, ROUNDS)
            out.peak_mb = _peak_mb(pid)
            names = (_name(db, codes[0]), _name(db, codes[1]))
            for label, path, picker in PICKERS:
                target = _page_url(url, path, _SETUP[path.strip("/")][0], codes[0])
                out.picker_ms[label] = picker_ms(page, target, picker, names, repeats)
        browser.close()
    return out


def first_chart_rounds(
    page: Any, targets: list[tuple[str, str, str]], rounds: int
) -> dict[str, float]:
    """Median ms to each (label, url, ready) target's first chart, measured in turns.

    Every round visits each target once, the minimal pages among them, so a change in
    the machine's load during the run falls on the pages and their floor alike.
    """
    for _, target, ready in targets:
        _first_chart_ms(page, target, ready)  # warm: plotly.js and queries cached
    times: dict[str, list[float]] = {label: [] for label, _, _ in targets}
    for _ in range(rounds):
        for label, target, ready in targets:
            times[label].append(_first_chart_ms(page, target, ready))
    return {label: statistics.median(ms) for label, ms in times.items()}


def _page_url(url: str, path: str, params: dict[str, str], code: str) -> str:
    query = "&".join(f"{k}={v}" for k, v in _params(params, code).items())
    return url + path + (f"?{query}" if query else "")


def cold_start(browser: Any, db: Path, code: str, repeats: int) -> tuple[float, float, float]:
    """Kommunprofil's first chart on the first request after a server start, in ms.

    The server starts as `kompass serve` starts it (warm-up included) and is
    asked once it answers. Returns the median over `repeats` starts of: the
    first request from a browser that has visited the app before (its cache
    holds Streamlit's and plotly's scripts: the same state as in the page
    figures, so the difference is the server's), the first request from an
    empty browser profile (a first-time visitor, who also downloads and
    compiles 5 MB of scripts), and the seconds from starting the server to
    its first answer. One port for all starts, so the browser's cache applies.
    """
    target = _page_url("", "/profil", _SETUP["profil"][0], code)
    port = free_port()
    returning = browser.new_context(viewport=VIEWPORT)
    page = returning.new_page()
    with serve(None, db, REPO_ROOT, port) as (url, _pid):
        _first_chart_ms(page, url + target)  # the returning visitor's earlier visit
    primed, empty, started = [], [], []
    try:
        for _ in range(repeats):
            t0 = time.perf_counter()
            with serve(None, db, REPO_ROOT, port) as (url, _pid):
                started.append(time.perf_counter() - t0)
                primed.append(_first_chart_ms(page, url + target))
            with serve(None, db, REPO_ROOT, port) as (url, _pid):
                first_time = browser.new_context(viewport=VIEWPORT)
                try:
                    empty.append(_first_chart_ms(first_time.new_page(), url + target))
                finally:
                    first_time.close()
    finally:
        returning.close()
    return statistics.median(primed), statistics.median(empty), statistics.median(started)


def _peak_mb(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


# --- print-out ---------------------------------------------------------------------

# Run in a fresh interpreter, so that "the first time" is the first time in a process:
# the print page and the PNG of one evaluation, with every process the call starts
# watched for a browser.
_PRINT_SCRIPT = r"""
import json, os, sys, threading, time
from pathlib import Path

from kompass.present import printout

seen = set()
done = threading.Event()

def descendants():
    kids, parents = set(), {os.getpid()}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = open(f"/proc/{entry.name}/stat").read()
            comm = open(f"/proc/{entry.name}/comm").read().strip()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        kids.add((int(entry.name), ppid, comm))
    grew = True
    while grew:
        grew = False
        for pid, ppid, comm in kids:
            if ppid in parents and pid not in parents:
                parents.add(pid)
                grew = True
                if "chrom" in comm.lower() or "headless" in comm.lower():
                    seen.add(comm)

def watch():
    while not done.is_set():
        descendants()
        time.sleep(0.02)

threading.Thread(target=watch, daemon=True).start()
db, code, year = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
out = {}
for run in ("first", "again"):
    t0 = time.perf_counter()
    printout.summary_html(db, code, year, None)
    t1 = time.perf_counter()
    printout.radar_png(db, code, year, None)
    t2 = time.perf_counter()
    out[run + "_html_s"], out[run + "_png_s"] = t1 - t0, t2 - t1
done.set()
out["browser"] = sorted(seen)
out["kaleido"] = "kaleido" in sys.modules
print(json.dumps(out))
"""


@dataclass
class Printout:
    """The print page and the radar PNG, the first time in a fresh process and again."""

    first_html_s: float
    first_png_s: float
    again_html_s: float
    again_png_s: float
    browser: list[str]  # names of browser processes the calls started (none is the goal)
    kaleido: bool  # whether plotly's kaleido (which drives Chromium) was loaded


def printout_times(db: Path, code: str) -> Printout:
    """`printout.summary_html` and `radar_png` for `code`'s latest evaluation, timed."""
    from kompass import queries

    evals = queries.evaluations(db)
    year = int(evals[evals.code == code].year.max())
    done = subprocess.run(
        [sys.executable, "-c", _PRINT_SCRIPT, str(db), code, str(year)],
        capture_output=True, text=True, timeout=300, cwd=REPO_ROOT,
    )  # fmt: skip
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["no output"])[-1]
        raise RuntimeError(f"print-out measurement failed: {last}")
    return Printout(**json.loads(done.stdout.strip().splitlines()[-1]))


# --- report ----------------------------------------------------------------------


def run(n: int = 2000, pdfs: int = 100, seed: int = 1, browser: bool = True) -> list[Scale]:
    """Both scales, measured; nothing is written to the project's database."""
    scales = []
    with tempfile.TemporaryDirectory(prefix="kompass-bench-") as tmp:
        for name, size, n_pdf in (("exempel", None, 5), ("nationell", n, pdfs)):
            work = Path(tmp) / name
            work.mkdir()
            scale, db = build_scale(name, work, size, n_pdf, seed)
            measure(scale, db, browser)
            scales.append(scale)
    return scales


def measure(scale: Scale, db: Path, browser: bool = True, repeats: int = 5) -> Scale:
    """Reruns, the print-out and (with `browser`) the browser figures of one built store."""
    scale.rerun_ms = rerun_times(db, repeats)
    scale.printout = printout_times(db, sample_code(db))
    if browser:
        scale.browser = browser_times(db, repeats)
    return scale


def _fmt(value: float | None, unit: str = "") -> str:
    return "–" if value is None else f"{value:,.0f}{unit}".replace(",", " ")


def _row(label: str, scales: list[Scale], cell: Any) -> str:
    return f"| {label} | " + " | ".join(cell(s) for s in scales) + " |"


def markdown(scales: list[Scale]) -> str:
    """The results as Markdown tables (the body of BENCHMARKS.md)."""
    b = [s.browser or Browser() for s in scales]
    by = dict(zip([id(s) for s in scales], b, strict=True))
    lines = [
        "| | " + " | ".join(f"{s.name} ({s.evaluations} utv.)" for s in scales) + " |",
        "|---|" + "---|" * len(scales),
        _row("text ingest, reports/s", scales,
             lambda s: f"{s.text_rate:.0f} ({s.text_files} filer)"),
        _row("PDF ingest, reports/s", scales,
             lambda s: f"{_fmt(s.pdf_rate)} ({s.pdf_files} filer)"),
        _row(
            "share of PDF parse time in text extraction",
            scales,
            lambda s: "–" if s.pdf_extract_share is None else f"{100 * s.pdf_extract_share:.0f} %",
        ),
        _row("app server peak memory (VmHWM), every page visited", scales,
             lambda s: _fmt(s.peak_mb, " MB")),
        _row("first request after a server start: Kommunprofil's first chart, ms", scales,
             lambda s: _fmt(by[id(s)].cold_ms)),
        _row("the same from an empty browser profile (a first-time visitor), ms", scales,
             lambda s: _fmt(by[id(s)].cold_empty_ms)),
        _row("server start (`kompass serve`, warm-up included) until it answers, s", scales,
             lambda s: "–" if by[id(s)].start_s is None else f"{by[id(s)].start_s:.1f}"),
    ]  # fmt: skip
    for label, _, _ in PICKERS:
        lines.append(
            _row(f"picker change to updated chart, {label}, ms", scales,
                 lambda s, label=label: _fmt(by[id(s)].picker_ms.get(label)))
        )  # fmt: skip
    lines += _printout_rows(scales)
    lines += [
        "",
        "Per page: server time of one full rerun (AppTest, warm) and browser time from "
        "navigation to the first chart drawn, with the ratio to the minimal page.",
        "",
    ]
    header = (
        "| page | "
        + " | ".join(f"rerun ms ({s.name}) | browser ms ({s.name}) | ratio" for s in scales)
        + " |"
    )
    lines += [header, "|---|" + "---|---|---|" * len(scales)]
    for label in [p[0] for p in PAGES] + list(FLOORS):
        cells = []
        for s in scales:
            floor = s.browser_ms.get(MINIMAL)
            ms = s.browser_ms.get(label)
            ratio = "–" if ms is None or not floor else f"{ms / floor:.2f}"
            cells.append(f"{_fmt(s.rerun_ms.get(label))} | {_fmt(ms)} | {ratio}")
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _printout_rows(scales: list[Scale]) -> list[str]:
    def cell(s: Scale, first: str, again: str) -> str:
        p = s.printout
        if p is None:
            return "–"
        return f"{1000 * getattr(p, first):.0f} (again {1000 * getattr(p, again):.0f})"

    def browser(s: Scale) -> str:
        p = s.printout
        if p is None:
            return "–"
        return (", ".join(p.browser) or "none") + (" (kaleido loaded)" if p.kaleido else "")

    return [
        _row("print page (HTML), first time in a process, ms", scales,
             lambda s: cell(s, "first_html_s", "again_html_s")),
        _row("radar PNG, first time in a process, ms", scales,
             lambda s: cell(s, "first_png_s", "again_png_s")),
        _row("browser processes started by the print-out", scales, browser),
    ]  # fmt: skip


def _chart_pages() -> list[str]:
    return [p[0] for p in PAGES if p[4] == "chart"]


def verdicts(scales: list[Scale]) -> list[str]:
    """One line per target, at the national scale: met or missed, with the numbers."""
    big = scales[-1]
    out = [
        f"text ingest ≥ {TARGETS['text_rate']:.0f}/s at {big.evaluations} evaluations: "
        f"{big.text_rate:.0f}/s – {_met(big.text_rate >= TARGETS['text_rate'])}"
    ]
    slow = {k: v for k, v in big.rerun_ms.items() if v > TARGETS["rerun_ms"]}
    out.append(f"every rerun ≤ {TARGETS['rerun_ms']:.0f} ms: " + _missed_by(slow, "{:.0f} ms"))
    out += _browser_verdicts(big)
    p = big.printout
    if p is not None:
        worst = max(p.first_html_s, p.first_png_s)
        ok = worst <= TARGETS["print_s"] and not p.browser
        out.append(
            f"print page and PNG ≤ {TARGETS['print_s']:.0f} s the first time, no browser on the "
            f"server: HTML {1000 * p.first_html_s:.0f} ms, PNG {1000 * p.first_png_s:.0f} ms, "
            f"browser processes: {', '.join(p.browser) or 'none'} – {_met(ok)}"
        )
    return out


def _browser_verdicts(big: Scale) -> list[str]:
    if big.browser is None:
        return []
    b, out = big.browser, []
    floor = b.first_chart_ms.get(MINIMAL)
    if floor:
        ratios = {k: b.first_chart_ms[k] / floor for k in _chart_pages() if k in b.first_chart_ms}
        over = {k: r for k, r in ratios.items() if r > TARGETS["browser_ratio"]}
        worst = max(ratios.values(), default=0.0)
        out.append(
            f"navigation to first chart ≤ {TARGETS['browser_ratio']}× the minimal page on every "
            f"page with a chart ({', '.join(ratios)}; largest {worst:.2f}×): "
            + _missed_by(over, "{:.2f}×")
        )
        for other in (MINIMAL_QUIET, MINIMAL_NAV):
            ms = b.first_chart_ms.get(other)
            if ms:
                out.append(
                    f"for comparison, {other} is {ms / floor:.2f}× the minimal page; against "
                    "it: " + ", ".join(f"{k} {b.first_chart_ms[k] / ms:.2f}×" for k in ratios)
                )
        others = {
            k: v / floor for k, v in b.first_chart_ms.items() if k not in ratios and k not in FLOORS
        }
        out.append(
            "pages without a chart, to their first table or result line: "
            + ", ".join(f"{k} {r:.2f}×" for k, r in others.items())
        )
    if b.cold_ms is not None:
        ok = b.cold_ms <= TARGETS["cold_ms"]
        out.append(
            f"first request after a cold start ≤ {TARGETS['cold_ms'] / 1000:.1f} s to "
            f"Kommunprofil's first chart: {b.cold_ms / 1000:.2f} s – {_met(ok)}"
        )
    slow = {k: v for k, v in b.picker_ms.items() if v > TARGETS["picker_ms"]}
    out.append(
        f"picker change to updated chart ≤ {TARGETS['picker_ms']:.0f} ms "
        f"({', '.join(f'{k} {v:.0f} ms' for k, v in b.picker_ms.items())}): "
        + _missed_by(slow, "{:.0f} ms")
    )
    if b.peak_mb is not None:
        out.append(
            f"app server peak memory ≤ {TARGETS['peak_mb']:.0f} MB after visiting every page: "
            f"{b.peak_mb:.0f} MB – {_met(b.peak_mb <= TARGETS['peak_mb'])}"
        )
    return out


def _met(ok: bool) -> str:
    return "met" if ok else "MISSED"


def _missed_by(over: dict[str, float], fmt: str) -> str:
    if not over:
        return "met"
    return "MISSED by " + ", ".join(f"{k} {fmt.format(v)}" for k, v in over.items())


def machine() -> str:
    """Machine facts for the record."""
    mem = ""
    try:
        kb = next(
            line
            for line in Path("/proc/meminfo").read_text().splitlines()
            if line.startswith("MemTotal")
        )
        mem = f", {int(kb.split()[1]) / 1024 / 1024:.0f} GB RAM"
    except (OSError, StopIteration):
        pass
    return (
        f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores{mem}, "
        f"Python {platform.python_version()}, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC"
    )

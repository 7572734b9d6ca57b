"""`kompass bench`: ingest throughput, page times and memory, at two scales.

Scales: the five sample reports, and a synthetic national corpus (default
2,000 evaluations from `kompass.devtools.synth`). Per page it measures the server time
of one full rerun (AppTest, warm caches) and, in headless Chromium, the time
from navigation to the first chart drawn; the same two figures for a minimal
Streamlit page with one plotly chart give each page a ratio to Streamlit's own
floor. Peak memory is the app server's VmHWM after visiting every page.
"""

from __future__ import annotations

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
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

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
CHART = "[data-testid=stPlotlyChart] .js-plotly-plot .main-svg"
TARGETS = {"text_rate": 100.0, "browser_ratio": 1.5, "rerun_ms": 300.0}


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
    browser_ms: dict[str, float] = field(default_factory=dict)
    peak_mb: float | None = None


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
    from kompass import queries

    evals = queries.evaluations(db)
    multi = queries.multi_evaluated(evals)
    return multi[0] if multi else str(evals.code.iloc[0])


def _params(params: dict[str, str], code: str) -> dict[str, str]:
    return {k: code if v == "KOMMUN" else v for k, v in params.items()}


def rerun_times(db: Path, repeats: int = 3) -> dict[str, float]:
    """Median server time (ms) of one full rerun of each page, caches warm (AppTest)."""
    from kompass.ui.timing import rerun_ms

    code = sample_code(db)
    pages = [(p[0], str(REPO_ROOT / p[1]), _params(p[3], code)) for p in PAGES]
    pages.append(("Minimal sida", str(_minimal_page(db.parent)), {}))
    return rerun_ms(db, pages, repeats)


def _minimal_page(folder: Path) -> Path:
    path = folder / "minimal_page.py"
    path.write_text(MINIMAL_PAGE, encoding="utf-8")
    return path


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def serve(script: Path, db: Path, cwd: Path) -> Iterator[tuple[str, int]]:
    """A real `streamlit run` server on a free port; yields (url, pid)."""
    port = _free_port()
    env = {**os.environ, "KOMPASS_DB": str(db), "KOMPASS_NO_AUTOLOAD": "1"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(script), "--server.headless", "true",
         "--server.port", str(port), "--server.address", "127.0.0.1"],
        cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as r:
                    if r.read().strip() == b"ok":
                        break
            except OSError:
                time.sleep(0.2)
        yield url, proc.pid
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()  # a browser still connected can keep it waiting
            proc.wait(timeout=10)


def _first_chart_ms(page: object, url: str, ready: str = "chart") -> float:
    """Navigation to the first chart drawn (or the page's own sign of being ready)."""
    t0 = time.perf_counter()
    page.goto(url)  # type: ignore[attr-defined]
    selector = CHART if ready == "chart" else ready
    page.locator(selector).first.wait_for(timeout=60_000)  # type: ignore[attr-defined]
    return (time.perf_counter() - t0) * 1000


def browser_times(db: Path, repeats: int = 3) -> tuple[dict[str, float], float | None]:
    """Median ms from navigation to the first chart drawn, per page; and the server's peak MB."""
    try:
        return _browser_times(db, repeats)
    except RuntimeError:
        raise
    except Exception as exc:  # playwright's own errors: one line for the CLI
        raise RuntimeError(f"browser measurement failed: {str(exc).splitlines()[0]}") from exc


def _browser_times(db: Path, repeats: int) -> tuple[dict[str, float], float | None]:
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        raise RuntimeError("no chromium found (make chromium)")
    args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
            "--disable-background-networking", "--no-first-run"]  # fmt: skip
    out: dict[str, float] = {}
    peak = None
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=args)
        page = browser.new_page(viewport={"width": 1280, "height": 1000})
        code = sample_code(db)
        with serve(REPO_ROOT / "app.py", db, REPO_ROOT) as (url, pid):
            for label, _, path, params, ready in PAGES:
                query = "&".join(f"{k}={v}" for k, v in _params(params, code).items())
                target = url + path + (f"?{query}" if query else "")
                _first_chart_ms(page, target, ready)  # warm: plotly.js and queries cached
                out[label] = statistics.median(
                    _first_chart_ms(page, target, ready) for _ in range(repeats)
                )
            peak = _peak_mb(pid)
        minimal = _minimal_page(db.parent)
        with serve(minimal, db, db.parent) as (url, _):
            _first_chart_ms(page, url)
            out["Minimal sida"] = statistics.median(
                _first_chart_ms(page, url) for _ in range(repeats)
            )
        browser.close()
    return out, peak


def _peak_mb(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


# --- report ----------------------------------------------------------------------


def run(n: int = 2000, pdfs: int = 100, seed: int = 1, browser: bool = True) -> list[Scale]:
    """Both scales, measured; nothing is written to the project's database."""
    scales = []
    with tempfile.TemporaryDirectory(prefix="kompass-bench-") as tmp:
        for name, size, n_pdf in (("exempel", None, 5), ("nationell", n, pdfs)):
            work = Path(tmp) / name
            work.mkdir()
            scale, db = build_scale(name, work, size, n_pdf, seed)
            scale.rerun_ms = rerun_times(db)
            if browser:
                scale.browser_ms, scale.peak_mb = browser_times(db)
            scales.append(scale)
    return scales


def _fmt(value: float | None, unit: str = "") -> str:
    return "–" if value is None else f"{value:,.0f}{unit}".replace(",", " ")


def markdown(scales: list[Scale]) -> str:
    """The results as Markdown tables (the body of BENCHMARKS.md)."""
    lines = [
        "| | " + " | ".join(f"{s.name} ({s.evaluations} utv.)" for s in scales) + " |",
        "|---|" + "---|" * len(scales),
    ]
    lines.append(
        "| text ingest, reports/s | "
        + " | ".join(f"{s.text_rate:.0f} ({s.text_files} filer)" for s in scales)
        + " |"
    )
    lines.append(
        "| PDF ingest, reports/s | "
        + " | ".join(f"{_fmt(s.pdf_rate)} ({s.pdf_files} filer)" for s in scales)
        + " |"
    )
    lines.append(
        "| share of PDF parse time in text extraction | "
        + " | ".join(
            "–" if s.pdf_extract_share is None else f"{100 * s.pdf_extract_share:.0f} %"
            for s in scales
        )
        + " |"
    )
    lines.append(
        "| app server peak memory (VmHWM) | "
        + " | ".join(_fmt(s.peak_mb, " MB") for s in scales)
        + " |"
    )
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
    for label in [p[0] for p in PAGES] + ["Minimal sida"]:
        cells = []
        for s in scales:
            floor = s.browser_ms.get("Minimal sida")
            b = s.browser_ms.get(label)
            ratio = "–" if b is None or not floor else f"{b / floor:.2f}"
            cells.append(f"{_fmt(s.rerun_ms.get(label))} | {_fmt(b)} | {ratio}")
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def verdicts(scales: list[Scale]) -> list[str]:
    """One line per target: met or missed, with the numbers."""
    big = scales[-1]
    out = [
        f"text ingest ≥ {TARGETS['text_rate']:.0f}/s at {big.evaluations} evaluations: "
        f"{big.text_rate:.0f}/s – {'met' if big.text_rate >= TARGETS['text_rate'] else 'MISSED'}"
    ]
    slow = {k: v for k, v in big.rerun_ms.items() if v > TARGETS["rerun_ms"]}
    out.append(
        f"every rerun ≤ {TARGETS['rerun_ms']:.0f} ms: "
        + (
            "met"
            if not slow
            else "MISSED by " + ", ".join(f"{k} {v:.0f} ms" for k, v in slow.items())
        )
    )
    floor = big.browser_ms.get("Minimal sida")
    if floor:
        over = {
            k: v / floor for k, v in big.browser_ms.items() if v / floor > TARGETS["browser_ratio"]
        }
        out.append(
            f"browser time ≤ {TARGETS['browser_ratio']}× minimal page: "
            + (
                "met"
                if not over
                else "MISSED by " + ", ".join(f"{k} {r:.2f}×" for k, r in over.items())
            )
        )
    return out


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

"""A real `streamlit run` server and headless Chromium (Playwright) for end-to-end tests.

Shared by tests/test_browser.py, tests/test_concurrency.py and
tests/test_safety.py. Browser tests skip only when no chromium binary exists
or KOMPASS_NO_BROWSER=1 hides it (`needs_chromium`; tests/conftest.py says so
at the end of the run); `make test` and CI install Debian's chromium when they
can (`make chromium`).
Screenshots go to screenshots/ (git-ignored) for a person to look at.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from kompass.devtools import bench
from tests.helpers.serving import stop

ROOT = Path(__file__).resolve().parents[2]
REPORTS = ROOT / "data" / "reports"
SHOTS = ROOT / "screenshots"
# KOMPASS_NO_BROWSER=1 hides an installed Chromium: the run a machine without one gets.
CHROMIUM = (
    None
    if os.environ.get("KOMPASS_NO_BROWSER", "") not in ("", "0")
    else (shutil.which("chromium") or shutil.which("chromium-browser"))
)
NO_CHROMIUM = "Chromium not found (install: sudo make chromium)"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--no-first-run",
]  # fmt: skip
CHART = "[data-testid=stPlotlyChart] .js-plotly-plot .main-svg"
EXCEPTION = "[data-testid=stException]"

needs_chromium = pytest.mark.skipif(CHROMIUM is None, reason=NO_CHROMIUM)


def start_server(
    db: Path, env_extra: dict[str, str] | None = None
) -> tuple[subprocess.Popen[bytes], str]:
    """Start `streamlit run app.py` on a free port with KOMPASS_DB=db; wait until healthy."""
    port = bench.free_port()
    env = {**os.environ, "KOMPASS_DB": str(db), **(env_extra or {})}
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
         "--server.port", str(port), "--server.address", "127.0.0.1"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        bench.wait_healthy(url, proc, 60)
    except RuntimeError:
        stop_server(proc)
        raise
    return proc, url


stop_server = stop  # tests/helpers/serving.py: terminate, then kill after 30 s


@contextmanager
def running_server(db: Path, env_extra: dict[str, str] | None = None) -> Iterator[str]:
    """A server for the duration of the block; yields its base URL."""
    proc, url = start_server(db, env_extra)
    try:
        yield url
    finally:
        stop_server(proc)


@contextmanager
def chromium() -> Iterator[Any]:
    """Headless Debian Chromium driven by Playwright (use in a module-scoped fixture)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


def new_page(browser: Any) -> Any:
    """A page in a fresh context (its own Streamlit session); close with page.context.close()."""
    context = browser.new_context(viewport={"width": 1280, "height": 2400}, locale="sv-SE")
    return context.new_page()


@contextmanager
def fresh_page(browser: Any) -> Iterator[Any]:
    """`new_page` for the duration of the block (use in a function-scoped fixture)."""
    pg = new_page(browser)
    try:
        yield pg
    finally:
        pg.context.close()


def screenshot(page: Any, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def open_page(page: Any, url: str, name: str) -> None:
    """Go to url, wait for the app to settle, save a screenshot, assert no exception."""
    page.goto(url)
    page.wait_for_selector("[data-testid=stMain]", timeout=30_000)
    page.wait_for_load_state("networkidle")
    wait_until_settled(page)
    screenshot(page, name)
    assert page.locator(EXCEPTION).count() == 0


# True once the main area has content and nothing has been running, loading
# or stale for `quiet` ms. The script state comes from the app root's attribute:
# the running icon shows only after 500 ms of a run, too late on a busy machine.
_SETTLED = """quiet => {
    const busy = document.querySelector([
        '[data-testid=stApp]:not([data-test-script-state=notRunning])',
        '[data-testid=stStatusWidgetRunningIcon]', '[data-testid=stStatusWidgetRunningManIcon]',
        '[data-testid=stAppSkeleton]', '[data-testid=stSkeleton]',
        '[data-testid=stSkeletonElement]', '[data-stale=true]',
    ].join(', '));
    const content = document.querySelector('[data-testid=stMain] [data-testid=stElementContainer]');
    const now = performance.now();
    if (busy || !content) {
        window.__kompassQuietSince = null;
        return false;
    }
    window.__kompassQuietSince = window.__kompassQuietSince || now;
    return now - window.__kompassQuietSince >= quiet;
}"""


def wait_until_settled(page: Any, quiet_ms: int = 700, timeout_ms: int = 60_000) -> None:
    """Wait until the script run is over: no running icon, skeleton or stale element.

    The main area must hold an element, so the blank page before the first
    run does not count; a page that shows something early (a title) and then
    computes may still look settled, so wait for the page's own content too.
    """
    page.wait_for_function(_SETTLED, arg=quiet_ms, polling=100, timeout=timeout_ms)


def wait_for_charts(page: Any) -> None:
    page.wait_for_selector(CHART, timeout=30_000)
    page.wait_for_timeout(500)


def main_text(page: Any) -> str:
    return str(page.locator("[data-testid=stMain]").inner_text())


def chart_data(page: Any, index: int = 0) -> list[dict[str, Any]]:
    return list(page.evaluate(
        "i => Array.from(document.querySelectorAll('.js-plotly-plot'))[i].data"
        ".map(t => ({name: t.name, r: t.r ? Array.from(t.r) : null,"
        " x: t.x ? Array.from(t.x) : null}))",
        index,
    ))  # fmt: skip

"""`kompass serve` tells the browser where the server is (kompass.ui.asgi).

Opened at a page's own path, Streamlit's browser code first looked for the
server under that path (a 404) and tried the site root 0.1 s later. With the
hint in the page it asks the right address at once, with and without a base
path, and the page draws as before.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kompass.present.strings import page_not_found
from kompass.ui import asgi, registry
from tests.cli.test_serve import clean_env, serving
from tests.helpers.browser import CHART, EXCEPTION, needs_chromium, wait_until_settled

pytestmark = [pytest.mark.browser, needs_chromium]

HEALTH = "/_stcore/health"


@pytest.fixture(scope="module", params=["", "kompass"], ids=["root", "base-path"])
def served_app(
    request: pytest.FixtureRequest, sample_db: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, str]]:
    base = request.param
    args = ["--db", str(sample_db), "--read-only"]
    args += ["--base-url-path", base] if base else []
    folder = tmp_path_factory.mktemp("serve_hint")
    with serving(args, folder, clean_env(), base=base) as (url, _):
        yield url, base


def asked(page: Any, url: str) -> list[str]:
    """The paths the page requested while it loaded `url` and drew its first chart."""
    paths: list[str] = []
    page.on("request", lambda r: paths.append(r.url.split("?")[0].split("//", 1)[1]))
    page.goto(url)
    page.wait_for_selector(CHART, timeout=30_000)
    wait_until_settled(page)
    assert page.locator(EXCEPTION).count() == 0
    return ["/" + p.split("/", 1)[1] if "/" in p else "/" for p in paths]


@pytest.mark.parametrize("path", ["/profil", "/jamfor", "/utveckling"])
def test_a_page_at_its_own_path_asks_the_server_at_once(
    served_app: tuple[str, str], page: Any, path: str
) -> None:
    url, base = served_app
    root = f"/{base}" if base else ""
    paths = asked(page, f"{url}{path}?kommun=1981")
    assert f"{root}{path}{HEALTH}" not in paths  # the probe under the page's path is gone
    assert f"{root}{HEALTH}" in paths
    hint = page.evaluate("window.__streamlit && window.__streamlit.BACKEND_BASE_URL")
    assert hint == url + "/"  # the served URL includes the base path


def test_the_start_page_and_an_unknown_path_still_find_the_server(
    served_app: tuple[str, str], page: Any
) -> None:
    url, base = served_app
    root = f"/{base}" if base else ""
    assert f"{root}{HEALTH}" in asked(page, url + "/?kommun=1981")
    # A path that names no page is its own base to the hint: the browser falls back.
    page.goto(url + "/finns-inte")
    page.get_by_text(page_not_found("/finns-inte")).wait_for(timeout=30_000)
    wait_until_settled(page)
    assert page.locator(EXCEPTION).count() == 0


def test_every_page_path_is_in_the_hint() -> None:
    script = asgi.HINT.decode()
    for spec in registry.PAGES:
        assert spec.url_path == "" or f'"{spec.url_path}"' in script

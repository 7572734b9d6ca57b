"""Issue 9: a wheel built from the repository works installed anywhere (issue 13: and serves).

The wheel is built with `pip wheel .` and installed (without its
dependencies) into a fresh virtual environment outside the checkout. The
dependencies come from the project's own .venv through a path file: they are
not what is tested, and installing them again would cost minutes. Then the
installed `kompass` parses, ingests and exports, run from a folder that holds
no file of the checkout.
"""

from __future__ import annotations

import json
import os
import shutil
import site
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from kompass.present.access import READ_ONLY_NOTE
from kompass.ui import registry
from tests.helpers.browser import main_text, needs_chromium, open_page
from tests.helpers.serving import free_port, served

REPO = Path(__file__).resolve().parents[2]
SALA = REPO / "data" / "reports" / "sala-2023.txt"


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bin/ folder of a fresh venv with the kompass wheel installed."""
    work = tmp_path_factory.mktemp("wheel")
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-w",
         str(work / "dist"), str(REPO)],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert built.returncode == 0, built.stderr
    [wheel] = (work / "dist").glob("kompass-*.whl")
    venv = work / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    target = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True, text=True, check=True,
    ).stdout.strip()  # fmt: skip
    # Dependencies only: the checkout's kompass is an editable install, whose finder
    # is set up by a .pth file that a plain path entry does not run.
    Path(target, "dependencies.pth").write_text("\n".join(site.getsitepackages()) + "\n")
    install = subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps",
         "--no-index", str(wheel)],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert install.returncode == 0, install.stderr
    return venv / "bin"


def run(bin_dir: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KOMPASS_", "PYTHON"))}
    return subprocess.run(
        [str(bin_dir / "kompass"), *args],
        cwd=cwd, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip


def test_the_installed_package_is_not_the_checkout(installed: Path, tmp_path: Path) -> None:
    where = subprocess.run(
        [str(installed / "python"), "-c", "import kompass; print(kompass.__file__)"],
        cwd=tmp_path, capture_output=True, text=True, check=True,
    ).stdout.strip()  # fmt: skip
    assert not Path(where).resolve().is_relative_to(REPO)


def test_parse_ingest_export_from_a_wheel(installed: Path, tmp_path: Path) -> None:
    report = tmp_path / "sala-2023.txt"
    shutil.copyfile(SALA, report)
    parsed = run(installed, tmp_path, "parse", "--json", str(report))
    assert parsed.returncode == 0, parsed.stderr
    assert json.loads(parsed.stdout)["total"] == 482
    db = tmp_path / "ny.duckdb"
    ingested = run(installed, tmp_path, "ingest", "--db", str(db), str(report))
    assert ingested.returncode == 0, ingested.stderr
    assert "1 file: 1 added" in ingested.stdout
    exported = run(installed, tmp_path, "export", "--db", str(db), "--out", str(tmp_path / "ut"))
    assert exported.returncode == 0, exported.stderr
    assert (tmp_path / "ut" / "README.txt").exists()
    assert any(p.suffix == ".csv" for p in (tmp_path / "ut").iterdir())


# --- issue 13: `kompass serve` from the wheel ------------------------------------------


def test_the_wheel_carries_the_app(installed: Path, tmp_path: Path) -> None:
    found = subprocess.run(
        [str(installed / "python"), "-c",
         "from kompass.ui.server import app_dir; print(app_dir())"],
        cwd=tmp_path, capture_output=True, text=True, check=True,
    ).stdout.strip()  # fmt: skip
    folder = Path(found)
    assert folder == installed.parent / "share" / "kompass"
    assert (folder / "app.py").is_file() and (folder / ".streamlit" / "config.toml").is_file()
    assert sorted(p.name for p in (folder / "pages").glob("*.py")) == sorted(
        p.name for p in (REPO / "pages").glob("*.py")
    )


@pytest.mark.browser
@needs_chromium
def test_serve_read_only_from_a_wheel(installed: Path, tmp_path: Path, page: Any) -> None:
    """A wheel installed outside the checkout serves every page on an existing database."""
    db = tmp_path / "kompass.duckdb"
    ingested = run(installed, tmp_path, "ingest", "--quiet", "--db", str(db), str(SALA))
    assert ingested.returncode == 0, ingested.stderr
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KOMPASS_", "PYTHON"))}
    command = [str(installed / "kompass"), "serve", "--db", str(db), "--read-only"]
    with served([*command, "--port", str(port)], tmp_path, env, port) as (url, log):
        for spec in registry.PAGES:
            open_page(page, url + spec.path, f"wheel{spec.path.replace('/', '-')}")
        assert page.locator("[data-testid=stFileUploader]").count() == 0  # the Data page
        assert READ_ONLY_NOTE in main_text(page)
    text = log.read_text()
    assert "read-only as asked" in text
    assert str(REPO) not in text  # nothing of the checkout was used

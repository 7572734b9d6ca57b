"""Issue 13: `kompass serve` (kompass.ui.server): settings, the access mode, the start-up log.

The servers here are real (`python -m kompass serve` in a child process); the
browser tests (tests/browser/test_read_only_browser.py) look at the pages.
"""

from __future__ import annotations

import gc
import os
import subprocess
import sys
import tomllib
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from kompass.store import connect, transaction
from kompass.store.db import SCHEMA_VERSION
from kompass.ui import server
from kompass.ui.server import Mode, ServeOptions, decide_mode, is_loopback, streamlit_flags
from tests.cli.test_serving import listening_addresses
from tests.helpers.serving import free_port, served

REPO = Path(__file__).resolve().parents[2]


def flags(args: list[str]) -> dict[str, str]:
    return dict(zip(args[::2], args[1::2], strict=True))


def test_the_projects_settings_become_flags_and_safety_is_forced(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text(
        '[server]\nenableXsrfProtection = false\nheadless = false\nmaxUploadSize = 50\n'
        '[browser]\ngatherUsageStats = true\n[client]\nshowErrorDetails = "none"\n'
    )  # fmt: skip
    options = ServeOptions(db=tmp_path / "k.duckdb", port=8600, address="0.0.0.0",
                           base_url_path="/kompass/")  # fmt: skip
    got = flags(streamlit_flags(options, config))
    assert got["--server.enableXsrfProtection"] == "true"
    assert got["--server.headless"] == "true"
    assert got["--browser.gatherUsageStats"] == "false"
    assert got["--server.maxUploadSize"] == "50"
    assert got["--client.showErrorDetails"] == "none"
    assert got["--server.port"] == "8600"
    assert got["--server.address"] == "0.0.0.0"
    assert got["--server.baseUrlPath"] == "kompass"
    assert got["--server.fileWatcherType"] == "none"  # a served app's code does not change


def test_the_settings_keep_their_types_for_the_server(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[server]\nmaxUploadSize = 50\nheadless = false\n[theme]\nbase = "light"\n')
    got = server.streamlit_settings(ServeOptions(db=tmp_path / "k.duckdb", port=8600), config)
    assert got["server.maxUploadSize"] == 50 and got["server.port"] == 8600
    assert got["server.headless"] is True and got["server.enableXsrfProtection"] is True
    assert got["theme.base"] == "light"
    assert "server.baseUrlPath" not in got


def test_the_heap_before_the_first_visitor_is_left_out_of_collections() -> None:
    try:
        server.freeze_heap()
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()


def test_the_checkouts_config_is_the_one_served() -> None:
    folder = server.app_dir()
    assert folder == REPO
    settings = tomllib.loads((folder / server.CONFIG).read_text())
    got = flags(streamlit_flags(ServeOptions(db=Path("k.duckdb")), folder / server.CONFIG))
    assert got["--server.maxUploadSize"] == str(settings["server"]["maxUploadSize"])
    assert got["--browser.serverAddress"] == "localhost"


@pytest.mark.parametrize(
    ("address", "read_only", "env", "expected"),
    [
        ("127.0.0.1", None, {}, False),
        ("localhost", None, {}, False),
        ("::1", None, {}, False),
        ("0.0.0.0", None, {}, True),
        ("10.1.2.3", None, {}, True),
        ("kompass.kommun.se", None, {}, True),
        ("127.0.0.1", True, {}, True),
        ("127.0.0.1", None, {"KOMPASS_READ_ONLY": "1"}, True),
        ("0.0.0.0", None, {"KOMPASS_READ_ONLY": "0"}, False),
        ("0.0.0.0", True, {"KOMPASS_READ_ONLY": "0"}, True),  # the flag wins
    ],
)
def test_the_access_mode(
    address: str, read_only: bool | None, env: dict[str, str], expected: bool
) -> None:
    mode = decide_mode(ServeOptions(db=Path("k.duckdb"), address=address,
                                    read_only=read_only), env)  # fmt: skip
    assert isinstance(mode, Mode) and mode.read_only is expected
    assert ("read-only" in mode.reason) is expected


def test_loopback_addresses() -> None:
    assert is_loopback("127.0.0.2") and is_loopback("[::1]") and is_loopback("LOCALHOST")
    assert not is_loopback("0.0.0.0") and not is_loopback("::") and not is_loopback("intranet")


def serve_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "kompass", "serve", *args]


def clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KOMPASS_")}
    return {**env, **extra}


def test_read_only_without_a_database_starts_and_creates_nothing(tmp_path: Path) -> None:
    """A container's app may start before its first ingest (the app says so: tests/ui)."""
    missing = tmp_path / "finns-inte.duckdb"
    with serving(["--db", str(missing), "--read-only"], tmp_path, clean_env()) as (url, log):
        with urllib.request.urlopen(url + "/data", timeout=10) as r:
            assert r.status == 200
        text = log.read_text()
    assert f"no database at {missing} yet" in text
    assert not missing.exists()  # a read-only server creates nothing


def test_serve_refuses_a_newer_store(sample_db_copy: Path, tmp_path: Path) -> None:
    with connect(sample_db_copy) as con, transaction(con):
        con.execute(
            "UPDATE meta SET value = ? WHERE key = 'schema_version'", [str(SCHEMA_VERSION + 1)]
        )
    for extra in ([], ["--read-only"]):
        done = subprocess.run(
            serve_command("--db", str(sample_db_copy), "--port", str(free_port()), *extra),
            cwd=tmp_path, env=clean_env(), capture_output=True, text=True, timeout=60,
        )  # fmt: skip
        assert done.returncode == 2, done.stderr
        assert f"schema version {SCHEMA_VERSION + 1}" in done.stderr


@contextmanager
def serving(
    args: list[str], cwd: Path, env: dict[str, str], base: str = ""
) -> Iterator[tuple[str, Path]]:
    """`python -m kompass serve ARGS` (under /BASE) while the block runs; yields URL and log."""
    port = free_port()
    command = serve_command(*args, "--port", str(port))
    with served(command, cwd, env, port, base) as (url, log):
        yield url, log


def test_on_all_interfaces_without_sign_in_the_app_is_read_only(
    sample_db_copy: Path, tmp_path: Path
) -> None:
    before = sample_db_copy.stat().st_mtime_ns
    args = ["--db", str(sample_db_copy), "--address", "0.0.0.0", "--base-url-path", "kompass"]
    with serving(args, tmp_path, clean_env(), base="kompass") as (url, log):
        assert url.endswith("/kompass")
        port = int(url.split(":")[2].split("/")[0])
        assert listening_addresses(port) == {"00000000"}  # 0.0.0.0: every interface
        text = log.read_text()
    assert "no sign-in configured: read-only" in text
    assert f"on {sample_db_copy.resolve()}" in text
    assert "uploads allowed" not in text
    assert sample_db_copy.stat().st_mtime_ns == before  # nothing written


def test_on_this_machine_the_app_may_write_and_says_so(tmp_path: Path) -> None:
    db = tmp_path / "ny" / "kompass.duckdb"  # a writer creates its store before it starts
    with serving(["--db", str(db)], tmp_path, clean_env()) as (_, log):
        assert db.exists()
        text = log.read_text()
    assert "listening on 127.0.0.1 (this machine only): uploads allowed" in text


def test_with_sign_in_the_named_writers_write_on_any_address() -> None:
    env = {"KOMPASS_SIGN_IN": "header:X-Forwarded-Email", "KOMPASS_WRITERS": "a@x.se b@x.se"}
    mode = decide_mode(ServeOptions(db=Path("k.duckdb"), address="0.0.0.0"), env)
    assert not mode.read_only
    assert "X-Forwarded-Email header: 2 named writer(s)" in mode.reason
    asked = decide_mode(ServeOptions(db=Path("k.duckdb"), read_only=True), env)
    assert asked.read_only  # --read-only wins over sign-in
    sign_in = server.sign_in_setting(
        {"KOMPASS_SIGN_IN": "oidc", "KOMPASS_WRITERS": "A@X.se,b@x.se"}
    )
    assert sign_in is not None and sign_in.writers == {"a@x.se", "b@x.se"}


@pytest.mark.parametrize(
    "env",
    [
        {"KOMPASS_SIGN_IN": "oidc"},  # nobody named
        {"KOMPASS_SIGN_IN": "header:", "KOMPASS_WRITERS": "a@x.se"},
        {"KOMPASS_SIGN_IN": "ldap", "KOMPASS_WRITERS": "a@x.se"},
    ],
)
def test_a_half_configured_sign_in_stops_the_server(env: dict[str, str], tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="KOMPASS_"):
        server.sign_in_setting(env)
    done = subprocess.run(
        serve_command("--db", str(tmp_path / "k.duckdb"), "--port", str(free_port())),
        cwd=tmp_path, env=clean_env(**env), capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 2 and "KOMPASS_" in done.stderr
    assert "Traceback" not in done.stderr

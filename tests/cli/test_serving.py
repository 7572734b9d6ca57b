"""Issue 8, item 17: `make run` listens on this machine only, unless told otherwise.

Since issue 13 `make run` starts the app through `kompass serve`.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import time
import urllib.request
from pathlib import Path

from tests.helpers.serving import free_port

REPO = Path(__file__).resolve().parents[2]


def run_recipe(port: int) -> list[str]:
    """The command `make run` starts the app with (make -n prints it, runs nothing)."""
    printed = subprocess.run(
        ["make", "-n", "run", f"PORT={port}"], cwd=REPO, capture_output=True, text=True, check=True
    ).stdout
    [line] = [ln for ln in printed.splitlines() if "kompass serve" in ln]
    return shlex.split(line)


def listening_addresses(port: int) -> set[str]:
    """Local addresses with a socket in LISTEN state on `port` (from /proc/net/tcp*)."""
    found: set[str] = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        if not os.path.exists(table):
            continue
        for row in Path(table).read_text().splitlines()[1:]:
            local, state = row.split()[1], row.split()[3]
            address, hex_port = local.rsplit(":", 1)
            if state == "0A" and int(hex_port, 16) == port:
                found.add(address)
    return found


def test_make_run_binds_to_localhost(tmp_path: Path) -> None:
    port = free_port()
    command = run_recipe(port)
    assert "--address" in command
    env = {**os.environ, "KOMPASS_DB": str(tmp_path / "kompass.duckdb")}
    server = subprocess.Popen(
        command, cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health") as r:
                    if r.read() == b"ok":
                        break
            except OSError:
                time.sleep(0.3)
        else:
            raise AssertionError("the app did not start")
        # 0100007F is 127.0.0.1 as /proc/net/tcp writes it; 0.0.0.0 or :: would be every interface.
        assert listening_addresses(port) == {"0100007F"}
    finally:
        server.terminate()
        server.wait(timeout=30)

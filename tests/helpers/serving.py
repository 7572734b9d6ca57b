"""A `kompass serve` process for a test: started, healthy, stopped (tests/cli, tests/package)."""

from __future__ import annotations

import subprocess
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def served(
    command: list[str], cwd: Path, env: dict[str, str], port: int, base: str = ""
) -> Iterator[tuple[str, Path]]:
    """Run `command` (a server on `port`) in `cwd`; yield its URL and log once it is healthy."""
    log = cwd / f"serve-{port}.log"
    with log.open("w") as out:
        proc = subprocess.Popen(command, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        url = f"http://127.0.0.1:{port}" + (f"/{base}" if base else "")
        wait_healthy(url, proc, log)
        yield url, log
    finally:
        stop(proc)


def wait_healthy(url: str, proc: subprocess.Popen[bytes], log: Path, seconds: float = 90) -> None:
    """Until /_stcore/health answers "ok"; fail with the server's log if it dies or never does."""
    deadline = time.monotonic() + seconds
    while True:
        assert proc.poll() is None, log.read_text()
        try:
            with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as r:
                if r.read() == b"ok":
                    return
        except OSError:
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.3)


def stop(proc: subprocess.Popen[bytes]) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()

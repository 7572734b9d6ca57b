"""A `kompass serve` process for a test: started, healthy, stopped (tests/cli, tests/package)."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from kompass.devtools import bench
from kompass.devtools.bench import free_port

__all__ = ["free_port", "served", "stop", "wait_healthy"]


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
    try:
        bench.wait_healthy(url, proc, seconds)
    except RuntimeError as exc:
        raise AssertionError(f"{exc}\n{log.read_text()}") from exc


def stop(proc: subprocess.Popen[bytes]) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()

"""Parse within a budget (pages, seconds, memory) in worker processes that really stop.

The PDF bomb of the issue: a 330 KB PDF of 2,000 pages sharing one 4 MB
content stream; extracting one page took about 5 s with pypdf, and takes about
0.1 s with PDFium. Before kompass.parse.budget (b263238) it held a parse for hours.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from kompass.errors import BudgetExceeded
from kompass.parse import Evaluation, ParseError, parse_bytes
from kompass.parse.budget import (
    Budget,
    parse_bytes_within,
    parse_file_within,
    parse_files_within,
)
from tests.helpers.parse import REPORTS, sample_path
from tests.helpers.pdfmaker import pdf_bomb

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux /proc")


def worker_pids() -> dict[int, str]:
    """This process's parse workers: pid -> state (R running, S sleeping, Z zombie)."""
    workers = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            command = (entry / "cmdline").read_bytes()
        except OSError:
            continue  # gone meanwhile
        state, ppid = stat.rsplit(")", 1)[1].split()[:2]
        if int(ppid) == os.getpid() and b"kompass.parse.budget" in command:
            workers[int(entry.name)] = state
    return workers


def settled_workers(seconds: float = 3.0) -> dict[int, str]:
    """worker_pids() once none is running any more (a worker may still be busy just after
    it replied), or as they are after `seconds`."""
    deadline = time.monotonic() + seconds
    workers = worker_pids()
    while "R" in workers.values() and time.monotonic() < deadline:
        time.sleep(0.05)
        workers = worker_pids()
    return workers


def slow_pdf() -> bytes:
    """A PDF within the page budget whose text takes PDFium some 20 s (0.1 s a page)."""
    return pdf_bomb(200)


def sala_bytes() -> bytes:
    return sample_path("sala-2023").read_bytes()


# --- pages -----------------------------------------------------------------------------------


def test_pdf_bomb_is_refused_by_its_page_count_quickly() -> None:
    bomb = pdf_bomb(2000)
    assert len(bomb) < 1_000_000
    start = time.monotonic()
    with pytest.raises(BudgetExceeded) as info:
        parse_bytes_within(bomb, "bomb.pdf")
    assert time.monotonic() - start < 10
    assert info.value.code == "budget_exceeded"
    assert info.value.fields == {"limit": "pages", "value": 400, "name": "bomb.pdf"}
    assert "2000 pages" in info.value.message


def test_page_budget_is_the_callers() -> None:
    with pytest.raises(BudgetExceeded) as info:
        parse_bytes_within(pdf_bomb(3, stream_bytes=1000), "three.pdf", Budget(pages=2))
    assert info.value.fields["limit"] == "pages" and info.value.fields["value"] == 2


def test_parse_bytes_refuses_too_many_pages_before_extracting() -> None:
    start = time.monotonic()
    with pytest.raises(BudgetExceeded):
        parse_bytes(pdf_bomb(2000), "bomb.pdf", max_pages=400)
    assert time.monotonic() - start < 10


# --- seconds ---------------------------------------------------------------------------------


def test_slow_parse_is_stopped_and_its_worker_is_gone() -> None:
    parse_bytes_within(sala_bytes(), "warm.txt")  # a warm worker, as in the app
    before = settled_workers()
    assert before and all(state != "R" for state in before.values())
    start = time.monotonic()
    with pytest.raises(BudgetExceeded) as info:
        parse_bytes_within(slow_pdf(), "slow.pdf", Budget(seconds=1))
    assert time.monotonic() - start < 4
    assert info.value.fields == {"limit": "seconds", "value": 1, "name": "slow.pdf"}
    after = settled_workers()
    assert len(after) == len(before) - 1, (before, after)  # killed and reaped, not replaced
    assert all(state == "S" for state in after.values()), after  # nobody parses on
    assert parse_bytes_within(sala_bytes(), "again.txt")[0].municipality == "Sala"


# --- memory ----------------------------------------------------------------------------------


def test_memory_limit_stops_a_parse_that_needs_more() -> None:
    big = sala_bytes() + b"\n" + b"x " * 20_000_000  # 40 MB: some hundreds of MB to parse
    with pytest.raises(BudgetExceeded) as info:
        parse_bytes_within(big, "big.txt", Budget(memory_mb=250))
    assert info.value.fields == {"limit": "memory", "value": 250, "name": "big.txt"}
    # The same budget fits a real report; the default budget fits the big text.
    assert parse_bytes_within(sala_bytes(), "sala.txt", Budget(memory_mb=250))[1] == "text"
    with contextlib.suppress(ParseError):  # refused for its content, not for its size
        parse_bytes_within(big, "big.txt")


# --- same result as parse_bytes ---------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(p.name for p in REPORTS.glob("*.txt")))
def test_sample_parses_the_same_within_a_budget(name: str) -> None:
    data = (REPORTS / name).read_bytes()
    assert parse_bytes_within(data, name) == parse_bytes(data, name)


def test_parse_error_comes_back_with_its_fields() -> None:
    text = sala_bytes().decode().replace("Område 3", "Avsnitt 3")
    with pytest.raises(ParseError) as within:
        parse_bytes_within(text.encode(), "sala-bad.txt")
    with pytest.raises(ParseError) as direct:
        parse_bytes(text.encode(), "sala-bad.txt")
    got, expected = within.value, direct.value
    assert (got.message, got.line, got.source) == (expected.message, expected.line, expected.source)


def test_parse_file_within_returns_the_bytes(tmp_path: Path) -> None:
    data, evaluation, fmt = parse_file_within(sample_path("sala-2023"))
    assert data == sala_bytes() and fmt == "text"
    assert evaluation == parse_bytes(data, "sala-2023.txt")[0]


# --- not a regular file ------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["fifo", "device", "folder"])
def test_only_regular_files_are_read(tmp_path: Path, kind: str) -> None:
    if kind == "fifo":
        path = tmp_path / "pipe.txt"
        os.mkfifo(path)  # opening it for reading would block until a writer comes
    elif kind == "device":
        path = Path("/dev/zero")
    else:
        path = tmp_path / "folder.txt"
        path.mkdir()
    start = time.monotonic()
    with pytest.raises(ParseError) as info:
        parse_file_within(path)
    assert time.monotonic() - start < 5
    assert "not a regular file" in info.value.message and info.value.source == path.name


# --- many files ------------------------------------------------------------------------------


def test_many_files_keep_their_order_and_survive_bad_ones(tmp_path: Path) -> None:
    (tmp_path / "bomb.pdf").write_bytes(pdf_bomb(2000))
    (tmp_path / "slow.pdf").write_bytes(slow_pdf())
    (tmp_path / "junk.txt").write_text("not a report", encoding="utf-8")
    os.mkfifo(tmp_path / "pipe.txt")
    samples = sorted(REPORTS.glob("*.txt"))
    paths = [
        samples[0],
        tmp_path / "bomb.pdf",
        samples[1],
        tmp_path / "slow.pdf",
        tmp_path / "junk.txt",
        samples[2],
        tmp_path / "pipe.txt",
        *samples[3:],
    ]
    start = time.monotonic()
    results = list(parse_files_within(paths, Budget(seconds=2), workers=2))
    assert time.monotonic() - start < 15
    assert [path for path, _ in results] == paths
    outcomes = {path.name: outcome for path, outcome in results}
    assert isinstance(outcomes["bomb.pdf"], BudgetExceeded)
    assert outcomes["bomb.pdf"].fields["limit"] == "pages"
    assert isinstance(outcomes["slow.pdf"], BudgetExceeded)
    assert outcomes["slow.pdf"].fields == {"limit": "seconds", "value": 2, "name": "slow.pdf"}
    assert isinstance(outcomes["junk.txt"], ParseError)
    assert isinstance(outcomes["pipe.txt"], ParseError)
    for sample in samples:
        outcome = outcomes[sample.name]
        assert isinstance(outcome, tuple), outcome
        data, evaluation, fmt = outcome
        assert (evaluation, fmt) == parse_bytes(data, sample.name)
    assert all(state != "R" for state in settled_workers().values())


def test_many_files_reuse_their_workers(tmp_path: Path) -> None:
    """A batch of a few hundred text reports costs little more than their parse."""
    paths = sorted(REPORTS.glob("*.txt")) * 40
    start = time.process_time()
    for path in paths:
        parse_bytes(path.read_bytes(), path.name)
    serial = time.process_time() - start
    start = time.monotonic()
    results = list(parse_files_within(paths, workers=2))
    elapsed = time.monotonic() - start
    assert all(isinstance(outcome, tuple) for _, outcome in results)
    # A process per file would cost ~0.1 s each (20 s here); reused workers cost the parse.
    assert elapsed < 5 * serial + 5, (elapsed, serial)


# --- processes -------------------------------------------------------------------------------


def test_worker_started_from_a_thread_outlives_the_thread() -> None:
    """Streamlit runs each session in a thread: the warm worker must not die with it."""
    outcome: list[Evaluation] = []
    thread = threading.Thread(
        target=lambda: outcome.append(parse_bytes_within(sala_bytes(), "t.txt")[0])
    )
    thread.start()
    thread.join()
    assert outcome and outcome[0].municipality == "Sala"
    before = set(worker_pids())
    time.sleep(1)  # the parent-watch interval
    assert parse_bytes_within(sala_bytes(), "u.txt")[0].municipality == "Sala"
    assert before & set(worker_pids())  # a worker from the thread served again


CALLER = """
import sys, threading, time
from pathlib import Path
from kompass.parse.budget import Budget, parse_bytes_within
sala = Path(sys.argv[1]).read_bytes()
warm = [threading.Thread(target=parse_bytes_within, args=(sala, "sala.txt")) for _ in range(2)]
for thread in warm:
    thread.start()
for thread in warm:
    thread.join()  # two warm workers; one stays idle, the other takes the slow parse
slow = Path(sys.argv[2]).read_bytes()
threading.Thread(target=parse_bytes_within, args=(slow, "slow.pdf", Budget(seconds=60))).start()
time.sleep(0.5)
print("ready", flush=True)
time.sleep(60)
"""


def test_workers_die_with_their_parent_even_on_kill_9(tmp_path: Path) -> None:
    """An idle worker and one in the middle of a slow parse both end with their caller."""
    slow = tmp_path / "slow.pdf"
    slow.write_bytes(slow_pdf())
    caller = subprocess.Popen(
        [sys.executable, "-c", CALLER, str(sample_path("sala-2023")), str(slow)],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert caller.stdout is not None and caller.stdout.readline().strip() == "ready"
        workers = [pid for pid, ppid in _children_of(caller.pid)]
        assert workers  # usually two: one idle, one parsing
        os.kill(caller.pid, signal.SIGKILL)
        caller.wait()
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and any(_alive(pid) for pid in workers):
            time.sleep(0.1)
        assert not any(_alive(pid) for pid in workers)
    finally:
        caller.kill()
        caller.wait()


def _children_of(parent: int) -> list[tuple[int, int]]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError):
                continue
            if ppid == parent:
                found.append((int(entry.name), ppid))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"

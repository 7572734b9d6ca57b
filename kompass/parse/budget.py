"""Parse within a budget: wall time, memory and pages, enforced in worker processes.

A report is parsed in a worker process so that a parse over budget can be
stopped for real: the worker is killed (its CPU and memory come back at once)
and replaced. Workers are reused: a warm worker answers a small report in a
few milliseconds more than the parse itself.

A worker is a fresh interpreter (`python -c`, about 0.1 s to start, once),
never a fork of the caller, which may be a multi-threaded server (Streamlit);
unlike multiprocessing's spawn and forkserver it does not re-run the caller's
main script. It talks pickles over a socket pair, and it ends when the socket
closes or its parent process is gone, even after kill -9 and in the middle of
a parse. Linux (or another POSIX system with `resource`) only.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import resource
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Any

from kompass.errors import BudgetExceeded
from kompass.parse.model import Evaluation, ParseError
from kompass.parse.report import parse_bytes
from kompass.parse.text import read_report_bytes, safe_name

MB = 1024 * 1024
PARENT_CHECK_SECONDS = 0.5
IDLE_WORKERS = 2  # warm workers kept for single parses (uploads)
LOOK_AHEAD = 8  # files a batch worker may run ahead of the one to yield next


@dataclass(frozen=True)
class Budget:
    """Limits of one parse."""

    seconds: float = 30.0  # wall time of one parse
    memory_mb: int = 1024  # address-space limit of the worker process
    pages: int = 400  # a real report has 30-80 pages


DEFAULT_BUDGET = Budget()

Outcome = tuple[bytes, Evaluation, str] | ParseError | BudgetExceeded


def parse_bytes_within(
    data: bytes, name: str, budget: Budget = DEFAULT_BUDGET
) -> tuple[Evaluation, str]:
    """Like parse.parse_bytes, but in a worker process that is killed when over budget.

    Raises ParseError (bad report, same as parse_bytes) or BudgetExceeded
    (fields: limit="seconds"|"memory"|"pages", value=<the budget's number>, name=<file name>).
    A bug in the parser is raised as RuntimeError naming the exception.
    """
    name = safe_name(name)
    worker = _POOL.take()
    try:
        worker = _send(worker, data, name, budget)
        reply = worker.receive(budget.seconds)
    except _Overtime:
        worker.kill()
        raise _overtime(name, budget) from None
    except BaseException:
        worker.kill()  # the caller was interrupted: the parse must stop too
        raise
    if reply[0] in ("memory", "died"):
        worker.kill()
    else:
        _POOL.give_back(worker)
    return _unpack(reply, name, budget)


def warm_up() -> None:
    """Start a worker ahead of the first parse (it loads the parser meanwhile), so that
    the first upload does not wait for it. Cheap to call on every page load."""
    _POOL.warm()


def parse_file_within(path: Path, budget: Budget = DEFAULT_BUDGET) -> tuple[bytes, Evaluation, str]:
    """Read (regular files only, at most parse.text.MAX_BYTES) and parse a file within the budget.

    Returns (bytes, evaluation, format).
    """
    data = read_report_bytes(path)
    evaluation, fmt = parse_bytes_within(data, path.name, budget)
    return data, evaluation, fmt


def parse_files_within(
    paths: Sequence[Path], budget: Budget = DEFAULT_BUDGET, workers: int = 2
) -> Iterator[tuple[Path, Outcome]]:
    """Parse many files in `workers` processes, yielding results in input order.

    One file over budget is stopped (its worker killed and replaced) and
    reported; the others go on. A parser bug on one file is reported as a
    ParseError naming the exception.
    """
    batch = _Batch(list(paths), budget, max(1, workers))
    try:
        yield from batch.run()
    finally:
        batch.close()


# --- the worker side ---------------------------------------------------------------


def serve(fd: int) -> None:
    """A worker's loop: parse the jobs that arrive on socket `fd` until it closes."""
    conn = Connection(fd)
    _watch_parent()
    while True:
        try:
            data, name, budget = conn.recv()
            reply = _parse_one(data, name, budget)
        except (EOFError, OSError):
            return  # the caller closed the pipe or is gone
        except MemoryError:
            reply = ("memory",)
        try:
            conn.send(reply)
        except MemoryError:
            conn.send(("memory",))
        if reply[0] == "memory":
            return  # the heap may be in pieces: a fresh worker takes over


def _parse_one(data: bytes, name: str, budget: Budget) -> tuple[Any, ...]:
    _limit_memory(budget.memory_mb)
    try:
        evaluation, fmt = parse_bytes(data, name, max_pages=budget.pages)
        return ("ok", evaluation, fmt)
    except ParseError as exc:
        return ("parse_error", exc.message, exc.line, exc.source, exc.code, exc.fields)
    except BudgetExceeded as exc:
        return ("budget", exc.message, exc.fields)
    except MemoryError:
        return ("memory",)
    except Exception as exc:  # a parser bug: reported, the worker goes on
        detail = str(exc).splitlines()[0] if str(exc) else ""
        return ("bug", f"{type(exc).__name__}: {detail}")


def _limit_memory(memory_mb: int) -> None:
    """Cap the worker's address space (soft limit; the hard one stays as it was)."""
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    soft = memory_mb * MB
    if hard != resource.RLIM_INFINITY:
        soft = min(soft, hard)
    resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def _watch_parent() -> None:
    """End the worker when its parent ends, even by kill -9, even in the middle of a parse.

    PR_SET_PDEATHSIG is no use here: it fires when the parent *thread* ends,
    and a Streamlit session thread that started a warm worker ends soon after.
    """
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(PARENT_CHECK_SECONDS)
        os._exit(1)

    threading.Thread(target=watch, name="watch-parent", daemon=True).start()


# --- the caller side ---------------------------------------------------------------


class _Worker:
    """One worker process (a fresh interpreter, never a fork of the caller) and its socket."""

    def __init__(self) -> None:
        mine, theirs = socket.socketpair()
        with theirs:
            fd = theirs.fileno()
            self.process = subprocess.Popen(
                [sys.executable, "-c", f"from kompass.parse.budget import serve; serve({fd})"],
                pass_fds=(fd,),
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,  # the CLI promises one line on stderr per bad file
                env=_worker_env(),
            )
        self.conn = Connection(mine.detach())

    def alive(self) -> bool:
        return self.process.poll() is None

    def send(self, data: bytes, name: str, budget: Budget) -> None:
        self.conn.send((data, name, budget))

    def receive(self, seconds: float) -> tuple[Any, ...]:
        """The worker's reply; _Overtime if none comes in time."""
        if not self.conn.poll(seconds):
            raise _Overtime
        return self.read()

    def read(self) -> tuple[Any, ...]:
        try:
            reply: tuple[Any, ...] = self.conn.recv()
        except (EOFError, OSError):
            return ("died", self.process.wait())
        return reply

    def kill(self) -> None:
        """Stop the worker now (SIGKILL) and reap it."""
        with contextlib.suppress(OSError):
            self.process.kill()
        self.process.wait()
        self.conn.close()


def _worker_env() -> dict[str, str]:
    """The caller's environment, with the folder holding this kompass first on the path."""
    env = dict(os.environ)
    root = str(Path(__file__).resolve().parent.parent.parent)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH")) if p)
    return env


def _send(worker: _Worker, data: bytes, name: str, budget: Budget) -> _Worker:
    """Send a job; a worker found dead on the way is replaced once."""
    try:
        worker.send(data, name, budget)
    except OSError:
        worker.kill()
        worker = _Worker()
        worker.send(data, name, budget)
    return worker


class _Overtime(Exception):
    """The worker did not answer within the budget's seconds."""


class _Pool:
    """Warm workers for single parses, shared by threads (Streamlit sessions)."""

    def __init__(self) -> None:
        self.idle: list[_Worker] = []
        self.lock = threading.Lock()

    def take(self) -> _Worker:
        with self.lock:
            while self.idle:
                worker = self.idle.pop()
                if worker.alive():
                    return worker
                worker.kill()
        return _Worker()

    def warm(self) -> None:
        with self.lock:
            if not any(worker.alive() for worker in self.idle):
                self.idle.append(_Worker())

    def give_back(self, worker: _Worker) -> None:
        with self.lock:
            if len(self.idle) < IDLE_WORKERS:
                self.idle.append(worker)
                return
        worker.kill()

    def close(self) -> None:
        """End the idle workers (at exit: no process is left behind, no warning printed)."""
        with self.lock:
            idle, self.idle = self.idle, []
        for worker in idle:
            worker.kill()


_POOL = _Pool()
atexit.register(_POOL.close)


def _unpack(reply: tuple[Any, ...], name: str, budget: Budget) -> tuple[Evaluation, str]:
    """A worker's reply as a result or the exception it stands for."""
    kind = reply[0]
    if kind == "ok":
        return reply[1], reply[2]
    if kind == "parse_error":
        raise ParseError(reply[1], reply[2], reply[3], reply[4], reply[5])
    if kind == "budget":
        raise BudgetExceeded(reply[1], **reply[2])
    if kind == "died" and reply[1] > 0:
        raise RuntimeError(f"the parser worker failed (exit code {reply[1]})")
    if kind in ("memory", "died"):  # killed by a signal: out of memory
        raise BudgetExceeded(
            f"parsing needed more than {budget.memory_mb} MB of memory; stopped",
            limit="memory",
            value=budget.memory_mb,
            name=name,
        )
    raise RuntimeError(f"internal parser error on {name} ({reply[1]})")


def _overtime(name: str, budget: Budget) -> BudgetExceeded:
    return BudgetExceeded(
        f"parsing took longer than {budget.seconds:g} s; stopped",
        limit="seconds",
        value=budget.seconds,
        name=name,
    )


def _outcome(path: Path, data: bytes, reply: tuple[Any, ...], budget: Budget) -> Outcome:
    name = safe_name(path.name)
    try:
        evaluation, fmt = _unpack(reply, name, budget)
    except (ParseError, BudgetExceeded) as exc:
        return exc
    except RuntimeError as exc:
        return ParseError.coded("parser_failed", str(exc), source=name, detail=str(exc))
    return data, evaluation, fmt


@dataclass
class _Job:
    index: int
    data: bytes
    started: float


class _Batch:
    """Many files over a few workers; results come back in input order."""

    def __init__(self, paths: list[Path], budget: Budget, workers: int) -> None:
        self.paths = paths
        self.budget = budget
        self.workers: list[_Worker | None] = [None] * min(workers, max(1, len(paths)))
        self.jobs: dict[int, _Job] = {}  # worker slot -> its current file
        self.done: dict[int, Outcome] = {}
        self.next_file = 0

    def run(self) -> Iterator[tuple[Path, Outcome]]:
        for index, path in enumerate(self.paths):
            while index not in self.done:
                self._dispatch(index)
                self._collect()
            yield path, self.done.pop(index)

    def _dispatch(self, first_pending: int) -> None:
        """Give idle workers the next files, at most LOOK_AHEAD ahead of the one awaited."""
        for slot in range(len(self.workers)):
            while slot not in self.jobs and self.next_file < len(self.paths):
                if self.next_file >= first_pending + LOOK_AHEAD * len(self.workers):
                    return
                index = self.next_file
                self.next_file += 1
                if self._start(slot, index):
                    break

    def _start(self, slot: int, index: int) -> bool:
        """Send file `index` to the worker in `slot`; False if it failed before parsing."""
        path = self.paths[index]
        try:
            data = read_report_bytes(path)
        except ParseError as exc:
            self.done[index] = exc
            return False
        worker = self.workers[slot]
        if worker is None or not worker.alive():
            worker = _Worker()
        self.workers[slot] = _send(worker, data, safe_name(path.name), self.budget)
        self.jobs[slot] = _Job(index, data, time.monotonic())
        return True

    def _collect(self) -> None:
        """Wait for the next reply or deadline; stop workers over time."""
        if not self.jobs:
            return
        now = time.monotonic()
        deadline = min(job.started for job in self.jobs.values()) + self.budget.seconds
        conns = {self._worker(slot).conn: slot for slot in self.jobs}
        for conn in wait(list(conns), timeout=max(0.0, deadline - now)):
            slot = conns[conn]  # type: ignore[index]
            job = self.jobs.pop(slot)
            reply = self._worker(slot).read()
            self.done[job.index] = _outcome(self.paths[job.index], job.data, reply, self.budget)
            if reply[0] in ("memory", "died"):
                self._retire(slot)
        now = time.monotonic()
        for slot, job in list(self.jobs.items()):
            if now - job.started >= self.budget.seconds:
                del self.jobs[slot]
                self._retire(slot)
                name = safe_name(self.paths[job.index].name)
                self.done[job.index] = _overtime(name, self.budget)

    def _worker(self, slot: int) -> _Worker:
        worker = self.workers[slot]
        assert worker is not None  # a slot with a job has a worker
        return worker

    def _retire(self, slot: int) -> None:
        worker = self.workers[slot]
        if worker is not None:
            worker.kill()
        self.workers[slot] = None

    def close(self) -> None:
        """End the batch's workers (also when the caller stops iterating early)."""
        for slot in range(len(self.workers)):
            self._retire(slot)

"""Concurrency and crashes (issue 5): the app, `kompass ingest` and uploads share one file.

(a) `kompass ingest` runs while the app serves a page; a reload shows the new
    evaluation and nobody sees a lock error. A long batch ingest lets the
    app's short read-only opens in before they give up waiting.
(b) An ingest killed with SIGKILL mid-transaction leaves the store as it was
    (for a batch: every evaluation whole), and ingesting again works.
(c) Two browser sessions save uploads at the same moment (two municipalities,
    then two versions of one evaluation): each succeeds or gets the clear
    "try again" message, retrying succeeds, and no traceback is shown.

The app must not hold a DuckDB connection between reruns (TESTING.md,
"DuckDB and processes"); (a) fails if it does, because DuckDB locks per process.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from kompass.store import StoreLockedError, connect, ingest_many
from tests.helpers.browser import (
    REPORTS,
    main_text,
    needs_chromium,
    new_page,
    open_page,
    running_server,
    screenshot,
    wait_until_settled,
)
from tests.helpers.db import dump

KOMPASS = Path(sys.executable).with_name("kompass")
SVENLJUNGA = REPORTS / "svenljunga-2022.txt"
SALA = REPORTS / "sala-2023.txt"
RETRY = "Databasen används just nu av en annan process. Försök igen om en stund."
# The app's messages about a busy or unreadable database, and a traceback.
PROBLEM_TEXTS = ("just nu av en annan process", "Databasen kunde inte", "Traceback")
SAVE = "Spara i databasen"
SOURCE = "Källa: Kommunkompassen, SKR; rapport "
UPLOAD_INPUT = "[data-testid=stFileUploaderDropzoneInput]"


# --- helpers -----------------------------------------------------------------------


def run_kompass(db: Path, *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "KOMPASS_DB": str(db)}
    return subprocess.run(
        [str(KOMPASS), *args], env=env, capture_output=True, text=True, timeout=timeout
    )


def assert_no_lock_message(page: Any) -> None:
    assert page.locator("[data-testid=stException]").count() == 0
    body = page.locator("body").inner_text()
    for text in PROBLEM_TEXTS:
        assert text not in body, f"{text!r} shown: {body[:2000]}"


def evaluation_shapes(db: Path) -> dict[tuple[str, int, str], tuple[Any, ...]]:
    """(code, year, origin) -> (total, n areas, n sub-areas, n findings, n discrepancies)."""
    sql = """
        SELECT e.municipality_code, e.year, e.origin, e.total,
            (SELECT count(*) FROM area_score a WHERE a.evaluation_id = e.evaluation_id),
            (SELECT count(*) FROM subarea_score s WHERE s.evaluation_id = e.evaluation_id),
            (SELECT count(*) FROM finding f WHERE f.evaluation_id = e.evaluation_id),
            (SELECT count(*) FROM discrepancy d WHERE d.evaluation_id = e.evaluation_id)
        FROM evaluation e
    """
    with connect(db, read_only=True) as con:
        return {(r[0], r[1], r[2]): r[3:] for r in con.execute(sql).fetchall()}


def orphans(db: Path) -> dict[str, int]:
    """Rows whose evaluation, report or reference series is gone (should all be 0)."""
    checks = {
        "area_score": "evaluation_id NOT IN (SELECT evaluation_id FROM evaluation)",
        "subarea_score": "evaluation_id NOT IN (SELECT evaluation_id FROM evaluation)",
        "finding": "evaluation_id NOT IN (SELECT evaluation_id FROM evaluation)",
        "discrepancy": "evaluation_id NOT IN (SELECT evaluation_id FROM evaluation)",
        "evaluation": "report_id NOT IN (SELECT report_id FROM report)",
        "reference_score": "reference_id NOT IN (SELECT reference_id FROM reference_series)",
    }
    with connect(db, read_only=True) as con:
        return {
            table: int(con.execute(f"SELECT count(*) FROM {table} WHERE {where}").fetchone()[0])
            for table, where in checks.items()
        }


def assert_opens_both_ways(db: Path) -> None:
    with connect(db) as con:
        con.execute("SELECT count(*) FROM evaluation").fetchone()
    with connect(db, read_only=True) as con:
        con.execute("SELECT count(*) FROM evaluation").fetchone()


# --- (a) ingest while the app serves ------------------------------------------------


@pytest.mark.browser
@needs_chromium
def test_cli_ingest_while_app_serves_shows_new_data(tmp_path: Path, page: Any) -> None:
    db = tmp_path / "kompass.duckdb"
    _, failures = ingest_many(sorted(p for p in REPORTS.glob("*.txt") if p != SVENLJUNGA), db)
    assert not failures
    with running_server(db) as url:
        page.goto(url + "/profil?kommun=1981&ar=2023")
        page.get_by_text(SOURCE + "sala-2023.txt").first.wait_for(timeout=60_000)
        ingest = subprocess.Popen(
            [str(KOMPASS), "ingest", str(SVENLJUNGA)],
            env={**os.environ, "KOMPASS_DB": str(db)},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        # Keep the app reading while the ingest runs: each rerun opens the store.
        while ingest.poll() is None:
            page.reload()
            shown = page.get_by_text(SOURCE).or_(page.get_by_text(PROBLEM_TEXTS[0]))
            shown.first.wait_for(timeout=60_000)
            assert_no_lock_message(page)
        out, err = ingest.communicate(timeout=60)
        assert ingest.returncode == 0, out + err
        assert "svenljunga-2022.txt" in out
        page.goto(url + "/profil?kommun=1465&ar=2022")
        page.get_by_text(SOURCE + "svenljunga-2022.txt").first.wait_for(timeout=60_000)
        wait_until_settled(page)
        screenshot(page, "c01-profil-efter-ingest")
        text = main_text(page)
        assert "Svenljunga 2022" in text and "510" in text
        assert_no_lock_message(page)


# --- (b) a killed ingest ------------------------------------------------------------

# Replaces Sala 2023 inside one transaction (deletes and inserts), wipes a table
# and writes a big table for good measure, then waits to be killed before COMMIT.
HALF_INGEST = """
import hashlib, sys, time
from pathlib import Path
from kompass import store
from kompass.store import rows
db, report = Path(sys.argv[1]), Path(sys.argv[2])
data, evaluation, fmt = store.read_report(report)
sha256 = hashlib.sha256(data).hexdigest()
with store.connect(db) as con, store.transaction(con):
    rows.store_parsed_one(con, evaluation, sha256, report.name, fmt)
    con.execute("DELETE FROM finding")
    con.execute("CREATE TABLE crash_filler AS SELECT range AS n FROM range(3000000)")
    print("READY", flush=True)
    time.sleep(120)
"""


def edited_sala(folder: Path, note: str, points: str = "64") -> Path:
    """sala-2023.txt with another "Poäng" for area 1 (65 -> points): a different report."""
    text = SALA.read_text(encoding="utf-8")
    old = "Poäng\t\t\n65\t\t\n"
    assert text.count(old) == 1
    path = folder / f"sala-2023-{note}.txt"
    path.write_text(text.replace(old, f"Poäng\t\t\n{points}\t\t\n"), encoding="utf-8")
    return path


def wait_for_line(proc: subprocess.Popen[str], expected: str, timeout: float = 30) -> None:
    assert proc.stdout is not None
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if line.strip() == expected:
            return
        if not line and proc.poll() is not None:
            raise AssertionError(f"exited with {proc.returncode}: {proc.stderr.read()}")
    raise AssertionError(f"no {expected!r} within {timeout} s")


def test_kill_9_mid_transaction_leaves_store_unchanged(
    sample_db_copy: Path, tmp_path: Path
) -> None:
    db = sample_db_copy
    before = dump(db)
    report = edited_sala(tmp_path, "edited")
    proc = subprocess.Popen(
        [sys.executable, "-c", HALF_INGEST, str(db), str(report)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        wait_for_line(proc, "READY")
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
    assert proc.returncode == -signal.SIGKILL
    assert dump(db) == before
    assert_opens_both_ways(db)
    assert dump(db) == before  # opening read-write wrote nothing either
    result = run_kompass(db, "ingest", "--quiet", str(report))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 replaced" in result.stdout
    with connect(db, read_only=True) as con:
        row = con.execute(
            "SELECT r.file_name FROM evaluation e JOIN report r USING (report_id) "
            "WHERE e.municipality_code = '1981' AND e.year = 2023"
        ).fetchone()
    assert row == (report.name,)


N_COPIES = 8  # of each sample report: 40 files


def make_copies(folder: Path, n: int) -> Path:
    """n copies of every sample report, each with distinct bytes (a line at the end).

    Copies of one report parse the same, so each one replaces the one before.
    """
    for report in sorted(REPORTS.glob("*.txt")):
        for i in range(n):
            note = f"\n\nKopia nr {i} (testdata)\n".encode()
            (folder / f"{report.stem}-kopia-{i:02d}.txt").write_bytes(report.read_bytes() + note)
    return folder


@pytest.fixture(scope="module")
def copies(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_copies(tmp_path_factory.mktemp("copies"), N_COPIES)


def start_ingest(db: Path, folder: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [str(KOMPASS), "ingest", "--quiet", str(folder)],
        env={**os.environ, "KOMPASS_DB": str(db)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def has_open(pid: int, path: Path) -> bool:
    """Whether process `pid` has `path` open (DuckDB opens the file for its connection)."""
    try:
        return any(os.readlink(fd) == str(path) for fd in Path(f"/proc/{pid}/fd").iterdir())
    except OSError:  # the process or one of its descriptors went away meanwhile
        return False


def wait_until_open(proc: subprocess.Popen[bytes], path: Path, timeout: float = 60) -> float:
    """Poll until `proc` opens `path`; return the time it did (time.monotonic())."""
    deadline = time.monotonic() + timeout
    while not has_open(proc.pid, path):
        assert proc.poll() is None, f"exited with {proc.returncode} before opening {path}"
        assert time.monotonic() < deadline, f"{path} not opened within {timeout} s"
        time.sleep(0.002)
    return time.monotonic()


@pytest.fixture(scope="module")
def write_seconds(copies: Path, sample_db: Path, tmp_path_factory: pytest.TempPathFactory) -> float:
    """How long an uninterrupted `kompass ingest` of the copies has the store open here."""
    db = tmp_path_factory.mktemp("timing") / "kompass.duckdb"
    shutil.copyfile(sample_db, db)
    proc = start_ingest(db, copies)
    opened = closed = wait_until_open(proc, db)
    while proc.poll() is None:
        if has_open(proc.pid, db):
            closed = time.monotonic()
        time.sleep(0.002)
    assert proc.returncode == 0
    return closed - opened


def children(pid: int) -> list[int]:
    """PIDs of the processes whose parent is `pid` (say, a process pool's workers)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def kill_9(proc: subprocess.Popen[bytes]) -> list[int]:
    """SIGKILL `proc` (its own PID only); return its children at that moment."""
    workers = children(proc.pid)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)
    return workers


def reap(pids: list[int], timeout: float = 10) -> list[int]:
    """Wait for orphaned workers to exit on their own; SIGKILL (by PID) those that do not."""
    deadline = time.monotonic() + timeout
    alive = pids
    while alive and time.monotonic() < deadline:
        time.sleep(0.1)
        alive = [p for p in alive if Path(f"/proc/{p}").exists()]
    for pid in alive:
        os.kill(pid, signal.SIGKILL)
    return alive


# When to kill: 0.3 s after the start (still parsing), or at a share of the time
# the ingest has the store open (measured once by `write_seconds`).
KILL_MOMENTS = ["start+0.3s", "writing+50%"]


@pytest.mark.parametrize("moment", KILL_MOMENTS)
def test_kill_9_during_batch_ingest_leaves_whole_evaluations(
    sample_db_copy: Path, copies: Path, write_seconds: float, moment: str
) -> None:
    """Killed while it replaces every evaluation: each one is the old or a new copy, whole."""
    db = sample_db_copy
    complete = evaluation_shapes(db)
    proc = start_ingest(db, copies)
    if moment.startswith("start"):
        time.sleep(0.3)
    else:
        wait_until_open(proc, db)
        time.sleep(write_seconds * int(moment.split("+")[1].rstrip("%")) / 100)
    workers = kill_9(proc)
    assert proc.returncode == -signal.SIGKILL, "the ingest finished before it was killed"
    assert reap(workers) == [], "worker processes outlived the killed ingest"

    assert_opens_both_ways(db)
    assert evaluation_shapes(db) == complete
    assert set(orphans(db).values()) == {0}

    result = run_kompass(db, "ingest", "--quiet", str(copies))
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"{5 * N_COPIES} files" in result.stdout and "0 failed" in result.stdout
    assert evaluation_shapes(db) == complete
    with connect(db, read_only=True) as con:
        names = {r[0] for r in con.execute("SELECT file_name FROM report").fetchall()}
    last = N_COPIES - 1
    assert names == {f"{p.stem}-kopia-{last:02d}.txt" for p in REPORTS.glob("*.txt")}


def test_readers_get_in_during_batch_ingest(sample_db_copy: Path, tmp_path: Path) -> None:
    """The app's short read-only opens (which wait LOCK_WAIT_SECONDS) never fail mid-batch.

    Otherwise the app shows "Databasen uppdateras just nu …" while `kompass ingest`
    runs: the writer must give the lock up more often than readers give up waiting,
    however many files it is given (here 80, each replacing an evaluation).
    """
    db = sample_db_copy
    proc = start_ingest(db, make_copies(tmp_path, 16))
    reads, refused = 0, []
    while proc.poll() is None:
        started = time.monotonic()
        try:
            with connect(db, read_only=True) as con:
                con.execute("SELECT count(*) FROM evaluation").fetchone()
            reads += 1
        except StoreLockedError:
            refused.append(round(time.monotonic() - started, 2))
        time.sleep(0.05)
    assert proc.returncode == 0
    assert reads > 0
    assert refused == [], f"read-only opens refused after waiting {refused} s"


# --- (c) two uploads at once ----------------------------------------------------------


def upload_and_preview(page: Any, url: str, report: Path, shot: str) -> None:
    open_page(page, url + "/data", shot)
    page.get_by_role("tab", name="Ladda upp rapport").click()
    page.locator(UPLOAD_INPUT).first.set_input_files(str(report))
    page.get_by_role("button", name=SAVE).wait_for(timeout=30_000)


def outcome(page: Any, saved: str) -> str:
    """Wait for the result of a click on the save button: 'saved' or 'retry'."""
    error = page.locator("[data-testid=stException]")
    done = page.get_by_text(saved).or_(page.get_by_text(RETRY)).or_(error)
    done.first.wait_for(timeout=30_000)
    assert error.count() == 0, error.first.inner_text()
    return "saved" if page.get_by_text(saved).count() else "retry"


def save_at_once(browser: Any, url: str, jobs: list[tuple[Path, str]], shot: str) -> list[str]:
    """Each (report, success text) in its own session; both saves clicked together.

    Returns each session's first outcome; a "retry" is clicked again and must succeed.
    """
    pages = [new_page(browser) for _ in jobs]
    try:
        for i, (pg, (report, _)) in enumerate(zip(pages, jobs, strict=True)):
            upload_and_preview(pg, url, report, f"{shot}-{i}")
        handles = [pg.get_by_role("button", name=SAVE).element_handle() for pg in pages]
        for handle in handles:  # clicks a few milliseconds apart, without waiting
            handle.evaluate("b => b.click()")
        outcomes = [outcome(pg, saved) for pg, (_, saved) in zip(pages, jobs, strict=True)]
        for i, (pg, (_, saved), first) in enumerate(zip(pages, jobs, outcomes, strict=True)):
            if first == "retry":
                pg.get_by_role("button", name=SAVE).click()
                pg.get_by_text(saved).first.wait_for(timeout=30_000)
            assert pg.locator("[data-testid=stException]").count() == 0
            screenshot(pg, f"{shot}-{i}-sparad")
        return outcomes
    finally:
        for pg in pages:
            pg.context.close()


def stored_reports(db: Path) -> list[tuple[str, int, str]]:
    with connect(db, read_only=True) as con:
        return con.execute(
            "SELECT e.municipality_code, e.year, r.file_name FROM evaluation e "
            "JOIN report r USING (report_id) WHERE e.origin = 'report' ORDER BY ALL"
        ).fetchall()


@pytest.mark.browser
@needs_chromium
def test_two_sessions_save_uploads_at_once(browser: Any, tmp_path: Path) -> None:
    db = tmp_path / "kompass.duckdb"
    with running_server(db, {"KOMPASS_NO_AUTOLOAD": "1"}) as url:
        # Two municipalities.
        save_at_once(
            browser,
            url,
            [(SALA, "Sala 2023 sparad"), (SVENLJUNGA, "Svenljunga 2022 sparad")],
            "c02-tva-kommuner",
        )
        assert stored_reports(db) == [
            ("1465", 2022, SVENLJUNGA.name),
            ("1981", 2023, SALA.name),
        ]
        # Two new versions of the same evaluation (and of the Sala 2019 both state):
        # in one process these are two write transactions on the same rows.
        versions = [edited_sala(tmp_path, "a"), edited_sala(tmp_path, "b", "63")]
        save_at_once(
            browser, url, [(v, "Sala 2023 sparad och ersatte") for v in versions], "c03-samma"
        )
        rows = stored_reports(db)
        assert rows[0] == ("1465", 2022, SVENLJUNGA.name)
        assert rows[1:] in ([("1981", 2023, v.name)] for v in versions)

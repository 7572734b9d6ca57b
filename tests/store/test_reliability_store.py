"""Issue 8 on the store and the CLI: nothing lost, nothing frozen.

Each test names the issue item it covers. Every one of them failed on
b263238 (see docs/reliability.md for what each guards).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from kompass.errors import StoreCorruptError, StoreFullError, StoreReadOnlyError
from kompass.store import (
    connect,
    ingest,
    ingest_many,
    marker_path,
    table_counts,
)
from tests.helpers.db import dump, rows

REPO = Path(__file__).resolve().parents[2]
SAMPLE_REPORTS = REPO / "data" / "reports"
SALA = SAMPLE_REPORTS / "sala-2023.txt"
KOMPASS = Path(sys.executable).with_name("kompass")
CORRECTED = ("Totalt\t482\t363", "Totalt\t483\t363")  # the summary table's total


def kompass(*args: str, db: Path, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "KOMPASS_DB": str(db)}
    env.pop("KOMPASS_DATA", None)
    return subprocess.run(
        [str(KOMPASS), *args], env=env, capture_output=True, text=True, timeout=timeout
    )


def corrected_sala(folder: Path, name: str, total: str = "483") -> Path:
    """sala-2023.txt with another stated total (a correction of the same evaluation)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    text = SALA.read_text(encoding="utf-8")
    path.write_text(text.replace(CORRECTED[0], f"Totalt\t{total}\t363"), encoding="utf-8")
    return path


def stated_total(db: Path) -> float:
    [(total,)] = rows(
        db,
        "SELECT d.stated FROM discrepancy d JOIN evaluation e USING (evaluation_id) "
        "WHERE e.municipality_code = '1981' AND e.year = 2023 AND d.kind = 'total'",
    )
    return float(total)


# --- item 6: corrections are never reverted ------------------------------------------


def test_reingest_of_a_superseded_file_changes_nothing(
    sample_db_copy: Path, tmp_path: Path
) -> None:
    """Item 6: `make run` ingests data/reports again after a corrected upload."""
    fixed = corrected_sala(tmp_path / "upload", "sala-2023-rattad.txt")
    assert ingest(fixed, sample_db_copy).status == "replaced"
    before = dump(sample_db_copy)
    results, failures = ingest_many([SAMPLE_REPORTS], sample_db_copy)
    assert not failures
    sala = next(r for r in results if r.file_name == "sala-2023.txt")
    assert (sala.status, sala.other_file) == ("superseded", "sala-2023-rattad.txt")
    assert dump(sample_db_copy) == before
    assert stated_total(sample_db_copy) == 483


def test_cli_names_the_newer_file(sample_db_copy: Path, tmp_path: Path) -> None:
    """Item 6: the output says which newer file replaced the one given."""
    fixed = corrected_sala(tmp_path / "upload", "sala-2023-rattad.txt")
    assert kompass("ingest", str(fixed), db=sample_db_copy).returncode == 0
    result = kompass("ingest", db=sample_db_copy)
    assert result.returncode == 0, result.stderr
    assert "superseded by sala-2023-rattad.txt (not stored)" in result.stdout
    assert "1 superseded" in result.stdout


def test_two_versions_in_one_folder_newest_wins_and_stays(empty_db: Path, tmp_path: Path) -> None:
    """Item 6: two versions of one evaluation no longer flip on every run."""
    folder = tmp_path / "reports"
    older = corrected_sala(folder, "sala-b.txt", total="484")
    newer = corrected_sala(folder, "sala-a.txt", total="483")  # first by name, newest by time
    os.utime(older, (time.time() - 3600, time.time() - 3600))
    for _ in range(3):
        results, failures = ingest_many([folder], empty_db)
        assert not failures
        assert stated_total(empty_db) == 483
    first_run = {r.file_name: r for r in ingest_many([folder], empty_db)[0]}
    assert first_run["sala-a.txt"].status == "unchanged"
    assert (first_run["sala-b.txt"].status, first_run["sala-b.txt"].other_file) == (
        "superseded",
        newer.name,
    )


def test_one_run_reports_both_versions(empty_db: Path, tmp_path: Path) -> None:
    """Item 6: when one run meets two versions, the output names both."""
    folder = tmp_path / "reports"
    older = corrected_sala(folder, "sala-b.txt", total="484")
    corrected_sala(folder, "sala-a.txt", total="483")
    os.utime(older, (time.time() - 3600, time.time() - 3600))
    result = kompass("ingest", str(folder), db=empty_db)
    assert result.returncode == 0, result.stderr
    assert "superseded by sala-a.txt" in result.stdout
    assert "replaced sala-b.txt" in result.stdout


# --- items 8 and 12: a failing disk stores nothing and says so ---------------------


@contextlib.contextmanager
def small_disk(where: Path, megabytes: int) -> Iterator[Path]:
    """A tmpfs of `megabytes` at `where` (needs root; skipped elsewhere)."""
    where.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={megabytes}m", "tmpfs", str(where)],
        capture_output=True,
    )
    if mounted.returncode != 0:
        pytest.skip("cannot mount a tmpfs here (needs root)")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)


def fill(folder: Path) -> None:
    with (folder / "fill").open("wb") as handle, contextlib.suppress(OSError):
        while True:
            handle.write(b"\0" * 65536)


def test_full_disk_lists_nothing_as_added(sample_db: Path, tmp_path: Path) -> None:
    """Items 8 and 12: a COMMIT that fails (disk full) reports no file as added."""
    with small_disk(tmp_path / "disk", 12) as disk:
        db = disk / "kompass.duckdb"
        shutil.copyfile(sample_db, db)
        before = dump(db)
        fill(disk)
        folder = tmp_path / "new"
        corrected_sala(folder, "sala-2023.txt")
        shutil.copy(SAMPLE_REPORTS / "lund-2011.txt", folder / "lund-2011.txt")
        result = kompass("ingest", "--wait", "2", str(folder), db=db)
        (disk / "fill").unlink()
        assert result.returncode == 1
        assert "added" not in result.stdout and "replaced" not in result.stdout
        assert f"the database {db}: the disk is full" in result.stderr
        assert "Traceback" not in result.stderr
        assert not marker_path(db).exists()
        assert dump(db) == before


def test_read_only_file_system_is_named(sample_db: Path, tmp_path: Path) -> None:
    """Item 12: a read-only database is named as such, not blamed on the report."""
    with small_disk(tmp_path / "disk", 32) as disk:
        db = disk / "kompass.duckdb"
        shutil.copyfile(sample_db, db)
        subprocess.run(["mount", "-o", "remount,ro", str(disk)], check=True)
        with pytest.raises(StoreReadOnlyError), connect(db) as con:
            con.execute("SELECT 1")
        result = kompass("ingest", str(SALA), db=db)
        assert result.returncode == 1
        assert "cannot be written (read-only file or folder)" in result.stderr
        with connect(db, read_only=True) as con:  # readers still read
            assert con.execute("SELECT count(*) FROM evaluation").fetchone() == (6,)


def test_corrupt_database_is_named_and_left_alone(tmp_path: Path) -> None:
    """Item 12: the CLI names a corrupt database and writes nothing into it."""
    db = tmp_path / "kompass.duckdb"
    junk = os.urandom(300_000)
    db.write_bytes(junk)
    for args in (("ingest", str(SALA)), ("export", "--out", str(tmp_path / "out"))):
        result = kompass(*args, db=db)
        assert result.returncode == 1
        assert "is not a DuckDB database or it is damaged" in result.stderr, result.stderr
        assert "Traceback" not in result.stderr
    with pytest.raises(StoreCorruptError):
        ingest(SALA, db)
    assert db.read_bytes() == junk


# --- item 16: no extension is ever fetched -----------------------------------------


def test_sqlite_file_is_refused_without_a_download(tmp_path: Path) -> None:
    """Item 16: DuckDB pointed at a SQLite file tried to download sqlite_scanner."""
    db = tmp_path / "other.db"
    con = sqlite3.connect(db)
    con.execute("CREATE TABLE t (a)")
    con.commit()
    con.close()
    with pytest.raises(StoreCorruptError) as info, connect(db, read_only=True):
        pass
    assert "download" not in str(info.value.__cause__).lower()


def test_every_connection_disables_extension_autoloading(sample_db: Path) -> None:
    """Item 16: both settings are off on the connections the app and the CLI use."""
    with connect(sample_db, read_only=True) as con:
        settings = dict(
            con.execute(
                "SELECT name, value FROM duckdb_settings() WHERE name IN "
                "('autoinstall_known_extensions', 'autoload_known_extensions')"
            ).fetchall()
        )
    assert settings == {
        "autoinstall_known_extensions": "false",
        "autoload_known_extensions": "false",
    }


# --- item 9: the demo never overwrites real data -----------------------------------


def test_demo_refuses_a_real_store(sample_db_copy: Path) -> None:
    """Item 9: `kompass demo --db` on a real store replaced all its evaluations."""
    before = dump(sample_db_copy)
    result = kompass("demo", "--antal", "3", "--db", str(sample_db_copy), db=sample_db_copy)
    assert result.returncode == 2
    assert "holds 6 evaluation(s) that are not synthetic" in result.stderr
    assert dump(sample_db_copy) == before


def test_demo_refills_its_own_database(tmp_path: Path) -> None:
    """Item 9: a database the demo made may be filled again."""
    db = tmp_path / "demo.duckdb"
    for _ in range(2):
        result = kompass("demo", "--antal", "3", "--kommuner", "3", "--db", str(db), db=db)
        assert result.returncode == 0, result.stderr
    assert table_counts(db)["evaluation"] >= 3


@pytest.mark.parametrize("args", [("--antal", "0"), ("--antal", "-5"), ("--kommuner", "0")])
def test_demo_needs_at_least_one_report(tmp_path: Path, args: tuple[str, str]) -> None:
    """Item 18: `kompass demo --antal 0` is an error, not an empty success."""
    db = tmp_path / "demo.duckdb"
    result = kompass("demo", *args, "--db", str(db), db=db)
    assert result.returncode == 2
    assert "must be at least 1" in result.stderr
    assert not db.exists()


# --- item 14: the CLI as a shell user meets it ---------------------------------------


def test_parse_into_a_closed_pipe(tmp_path: Path) -> None:
    """Item 14: `kompass parse … | head -1` ended in a BrokenPipeError traceback."""
    result = subprocess.run(
        f"'{KOMPASS}' parse --json '{SALA}' | head -1",
        shell=True,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout == "{\n"
    assert result.stderr == ""


@pytest.mark.parametrize("kind", ["fifo", "dev-zero", "folder"])
def test_import_refuses_what_is_not_a_regular_file(tmp_path: Path, kind: str) -> None:
    """Item 14: a FIFO hung and /dev/zero was read until memory ran out."""
    if kind == "fifo":
        path = tmp_path / "scores.csv"
        os.mkfifo(path)
    elif kind == "dev-zero":
        path = Path("/dev/zero")
    else:
        path = tmp_path
    db = tmp_path / "kompass.duckdb"
    result = kompass("import-scores", str(path), db=db, timeout=30)
    assert result.returncode == 1
    assert "not a regular file" in result.stderr


def test_file_names_with_escape_sequences_are_shown_escaped(tmp_path: Path, fresh_db: Path) -> None:
    """Item 14: a file name with a terminal escape sequence was printed raw."""
    folder = tmp_path / "in"
    folder.mkdir()
    evil = folder / "sala\x1b]0;owned\x07\x1b[2J.txt"
    shutil.copyfile(SALA, evil)
    result = kompass("ingest", str(folder), db=fresh_db)
    assert result.returncode == 0, result.stderr
    assert "\x1b" not in result.stdout + result.stderr
    assert "\x07" not in result.stdout + result.stderr
    assert "sala]0;owned[2J.txt" in result.stdout  # stored without its control characters
    assert rows(fresh_db, "SELECT file_name FROM report") == [("sala]0;owned[2J.txt",)]


def test_file_name_that_is_not_utf8(tmp_path: Path, fresh_db: Path) -> None:
    """Item 14: a file name that is not UTF-8 made a valid report fail."""
    folder = tmp_path / "in"
    folder.mkdir()
    name = os.fsdecode(b"sala-\xff.txt")
    shutil.copyfile(SALA, folder / name)
    result = kompass("ingest", str(folder), db=fresh_db)
    assert result.returncode == 0, result.stderr
    assert rows(fresh_db, "SELECT file_name FROM report") == [("sala-\ufffd.txt",)]
    check = subprocess.run(
        [str(KOMPASS), "check", str(folder / name)], capture_output=True, text=True, timeout=60
    )
    assert check.returncode == 0, check.stderr
    assert "Traceback" not in check.stderr


def test_duckdb_error_module_is_not_leaked(tmp_path: Path) -> None:
    """Item 12: opening a damaged file raises our error, never duckdb's own."""
    db = tmp_path / "kompass.duckdb"
    db.write_bytes(b"DUCK" * 10_000)
    with pytest.raises(StoreCorruptError) as info, connect(db):
        pass
    assert not isinstance(info.value, duckdb.Error)
    assert info.value.code == "store_corrupt"


def test_full_disk_error_class(sample_db: Path, tmp_path: Path) -> None:
    """Item 12: a full disk is StoreFullError (the app says so in Swedish)."""
    with small_disk(tmp_path / "disk", 12) as disk:
        db = disk / "kompass.duckdb"
        shutil.copyfile(sample_db, db)
        fill(disk)
        fixed = corrected_sala(tmp_path / "new", "sala-2023.txt")
        with pytest.raises(StoreFullError):
            ingest(fixed, db)


# --- item 5: a batch ingest finishes while many sessions read ------------------------

READERS = """
import sys, threading, time
from pathlib import Path
from kompass.errors import StoreLockedError
from kompass.store import connect

db, stop = Path(sys.argv[1]), time.monotonic() + float(sys.argv[2])
counts = {"reads": 0, "refused": 0}

def session() -> None:
    # One app session: short read-only connections back to back, as reruns make them.
    while time.monotonic() < stop:
        try:
            with connect(db, read_only=True) as con:
                # About as long as a page's queries at national scale (50-100 ms).
                con.execute("SELECT sum(hash(range)) FROM range(10000000)").fetchone()
            counts["reads"] += 1
        except StoreLockedError:
            counts["refused"] += 1
        time.sleep(0.005)

threads = [threading.Thread(target=session) for _ in range(8)]
for t in threads:
    t.start()
print("reading", flush=True)
for t in threads:
    t.join()
print(counts["reads"], counts["refused"], flush=True)
"""


def test_batch_ingest_finishes_under_eight_reading_sessions(
    sample_db_copy: Path, tmp_path: Path
) -> None:
    """Item 5: with 6–8 sessions reading, `kompass ingest` gave up after a few files."""
    from kompass.devtools.synth import write_corpus

    folder = tmp_path / "corpus"
    write_corpus(folder, 120, seed=5, n_municipalities=60)
    readers = subprocess.Popen(
        [sys.executable, "-c", READERS, str(sample_db_copy), "90"],
        stdout=subprocess.PIPE,
        text=True,
        cwd=REPO,
    )
    try:
        assert readers.stdout is not None and readers.stdout.readline().strip() == "reading"
        time.sleep(1.0)  # the sessions hold the file before the writer starts
        result = kompass("ingest", "--quiet", str(folder), db=sample_db_copy, timeout=300)
    finally:
        readers.kill()
        readers.wait()
    assert result.returncode == 0, result.stdout + result.stderr
    assert "120 files:" in result.stdout and "0 failed" in result.stdout
    names = {p.name for p in folder.iterdir()}
    stored = {r[0] for r in rows(sample_db_copy, "SELECT file_name FROM report")}
    assert names <= stored

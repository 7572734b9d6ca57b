"""Issue 13: `kompass backup FILE` and `kompass snapshot DIR` (kompass.store.backup).

A backup taken while `kompass ingest` writes in another process opens and holds
every evaluation committed before the backup began; a snapshot replaces its
file in one rename, so a reader sees the old copy or the new, never a part.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kompass.devtools.synth import write_corpus
from kompass.errors import StoreError
from kompass.store import connect, get_meta, table_counts
from kompass.store.backup import backup, snapshot
from tests.helpers.db import dump, rows

REPO = Path(__file__).resolve().parents[2]
KEY = "SELECT municipality_code, year FROM evaluation"


def evaluations(db: Path) -> set[tuple[str, int]]:
    return {(str(code), int(year)) for code, year in rows(db, KEY)}


def test_a_backup_is_the_whole_store(sample_db: Path, tmp_path: Path) -> None:
    copy = backup(sample_db, tmp_path / "kopior" / "kompass-kopia.duckdb")
    assert copy == tmp_path / "kopior" / "kompass-kopia.duckdb"
    assert dump(copy) == dump(sample_db)  # every table, every row
    with connect(copy, read_only=True) as con:  # the views came along
        shown = con.execute("SELECT count(*) FROM evaluation_detail").fetchone()
    assert shown is not None and shown[0] == table_counts(sample_db)["evaluation"]
    assert get_meta(copy, "schema_version") == get_meta(sample_db, "schema_version")
    assert sorted(p.name for p in copy.parent.iterdir()) == ["kompass-kopia.duckdb"]


def test_a_backup_while_ingest_writes_holds_every_committed_evaluation(tmp_path: Path) -> None:
    write_corpus(tmp_path / "reports", 400, seed=13)
    db = tmp_path / "kompass.duckdb"
    env = {k: v for k, v in os.environ.items() if not k.startswith("KOMPASS_")}
    ingest = subprocess.Popen(
        [sys.executable, "-m", "kompass", "ingest", "--quiet", "--db", str(db),
         str(tmp_path / "reports")],
        cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        committed: set[tuple[str, int]] = set()
        deadline = time.monotonic() + 120
        while len(committed) < 20 and time.monotonic() < deadline:
            time.sleep(0.2)
            if db.exists():
                committed = evaluations(db)
        assert ingest.poll() is None, "the ingest finished before the backup: use more reports"
        copy = backup(db, tmp_path / "backup.duckdb")
        was_running = ingest.poll() is None
        out, err = ingest.communicate(timeout=300)
    finally:
        if ingest.poll() is None:
            ingest.kill()
            ingest.wait()
    assert ingest.returncode == 0, err  # the writer waited for the copy, then went on
    assert was_running
    saved = evaluations(copy)
    assert committed <= saved
    everything = evaluations(db)
    assert saved <= everything and len(saved) < len(everything)
    # Consistent: every evaluation in the copy has its report and all of its area scores.
    incomplete = rows(
        copy,
        "SELECT e.evaluation_id FROM evaluation e LEFT JOIN report r USING (report_id) "
        "WHERE r.report_id IS NULL OR (SELECT count(*) FROM area_score a "
        "WHERE a.evaluation_id = e.evaluation_id) = 0",
    )
    assert incomplete == []


def test_a_snapshot_replaces_its_file_in_one_rename(sample_db: Path, tmp_path: Path) -> None:
    folder = tmp_path / "publicerad"
    first = snapshot(sample_db, folder)
    assert first == folder / sample_db.name
    inode = first.stat().st_ino
    with first.open("rb") as reader:  # a reader of the old copy keeps reading it
        second = snapshot(sample_db, folder)
        assert reader.read(16) and os.fstat(reader.fileno()).st_ino == inode
    assert second == first and second.stat().st_ino != inode  # a new file, renamed into place
    assert dump(second) == dump(sample_db)
    assert sorted(p.name for p in folder.iterdir()) == [sample_db.name]  # no temporary left


def test_a_backup_refuses_to_overwrite_its_own_database(sample_db_copy: Path) -> None:
    with pytest.raises(StoreError, match="itself"):
        backup(sample_db_copy, sample_db_copy)


def test_a_backup_of_no_database_says_so(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no database"):
        backup(tmp_path / "finns-inte.duckdb", tmp_path / "kopia.duckdb")
    assert not (tmp_path / "finns-inte.duckdb").exists()


def test_a_failed_backup_leaves_no_partial_file(sample_db: Path, tmp_path: Path) -> None:
    folder = tmp_path / "skrivskyddad"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        if os.access(folder, os.W_OK):
            pytest.skip("running as root: a read-only folder is writable")
        with pytest.raises(StoreError):
            backup(sample_db, folder / "kopia.duckdb")
    finally:
        folder.chmod(0o700)
    assert list(folder.iterdir()) == []


def test_the_cli_writes_a_backup_and_a_snapshot(sample_db: Path, tmp_path: Path) -> None:
    for command, target, made in (
        ("backup", "kopia.duckdb", tmp_path / "kopia.duckdb"),
        ("snapshot", "snap", tmp_path / "snap" / sample_db.name),
    ):
        done = subprocess.run(
            [sys.executable, "-m", "kompass", command, target, "--db", str(sample_db)],
            cwd=tmp_path, capture_output=True, text=True, timeout=120,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        assert str(made.relative_to(tmp_path)) in done.stdout
        assert dump(made) == dump(sample_db)

"""`kompass import-text`, run as a user would (subprocess, real DuckDB files)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import duckdb

from kompass import queries

KOMPASS = Path(sys.executable).with_name("kompass")
CASES = Path(__file__).resolve().parents[1] / "cases" / "pasted"
SOURCE = "https://www.example.se/kommunkompassen"


def run(*args: str, db: Path, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "KOMPASS_DB": str(db)}
    env.pop("KOMPASS_DATA", None)
    return subprocess.run(
        [str(KOMPASS), "import-text", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        input=stdin,
    )


def sql(db: Path, query: str) -> list[tuple[object, ...]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(query).fetchall()
    finally:
        con.close()


def test_dry_run_json_prints_the_rows_and_stores_nothing(fresh_db: Path) -> None:
    done = run(str(CASES / "bullets-with-means.txt"), "--kalla", SOURCE, "--dry-run", "--json",
               db=fresh_db)  # fmt: skip
    assert done.returncode == 0, done.stderr
    result, mean = json.loads(done.stdout)
    assert result == {
        "typ": "resultat", "kommun": "0115", "ar": 2021, "manad": 2, "ramverk": "2020",
        "omrade1": 73, "omrade2": 75, "omrade3": 80, "omrade4": 83, "omrade5": 86,
        "omrade6": 82, "omrade7": 86, "omrade8": 83, "total": 648, "kalla": SOURCE,
    }  # fmt: skip
    assert mean == {
        "typ": "referens", "etikett": "Sverigesnitt", "ramverk": "2020", "ar": 2021,
        "antal_kommuner": None, "omrade1": 63, "omrade2": 65, "omrade3": 73, "omrade4": 64,
        "omrade5": 61, "omrade6": 59, "omrade7": 68, "omrade8": 64, "total": 517, "kalla": SOURCE,
    }  # fmt: skip
    assert not fresh_db.exists()


def test_dry_run_of_each_case_matches_its_rows(fresh_db: Path) -> None:
    for case in sorted(CASES.glob("*.txt")):
        done = run(str(case), "--kalla", f"https://example.se/{case.stem}", "--dry-run",
                   "--json", db=fresh_db)  # fmt: skip
        assert done.returncode == 0, done.stderr
        assert json.loads(done.stdout) == json.loads(case.with_suffix(".json").read_text())


def test_store_then_query(empty_db: Path) -> None:
    done = run(str(CASES / "two-years-and-mean.txt"), "--kalla", SOURCE, db=empty_db)
    assert done.returncode == 0, done.stderr
    assert "results: two-years-and-mean.txt: 2 row(s) stored" in done.stdout
    assert "references: two-years-and-mean.txt: 1 row(s) stored" in done.stdout
    evals = queries.evaluations(empty_db)
    got = sorted(zip(evals.name, evals.year, evals.total, evals.origin, strict=True))
    assert got == [("Sala", 2019, 440, "import"), ("Sala", 2023, 506, "import")]
    assert set(evals.source_note) == {SOURCE}
    scores = sql(
        empty_db,
        "SELECT area, score FROM area_score JOIN evaluation USING (evaluation_id) "
        "WHERE year = 2023 ORDER BY area",
    )
    assert scores == [(1, 61), (2, 66), (3, 70), (4, 59), (5, 55), (6, 63), (7, 68), (8, 64)]
    assert sql(empty_db, "SELECT label, framework, year, total FROM reference_series") == [
        ("Snitt", "2020", 2023, 475)
    ]
    again = run(str(CASES / "two-years-and-mean.txt"), "--kalla", SOURCE, db=empty_db)
    assert again.returncode == 0 and again.stdout.count("unchanged") == 2


def test_a_partial_result_from_stdin_with_corrections(empty_db: Path) -> None:
    text = "Pressmeddelande\nOffentlighet och demokrati fick 61 poäng.\nTotalt 512 poäng\n"
    done = run("-", "--kalla", "Pressmeddelande 2015-11-02", "--kommun", "Sala", "--ar", "2015",
               db=empty_db, stdin=text)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert sql(
        empty_db, "SELECT municipality_code, year, framework, total, source_note FROM evaluation"
    ) == [("1981", 2015, "2010", 512, "Pressmeddelande 2015-11-02")]
    assert sql(empty_db, "SELECT area, score FROM area_score") == [(1, 61)]


def test_a_report_wins_over_a_paste(sample_db_copy: Path) -> None:
    text = "Sala kommun, Kommunkompassen 2023\nTotalt 700 av 800 poäng\n"
    done = run("-", "--kalla", SOURCE, db=sample_db_copy, stdin=text)
    assert done.returncode == 0, done.stderr
    assert "skipped" in done.stderr and "Sala 2023" in done.stderr
    assert sql(sample_db_copy, "SELECT total FROM evaluation WHERE year = 2023") == [(482,)]


def test_refusals_are_one_line_and_exit_2(empty_db: Path, tmp_path: Path) -> None:
    notes = tmp_path / "anteckningar.txt"
    notes.write_text("Möte om budgeten 2024, 12 deltagare.\n", encoding="utf-8")
    done = run(str(notes), "--kalla", SOURCE, db=empty_db)
    assert done.returncode == 2
    assert done.stderr.startswith(
        "kompass import-text: anteckningar.txt: no Kommunkompassen result recognised"
    )
    assert "Traceback" not in done.stderr and len(done.stderr.splitlines()) == 1
    no_year = run("-", "--kalla", SOURCE, db=empty_db, stdin="Sala kommun\nArbetsliv 61\n")
    assert no_year.returncode == 2 and "--ar" in no_year.stderr
    unknown = run("-", "--kalla", SOURCE, "--kommun", "Atlantis", db=empty_db,
                  stdin="Arbetsliv 61 (2021)\n")  # fmt: skip
    assert unknown.returncode == 2 and '"Atlantis" is not a known municipality' in unknown.stderr
    assert queries.evaluations(empty_db).empty


def test_an_unreadable_file_is_one_line(empty_db: Path, tmp_path: Path) -> None:
    done = run(str(tmp_path), "--kalla", SOURCE, db=empty_db)
    assert done.returncode == 1 and "cannot read file" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_partial_mean_is_stored(empty_db: Path) -> None:
    text = (
        "Utvärdering av Höganäs kommun 2018\n| Område | Poäng | Snitt |\n|---|---|---|\n"
        "| Kommunen som samhällsbyggare | 68 | 60 |\n| **Totalt** | **520** | 500 |\n"
    )
    done = run("-", "--kalla", SOURCE, db=empty_db, stdin=text)
    assert done.returncode == 0, done.stderr
    assert sql(empty_db, "SELECT label, framework, year, total FROM reference_series") == [
        ("Snitt", "2010", 2018, 500)
    ]
    assert sql(empty_db, "SELECT area, score FROM reference_score") == [(8, 60)]
    assert sql(empty_db, "SELECT total FROM evaluation") == [(520,)]

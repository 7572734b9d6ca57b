"""The `kompass` console script, run as a user would (subprocess, real DuckDB files)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from kompass.store import table_counts

KOMPASS = Path(sys.executable).with_name("kompass")
SAMPLE_REPORTS = Path(__file__).resolve().parents[2] / "data" / "reports"
SALA = SAMPLE_REPORTS / "sala-2023.txt"


def run(*args: str, db: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "KOMPASS_DB": str(db)}
    env.pop("KOMPASS_DATA", None)
    return subprocess.run(
        [str(KOMPASS), *args], env=env, capture_output=True, text=True, timeout=120
    )


def test_ingest_twice_changes_nothing(fresh_db: Path) -> None:
    first = run("ingest", db=fresh_db)  # default: data/reports and data/published
    assert first.returncode == 0, first.stderr
    counts = table_counts(fresh_db)
    # Six from the five reports, ten published results; Sala's and the published mean.
    assert counts["evaluation"] == 6 + 10 and counts["reference_series"] == 1 + 1
    assert "sala-2023.txt" in first.stdout and "added" in first.stdout
    second = run("ingest", db=fresh_db)
    assert second.returncode == 0, second.stderr
    # The audit rows are the one change, and an honest one: the second ingest happened
    # (each file with its result, "unchanged"). Nothing else may change.
    again = table_counts(fresh_db)
    assert again["audit"] == counts["audit"] + 5 + 2  # five reports, two published files
    assert {t: n for t, n in again.items() if t != "audit"} == {
        t: n for t, n in counts.items() if t != "audit"
    }
    assert "5 files: 0 added, 0 replaced, 5 unchanged, 0 failed" in second.stdout


def test_ingest_quiet_prints_one_line(fresh_db: Path) -> None:
    result = run("ingest", "--quiet", str(SALA), db=fresh_db)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        f"1 file: 1 added, 0 replaced, 0 unchanged, 0 failed ({fresh_db})"
    ]
    assert result.stderr == ""


def test_ingest_folder_with_a_bad_file(tmp_path: Path, fresh_db: Path) -> None:
    folder = tmp_path / "reports"
    folder.mkdir()
    for name in ("burlov-2020.txt", "sala-2023.txt"):
        shutil.copyfile(SAMPLE_REPORTS / name, folder / name)
    lines = SALA.read_text(encoding="utf-8").split("\n")
    (folder / "half-report.txt").write_text("\n".join(lines[:300]), encoding="utf-8")
    result = run("ingest", str(folder), db=fresh_db)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    [failure] = result.stderr.splitlines()
    assert failure.startswith(f"{folder / 'half-report.txt'}: ")
    assert "burlov-2020.txt" in result.stdout and "sala-2023.txt" in result.stdout
    assert table_counts(fresh_db)["evaluation"] == 3  # Burlöv, Sala 2023, Sala 2019


def test_ingest_into_a_locked_database(empty_db: Path) -> None:
    hold = "import sys, time, duckdb; c = duckdb.connect(sys.argv[1]); print('ok', flush=True); "
    hold += "time.sleep(60)"
    holder = subprocess.Popen(
        [sys.executable, "-c", hold, str(empty_db)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ok"
        result = run("ingest", "--wait", "1", str(SALA), db=empty_db)
    finally:
        holder.kill()
        holder.wait()
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"kompass ingest: stopped: the database {empty_db} is in use by another process; "
        "try again in a moment (0 of 1 files done before the stop; run the same command "
        "again for the rest)"
    ]
    assert result.stdout == ""


def _non_report(tmp_path: Path) -> Path:
    path = tmp_path / "notes.txt"
    path.write_text("Mötesanteckningar\nInget om kommuner här.\n", encoding="utf-8")
    return path


def _binary(tmp_path: Path) -> Path:
    path = tmp_path / "image.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40)
    return path


def _broken_pdf(tmp_path: Path) -> Path:
    path = tmp_path / "broken.pdf"
    path.write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ngarbage")
    return path


def _truncated(tmp_path: Path) -> Path:
    path = tmp_path / "sala-2023.txt"
    path.write_text(SALA.read_text(encoding="utf-8")[:20_000], encoding="utf-8")
    return path


def _missing(tmp_path: Path) -> Path:
    return tmp_path / "no-such-report.txt"


@pytest.mark.parametrize("make", [_non_report, _binary, _broken_pdf, _truncated, _missing])
def test_parse_json_rejects_with_one_line(
    tmp_path: Path, fresh_db: Path, make: Callable[[Path], Path]
) -> None:
    path = make(tmp_path)
    result = run("parse", "--json", str(path), db=fresh_db)
    assert result.returncode == 2
    assert result.stdout == ""
    assert len(result.stderr.splitlines()) == 1, result.stderr
    assert result.stderr.startswith(f"kompass parse: {path.name}")
    assert "Traceback" not in result.stderr
    assert not fresh_db.exists()


def test_check_explains_the_sala_discrepancy(fresh_db: Path) -> None:
    result = run("check", str(SALA), db=fresh_db)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "municipality  Sala (1981)" in out
    assert "framework     2020" in out
    assert "total         482" in out
    assert (
        "area 1: the area's 'Poäng' says 65 (line 132), the sub-area table gives 66; 66 is used"
        in out
    )
    assert "5 sub-areas" in out
    assert not fresh_db.exists()  # check never stores


def test_check_fails_with_exit_2_but_reports_the_good_files(tmp_path: Path, fresh_db: Path) -> None:
    bad = _truncated(tmp_path)
    result = run("check", str(SALA), str(bad), db=fresh_db)
    assert result.returncode == 2
    assert "Sala (1981)" in result.stdout
    [line] = result.stderr.splitlines()
    assert line.startswith("kompass check: sala-2023.txt")


# --- coded notices print in English (issue 9) ------------------------------------------


def test_import_warnings_and_errors_print_in_english(empty_db: Path, tmp_path: Path) -> None:
    header = "kommun,ar,ramverk," + ",".join(f"omrade{n}" for n in range(1, 9)) + ",kalla"
    eight = ",".join(["50"] * 8)
    good = tmp_path / "warn.csv"
    good.write_text(f"{header}\nHåbo,2015,2020,{eight},x\n", encoding="utf-8")
    result = run("import-scores", str(good), db=empty_db)
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines() == [
        f"{good}: warning: line 2: framework 2020 but year 2015; the 2020 framework is used "
        "in evaluations from 2020 on – check the framework"
    ]
    bad = tmp_path / "bad.csv"
    bad.write_text(f"{header}\nSalla,2021,2020,{eight},\n", encoding="utf-8")
    result = run("import-scores", str(bad), db=empty_db)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f'{bad}: line 2, column kommun: "Salla" is not a known municipality '
        "(give its name or SCB code)",
        f"{bad}: line 2, column kalla: value missing",
        "kompass import-scores: 2 error(s); nothing stored",
    ]


def test_parse_json_writes_warnings_as_english_text(fresh_db: Path) -> None:
    """Warnings are Notices inside kompass; the JSON contract keeps them plain strings."""
    result = run("parse", "--json", str(SAMPLE_REPORTS / "lund-2011.txt"), db=fresh_db)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["warnings"] == ["evaluators not named in the title block"]


def test_ingest_without_paths_loads_the_samples_and_the_published_results(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from kompass import cli, queries

    db = tmp_path / "k.duckdb"
    assert cli.main(["ingest", "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert "published/results.csv: added, 10 of 10 rows stored" in out
    evals = queries.evaluations(db)
    vallentuna = evals[(evals.name == "Vallentuna") & (evals.year == 2021)].iloc[0]
    assert vallentuna.total == 648 and vallentuna.origin == "import"
    assert vallentuna.source_note.startswith("https://www.vallentuna.se/")
    # Again: nothing changes.
    assert cli.main(["ingest", "--db", str(db)]) == 0
    assert "published/results.csv: unchanged" in capsys.readouterr().out

"""The store: counts from the sample reports, idempotence, replacement, rollback, locks.

Expected numbers were checked by hand against `data/reports/`: sub-area rows
in each "Översikt av poängfördelning" (burlov 35, hoganas 45, lund 45, sala
36, svenljunga 36), bullet items in the Styrkor/Förbättringsmöjligheter
tables of sala (87) and burlov (63), and the sala-2023 summary table. The
total number of findings follows the parser (still being refined).
"""

from __future__ import annotations

import dataclasses
import subprocess
import sys
from pathlib import Path
from typing import Any

import duckdb
import pytest

from kompass.parse import ParseError, parse_report
from kompass.parse.model import FINDING_KINDS
from kompass.store import (
    StoreLockedError,
    connect,
    ingest,
    ingest_many,
    init_store,
    store_evaluation,
    table_counts,
)
from tests.helpers.db import dump, rows

SAMPLE_REPORTS = Path(__file__).resolve().parents[2] / "data" / "reports"
SALA = SAMPLE_REPORTS / "sala-2023.txt"

REFERENCE_COUNTS = {"municipality": 290, "neighbour": 1456, "framework_area": 22}
SAMPLE_COUNTS = {
    **REFERENCE_COUNTS,
    "report": 5,
    "evaluation": 6,  # five reports + Sala 2019 stated in sala-2023
    "area_score": 48,  # 6 evaluations x 8 areas
    "subarea_score": 197,  # 35 + 45 + 45 + 36 + 36
    "reference_series": 1,  # "Medel 2020-" in sala-2023
    "reference_score": 8,
    "discrepancy": 5,  # sala 1, hoganas 2, svenljunga 2, 5, 6
    "superseded": 0,
    "meta": 2,  # schema_version, kompass_version (the kompass that last wrote it)
    "original": 5,  # each report's bytes (schema version 5)
    "audit": 0,  # the fixture's ingest records no audit (only the CLI and the app do)
}


@pytest.fixture(scope="module")
def sample_counts() -> dict[str, int]:
    """SAMPLE_COUNTS plus the number of findings the parser finds in the samples.

    How many findings there are is the parser's call (sala 87 and burlov 63 are
    checked by hand below); the store must keep every one.
    """
    parsed = [parse_report(p) for p in sorted(SAMPLE_REPORTS.glob("*.txt"))]
    n_findings = sum(
        len(getattr(area, kind)) for e in parsed for area in e.areas for kind in FINDING_KINDS
    )
    return {**SAMPLE_COUNTS, "finding": n_findings}


def edited_copy(tmp_path: Path, name: str, *edits: tuple[str, str]) -> Path:
    """sala-2023.txt with each (old, new) text replaced exactly once."""
    text = SALA.read_text(encoding="utf-8")
    for old, new in edits:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# --- contents ---------------------------------------------------------------------


def test_sample_counts(sample_db: Path, sample_counts: dict[str, int]) -> None:
    assert table_counts(sample_db) == sample_counts


def test_subareas_and_findings_per_report(sample_db: Path) -> None:
    got = dict(
        rows(
            sample_db,
            "SELECT r.file_name, count(*) FROM subarea_score s "
            "JOIN evaluation e USING (evaluation_id) JOIN report r USING (report_id) "
            "GROUP BY ALL",
        )
    )
    assert got == {
        "burlov-2020.txt": 35,
        "hoganas-2018.txt": 45,
        "lund-2011.txt": 45,
        "sala-2023.txt": 36,
        "svenljunga-2022.txt": 36,
    }
    findings = dict(
        rows(
            sample_db,
            "SELECT r.file_name, count(*) FROM finding f "
            "JOIN evaluation e USING (evaluation_id) JOIN report r USING (report_id) "
            "WHERE r.file_name IN ('sala-2023.txt', 'burlov-2020.txt') GROUP BY ALL",
        )
    )
    assert findings == {"sala-2023.txt": 87, "burlov-2020.txt": 63}


def test_sala_2019_is_stated_in_sala_2023(sample_db: Path) -> None:
    [(origin, framework, total, note, file_name)] = rows(
        sample_db,
        "SELECT e.origin, e.framework, e.total, e.source_note, r.file_name "
        "FROM evaluation e JOIN report r USING (report_id) "
        "WHERE e.municipality_code = '1981' AND e.year = 2019",
    )
    assert (origin, framework, total, file_name) == (
        "stated_in_report",
        "2020",
        363,
        "sala-2023.txt",
    )
    assert note.startswith("stated in sala-2023.txt (summary table, line 76)")
    assert "framework was revised" in note
    scores = rows(
        sample_db,
        "SELECT a.area, a.score, a.line FROM area_score a JOIN evaluation e USING (evaluation_id) "
        "WHERE e.municipality_code = '1981' AND e.year = 2019 ORDER BY a.area",
    )
    assert [s for _, s, _ in scores] == [51, 40, 46, 50, 39, 48, 26, 63]
    assert scores[6][:2] == (7, 26)
    assert {line for _, _, line in scores} == {76}


def test_reference_series_medel_2020(sample_db: Path) -> None:
    [(ref_id, label, framework, year, total, note, line)] = rows(
        sample_db,
        "SELECT reference_id, label, framework, year, total, source_note, line "
        "FROM reference_series",
    )
    assert (label, framework, year, total, line) == ("Medel 2020-", "2020", 2020, 515, 76)
    assert note == "stated in sala-2023.txt"
    scores = rows(
        sample_db,
        "SELECT score FROM reference_score WHERE reference_id = ? ORDER BY area",
        [ref_id],
    )
    assert [s for (s,) in scores] == [64, 65, 71, 64, 61, 57, 68, 65]


def test_discrepancies_known_in_the_samples(sample_db: Path) -> None:
    got = set(
        rows(
            sample_db,
            "SELECT e.municipality_code, d.area, d.kind, d.stated, d.chosen, d.line "
            "FROM discrepancy d JOIN evaluation e USING (evaluation_id)",
        )
    )
    assert got == {
        ("1981", 1, "area_header", 65, 66, 132),
        ("1284", 2, "area_header", 66, 67, 137),
        ("1465", 2, "area_header", 58, 63, 152),
        ("1465", 5, "area_header", 54, 55, 331),
        ("1465", 6, "area_header", 61, 62, 373),
    }


def test_every_report_number_has_a_line(sample_db: Path) -> None:
    missing = rows(
        sample_db,
        "SELECT e.evaluation_id, a.area FROM area_score a JOIN evaluation e USING (evaluation_id) "
        "WHERE e.origin = 'report' AND (a.line IS NULL OR a.stated_line IS NULL)",
    )
    assert missing == []
    assert rows(sample_db, "SELECT count(*) FROM subarea_score WHERE line IS NULL") == [(0,)]
    [(n_report_areas,)] = rows(
        sample_db,
        "SELECT count(*) FROM area_score JOIN evaluation USING (evaluation_id) "
        "WHERE origin = 'report'",
    )
    assert n_report_areas == 40


def test_reference_tables_are_loaded(empty_db: Path) -> None:
    counts = table_counts(empty_db)
    assert {t: counts[t] for t in REFERENCE_COUNTS} == REFERENCE_COUNTS
    assert counts["evaluation"] == counts["report"] == 0
    [(name, lat, lon)] = rows(
        empty_db, "SELECT name, lat, lon FROM municipality WHERE code = '1981'"
    )
    assert name == "Sala"
    assert 59 < lat < 61 and 16 < lon < 17
    assert rows(empty_db, "SELECT count(*) FROM municipality WHERE lat IS NULL") == [(0,)]
    init_store(empty_db)
    assert table_counts(empty_db) == counts


def test_read_only_open_of_missing_file_initialises_it(fresh_db: Path) -> None:
    with connect(fresh_db, read_only=True) as con:
        assert con.execute("SELECT count(*) FROM municipality").fetchone() == (290,)
    assert fresh_db.exists()


# --- ingest rules -----------------------------------------------------------------


def test_ingest_into_fresh_db_creates_folder(fresh_db: Path) -> None:
    result = ingest(SALA, fresh_db)
    assert (result.status, result.municipality, result.year, result.total) == (
        "added",
        "Sala",
        2023,
        482,
    )
    assert (result.n_discrepancies, result.n_warnings) == (1, 0)
    assert table_counts(fresh_db)["evaluation"] == 2


def test_reingest_is_a_no_op(empty_db: Path) -> None:
    first, failures = ingest_many([SAMPLE_REPORTS], empty_db)
    assert not failures and [r.status for r in first] == ["added"] * 5
    before = dump(empty_db)
    again, failures = ingest_many([SAMPLE_REPORTS], empty_db)
    assert not failures and [r.status for r in again] == ["unchanged"] * 5
    assert [r.evaluation_id for r in again] == [r.evaluation_id for r in first]
    assert dump(empty_db) == before  # same rows, same ingested_at


def test_changed_report_replaces_the_evaluation(
    sample_db_copy: Path, tmp_path: Path, sample_counts: dict[str, int]
) -> None:
    db = sample_db_copy
    old_report = rows(db, "SELECT report_id, sha256 FROM report WHERE file_name = 'sala-2023.txt'")
    changed = edited_copy(
        tmp_path,
        "sala-2023-rev.txt",
        ("2.1\tStrategiskt arbete\t10\t15", "2.1\tStrategiskt arbete\t11\t15"),
        ("kultur\t17\t25\n\t\t60\t100", "kultur\t17\t25\n\t\t61\t100"),
        # the summary table, its total and the area's "Poäng" agree with the new value
        ("2. Samhällsutveckling\t60\t40", "2. Samhällsutveckling\t61\t40"),
        ("Totalt\t482\t363", "Totalt\t483\t363"),
        ("Poäng\t\n60\t\nStyrkor", "Poäng\t\n61\t\nStyrkor"),
    )
    result = ingest(changed, db)
    assert (result.status, result.other_file) == ("replaced", "sala-2023.txt")
    # The old file's hash is kept as superseded (issue 8, item 6).
    # Both files' bytes stay kept: the old one's beside its superseded hash.
    assert table_counts(db) == {**sample_counts, "superseded": 1, "original": 6}
    [(evaluation_id, report_id, total)] = rows(
        db,
        "SELECT evaluation_id, report_id, total FROM evaluation "
        "WHERE municipality_code = '1981' AND year = 2023",
    )
    assert (evaluation_id, total) == (result.evaluation_id, 483)
    assert rows(
        db,
        "SELECT score FROM subarea_score WHERE evaluation_id = ? AND code = '2.1'",
        [evaluation_id],
    ) == [(11,)]
    assert rows(
        db, "SELECT score FROM area_score WHERE evaluation_id = ? AND area = 2", [evaluation_id]
    ) == [(61,)]
    assert rows(db, "SELECT count(*) FROM report WHERE report_id = ?", [old_report[0][0]]) == [(0,)]
    assert rows(db, "SELECT count(*) FROM report WHERE sha256 = ?", [old_report[0][1]]) == [(0,)]
    # Sala 2019 and the mean now come from the new file.
    assert rows(
        db,
        "SELECT e.origin, r.file_name FROM evaluation e JOIN report r USING (report_id) "
        "WHERE e.municipality_code = '1981' AND e.year = 2019",
    ) == [("stated_in_report", "sala-2023-rev.txt")]
    assert rows(db, "SELECT report_id FROM reference_series") == [(report_id,)]
    orphans = rows(
        db,
        "SELECT count(*) FROM area_score WHERE evaluation_id NOT IN "
        "(SELECT evaluation_id FROM evaluation)",
    )
    assert orphans == [(0,)]


def _fake_sala_2019_report() -> tuple[Any, bytes]:
    """A "real" Sala 2019 report: sala-2023 parsed, then moved to 2019 (no summary)."""
    evaluation = dataclasses.replace(
        parse_report(SALA), year=2019, previous_evaluations=[], references=[]
    )
    return evaluation, b"a different file: Sala 2019"


def test_stated_evaluation_never_overwrites_a_report(empty_db: Path) -> None:
    evaluation, data = _fake_sala_2019_report()
    store_evaluation(evaluation, data, "sala-2019.txt", "text", empty_db)
    assert ingest(SALA, empty_db).status == "added"
    assert rows(
        empty_db,
        "SELECT e.origin, e.total, r.file_name FROM evaluation e JOIN report r USING (report_id) "
        "WHERE e.municipality_code = '1981' AND e.year = 2019",
    ) == [("report", 482, "sala-2019.txt")]


def test_report_replaces_a_stated_evaluation(empty_db: Path) -> None:
    ingest(SALA, empty_db)
    evaluation, data = _fake_sala_2019_report()
    result = store_evaluation(evaluation, data, "sala-2019.txt", "text", empty_db)
    assert result.status == "added"
    assert rows(
        empty_db,
        "SELECT origin, total FROM evaluation WHERE municipality_code = '1981' AND year = 2019",
    ) == [("report", 482)]
    assert table_counts(empty_db)["area_score"] == 16
    assert table_counts(empty_db)["report"] == 2


@pytest.mark.parametrize(
    "edits",
    [
        pytest.param(None, id="truncated"),
        pytest.param(
            (
                "1.1\tStrategi för demokratiutveckling och information\t13\t20",
                "1.1\tStrategi för demokratiutveckling och information\t23\t20",
            ),
            id="impossible-score",
        ),
    ],
)
def test_failed_ingest_changes_nothing(
    sample_db_copy: Path, tmp_path: Path, edits: tuple[str, str] | None
) -> None:
    if edits is None:
        bad = tmp_path / "sala-2023.txt"
        bad.write_text("\n".join(SALA.read_text(encoding="utf-8").split("\n")[:300]))
    else:
        bad = edited_copy(tmp_path, "sala-2023.txt", edits)
    before = dump(sample_db_copy)
    with pytest.raises(ParseError):
        ingest(bad, sample_db_copy)
    assert dump(sample_db_copy) == before


def test_failure_inside_the_transaction_rolls_back(sample_db_copy: Path) -> None:
    """A replacement that fails after deleting the old rows leaves everything as it was."""
    evaluation = parse_report(SALA)
    area = evaluation.areas[1]
    area.subareas.append(dataclasses.replace(area.subareas[0]))  # duplicate key "2.1"
    before = dump(sample_db_copy)
    with pytest.raises(duckdb.ConstraintException):
        store_evaluation(evaluation, b"changed bytes", "sala-2023.txt", "text", sample_db_copy)
    assert dump(sample_db_copy) == before


def test_folder_with_a_bad_file_keeps_the_good_ones(empty_db: Path, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a-bad.txt").write_text("Kommunkompassen\nnothing else\n", encoding="utf-8")
    (folder / "sala-2023.txt").write_bytes(SALA.read_bytes())
    (folder / "notes.csv").write_text("ignored", encoding="utf-8")
    results, failures = ingest_many([folder], empty_db)
    assert [r.file_name for r in results] == ["sala-2023.txt"]
    assert [Path(f).name for f, _ in failures] == ["a-bad.txt"]
    message = failures[0][1]
    assert message and "\n" not in message and "a-bad.txt" not in message  # the file is beside it
    assert table_counts(empty_db)["evaluation"] == 2


# --- locks ------------------------------------------------------------------------

HOLD_LOCK = """
import sys, time, duckdb
con = duckdb.connect(sys.argv[1])
print("locked", flush=True)
time.sleep(60)
"""


def test_locked_database_raises_store_locked_error(empty_db: Path) -> None:
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, str(empty_db)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        with pytest.raises(StoreLockedError) as info:
            ingest(SALA, empty_db)
        message = str(info.value)
        assert str(empty_db) in message
        assert "in use by another process; try again in a moment" in message
        assert isinstance(info.value.__cause__, duckdb.Error)
    finally:
        holder.kill()
        holder.wait()
    assert ingest(SALA, empty_db).status == "added"

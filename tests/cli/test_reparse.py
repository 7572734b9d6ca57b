"""`kompass reparse` after a deliberate change of a parse rule (issue 13, acceptance).

The changed rule: "the area's own 'Poäng' wins over its sub-area table" (today the
sub-area table wins and the difference is kept as an `area_header` discrepancy).
Three sample reports have such a difference (Höganäs area 2, Sala area 1,
Svenljunga areas 2, 5 and 6). Parsing happens in worker processes (fresh
interpreters, `parse.budget`), so the rule is changed where they start: a
`sitecustomize` module on their PYTHONPATH patches `kompass.parse.report.build_area`.
This tests reparse, not the parser, so patching the parser is the point.
"""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path
from typing import Any

import pytest

from kompass import cli
from kompass.store import ingest, reparse
from tests.helpers.db import dump, raw_sql, rows

SAMPLE_REPORTS = Path(__file__).resolve().parents[2] / "data" / "reports"
SALA = SAMPLE_REPORTS / "sala-2023.txt"

CHANGED_RULE = textwrap.dedent(
    '''
    """Test only: the area's own 'Poäng' wins (kompass reparse tests)."""
    import dataclasses

    from kompass.parse import report

    _build_area = report.build_area


    def build_area(lines, heading, end, table, framework, summary, warnings, discrepancies):
        area = _build_area(lines, heading, end, table, framework, summary, warnings, discrepancies)
        for d in [d for d in discrepancies if d.kind == "area_header" and d.area == area.number]:
            discrepancies.remove(d)
            area = dataclasses.replace(area, score=d.stated)
        return area


    report.build_area = build_area
    '''
)

SALA_LINE = (
    "Sala 2023: omrade1 66 → 65; total 482 → 481; "
    "discrepancies 1 → 1 (+total, -area_header omrade1) (sala-2023.txt)"
)
HOGANAS_LINE = (
    "Höganäs 2018: omrade2 67 → 66; total 549 → 548; "
    "discrepancies 1 → 0 (-area_header omrade2) (hoganas-2018.txt)"
)


@pytest.fixture
def changed_rule(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The parse workers started from now on parse by the changed rule."""
    folder = tmp_path / "changed-rule"
    folder.mkdir()
    (folder / "sitecustomize.py").write_text(CHANGED_RULE, encoding="utf-8")
    monkeypatch.setenv("PYTHONPATH", str(folder))


def run(capsys: pytest.CaptureFixture[str], db: Path, *args: str) -> tuple[int, str, str]:
    code = cli.main(["reparse", "--db", str(db), *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def scores(db: Path, code: str, year: int) -> tuple[Any, ...]:
    """(total, area scores, discrepancy kinds) of the stored evaluation."""
    [(evaluation_id, total)] = rows(
        db,
        "SELECT evaluation_id, total FROM evaluation WHERE municipality_code = ? AND year = ?",
        [code, year],
    )
    areas = rows(
        db, "SELECT area, score FROM area_score WHERE evaluation_id = ? ORDER BY 1", [evaluation_id]
    )
    kinds = rows(
        db,
        "SELECT kind, area, stated, chosen FROM discrepancy WHERE evaluation_id = ? ORDER BY ALL",
        [evaluation_id],
    )
    return total, dict(areas), kinds


def test_without_a_parser_change_nothing_changes(
    sample_db_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = dump(sample_db_copy)
    code, out, err = run(capsys, sample_db_copy)
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        f"5 kept reports: 0 changed, 5 unchanged, 0 skipped, 0 failed "
        f"(nothing to store; {sample_db_copy})"
    ]
    assert dump(sample_db_copy) == before


def test_dry_run_lists_the_changes_and_stores_nothing(
    sample_db_copy: Path, changed_rule: None, capsys: pytest.CaptureFixture[str]
) -> None:
    before = dump(sample_db_copy)
    code, out, err = run(capsys, sample_db_copy, "--dry-run")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0] == HOGANAS_LINE and lines[1] == SALA_LINE
    assert lines[2].startswith("Svenljunga 2022: omrade2 63 → 58; omrade5 55 → 54; omrade6 62 → 61")
    assert lines[3:] == [
        "5 kept reports: 3 would change, 2 unchanged, 0 skipped, 0 failed "
        f"(dry run, nothing stored; {sample_db_copy})"
    ]
    assert dump(sample_db_copy) == before


def test_reparse_stores_the_changes_and_a_second_finds_none(
    sample_db_copy: Path, changed_rule: None, capsys: pytest.CaptureFixture[str]
) -> None:
    db = sample_db_copy
    ingested = rows(db, "SELECT file_name, ingested_at FROM report ORDER BY 1")
    stated = rows(db, "SELECT year, total, origin FROM evaluation WHERE year = 2019")
    means = rows(db, "SELECT label, total FROM reference_series")

    code, out, _ = run(capsys, db)
    assert code == 0
    assert SALA_LINE in out.splitlines()
    assert f"3 changed, 2 unchanged, 0 skipped, 0 failed (stored; {db})" in out

    total, areas, kinds = scores(db, "1981", 2023)
    assert total == 481 and areas[1] == 65
    assert [(k, a) for k, a, *_ in kinds] == [("total", None)]
    assert scores(db, "1284", 2018)[0] == 548  # Höganäs
    # The report is the same file: its ingest time, its stated results and means stay.
    assert rows(db, "SELECT file_name, ingested_at FROM report ORDER BY 1") == ingested
    assert rows(db, "SELECT year, total, origin FROM evaluation WHERE year = 2019") == stated
    assert rows(db, "SELECT label, total FROM reference_series") == means
    assert rows(db, "SELECT count(*) FROM superseded") == [(0,)]
    # One audit row per changed report, written with the change, by the CLI.
    audit = rows(db, "SELECT via, action, file_name, result FROM audit ORDER BY file_name")
    assert [(v, a, f) for v, a, f, _ in audit] == [
        ("cli", "reparse", "hoganas-2018.txt"),
        ("cli", "reparse", "sala-2023.txt"),
        ("cli", "reparse", "svenljunga-2022.txt"),
    ]
    assert audit[1][3] == "reparsed: " + SALA_LINE.removeprefix("Sala 2023: ").removesuffix(
        " (sala-2023.txt)"
    )

    after = dump(db)
    code, out, _ = run(capsys, db)
    assert code == 0
    assert out.splitlines() == [
        f"5 kept reports: 0 changed, 5 unchanged, 0 skipped, 0 failed (nothing to store; {db})"
    ]
    assert dump(db) == after


def test_a_failed_reparse_leaves_the_store_as_it_was(
    sample_db_copy: Path,
    changed_rule: None,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The second report's replacement fails after the first one's was written."""
    real = reparse.replace_report
    calls: list[str] = []

    def fails_second(con: Any, change: reparse.Change) -> None:
        calls.append(change.file_name)
        if len(calls) == 2:
            raise RuntimeError("injected failure")
        real(con, change)

    monkeypatch.setattr(reparse, "replace_report", fails_second)
    before = dump(sample_db_copy)
    code, out, err = run(capsys, sample_db_copy)
    assert code == 1 and out == ""
    assert err.startswith("kompass reparse: internal error (RuntimeError: injected failure)")
    assert err.rstrip().endswith("nothing stored")
    assert len(calls) == 2
    assert dump(sample_db_copy) == before


def test_imported_values_recorded_against_a_report_are_compared_again(
    sample_db_copy: Path, changed_rule: None, capsys: pytest.CaptureFixture[str]
) -> None:
    """A published result that disagrees with Sala's report stays a discrepancy of the
    report's evaluation, now against the report's new numbers."""
    from kompass.store.imports import import_scores

    areas = ",".join(f"omrade{n}" for n in range(1, 9))
    text = f"kommun,ar,ramverk,{areas},total,kalla\nSala,2023,2020,70,,,,,,,,,Tidningen\n"
    import_scores(text.encode(), "sala.csv", sample_db_copy)
    published = [d for d in scores(sample_db_copy, "1981", 2023)[2] if d[0] == "published"]
    assert published == [("published", 1, 70.0, 66.0)]

    assert run(capsys, sample_db_copy)[0] == 0
    published = [d for d in scores(sample_db_copy, "1981", 2023)[2] if d[0] == "published"]
    assert published == [("published", 1, 70.0, 65.0)]


def test_superseded_and_unkept_reports_are_named(
    sample_db_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = sample_db_copy
    fixed = tmp_path / "sala-2023-rattad.txt"
    shutil.copyfile(SALA, fixed)
    with fixed.open("a", encoding="utf-8") as f:
        f.write("\n")  # other bytes, the same evaluation: it replaces sala-2023.txt
    assert ingest(fixed, db).status == "replaced"
    # As if Lund had been ingested before schema version 5 kept originals.
    raw_sql(db, "DELETE FROM original WHERE file_name = 'lund-2011.txt'")

    code, out, _ = run(capsys, db, "--dry-run")
    assert code == 0
    assert out.splitlines() == [
        "sala-2023.txt: skipped: superseded by sala-2023-rattad.txt",
        f"4 kept reports: 0 would change, 4 unchanged, 1 skipped, 0 failed "
        f"(dry run, nothing stored; {db})",
        "1 report has no kept original (ingested before kompass kept them, schema version 5); "
        "ingest it again to keep it",
    ]

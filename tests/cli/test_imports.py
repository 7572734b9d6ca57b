"""`kompass import-scores`, `import-reference` and `ingest` with published results (issue 11),
run as a user would: the console script in a subprocess, real DuckDB files.

Partial rows and means are taken; a mean with eight areas and no total says its total
is their sum; a row that disagrees with a stored report is skipped and the difference
kept. The English on the command line is the notices' own (the app words them in Swedish).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from tests.helpers.db import dump, rows

KOMPASS = Path(sys.executable).with_name("kompass")
REPORTS = Path(__file__).resolve().parents[2] / "data" / "reports"
AREAS = ",".join(f"omrade{n}" for n in range(1, 9))
SCORES_HEADER = f"kommun,ar,manad,ramverk,{AREAS},total,kalla"
REFERENCE_HEADER = f"etikett,ramverk,ar,{AREAS},total,kalla"


def run(*args: str, db: Path, data: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "KOMPASS_DB": str(db)}
    env.pop("KOMPASS_DATA", None)
    if data is not None:
        env["KOMPASS_DATA"] = str(data)
    return subprocess.run(
        [str(KOMPASS), *args], env=env, capture_output=True, text=True, timeout=120
    )


def test_import_scores_takes_partial_rows(empty_db: Path, tmp_path: Path) -> None:
    path = tmp_path / "delvis.csv"
    path.write_text(
        f"{SCORES_HEADER}\n"
        "Håbo,2021,,2020,,,61,,,,,,,Ett område\n"
        "Lund,2021,,2020,70,,,55,,,,80,,Tre områden\n"
        "Örebro,2021,,2020,,,,,,,,,497,Bara total\n"
        "Sala,2021,,2020,50,50,50,50,50,50,50,50,,Åtta områden\n",
        encoding="utf-8",
    )
    result = run("import-scores", str(path), db=empty_db)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert result.stdout.splitlines() == [
        f"delvis.csv: 4 row(s) stored, 0 replaced an earlier value, 0 skipped ({empty_db})"
    ]
    assert rows(
        empty_db,
        "SELECT e.code, e.total, e.total_computed, count(a.area) FROM evaluation_detail e "
        "LEFT JOIN area_score a USING (evaluation_id) GROUP BY ALL ORDER BY e.code",
    ) == [
        ("0305", None, False, 1),
        ("1281", None, False, 3),
        ("1880", 497.0, False, 0),
        ("1981", 400.0, True, 8),
    ]


def test_import_scores_refuses_a_row_without_any_value(empty_db: Path, tmp_path: Path) -> None:
    path = tmp_path / "tom.csv"
    path.write_text(
        f"{SCORES_HEADER}\nHåbo,2021,,2020,61,,,,,,,,,x\nLund,2021,,2020,,,,,,,,,,y\n",
        encoding="utf-8",
    )
    before = dump(empty_db)
    result = run("import-scores", str(path), db=empty_db)
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr.splitlines() == [
        f"{path}: line 3: neither area scores nor a total; give at least one area score or a total",
        "kompass import-scores: 1 error(s); nothing stored",
    ]
    assert dump(empty_db) == before


def test_import_scores_warns_about_a_total_the_areas_do_not_add_up_to(
    empty_db: Path, tmp_path: Path
) -> None:
    path = tmp_path / "summa.csv"
    eight = ",".join(["50"] * 8)
    path.write_text(f"{SCORES_HEADER}\nHåbo,2021,,2020,{eight},410,x\n", encoding="utf-8")
    result = run("import-scores", str(path), db=empty_db)
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines() == [
        f"{path}: warning: line 2: total 410 but the areas add up to 400; the stated total "
        "is kept and the difference stored as a discrepancy"
    ]
    assert rows(empty_db, "SELECT total FROM evaluation") == [(410.0,)]
    assert rows(empty_db, "SELECT kind, stated, chosen FROM discrepancy") == [
        ("import_total", 400.0, 410.0)
    ]


def test_import_reference_takes_partial_means_and_says_when_it_sums(
    empty_db: Path, tmp_path: Path
) -> None:
    path = tmp_path / "medel.csv"
    path.write_text(
        f"{REFERENCE_HEADER}\n"
        "Sverigesnitt,2020,2021,63,,,,,,,,,x\n"
        "Medel 40,2020,2022,63,65,73,64,61,59,68,64,,y\n",
        encoding="utf-8",
    )
    result = run("import-reference", str(path), db=empty_db)
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines() == [
        f"{path}: warning: line 3: no total given; the total is the sum of the eight areas, 517"
    ]
    assert rows(
        empty_db,
        "SELECT s.label, s.total, count(r.area) FROM reference_series s "
        "LEFT JOIN reference_score r USING (reference_id) GROUP BY ALL ORDER BY 1",
    ) == [("Medel 40", 517.0, 8), ("Sverigesnitt", None, 1)]


def test_import_scores_after_a_report_names_the_difference(
    sample_db_copy: Path, tmp_path: Path
) -> None:
    """Sala 2023's report says area 3 = 66 and a total of 482."""
    path = tmp_path / "sala.csv"
    path.write_text(
        f"{SCORES_HEADER}\nSala,2023,,2020,,,70,,,,,,486,https://example.org/sala\n",
        encoding="utf-8",
    )
    result = run("import-scores", str(path), db=sample_db_copy)
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines() == [
        f"{path}: line 2: skipped: Sala 2023 is already stored from the report sala-2023.txt; "
        "a report goes before an import; the row differs from it in omrade3, total "
        "(kept as discrepancies)"
    ]
    assert rows(
        sample_db_copy,
        "SELECT e.origin, d.area, d.stated, d.chosen, d.note FROM discrepancy d "
        "JOIN evaluation e USING (evaluation_id) WHERE d.kind = 'published' ORDER BY 2",
    ) == [
        ("report", 3, 70.0, 66.0, "https://example.org/sala"),
        ("report", None, 486.0, 482.0, "https://example.org/sala"),
    ]


def test_ingest_without_paths_keeps_a_published_difference(fresh_db: Path, tmp_path: Path) -> None:
    """`kompass ingest` loads the reports, then data/published: the report wins, and the
    published number that differs is kept beside it, as format 'published'."""
    data = tmp_path / "data"
    (data / "reports").mkdir(parents=True)
    (data / "published").mkdir()
    shutil.copyfile(REPORTS / "sala-2023.txt", data / "reports" / "sala-2023.txt")
    (data / "published" / "results.csv").write_text(
        f"{SCORES_HEADER}\n"
        "Sala,2023,,2020,,,,,,,,,486,https://example.org/sala\n"
        "Håbo,2021,,2020,,,61,,,,,,,https://example.org/habo\n",
        encoding="utf-8",
    )
    result = run("ingest", db=fresh_db, data=data)
    assert result.returncode == 0, result.stderr
    assert "published/results.csv: added, 1 of 2 rows stored" in result.stdout
    assert rows(
        fresh_db,
        "SELECT code, year, origin, published FROM evaluation_detail ORDER BY code, year",
    ) == [
        ("0305", 2021, "import", True),
        ("1981", 2019, "stated_in_report", False),  # stated in sala-2023.txt
        ("1981", 2023, "report", False),
    ]
    published = "SELECT area, stated, chosen, note FROM discrepancy WHERE kind = 'published'"
    assert rows(fresh_db, published) == [(None, 486.0, 482.0, "https://example.org/sala")]
    again = run("ingest", db=fresh_db, data=data)
    assert again.returncode == 0, again.stderr
    assert rows(fresh_db, published) == [(None, 486.0, 482.0, "https://example.org/sala")]

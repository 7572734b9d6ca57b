"""The published results in `data/published/` (issue 11 point 5): sourced, in range, importable,
and how the store keeps them beside the reports.

Every row quotes a public source (`data/published/SOURCES.md`); these tests
check the files' form, not the sources. Rows that give some areas but not
all eight ("partial rows") are what a partial source states, and the
validator takes them (issue 11 point 1).

`load_published` marks its files' rows with report.format 'published' (the views'
`published` column). Where a report and a published result for the same
municipality and year disagree, the report wins and each differing number is a
discrepancy of kind 'published', whichever of the two came first.
"""

from __future__ import annotations

import csv
import io
import math
from datetime import UTC, datetime
from pathlib import Path

import pytest

from kompass.store import ingest, ingest_many
from kompass.store.imports import (
    AREA_COLUMNS,
    FIRST_YEAR,
    FRAMEWORKS,
    REFERENCE_COLUMNS,
    SCORE_COLUMNS,
    ImportValidationError,
    import_reference,
    import_scores,
    load_published,
    parse_number,
    read_reference,
    read_scores,
)
from tests.helpers.db import dump, rows

PUBLISHED = Path(__file__).resolve().parents[2] / "data" / "published"
REPORTS = Path(__file__).resolve().parents[2] / "data" / "reports"
RESULTS = PUBLISHED / "results.csv"
MEANS = PUBLISHED / "means.csv"
AREA_MAX, TOTAL_MAX = 100.0, 800.0


def _rows(path: Path) -> list[dict[str, str]]:
    text = path.read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text), delimiter=";"))


def _header(path: Path) -> str:
    return path.read_text(encoding="utf-8").splitlines()[0]


def _lines(path: Path) -> list[str]:
    return [line for line in path.read_text(encoding="utf-8").splitlines()[1:] if line]


def _n_areas(row: dict[str, str]) -> int:
    return sum(1 for column in AREA_COLUMNS if row[column].strip())


def _number(text: str) -> float:
    value = parse_number(text)
    assert value is not None, f"{text!r} is not a number"
    return value


@pytest.mark.parametrize(
    ("path", "columns"), [(RESULTS, SCORE_COLUMNS), (MEANS, REFERENCE_COLUMNS)]
)
def test_files_have_the_import_header(path: Path, columns: tuple[str, ...]) -> None:
    assert _header(path).split(";") == list(columns)
    assert _rows(path), f"{path.name} has no rows"


@pytest.mark.parametrize("path", [RESULTS, MEANS])
def test_every_row_names_an_http_source(path: Path) -> None:
    for row in _rows(path):
        source = row["kalla"].strip()
        assert source.startswith(("https://", "http://")), row
        assert " " not in source, row


@pytest.mark.parametrize("path", [RESULTS, MEANS])
def test_every_number_is_in_range(path: Path) -> None:
    last_year = datetime.now(UTC).year + 1
    for row in _rows(path):
        assert FIRST_YEAR <= int(row["ar"]) <= last_year, row
        assert row["ramverk"] in FRAMEWORKS, row
        for column in AREA_COLUMNS:
            if row[column].strip():
                assert 0 <= _number(row[column]) <= AREA_MAX, (column, row)
        if row["total"].strip():
            assert 0 <= _number(row["total"]) <= TOTAL_MAX, row
        if row.get("manad", "").strip():
            assert 1 <= int(row["manad"]) <= 12, row
        if row.get("antal_kommuner", "").strip():
            assert 1 <= int(row["antal_kommuner"]) <= 290, row


@pytest.mark.parametrize("path", [RESULTS, MEANS])
def test_every_row_has_a_score(path: Path) -> None:
    for row in _rows(path):
        assert _n_areas(row) or row["total"].strip(), row


def test_stated_totals_match_the_stated_areas() -> None:
    """A copying slip shows as a total that is not the sum of the areas beside it."""
    for row in _rows(RESULTS) + _rows(MEANS):
        if _n_areas(row) == len(AREA_COLUMNS) and row["total"].strip():
            areas = sum(_number(row[column]) for column in AREA_COLUMNS)
            assert math.isclose(areas, _number(row["total"]), abs_tol=0.5), row


def test_no_duplicate_municipality_and_year() -> None:
    keys = [(row["kommun"].strip().casefold(), row["ar"]) for row in _rows(RESULTS)]
    assert len(keys) == len(set(keys))


def test_no_duplicate_mean_series() -> None:
    keys = [(row["etikett"].strip().casefold(), row["ramverk"], row["ar"]) for row in _rows(MEANS)]
    assert len(keys) == len(set(keys))


def test_every_result_row_passes_the_validator() -> None:
    """Each row alone (so a bad row names itself) and the whole file, without warnings."""
    header, lines = _header(RESULTS), _lines(RESULTS)
    for line in lines:
        [row] = read_scores(f"{header}\n{line}\n".encode()).rows
        assert row.source.startswith(("https://", "http://")), line
    checked = read_scores(RESULTS.read_bytes())
    assert len(checked.rows) == len(lines) == len(_rows(RESULTS))
    assert not checked.warnings, [str(w) for w in checked.warnings]


def test_every_mean_row_passes_the_validator() -> None:
    """A mean without a total says that its total is the eight areas' sum, nothing else."""
    header, lines = _header(MEANS), _lines(MEANS)
    for line in lines:
        [row] = read_reference(f"{header}\n{line}\n".encode()).rows
        assert row.source.startswith(("https://", "http://")), line
    checked = read_reference(MEANS.read_bytes())
    assert len(checked.rows) == len(lines) == len(_rows(MEANS))
    computed = [r.line for r in checked.rows if r.total_computed]
    assert [(w.code, w.fields["line"]) for w in checked.warnings] == [
        ("import_reference_total_computed", line) for line in computed
    ]


# --- in the store: format 'published', the views' columns ------------------------------


def _view_columns(db: Path, view: str) -> list[str]:
    found = rows(
        db,
        "SELECT column_name FROM duckdb_columns() WHERE table_name = ? ORDER BY column_index",
        [view],
    )
    return [name for (name,) in found]


def test_the_views_keep_their_columns_and_add_the_flags_at_the_end(empty_db: Path) -> None:
    """The store contract of issue 11: earlier columns in their order, new ones trailing."""
    assert _view_columns(empty_db, "evaluation_detail") == [
        "evaluation_id", "code", "name", "county_code", "county_name", "kommungrupp_code",
        "kommungrupp_name", "population", "population_year", "year", "month", "framework",
        "origin", "evaluation_number", "interviewees", "evaluators", "total", "total_line",
        "source_note", "report_id", "file_name", "sha256", "format",
        "total_computed", "published",
    ]  # fmt: skip
    assert _view_columns(empty_db, "area_score_detail") == [
        "evaluation_id", "code", "name", "year", "framework", "origin", "area", "area_name",
        "score", "line", "stated_score", "stated_line", "file_name", "published",
    ]  # fmt: skip
    assert _view_columns(empty_db, "reference_detail") == [
        "reference_id", "label", "framework", "year", "n_municipalities", "total",
        "source_note", "line", "report_id", "file_name", "format", "report_code",
        "report_name", "report_year", "published",
    ]  # fmt: skip
    assert _view_columns(empty_db, "latest_scored_evaluation") == [
        "evaluation_id",
        "code",
        "year",
        "framework",
    ]


def test_published_files_are_marked_and_user_imports_are_not(empty_db: Path) -> None:
    results = load_published(PUBLISHED, empty_db)
    assert [r.file_name for r in results] == ["published/results.csv", "published/means.csv"]
    own = f"{_header(RESULTS)}\nHåbo;2021;;2020;;;;;;;;;400;Testdata\n"
    assert import_scores(own.encode(), "egen.csv", empty_db).rows_stored == 1
    assert rows(empty_db, "SELECT file_name, format FROM report ORDER BY 1") == [
        ("egen.csv", "csv"),
        ("published/means.csv", "published"),
        ("published/results.csv", "published"),
    ]
    flags = rows(empty_db, "SELECT DISTINCT file_name, published FROM evaluation_detail")
    assert sorted(flags) == [("egen.csv", False), ("published/results.csv", True)]
    assert rows(empty_db, "SELECT DISTINCT published FROM area_score_detail") == [(True,)]
    assert rows(empty_db, "SELECT DISTINCT published FROM reference_detail") == [(True,)]
    assert len(rows(empty_db, "SELECT * FROM evaluation")) == len(_rows(RESULTS)) + 1


def test_a_published_mean_is_replaced_by_an_imported_one_with_its_label(empty_db: Path) -> None:
    load_published(PUBLISHED, empty_db)
    [first] = _rows(MEANS)[:1]
    header = _header(MEANS)
    fixed = f"{header}\n{first['etikett']};{first['ramverk']};{first['ar']};;60;;;;;;;;;x\n"
    result = import_reference(fixed.encode(), "rattelse.csv", empty_db)
    assert [line for line, _ in result.replaced] == [2]
    assert rows(
        empty_db,
        "SELECT s.total, r.format FROM reference_series s JOIN report r USING (report_id) "
        "WHERE s.label = ?",
        [first["etikett"]],
    ) == [(None, "csv")]


# --- a report and a published result for the same evaluation (issue 11 point 5) --------

# Sala 2023 as a press release might give it: area 1 as in the report (66), area 3 wrong
# (report: 66), area 4 rounded (report: 57), the total wrong (report: 482). Lund 2011
# within rounding everywhere (report: area 1 42.2, total 458.9).
SALA_SOURCE = "https://example.org/sala-2023"
PUBLISHED_ROWS = (
    "kommun;ar;manad;ramverk;omrade1;omrade2;omrade3;omrade4;omrade5;omrade6;omrade7;omrade8;"
    "total;kalla\n"
    f"Sala;2023;;2020;66;;70;57,4;;;;;486;{SALA_SOURCE}\n"
    "Lund;2011;;2010;42;;;;;;;;459;https://example.org/lund-2011\n"
)
EXPECTED = [
    (3, "published", 70.0, 66.0, 2, SALA_SOURCE),
    (None, "published", 486.0, 482.0, 2, SALA_SOURCE),
]


def _published_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "published"
    folder.mkdir(parents=True)
    (folder / "results.csv").write_text(PUBLISHED_ROWS, encoding="utf-8")
    return folder


def _discrepancies(db: Path, code: str, year: int) -> list[tuple[object, ...]]:
    """The 'published' discrepancies of the stored evaluation, which must be the report's."""
    return rows(
        db,
        "SELECT d.area, d.kind, d.stated, d.chosen, d.line, d.note FROM discrepancy d "
        "JOIN evaluation e USING (evaluation_id) "
        "WHERE e.municipality_code = ? AND e.year = ? AND e.origin = 'report' "
        "AND d.kind = 'published' ORDER BY d.area NULLS LAST",
        [code, year],
    )


def test_published_after_the_report_keeps_the_difference(empty_db: Path, tmp_path: Path) -> None:
    ingest_many([REPORTS / "sala-2023.txt", REPORTS / "lund-2011.txt"], empty_db)
    sala = rows(empty_db, "SELECT * FROM evaluation WHERE municipality_code = '1981'")
    [result] = load_published(_published_folder(tmp_path), empty_db)
    assert (result.rows_stored, len(result.skipped)) == (0, 2)
    (_, differs), (_, same) = result.skipped
    assert differs.code == "import_skipped_report_differs"
    assert differs.fields["columns"] == "omrade3, total"
    assert same.code == "import_skipped_report_wins"
    assert rows(empty_db, "SELECT * FROM evaluation WHERE municipality_code = '1981'") == sala
    assert _discrepancies(empty_db, "1981", 2023) == EXPECTED
    assert _discrepancies(empty_db, "1281", 2011) == []
    # Every row was skipped: no file backs a row, so loading again compares again,
    # and the same source still leaves one row per number.
    before = dump(empty_db)
    load_published(_published_folder(tmp_path / "again"), empty_db)
    assert dump(empty_db) == before


def test_a_report_after_the_published_result_keeps_the_difference(
    empty_db: Path, tmp_path: Path
) -> None:
    load_published(_published_folder(tmp_path), empty_db)
    assert rows(
        empty_db,
        "SELECT origin, total, total_computed, published FROM evaluation_detail "
        "WHERE code = '1981'",
    ) == [("import", 486.0, False, True)]
    results, failures = ingest_many(
        [REPORTS / "sala-2023.txt", REPORTS / "lund-2011.txt"], empty_db
    )
    assert not failures and {r.status for r in results} == {"replaced"}
    assert rows(
        empty_db, "SELECT origin, total FROM evaluation_detail WHERE code = '1981' AND year = 2023"
    ) == [("report", 482.0)]
    assert _discrepancies(empty_db, "1981", 2023) == EXPECTED
    assert _discrepancies(empty_db, "1281", 2011) == []
    # The published file no longer backs any evaluation; loading it again adds nothing twice.
    load_published(_published_folder(tmp_path / "again"), empty_db)
    assert _discrepancies(empty_db, "1981", 2023) == EXPECTED


def test_a_changed_report_is_compared_with_the_published_values_too(
    empty_db: Path, tmp_path: Path
) -> None:
    """A corrected report replaces the old one: the published numbers recorded against the
    old report are compared with the new one, not lost with it."""
    load_published(_published_folder(tmp_path), empty_db)
    assert ingest(REPORTS / "sala-2023.txt", empty_db).status == "replaced"
    changed = tmp_path / "sala-2023-rattad.txt"
    changed.write_bytes((REPORTS / "sala-2023.txt").read_bytes() + b"\n")
    assert ingest(changed, empty_db).status == "replaced"
    assert _discrepancies(empty_db, "1981", 2023) == EXPECTED


def test_a_failed_published_load_leaves_the_store_as_it_was(
    sample_db_copy: Path, tmp_path: Path
) -> None:
    """A good results file and a bad means file: neither is stored (both are validated
    before either is written), the store stays exactly as it was."""
    folder = _published_folder(tmp_path)
    (folder / "means.csv").write_text(
        f"{_header(MEANS)}\nMedel;2020;2021;;;;;;;;;;;x\n", encoding="utf-8"
    )  # a mean with no value at all
    before = dump(sample_db_copy)
    with pytest.raises(ImportValidationError) as info:
        load_published(folder, sample_db_copy)
    assert [(e.code, e.fields) for e in info.value.errors] == [("import_no_scores", {"line": 2})]
    assert dump(sample_db_copy) == before

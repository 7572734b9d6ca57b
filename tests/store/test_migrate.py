"""Schema upgrades in place (kompass.store.migrate): a version 2 store gains report.notices,
a version 3 store evaluation.total_computed and the 'published' format (issue 11), a
version 4 store the tables original and audit (issue 13)."""

from __future__ import annotations

from pathlib import Path

from kompass import queries
from kompass.present.notices import ENGLISH_LEAD_IN, stored_texts
from kompass.store import connect, get_meta, ingest, table_counts
from kompass.store.db import SCHEMA_VERSION
from kompass.store.imports import import_scores, load_published
from tests.helpers.db import make_version_2, raw_sql, rows

REPORTS = Path(__file__).resolve().parents[2] / "data" / "reports"
PUBLISHED = Path(__file__).resolve().parents[2] / "data" / "published"
AREAS = ",".join(f"omrade{n}" for n in range(1, 9))


def report_columns(db: Path) -> list[str]:
    found = rows(db, "SELECT column_name FROM duckdb_columns() WHERE table_name = 'report'")
    return [name for (name,) in found]


def test_a_version_2_store_gains_the_notices_column(sample_db_copy: Path) -> None:
    make_version_2(sample_db_copy)
    assert "notices" not in report_columns(sample_db_copy)
    warnings_before = rows(sample_db_copy, "SELECT file_name, warnings FROM report ORDER BY 1")

    with connect(sample_db_copy):  # read-write: the initialising open upgrades
        pass

    assert SCHEMA_VERSION == 5
    assert get_meta(sample_db_copy, "schema_version") == "5"
    assert "notices" in report_columns(sample_db_copy)
    assert rows(sample_db_copy, "SELECT file_name, warnings FROM report ORDER BY 1") == (
        warnings_before
    )
    # The old rows have no codes: NULL, shown in English with a Swedish lead-in.
    lund = queries.reports(sample_db_copy).set_index("file_name").loc["lund-2011.txt"]
    assert lund.notices is None or lund.notices != lund.notices  # NULL (None or NaN)
    assert stored_texts(lund.warnings, lund.notices) == [
        f"{ENGLISH_LEAD_IN}evaluators not named in the title block"
    ]


def test_an_upgraded_store_stores_codes_for_new_reports(empty_db: Path) -> None:
    make_version_2(empty_db)
    assert ingest(REPORTS / "lund-2011.txt", empty_db).status == "added"
    assert get_meta(empty_db, "schema_version") == str(SCHEMA_VERSION)
    lund = queries.reports(empty_db).set_index("file_name").loc["lund-2011.txt"]
    assert stored_texts(lund.warnings, lund.notices) == ["utvärderarna namnges inte på titelsidan"]


def test_a_current_store_opens_without_writing(sample_db: Path) -> None:
    assert get_meta(sample_db, "schema_version") == str(SCHEMA_VERSION)
    assert "notices" in report_columns(sample_db)


def test_a_store_from_before_version_2_is_upgraded_not_reloaded(sample_db_copy: Path) -> None:
    """Issue 8 added `meta` and `superseded`; a store without them keeps its data."""
    make_version_2(sample_db_copy)
    before = rows(sample_db_copy, "SELECT count(*) FROM municipality")
    evaluations = rows(sample_db_copy, "SELECT evaluation_id, total FROM evaluation ORDER BY 1")
    raw_sql(sample_db_copy, "DROP TABLE meta", "DROP TABLE superseded")

    with connect(sample_db_copy):
        pass

    assert get_meta(sample_db_copy, "schema_version") == str(SCHEMA_VERSION)
    assert "notices" in report_columns(sample_db_copy)
    assert rows(sample_db_copy, "SELECT count(*) FROM municipality") == before
    assert rows(sample_db_copy, "SELECT evaluation_id, total FROM evaluation ORDER BY 1") == (
        evaluations
    )
    assert rows(sample_db_copy, "SELECT count(*) FROM superseded") == [(0,)]


# --- 3 -> 4: evaluation.total_computed, report.format 'published' (issue 11) -------------


def make_version_3(db: Path) -> None:
    """What kompass wrote before issue 11: no total_computed; published files as 'csv'."""
    raw_sql(
        db,
        "ALTER TABLE evaluation DROP COLUMN total_computed",
        "UPDATE report SET format = 'csv' WHERE format = 'published'",
        "UPDATE meta SET value = '3' WHERE key = 'schema_version'",
    )


def evaluation_columns(db: Path) -> list[str]:
    found = rows(db, "SELECT column_name FROM duckdb_columns() WHERE table_name = 'evaluation'")
    return [name for (name,) in found]


def test_a_version_3_store_gains_total_computed_and_keeps_its_data(sample_db_copy: Path) -> None:
    """Imports stored under the old rules are flagged by those rules: all eight areas and no
    stated total (Håbo) had their total summed; a total only (Lund) or a stated total
    (Örebro) did not. The files load_published stored become format 'published'."""
    scores = (
        f"kommun,ar,ramverk,{AREAS},total,kalla\n"
        "Håbo,2021,2020,50,51,52,53,54,55,56,57,,Testdata\n"
        "Lund,2015,2010,,,,,,,,,450,Testdata\n"
        "Örebro,2021,2020,60,60,60,60,60,60,60,60,480,Testdata\n"
    )
    import_scores(scores.encode(), "gamla.csv", sample_db_copy)
    load_published(PUBLISHED, sample_db_copy)
    make_version_3(sample_db_copy)
    assert "total_computed" not in evaluation_columns(sample_db_copy)
    tables = ("evaluation", "area_score", "discrepancy", "reference_series", "reference_score")
    before = {t: rows(sample_db_copy, f"SELECT * FROM {t} ORDER BY ALL") for t in tables}
    formats = rows(sample_db_copy, "SELECT file_name, format FROM report ORDER BY 1")
    assert ("published/results.csv", "csv") in formats

    with connect(sample_db_copy):  # read-write: the initialising open upgrades
        pass

    assert get_meta(sample_db_copy, "schema_version") == "5"
    assert "total_computed" in evaluation_columns(sample_db_copy)
    after = {t: rows(sample_db_copy, f"SELECT * FROM {t} ORDER BY ALL") for t in tables}
    # Every old row is kept; evaluation rows gain the flag as their last column.
    assert [r[:-1] for r in after["evaluation"]] == before["evaluation"]
    assert {t: v for t, v in after.items() if t != "evaluation"} == {
        t: v for t, v in before.items() if t != "evaluation"
    }
    computed = rows(
        sample_db_copy,
        "SELECT code, year FROM evaluation_detail WHERE total_computed ORDER BY ALL",
    )
    published_computed = rows(
        sample_db_copy,
        "SELECT count(*) FROM evaluation_detail WHERE total_computed AND published",
    )
    assert ("0305", 2021) in computed  # Håbo
    assert ("1281", 2015) not in computed and ("1880", 2021) not in computed
    assert len(computed) == 1 + published_computed[0][0]
    assert rows(sample_db_copy, "SELECT file_name, format FROM report ORDER BY 1") == sorted(
        (name, "published" if name.startswith("published/") else fmt) for name, fmt in formats
    )
    # NOT NULL, default false: as in a store created at version 4 (schema.sql).
    assert rows(
        sample_db_copy,
        "SELECT is_nullable, column_default FROM duckdb_columns() "
        "WHERE table_name = 'evaluation' AND column_name = 'total_computed'",
    ) == [(False, "false")]


def test_an_upgraded_version_3_store_takes_partial_imports(empty_db: Path) -> None:
    make_version_3(empty_db)
    text = f"kommun,ar,ramverk,{AREAS},total,kalla\nHåbo,2021,2020,61,,,,,,,,,Testdata\n"
    assert import_scores(text.encode(), "delvis.csv", empty_db).rows_stored == 1
    assert get_meta(empty_db, "schema_version") == str(SCHEMA_VERSION)
    assert rows(empty_db, "SELECT total, total_computed, published FROM evaluation_detail") == [
        (None, False, False)
    ]


# --- 4 -> 5: the tables original and audit (issue 13) ------------------------------------


def make_version_4(db: Path) -> None:
    """What kompass wrote before issue 13 kept originals: no original, no audit table."""
    raw_sql(
        db,
        "DROP TABLE original",
        "DROP TABLE audit",
        "UPDATE meta SET value = '4' WHERE key = 'schema_version'",
    )


def test_a_version_4_store_gains_original_and_audit(sample_db_copy: Path) -> None:
    make_version_4(sample_db_copy)
    tables = ("report", "evaluation", "area_score", "discrepancy")
    before = {t: rows(sample_db_copy, f"SELECT * FROM {t} ORDER BY ALL") for t in tables}

    with connect(sample_db_copy):  # read-write: the initialising open upgrades
        pass

    assert get_meta(sample_db_copy, "schema_version") == "5"
    assert {t: rows(sample_db_copy, f"SELECT * FROM {t} ORDER BY ALL") for t in tables} == before
    # The reports stored before have no kept original: ingesting one again keeps it.
    assert rows(sample_db_copy, "SELECT count(*) FROM original") == [(0,)]
    assert rows(sample_db_copy, "SELECT count(*) FROM audit") == [(0,)]
    assert ingest(REPORTS / "sala-2023.txt", sample_db_copy).status == "unchanged"
    assert rows(sample_db_copy, "SELECT file_name, format, bytes FROM original") == [
        ("sala-2023.txt", "text", (REPORTS / "sala-2023.txt").read_bytes())
    ]


def test_counting_a_version_4_store_reads_it_without_upgrading(sample_db_copy: Path) -> None:
    # `kompass demo` asks an existing file how many evaluations it holds before
    # anything upgrades it; the tables a newer kompass adds count as empty.
    make_version_4(sample_db_copy)
    counts = table_counts(sample_db_copy)
    assert counts["evaluation"] == rows(sample_db_copy, "SELECT count(*) FROM evaluation")[0][0]
    assert counts["original"] == counts["audit"] == 0
    assert get_meta(sample_db_copy, "schema_version") == "4"

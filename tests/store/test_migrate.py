"""Schema upgrades in place (kompass.store.migrate): a version 2 store gains report.notices."""

from __future__ import annotations

from pathlib import Path

from kompass import queries
from kompass.present.notices import ENGLISH_LEAD_IN, stored_texts
from kompass.store import connect, get_meta, ingest
from kompass.store.db import SCHEMA_VERSION
from tests.helpers.db import make_version_2, raw_sql, rows

REPORTS = Path(__file__).resolve().parents[2] / "data" / "reports"


def report_columns(db: Path) -> list[str]:
    found = rows(db, "SELECT column_name FROM duckdb_columns() WHERE table_name = 'report'")
    return [name for (name,) in found]


def test_a_version_2_store_gains_the_notices_column(sample_db_copy: Path) -> None:
    make_version_2(sample_db_copy)
    assert "notices" not in report_columns(sample_db_copy)
    warnings_before = rows(sample_db_copy, "SELECT file_name, warnings FROM report ORDER BY 1")

    with connect(sample_db_copy):  # read-write: the initialising open upgrades
        pass

    assert SCHEMA_VERSION == 3
    assert get_meta(sample_db_copy, "schema_version") == "3"
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
    assert get_meta(empty_db, "schema_version") == "3"
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

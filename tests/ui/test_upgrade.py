"""The app on a store an older kompass wrote: upgraded on start, every page reads."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kompass.store import get_meta, is_current
from kompass.store.db import SCHEMA_VERSION
from tests.helpers.app import run_page
from tests.helpers.db import make_version_2


def test_an_old_store_is_upgraded_when_the_app_starts(sample_db_copy: Path, use_db: Any) -> None:
    make_version_2(sample_db_copy)
    assert not is_current(sample_db_copy)
    use_db(sample_db_copy, autoload=False)
    at = run_page("pages/data.py")
    assert not at.error, [e.value for e in at.error]
    assert get_meta(sample_db_copy, "schema_version") == str(SCHEMA_VERSION)
    assert is_current(sample_db_copy)


def test_a_missing_store_is_built_from_reports_and_published_results(
    fresh_db: Path, use_db: Any
) -> None:
    from kompass import queries

    use_db(fresh_db, autoload=True)
    at = run_page("pages/oversikt.py")
    assert not at.error, [e.value for e in at.error]
    evals = queries.evaluations(fresh_db)
    assert set(evals.origin) == {"report", "stated_in_report", "import"}
    assert "Vallentuna" in set(evals.name)  # data/published/results.csv

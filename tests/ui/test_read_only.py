"""Issue 13: a read-only app (KOMPASS_READ_ONLY=1) writes nothing and says why (AppTest).

It builds no store from the bundled reports, upgrades no older store and offers
no upload, import or paste; a newer store is refused in Swedish.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from kompass.present.access import NO_DATABASE, OLDER_STORE, READ_ONLY_NOTE, TOO_NEW
from kompass.store.db import SCHEMA_VERSION
from tests.helpers.app import run_page
from tests.helpers.db import make_version_2, raw_sql


@pytest.fixture
def read_only(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KOMPASS_READ_ONLY", "1")


def shown(at: Any) -> list[str]:
    return [str(m.value) for kind in ("info", "warning", "error") for m in at.get(kind)]


def test_the_data_page_has_no_writing_widgets(sample_db: Path, use_db: Any, read_only: None):
    use_db(sample_db, autoload=False)
    at = run_page("pages/data.py")
    assert READ_ONLY_NOTE in shown(at)
    assert at.get("file_uploader") == [] and at.get("text_area") == []
    assert [t.label for t in at.tabs] == ["Rapporter", "Ladda ner"]


def test_a_missing_store_is_not_built(fresh_db: Path, use_db: Any, read_only: None) -> None:
    use_db(fresh_db, autoload=True)  # autoload on: a writable app would ingest data/reports
    at = run_page("pages/oversikt.py")
    assert NO_DATABASE in shown(at)
    assert not fresh_db.exists()


def test_an_older_store_is_read_not_upgraded(
    sample_db_copy: Path, use_db: Any, read_only: None
) -> None:
    make_version_2(sample_db_copy)
    before = sample_db_copy.read_bytes()
    use_db(sample_db_copy, autoload=False)
    at = run_page("pages/oversikt.py")
    assert OLDER_STORE in shown(at)
    assert sample_db_copy.read_bytes() == before


def test_a_newer_store_is_refused_in_swedish(
    sample_db_copy: Path, use_db: Any, read_only: None
) -> None:
    raw_sql(
        sample_db_copy,
        f"UPDATE meta SET value = '{SCHEMA_VERSION + 1}' WHERE key = 'schema_version'",
    )
    use_db(sample_db_copy, autoload=False)
    at = run_page("pages/oversikt.py")
    assert TOO_NEW.format(name=" (sample-copy.duckdb)") in shown(at)

"""Issue 13, schema version: an older store is upgraded by its writer, a newer one refused.

`meta` records the schema version and the kompass version that wrote it. A
store with a schema this kompass does not know is neither read nor written:
the writer, a reader, the CLI (exit 2) and the app (in Swedish) say so.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import kompass
from kompass.errors import StoreError
from kompass.present.strings import error_text
from kompass.store import connect, get_meta, is_current, table_counts
from kompass.store.db import SCHEMA_TOO_NEW, SCHEMA_VERSION
from tests.helpers.db import make_version_2, raw_sql, rows

REPO = Path(__file__).resolve().parents[2]
NEWER = SCHEMA_VERSION + 1


def make_newer(db: Path) -> None:
    """What a future kompass (schema SCHEMA_VERSION + 1, version 9.9) would leave."""
    raw_sql(
        db,
        f"UPDATE meta SET value = '{NEWER}' WHERE key = 'schema_version'",
        "INSERT OR REPLACE INTO meta VALUES ('kompass_version', '9.9')",
    )


def test_meta_names_the_schema_and_the_kompass_that_wrote_it(empty_db: Path) -> None:
    assert get_meta(empty_db, "schema_version") == str(SCHEMA_VERSION)
    assert get_meta(empty_db, "kompass_version") == kompass.__version__


def test_an_older_store_is_migrated_by_its_writer(sample_db_copy: Path) -> None:
    make_version_2(sample_db_copy)
    raw_sql(sample_db_copy, "DELETE FROM meta WHERE key = 'kompass_version'")
    evaluations = rows(sample_db_copy, "SELECT evaluation_id, total FROM evaluation ORDER BY 1")
    assert not is_current(sample_db_copy)

    with connect(sample_db_copy):  # the writer's open upgrades, in one transaction
        pass

    assert is_current(sample_db_copy)
    assert get_meta(sample_db_copy, "schema_version") == str(SCHEMA_VERSION)
    assert get_meta(sample_db_copy, "kompass_version") == kompass.__version__
    assert rows(sample_db_copy, "SELECT evaluation_id, total FROM evaluation ORDER BY 1") == (
        evaluations
    )


def test_a_newer_store_is_refused_by_a_writer_and_left_alone(sample_db_copy: Path) -> None:
    make_newer(sample_db_copy)
    before = sample_db_copy.read_bytes()

    with pytest.raises(StoreError) as caught, connect(sample_db_copy):
        pass

    assert caught.value.code == SCHEMA_TOO_NEW
    assert caught.value.fields["found"] == NEWER
    assert caught.value.fields["supported"] == SCHEMA_VERSION
    assert f"schema version {NEWER} (written by kompass 9.9)" in str(caught.value)
    assert sample_db_copy.read_bytes() == before  # not a byte written


def test_a_newer_store_is_refused_by_a_reader(sample_db_copy: Path) -> None:
    make_newer(sample_db_copy)
    with pytest.raises(StoreError) as caught:
        table_counts(sample_db_copy)
    assert caught.value.code == SCHEMA_TOO_NEW
    assert "upgrade kompass" in str(caught.value)


def test_the_app_says_it_in_swedish(sample_db_copy: Path) -> None:
    make_newer(sample_db_copy)
    with pytest.raises(StoreError) as caught:
        is_current(sample_db_copy)
    text = error_text(caught.value)
    assert text.startswith("Databasen (sample-copy.duckdb) har skrivits av en nyare version")
    assert "Uppgradera kompass" in text
    assert str(sample_db_copy.parent) not in text  # never the folder


@pytest.mark.parametrize(
    "command",
    [
        ["ingest", "--quiet"],
        ["export", "--out", "ut"],
        ["import-scores", str(REPO / "tests" / "cases" / "imports" / "scores-valid.csv")],
        ["backup", "kopia.duckdb"],
    ],
)
def test_the_cli_refuses_a_newer_store_with_exit_2(
    sample_db_copy: Path, tmp_path: Path, command: list[str]
) -> None:
    make_newer(sample_db_copy)
    args = [*command, "--db", str(sample_db_copy)]
    if command[0] == "ingest":
        args.append(str(REPO / "data" / "reports" / "sala-2023.txt"))
    done = subprocess.run(
        [sys.executable, "-m", "kompass", *args],
        cwd=tmp_path, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 2, done.stderr
    assert f"schema version {NEWER}" in done.stderr
    assert "Traceback" not in done.stderr

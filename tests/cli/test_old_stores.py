"""Commands that only read upgrade a store an older kompass wrote, and say so (issue 13:
"Opening a database from an older schema migrates it"): before, `kompass export` on a
version 3 store and `kompass reparse` on a version 4 store ended in an internal error."""

from __future__ import annotations

from pathlib import Path

import pytest

from kompass import cli
from kompass.store import get_meta
from kompass.store.db import SCHEMA_VERSION
from tests.store.test_migrate import make_version_3, make_version_4


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = cli.main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_export_upgrades_a_version_3_store(
    sample_db_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    make_version_3(sample_db_copy)
    code, out, err = run(
        capsys, "export", "--db", str(sample_db_copy), "--out", str(tmp_path / "out")
    )
    assert code == 0, err
    assert f"upgraded {sample_db_copy} from schema version 3 to {SCHEMA_VERSION}" in err
    assert "files written" in out
    assert get_meta(sample_db_copy, "schema_version") == str(SCHEMA_VERSION)


def test_reparse_upgrades_a_version_4_store(
    sample_db_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    make_version_4(sample_db_copy)
    code, out, err = run(capsys, "reparse", "--dry-run", "--db", str(sample_db_copy))
    assert code == 0, err
    assert "from schema version 4" in err
    assert "have no kept original" in out  # stored before kompass kept originals


def test_a_current_store_is_read_without_a_note(
    sample_db_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(
        capsys, "export", "--db", str(sample_db_copy), "--out", str(tmp_path / "out")
    )
    assert code == 0 and "upgraded" not in err

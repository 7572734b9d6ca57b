"""Issue 13: every write through the app leaves an `audit` row (AppTest, sign-in through st.user).

A stored write's row goes in with the write (same transaction), a refused one's
right after; a read-only app writes no row at all.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from tests.helpers.db import rows

WRITER = "skrivare@kommun.se"
SCORES = Path(__file__).resolve().parents[1] / "cases" / "imports" / "scores-valid.csv"


@pytest.fixture
def sign_in(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KOMPASS_SIGN_IN", "oidc")
    monkeypatch.setenv("KOMPASS_WRITERS", WRITER)
    monkeypatch.delenv("KOMPASS_READ_ONLY", raising=False)


def write_script(db: str, scores: str) -> None:
    """An import through `access.audited`, as the Data page does it."""
    from pathlib import Path

    import streamlit as st

    from kompass.errors import KompassError
    from kompass.store.imports import import_scores
    from kompass.ui import access

    data = Path(scores).read_bytes()
    try:
        access.audited("import", "scores.csv", data, import_scores, data, "s.csv", Path(db))
    except KompassError as exc:
        st.error(str(exc.code))


def write_as(db: Path, email: str) -> AppTest:
    at = AppTest.from_function(write_script, args=(str(db), str(SCORES)))
    at.user = {"is_logged_in": True, "email": email}
    at.run(timeout=60)
    assert not at.exception
    return at


def audit_rows(db: Path) -> list[tuple[Any, ...]]:
    return rows(db, "SELECT via, who, action, file_name, sha256, result FROM audit")


def test_a_writers_import_is_audited_with_the_write(sample_db_copy: Path, sign_in: None) -> None:
    write_as(sample_db_copy, WRITER)
    digest = hashlib.sha256(SCORES.read_bytes()).hexdigest()
    # The store's own name of the file ("s.csv", what the import stored) and its hash.
    assert audit_rows(sample_db_copy) == [("app", WRITER, "import", "s.csv", digest, "added")]


def test_a_refused_write_is_audited_after_it(sample_db_copy: Path, sign_in: None) -> None:
    at = write_as(sample_db_copy, "lasare@kommun.se")
    assert [e.value for e in at.error] == ["write_refused"]
    digest = hashlib.sha256(SCORES.read_bytes()).hexdigest()
    assert audit_rows(sample_db_copy) == [
        ("app", "lasare@kommun.se", "import", "scores.csv", digest, "refused")
    ]


def test_a_read_only_app_writes_no_audit_row(
    sample_db_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KOMPASS_READ_ONLY", "1")
    monkeypatch.delenv("KOMPASS_SIGN_IN", raising=False)
    at = write_as(sample_db_copy, WRITER)
    assert [e.value for e in at.error] == ["write_refused"]
    assert audit_rows(sample_db_copy) == []

"""Issue 13: with sign-in configured, only the named writers upload and import (AppTest).

The user is Streamlit's `st.user` (AppTest seeds it through `at.user`); the
trusted-header path is checked in a real browser (tests/browser/test_read_only_browser.py).
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from kompass.present.access import SIGN_IN_BUTTON, SIGN_IN_NOTE, WRITE_REFUSED, not_a_writer
from kompass.present.data_page import TABS
from kompass.store import table_counts
from kompass.ui.common import plain
from tests.helpers.app import APP

WRITER = "skrivare@kommun.se"
SCORES = Path(__file__).resolve().parents[1] / "cases" / "imports" / "scores-valid.csv"


@pytest.fixture
def sign_in(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KOMPASS_SIGN_IN", "oidc")
    monkeypatch.setenv("KOMPASS_WRITERS", f"chef@kommun.se, {WRITER.upper()}")
    monkeypatch.delenv("KOMPASS_READ_ONLY", raising=False)


def data_page(user: dict[str, Any]) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.user = user
    at.run()
    at.switch_page("pages/data.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def shown(at: AppTest) -> list[str]:
    return [str(m.value) for kind in ("info", "warning", "error") for m in at.get(kind)]


def test_a_named_writer_gets_upload_and_import(sample_db: Path, use_db: Any, sign_in: None):
    use_db(sample_db, autoload=False)
    at = data_page({"is_logged_in": True, "email": "Skrivare@Kommun.se"})
    assert [t.label for t in at.tabs] == TABS
    assert len(at.get("file_uploader")) >= 2  # the report upload and the CSV import


def test_someone_else_only_reads(sample_db: Path, use_db: Any, sign_in: None) -> None:
    use_db(sample_db, autoload=False)
    at = data_page({"is_logged_in": True, "email": "lasare@kommun.se"})
    assert [t.label for t in at.tabs] == TABS[:2]
    assert at.get("file_uploader") == []
    assert plain(not_a_writer("lasare@kommun.se")) in shown(at)  # the address as text


def test_nobody_signed_in_is_offered_the_sign_in(
    sample_db: Path, use_db: Any, sign_in: None
) -> None:
    use_db(sample_db, autoload=False)
    at = data_page({"is_logged_in": False})
    assert SIGN_IN_NOTE in shown(at)
    assert SIGN_IN_BUTTON in [b.label for b in at.button]
    assert at.get("file_uploader") == []


def write_script(db: str, scores: str) -> None:
    """An import through `access.audited`, as the Data page does it."""
    from pathlib import Path

    import streamlit as st

    from kompass.errors import KompassError
    from kompass.present.strings import error_text
    from kompass.store.imports import import_scores
    from kompass.ui import access

    data = Path(scores).read_bytes()
    try:
        result = access.audited(
            "import", "scores.csv", data, import_scores, data, "s.csv", Path(db)
        )
    except KompassError as exc:
        st.error(error_text(exc))
    else:
        st.success(result.status)


@pytest.mark.parametrize(("email", "stored"), [("lasare@kommun.se", False), (WRITER, True)])
def test_a_write_is_refused_unless_the_user_is_a_writer(
    sample_db_copy: Path, sign_in: None, email: str, stored: bool, capfd: Any
) -> None:
    before = table_counts(sample_db_copy)["evaluation"]
    at = AppTest.from_function(write_script, args=(str(sample_db_copy), str(SCORES)))
    at.user = {"is_logged_in": True, "email": email}
    at.run(timeout=60)
    assert not at.exception
    after = table_counts(sample_db_copy)["evaluation"]
    if stored:
        assert after > before and not at.error
    else:
        assert [e.value for e in at.error] == [WRITE_REFUSED]
        assert after == before  # nothing stored
    log = capfd.readouterr().err
    digest = hashlib.sha256(SCORES.read_bytes()).hexdigest()
    assert f"kompass write: import 'scores.csv' sha256={digest} by {email}: " in log
    assert log.rstrip().endswith(": added" if stored else ": refused")

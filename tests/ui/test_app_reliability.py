"""Nothing lost, nothing frozen (issue 8): every page through AppTest when the store fails.

A locked, damaged or unreachable database gives one short Swedish message and
never a traceback or an absolute path; the findings search caches only what
the page shows; the Data page builds its zip in a worker within a time budget.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from kompass import queries
from kompass.devtools.synth import write_corpus
from kompass.errors import (
    BudgetExceeded,
    KompassError,
    StoreCorruptError,
    StoreError,
    StoreFullError,
    StoreLockedError,
    StoreReadOnlyError,
)
from kompass.present.strings import error_text, num
from kompass.store import ingest_many
from kompass.ui import cache
from tests.helpers.app import PAGES

ROOT = Path(__file__).resolve().parents[2]
APP = ROOT / "app.py"
ENGLISH = re.compile(r"\b(cannot|database|error|the)\b", re.IGNORECASE)
LOCKED = "Databasen uppdateras just nu, försök igen om en stund."


def run_page(page: str) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=90)
    at.run()
    if page != PAGES[0]:
        at.switch_page(page)
        at.run()
    return at


def shown(at: AppTest) -> list[str]:
    """Every text the page shows in a Markdown-like element, messages included."""
    kinds = ("markdown", "caption", "error", "warning", "info", "success", "text", "title")
    return [str(el.value) for kind in kinds for el in at.get(kind)]


def assert_only_swedish_message(at: AppTest, message_kind: str, words: str, db: Path) -> None:
    assert not at.exception, [e.value for e in at.exception]
    messages = [str(el.value) for el in at.get(message_kind)]
    assert any(words in m for m in messages), shown(at)
    for text in shown(at):
        unescaped = text.replace("\\", "")  # kompass.ui.common.plain escapes Markdown
        assert str(db.parent) not in unescaped and "Traceback" not in text, text
        assert not ENGLISH.search(text), text  # the English message of the exception


# --- a locked database ------------------------------------------------------------------


@contextmanager
def held_by_another_process(db: Path) -> Iterator[None]:
    """A read-write DuckDB connection in another process, as `kompass ingest` holds."""
    code = "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); print('ok', flush=True); "
    code += "time.sleep(300)"
    proc = subprocess.Popen([sys.executable, "-c", code, str(db)], stdout=subprocess.PIPE)
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == b"ok"
        yield
    finally:
        proc.kill()
        proc.wait(timeout=10)


@pytest.mark.parametrize("page", PAGES)
def test_locked_database_gives_a_short_swedish_message(
    page: str, sample_db_copy: Path, use_db: Any
) -> None:
    use_db(sample_db_copy)
    with held_by_another_process(sample_db_copy):
        at = run_page(page)
    assert_only_swedish_message(at, "warning", LOCKED, sample_db_copy)


# --- a damaged or unreachable database ----------------------------------------------------


@pytest.fixture
def corrupt_db(tmp_path: Path) -> Path:
    db = tmp_path / "store" / "kompass.duckdb"
    db.parent.mkdir()
    db.write_bytes(os.urandom(300_000))
    return db


@pytest.mark.parametrize("page", PAGES)
def test_corrupt_database_is_named_in_swedish(page: str, corrupt_db: Path, use_db: Any) -> None:
    before = corrupt_db.read_bytes()
    use_db(corrupt_db)
    at = run_page(page)
    assert_only_swedish_message(at, "error", "Databasfilen (kompass.duckdb) är skadad", corrupt_db)
    assert corrupt_db.read_bytes() == before  # nothing tried to "repair" it


@pytest.mark.parametrize("autoload", [False, True], ids=["no-autoload", "autoload"])
@pytest.mark.parametrize("page", ["pages/oversikt.py", "pages/fynd.py", "pages/data.py"])
def test_database_that_cannot_be_created_is_named_in_swedish(
    page: str, autoload: bool, tmp_path: Path, use_db: Any
) -> None:
    # Root ignores file modes; a regular file where the database's folder should be
    # fails for root too (ENOTDIR), on open and on create.
    (tmp_path / "store").write_text("a file, not a folder")
    db = tmp_path / "store" / "kompass.duckdb"
    use_db(db, autoload=autoload)
    at = run_page(page)
    assert_only_swedish_message(at, "error", "Databasen (kompass.duckdb)", db)


# --- the findings search caches what it shows ------------------------------------------------

# Single letters match nearly every finding: each is a "whole store" result.
SEARCHES = ["", "a", "e", "i", "n", "o", "r", "s", "t", "ar"]
ENTRY_BYTES = 400_000  # one search, as cached (pickled)
CACHE_BYTES = 64_000_000  # a full cache of searches


@pytest.fixture(scope="module")
def synthetic_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """120 synthetic reports (about 9,000 findings): big enough for whole results to show."""
    folder = tmp_path_factory.mktemp("synthetic")
    write_corpus(folder / "reports", 120, seed=8, years=(2018, 2023))
    db = folder / "kompass.duckdb"
    _, failures = ingest_many([folder / "reports"], db)
    assert not failures
    return db


def data_caches() -> dict[str, Any]:
    """Streamlit's own st.cache_data caches, by function name (the memory it holds)."""
    from streamlit.runtime.caching.cache_data_api import _data_caches

    with _data_caches._caches_lock:
        caches = _data_caches._function_caches.values()
        return {c.display_name: c for per_scope in caches for c in per_scope.values()}


def entry_sizes(data_cache: Any) -> list[int]:
    return [s.byte_length for stats in data_cache.get_stats().values() for s in stats]


def test_search_caches_only_what_the_page_shows(synthetic_db: Path, use_db: Any) -> None:
    use_db(synthetic_db, autoload=False)
    whole = queries.search_findings(synthetic_db, "")
    assert whole.memory_usage(deep=True).sum() > 4 * ENTRY_BYTES  # whole results are big here
    at = run_page("pages/fynd.py")
    before = {name: len(entry_sizes(c)) for name, c in data_caches().items()}
    for q in SEARCHES:
        at.text_input(key="w_q").set_value(q).run()
        assert not at.exception, [e.value for e in at.exception]
        n_hits = len(queries.search_findings(synthetic_db, q))
        assert f"**{num(n_hits)} träffar**" in at.markdown[1].value  # counts: every hit
    grown = {
        name: c for name, c in data_caches().items()
        if len(entry_sizes(c)) - before.get(name, 0) >= len(SEARCHES) - 1
    }  # fmt: skip
    assert grown, "no cache holds the searches"
    for name, data_cache in grown.items():
        largest = max(entry_sizes(data_cache))
        assert largest <= ENTRY_BYTES, (name, largest)
        worst = largest * (data_cache.max_entries or 10**9)
        if data_cache.max_size_bytes:
            worst = min(worst, data_cache.max_size_bytes)
        assert worst <= CACHE_BYTES, (name, data_cache.max_entries, data_cache.max_size_bytes)
        assert data_cache.ttl_seconds is not None and data_cache.ttl_seconds <= 3600, name


def test_search_page_reports_what_it_leaves_out(synthetic_db: Path, use_db: Any) -> None:
    use_db(synthetic_db, autoload=False)
    at = run_page("pages/fynd.py")
    at.text_input(key="w_q").set_value("a").run()
    assert not at.exception
    n_hits = len(queries.search_findings(synthetic_db, "a"))
    captions = " ".join(c.value for c in at.caption)
    assert f"Visar {cache.SEARCH_HITS} av {num(n_hits)} träffar" in captions
    shown_hits = sum(m.value.count("\n- *") for m in at.markdown)
    assert shown_hits == cache.SEARCH_HITS


# --- the Data page: exports in a worker, a Swedish uploader ----------------------------------


def ask_for_zip(at: AppTest, fmt: str) -> None:
    """What the button "Skapa zip-fil" does (the browser test clicks it).

    AppTest loses button clicks on this app: each of its runs starts a new
    pages manager, so leave_v1_mode reruns the script and the click is gone.
    """
    at.session_state[f"zip:{fmt}"] = True
    at.run()


def test_export_over_its_time_budget_says_so(
    sample_db: Path, use_db: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    use_db(sample_db)
    at = run_page("pages/data.py")
    # After the first run: the table heads shown on the page come from a child process under
    # the same budget, and they are cached now; only the zip meets the tiny budget.
    monkeypatch.setattr(cache, "EXPORT_SECONDS", 0.05, raising=False)
    at.radio(key="w_fmt").set_value("xlsx").run()
    ask_for_zip(at, "xlsx")
    assert not at.exception, [e.value for e in at.exception]
    errors = [e.value for e in at.error]
    assert "Zip-filen tog för lång tid att skapa (över 0,05 s) och stoppades." in errors


def test_export_zip_is_built_and_offered(sample_db: Path, use_db: Any) -> None:
    use_db(sample_db)
    at = run_page("pages/data.py")
    ask_for_zip(at, "csv")
    assert not at.exception and not at.error, [e.value for e in at.error]
    labels = [b.proto.label for b in at.get("download_button")]
    assert "Ladda ner alla tabeller: CSV (svenska Excel)" in labels


def test_uploader_speaks_swedish_and_matches_the_limit(sample_db: Path, use_db: Any) -> None:
    from kompass.ui import uploads

    use_db(sample_db)
    at = run_page("pages/data.py")
    assert not at.exception
    (report,) = [u for u in at.get("file_uploader") if u.proto.id.endswith("w_upload")]
    proto = report.proto
    assert proto.max_upload_size_mb == uploads.MAX_UPLOAD_MB
    # No type filter: Streamlit's refusal is English, preview_upload's is Swedish.
    assert list(proto.type) == []
    assert proto.label.startswith("Rapport") and f"{uploads.MAX_UPLOAD_MB} MB" in proto.help
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["maxUploadSize"] == uploads.MAX_UPLOAD_MB
    assert config["client"]["showErrorDetails"] == "none"


# --- the Swedish sentences ----------------------------------------------------------------


SRV = "/srv/a/kompass.duckdb"


@pytest.mark.parametrize(
    ("error", "text"),
    [
        (StoreLockedError("x", path=SRV), LOCKED),
        (StoreCorruptError("x", path=SRV), "Databasfilen (kompass.duckdb) är skadad"),
        (StoreReadOnlyError("x", path=SRV), "Databasen (kompass.duckdb) går inte att skriva"),
        (StoreFullError("x", path=SRV), "Disken där databasen (kompass.duckdb) ligger är full"),
        (StoreError("x", path=SRV), "Databasen (kompass.duckdb) kunde inte öppnas"),
        (StoreError("x"), "Databasen kunde inte öppnas"),
        (BudgetExceeded("x", limit="seconds", value=30, name="a.pdf"),
         "Filen tog för lång tid att läsa (över 30 s) och stoppades."),
        (BudgetExceeded("x", limit="memory", value=1024, name="a.pdf"),
         "Filen krävde för mycket minne att läsa (över 1\u00a0024 MB) och stoppades."),
        (BudgetExceeded("x", limit="pages", value=400, name="a.pdf"),
         "Filen har för många sidor (över 400) och lästes inte."),
    ],
)  # fmt: skip
def test_error_text_names_the_cause_in_swedish(error: KompassError, text: str) -> None:
    rendered = error_text(error)
    assert rendered.startswith(text)
    assert "/srv" not in rendered and not ENGLISH.search(rendered)

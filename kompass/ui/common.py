"""Shared pieces of the app frame: the database, the empty state, safe text."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pandas as pd
import streamlit as st

from kompass import store
from kompass.config import db_path, reports_dir
from kompass.errors import KompassError
from kompass.present.strings import ORDINAL, error_text, join_words, month_year, source_caption
from kompass.ui import cache

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~$:])")
# Streamlit's Markdown (remark-gfm) turns URL- and e-mail-like text into links after
# reading escapes, so escaping cannot stop it: an invisible word joiner after the colon of
# "://", inside "www." and after "@" breaks those patterns.
_AUTOLINK = re.compile(r"(?<=:)(?=//)|(?<=www)(?=\.)|(?<=@)", re.IGNORECASE)
WORD_JOINER = "\u2060"
# A URL our code may render as a link: http(s), a host, and a path without characters
# that end a Markdown link or start markup (no spaces, parentheses, brackets, <, >, $).
_SAFE_URL = re.compile(r"https?://[A-Za-z0-9.-]+(?::\d+)?(?:/[A-Za-z0-9._~/?#=&%+,;:@!-]*)?")


def plain(text: object) -> str:
    """Stored text made inert for st.markdown: no markup, links, HTML or LaTeX.

    Everything that comes from a report, an upload or an import (file names,
    sources, labels, names, findings) goes through this before any element
    that renders Markdown: markdown, caption, info, metric help, expander and
    page-link labels, st.table cells.
    """
    return _escape(_AUTOLINK.sub(WORD_JOINER, str(text)))


def _escape(text: str) -> str:
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def plain_table(table: pd.DataFrame) -> pd.DataFrame:
    """A copy for st.table, which renders Markdown in every cell and header."""
    out = table.map(lambda v: plain(v) if isinstance(v, str) else v)
    out.index = pd.Index([plain(v) for v in out.index], name=out.index.name)
    out.columns = [plain(c) for c in out.columns]
    return out


def source_link(text: str) -> str:
    """A source as Markdown: a link only when it is one plain http(s) URL, else inert text."""
    text = text.strip()
    if _SAFE_URL.fullmatch(text):
        return f"[{_escape(text)}]({text})"
    return plain(text)


def source_text(files: list[str], extra: str = "") -> str:
    """`strings.source_caption` with the file names made inert; `extra` must be inert already."""
    names = [plain(f) for f in files if isinstance(f, str) and f]
    return source_caption(names, extra)


def current_db() -> Path:
    return db_path()


def ensure_store(db: Path) -> str | None:
    """Build the store from data/reports when it is missing or empty.

    Returns a Swedish message to show if that failed, else None. Skipped
    when KOMPASS_NO_AUTOLOAD=1 (tests of the empty state).
    """
    if os.environ.get("KOMPASS_NO_AUTOLOAD") == "1":
        return None
    try:
        if db.exists() and not cache.evaluations(db).empty:
            return None
        with st.spinner("Bygger databasen från de medföljande rapporterna …"):
            paths = sorted(
                p for p in reports_dir().iterdir() if p.suffix in (".txt", ".md", ".pdf")
            )
            _, failures = store.ingest_many(paths, db)
        cache.clear()
        if failures:
            return "Några rapporter kunde inte läsas in: " + "; ".join(
                plain(f) for f, _ in failures
            )
    except KompassError as exc:  # locked, damaged, unwritable: in Swedish, without a path
        return error_text(exc)
    except OSError:
        return "De medföljande rapporterna kunde inte läsas."
    return None


def load_evaluations(db: Path) -> pd.DataFrame | None:
    """All evaluations, or None after showing a clear message (locked, missing)."""
    try:
        return cache.evaluations(db)
    except store.StoreLockedError as exc:
        st.warning(error_text(exc))
    except KompassError as exc:
        st.error(error_text(exc))
    return None


def empty_state(what: str) -> None:
    """What the page would show, and how to get data, when the store is empty."""
    st.info(
        f"Det finns inga utvärderingar i databasen ännu, så {what} kan inte visas. "
        "Lägg till rapporter med `kompass ingest MAPP` eller starta med `make run`, "
        "som läser in de medföljande exempelrapporterna."
    )


def evaluation_sentence(row: pd.Series) -> str:
    """ "Utvärderad i september 2023, kommunens andra utvärdering." """
    text = f"Utvärderad {month_year(row.month if pd.notna(row.month) else None, int(row.year))}"
    if pd.notna(row.evaluation_number):
        n = int(row.evaluation_number)
        text += f", kommunens {ORDINAL.get(n, f'{n}:e')} utvärdering"
    return text + "."


def evaluators_sentence(row: pd.Series) -> str:
    """ "Utvärderare: A och B. Källa: rapport x.txt." as Markdown, stored values inert."""
    people = [plain(p) for p in row.evaluators] if row.evaluators is not None else []
    text = f"Utvärderare: {join_words(people)}. " if people else ""
    file_name = plain(row.file_name)
    if row.origin == "report":
        return text + f"Källa: rapport {file_name}."
    if row.origin == "stated_in_report":
        return text + f"Källa: sammanfattningstabellen i den senare rapporten {file_name}."
    note = row.source_note if isinstance(row.source_note, str) and row.source_note.strip() else ""
    if not note:
        return text + f"Källa: importerat från {file_name}."
    return text + f"Källa: {source_link(note)} (importerat från {file_name})."


def leave_v1_mode() -> None:
    """Make sure the app runs through app.py's st.navigation.

    Streamlit 1.67 treats a folder named pages/ next to app.py as a v1
    multipage app until the first st.navigation call, so the first session
    after a server start would get file names as navigation and pages
    without the frame. Calling this first in app.py and in every page file
    switches to the declared navigation and reruns the same URL through it.
    tests/test_browser.py checks the navigation on a fresh server.
    """
    from streamlit.runtime.pages_manager import PagesManager

    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()


def highlight(text: str, query: str) -> str:
    """Report text made inert (see `plain`) with every match of `query` highlighted.

    The text is escaped first and the matches are found in the raw text, so
    no part of the report can become markup.
    """
    query = query.strip()
    if not query:
        return plain(text)
    parts = re.split(f"({re.escape(query)})", text, flags=re.IGNORECASE)
    return "".join(
        f":orange-background[{plain(p)}]" if i % 2 else plain(p) for i, p in enumerate(parts)
    )

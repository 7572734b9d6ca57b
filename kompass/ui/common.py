"""Shared pieces of the app frame: the database, the empty state, safe text."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pandas as pd
import streamlit as st

from kompass import store
from kompass.config import db_path, reports_dir
from kompass.strings import ORDINAL, join_words, month_year
from kompass.ui import cache

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~$:])")


def plain(text: str) -> str:
    """Report text made inert for st.markdown: no markup, links, HTML or LaTeX."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


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
            return "Några rapporter kunde inte läsas in: " + "; ".join(f for f, _ in failures)
    except store.StoreLockedError:
        return (
            "Databasen används just nu av en annan process (t.ex. kompass ingest). "
            "Ladda om sidan om en stund."
        )
    except (store.StoreError, OSError) as exc:
        return f"Databasen kunde inte öppnas: {exc}"
    return None


def load_evaluations(db: Path) -> pd.DataFrame | None:
    """All evaluations, or None after showing a clear message (locked, missing)."""
    try:
        return cache.evaluations(db)
    except store.StoreLockedError:
        st.warning("Databasen uppdateras just nu av en annan process. Ladda om sidan om en stund.")
    except store.StoreError as exc:
        st.error(f"Databasen kunde inte läsas: {exc}")
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
    """ "Utvärderare: A och B. Källa: rapport x.txt." """
    people = list(row.evaluators) if row.evaluators is not None else []
    text = f"Utvärderare: {join_words(people)}. " if people else ""
    if row.origin == "report":
        return text + f"Källa: rapport {row.file_name}."
    if row.origin == "stated_in_report":
        return text + f"Källa: sammanfattningstabellen i den senare rapporten {row.file_name}."
    return text + f"Källa: {row.source_note or row.file_name}."


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

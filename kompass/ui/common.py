"""Shared pieces of the app frame: the database, the empty state, safe text."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from kompass import store
from kompass.config import db_path, published_dir, reports_dir
from kompass.errors import KompassError
from kompass.present import sentences, strings, tables
from kompass.present.strings import error_text, source_caption
from kompass.store.imports import load_published
from kompass.ui import cache

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~$:])")
# Streamlit's Markdown (remark-gfm) turns URL- and e-mail-like text into links after
# reading escapes, so escaping cannot stop it: an invisible word joiner after the colon of
# "://", inside "www." and after "@" breaks those patterns.
_AUTOLINK = re.compile(r"(?<=:)(?=//)|(?<=www)(?=\.)|(?<=@)", re.IGNORECASE)
WORD_JOINER = "\u2060"
_ASKED_PATH = "_kompass_asked_path"
# A URL our code may render as a link: http(s), a host, and a path without characters
# that end a Markdown link or start markup (no spaces, parentheses, brackets, <, >, $).
_SAFE_URL = re.compile(r"https?://[A-Za-z0-9.-]+(?::\d+)?(?:/[A-Za-z0-9._~/?#=&%+,;:@!-]*)?")


def plain(text: object) -> str:
    """Stored text made inert for st.markdown: no markup, links, HTML or LaTeX.

    Everything that comes from a report, an upload or an import (file names,
    sources, labels, names, findings) goes through this before any element
    that renders Markdown: markdown, caption, info, metric help, expander and
    page-link labels.
    """
    return _escape(_AUTOLINK.sub(WORD_JOINER, str(text)))


def _escape(text: str) -> str:
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def text_table(table: pd.DataFrame) -> None:
    """A static table already in words, as one element with every text escaped.

    Instead of st.table, whose every cell is a Markdown component of its own
    (`tables.html_table`); a wide one scrolls in its own box on a phone.
    """
    st.html(tables.html_table(table, strings.TABLE_REGION))


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
    """Build the store from data/reports and data/published when it is missing or empty.

    Returns a Swedish message to show if that failed, else None. Skipped
    when KOMPASS_NO_AUTOLOAD=1 (tests of the empty state).
    """
    try:
        if db.exists() and not cache.store_is_current(db):
            # Written by an older kompass: upgraded in place, in one transaction.
            store.init_store(db)
            cache.clear()
        if os.environ.get("KOMPASS_NO_AUTOLOAD") == "1":
            return None
        if db.exists() and not cache.evaluations(db).empty:
            return None
        with st.spinner(sentences.BUILDING_STORE):
            paths = sorted(
                p for p in reports_dir().iterdir() if p.suffix in (".txt", ".md", ".pdf")
            )
            _, failures = store.ingest_many(paths, db)
            load_published(published_dir(), db)  # like `kompass ingest` and `make run`
        cache.clear()
        if failures:
            return sentences.ingest_failures([plain(f) for f, _ in failures])
    except KompassError as exc:  # locked, damaged, unwritable: in Swedish, without a path
        return error_text(exc)
    except OSError:
        return sentences.REPORTS_UNREADABLE
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
    st.info(sentences.empty_state(what))


def evaluation_sentence(row: pd.Series) -> str:
    """ "Utvärderad i september 2023, kommunens andra utvärdering." """
    month = int(row.month) if pd.notna(row.month) else None
    number = int(row.evaluation_number) if pd.notna(row.evaluation_number) else None
    return sentences.evaluation_sentence(month, int(row.year), number)


def evaluators_sentence(row: pd.Series) -> str:
    """ "Utvärderare: A och B. Källa: rapport x.txt." as Markdown, stored values inert."""
    people = [plain(p) for p in row.evaluators] if row.evaluators is not None else []
    note = row.source_note if isinstance(row.source_note, str) and row.source_note.strip() else ""
    source = source_link(note) if note else ""
    published = bool(row.get("published", False))
    return sentences.evaluators_sentence(
        people, row.origin, plain(row.file_name), source, published=published
    )


def leave_v1_mode() -> None:
    """Make sure the app runs through app.py's st.navigation.

    Streamlit 1.67 treats a folder named pages/ next to app.py as a v1
    multipage app until the first st.navigation call, so the first session
    after a server start would get file names as navigation and pages
    without the frame. Calling this first in app.py and in every page file
    switches to the declared navigation and reruns the same URL through it.
    tests/browser/test_browser.py checks the navigation on a fresh server.
    """
    from streamlit.runtime.pages_manager import PagesManager

    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        # The rerun forgets a URL path that named no page: keep it for `unknown_page`.
        ctx = get_script_run_ctx()
        if ctx is not None:
            st.session_state[_ASKED_PATH] = ctx.pages_manager.intended_page_name or ""
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


# --- the frame around every page: Swedish, readable, reachable ----------------------------

# Streamlit's own English is hidden (the app has Swedish downloads) or replaced; captions
# get a grey with at least 4.5:1 contrast on white and on the sidebar's grey (Streamlit's
# own caption grey at 60 % opacity gives 3:1).
_FRAME_CSS = """
.modebar-container, [data-testid=stElementToolbar], [data-testid=stMainMenu] {
  display: none !important;
}
[data-testid=stCaptionContainer] { opacity: 1 !important; }
/* The static tables (ui.common.text_table): Streamlit's table look, one element each. */
.kompass-table { overflow-x: auto; margin-bottom: 0.5rem; }
.kompass-table table { border-collapse: collapse; width: 100%%; font-size: 1rem; }
.kompass-table th, .kompass-table td {
  border: 1px solid rgba(49, 51, 63, 0.1); padding: 0.25rem 0.375rem;
  text-align: left; vertical-align: top; line-height: 1.5;
}
.kompass-table thead th { color: #5c5e66; font-weight: 400; }
.kompass-table tbody th { font-weight: 400; }
.kompass-table .num { text-align: right; font-variant-numeric: tabular-nums; }
.kompass-table td.num { white-space: nowrap; }
/* A phone: static tables fit the screen (long headers break, cells are tighter). */
@media (max-width: 640px) {
  /* Long titles ("Kommunkompassen – Sverige i överblick") break between words. */
  [data-testid=stMain] h1 { font-size: 2rem !important; }
  /* Words break only when one cannot fit its line; a table still too wide scrolls in its box. */
  .kompass-table th, .kompass-table td {
    padding: 0.25rem 0.3rem; font-size: 0.875rem; overflow-wrap: break-word;
  }
  /* A table too wide for a phone has a long twin: containers keyed "x_wide", "x_long".
     No angle brackets in this CSS: the HTML sanitiser drops a style that holds them. */
  [class*="_wide"][class*="st-key-"] { display: none; }
  /* Tab rows wrap instead of scrolling sideways (the Data page has five tabs). */
  [role=tablist] { flex-wrap: wrap !important; row-gap: 0.25rem; }
}
@media (min-width: 641px) {
  [class*="_long"][class*="st-key-"] { display: none; }
}
[data-testid=stCaptionContainer], [data-testid=stCaptionContainer] * { color: #5c5e66; }
[data-testid=stFileUploaderDropzone] button [data-testid=stMarkdownContainer] p {
  display: none;
}
[data-testid=stFileUploaderDropzone] button [data-testid=stMarkdownContainer]::after {
  content: %(button)s;
}
[data-testid=stFileUploaderDropzoneInstructions] span { display: none; }
[data-testid=stFileUploaderDropzoneInstructions] > div::after { content: %(hint)s; }
[data-testid=stFileUploaderDropzoneInstructions] > div[data-kompass-limit]::after {
  content: %(limit_before)s attr(data-kompass-limit) %(limit_after)s;
}
[data-testid=stFileUploaderFile] small { display: none; }
[data-testid=stElementContainer]:has(.kompass-frame) { display: none; }
.kompass-sr {
  position: absolute; width: 1px; height: 1px; padding: 0; margin: -1px;
  overflow: hidden; clip: rect(0, 0, 0, 0); white-space: nowrap; border: 0;
}
"""

# Runs once per browser tab (st.html runs it in the page itself, no iframe, nothing fetched)
# and keeps at it as Streamlit redraws: lang="sv" on <html>, the uploader's size limit read
# from Streamlit's English line ("50MB per file"), the skip link in Swedish.
_FRAME_JS = """
<span class="kompass-frame"></span>
<script data-kompass="frame">
(() => {
  if (window.__kompassFrame) return;
  window.__kompassFrame = true;
  const doc = document;
  const skipLabel = %(skip_label)s;
  const fix = () => {
    if (doc.documentElement.lang !== "sv") doc.documentElement.lang = "sv";
    // The first session after a server start still gets Streamlit's English "Page not
    // found" (sent before app.py runs, see leave_v1_mode); app.py says it in Swedish.
    doc.querySelectorAll("[role=dialog]").forEach((d) => {
      const close = d.querySelector("button[aria-label=Close]");
      if (close && (d.innerText || "").startsWith("Page not found")) close.click();
    });
    const skip = doc.querySelector("[data-testid=stSkipToContent]");
    if (skip && skip.textContent !== skipLabel) skip.textContent = skipLabel;
    const limits = "[data-testid=stFileUploaderDropzoneInstructions] > div";
    doc.querySelectorAll(limits + ":not([data-kompass-limit])").forEach((el) => {
      const m = /([0-9.]+)\\s*([KMG]B)/.exec(el.textContent || "");
      if (m) el.dataset.kompassLimit = m[1].replace(".", ",") + "\u00a0" + m[2];
    });
  };
  let queued = false;
  const later = () => {
    if (queued) return;
    queued = true;
    requestAnimationFrame(() => { queued = false; fix(); });
  };
  fix();
  new MutationObserver(later).observe(doc.documentElement, {
    subtree: true, childList: true, attributes: true, attributeFilter: ["lang"],
  });
})();
</script>
"""


def _css_string(text: str) -> str:
    """A CSS string literal; CSS escapes differ from JSON's, so only quote and backslash."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def frame() -> None:
    """The frame's CSS and script; call once per run from app.py, before the page."""
    before, after = strings.UPLOAD_LIMIT.split("{size}")
    css = _FRAME_CSS % {
        "button": _css_string(strings.UPLOAD_BUTTON),
        "hint": _css_string(strings.UPLOAD_HINT),
        "limit_before": _css_string(before),
        "limit_after": _css_string(after),
    }
    st.html(f"<style>{css}</style>")
    st.html(
        _FRAME_JS
        % {
            "skip_label": json.dumps(strings.SKIP_LINK, ensure_ascii=False),
        },
        unsafe_allow_javascript=True,
    )


def unknown_page(url_paths: set[str]) -> str | None:
    """The URL path asked for when it names no page, else None.

    Streamlit would run the start page under an English "Page not found" dialog; this
    clears the request first, so the start page runs without it and app.py says why
    in Swedish (`strings.page_not_found`). Call before st.navigation.
    """
    ctx = get_script_run_ctx()
    if ctx is None:
        return None
    pages = ctx.pages_manager
    kept = st.session_state.pop(_ASKED_PATH, None)  # see leave_v1_mode
    asked = kept or pages.intended_page_name
    if (pages.intended_page_script_hash and not kept) or not asked or asked in url_paths:
        return None
    pages.set_script_intent("", "")
    return "/" + asked


# --- the first screen first (issue 12) ----------------------------------------------------

_SHOWN_WHOLE = "_kompass_shown_whole"
# How long after the first screen reached the browser it asks for the rest of the page:
# long enough for plotly.js to load and draw the first chart on its own.
REST_AFTER_SECONDS = 0.4


def rest_follows() -> None:
    """End this run here when it is the page's first in a browser session; the rest follows.

    A browser mounts every plotly chart that reaches it before plotly.js has
    loaded in one go, so the first chart waits for all the others (a page of
    four charts took 5× as long as a one-chart page). Called right after the
    first screen's chart: on a page's first run in a session the run ends
    there, and a fragment that reruns itself after REST_AFTER_SECONDS (a
    browser timer) asks for a full run, which draws the whole page and stops
    the timer. Later runs of the page in the session (widget changes, coming
    back) draw it whole at once. A run without a browser (AppTest has no HTTP
    headers) is always whole.
    """
    if not first_screen_only():
        return
    ctx = get_script_run_ctx()
    page = ctx.page_script_hash if ctx is not None else ""

    @st.fragment(run_every=REST_AFTER_SECONDS)
    def ask_for_the_rest() -> None:
        now = get_script_run_ctx()
        if now is not None and now.fragment_ids_this_run:  # the browser's timer, not this run
            st.session_state[_SHOWN_WHOLE] = {*st.session_state.get(_SHOWN_WHOLE, ()), page}
            st.rerun()

    ask_for_the_rest()
    st.stop()


def first_screen_only() -> bool:
    """Whether this run ends at `rest_follows`: a browser's first run of the page in its session."""
    ctx = get_script_run_ctx()
    if ctx is None or not st.context.headers:
        return False
    return ctx.page_script_hash not in st.session_state.get(_SHOWN_WHOLE, ())


def opened(box: Any) -> bool:
    """Whether to draw the content of an expander made with `on_change="rerun"`.

    Collapsed, its content is not drawn at all (a page redraws faster without
    the charts and lists nobody opened); opening it reruns the page. A run
    without a browser (AppTest) draws it, like `rest_follows`.
    """
    return bool(box.open) or not st.context.headers


def chart(fig: Any, alt: str, note: str = "", **kwargs: Any) -> Any:
    """A plotly chart with its one-sentence text alternative as the caption under it.

    `alt` says in words what the chart shows (made inert here); `note` is inert
    Markdown that follows it, such as `source_text(...)`. plotly's mode bar is off
    (English; the pages have Swedish downloads). Returns st.plotly_chart's result.
    """
    config = {"displayModeBar": False, **kwargs.pop("config", {})}
    event = st.plotly_chart(fig, config=config, **kwargs)
    st.caption(" ".join(part for part in (plain(alt), note) if part))
    return event

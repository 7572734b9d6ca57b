"""AppTest helpers shared by the ui tests: run a page with URL parameters, read its output."""

from __future__ import annotations

import base64
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from streamlit.testing.v1 import AppTest

from kompass.ui import registry

APP = Path(__file__).resolve().parents[2] / "app.py"
PAGES = [p.script for p in registry.PAGES]


def run_page(page: str, **params: str) -> AppTest:
    """Run app.py, switch to `page` with `params` in the URL; fail on an exception."""
    at = AppTest.from_file(str(APP), default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    if page != PAGES[0]:
        at.switch_page(page)
        for key, value in params.items():
            at.query_params[key] = value
        at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def figure(at: AppTest, key: str) -> dict[str, Any]:
    """The plotly figure (as JSON) of the chart whose element id holds `key`."""
    el = at.get_by_key(key) if hasattr(at, "get_by_key") else None
    if el is None:
        el = next(
            c for c in at.get("plotly_chart") if json.loads(c.proto.spec) and key in c.proto.id
        )
    return json.loads(el.proto.spec)


def values(v: Any) -> list[float]:
    """A plotly array as numbers, whether plain or base64-packed."""
    if isinstance(v, dict) and "bdata" in v:
        return list(np.frombuffer(base64.b64decode(v["bdata"]), v["dtype"]))
    return list(v)


def texts(at: AppTest) -> str:
    """Markdown, captions and metrics as shown (backslash escapes and word joiners removed)."""
    parts = [m.value for m in at.markdown] + [m.value for m in at.caption]
    parts += [f"{m.label} {m.value}" for m in at.metric]
    return re.sub(r"\\(.)", r"\1", "\n".join(str(p) for p in parts)).replace("\u2060", "")


class _TableReader(HTMLParser):
    """The rows of an HTML table: (cell text, whether it is a row header) per cell."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[tuple[str, bool]]] = []
        self._cell: list[str] | None = None
        self._row_header = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "tr":
            self.rows.append([])
        elif tag in ("th", "td"):
            self._cell, self._row_header = [], dict(attrs).get("scope") == "row"

    def handle_endtag(self, tag: str) -> None:
        if tag in ("th", "td") and self._cell is not None:
            self.rows[-1].append(("".join(self._cell), self._row_header))
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def tables(at: AppTest) -> list[pd.DataFrame]:
    """Every static table (`ui.common.text_table`) as shown; row headers become the index."""
    out = []
    for element in at.html:
        if 'class="kompass-table"' not in element.value:  # not the frame's CSS
            continue
        reader = _TableReader()
        reader.feed(element.value)
        head, *rows = reader.rows
        with_index = bool(rows) and rows[0][0][1]
        columns = [text for text, _ in head]
        frame = pd.DataFrame([[text for text, _ in row] for row in rows], columns=columns)
        out.append(frame.set_index(columns[0]) if with_index else frame)
    return out

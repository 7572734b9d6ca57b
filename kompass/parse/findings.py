"""Strengths, partial points and improvements of one area.

The tables come in several layouts: `<ul>` with "•" items, `<p>` items,
`<ul>` with items glued together, plain text, a three-column variant with
"Finns delar, kan bli bättre", and tables continued over a page break (with
or without the header repeated, the first item of the continuation ending
the last item before the break).
"""

from __future__ import annotations

import html
import re

from kompass.parse.common import clean

_COLUMN_KINDS = (
    ("finns delar", "partial"),
    ("förbättring", "improvements"),
    ("styrkor", "strengths"),
)
_SEPARATOR_ROW = re.compile(r"^[\s\-–—|]*$")
_ITEM_BREAK = "\x1f"
# Items written without any bullet run together: "…enheterAnvändning av…".
_GLUED = re.compile(r"(?<=[a-zåäö])(?=[A-ZÅÄÖ][a-zåäö])")


def header_kinds(line: str) -> list[str] | None:
    """Column kinds if the line is a findings table header, else None."""
    cols = [c.strip() for c in line.split("\t") if c.strip()]
    if not cols or not cols[0].casefold().startswith("styrkor"):
        return None
    if len(cols) == 1 and "förbättring" in cols[0].casefold():
        # PDF text: "Styrkor Förbättringsmöjligheter" without a tab.
        cols = re.split(r"\s+(?=Finns delar|Förbättring)", cols[0])
    kinds = []
    for col in cols:
        kind = next((k for key, k in _COLUMN_KINDS if key in col.casefold()), None)
        if kind is None:
            return None
        kinds.append(kind)
    return kinds


def split_items(cell: str) -> tuple[list[str], bool]:
    """Items of one table cell, and whether the first one continues the previous item."""
    marked = re.sub(r"<\s*p\b[^>]*>", _ITEM_BREAK, cell, flags=re.I)
    marked = re.sub(r"<\s*li\b[^>]*>", _ITEM_BREAK, marked, flags=re.I)
    has_markers = "•" in marked or _ITEM_BREAK in marked
    marked = marked.replace("•", _ITEM_BREAK)
    marked = html.unescape(re.sub(r"<[^>]{0,400}>", " ", marked))
    if not has_markers:
        marked = _GLUED.sub(_ITEM_BREAK, marked)
    parts = [clean(p) for p in marked.split(_ITEM_BREAK)]
    items = [p for p in parts if p and not _SEPARATOR_ROW.match(p)]
    if not items:
        return [], False
    # A continuation starts in lower case (or with a parenthesis) before any bullet.
    first_chunk = cell.split("•", 1)[0]
    lead = clean(html.unescape(re.sub(r"<[^>]{0,400}>", " ", first_chunk)))
    continues = bool(lead) and (lead[0].islower() or lead[0] == "(")
    return items, continues


def _append(target: list[str], items: list[str], continues: bool) -> None:
    if continues and target:
        head, *items = items
        prev = target[-1]
        joined = prev[:-1] + head if prev.endswith("-") and prev[-2:-1].isalpha() else f"{prev} {head}"
        target[-1] = joined
    target.extend(items)


def parse_findings(lines: list[str], start: int, end: int) -> tuple[dict[str, list[str]], list[str]]:
    """Findings in lines[start:end] of one area; returns (by kind, warnings)."""
    found: dict[str, list[str]] = {"strengths": [], "partial": [], "improvements": []}
    warnings: list[str] = []
    kinds: list[str] | None = None
    for idx in range(start, end):
        line = lines[idx]
        header = header_kinds(line)
        if header is not None:
            kinds = header
            continue
        if kinds is None or not line.strip() or _SEPARATOR_ROW.match(line):
            continue
        if not _is_table_row(line):
            kinds = None  # back in running text
            continue
        for col, cell in enumerate(line.split("\t")):
            if not cell.strip():
                continue
            kind = kinds[min(col, len(kinds) - 1)]
            items, continues = split_items(cell)
            if items and "•" not in cell and "<" not in cell and len(items[0]) > 200:
                warnings.append(
                    f"line {idx + 1}: findings written as plain text without item marks; "
                    "kept as one item per cell"
                )
            _append(found[kind], items, continues)
    return found, warnings


def _is_table_row(line: str) -> bool:
    """A row of a findings table: tabbed cells or list markup, not a prose paragraph."""
    return "\t" in line or "<ul" in line or "<p" in line or line.lstrip().startswith("•")

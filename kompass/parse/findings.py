"""Strengths, partial points and improvements of one area.

The tables come in several layouts: `<ul>` with "•" items, `<p>` items,
`<ul>` with items glued together, plain text, a three-column variant with
"Finns delar, kan bli bättre", and tables continued over a page break (with
or without the header repeated, the first item of the continuation ending
the last item before the break). In PDF text the tabs are gone: the header
may be split over lines and the body is running lines (`_read_untabbed`).
"""

from __future__ import annotations

import re

from kompass.domain.notices import Notice
from kompass.parse.common import clean, strip_tags

_COLUMN_KINDS = (
    ("finns delar", "partial"),
    ("förbättring", "improvements"),
    ("styrkor", "strengths"),
)
_SEPARATOR_ROW = re.compile(r"^[\s\-–—|]*$")
_PAGE_NUMBER = re.compile(r"^\s*\d{1,3}\s*$")
_ITEM_BREAK = "\x1f"
_CONJUNCTION = re.compile(r"(och|eller|samt|respektive|resp\.|som|till)\b")
_MAX_TITLE = 40  # a column title, not a sentence that starts with "Styrkor"
# A line that is nothing but a column title (PDF text puts each on a line of its own).
_TITLE_LINE = re.compile(
    r"(styrkor|finns delar,? kan bli bättre|förbättringsmöjligheter|förbättringsområden)", re.I
)
_MAX_BLANKS = 6  # blank lines a page break leaves between two column titles
# Items written without any bullet run together: "…enheterAnvändning av…",
# "…Agenda 2030Ny översiktsplan".
_GLUED = re.compile(r"(?<=[a-zåäö0-9)])(?=[A-ZÅÄÖ][a-zåäö])")
# "Styrkor Förbättringsmöjligheter" in PDF text; a run of spaces is tried once, from its start.
_TITLE_GAP = re.compile(r"(?<!\s)\s++(?=Finns delar|Förbättring)")
# Item marks: a tag ends at the next ">" (not a later one after another "<"), so that
# "<p<p<p…" without any ">" costs linear time.
_P_TAG = re.compile(r"<\s*p\b[^<>]*>", re.I)
_LI_TAG = re.compile(r"<\s*li\b[^<>]*>", re.I)


def header_kinds(line: str) -> list[str] | None:
    """Column kinds if the line is a findings table header, else None."""
    if "tyrkor" not in line and "TYRKOR" not in line:
        return None  # the common case, decided without splitting the line
    cols = [c.strip() for c in line.split("\t") if c.strip()]
    if not cols or not cols[0].casefold().startswith("styrkor"):
        return None
    if len(cols) == 1 and "förbättring" in cols[0].casefold():
        # PDF text: "Styrkor Förbättringsmöjligheter" without a tab.
        cols = _TITLE_GAP.split(cols[0])
    kinds = [_column_kind(col) for col in cols]
    return None if None in kinds else kinds  # type: ignore[return-value]


def _column_kind(title: str) -> str | None:
    """The finding kind a column title names ("Styrkor", …); None for other text."""
    if len(title) > _MAX_TITLE:
        return None
    return next((k for key, k in _COLUMN_KINDS if key in title.casefold()), None)


def read_header(lines: list[str], idx: int, end: int) -> tuple[list[str] | None, int]:
    """A findings header at lines[idx]: (column kinds, index after it) or (None, idx).

    PDF text may put each column title on a line of its own ("Styrkor" /
    "Förbättringsmöjligheter"); those lines are read as one header.
    """
    kinds = header_kinds(lines[idx])
    if kinds is None:
        return None, idx
    after = idx + 1
    if "\t" not in lines[idx]:
        while after < end and (kind := _column_kind(lines[after].strip())) and kind not in kinds:
            kinds.append(kind)
            after += 1
        # A page break between two titles leaves blank lines: "Styrkor", "", "", "Förbättring…".
        while (nxt := _title_after_blanks(lines, after, end)) is not None:
            kind = _column_kind(lines[nxt].strip())
            if kind is None or kind in kinds:
                break
            kinds.append(kind)
            after = nxt + 1
    return kinds, after


def _title_after_blanks(lines: list[str], start: int, end: int) -> int | None:
    """Index of a lone column title after one or more blank lines from `start`, else None."""
    idx = start
    while idx < end and idx - start <= _MAX_BLANKS and not lines[idx].strip():
        idx += 1
    if idx == start or idx >= end or not _TITLE_LINE.fullmatch(lines[idx].strip()):
        return None
    return idx


def split_items(cell: str) -> tuple[list[str], bool]:
    """Items of one table cell, and whether the first one continues the previous item."""
    marked = _P_TAG.sub(_ITEM_BREAK, cell)
    marked = _LI_TAG.sub(_ITEM_BREAK, marked)
    has_markers = "•" in marked or _ITEM_BREAK in marked
    marked = marked.replace("•", _ITEM_BREAK)
    marked = strip_tags(marked)
    if not has_markers:
        marked = _GLUED.sub(_ITEM_BREAK, marked)
    parts = [clean(p) for p in marked.split(_ITEM_BREAK)]
    items = [p for p in parts if p and not _SEPARATOR_ROW.match(p)]
    if not items:
        return [], False
    # A continuation starts in lower case (or with a parenthesis) before any bullet.
    first_chunk = cell.split("•", 1)[0]
    lead = clean(strip_tags(first_chunk))
    continues = bool(lead) and (lead[0].islower() or lead[0] == "(")
    return items, continues


def _append(target: list[str], items: list[str], continues: bool) -> None:
    if continues and target:
        head, *items = items
        target[-1] = join_continuation(target[-1], head)
    target.extend(items)


def join_continuation(before: str, after: str) -> str:
    """Join an item cut by a page break; "verksamhets-" + "nivå" is one word.

    A hyphen followed by a conjunction is Swedish shorthand ("uppföljnings- och
    rapporteringssystem") and keeps its hyphen and space.
    """
    hyphenated = before.endswith("-") and before[-2:-1].isalpha()
    if hyphenated and not _CONJUNCTION.match(after):
        return before[:-1] + after
    return f"{before} {after}"


def parse_findings(
    lines: list[str], start: int, end: int
) -> tuple[dict[str, list[str]], list[str]]:
    """Findings in lines[start:end] of one area; returns (by kind, warnings)."""
    found: dict[str, list[str]] = {"strengths": [], "partial": [], "improvements": []}
    warnings: list[str] = []
    kinds: list[str] | None = None
    idx = start
    while idx < end:
        header, after = read_header(lines, idx, end)
        if header is not None:
            kinds = header
            if "\t" not in lines[idx]:
                idx = _read_untabbed(lines, idx, after, end, kinds, found, warnings)
            else:
                idx = after
            continue
        line = lines[idx]
        idx += 1
        if kinds is None or not line.strip() or _SEPARATOR_ROW.match(line):
            continue
        if _PAGE_NUMBER.match(line):
            continue  # a page number left in text without form feeds
        if not _is_table_row(line):
            kinds = None  # back in running text
            continue
        _read_row(line, idx, kinds, found, warnings)
    return found, warnings


def _read_row(
    line: str, line_no: int, kinds: list[str], found: dict[str, list[str]], warnings: list[str]
) -> None:
    """One tab-separated table row: each cell's items go to its column's kind."""
    for col, cell in enumerate(line.split("\t")):
        if not cell.strip():
            continue
        kind = kinds[min(col, len(kinds) - 1)]
        items, continues = split_items(cell)
        if items and "•" not in cell and "<" not in cell and len(items[0]) > 200:
            warnings.append(
                Notice(
                    "findings_without_item_marks",
                    f"line {line_no}: findings written as plain text without item marks; "
                    "kept as one item per cell",
                    line=line_no,
                )
            )
        _append(found[kind], items, continues)


def _read_untabbed(
    lines: list[str],
    header: int,
    start: int,
    end: int,
    kinds: list[str],
    found: dict[str, list[str]],
    warnings: list[str],
) -> int:
    """A table whose header has no tabs (PDF text): its body is running lines.

    The body runs to the next header or the end of the area. Lines that start
    with "•" start items, other lines continue them. Without column separators
    a multi-column table cannot be split into strengths and improvements:
    rather than mislabel them, its items are left out, with a warning.
    """
    body: list[str] = []
    idx = start
    while idx < end and read_header(lines, idx, end)[0] is None:
        line = lines[idx].strip()
        if line and not _SEPARATOR_ROW.match(line):
            body.append(line)
        idx += 1
    if not body:
        return idx
    # A title of another column inside the body (a header cut apart): not one column either.
    stray = [t for t in body if _TITLE_LINE.fullmatch(t) and _column_kind(t) not in kinds]
    if len(kinds) > 1 or stray:
        warnings.append(
            Notice(
                "findings_without_columns",
                f"line {header + 1}: findings table without column separators (PDF text?); "
                "strengths and improvements cannot be told apart, so its items are not stored",
                line=header + 1,
            )
        )
        return idx
    items, continues = split_items(_join_lines(body))
    _append(found[kinds[0]], items, continues)
    return idx


def _join_lines(body: list[str]) -> str:
    """The running lines of a table body as one text: "•" starts an item, other lines
    continue the one before (`join_continuation`, which looks at two characters only).

    Built from parts, so that a long body costs linear time, not quadratic.
    """
    parts = [body[0]]
    for line in body[1:]:
        if line.startswith("•"):
            parts.append(f" {line}")
            continue
        last = parts.pop()
        parts += [last[:-2], join_continuation(last[-2:], line)]
    return "".join(parts)


def _is_table_row(line: str) -> bool:
    """A row of a findings table: tabbed cells or list markup, not a prose paragraph."""
    return "\t" in line or "<ul" in line or "<p" in line or line.lstrip().startswith("•")

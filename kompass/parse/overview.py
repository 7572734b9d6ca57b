"""The score overview ("Översikt av poängfördelning"): sub-area tables.

Tables arrive as tab-separated rows (text exports), as whitespace-separated
rows or one cell per line (PDF text). All three are read the same way: the
section is cut into tokens (code, text, number, percent, column header),
each with its line, and a small state machine walks them.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from kompass.domain.notices import Notice
from kompass.parse.common import cells, clean, is_number, to_number
from kompass.parse.model import ParseError, SubArea

_AREA_CODE = re.compile(r"^([1-8])\.?$")
_SUB_CODE = re.compile(r"^([1-8])\.(\d{1,2})\.?$")
_LEADING_CODE = re.compile(r"^([1-8]\.(?:\d{1,2}\.?)?)\s+(.*)$")
_HEADER_WORDS = {"uppnått", "max", "procent", "poäng", "%"}
_PERCENT = re.compile(r"^\d{1,3}(?:[.,]\d+)?\s?%$")
_NEGATIVE = re.compile(r"^[-−–]\s?\d{1,4}(?:[.,]\d+)?$")
AREA_MAX = 100  # every area scores 0–100
MAX_TITLE = 200  # an area table's title; what follows in a runaway title is not kept
MAX_TABLE_LINE = 5000  # a row of a score table is far shorter
# The eight tables take about 500 tokens; what lies beyond this many is not read.
MAX_TOKENS = 100_000


@dataclass
class Token:
    kind: str  # area | sub | text | num | neg | pct | head
    value: str
    line: int


@dataclass
class AreaTable:
    number: int
    title: str
    line: int
    subareas: list[SubArea] = field(default_factory=list)
    subtotal: float | None = None
    subtotal_max: float | None = None
    subtotal_line: int | None = None


def _split_cell(cell: str) -> list[str]:
    """Peel a leading code and trailing numbers/headers off a cell."""
    head: list[str] = []
    m = _LEADING_CODE.match(cell)
    if m and not is_number(cell):
        head, cell = [m.group(1)], m.group(2)
    words = cell.split(" ")
    tail: list[str] = []
    while len(words) > 1 and (
        is_number(words[-1]) or _PERCENT.match(words[-1]) or words[-1].casefold() in _HEADER_WORDS
    ):
        tail.append(words.pop())
    if len(words) > 1 and words[-1] == "%" and tail:
        words.pop()
    body = " ".join(words)
    return head + ([body] if body else []) + tail[::-1]


def tokenize(lines: list[str], start: int, end: int) -> Iterator[Token]:
    """Tokens of lines[start:end] (0-based indexes; tokens carry 1-based lines).

    A line longer than MAX_TABLE_LINE is running text, one text token: a table
    row is short, and cutting a long line into words would cost memory.
    """
    for idx in range(start, end):
        line = lines[idx]
        if len(line) > MAX_TABLE_LINE:
            yield Token("text", clean(line[:MAX_TITLE]), idx + 1)
            continue
        for pos, cell in enumerate(c for raw in cells(line) for c in _split_cell(raw)):
            yield Token(_kind(cell, first=pos == 0), cell, idx + 1)


def _kind(cell: str, first: bool) -> str:
    if cell.casefold() in _HEADER_WORDS:
        return "head"
    if _PERCENT.match(cell):
        return "pct"
    if first and _SUB_CODE.match(cell):
        return "sub"
    if first and _AREA_CODE.match(cell) and cell.endswith("."):
        return "area"
    if is_number(cell):
        return "num"
    if _NEGATIVE.match(cell):
        return "neg"
    return "text"


class _Walker:
    """Walks tokens into area tables."""

    def __init__(self) -> None:
        self.tables: list[AreaTable] = []
        self.name: list[str] = []
        self.code: str | None = None
        self.code_line = 0
        self.numbers: list[Token] = []

    @property
    def table(self) -> AreaTable | None:
        return self.tables[-1] if self.tables else None

    def feed(self, tok: Token) -> None:
        if tok.kind == "neg":
            self._negative(tok)
        pending_sub = self.code is not None
        if tok.kind == "sub" and pending_sub and self.name and len(self.numbers) < 2:
            tok.kind = "num"  # "4.5" as a score right after a name
        if tok.kind == "num":
            # A number on a new line after a complete row starts something else.
            if pending_sub and len(self.numbers) >= 2 and tok.line != self.numbers[-1].line:
                self.flush()
            self.numbers.append(tok)
            return
        if tok.kind == "pct":
            if pending_sub and len(self.numbers) >= 2:
                self.flush()
            return
        self.flush()
        self._start(tok)

    def _negative(self, tok: Token) -> None:
        """Scores run from 0: a negative number in a sub-area or subtotal row is refused.

        Outside the tables (a "Kortfakta" population change after them) it is text.
        """
        table = self.table
        row_done = len(self.numbers) >= 2 and tok.line != self.numbers[-1].line
        fields: dict[str, Any]
        if self.code is not None and not row_done:
            where = f"sub-area {self.code}"
            code, fields = "negative_subarea_score", {"subarea": self.code}
        elif (
            table is not None
            and (self.code is not None or table.subareas)
            and (table.subtotal is None)
        ):
            where = f"area {table.number}'s subtotal row"
            code, fields = "negative_subtotal", {"area": table.number}
        else:
            tok.kind = "text"
            return
        raise ParseError(
            f"score overview: {where} has a negative number {tok.value}",
            tok.line,
            code=code,
            fields={**fields, "value": tok.value},
        )

    def _start(self, tok: Token) -> None:
        if tok.kind == "area":
            self.tables.append(AreaTable(int(tok.value.rstrip(".")), "", tok.line))
        elif tok.kind == "sub":
            self.code, self.code_line = tok.value.rstrip("."), tok.line
        elif tok.kind == "text" and self.table is not None:
            if self.code is not None:
                self.name.append(tok.value)
            elif not self.table.subareas and len(self.table.title) < MAX_TITLE:
                self.table.title = clean(f"{self.table.title} {tok.value}")

    def flush(self) -> None:
        """Close the pending row: a sub-area or a subtotal."""
        table, nums = self.table, self.numbers
        if table is None:
            self.numbers = []
        elif self.code is not None:
            if len(nums) >= 2:
                extra = " ".join(t.value for t in nums[:-2])
                name = clean(" ".join(self.name) + " " + extra)
                achieved, top = to_number(nums[-2].value), to_number(nums[-1].value)
                table.subareas.append(SubArea(self.code, name, achieved, top, self.code_line))
                self.code, self.name, self.numbers = None, [], []
        else:
            self._take_subtotal(table, nums)
            self.numbers = []

    @staticmethod
    def _take_subtotal(table: AreaTable, nums: list[Token]) -> None:
        """The subtotal is the pair "achieved max" whose max is the sum of maxima.

        Any other bare number here (a page number) is ignored.
        """
        if not table.subareas or table.subtotal is not None:
            return
        maxes = sum(s.max for s in table.subareas)
        pairs = [(a, b) for a, b in zip(nums, nums[1:], strict=False)]
        fitting = [p for p in pairs if abs(to_number(p[1].value) - maxes) < 0.01]
        chosen = fitting[-1] if fitting else (pairs[-1] if len(nums) == 2 else None)
        if chosen:
            table.subtotal = to_number(chosen[0].value)
            table.subtotal_max = to_number(chosen[1].value)
            table.subtotal_line = chosen[0].line


def parse_overview(lines: list[str], start: int, end: int) -> dict[int, AreaTable]:
    """Area tables found between lines[start:end], keyed by area number."""
    walker = _Walker()
    last_line = start
    for count, tok in enumerate(itertools.islice(tokenize(lines, start, end), MAX_TOKENS), 1):
        walker.feed(tok)
        if count == MAX_TOKENS:
            last_line = tok.line
    walker.flush()
    if last_line > start and len({t.number for t in walker.tables if t.subareas}) < 8:
        raise ParseError.coded(
            "overview_too_long",
            f"score overview: its eight tables are not complete within {MAX_TOKENS:,} cells "
            "(the rest is not read)",
            line=last_line,
            cells=MAX_TOKENS,
        )
    if walker.code is not None:
        raise ParseError.coded(
            "subarea_without_numbers",
            f"score overview: sub-area {walker.code} has no 'achieved  max' numbers "
            "(file cut off?)",
            line=walker.code_line,
            subarea=walker.code,
        )
    tables: dict[int, AreaTable] = {}
    for table in walker.tables:
        if table.subareas and table.number not in tables:
            tables[table.number] = table
    return tables


def check_table(table: AreaTable, last_line: int) -> list[str]:
    """Validate one area's table; return warnings, raise ParseError if unusable.

    An area scores 0–100: its sub-areas' maxima add up to 100 at most, each
    sub-area scores 0–max, and no code comes twice. A table that breaks this
    is corrupt (a mangled export, a duplicated row) and is refused rather than
    stored.
    """
    warnings: list[str] = []
    _check_subareas(table)
    maxes = sum(s.max for s in table.subareas)
    if maxes > AREA_MAX + 0.01:
        raise ParseError.coded(
            "area_maxima_over_limit",
            f"score overview: the maxima of area {table.number}'s sub-areas add up to "
            f"{maxes:g}, more than {AREA_MAX}",
            line=table.subareas[-1].line,
            area=table.number,
            maxima=maxes,
            limit=AREA_MAX,
        )
    if table.subtotal is None:
        if abs(maxes - AREA_MAX) > 0.01:
            raise ParseError.coded(
                "area_table_incomplete",
                f"score overview: area {table.number} table is incomplete (maxima add up to "
                f"{maxes:g} of 100, no subtotal row; file cut off?)",
                line=table.subareas[-1].line if table.subareas else last_line,
                area=table.number,
                maxima=maxes,
            )
        warnings.append(
            Notice(
                "no_subtotal_row",
                f"area {table.number}: no subtotal row in the score overview; "
                "the sum of its sub-areas is used",
                area=table.number,
            )
        )
    else:
        top = min(table.subtotal_max or AREA_MAX, AREA_MAX)
        if not 0 <= table.subtotal <= top:
            raise ParseError.coded(
                "subtotal_out_of_range",
                f"score overview: area {table.number} subtotal {table.subtotal:g} "
                f"outside 0–{top:g}",
                line=table.subtotal_line,
                area=table.number,
                subtotal=table.subtotal,
                top=top,
            )
    if table.subtotal_max is not None and abs(table.subtotal_max - maxes) > 0.01:
        warnings.append(
            Notice(
                "subtotal_max_mismatch",
                f"area {table.number}: sub-area maxima add up to {maxes:g}, "
                f"the subtotal row says {table.subtotal_max:g}",
                area=table.number,
                maxima=maxes,
                subtotal_max=table.subtotal_max,
            )
        )
    return warnings


def _check_subareas(table: AreaTable) -> None:
    seen: set[str] = set()
    for sub in table.subareas:
        if not sub.code.startswith(f"{table.number}."):
            raise ParseError.coded(
                "subarea_in_wrong_area",
                f"score overview: sub-area {sub.code} listed under area {table.number}",
                line=sub.line,
                subarea=sub.code,
                area=table.number,
            )
        if sub.code in seen:
            raise ParseError.coded(
                "subarea_listed_twice",
                f"score overview: sub-area {sub.code} listed twice",
                line=sub.line,
                subarea=sub.code,
            )
        seen.add(sub.code)
        if not 0 < sub.max <= AREA_MAX:
            raise ParseError.coded(
                "subarea_max_out_of_range",
                f"score overview: sub-area {sub.code} has max {sub.max:g} "
                f"(an area has {AREA_MAX} points)",
                line=sub.line,
                subarea=sub.code,
                max=sub.max,
                limit=AREA_MAX,
            )
        if sub.score < 0 or sub.score > sub.max:
            raise ParseError.coded(
                "subarea_score_out_of_range",
                f"score overview: sub-area {sub.code} scores {sub.score:g} of max {sub.max:g}",
                line=sub.line,
                subarea=sub.code,
                score=sub.score,
                max=sub.max,
            )

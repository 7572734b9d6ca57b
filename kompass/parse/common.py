"""Small text helpers shared by the parser modules."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator

# Layout tags of the text exports (`<ul>`, `<li>`, `<p>`, …). Anything else that looks
# like a tag (`<script>`, `<img onerror=…>`, "< 5 %") is report text and is kept as text:
# the parser never drops or interprets it (the app escapes it on display).
_TAG = re.compile(
    r"</?(?:ul|ol|li|p|br|hr|div|span|font|b|i|u|em|strong|small|sup|sub|"
    r"table|thead|tbody|tfoot|tr|td|th|h[1-6])\b[^<>]{0,400}>",
    re.I,
)
_NUMBER = re.compile(r"^\d{1,4}(?:[.,]\d+)?$")
_WHITESPACE = re.compile(r"\s+")
_FILLED = re.compile(r"\S")

MONTHS = {
    "januari": 1, "februari": 2, "mars": 3, "april": 4, "maj": 5, "juni": 6,
    "juli": 7, "augusti": 8, "september": 9, "oktober": 10, "november": 11, "december": 12,
}  # fmt: skip

ORDINALS = {
    "första": 1, "andra": 2, "tredje": 3, "fjärde": 4, "femte": 5,
    "sjätte": 6, "sjunde": 7, "åttonde": 8,
}  # fmt: skip


def strip_tags(text: str) -> str:
    """Text without layout tags (`_TAG`), entities decoded; other markup stays as text."""
    if "<" not in text and "&" not in text:
        return text
    return html.unescape(_TAG.sub(" ", text))


def cells(line: str) -> list[str]:
    """Tab-separated cells of a line, tags removed, empty cells dropped."""
    out = [_WHITESPACE.sub(" ", strip_tags(c)).strip() for c in _filled_chunks(line)]
    return [c for c in out if c]


def _filled_chunks(line: str) -> Iterator[str]:
    """The tab-separated parts of a line that hold more than whitespace.

    Blank parts are skipped by a search, not one by one: a line of a million
    tabs costs one scan.
    """
    pos = 0
    while found := _FILLED.search(line, pos):
        start = line.rfind("\t", 0, found.start()) + 1
        end = line.find("\t", found.start())
        end = len(line) if end < 0 else end
        yield line[start:end]
        pos = end


def is_number(token: str) -> bool:
    return bool(_NUMBER.match(token.strip()))


def to_number(token: str) -> float:
    """A report number: decimal comma or point."""
    return float(token.strip().replace(",", "."))


def clean(text: str) -> str:
    """Collapse whitespace."""
    return _WHITESPACE.sub(" ", text).strip()

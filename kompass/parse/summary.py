"""The summary table some reports carry before the areas (sala-2023).

    \tSala 2023\tSala 2019\tMedel 2020-
    1 Samspel mellan förtroendevalda och medborgare\t66\t51\t64
    …
    Totalt\t482\t363\t515

Columns: this evaluation, previous evaluations of the same municipality,
and reference means ("Medel …").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from kompass.parse.common import cells, is_number, to_number
from kompass.parse.model import ScoreSeries

_LABEL = re.compile(r"[A-ZÅÄÖa-zåäö][\wåäöÅÄÖ .]*?\s(?:19|20)\d\d-?")
_ROW = re.compile(r"^\s*([1-8])\.?\s+(.*)$")
_TOTAL = re.compile(r"^\s*(totalt?|summa|total poäng)\b", re.I)
_MEAN = re.compile(r"\b(medel|medelvärde|snitt|genomsnitt)", re.I)


AREA_MAX = 100
TOTAL_MAX = 800


@dataclass
class Summary:
    current: ScoreSeries | None
    previous: list[ScoreSeries]
    references: list[ScoreSeries]
    warnings: list[str] = field(default_factory=list)


def _header_labels(line: str) -> list[str] | None:
    if len(line.strip()) > 120:
        return None  # running text, not a table header
    parts = cells(line)
    if len(parts) < 2 and parts:
        parts = [m.group(0).strip() for m in _LABEL.finditer(parts[0])]
    if len(parts) >= 2 and all(re.search(r"(19|20)\d\d", p) and len(p) <= 30 for p in parts):
        return parts
    return None


def _numbers(line: str, count: int) -> list[float] | None:
    tokens = [t for c in cells(line) for t in c.split(" ")]
    tail = tokens[-count:]
    if len(tail) == count and all(is_number(t) for t in tail):
        return [to_number(t) for t in tail]
    return None


def parse_summary(lines: list[str], start: int, end: int, municipality: str, year: int) -> Summary:
    """The first summary table in lines[start:end], or an empty Summary."""
    for idx in range(start, end):
        labels = _header_labels(lines[idx])
        if labels:
            series = _read_rows(lines, idx, end, labels)
            if series:
                problem = _out_of_range(series)
                if problem:  # a corrupt table: none of its columns can be trusted
                    return Summary(
                        None, [], [], [f"line {idx + 1}: summary table ignored: {problem}"]
                    )
                return _classify(series, municipality, year)
    return Summary(None, [], [])


def _out_of_range(series: list[ScoreSeries]) -> str | None:
    """What is impossible in the table (an area outside 0–100, a total outside 0–800)."""
    for s in series:
        for area, score in enumerate(s.scores, start=1):
            if score is not None and not 0 <= score <= AREA_MAX:
                return f"{s.label!r} gives area {area} {score:g} points (0–{AREA_MAX})"
        if s.total is not None and not 0 <= s.total <= TOTAL_MAX:
            return f"{s.label!r} gives a total of {s.total:g} (0–{TOTAL_MAX})"
    return None


def _read_rows(lines: list[str], header: int, end: int, labels: list[str]) -> list[ScoreSeries]:
    series = [ScoreSeries(label, [None] * 8, None, header + 1) for label in labels]
    found = 0
    for idx in range(header + 1, min(end, header + 30)):
        line = lines[idx]
        if not line.strip():
            continue
        values = _numbers(line, len(labels))
        row = _ROW.match(line)
        if values and _TOTAL.match(line):
            for s, v in zip(series, values, strict=True):
                s.total = v
            break
        if values and row:
            found += 1
            for s, v in zip(series, values, strict=True):
                s.scores[int(row.group(1)) - 1] = v
        elif found:
            break
    return series if found >= 8 else []


def _classify(series: list[ScoreSeries], municipality: str, year: int) -> Summary:
    current: ScoreSeries | None = None
    previous: list[ScoreSeries] = []
    references: list[ScoreSeries] = []
    for s in series:
        label_year = re.search(r"(19|20)\d\d", s.label)
        s.year = int(label_year.group(0)) if label_year else None
        if _MEAN.search(s.label):
            references.append(s)
        elif s.year == year:
            current = s
        elif s.year is not None and s.year < year and _names_us(s.label, municipality):
            previous.append(s)
        # a later year or an unknown label: not ours to interpret
    return Summary(current, previous, references)


def _names_us(label: str, municipality: str) -> bool:
    """A column label about this municipality ("Sala 2019"), not another one."""
    words = re.sub(r"(19|20)\d\d-?", "", label).strip().casefold()
    return not words or municipality.casefold()[:4] in words

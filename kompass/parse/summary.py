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

from kompass.domain.notices import Notice
from kompass.parse.common import cells, is_number, to_number
from kompass.parse.model import ScoreSeries

_LABEL = re.compile(r"[A-ZÅÄÖa-zåäö][\wåäöÅÄÖ .]*?\s(?:19|20)\d\d-?")
_ROW = re.compile(r"^\s*([1-8])\.?\s+(.*)$")
_TOTAL = re.compile(r"^\s*(totalt?|summa|total poäng)\b", re.I)
_YEAR = re.compile(r"(19|20)\d\d")
_MEAN = re.compile(r"\b(medel|medelvärde|snitt|genomsnitt)", re.I)


AREA_MAX = 100
TOTAL_MAX = 800
MAX_SCAN = 5000  # lines searched for the table (it comes within the first few hundred)
MAX_ROW = 1000  # a row of the summary table: an area's name and a few numbers


@dataclass
class Summary:
    current: ScoreSeries | None
    previous: list[ScoreSeries]
    references: list[ScoreSeries]
    warnings: list[str] = field(default_factory=list)


def _header_labels(line: str) -> list[str] | None:
    stripped = line.strip()
    if len(stripped) > 120:
        return None  # running text, not a table header
    parts = cells(stripped)
    if len(parts) == 1 and _YEAR.search(parts[0]):  # no year, no label: skip the search
        parts = [m.group(0).strip() for m in _LABEL.finditer(parts[0])]
    if len(parts) >= 2 and all(_YEAR.search(p) and len(p) <= 30 for p in parts):
        return parts
    return None


def _numbers(line: str, count: int) -> list[float] | None:
    if len(line) > MAX_ROW:
        return None  # running text: the window of rows after a header never splits it
    tokens = [t for c in cells(line) for t in c.split(" ")]
    tail = tokens[-count:]
    if len(tail) == count and all(is_number(t) for t in tail):
        return [to_number(t) for t in tail]
    return None


def parse_summary(lines: list[str], start: int, end: int, municipality: str, year: int) -> Summary:
    """The first summary table in lines[start:end], or an empty Summary.

    It comes before the first area, among the first MAX_SCAN lines: beyond them the
    search stops (a header test costs up to 120² regex steps a line).
    """
    for idx in range(start, min(end, start + MAX_SCAN)):
        labels = _header_labels(lines[idx])
        if labels:
            series, total_line = _read_rows(lines, idx, end, labels)
            if series:
                problem = _out_of_range(series, idx + 1)
                if problem:  # a corrupt table: none of its columns can be trusted
                    return Summary(None, [], [], [problem])
                warnings = _drop_impossible_totals(series, total_line)
                summary = _classify(series, municipality, year)
                summary.warnings += warnings
                return summary
    return Summary(None, [], [])


def _out_of_range(series: list[ScoreSeries], line: int) -> Notice | None:
    """What is impossible in the table's area rows (an area outside 0–100)."""
    for s in series:
        for area, score in enumerate(s.scores, start=1):
            if score is not None and not 0 <= score <= AREA_MAX:
                problem = f"{s.label!r} gives area {area} {score:g} points (0–{AREA_MAX})"
                return Notice(
                    "summary_table_ignored",
                    f"line {line}: summary table ignored: {problem}",
                    line=line,
                    label=s.label,
                    area=area,
                    score=score,
                    limit=AREA_MAX,
                )
    return None


def _drop_impossible_totals(series: list[ScoreSeries], line: int) -> list[str]:
    """A total outside 0–800 is dropped (with a warning), its column and the others kept."""
    warnings: list[str] = []
    for s in series:
        if s.total is not None and not 0 <= s.total <= TOTAL_MAX:
            warnings.append(
                Notice(
                    "summary_total_ignored",
                    f"line {line}: summary table: {s.label!r} gives a total of "
                    f"{s.total:g} (0–{TOTAL_MAX}); that total is ignored",
                    line=line,
                    label=s.label,
                    total=s.total,
                    limit=TOTAL_MAX,
                )
            )
            s.total = None
    return warnings


def _read_rows(
    lines: list[str], header: int, end: int, labels: list[str]
) -> tuple[list[ScoreSeries], int]:
    """The table's columns (empty unless all eight area rows are there) and its total's line."""
    series = [ScoreSeries(label, [None] * 8, None, header + 1) for label in labels]
    found = 0
    total_line = header + 1
    for idx in range(header + 1, min(end, header + 30)):
        line = lines[idx]
        if not line.strip():
            continue
        values = _numbers(line, len(labels))
        row = _ROW.match(line)
        if values and _TOTAL.match(line):
            for s, v in zip(series, values, strict=True):
                s.total = v
            total_line = idx + 1
            break
        if values and row:
            found += 1
            for s, v in zip(series, values, strict=True):
                s.scores[int(row.group(1)) - 1] = v
        elif found:
            break
    return (series if found >= 8 else []), total_line


def _classify(series: list[ScoreSeries], municipality: str, year: int) -> Summary:
    current: ScoreSeries | None = None
    previous: list[ScoreSeries] = []
    references: list[ScoreSeries] = []
    for s in series:
        label_year = _YEAR.search(s.label)
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

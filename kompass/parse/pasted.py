"""A result pasted from a web page or a press release -> rows of the import formats (issue #11).

Kommunkompassen results mostly exist as summaries: "1. Offentlighet och
demokrati 61 … Totalt fick Grästorp 506 av totalt 800 poäng". `recognise`
reads such text, without a database, into rows with the columns of the CSV
imports (`kompass.store.imports`): result rows (kommun, ar, manad, ramverk,
omrade1…8, total, kalla) and reference rows, means the text gives beside the
scores (etikett, ramverk, ar, antal_kommuner, omrade1…8, total, kalla).

Shapes read, line by line:
- numbered lists and bullets: "1. Offentlighet och demokrati 61",
  "• Tillgänglighet och brukarorientering: 60 (63)"; a number in parentheses
  is a second series, a mean, named as the text names it ("Siffran inom
  parentes är Sverigesnittet") or `DEFAULT_MEAN_LABEL`;
- tables, one row a line (tabs, "|", ";" or spaces between the cells), with
  a header naming the columns: "Område 2019 2023 Snitt" gives a result per
  year column and a reference per mean column; "Område Poäng Max" ignores
  the column it does not know;
- several areas on one line ("Offentlighet och demokrati 61, Tillgänglighet … 60");
- an area name alone on a line with its numbers on the next (table cells copied one a line);
- totals: "Totalt 506", "Totalpoäng: 506", "506 av 800", "totalt 506 poäng".

Area names are those of `kompass.domain.frameworks` (both generations, the
2016 revision's names, headings without the dash), matched by their leading
words, so "Kommun som samhällsbyggare" and "Kommunen som arbetsgivare" are
found too. The framework follows from the names, else from the year (2020
from 2020 on). Municipality, year and month come from the text where it says
them ("utvärdering av Grästorps kommun … i slutet av oktober 2014").

Nothing is computed: a total is only ever the total the text states, and a
value the text does not give is None. `completed` adds the source and the
user's corrections and refuses what cannot be imported; `scores_csv` and
`reference_csv` write the rows in the import formats, so storing goes through
the imports' own validation.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any

from kompass.domain.frameworks import area_names, normalise_name
from kompass.domain.municipalities import Municipality, by_code
from kompass.domain.municipalities import resolve_municipality as resolve_name
from kompass.domain.notices import Notice
from kompass.parse.common import MONTHS, strip_tags

MAX_TEXT_CHARS = 200_000
AREA_COLUMNS = tuple(f"omrade{n}" for n in range(1, 9))
# The import formats' columns (kompass.store.imports.SCORE_COLUMNS / REFERENCE_COLUMNS;
# a test checks they agree: this floor cannot import the store).
RESULT_COLUMNS = ("kommun", "ar", "manad", "ramverk", *AREA_COLUMNS, "total", "kalla")
REFERENCE_COLUMNS = ("etikett", "ramverk", "ar", "antal_kommuner", *AREA_COLUMNS, "total", "kalla")
# A mean the text gives without naming it: stored data (the series' label), not UI text.
DEFAULT_MEAN_LABEL = "Medel (enligt källan)"
FIRST_YEAR, LAST_YEAR = 2002, 2100
AREA_MAX, TOTAL_MAX = 100.0, 800.0
SECOND_FRAMEWORK_YEAR = 2020

Row = dict[str, Any]


class PasteError(ValueError):
    """Text that cannot become import rows; `notice` says why (present.notices words it)."""

    def __init__(self, notice: Notice) -> None:
        super().__init__(str(notice))
        self.notice = notice


@dataclass(frozen=True)
class Pasted:
    """What a pasted text holds: rows in the import columns, what was read, and notices.

    `municipality` (SCB code), `year`, `month` and `framework` are what the text
    says (None where it does not); a row's values come from these unless its
    column names its own year.
    """

    results: list[Row]
    references: list[Row]
    notices: list[Notice] = field(default_factory=list)
    municipality: str | None = None
    year: int | None = None
    month: int | None = None
    framework: str | None = None
    framework_named: bool = False  # the area names decided it (else each row's year)

    @property
    def municipality_name(self) -> str | None:
        found = by_code(self.municipality) if self.municipality else None
        return found.name if found else None


# --- area names ------------------------------------------------------------------


@dataclass(frozen=True)
class _Name:
    words: tuple[str, ...]
    framework: str
    area: int


@lru_cache(maxsize=1)
def _names() -> tuple[_Name, ...]:
    """Every area name of both generations, as normalised words.

    A sub-area table title that is another generation's area name ("Offentlighet
    och demokrati" titles 2020 table 1 but is 2010 area 1) is left out: it would
    decide nothing.
    """
    rows = area_names()
    named = {(normalise_name(r.name), r.framework) for r in rows if r.role != "table_title"}
    out = []
    for r in rows:
        key = normalise_name(r.name)
        if r.role == "table_title" and any(k == key and f != r.framework for k, f in named):
            continue
        out.append(_Name(tuple(key.split()), r.framework, r.area))
    return tuple(out)


def _same_word(a: str, b: str) -> bool:
    """Equal, or one a prefix of the other of at least five letters ("kommun", "kommunen")."""
    short, long_ = sorted((a, b), key=len)
    return a == b or (len(short) >= 5 and long_.startswith(short))


def _leading(label: tuple[str, ...], name: tuple[str, ...]) -> int:
    n = 0
    for a, b in zip(label, name, strict=False):
        if not _same_word(a, b):
            break
        n += 1
    return n


def match_area(label: str) -> tuple[int, set[str]] | None:
    """(area, frameworks) of the area name a label starts with, or None.

    The label holds the whole name ("Kommunen som arbetsgivare - personalpolitik
    56") or at least its first two words when only one name starts so
    ("Kommunen som arbetsgivare"). The longest match wins; frameworks holds
    every generation with that name for that area.
    """
    words = tuple(normalise_name(label).split())
    if not words:
        return None
    best: list[tuple[float, _Name]] = []
    for name in _names():
        n = _leading(words, name.words)
        whole = n == len(name.words)
        shortened = n == len(words) and n >= 2
        if not (whole or shortened):
            continue
        score = n + (0.5 if whole else 0)
        if not best or score > best[0][0]:
            best = [(score, name)]
        elif score == best[0][0]:
            best.append((score, name))
    areas = {name.area for _, name in best}
    if len(areas) != 1:
        return None
    return areas.pop(), {name.framework for _, name in best}


# --- municipality, year, month ---------------------------------------------------

_YEAR = r"(?:20[0-9]{2})"
_MONTH_NAMES = "|".join(MONTHS)
_MONTH_YEAR = re.compile(rf"\b({_MONTH_NAMES})\s+({_YEAR})\b", re.I)
_YEAR_WORDS = re.compile(
    rf"(?:kommunkompassen|utvärdering\w*|genomför\w*|resultat\w*|analys)[^\d\n]{{0,40}}?\b({_YEAR})\b",
    re.I,
)
_ANY_YEAR = re.compile(rf"\b({_YEAR})\b")
# "utvärdering av Grästorps kommun", "Lunds kommun", "Göteborgs Stad".
_NAMED = re.compile(
    r"((?:[A-ZÅÄÖ][\w\-]{0,40}+[ \t]++){0,2}[A-ZÅÄÖ][\w\-]{0,40}+)[ \t]++"
    r"(?:kommuns?|[Ss]tads?)\b(?!\w)"
)


def find_municipality(text: str) -> Municipality | None:
    """The municipality the text is about: "X kommun"/"X stad" first, else a bare name.

    The most frequent wins; a tie (two names equally often) decides nothing.
    """
    named: Counter[str] = Counter()
    for match in _NAMED.finditer(text):
        words = match.group(1).split()
        for start in range(len(words)):  # "Grästorps", "Upplands Väsby", "av Lunds" -> Lunds
            found = resolve_name(" ".join(words[start:]))
            if found is not None:
                named[found.code] += 1
                break
    if not named:
        named = _bare_names(text)
    return _most_common(named)


def _bare_names(text: str) -> Counter[str]:
    """Names as written ("Grästorp", "Grästorps", "Upplands Väsby"), capitalised words."""
    counts: Counter[str] = Counter()
    words = [w.strip(".,;:!?()\"'”“") for w in text.split()]
    for i, word in enumerate(words):
        if not word[:1].isupper():
            continue
        for n in (3, 2, 1):  # the longest name first: "Upplands Väsby" before "Väsby"
            found = resolve_name(" ".join(words[i : i + n])) if i + n <= len(words) else None
            if found is not None and not re.fullmatch(r"\d+", word):
                counts[found.code] += 1
                break
    return counts


def _most_common(counts: Counter[str]) -> Municipality | None:
    ranked = counts.most_common(2)
    if not ranked or (len(ranked) == 2 and ranked[0][1] == ranked[1][1]):
        return None
    return by_code(ranked[0][0])


def find_year_month(text: str) -> tuple[int | None, int | None]:
    """The evaluation's year and month: "oktober 2014" first, then a year beside
    "Kommunkompassen", "utvärdering", "genomfördes", "resultat"; else the only year."""
    dated = [(int(y), MONTHS[m.casefold()]) for m, y in _MONTH_YEAR.findall(text)]
    if dated:
        year = Counter(y for y, _ in dated).most_common(1)[0][0]
        return year, next(m for y, m in dated if y == year)
    worded = Counter(int(y) for y in _YEAR_WORDS.findall(text))
    if worded:
        return worded.most_common(1)[0][0], None
    years = {int(y) for y in _ANY_YEAR.findall(text)}
    return (years.pop() if len(years) == 1 else None), None


def framework_of_year(year: int) -> str:
    return "2020" if year >= SECOND_FRAMEWORK_YEAR else "2010"


# --- columns and series ----------------------------------------------------------

_MEAN_WORDS = ("snitt", "medel", "median", "riket", "sverige", "alla kommuner", "jämför")
_IGNORED_WORDS = ("max", "möjlig", "förändring", "diff", "skillnad", "+/-", "±", "placering")
_RESULT_WORDS = ("poäng", "resultat", "utfall", "kommunen", "vår", "betyg")


@dataclass(frozen=True)
class _Column:
    kind: str  # result | reference | ignore
    year: int | None = None
    label: str | None = None  # a reference's label


MAIN = _Column("result")


def _column(cell: str) -> _Column:
    text = cell.strip(" :|;\t").strip()
    low = text.casefold()
    years = _ANY_YEAR.findall(text)
    year = int(years[0]) if len(years) == 1 else None
    if any(w in low for w in _IGNORED_WORDS):
        return _Column("ignore", label=text)
    if any(w in low for w in _MEAN_WORDS):
        return _Column("reference", year, _mean_label(text))
    if year is not None or any(w in low for w in _RESULT_WORDS) or resolve_name(text):
        return _Column("result", year)
    return _Column("ignore", label=text)


def _mean_label(text: str) -> str:
    text = re.sub(r"\s+", " ", text).strip(" .:;,()")
    return text[:1].upper() + text[1:] if text else DEFAULT_MEAN_LABEL


@dataclass
class _Series:
    column: _Column
    line: int
    areas: dict[int, float] = field(default_factory=dict)
    total: float | None = None
    frameworks: Counter[str] = field(default_factory=Counter)


# --- reading lines ---------------------------------------------------------------

_MARKER = re.compile(r"^\s*(?:[•·▪◦●○■□\-–—*>|]+|\d{1,2}\s*[.)]|\(\d{1,2}\))\s*")
_OMRADE = re.compile(r"^\s*(?:huvud)?område\s*([1-8])\b\s*[:.\-–—]?\s*", re.I)
_TOTAL = re.compile(
    r"^\s*(?:totalt?|total\s*poäng(?:en)?|totalpoäng(?:en)?|totalsumma|totalresultat(?:et)?|"
    r"summa|sammanlagt|slutpoäng(?:en)?|samtliga\s+områden)\b",
    re.I,
)
_OUT_OF_800 = re.compile(
    r"(?<![\d,.])(\d{1,3}(?:[.,]\d{1,2})?)\s*(?:poäng\s+)?(?:av|utav)\s+(?:totalt\s+|"
    r"maximalt\s+|max\s+|möjliga\s+|de\s+)?800\b",
    re.I,
)
_TOTAL_POINTS = re.compile(
    r"\btotal\w*\b[^\d\n]{0,30}?(?<![\d,.])(\d{2,3}(?:[.,]\d{1,2})?)\s*poäng", re.I
)
# Patterns are written to stay linear on a 200 000-character line: a run of spaces is
# entered once (a lookbehind or a possessive quantifier), never from each of its positions.
_OUT_OF_100 = re.compile(
    r"(?<!\s)\s*+(?:av|/|utav)\s*+(?:max(?:imalt)?\s*+)?100\b(?:\s*+möjliga)?", re.I
)
_UNIT = re.compile(r"(?<=\d)\s*(?:poäng|p)\b\.?", re.I)
_VALUE = re.compile(
    r"(?:(\()[ \t]{0,3})?(?<![\d.,])(\d{1,3}(?:[.,]\d{1,2})?)(?![\d])(?:[ \t]{0,3}(\)))?"
    r"|(?<!\w)([–—-]|\.\.)(?!\w)"
)
_NUMBER_START = re.compile(r"[(\d]")
_CELL_SPLIT = re.compile(r"\t|\s*\|\s*|;\s*| {2,}")
# A place between two areas on one line: after a score, before the next name.
_BETWEEN = re.compile(r"(?<=[\d)])(?:[,;|•·.]|\s)*+(?<=\s)(?=(?:\d{1,2}[.)]\s)?[^\W\d_])")
_PARENTES = re.compile(r"\bparentes", re.I)
MAX_LABEL_CHARS = 120  # an area name with words around it; longer text is no label
MAX_HEADER_CHARS = 300
MAX_NOTICES = 100
_HEADER_FIRST = re.compile(r"^(?:huvud)?områden?$|^område(?:n|na)?\b", re.I)
_COUNT = re.compile(r"\b(\d{1,3})\s+(?:senast\w*\s+)?(?:utvärderade\s+)?kommuner", re.I)


def _clean_line(line: str) -> str:
    """Tags, Markdown emphasis ("**Totalt**") and no-break spaces out."""
    text = strip_tags(line).replace("**", "").replace("__", "")
    return text.replace("\u00a0", " ").replace("\u202f", " ").rstrip()


def _number(token: str) -> float:
    value = float(token.replace(",", "."))
    return int(value) if value.is_integer() else value


@dataclass(frozen=True)
class _Values:
    """The numbers after a label: plain ones in order, those in parentheses apart."""

    plain: list[float | None]
    paren: list[float]
    prose: bool  # other words among them: only the first number is trusted


def _values(text: str) -> _Values:
    text = _UNIT.sub("", _OUT_OF_100.sub("", text))
    plain: list[float | None] = []
    paren: list[float] = []
    rest = text
    for m in _VALUE.finditer(text):
        if m.group(4):
            if plain:  # a dash after the first value: a missing cell
                plain.append(None)
            continue
        value = _number(m.group(2))
        (paren if m.group(1) and m.group(3) else plain).append(value)
    rest = _VALUE.sub(" ", text)
    prose = bool(re.search(r"[^\W\d_]{3,}", rest))
    while plain and plain[-1] is None:
        plain.pop()
    return _Values(plain, paren, prose)


@dataclass
class _Reader:
    """The state of one pass over the text: the series found and the header in force."""

    paren_label: str
    n_municipalities: int | None
    series: dict[_Column, _Series] = field(default_factory=dict)
    columns: list[_Column] | None = None
    notices: list[Notice] = field(default_factory=list)
    pending: tuple[int, int, set[str]] | None = None  # (line, area, frameworks) awaiting values

    def note(self, notice: Notice) -> None:
        if len(self.notices) < MAX_NOTICES:  # a long paste of noise: the first ones say enough
            self.notices.append(notice)

    def get(self, column: _Column, line: int) -> _Series:
        return self.series.setdefault(column, _Series(column, line))

    def paren_column(self) -> _Column:
        return _Column("reference", None, self.paren_label)

    # -- one line
    def read(self, number: int, line: str) -> None:
        text = _clean_line(line)
        if not text.strip():
            return
        if self.pending is not None:
            values = _values(text)
            if _NUMBER_START.match(text.strip()) and not values.prose:
                _, area, frameworks = self.pending
                self.pending = None
                self.put(number, area, frameworks, values)
                return
            self.pending = None
        segments = self.segments(text)
        if len(segments) > 1:
            for segment in segments:
                self.read_row(number, segment)
            return
        if self.read_row(number, text):
            return
        header = _header(text)
        if header is not None:
            self.columns = header

    def segments(self, text: str) -> list[str]:
        """The line cut before each area name, when it names more than one area."""
        parts, at = [], 0
        for m in _BETWEEN.finditer(text):
            parts.append(text[at : m.start()])
            at = m.end()
        parts.append(text[at:])
        merged: list[str] = []
        for part in parts:  # "Område 1" is a heading's start, not a row of its own
            if merged and re.fullmatch(r"\s*(?:huvud)?område\s*[1-8]\s*", merged[-1], re.I):
                merged[-1] += " " + part
            else:
                merged.append(part)
        rows = [p for p in merged if _area_label(p) is not None or _TOTAL.match(_unmarked(p))]
        return merged if sum(_area_label(p) is not None for p in rows) >= 2 else [text]

    def read_row(self, number: int, text: str) -> bool:
        """An area row or a total row; False if the text is neither."""
        body = _unmarked(text)
        total = _TOTAL.match(body)
        if total:
            return self.read_total(number, body, body[total.end() :])
        found = _area_label(text)
        if found is None:
            return False
        area, frameworks, rest = found
        values = _values(rest)
        if not values.plain and not values.paren:
            self.pending = (number, area, frameworks)
            return True
        self.put(number, area, frameworks, values)
        return True

    def read_total(self, number: int, body: str, rest: str) -> bool:
        stated = _OUT_OF_800.search(body)
        if stated:
            self.set_total(MAIN, number, _number(stated.group(1)))
            return True
        values = _values(rest)
        if values.prose:
            points = _TOTAL_POINTS.search(body)
            if points:
                self.set_total(MAIN, number, _number(points.group(1)))
            return bool(points)
        for column, value in self.assign(number, values):
            if value is not None:
                self.set_total(column, number, value)
        return bool(values.plain or values.paren)

    def assign(self, number: int, values: _Values) -> list[tuple[_Column, float | None]]:
        """Each value with its column: parentheses, the header's columns, else the main one."""
        if values.paren:
            return [(MAIN, values.plain[0] if values.plain else None)] + [
                (self.paren_column(), values.paren[0])
            ]
        plain = values.plain[:1] if values.prose else values.plain
        columns = self.columns or [MAIN]
        if len(plain) > len(columns) or (self.columns and len(plain) < len(columns)):
            self.note(
                Notice(
                    "paste_columns_mismatch",
                    f"line {number}: {len(plain)} numbers but {len(columns)} columns; "
                    "the first number is read as the score",
                    line=number,
                    n_fields=len(plain),
                    n_columns=len(columns),
                )
            )
            return [(MAIN, plain[0])] if plain else []
        return list(zip(columns, plain, strict=False))

    def put(self, number: int, area: int, frameworks: set[str], values: _Values) -> None:
        for column, value in self.assign(number, values):
            if column.kind == "ignore" or value is None:
                continue
            if not 0 <= value <= AREA_MAX:
                self.out_of_range(number, value, AREA_MAX)
                continue
            series = self.get(column, number)
            if area in series.areas:
                self.note(
                    Notice(
                        "paste_area_twice",
                        f"line {number}: area {area} given again; the first value is kept",
                        line=number,
                        area=area,
                    )
                )
                continue
            series.areas[area] = value
            series.frameworks.update(frameworks)

    def set_total(self, column: _Column, number: int, value: float) -> None:
        if column.kind == "ignore":
            return
        if not 0 <= value <= TOTAL_MAX:
            self.out_of_range(number, value, TOTAL_MAX)
            return
        series = self.get(column, number)
        if series.total is None:
            series.total = value

    def out_of_range(self, number: int, value: float, limit: float) -> None:
        self.note(
            Notice(
                "paste_value_out_of_range",
                f"line {number}: {value:g} is outside 0–{limit:g}; not read",
                line=number,
                value=value,
                limit=limit,
            )
        )


def _unmarked(text: str) -> str:
    return _MARKER.sub("", text, count=1)


def _area_label(text: str) -> tuple[int, set[str], str] | None:
    """(area, frameworks, the text after the name) of a row that starts with an area."""
    body = _unmarked(text)
    numbered = _OMRADE.match(body)
    if numbered:
        body = body[numbered.end() :]
    start = _NUMBER_START.search(body)
    label = body[: start.start()] if start else body
    rest = body[start.start() :] if start else ""
    label = label.strip(" \t:;|–—-=.")[:MAX_LABEL_CHARS]
    found = match_area(label) if label else None
    if found is not None:
        return found[0], found[1], rest
    if numbered and not re.search(r"[^\W\d_]", label.replace("poäng", "")):
        return int(numbered.group(1)), set(), rest
    return None


def _header(text: str) -> list[_Column] | None:
    """The columns of a table header ("Område 2019 2023 Snitt"), or None."""
    if len(text) > MAX_HEADER_CHARS:
        return None
    cells = [c for c in _CELL_SPLIT.split(text.strip()) if c.strip()]
    if len(cells) < 2:
        cells = _word_cells(text.split())
    first = bool(cells) and bool(_HEADER_FIRST.match(cells[0].strip()))
    cells = cells[1:] if first else cells
    columns = [_column(c) for c in cells]
    known = [c for c in columns if c.kind != "ignore"]
    if not known:
        return None
    # Without "Område" first, only years and means make a header ("2019 2023 Snitt"):
    # "Sala 2014" is a title.
    bare = [c for c, cell in zip(columns, cells, strict=True) if _is_bare(c, cell)]
    if first or (len(columns) >= 2 and len(bare) == len(columns)):
        if sum(1 for c in columns if c.kind == "result" and c.year is None) > 1:
            return None  # two results of no year: not a header this reader understands
        return columns
    return None


def _is_bare(column: _Column, cell: str) -> bool:
    if column.kind == "reference":
        return True
    return column.kind == "result" and bool(re.fullmatch(_YEAR, cell.strip(" :|;\t")))


def _word_cells(words: list[str]) -> list[str]:
    """Space-separated header words as cells: a year, or a run of words a column word begins."""
    cells: list[str] = []
    starts = (*_MEAN_WORDS, *_RESULT_WORDS, *_IGNORED_WORDS)
    for word in words:
        low = word.casefold()
        new = (
            not cells
            or re.fullmatch(_YEAR, word.strip(":|"))
            or re.fullmatch(_YEAR, cells[-1].strip(":|"))
            or any(low.startswith(s) or s in low for s in starts)
            or bool(_HEADER_FIRST.match(cells[-1]))
        )
        if new:
            cells.append(word)
        else:
            cells[-1] += " " + word
    return cells


def _paren_label(text: str) -> tuple[str, int | None]:
    """The label of the numbers in parentheses, as the text names them, and their count."""
    found = _PARENTES.search(text)
    if found:  # the sentence around "parentes"
        start = max(text.rfind(".", 0, found.start()), text.rfind("\n", 0, found.start())) + 1
        ends = [i for i in (text.find(".", found.end()), text.find("\n", found.end())) if i >= 0]
        said = text[start : min(ends, default=len(text))][:300]
        mean = re.search(
            r"((?:\w*(?:snitt|medel)\w*|median\w*)(?:\s+(?:för|av|bland|i)\s+[^.,;()\n]{0,60})?)",
            said,
            re.I,
        )
        if mean:
            count = _COUNT.search(said)
            return _mean_label(_definite_to_label(mean.group(1))), (
                int(count.group(1)) if count else None
            )
    if re.search(r"\bsverigesnitt", text, re.I):
        return "Sverigesnitt", None
    return DEFAULT_MEAN_LABEL, None


def _definite_to_label(text: str) -> str:
    """ "Sverigesnittet" -> "Sverigesnitt", "genomsnittet för …" -> "genomsnitt för …"."""
    return re.sub(r"(snitt|värde)(et)\b", r"\1", text, count=1, flags=re.I)


def _lines(text: str) -> Iterator[tuple[int, str]]:
    return enumerate(text.splitlines(), start=1)


# --- the result ------------------------------------------------------------------


def recognise(text: str) -> Pasted:
    """The result rows and reference rows a pasted text states.

    Raises PasteError when the text is over MAX_TEXT_CHARS or holds no
    recognisable score or total. Sources (`kalla`) are None until `completed`.
    """
    if len(text) > MAX_TEXT_CHARS:
        raise PasteError(
            Notice(
                "paste_too_long",
                f"the text has {len(text)} characters; at most {MAX_TEXT_CHARS} are read",
                value=len(text),
                limit=MAX_TEXT_CHARS,
            )
        )
    paren_label, n_municipalities = _paren_label(text)
    reader = _Reader(paren_label, n_municipalities)
    for number, line in _lines(text):
        reader.read(number, line)
    _total_in_prose(reader, text)
    found = [s for s in reader.series.values() if s.areas or s.total is not None]
    if not any(s.column.kind == "result" for s in found):
        raise PasteError(
            Notice(
                "paste_nothing_recognised",
                "no Kommunkompassen result recognised: no area names with scores "
                "(e.g. '1. Offentlighet och demokrati 61') and no total "
                "(e.g. 'Totalt 506' or '506 av 800')",
            )
        )
    municipality = find_municipality(text)
    year, month = find_year_month(text)
    votes: Counter[str] = Counter()
    for s in found:
        votes.update(f for f in s.frameworks if len(s.frameworks) == 1)
    framework = votes.most_common(1)[0][0] if votes else None
    if framework is None and year is not None:
        framework = framework_of_year(year)
    pasted = Pasted(
        results=[],
        references=[],
        notices=reader.notices,
        municipality=municipality.code if municipality else None,
        year=year,
        month=month,
        framework=framework,
    )
    return _with_rows(pasted, found, paren_label, n_municipalities, named_framework=bool(votes))


def _total_in_prose(reader: _Reader, text: str) -> None:
    """ "… 506 av totalt 800 poäng" or "totalt 506 poäng" anywhere, if no total was read."""
    main = reader.series.get(MAIN)
    if main is not None and main.total is not None:
        return
    for pattern in (_OUT_OF_800, _TOTAL_POINTS):
        for number, line in _lines(text):
            m = pattern.search(_clean_line(line))
            if m:
                reader.set_total(MAIN, number, _number(m.group(1)))
                return


def _with_rows(
    pasted: Pasted,
    series: list[_Series],
    paren_label: str,
    n_municipalities: int | None,
    named_framework: bool,
) -> Pasted:
    results: list[Row] = []
    references: list[Row] = []
    years = [s.column.year for s in series if s.column.kind == "result" and s.column.year]
    latest = max(years) if years else pasted.year
    for s in sorted(series, key=lambda s: (s.column.year or 0, s.line)):
        if s.column.kind == "result":
            year = s.column.year or pasted.year
            row: Row = {
                "kommun": pasted.municipality,
                "ar": year,
                "manad": pasted.month if year == pasted.year else None,
                "ramverk": pasted.framework,
            }
            results.append(row | _scores(s))
        else:
            label = s.column.label or DEFAULT_MEAN_LABEL
            count = n_municipalities if label == paren_label else None
            references.append(
                {
                    "etikett": label,
                    "ramverk": pasted.framework,
                    "ar": s.column.year or latest,
                    "antal_kommuner": count,
                }
                | _scores(s)
            )
    fixed = replace(pasted, results=results, references=references, framework_named=named_framework)
    if not named_framework:  # no area names decided it: each row by its own year
        fixed = _framework_by_year(fixed)
    return fixed


def _scores(s: _Series) -> Row:
    row: Row = {c: s.areas.get(n) for n, c in enumerate(AREA_COLUMNS, start=1)}
    return row | {"total": s.total, "kalla": None}


def _framework_by_year(pasted: Pasted) -> Pasted:
    def fix(rows: list[Row]) -> list[Row]:
        return [r | {"ramverk": framework_of_year(r["ar"]) if r["ar"] else None} for r in rows]

    return replace(pasted, results=fix(pasted.results), references=fix(pasted.references))


# --- corrections, refusals, output -----------------------------------------------


def completed(
    pasted: Pasted,
    source: str,
    municipality: str | None = None,
    year: int | None = None,
    framework: str | None = None,
) -> Pasted:
    """The rows with their source and the user's corrections; PasteError if one is missing.

    `municipality` (a name or SCB code) replaces the recognised one in every
    result row; `year` replaces the recognised year (rows whose column named
    its own year keep it); `framework` ("2010"/"2020") every row's framework.
    """
    source = source.strip()
    if not source:
        raise PasteError(Notice("paste_source_missing", "give the source (a URL or a text)"))
    code = pasted.municipality
    if municipality is not None and municipality.strip():
        found = resolve_name(municipality)
        if found is None:
            raise PasteError(
                Notice(
                    "paste_unknown_municipality",
                    f'"{municipality}" is not a known municipality (give its name or SCB code)',
                    name=municipality,
                )
            )
        code = found.code
    if pasted.results and code is None:
        raise PasteError(
            Notice(
                "paste_municipality_missing",
                "the text does not say which municipality; give it (--kommun)",
            )
        )
    old_year = pasted.year
    new_year = year if year is not None else old_year
    undated = [r for r in (*pasted.results, *pasted.references) if r["ar"] is None]
    if new_year is None and undated:
        raise PasteError(
            Notice("paste_year_missing", "the text does not say which year; give it (--ar)")
        )

    def fix(row: Row, result: bool) -> Row:
        out = dict(row)
        if new_year is not None and (out["ar"] is None or out["ar"] == old_year):
            out["ar"] = new_year
        if result:
            out["kommun"] = code
        if framework is not None:
            out["ramverk"] = framework
        elif out["ramverk"] is None or not pasted.framework_named:
            out["ramverk"] = framework_of_year(out["ar"])
        out["kalla"] = source
        return out

    return replace(
        pasted,
        results=[fix(r, True) for r in pasted.results],
        references=[fix(r, False) for r in pasted.references],
        municipality=code,
        year=new_year,
        framework=framework or pasted.framework,
    )


def json_rows(pasted: Pasted) -> list[Row]:
    """Result rows then reference rows, each with "typ" ("resultat"/"referens") first."""
    return [{"typ": "resultat"} | r for r in pasted.results] + [
        {"typ": "referens"} | r for r in pasted.references
    ]


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def _csv(rows: Iterable[Row], columns: tuple[str, ...]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_cell(row.get(c)) for c in columns])
    return out.getvalue().encode("utf-8")


def scores_csv(pasted: Pasted) -> bytes:
    """The result rows as an import-scores CSV (semicolons, UTF-8)."""
    return _csv(pasted.results, RESULT_COLUMNS)


def reference_csv(pasted: Pasted) -> bytes:
    """The reference rows as an import-reference CSV (semicolons, UTF-8)."""
    return _csv(pasted.references, REFERENCE_COLUMNS)

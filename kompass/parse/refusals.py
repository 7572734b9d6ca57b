"""Why a text is no complete report: refusals that say which case it is (issue #11, point 3).

When the parser finds no (or not all) "Område N" headings, or no word "Kommunkompassen",
the text is looked at once more to tell apart:

- a summary of results (area names with scores, as on a municipality's web page), which
  can be imported with `kompass import-text` or the Data page's "Klistra in resultat";
- a report cut off after its contents list, or mid-way (the last area found is named);
- an evaluation from before the 2010 framework, which kompass does not read;
- anything else: not a Kommunkompassen text (the parser's own error stays).
"""

from __future__ import annotations

import re
from functools import lru_cache

from kompass.domain.frameworks import area_names
from kompass.parse.metadata import stated_year
from kompass.parse.model import ParseError

FIRST_FRAMEWORK_YEAR = 2010
MIN_SUMMARY_AREAS = 3  # area scores that make a text a summary (with a total: one)
MAX_SUMMARY_LINE = 2000  # a line of a summary; longer lines are not searched
# A summary is a page or two: only its first lines are searched, so that refusing a
# 50 MB text stays cheap.
MAX_SUMMARY_LINES = 2000
_TOTAL = re.compile(
    r"\b\d{2,3}\s*+(?:poäng\s++)?(?:av|/)\s*+(?:totalt\s++|maximalt\s++|max\s++)?800\b"
    r"|\b(?:totalt?|totalpoäng(?:en)?|summa)\b[^\d\n]{0,40}+\d{2,3}\b",
    re.I,
)
_DIGIT = re.compile(r"\d")
# What may come before an area's name in a row of a list or table: the line's start, a
# number or bullet, "Område 3:", or the previous pair and its mean in parentheses.
_ROW_GAP = re.compile(
    r"[\s|;,]*+(?:\(\s*+[^()]{0,30}?\d{1,3}(?:[.,]\d)?\s*+\)[\s|;,]*+)?"
    r"(?:Område\s++[1-8]\s*+[:.\-–]?\s*+|[1-8][.):]?\s++|[•\-–*·]\s*+)?",
    re.I,
)
_AREA_START = re.compile(r"\s*+Område\s++[1-8]\b")


def refusal(lines: list[str], error: ParseError) -> ParseError:
    """A ParseError that says which case the text is, or `error` itself.

    `error` is the parser's own refusal: not_a_report (no word "Kommunkompassen"),
    no_area_headings, areas_missing or framework_unclear. Lines are the report's lines.
    """
    if error.code not in ("not_a_report", "no_area_headings", "areas_missing", "framework_unclear"):
        return error
    mentioned = error.code != "not_a_report"
    year = stated_year(lines) if mentioned else None
    if year is not None and year[0] < FIRST_FRAMEWORK_YEAR:
        return ParseError.coded(
            "framework_before_2010",
            f"an evaluation from {year[0]}, before the 2010 framework: such reports "
            "are not supported",
            line=year[1],
            year=year[0],
        )
    if error.code == "no_area_headings" and (entry := last_contents_entry(lines)) is not None:
        return ParseError.coded(
            "report_ends_after_contents",
            "the text ends after its contents list: no area 'Område 1' … 'Område 8' "
            "follows it (file cut off?)",
            line=entry + 1,
        )
    if error.code == "areas_missing":
        return _cut_off(lines, error)
    if error.code in ("not_a_report", "no_area_headings"):
        areas = summary_areas(lines)
        head = "\n".join(line[:MAX_SUMMARY_LINE] for line in lines[:MAX_SUMMARY_LINES])
        if len(areas) >= MIN_SUMMARY_AREAS or (areas and _TOTAL.search(head)):
            return ParseError.coded(
                "summary_not_report",
                f"a summary of results (scores of {len(areas)} of 8 areas), not a full "
                "report: import it with `kompass import-text FILE --kalla SOURCE`, or paste "
                "it in the app's Data page, tab 'Klistra in resultat'",
                areas=areas,
            )
    return error


def _cut_off(lines: list[str], error: ParseError) -> ParseError:
    """areas_missing where only the last areas are missing: the report ends mid-way."""
    missing = list(error.fields.get("areas") or [])
    if not missing or missing != list(range(missing[0], 9)) or missing[0] == 1:
        return error
    last = missing[0] - 1
    name = _heading_name(lines, last)
    return ParseError.coded(
        "report_cut_off",
        f"the report ends mid-way: the last area found is area {last} ({name}); "
        f"{_areas(missing)} missing (file cut off?)",
        line=error.line,
        area=last,
        name=name,
    )


def _areas(numbers: list[int]) -> str:
    if len(numbers) == 1:
        return f"area {numbers[0]} is"
    return f"areas {numbers[0]}–{numbers[-1]} are"


def _heading_name(lines: list[str], number: int) -> str:
    """The name the last body heading "Område N name" gives area N (the report's words)."""
    heading = re.compile(rf"^\s*+Område\s++{number}(?:\s*+[:.\-–])?\s++(\S.*)$")
    for line in reversed(lines):
        if "Område" in line and len(line) < MAX_SUMMARY_LINE and not is_contents_entry(line):
            m = heading.match(line.replace("\t", " "))
            if m:
                return m.group(1).strip()
    return ""


def last_contents_entry(lines: list[str]) -> int | None:
    """Index of the last contents entry "Område N …\t12", if the text has any."""
    found = None
    for idx, line in enumerate(lines):
        if "Område" in line and len(line) < MAX_SUMMARY_LINE and is_contents_entry(line):
            found = idx
    return found


def is_contents_entry(line: str) -> bool:
    """ "Område 3 Styrning …\t12": an area's line in the contents list, its page number
    after leaders or a tab. Read from the end, so that any line costs linear time."""
    if not _AREA_START.match(line):
        return False
    rest = line.rstrip()
    body = rest.rstrip("0123456789")
    if not 1 <= len(rest) - len(body) <= 3:
        return False
    leader = body.rstrip(" \t")
    return leader.endswith(("...", "…")) or "\t" in body[len(leader) :]


def summary_areas(lines: list[str]) -> list[int]:
    """The areas the text gives a score: a known area name (either generation, its
    aliases) followed on its line by a number 0-100 ("1. Offentlighet och demokrati 61",
    "Samhällsutveckling: 63 (Sverigesnitt 60)"). Contents entries do not count."""
    areas: set[tuple[str, int]] = set()
    pattern, by_name = _area_score()
    for line in lines[:MAX_SUMMARY_LINES]:
        if len(line) > MAX_SUMMARY_LINE or not _DIGIT.search(line) or is_contents_entry(line):
            continue
        row_end = 0  # where the row of "name score" pairs that starts the line has got to
        for m in pattern.finditer(line):
            if m.group("after"):  # "71 poäng för Styrning och kontroll": a sentence will do
                name, value = m.group("after"), m.group("before")
            elif _ROW_GAP.fullmatch(line, row_end, m.start()):
                name, value, row_end = m.group("name"), m.group("score"), m.end()
            else:
                continue  # an area name and a number inside running text: no row
            if float(value.replace(",", ".")) <= 100:
                areas.update(by_name.get(_key(name), ()))
    return sorted({area for _, area in areas})


@lru_cache(maxsize=1)
def _area_score() -> tuple[re.Pattern[str], dict[str, set[tuple[str, int]]]]:
    by_name: dict[str, set[tuple[str, int]]] = {}
    for row in area_names():
        by_name.setdefault(_key(row.name), set()).add((row.framework, row.area))
    names = sorted({row.name for row in area_names()}, key=len, reverse=True)
    words = (re.split(r"[\s\-–—:.,;]+", n) for n in names)
    alternatives = "|".join(r"[\s\-–—:.,;]*+".join(re.escape(w) for w in ws if w) for ws in words)
    score = r"(?P<score>\d{1,3}(?:[.,]\d)?)"
    pattern = re.compile(
        # "Offentlighet och demokrati: 61", or "71 poäng för Styrning och kontroll"
        rf"(?P<name>{alternatives})[\s:.\-–—=]*+(?:poäng\s++)?{score}\b"
        rf"|\b{score.replace('score', 'before')}\s++poäng\s++(?:för|inom|i|på)\s++"
        rf"(?:området\s++)?(?P<after>{alternatives})",
        re.I,
    )
    return pattern, by_name


def _key(name: str) -> str:
    return " ".join(re.split(r"[\s\-–—:.,;]+", name.casefold())).strip()

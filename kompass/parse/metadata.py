"""Title block and "Utvärderingen" paragraph: who, when, how many, by whom."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from kompass.domain.municipalities import Municipality, resolve_municipality
from kompass.domain.notices import Notice
from kompass.parse.common import MONTHS, ORDINALS, clean
from kompass.parse.model import ParseError

# Every pattern here runs in linear time on any text (issue "nothing frozen"): names are
# bounded (a municipality's name is short), a name ends in a letter so that a run of
# spaces after it is scanned once, word patterns start at a word's start, and `\s++`
# never gives back spaces where the next token cannot start with one.
_MONTH_WORDS = "|".join(MONTHS)
_NAME = r"[\wÅÄÖåäöéü\- ]{0,59}?[\wÅÄÖåäöéü\-]"  # the shortest name that fits comes first
_PERFORMED = re.compile(
    rf"Utvärderingen av (?P<name>[\wÅÄÖåäöéü\- ]{{1,60}}?) (?:kommun|stad)\s++genomfördes\s++"
    rf"(?:under\s++|i\s++)?(?:(?P<month>{_MONTH_WORDS})\s++)?(?:år\s++)?"
    r"(?P<year>(?:19|20)\d\d)",
    re.I,
)
# "kommunens andra", "Salas andra", "Kalix tredje" (no genitive s after -s, -x, -z): a word
# of two letters or more ending in s, x or z. Written to start with [sxz], which the regex
# engine finds fast, instead of trying `\w+` at every letter of the text.
_ORDINAL = re.compile(rf"[sxz](?<=\w[sxz])\s++(?P<ord>{'|'.join(ORDINALS)})\s++utvärdering", re.I)
_INTERVIEWEES = re.compile(
    r"intervju\w{0,40}\s++med\s++"
    r"(?:(?:ett|en|ca\.?|cirka|drygt|omkring|närmare|ungefär|totalt)\s++)*+"
    r"(?P<n>\d{1,4})(?:-tal)?\s++(?:personer|intervjuade|medarbetare|förtroendevalda)",
    re.I,
)
_TITLE_NAME = re.compile(
    rf"(?:Utvärdering|Analys) av\s++(?P<name>{_NAME})\s++(?:kommun|stad)\b", re.I
)
_TITLE_LINE_NAME = re.compile(rf"(?P<name>{_NAME})\s++(?:kommun|stad)\b", re.I)
_ORGS = re.compile(
    r"\b(SKR|SKL|Sveriges Kommuner och (?:Regioner|Landsting))\b|[\w\-]+s (?:kommun|stad)\b"
)
FIRST_YEAR = 2002  # the first Kommunkompassen evaluation
MAX_TITLE_LINE = 1000  # a line of the title block; a longer one is running text
MAX_EVALUATORS_TEXT = 1000  # a line of names and organisations; longer is running text
_CONTENTS = re.compile(r"^\s*+Innehåll", re.I)
_YEAR = re.compile(r"\b(?P<year>(?:19|20)\d\d)\b")
_MONTH_YEAR = re.compile(rf"\b({_MONTH_WORDS})\s++(?:19|20)\d\d", re.I)
_DATE = re.compile(r"\b(?:19|20)\d\d-(\d\d)-\d\d\b")
_EVALUATORS = re.compile(r"Utvärderare:?\s*(.+)$")
_SKR_AT_END = re.compile(r"\b(?:SKR|SKL)$")
_NAME_SEPARATORS = re.compile(r",|\boch\b|\bsamt\b|&")
_PERSON = re.compile(r"^[A-ZÅÄÖÉ][\wåäöéü\-]+(?: [A-ZÅÄÖÉ][\wåäöéü\-]+){1,3}$")


@dataclass
class Metadata:
    municipality: Municipality
    year: int
    month: int | None
    evaluation_number: int | None
    interviewees: int | None
    evaluators: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def front_matter(lines: list[str]) -> list[str]:
    """Lines before the table of contents (the title block); over-long lines are blank."""
    end = next((i for i, line in enumerate(lines[:120]) if _CONTENTS.match(line)), 25)
    return [line if len(line) <= MAX_TITLE_LINE else "" for line in lines[:end]]


def parse_metadata(lines: list[str]) -> Metadata:
    """Municipality, year, month, evaluation number, interviewees and evaluators."""
    text = "\n".join(lines)
    title = "\n".join(front_matter(lines))
    performed = _PERFORMED.search(text)
    municipality = _municipality(performed, title)
    year = _year(performed, title)
    month = (
        MONTHS.get(performed.group("month").lower())
        if performed and performed.group("month")
        else _title_month(title)
    )
    ordinal = _ORDINAL.search(text)
    interviewees = _INTERVIEWEES.search(text)
    meta = Metadata(
        municipality=municipality,
        year=year,
        month=month,
        evaluation_number=ORDINALS[ordinal.group("ord").lower()] if ordinal else None,
        interviewees=int(interviewees.group("n")) if interviewees else None,
        evaluators=parse_evaluators(front_matter(lines)),
    )
    for code, label, value in (
        ("month_not_stated", "month", month),
        ("evaluation_number_not_stated", "evaluation number", meta.evaluation_number),
        ("interviewees_not_stated", "number of interviewees", meta.interviewees),
    ):
        if value is None:
            meta.warnings.append(Notice(code, f"{label} not stated in the report"))
    if not meta.evaluators:
        meta.warnings.append(
            Notice("evaluators_not_named", "evaluators not named in the title block")
        )
    return meta


def _municipality(performed: re.Match[str] | None, title: str) -> Municipality:
    candidates = [performed.group("name")] if performed else []
    candidates += [m.group("name") for m in _TITLE_NAME.finditer(clean(title))]
    for name in candidates:
        found = resolve_municipality(name)
        if found:
            return found
    # "ANALYS AV\n\nLUNDS KOMMUN": a title line ending in KOMMUN.
    for line in title.splitlines():
        m = _TITLE_LINE_NAME.match(line.lstrip())
        if m and (found := resolve_municipality(m.group("name"))):
            return found
    named = candidates[0] if candidates else None
    if named:
        stated_at = performed.string.count("\n", 0, performed.start()) + 1 if performed else None
        raise ParseError.coded(
            "unknown_municipality",
            f"municipality {named!r} is not one of Sweden's 290 municipalities",
            line=stated_at,
            name=named,
        )
    raise ParseError.coded(
        "municipality_not_found",
        "municipality not found: no 'Utvärderingen av … kommun' or title naming it",
    )


def _year(performed: re.Match[str] | None, title: str) -> int:
    """The evaluation's year; one before the first evaluation or after next year is refused."""
    found = performed or _YEAR.search(title)
    if found is None:
        raise ParseError.coded(
            "year_not_found", "year of the evaluation not found (title or 'Utvärderingen av …')"
        )
    year = int(found.group("year"))
    last = date.today().year + 1
    if not FIRST_YEAR <= year <= last:
        raise ParseError.coded(
            "year_out_of_range",
            f"year {year} is not a Kommunkompassen year ({FIRST_YEAR}, the first evaluation, "
            f"to {last})",
            line=found.string.count("\n", 0, found.start("year")) + 1,
            year=year,
            first=FIRST_YEAR,
            last=last,
        )
    return year


def stated_year(lines: list[str]) -> tuple[int, int] | None:
    """(year, 1-based line) of the evaluation as `parse_metadata` reads it, without
    checking it; None if the text states none."""
    text = "\n".join(lines)
    found = _PERFORMED.search(text) or _YEAR.search("\n".join(front_matter(lines)))
    if found is None:
        return None
    return int(found.group("year")), found.string.count("\n", 0, found.start("year")) + 1


def _title_month(title: str) -> int | None:
    m = _MONTH_YEAR.search(title)
    if m:
        return MONTHS[m.group(1).lower()]
    d = _DATE.search(title)
    return int(d.group(1)) if d else None


def parse_evaluators(title_lines: list[str]) -> list[str]:
    """Evaluator names from the title block, organisations removed."""
    for line in title_lines:
        m = _EVALUATORS.search(line)
        if m:
            return _names(m.group(1))
    for line in title_lines:
        if _SKR_AT_END.search(line.strip()):
            return _names(line)
    return []


def _names(text: str) -> list[str]:
    if len(text) > MAX_EVALUATORS_TEXT:
        return []  # not a list of names (and `_ORGS` would take quadratic time on it)
    text = _ORGS.sub(",", text)
    parts = _NAME_SEPARATORS.split(text)
    return [clean(p) for p in parts if _PERSON.match(clean(p))]

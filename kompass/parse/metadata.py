"""Title block and "Utvärderingen" paragraph: who, when, how many, by whom."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from kompass.municipalities import Municipality, resolve_municipality
from kompass.parse.common import MONTHS, ORDINALS, clean
from kompass.parse.model import ParseError

_MONTH_WORDS = "|".join(MONTHS)
_PERFORMED = re.compile(
    rf"Utvärderingen av (?P<name>[\wÅÄÖåäöéü\- ]+?) (?:kommun|stad)\s+genomfördes\s+"
    rf"(?:under\s+|i\s+)?(?:(?P<month>{_MONTH_WORDS})\s+)?(?:år\s+)?(?P<year>(?:19|20)\d\d)",
    re.I,
)
# "kommunens andra", "Salas andra", "Kalix tredje" (no genitive s after -s, -x, -z).
_ORDINAL = re.compile(
    rf"(?:kommunens|\w+[sxz])\s+(?P<ord>{'|'.join(ORDINALS)})\s+utvärdering", re.I
)
_INTERVIEWEES = re.compile(
    r"intervju\w*\s+med\s+(?:(?:ett|en|ca\.?|cirka|drygt|omkring|närmare|ungefär|totalt)\s+)*"
    r"(?P<n>\d{1,4})(?:-tal)?\s+(?:personer|intervjuade|medarbetare|förtroendevalda)",
    re.I,
)
_TITLE_NAME = re.compile(
    r"(?:Utvärdering|Analys) av\s+(?P<name>[\wÅÄÖåäöéü\- ]+?)\s+(?:kommun|stad)\b", re.I
)
_ORGS = re.compile(
    r"\b(SKR|SKL|Sveriges Kommuner och (?:Regioner|Landsting))\b|[\w\-]+s (?:kommun|stad)\b"
)
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
    """Lines before the table of contents (the title block)."""
    for i, line in enumerate(lines[:120]):
        if re.match(r"^\s*Innehåll", line, re.I):
            return lines[:i]
    return lines[:25]


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
    for label, value in (
        ("month", month),
        ("evaluation number", meta.evaluation_number),
        ("number of interviewees", meta.interviewees),
    ):
        if value is None:
            meta.warnings.append(f"{label} not stated in the report")
    if not meta.evaluators:
        meta.warnings.append("evaluators not named in the title block")
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
        m = re.match(r"^\s*([\wÅÄÖåäöéü\- ]+?)\s+(?:kommun|stad)\b", line, re.I)
        if m and (found := resolve_municipality(m.group(1))):
            return found
    named = candidates[0] if candidates else None
    if named:
        stated_at = performed.string.count("\n", 0, performed.start()) + 1 if performed else None
        raise ParseError(
            f"municipality {named!r} is not one of Sweden's 290 municipalities", line=stated_at
        )
    raise ParseError("municipality not found: no 'Utvärderingen av … kommun' or title naming it")


def _year(performed: re.Match[str] | None, title: str) -> int:
    if performed:
        return int(performed.group("year"))
    years = re.findall(r"\b((?:19|20)\d\d)\b", title)
    if years:
        return int(years[0])
    raise ParseError("year of the evaluation not found (title or 'Utvärderingen av …')")


def _title_month(title: str) -> int | None:
    m = re.search(rf"\b({_MONTH_WORDS})\s+(?:19|20)\d\d", title, re.I)
    if m:
        return MONTHS[m.group(1).lower()]
    d = re.search(r"\b(?:19|20)\d\d-(\d\d)-\d\d\b", title)
    return int(d.group(1)) if d else None


def parse_evaluators(title_lines: list[str]) -> list[str]:
    """Evaluator names from the title block, organisations removed."""
    for line in title_lines:
        m = re.search(r"Utvärderare:?\s*(.+)$", line)
        if m:
            return _names(m.group(1))
    for line in title_lines:
        if re.search(r",?\s*\b(SKR|SKL)\s*$", line.strip()):
            return _names(line)
    return []


def _names(text: str) -> list[str]:
    text = _ORGS.sub(",", text)
    parts = re.split(r",|\boch\b|\bsamt\b|&", text)
    return [clean(p) for p in parts if _PERSON.match(clean(p))]

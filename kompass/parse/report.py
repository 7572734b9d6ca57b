"""Parse one Kommunkompassen report into an `Evaluation`.

Which number wins (DESIGN.md): the subtotal row of the sub-area table; else
the summary table; else the area's "Poäng". Contradictions become
`Discrepancy` records with their lines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from kompass.domain.frameworks import canonical_name, match_heading
from kompass.domain.notices import Notice
from kompass.parse.common import cells, is_number, strip_tags, to_number
from kompass.parse.findings import parse_findings
from kompass.parse.metadata import parse_metadata
from kompass.parse.model import Area, Discrepancy, Evaluation, ParseError
from kompass.parse.overview import AreaTable, check_table, parse_overview
from kompass.parse.refusals import refusal
from kompass.parse.summary import Summary, parse_summary
from kompass.parse.text import check_line_count, decode_report, read_report_bytes, safe_name

PARSER_VERSION = "1.0"
MAX_HEADING_LINE = 1000  # an "Område N name" heading; a longer line is running text
MAX_SCORE_LINE = 1000  # a line stating an area's "Poäng"; a longer one states none
HEADER_TOLERANCE = 0.5
SUM_TOLERANCE = 0.51

# Every pattern runs in linear time on any line: possessive quantifiers (`*+`, `++`)
# where giving back characters cannot lead to a match, so that long runs of spaces,
# tabs, dots or digits are scanned once. The heading name is the rest of the line,
# stripped in code (a lazy `(.*?)\s*$` rescans trailing spaces at every step).
_HEADING = re.compile(r"^\s*+Område\s++([1-8])(?:\s*+[:.\-–])?\s++(\S.*)$")
_POANG = re.compile(r"(Rubriker\s+)?Poäng", re.I)
_OVERVIEW = re.compile(r"^\s*+\d?\.?\s*+Översikt av poängfördelning\s*+$", re.I)
_KORTFAKTA = re.compile(r"^\s*+\d?\.?\s*+Kortfakta")
_TOC_LEADERS = ("...", "…")
_DIGITS = re.compile(r"\d*")


@dataclass
class Heading:
    number: int
    name: str
    line: int  # 0-based index


def parse_report(path: Path) -> Evaluation:
    """Parse a report file (.txt, .md or .pdf)."""
    return parse_bytes(read_report_bytes(path), path.name)[0]


def parse_bytes(data: bytes, name: str, max_pages: int | None = None) -> tuple[Evaluation, str]:
    """Parse uploaded bytes; returns the evaluation and the format ("text"/"pdf").

    A PDF of more than `max_pages` pages is refused with BudgetExceeded. A text whose
    lines were restored (`parse.shape`) says so in a warning: its line numbers point
    into the restored text, not the file.
    """
    name = safe_name(name)
    text, fmt, changed = decode_report(data, name, max_pages)
    evaluation = parse_text(text, name)
    if changed:
        evaluation.warnings.append(
            Notice(
                "text_reshaped",
                "the text's line breaks were restored before parsing (one page per line, "
                "page headers and numbers, or hyphenated lines); line numbers refer to the "
                "restored text",
            )
        )
    return evaluation, fmt


def parse_text(text: str, source: str = "") -> Evaluation:
    """Parse normalised report text; ParseError names the source and line."""
    source = safe_name(source)
    try:
        check_line_count(text)
        return _parse(text.split("\n"), source)
    except ParseError as exc:
        if exc.source is None:
            exc.source = source or None
        raise


def _parse(lines: list[str], source: str) -> Evaluation:
    if not any("kommunkompass" in line.casefold() for line in lines[:200]):
        raise refusal(
            lines,
            ParseError.coded(
                "not_a_report",
                "not a Kommunkompassen report: the word 'Kommunkompassen' is missing",
            ),
        )
    try:
        headings = find_headings(lines)
    except ParseError as exc:
        raise refusal(lines, exc) from None
    meta = parse_metadata(lines)
    overview_at = find_overview(lines, headings)
    try:
        framework, fw_warnings = decide_framework(headings)
    except ParseError as exc:
        raise refusal(lines, exc) from None
    tables = parse_overview(lines, overview_at + 1, len(lines))
    summary = parse_summary(lines, 0, headings[0].line, meta.municipality.name, meta.year)
    warnings = meta.warnings + fw_warnings + summary.warnings
    areas: list[Area] = []
    discrepancies: list[Discrepancy] = []
    bounds = [h.line for h in headings] + [overview_at]
    for heading, end in zip(headings, bounds[1:], strict=True):
        table = tables.get(heading.number)
        if table is None:
            raise ParseError.coded(
                "overview_area_missing",
                f"score overview has no sub-area table for area {heading.number} (file cut off?)",
                line=len(lines),
                area=heading.number,
            )
        warnings += check_table(table, len(lines))
        area = build_area(lines, heading, end, table, framework, summary, warnings, discrepancies)
        areas.append(area)
    total = round(sum(a.score for a in areas), 2)
    stated_total = summary.current.total if summary.current else None
    if stated_total is not None and abs(stated_total - total) > HEADER_TOLERANCE:
        discrepancies.append(
            Discrepancy(
                None,
                "total",
                stated_total,
                total,
                summary.current.line if summary.current else 0,
                "summary table total vs sum of areas",
            )
        )
    return Evaluation(
        municipality=meta.municipality.name,
        municipality_code=meta.municipality.code,
        year=meta.year,
        month=meta.month,
        framework=framework,
        evaluation_number=meta.evaluation_number,
        interviewees=meta.interviewees,
        evaluators=meta.evaluators,
        areas=areas,
        total=total,
        stated_total=stated_total,
        references=summary.references,
        previous_evaluations=summary.previous,
        discrepancies=discrepancies,
        warnings=warnings,
        facts=parse_facts(lines),
        source_file=source,
    )


def find_headings(lines: list[str]) -> list[Heading]:
    """The body's "Område N name" headings, one per area, in order 1..8."""
    matched: dict[int, Heading] = {}
    fallback: dict[int, Heading] = {}
    for idx, line in enumerate(lines):
        if "Område" not in line or len(line) > MAX_HEADING_LINE:
            continue
        m = _HEADING.match(line.replace("\t", " "))
        if not m or is_toc_entry(line):
            continue  # not a heading, or a table-of-contents entry
        heading = Heading(int(m.group(1)), m.group(2).rstrip(), idx)
        # The body comes after the table of contents: later occurrences win.
        if match_heading(heading.name):
            matched[heading.number] = heading
        elif len(heading.name) < 80:
            fallback[heading.number] = heading
    found = {**fallback, **matched}
    missing = [n for n in range(1, 9) if n not in found]
    if len(missing) == 8:
        raise ParseError.coded(
            "no_area_headings",
            "not a complete Kommunkompassen report: no area headings 'Område 1' … 'Område 8'",
            line=len(lines),
        )
    if missing:
        names = ", ".join(str(n) for n in missing)
        raise ParseError.coded(
            "areas_missing",
            f"area {names} missing: no heading 'Område {missing[0]} …' found",
            line=len(lines),
            areas=missing,
        )
    headings = [found[n] for n in range(1, 9)]
    for prev, nxt in zip(headings, headings[1:], strict=False):
        if nxt.line <= prev.line:
            raise ParseError.coded(
                "headings_out_of_order",
                f"area headings out of order: 'Område {nxt.number}' before 'Område {prev.number}'",
                line=nxt.line + 1,
                area=nxt.number,
                before=prev.number,
            )
    return headings


def is_toc_entry(line: str) -> bool:
    """A table-of-contents line: it ends in leaders ("....", "…") with an optional page
    number, or in a page number of 1-3 digits after a tab or two spaces.

    Read from the end of the line, so that any line costs linear time.
    """
    rest = line.rstrip()
    digits = _DIGITS.match(rest[::-1]).end() if rest[-1:].isdecimal() else 0  # type: ignore[union-attr]
    before_digits = rest[: len(rest) - digits]
    gap = before_digits.rstrip()
    if gap.endswith(_TOC_LEADERS):
        return True
    space = before_digits[len(gap) :]
    return 1 <= digits <= 3 and (space == "\t" or len(space) >= 2)


def find_overview(lines: list[str], headings: list[Heading]) -> int:
    """Index of the "Översikt av poängfördelning" heading after the areas."""
    after = headings[-1].line
    for idx in range(after + 1, len(lines)):
        if _OVERVIEW.match(lines[idx].replace("\t", " ")):
            return idx
    raise ParseError.coded(
        "overview_not_found",
        "score overview 'Översikt av poängfördelning' not found after area 8 (file cut off?)",
        line=len(lines),
    )


def decide_framework(headings: list[Heading]) -> tuple[str, list[str]]:
    """The generation whose area names the headings use (majority vote)."""
    votes = {"2010": 0, "2020": 0}
    warnings: list[str] = []
    for h in headings:
        matches = {row.framework for row in match_heading(h.name) if row.area == h.number}
        for fw in matches:
            votes[fw] += 1
        if not matches:
            warnings.append(
                Notice(
                    "unknown_area_heading",
                    f"line {h.line + 1}: area {h.number} heading {h.name!r} "
                    "is not a known area name",
                    line=h.line + 1,
                    area=h.number,
                    heading=h.name,
                )
            )
    if votes["2010"] == votes["2020"]:
        raise ParseError.coded(
            "framework_unclear",
            "framework generation unclear: the 'Område' headings match neither "
            "the 2010 nor the 2020 area names",
            line=headings[0].line + 1,
        )
    return ("2010" if votes["2010"] > votes["2020"] else "2020"), warnings


def stated_score(lines: list[str], start: int, end: int) -> tuple[float | None, int | None]:
    """The area's own "Poäng" (top "Rubriker / Poäng" table or near its end)."""
    for idx in range(start, end):
        line = lines[idx]
        if ("oäng" not in line and "OÄNG" not in line) or not _POANG.fullmatch(
            " ".join(cells(line))
        ):
            continue
        for j in range(idx, min(end, idx + 15)):
            if j > idx and lines[j].strip().casefold().startswith(("allmänt", "styrkor")):
                break
            value = _trailing_score(lines[j]) if j > idx else None
            if value is not None:
                return value, j + 1
    return None, None


def _trailing_score(line: str) -> float | None:
    """The number ending a short line (0-100), if any."""
    if len(line) > MAX_SCORE_LINE:
        return None
    text = strip_tags(line).strip()
    last = text[max(text.rfind(" "), text.rfind("\t")) + 1 :]
    if last and is_number(last) and 0 <= to_number(last) <= 100:
        return to_number(last)
    return None


def build_area(
    lines: list[str],
    heading: Heading,
    end: int,
    table: AreaTable,
    framework: str,
    summary: Summary,
    warnings: list[str],
    discrepancies: list[Discrepancy],
) -> Area:
    """One area: chosen score, sub-areas, findings, and its discrepancies."""
    n = heading.number
    stated, stated_line = stated_score(lines, heading.line, end)
    summary_value = summary.current.scores[n - 1] if summary.current else None
    sub_sum = round(sum(s.score for s in table.subareas), 2)
    if table.subtotal is not None:
        score, line = table.subtotal, table.subtotal_line or table.line
    elif summary_value is not None:
        score, line = summary_value, summary.current.line if summary.current else table.line
    else:
        score, line = sub_sum, table.line
    if abs(sub_sum - score) > SUM_TOLERANCE:
        # Sub-areas that do not add up to the chosen score (from the subtotal row or,
        # without one, the summary table) are flagged, never stored silently.
        source = "subtotal row" if table.subtotal is not None else "summary table"
        discrepancies.append(
            Discrepancy(n, "subarea_sum", sub_sum, score, line, f"sum of sub-areas vs {source}")
        )
    if summary_value is not None and abs(summary_value - score) > HEADER_TOLERANCE:
        discrepancies.append(
            Discrepancy(
                n,
                "summary_table",
                summary_value,
                score,
                summary.current.line if summary.current else line,
                "summary table vs sub-area table",
            )
        )
    if stated is not None and stated_line and abs(stated - score) > HEADER_TOLERANCE:
        discrepancies.append(
            Discrepancy(
                n, "area_header", stated, score, stated_line, "area's 'Poäng' vs sub-area table"
            )
        )
    if stated is None:
        warnings.append(
            Notice("area_score_not_stated", f"area {n}: no 'Poäng' stated in the area text", area=n)
        )
    findings, finding_warnings = parse_findings(lines, heading.line, end)
    warnings += finding_warnings
    for kind in ("strengths", "improvements"):
        if not findings[kind]:
            warnings.append(
                Notice("area_no_findings", f"area {n}: no {kind} found", area=n, kind=kind)
            )
    return Area(
        number=n,
        name=canonical_name(framework, n),
        score=score,
        line=line,
        subareas=table.subareas,
        strengths=findings["strengths"],
        partial=findings["partial"],
        improvements=findings["improvements"],
        stated_score=stated,
        stated_line=stated_line,
    )


def parse_facts(lines: list[str]) -> dict[str, str]:
    """ "Kortfakta" key/value rows (population, kommungrupp, …) if present."""
    facts: dict[str, str] = {}
    start = next(
        (
            i
            for i, line in enumerate(lines)
            if "Kortfakta" in line and _KORTFAKTA.match(line) and not is_toc_entry(line)
        ),
        None,
    )
    if start is None:
        return facts
    for line in lines[start + 1 : start + 40]:
        parts = cells(line)
        if len(parts) == 2:
            facts[parts[0]] = parts[1]
    return facts

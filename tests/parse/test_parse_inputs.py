"""The same report in other encodings, line endings, suffixes and with page furniture.

Every variant is written to a real file from a clean sample and must parse to
the same areas, scores, sub-areas and findings counts as the clean sample.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable
from functools import cache
from pathlib import Path

import pytest
from pypdf import PdfReader

from kompass.parse import Evaluation, ParseError, parse_bytes, parse_report
from kompass.parse.text import read_report_text
from tests.helpers.parse import (
    SAMPLES,
    findings_signature,
    load_golden,
    sample_path,
    sample_text,
    score_errors,
    signature,
)
from tests.helpers.pdfmaker import find_font, make_pdf

LATIN1_STAND_INS = {"•": "<li>", "–": "-", "”": '"', "’": "'", "…": "..."}


@cache
def clean_parse(name: str) -> Evaluation:
    return parse_report(sample_path(name))


def assert_same_as_clean(evaluation: Evaluation, name: str, findings: bool = True) -> None:
    assert score_errors(evaluation, load_golden(name)) == []
    assert signature(evaluation) == signature(clean_parse(name))
    if findings:
        assert findings_signature(evaluation) == findings_signature(clean_parse(name))


def write(tmp_path: Path, filename: str, data: bytes) -> Path:
    path = tmp_path / filename
    path.write_bytes(data)
    return path


def cp1252_mojibake(text: str) -> str:
    """UTF-8 bytes read as Windows-1252 (undefined bytes kept as C1 controls, like Windows)."""
    out = []
    for byte in text.encode("utf-8"):
        try:
            out.append(bytes([byte]).decode("cp1252"))
        except UnicodeDecodeError:
            out.append(chr(byte))
    return "".join(out)


def to_latin1(text: str) -> bytes:
    for char, stand_in in LATIN1_STAND_INS.items():
        text = text.replace(char, stand_in)
    return text.encode("latin-1")


ENCODINGS: dict[str, Callable[[str], bytes]] = {
    "utf8-bom": lambda t: t.encode("utf-8-sig"),
    "cp1252": lambda t: t.encode("cp1252"),
    "latin1": to_latin1,
    "utf16-bom": lambda t: t.encode("utf-16"),
    "utf16-be-bom": lambda t: b"\xfe\xff" + t.encode("utf-16-be"),
    "crlf": lambda t: t.replace("\n", "\r\n").encode("utf-8"),
    "cp1252-crlf": lambda t: t.replace("\n", "\r\n").encode("cp1252"),
    "mojibake": lambda t: cp1252_mojibake(t).encode("utf-8"),
}


@pytest.mark.parametrize("encoding", ENCODINGS)
@pytest.mark.parametrize("name", ["sala-2023", "lund-2011"])
def test_encodings_parse_like_utf8(tmp_path: Path, name: str, encoding: str) -> None:
    path = write(tmp_path, f"{name}.txt", ENCODINGS[encoding](sample_text(name)))
    evaluation = parse_report(path)
    assert_same_as_clean(evaluation, name)
    assert evaluation.municipality == clean_parse(name).municipality


def test_latin1_file_has_no_cp1252_only_bytes() -> None:
    data = to_latin1(sample_text("sala-2023"))
    assert not any(0x80 <= b <= 0x9F for b in data)
    assert "å".encode("latin-1") in data


def test_mojibake_is_really_broken_before_repair() -> None:
    broken = cp1252_mojibake(sample_text("sala-2023"))
    assert "Ã¤" in broken and "ä" not in broken.replace("Ã¤", "")


def test_mojibake_repair_restores_names(tmp_path: Path) -> None:
    path = write(tmp_path, "sala.txt", cp1252_mojibake(sample_text("sala-2023")).encode("utf-8"))
    text, _ = read_report_text(path)
    assert "Samspel mellan förtroendevalda och medborgare" in text
    assert "Ã" not in text
    assert parse_report(path).evaluators == ["Leif Eldås", "Johan Henrik Bergström"]


def test_crlf_keeps_line_numbers(tmp_path: Path) -> None:
    path = write(tmp_path, "sala.txt", sample_text("sala-2023").replace("\n", "\r\n").encode())
    (d,) = parse_report(path).discrepancies
    assert d.line == 132


@pytest.mark.parametrize("suffix", [".md", ".text", ""])
def test_suffixes(tmp_path: Path, suffix: str) -> None:
    path = write(tmp_path, f"sala-2023{suffix}", sample_path("sala-2023").read_bytes())
    assert_same_as_clean(parse_report(path), "sala-2023")


def test_parse_bytes_reports_format() -> None:
    evaluation, fmt = parse_bytes(sample_path("burlov-2020").read_bytes(), "burlov-2020.txt")
    assert fmt == "text"
    assert_same_as_clean(evaluation, "burlov-2020")


def test_file_name_that_is_not_utf8(tmp_path: Path) -> None:
    """On Linux a name's bytes need not be UTF-8 ("sala-\\xff.txt"): the report still parses,
    and the name it carries can be stored and printed (U+FFFD for the bad byte)."""
    name = os.fsdecode(b"sala-\xff.txt")  # "sala-\udcff.txt": a surrogate escape
    path = write(tmp_path, name, sample_path("sala-2023").read_bytes())
    evaluation = parse_report(path)
    assert evaluation.source_file == "sala-\ufffd.txt"
    json.dumps(evaluation.to_json(), ensure_ascii=False).encode("utf-8")  # no surrogates
    assert parse_bytes(path.read_bytes(), name)[0].source_file == "sala-\ufffd.txt"
    assert_same_as_clean(evaluation, "sala-2023")


def test_bad_report_with_a_name_that_is_not_utf8(tmp_path: Path) -> None:
    path = write(tmp_path, os.fsdecode(b"x-\xfe.txt"), b"not a report")
    with pytest.raises(ParseError) as info:
        parse_report(path)
    assert info.value.source == "x-\ufffd.txt"
    str(info.value).encode("utf-8")


# --- summary table --------------------------------------------------------------------------

SUMMARY_TOTALS = "Totalt\t482\t363\t515"


@pytest.mark.parametrize(
    ("totals", "label"),
    [("Totalt\t482\t963\t515", "Sala 2019"), ("Totalt\t982\t363\t515", "Sala 2023")],
)
def test_summary_total_over_800_drops_only_that_total(
    tmp_path: Path, totals: str, label: str
) -> None:
    text = sample_text("sala-2023")
    assert text.count(SUMMARY_TOTALS) == 1
    line = text.split("\n").index(SUMMARY_TOTALS) + 1
    data = text.replace(SUMMARY_TOTALS, totals).encode()
    evaluation = parse_report(write(tmp_path, "sala.txt", data))
    clean = clean_parse("sala-2023")
    previous, reference = evaluation.previous_evaluations, evaluation.references
    assert [s.scores for s in previous] == [s.scores for s in clean.previous_evaluations]
    assert [s.scores for s in reference] == [s.scores for s in clean.references]
    kept = {s.label: s.total for s in previous + reference}
    if label == "Sala 2019":
        assert kept == {"Sala 2019": None, "Medel 2020-": 515}
        assert evaluation.stated_total == clean.stated_total == 482
    else:
        assert kept == {"Sala 2019": 363, "Medel 2020-": 515}
        assert evaluation.stated_total is None
    (warning,) = [w for w in evaluation.warnings if "summary table" in w]
    assert warning.startswith(f"line {line}:") and label in warning and "ignored" in warning
    assert_same_as_clean(evaluation, "sala-2023")


# --- page furniture -------------------------------------------------------------------------


def paginate(text: str, breaks: list[int], header: str | None, numbers: bool = True) -> str:
    """Cut text into pages before the given line indexes, with header and page-number footer.

    Pages are joined by form feeds the way pdftotext writes them.
    """
    lines = text.split("\n")
    cuts = [0, *sorted(set(breaks)), len(lines)]
    pages = []
    for page_no, (start, end) in enumerate(zip(cuts, cuts[1:], strict=False), start=1):
        page = ([header, ""] if header else []) + lines[start:end]
        if numbers:
            page += ["", f"{page_no}"]
        pages.append("\n".join(page))
    return "\f".join(pages)


def line_index(lines: list[str], pattern: str, after: int = 0) -> int:
    return next(i for i in range(after, len(lines)) if re.match(pattern, lines[i]))


def page_breaks(text: str, every: int = 60) -> list[int]:
    """Breaks every `every` lines, plus breaks inside the sub-area and findings tables."""
    lines = text.split("\n")
    overview = max(i for i, line in enumerate(lines) if "Översikt av poängfördelning" in line)
    breaks = list(range(every, len(lines), every))
    breaks.append(line_index(lines, r"3\.2\b", after=overview))  # between sub-area rows
    breaks.append(line_index(lines, r"5\.\d\b", after=overview) + 1)  # after 5.1
    subtotal_5 = line_index(lines, r"^\t+\d", after=line_index(lines, r"5\.", after=overview))
    breaks.append(subtotal_5)  # between the last sub-area and the subtotal row
    first_findings = line_index(lines, r"Styrkor\t")
    breaks.append(first_findings + 1)  # between the findings header and its row
    return breaks


HEADERS = {
    "sala-2023": "Kommunkompassen – Sala kommun 2023",
    "hoganas-2018": "Kommunkompassen – Höganäs kommun 2018",
    "lund-2011": "Kommunkompassen – Lunds kommun 2011",
    "burlov-2020": "Kommunkompassen – Burlövs kommun 2020",
    "svenljunga-2022": "Kommunkompassen – Svenljunga kommun 2022",
}


@pytest.mark.parametrize("name", SAMPLES)
def test_page_furniture_is_ignored(tmp_path: Path, name: str) -> None:
    text = paginate(sample_text(name), page_breaks(sample_text(name)), HEADERS[name])
    assert text.count("\f") > 6
    assert_same_as_clean(parse_report(write(tmp_path, f"{name}.txt", text.encode())), name)


@pytest.mark.parametrize("name", SAMPLES)
def test_lone_page_numbers_are_ignored(tmp_path: Path, name: str) -> None:
    text = paginate(sample_text(name), page_breaks(sample_text(name)), header=None)
    assert_same_as_clean(parse_report(write(tmp_path, f"{name}.txt", text.encode())), name)


@pytest.mark.parametrize("name", SAMPLES)
def test_lone_page_numbers_without_form_feeds(tmp_path: Path, name: str) -> None:
    """Text copied out of a PDF viewer: page numbers stay, page breaks are gone."""
    text = paginate(sample_text(name), page_breaks(sample_text(name)), header=None)
    assert_same_as_clean(
        parse_report(write(tmp_path, "copy.txt", text.replace("\f", "\n").encode())), name
    )


def test_page_furniture_with_crlf_and_cp1252(tmp_path: Path) -> None:
    text = paginate(sample_text("sala-2023"), page_breaks(sample_text("sala-2023"), 45),
                    HEADERS["sala-2023"]).replace("\n", "\r\n")  # fmt: skip
    assert_same_as_clean(parse_report(write(tmp_path, "sala.txt", text.encode("cp1252"))),
                         "sala-2023")  # fmt: skip


@pytest.mark.parametrize("cut_after", ["uppföljnings- och", "uppföljnings-"])
def test_page_break_inside_findings_row(tmp_path: Path, cut_after: str) -> None:
    """A findings row cut by a page break: the continuation joins the cut item."""
    text = sample_text("sala-2023")
    cut_after = f"Funktionellt {cut_after}"
    assert text.count(cut_after) == 1
    row_start = text.rindex("\n", 0, text.index(cut_after)) + 1
    row_end = text.index("\n", row_start)
    left, right = text[row_start:row_end].split("\t", 1)
    cut = left.index(cut_after) + len(cut_after)
    pages = (f"{left[:cut]}\t\n\n12\n\f{HEADERS['sala-2023']}\n\n"
             f"Styrkor\tFörbättringsmöjligheter\n{left[cut:].lstrip()}\t{right}")  # fmt: skip
    path = write(tmp_path, "sala.txt", (text[:row_start] + pages + text[row_end:]).encode())
    evaluation = parse_report(path)
    assert_same_as_clean(evaluation, "sala-2023")
    assert evaluation.areas[2].strengths == clean_parse("sala-2023").areas[2].strengths


# --- PDF ------------------------------------------------------------------------------------

# Every sample as wrapped rows; one-cell-per-line for one report of each table family.
PDF_CASES = [(name, "rows") for name in SAMPLES] + [
    (name, "cells") for name in ("lund-2011", "sala-2023", "svenljunga-2022")
]


@pytest.fixture(scope="module")
def pdf_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("pdf")


def sample_pdf(pdf_dir: Path, name: str, layout: str) -> Path:
    font = find_font()
    if font is None:
        pytest.skip(
            "no Unicode TrueType font (DejaVu Sans, Liberation Sans, Arimo, FreeSans "
            "or Noto Sans) under /usr/share/fonts; install fonts-dejavu-core"
        )
    path = pdf_dir / f"{name}-{layout}.pdf"
    if not path.exists():
        make_pdf(sample_text(name), path, layout, font, running_header=HEADERS[name])
    return path


_pdf_parses: dict[Path, Evaluation] = {}


def parse_pdf(pdf_dir: Path, name: str, layout: str) -> Evaluation:
    """parse_report() of a sample's PDF, once per test run."""
    path = sample_pdf(pdf_dir, name, layout)
    if path not in _pdf_parses:
        _pdf_parses[path] = parse_report(path)
    return _pdf_parses[path]


def test_pdf_is_read_as_pdf(pdf_dir: Path) -> None:
    path = sample_pdf(pdf_dir, "sala-2023", "cells")
    assert len(PdfReader(path).pages) >= 10
    text, fmt = read_report_text(path)
    assert fmt == "pdf"
    assert "Översikt av poängfördelning" in text
    assert HEADERS["sala-2023"] not in text  # the running header is blanked out
    assert "\t" not in text  # the PDF really has no tab-separated tables


@pytest.mark.parametrize(("name", "layout"), PDF_CASES)
def test_pdf_scores_match_golden(pdf_dir: Path, name: str, layout: str) -> None:
    evaluation = parse_pdf(pdf_dir, name, layout)
    golden = load_golden(name)
    assert (evaluation.municipality, evaluation.year, evaluation.framework) == (
        golden["municipality"],
        golden["year"],
        golden["framework"],
    )
    assert evaluation.source_file == f"{name}-{layout}.pdf"
    assert score_errors(evaluation, golden) == []


@pytest.mark.parametrize(("name", "layout"), PDF_CASES)
def test_pdf_findings_are_not_mislabelled(pdf_dir: Path, name: str, layout: str) -> None:
    """Without column separators strengths and improvements can't be told apart:
    nothing is stored as a strength that may be an improvement, and a warning says so."""
    evaluation = parse_pdf(pdf_dir, name, layout)
    clean = clean_parse(name)
    for area, clean_area in zip(evaluation.areas, clean.areas, strict=True):
        assert set(area.strengths) <= set(clean_area.strengths) | set(clean_area.partial)
        assert not area.improvements or set(area.improvements) <= set(clean_area.improvements)
    assert any("cannot be told apart" in w for w in evaluation.warnings)


def test_pdf_parse_bytes(pdf_dir: Path) -> None:
    data = sample_pdf(pdf_dir, "lund-2011", "rows").read_bytes()
    evaluation, fmt = parse_bytes(data, "lund-2011.pdf")
    assert fmt == "pdf"
    assert score_errors(evaluation, load_golden("lund-2011")) == []


def _encrypted_copy(pdf: Path, target: Path, user_password: str) -> Path:
    from pypdf import PdfWriter

    writer = PdfWriter(clone_from=PdfReader(pdf))
    writer.encrypt(user_password=user_password, owner_password="owner", algorithm="RC4-128")
    with target.open("wb") as out:
        writer.write(out)
    return target


def test_encrypted_pdf_with_empty_user_password_opens(pdf_dir: Path, tmp_path: Path) -> None:
    """Such a PDF opens in any viewer without a question: it is a readable report."""
    plain = sample_pdf(pdf_dir, "lund-2011", "rows")
    locked = _encrypted_copy(plain, tmp_path / "lund-2011.pdf", user_password="")
    assert PdfReader(locked).is_encrypted
    evaluation = parse_report(locked)
    assert score_errors(evaluation, load_golden("lund-2011")) == []
    assert signature(evaluation) == signature(parse_pdf(pdf_dir, "lund-2011", "rows"))


def test_pdf_with_a_password_is_refused_clearly(pdf_dir: Path, tmp_path: Path) -> None:
    plain = sample_pdf(pdf_dir, "lund-2011", "rows")
    locked = _encrypted_copy(plain, tmp_path / "lund-2011.pdf", user_password="secret")
    with pytest.raises(ParseError) as info:
        parse_report(locked)
    assert "password" in info.value.message and info.value.source == "lund-2011.pdf"

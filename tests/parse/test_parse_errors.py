"""Bad input: every file that is not a complete report raises ParseError, never anything else.

The message says what is missing or wrong and, where it applies, the line;
`kompass parse --json` turns it into exit 2 and one line on stderr.
"""

from __future__ import annotations

import os
import random
import re
import subprocess
import sys
import threading
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kompass.parse import ParseError, parse_bytes, parse_report, parse_text
from kompass.parse.text import MAX_BYTES
from tests.helpers.parse import ROOT, SAMPLES, sample_text

KOMPASS = Path(sys.executable).with_name("kompass")
PNG_HEADER = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x06\x00\x00\x00"
)


def parse_error(path: Path) -> ParseError:
    """The ParseError parse_report raises for path (fails the test if it parses)."""
    with pytest.raises(ParseError) as info:
        parse_report(path)
    error = info.value
    assert error.source == path.name
    assert "\n" not in str(error)
    return error


def write_text(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def write_bytes(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


# --- not a report ---------------------------------------------------------------------------


def test_readme_is_not_a_report(tmp_path: Path) -> None:
    readme = ROOT / "README.md"  # the project's own, which names Kommunkompassen
    text = readme.read_text(encoding="utf-8") if readme.exists() else "# Kommunkompassen app\n"
    error = parse_error(write_text(tmp_path, "README.md", text))
    assert "not a" in error.message and "Kommunkompassen report" in error.message


def test_text_without_the_word_kommunkompassen(tmp_path: Path) -> None:
    error = parse_error(write_text(tmp_path, "notes.txt", "# Notes\n\nNothing to see here.\n"))
    assert "'Kommunkompassen' is missing" in error.message


def test_press_release_mentioning_kommunkompassen(tmp_path: Path) -> None:
    text = "Sala kommun har utvärderats med Kommunkompassen 2023.\nResultatet blev 482 poäng.\n"
    error = parse_error(write_text(tmp_path, "press.txt", text))
    assert "no area headings" in error.message
    assert error.line is not None


EMPTY = {
    "empty": b"",
    "blank": b" \n\t\r\n  \n",
    "bom": b"\xef\xbb\xbf\n\n",
    "utf16": b"\xff\xfe \x00",
}


@pytest.mark.parametrize("data", EMPTY.values(), ids=EMPTY.keys())
def test_empty_files(tmp_path: Path, data: bytes) -> None:
    assert parse_error(write_bytes(tmp_path, "empty.txt", data)).message == "file is empty"


@pytest.mark.parametrize(
    "data",
    [
        random.Random(0).randbytes(5000),
        PNG_HEADER + random.Random(1).randbytes(500),
        bytes(random.Random(2).randint(1, 31) for _ in range(2000)),
    ],
    ids=["random-bytes", "png", "control-chars"],
)
def test_binary_files(tmp_path: Path, data: bytes) -> None:
    assert "binary file" in parse_error(write_bytes(tmp_path, "data.bin", data)).message


def test_random_bytes_without_nul(tmp_path: Path) -> None:
    data = bytes(random.Random(3).randint(1, 255) for _ in range(5000))
    error = parse_error(write_bytes(tmp_path, "noise.txt", data))
    assert "binary file" in error.message or "not a Kommunkompassen report" in error.message


def test_file_over_size_limit(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as f:
        f.truncate(MAX_BYTES + 1)  # sparse: no 50 MB written to disk
    assert "reports over 50 MB are refused" in parse_error(path).message


def test_bytes_over_size_limit() -> None:
    with pytest.raises(ParseError, match="over 50 MB"):
        parse_bytes(b"x" * (MAX_BYTES + 1), "huge.txt")


def test_missing_file(tmp_path: Path) -> None:
    assert "cannot read file" in parse_error(tmp_path / "nothing.txt").message


def test_folder(tmp_path: Path) -> None:
    folder = tmp_path / "reports"
    folder.mkdir()
    message = parse_error(folder).message
    assert "folder" in message and "not a regular file" in message


def test_fifo_is_refused_without_opening_it(tmp_path: Path) -> None:
    """Opening a FIFO for reading blocks until a writer comes: it must not be opened."""
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    # Should the parser open it anyway, this writer ends the wait (the test then fails
    # on the message instead of hanging).
    unblock = threading.Timer(5, lambda: fifo.open("wb").close())
    unblock.start()
    try:
        error = parse_error(fifo)
    finally:
        unblock.cancel()
    assert "not a regular file" in error.message and "pipe" in error.message


def test_broken_utf16(tmp_path: Path) -> None:
    data = b"\xff\xfe" + "Kommunkompassen".encode("utf-16-le") + b"\x00"
    assert "UTF-16" in parse_error(write_bytes(tmp_path, "u16.txt", data)).message


# --- PDF ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        b"%PDF-1.4\n" + random.Random(4).randbytes(3000),
        b"%PDF-1.4\n%garbage\n1 0 obj\n<< /Type /Catalog >>\nendobj\n",
        b"%PDF-",
    ],
    ids=["garbage", "no-xref", "magic-only"],
)
def test_corrupt_pdf(tmp_path: Path, data: bytes) -> None:
    assert "not a readable PDF" in parse_error(write_bytes(tmp_path, "report.pdf", data)).message


def test_pdf_without_text(tmp_path: Path) -> None:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.rect(20, 20, 50, 50)
    path = tmp_path / "scan.pdf"
    pdf.output(str(path))
    assert "no text layer" in parse_error(path).message


def test_pdf_of_something_else(tmp_path: Path) -> None:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=12)
    pdf.cell(text="Invoice 2023-001: 3 chairs")
    path = tmp_path / "invoice.pdf"
    pdf.output(str(path))
    assert "'Kommunkompassen' is missing" in parse_error(path).message


# --- incomplete reports ---------------------------------------------------------------------


def sala_without(old: str, new: str = "") -> str:
    text = sample_text("sala-2023")
    assert text.count(old) == 1, old
    return text.replace(old, new)


def test_area_heading_removed(tmp_path: Path) -> None:
    text = sala_without("\nOmråde 3 Styrning och kontroll\n", "\n\n")
    error = parse_error(write_text(tmp_path, "sala.txt", text))
    assert "area 3 missing" in error.message and "Område 3" in error.message


def test_overview_removed(tmp_path: Path) -> None:
    text = sample_text("sala-2023")
    text = text[: text.index("4. Översikt av poängfördelning\n")]
    error = parse_error(write_text(tmp_path, "sala.txt", text))
    assert "Översikt av poängfördelning" in error.message
    assert error.line == len(text.split("\n"))


def test_overview_table_removed(tmp_path: Path) -> None:
    text = sample_text("sala-2023")
    start = text.index("\n4.\tEffektivitet\tUppnått")
    end = text.index("\n5.\tBrukarens fokus")
    error = parse_error(write_text(tmp_path, "sala.txt", text[:start] + text[end:]))
    assert "no sub-area table for area 4" in error.message


@pytest.mark.parametrize("fraction", [0.25, 0.5, 0.75, 0.9, 0.97])
@pytest.mark.parametrize("name", SAMPLES)
def test_truncated_report(tmp_path: Path, name: str, fraction: float) -> None:
    text = sample_text(name)
    cut = text[: int(len(text) * fraction)]
    error = parse_error(write_text(tmp_path, f"{name}.txt", cut))
    assert any(word in error.message for word in ("missing", "not found", "cut off"))
    assert error.line is not None and 1 <= error.line <= len(cut.split("\n"))


def test_truncated_before_last_subarea_row(tmp_path: Path) -> None:
    text = sample_text("sala-2023")
    cut = text[: text.index("8.3\tIntern kommunikation")]
    error = parse_error(write_text(tmp_path, "sala.txt", cut))
    assert "area 8 table is incomplete" in error.message and "cut off" in error.message
    assert cut.split("\n")[error.line - 1].startswith("8.2\t")


def test_truncated_inside_last_subarea_row(tmp_path: Path) -> None:
    text = sample_text("sala-2023")
    cut = text[: text.index("8.3\tIntern kommunikation\t13") + len("8.3\tIntern kommunikation\t13")]
    error = parse_error(write_text(tmp_path, "sala.txt", cut))
    assert "sub-area 8.3" in error.message
    assert error.line == len(cut.split("\n"))


def test_subarea_above_its_max(tmp_path: Path) -> None:
    row = "1.1\tStrategi för demokratiutveckling och information\t"
    text = sala_without(f"{row}13\t20", f"{row}23\t20")
    error = parse_error(write_text(tmp_path, "sala.txt", text))
    assert "sub-area 1.1 scores 23 of max 20" in error.message
    assert text.split("\n")[error.line - 1].startswith(row)


def test_subtotal_above_100(tmp_path: Path) -> None:
    row = "1.5\tFörutsättningar för politiken\t21\t30\n"
    text = sala_without(f"{row}\t\t66\t100\n", f"{row}\t\t166\t100\n")
    error = parse_error(write_text(tmp_path, "sala.txt", text))
    assert "subtotal 166" in error.message and error.line is not None


PERFORMED = "Utvärderingen av Sala kommun genomfördes i september år 2023"


@pytest.mark.parametrize("year", [2001, 1999, date.today().year + 2])
def test_year_outside_kommunkompassen_is_refused(tmp_path: Path, year: int) -> None:
    text = sala_without(PERFORMED, PERFORMED.replace("2023", str(year)))
    error = parse_error(write_text(tmp_path, "sala.txt", text))
    assert f"year {year}" in error.message and "2002" in error.message
    assert PERFORMED[:40] in text.split("\n")[error.line - 1]


def test_year_in_the_title_is_checked_too(tmp_path: Path) -> None:
    text = sala_without(PERFORMED, "Utvärderingen gjordes i september")
    text = text.replace("Utvärdering av Sala kommun 2023", "Utvärdering av Sala kommun 1998")
    error = parse_error(write_text(tmp_path, "sala.txt", text))
    assert "year 1998" in error.message
    assert "Sala kommun 1998" in text.split("\n")[error.line - 1]


@pytest.mark.parametrize("year", [2002, date.today().year + 1])
def test_years_from_the_first_evaluation_to_next_year_are_accepted(
    tmp_path: Path, year: int
) -> None:
    text = sala_without(PERFORMED, PERFORMED.replace("2023", str(year)))
    assert parse_report(write_text(tmp_path, "sala.txt", text)).year == year


def test_municipality_not_swedish(tmp_path: Path) -> None:
    text = sample_text("sala-2023").replace("Sala", "Oslo")
    error = parse_error(write_text(tmp_path, "oslo.txt", text))
    assert "'Oslo' is not one of Sweden's 290 municipalities" in error.message
    assert "Utvärderingen av Oslo kommun" in text.split("\n")[error.line - 1]


def test_area_names_of_no_framework(tmp_path: Path) -> None:
    text = sample_text("sala-2023")
    for n in range(1, 9):
        heading = next(ln for ln in text.split("\n") if re.fullmatch(rf"Område {n} [^\t.]+", ln))
        text = text.replace(f"\n{heading}\n", f"\nOmråde {n} Påhittat område nummer {n}\n")
    error = parse_error(write_text(tmp_path, "x.txt", text))
    assert "framework generation unclear" in error.message


def test_parse_text_names_the_source() -> None:
    with pytest.raises(ParseError) as info:
        parse_text("Kommunkompassen\n", "upload.txt")
    assert str(info.value).startswith("upload.txt:")


# --- robustness: damaged copies of a real report ---------------------------------------------

SAMPLE_LINES = {name: sample_text(name).split("\n") for name in SAMPLES}
JUNK_LINES = ["", "12", "\f", "Styrkor", "Poäng", "3.", "3.2", "\t\t", "<p>", "•", "Område 3 x"]


@settings(
    max_examples=60, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)
@given(
    name=st.sampled_from(SAMPLES),
    start=st.integers(0, 620),
    length=st.integers(0, 60),
    junk=st.sampled_from(JUNK_LINES),
    cut=st.integers(1, 620),
)
def test_damaged_report_fails_cleanly(
    name: str, start: int, length: int, junk: str, cut: int
) -> None:
    """Lines replaced by junk and the end cut off: a result or a ParseError, nothing else."""
    lines = SAMPLE_LINES[name]
    lines = [*lines[:start], junk, *lines[start + length :]][:cut]
    try:
        evaluation = parse_text("\n".join(lines), "damaged.txt")
    except ParseError as error:
        assert error.message and "\n" not in str(error)
        return
    assert [a.number for a in evaluation.areas] == list(range(1, 9))


@settings(max_examples=30, deadline=None, derandomize=True)
@given(data=st.binary(max_size=2000))
def test_arbitrary_bytes_fail_cleanly(data: bytes) -> None:
    with pytest.raises(ParseError):
        parse_bytes(data, "upload.bin")


# --- the command line -------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["not-a-report", "binary", "truncated"])
def test_cli_parse_fails_with_one_line(tmp_path: Path, kind: str) -> None:
    if kind == "not-a-report":
        path = write_text(tmp_path, "README.md", "# kompass\n\nNothing to parse.\n")
    elif kind == "binary":
        path = write_bytes(tmp_path, "image.png", PNG_HEADER + random.Random(5).randbytes(300))
    else:
        text = sample_text("sala-2023")
        path = write_text(tmp_path, "sala.txt", text[: int(len(text) * 0.6)])
    result = subprocess.run(
        [str(KOMPASS), "parse", "--json", str(path)], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 2
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert path.name in result.stderr

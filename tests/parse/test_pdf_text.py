"""PDF text through PDFium (pypdfium2): the same parse, the same coded errors.

Broken, encrypted and text-less PDFs raise the ParseError codes and messages
they raised when pypdf read them (kompass.domain.notices.PARSE_ERRORS), in
process and from a budget worker (which runs under an address-space limit).
"""

from __future__ import annotations

import random
import threading
from collections.abc import Callable

import pytest

from kompass.parse import ParseError, parse_bytes
from kompass.parse.budget import Budget, parse_bytes_within
from kompass.parse.text import pdf_to_text
from tests.helpers.parse import load_golden, sample_text, score_errors, signature
from tests.helpers.pdfmaker import (
    encrypted_pdf,
    find_font,
    make_pdf,
    pageless_pdf,
    unknown_security_pdf,
)

PASSWORD = ("pdf_password", "PDF is protected by a password; save an unprotected copy", {})
NO_TEXT = ("pdf_without_text", "PDF has no text layer (scanned?); no text to parse", {})
UNKNOWN_SECURITY = (
    "pdf_encryption_unsupported",
    "PDF is encrypted in a way that cannot be opened here (Unsupported security scheme error); "
    "save an unprotected copy",
    {"detail": "Unsupported security scheme error"},
)
BROKEN = (
    "unreadable_pdf",
    "not a readable PDF (PdfiumError: Data format error)",
    {"detail": "PdfiumError: Data format error"},
)


@pytest.fixture(scope="module")
def lund_pdf(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """lund-2011 as a PDF of wrapped table rows."""
    font = find_font()
    if font is None:
        pytest.skip("no Unicode TrueType font under /usr/share/fonts; install fonts-dejavu-core")
    path = tmp_path_factory.mktemp("pdf") / "lund-2011.pdf"
    return make_pdf(sample_text("lund-2011"), path, "rows", font).read_bytes()


def drawing_pdf() -> bytes:
    """A page with a rectangle and no text, as a scan without OCR looks to a text extractor."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.rect(20, 20, 50, 50)
    return bytes(pdf.output())


def error_of(data: bytes, name: str = "report.pdf", in_worker: bool = False) -> ParseError:
    with pytest.raises(ParseError) as info:
        if in_worker:
            parse_bytes_within(data, name)
        else:
            parse_bytes(data, name)
    assert info.value.source == name
    return info.value


def coded(error: ParseError) -> tuple[str, str, dict[str, object]]:
    return error.code, error.message, error.fields


# --- the same parse ------------------------------------------------------------------------


def test_pdf_text_has_pages_and_plain_line_ends(lund_pdf: bytes) -> None:
    text = pdf_to_text(lund_pdf, "lund-2011.pdf")
    assert "\r" not in text  # PDFium ends lines in CR LF; the line count must not double
    assert text.count("\f") >= 5
    assert "Kommunkompassen" in text and "Lund" in text


def test_pdf_parses_like_the_text(lund_pdf: bytes) -> None:
    evaluation, fmt = parse_bytes(lund_pdf, "lund-2011.pdf")
    assert fmt == "pdf"
    assert score_errors(evaluation, load_golden("lund-2011")) == []


def test_encrypted_pdf_with_empty_user_password_parses_the_same(lund_pdf: bytes) -> None:
    locked = encrypted_pdf(lund_pdf, user_password="")
    assert locked != lund_pdf
    assert signature(parse_bytes(locked, "lund-2011.pdf")[0]) == signature(
        parse_bytes(lund_pdf, "lund-2011.pdf")[0]
    )


def test_pdf_parses_in_a_worker_under_a_tight_memory_limit(lund_pdf: bytes) -> None:
    evaluation, fmt = parse_bytes_within(lund_pdf, "lund-2011.pdf", Budget(memory_mb=250))
    assert fmt == "pdf"
    assert signature(evaluation) == signature(parse_bytes(lund_pdf, "lund-2011.pdf")[0])


def test_threads_extract_pdfs_at_once(lund_pdf: bytes) -> None:
    """PDFium is not thread-safe; a Streamlit server parses uploads in session threads."""
    expected = pdf_to_text(lund_pdf, "lund-2011.pdf")
    results: list[str] = []

    def extract() -> None:
        for _ in range(3):
            results.append(pdf_to_text(lund_pdf, "lund-2011.pdf"))

    threads = [threading.Thread(target=extract) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [expected] * 12


# --- the same errors -----------------------------------------------------------------------


@pytest.mark.parametrize("in_worker", [False, True], ids=["in-process", "worker"])
def test_pdf_with_a_password(lund_pdf: bytes, in_worker: bool) -> None:
    locked = encrypted_pdf(lund_pdf, user_password="secret")
    assert coded(error_of(locked, "lund-2011.pdf", in_worker)) == PASSWORD


@pytest.mark.parametrize("in_worker", [False, True], ids=["in-process", "worker"])
def test_pdf_with_an_unknown_security_handler(lund_pdf: bytes, in_worker: bool) -> None:
    assert coded(error_of(unknown_security_pdf(lund_pdf), in_worker=in_worker)) == UNKNOWN_SECURITY


@pytest.mark.parametrize(
    "data",
    [
        b"%PDF-1.4\n" + random.Random(4).randbytes(3000),
        b"%PDF-1.4\n%garbage\n1 0 obj\n<< /Type /Catalog >>\nendobj\n",
        b"%PDF-",
        b"  %PDF-1.7\n",
    ],
    ids=["random", "catalog-only", "magic-only", "header-only"],
)
def test_broken_pdf(data: bytes) -> None:
    assert coded(error_of(data)) == BROKEN


def test_broken_pdf_from_a_worker() -> None:
    assert coded(error_of(b"%PDF-1.4\n%garbage\n", in_worker=True)) == BROKEN


@pytest.mark.parametrize("make", [drawing_pdf, pageless_pdf], ids=["drawing", "no-pages"])
def test_pdf_without_text(make: Callable[[], bytes]) -> None:
    assert coded(error_of(make())) == NO_TEXT


def test_pdf_without_text_after_a_failed_one() -> None:
    """PDFium keeps its last error: a PDF of no pages after a broken one is still text-less."""
    error_of(b"%PDF-1.4\n%garbage\n")
    assert coded(error_of(pageless_pdf())) == NO_TEXT

"""Render a sample report's text into a multi-page PDF (fpdf2), as test input.

Two table layouts, both as PDF text extraction tends to return them:

- "rows": each table row is one line, its cells separated by a space; long
  lines wrap onto the next line.
- "cells": each table cell starts a new line (and wraps when long).

HTML markup in the findings cells becomes what a PDF would show: "•" items
stay, `<p>` paragraphs start new lines in the "cells" layout. A Unicode TTF
font is needed for "•", "–" and "”"; `find_font()` returns None when the
machine has none, and the PDF tests skip with that reason.
"""

from __future__ import annotations

import html
import re
import textwrap
from functools import cache
from io import BytesIO
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fpdf import FPDF

FONT_DIRS = (Path("/usr/share/fonts"), Path("/usr/local/share/fonts"))
# Fonts Debian installs with chromium/fontconfig (fonts-dejavu-core, fonts-liberation,
# fonts-croscore, fonts-freefont-ttf, fonts-noto-core), in order of preference.
FONT_NAMES = (
    "DejaVuSans.ttf",
    "LiberationSans-Regular.ttf",
    "Arimo-Regular.ttf",
    "FreeSans.ttf",
    "NotoSans-Regular.ttf",
)
REQUIRED_CHARS = "åäöÅÄÖéø•–”’…"
LAYOUTS = ("rows", "cells")

_PARAGRAPH = re.compile(r"<\s*p\b[^>]*>", re.I)
_TAG = re.compile(r"<[^>]{0,400}>")


def _covers(path: Path, chars: str) -> bool:
    from fontTools.ttLib import TTFont

    try:
        with TTFont(path, lazy=True) as font:
            cmap = font.getBestCmap() or {}
    except Exception:  # a broken or unsupported font file is simply not usable
        return False
    return all(ord(c) in cmap for c in chars)


@cache
def find_font() -> Path | None:
    """A TrueType font on this machine with Swedish letters, "•", "–" and "”"."""
    for name in FONT_NAMES:
        for base in FONT_DIRS:
            for path in sorted(base.rglob(name)) if base.is_dir() else []:
                if _covers(path, REQUIRED_CHARS):
                    return path
    return None


def cell_paragraphs(cell: str) -> list[str]:
    """The visible paragraphs of one table cell: tags gone, entities decoded."""
    parts = _PARAGRAPH.split(cell)
    texts = [re.sub(r"\s+", " ", html.unescape(_TAG.sub(" ", p))).strip() for p in parts]
    return [t for t in texts if t]


def layout_lines(text: str, layout: str) -> list[str]:
    """The report's lines as the PDF will show them (before wrapping)."""
    if layout not in LAYOUTS:
        raise ValueError(f"layout must be one of {LAYOUTS}")
    out: list[str] = []
    for line in text.replace("\f", "\n").split("\n"):
        cells = [c for c in line.split("\t") if c.strip()]
        if len(cells) <= 1 and "<" not in line:
            out.append(line.strip())
        elif layout == "rows":
            out.append(" ".join(p for c in cells for p in cell_paragraphs(c)))
        else:
            out.extend(p for c in cells for p in cell_paragraphs(c))
    return out


def wrap(lines: list[str], width: int) -> list[str]:
    """Lines cut at word boundaries to at most `width` characters (empty lines kept)."""
    out: list[str] = []
    for line in lines:
        out.extend(textwrap.wrap(line, width, break_on_hyphens=False) or [""])
    return out


def make_pdf(
    text: str,
    path: Path,
    layout: str,
    font: Path,
    running_header: str | None = None,
    font_size: float = 8,
) -> Path:
    """Write `text` (a report) to `path` as an A4 PDF in the given table layout.

    Every page gets a page number at the foot and, if given, a running header.
    Lines are wrapped here (110 characters fit an A4 line at 8 pt) and placed
    with `FPDF.text`; fpdf2's `multi_cell` is ten times slower on long reports.
    """
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.add_font("Report", "", str(font))
    pdf.set_font("Report", size=font_size)
    line_height = font_size * 0.45  # mm
    top, bottom = 20.0, pdf.h - 15.0
    y = bottom
    for line in wrap(layout_lines(text, layout), width=110):
        if y + line_height > bottom:
            _new_page(pdf, running_header)
            y = top
        if line:
            pdf.text(pdf.l_margin, y, line)
        y += line_height
    pdf.output(str(path))
    return path


def _new_page(pdf: FPDF, running_header: str | None) -> None:
    pdf.add_page()
    if running_header:
        pdf.text(pdf.l_margin, 10, running_header)
    pdf.text(pdf.w / 2, pdf.h - 8, str(pdf.page_no()))


def pdf_bomb(pages: int, stream_bytes: int = 4_000_000) -> bytes:
    """A PDF whose pages all show one large content stream (small file, slow text)."""
    from pypdf import PdfWriter
    from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

    writer = PdfWriter()
    font = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject("/Helvetica"),
        }
    )
    resources = DictionaryObject(
        {NameObject("/Font"): DictionaryObject({NameObject("/F1"): writer._add_object(font)})}
    )
    show = b"BT /F1 12 Tf 72 720 Td (Kommunkompassen) Tj ET\n"
    stream = DecodedStreamObject()
    stream.set_data(show * (stream_bytes // len(show)))
    contents = writer._add_object(stream.flate_encode())
    for _ in range(pages):
        page = writer.add_blank_page(595, 842)
        page[NameObject("/Contents")] = contents
        page[NameObject("/Resources")] = resources
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def encrypted_pdf(data: bytes, user_password: str, algorithm: str = "RC4-128") -> bytes:
    """`data` (a PDF) encrypted with pypdf; an empty user password opens without asking.

    RC4 by default: pypdf writes AES only with the `cryptography` package.
    """
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(BytesIO(data)))
    writer.encrypt(user_password=user_password, owner_password="owner", algorithm=algorithm)
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def unknown_security_pdf(data: bytes) -> bytes:
    """`data` encrypted with a security handler no reader knows ("/Unknown1", not "/Standard").

    The name has the length of "/Standard", so the cross-reference offsets stay right.
    """
    encrypted = encrypted_pdf(data, user_password="")
    assert encrypted.count(b"/Standard") == 1
    return encrypted.replace(b"/Standard", b"/Unknown1")


def pageless_pdf() -> bytes:
    """A well-formed PDF of no pages."""
    from pypdf import PdfWriter

    out = BytesIO()
    PdfWriter().write(out)
    return out.getvalue()

"""From a report file (text or PDF) to clean lines.

Reports arrive as UTF-8 (with or without BOM), UTF-16, cp1252/latin-1,
Windows line endings, or PDF. Page furniture (lone page numbers and running
headers around page breaks) is blanked out rather than removed, so that line
numbers keep pointing at the same place in the file.
"""

from __future__ import annotations

import codecs
import os
import re
import stat
import threading
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

from kompass.errors import BudgetExceeded
from kompass.parse.model import ParseError
from kompass.parse.shape import reshaped

if TYPE_CHECKING:
    from pypdfium2 import PdfDocument

MB = 1024 * 1024
MAX_BYTES = 50 * MB
TEXT_SUFFIXES = {".txt", ".md", ".text", ""}
PDF_MAGIC = b"%PDF-"
MAX_LINES = 200_000  # a report has 1,000-5,000 lines
# Page furniture is looked for on at most this many pages (a report has 30-80); a text
# with more form feeds is no paginated report, and the search would cost seconds.
MAX_FURNITURE_PAGES = 2000
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f]")

_PAGE_NUMBER = re.compile(r"^\s*(?:sida\s+)?\d{1,3}(?:\s*(?:av|/|\()\s*\d{1,3}\)?)?\s*$", re.I)
# UTF-8 read as cp1252: "Ã¤" for "ä" and friends.
_MOJIBAKE = re.compile(r"Ã[\u00a0-\u00bf\u0080-\u009f¤¥¶–—„\u201a-\u201e]")
# cp1252 with its five undefined bytes as the C1 control of the same number.
_CP1252_BYTES = codecs.charmap_build(
    "".join(bytes([byte]).decode("cp1252", errors="ignore") or chr(byte) for byte in range(256))
)
# A C1 control character (U+0080-U+009F) as the cp1252 character of the same byte.
_C1_AS_CP1252 = {
    chr(byte): char
    for byte in range(0x80, 0xA0)
    if (char := bytes([byte]).decode("cp1252", errors="ignore"))
}


def read_report_text(path: Path) -> tuple[str, str]:
    """Return (text, format) for a report file; format is "text" or "pdf".

    Raises ParseError for files that are not regular files, too large, empty,
    binary or unreadable.
    """
    return bytes_to_text(read_report_bytes(path), safe_name(path.name))


def read_report_bytes(path: Path) -> bytes:
    """The bytes of a report file: a regular file of at most MAX_BYTES.

    The file type is checked before opening: opening a FIFO would block, and
    /dev/zero or a folder is no report.
    """
    name = safe_name(path.name)
    try:
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode):
            kind = _file_kind(info.st_mode)
            raise ParseError.coded(
                "not_a_regular_file",
                f"not a regular file ({FILE_KINDS[kind]})",
                source=name,
                kind=kind,
            )
        if info.st_size > MAX_BYTES:
            size = f"{info.st_size / MB:.0f} MB"
            raise ParseError.coded(
                "file_too_large",
                f"file is {size}; reports over {MAX_BYTES // MB} MB are refused",
                source=name,
                size_mb=round(info.st_size / MB),
                limit_mb=MAX_BYTES // MB,
            )
        with open(path, "rb") as handle:
            data = handle.read(MAX_BYTES + 1)  # the file may have grown since stat
    except OSError as exc:
        detail = str(exc.strerror or exc)
        raise ParseError.coded(
            "cannot_read_file", f"cannot read file: {detail}", source=name, detail=detail
        ) from exc
    return data


FILE_KINDS = {
    "folder": "a folder",
    "pipe": "a pipe",
    "device": "a device",
    "socket": "a socket",
    "other": "not a file",
}


def _file_kind(mode: int) -> str:
    """The kind of a path that is not a regular file: a key of FILE_KINDS."""
    kinds = (
        (stat.S_ISDIR, "folder"),
        (stat.S_ISFIFO, "pipe"),
        (stat.S_ISCHR, "device"),
        (stat.S_ISBLK, "device"),
        (stat.S_ISSOCK, "socket"),
    )
    return next((kind for test, kind in kinds if test(mode)), "other")


def safe_name(name: str) -> str:
    """A file name fit for messages and the store: undecodable bytes become U+FFFD.

    On Linux a name that is not UTF-8 arrives with surrogate escapes, which no
    UTF-8 encoder (the database, JSON output) accepts.
    """
    try:
        raw = name.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:  # a lone surrogate that escapes no byte
        raw = name.encode("utf-8", "replace")
    return raw.decode("utf-8", "replace")


def bytes_to_text(data: bytes, name: str, max_pages: int | None = None) -> tuple[str, str]:
    """Decode report bytes (text or PDF) into normalised text; see `pdf_to_text` for max_pages."""
    text, fmt, _ = decode_report(data, name, max_pages)
    return text, fmt


def decode_report(data: bytes, name: str, max_pages: int | None = None) -> tuple[str, str, bool]:
    """(text, format, reshaped): report bytes as normalised text, its lines restored where
    they were lost or moved (`parse.shape`); reshaped says whether they were."""
    if len(data) > MAX_BYTES:
        raise ParseError.coded(
            "file_too_large",
            f"file too large (over {MAX_BYTES // MB} MB)",
            source=name,
            size_mb=round(len(data) / MB),
            limit_mb=MAX_BYTES // MB,
        )
    if not data.strip():
        raise ParseError.coded("file_empty", "file is empty", source=name)
    if data.lstrip()[:5] == PDF_MAGIC:
        text = pdf_to_text(data, name, max_pages)
        check_line_count(text, name)
        fmt = "pdf"
    else:
        text = decode(data, name)
        if not text.replace("\ufeff", "").strip():
            raise ParseError.coded("file_empty", "file is empty", source=name)  # BOM, blanks
        check_line_count(text, name)
        fmt = "text"
    shaped, changed = reshaped(normalise(text))
    return shaped, fmt, changed


def check_line_count(text: str, name: str = "") -> None:
    """Refuse a text of more than MAX_LINES lines (a report has a few thousand).

    The parse reads every line a few times; the cap keeps a 50 MB text of
    short lines within seconds. Line ends of any kind and page breaks count.
    """
    count = 1 + text.count("\n") + text.count("\r") + text.count("\f")
    if count > MAX_LINES:
        raise ParseError.coded(
            "too_many_lines",
            f"text has {count:,} lines; a report has a few thousand, "
            f"and texts of over {MAX_LINES:,} lines are refused",
            source=name or None,
            lines=count,
            limit=MAX_LINES,
        )


def decode(data: bytes, name: str) -> str:
    """Decode text bytes: BOMs, UTF-8, then cp1252/latin-1; repair mojibake."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise ParseError.coded("broken_utf16", "broken UTF-16 text", source=name) from exc
    if b"\x00" in data[:65536]:
        raise _binary(name)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
        if text.count("\ufffd") > 0:
            text = data.decode("latin-1")
    if len(_MOJIBAKE.findall(text)) > 3:
        text = undo_mojibake(text)
    if _control_share(text) > 0.01:
        raise _binary(name)
    return text


def _binary(name: str) -> ParseError:
    return ParseError.coded("binary_file", "binary file: not a text or PDF report", source=name)


def undo_mojibake(text: str) -> str:
    """UTF-8 text that was read as cp1252 and saved again: "Ã¤" -> "ä".

    Bytes that cp1252 leaves undefined (0x81, 0x8D, 0x8F, 0x90, 0x9D; the last
    is in the UTF-8 of "”") come back as C1 control characters, as Windows and
    browsers decode them, so they are mapped back to their byte. The text is
    returned unchanged if it does not turn into valid UTF-8.
    """
    raw: bytes | None
    try:
        raw = codecs.charmap_encode(text, "strict", _CP1252_BYTES)[0]
    except UnicodeEncodeError as exc:
        # A character cp1252 lacks means no mojibake; a C1 control is its own byte.
        raw = _encode_c1(text) if ord(text[exc.start]) <= 0xFF else None
    if raw is None:
        return text
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return text


def _encode_c1(text: str) -> bytes | None:
    """cp1252 bytes of a text with C1 controls, each taken as its own byte; None if
    a character has no byte. A C1 control is first swapped for the cp1252 character
    of its byte (one replace per control, not a loop over the text).
    """
    for control, char in _C1_AS_CP1252.items():
        text = text.replace(control, char)
    try:
        return codecs.charmap_encode(text, "strict", _CP1252_BYTES)[0]
    except UnicodeEncodeError:
        return None


def _control_share(text: str) -> float:
    sample = text[:100_000]
    if not sample:
        return 0.0
    return len(_CONTROL.findall(sample)) / len(sample)


# PDFium is not thread-safe, and a report may be parsed in a server thread (Streamlit).
_PDFIUM_LOCK = threading.Lock()


def pdf_to_text(data: bytes, name: str, max_pages: int | None = None) -> str:
    """Extract the text of a PDF (PDFium, through pypdfium2), pages separated by form feeds.

    With `max_pages`, a longer PDF is refused (BudgetExceeded) before any text
    is extracted: extraction is the expensive part, and a small file can hold
    thousands of pages sharing one large content stream. PDFium counts pages
    without reading their content.
    """
    with _PDFIUM_LOCK:
        try:
            pdf = _open_pdf(data, name)
            try:
                count = len(pdf)
                if max_pages is not None and count > max_pages:
                    raise BudgetExceeded(
                        f"PDF has {count} pages, more than the {max_pages} allowed",
                        limit="pages",
                        value=max_pages,
                        name=name,
                    )
                pages = [_page_text(pdf, index) for index in range(count)]
            finally:
                pdf.close()
        except (ParseError, BudgetExceeded, MemoryError):
            raise
        except Exception as exc:  # PdfiumError: a page PDFium cannot load
            raise _unreadable(f"{type(exc).__name__}: {_first_line(exc)}", name) from exc
    if not any(p.strip() for p in pages):
        raise _without_text(name)
    return "\f".join(pages)


def _open_pdf(data: bytes, name: str) -> PdfDocument:
    """Open a PDF; an encrypted one only if its user password is empty (it opens without asking).

    PDFium tries the empty password by itself, and knows RC4 and AES. The document
    is opened through the raw call: pypdfium2's own opening refuses a PDF of no
    pages with an error code left over from an earlier failure. `data` must stay
    alive until the document is closed (pdf_to_text holds it).
    """
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    raw = pdfium_c.FPDF_LoadMemDocument64(data, len(data), None)
    if raw:
        return pdfium.PdfDocument(raw)
    code = pdfium_c.FPDF_GetLastError()
    detail = pdfium.internal.ErrorToStr.get(code, f"error {code}")
    if code == pdfium_c.FPDF_ERR_PASSWORD:
        raise ParseError.coded(
            "pdf_password",
            "PDF is protected by a password; save an unprotected copy",
            source=name,
        )
    if code == pdfium_c.FPDF_ERR_SECURITY:  # a security handler PDFium does not know
        raise ParseError.coded(
            "pdf_encryption_unsupported",
            f"PDF is encrypted in a way that cannot be opened here ({detail}); "
            "save an unprotected copy",
            source=name,
            detail=detail,
        )
    raise _unreadable(f"PdfiumError: {detail}", name)


def _page_text(pdf: PdfDocument, index: int) -> str:
    """The text of one page, lines ending in LF (PDFium ends them in CR LF)."""
    page = pdf[index]
    try:
        textpage = page.get_textpage()
        try:
            text: str = textpage.get_text_bounded()  # full Unicode, unlike get_text_range
        finally:
            textpage.close()
    finally:
        page.close()
    return text.replace("\r\n", "\n")


def _first_line(exc: Exception) -> str:
    return str(exc).splitlines()[0] if str(exc) else ""


def _unreadable(detail: str, name: str) -> ParseError:
    return ParseError.coded(
        "unreadable_pdf", f"not a readable PDF ({detail})", source=name, detail=detail
    )


def _without_text(name: str) -> ParseError:
    return ParseError.coded(
        "pdf_without_text", "PDF has no text layer (scanned?); no text to parse", source=name
    )


def normalise(text: str) -> str:
    """Unify line endings and blank out page furniture around page breaks.

    A form feed in the middle of a line (PDF page joins) splits the line; a
    form feed at either end of a line is dropped, so text files keep their
    line numbers.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\ufeff", "")
    text = text.replace("\u00a0", " ")
    if "\f" not in text:
        return text  # no page breaks, no furniture to look for
    lines: list[str] = []
    page_starts: list[int] = [0]
    for raw in text.split("\n"):
        if "\f" not in raw:
            lines.append(raw)
            continue
        before = len(lines)
        first, *rest = raw.split("\f")
        if first.strip():
            lines.append(first)
        for part in rest:
            page_starts.append(len(lines))
            if part.strip():
                lines.append(part)
        if len(lines) == before:
            lines.append("")
    if 1 < len(page_starts) <= MAX_FURNITURE_PAGES:
        _blank_furniture(lines, sorted(set(page_starts)))
    return "\n".join(lines)


def _page_bounds(lines: list[str], page_starts: list[int]) -> list[list[int]]:
    """Per page, the indexes of its non-empty lines."""
    bounds = page_starts + [len(lines)]
    return [
        [i for i in range(start, end) if lines[i].strip()]
        for start, end in zip(bounds, bounds[1:], strict=False)
    ]


def _edge_lines(filled: list[int]) -> list[int]:
    """Indexes of a page's first and last two non-empty lines, outermost first."""
    order = [filled[0], filled[-1], *filled[1:2], *filled[-2:-1]] if filled else []
    return list(dict.fromkeys(order))


def _blank_furniture(lines: list[str], page_starts: list[int]) -> None:
    pages = _page_bounds(lines, page_starts)
    _blank_page_numbers(lines, pages)
    _blank_running_lines(lines, pages)


def _blank_page_numbers(lines: list[str], pages: list[list[int]]) -> None:
    """Blank page numbers: "Sida 3 av 40" at a page edge, or a bare number.

    A bare number counts if it is among the first or last two lines of a page
    (a running header may come before it) and follows the page count, i.e.
    has the same offset from the page index on most pages. A table cell that
    happens to sit at a page edge does not follow the count, so it stays. When
    a cell equal to the page number sits at another edge of the same page, the
    one in the place where the other pages have their number is blanked.
    """
    candidates: list[list[tuple[int, int, int]]] = []  # (line, offset, place on page)
    for page_no, filled in enumerate(pages):
        on_page: list[tuple[int, int, int]] = []
        for i in _edge_lines(filled):
            stripped = lines[i].strip()
            if re.fullmatch(r"\d{1,3}", stripped):
                on_page.append((i, int(stripped) - page_no, _place(i, filled)))
            elif _PAGE_NUMBER.match(stripped) and i in (filled[0], filled[-1]):
                lines[i] = ""
        candidates.append(on_page)
    offsets = Counter(offset for page in candidates for offset in {c[1] for c in page})
    if not offsets:
        return
    offset, seen = offsets.most_common(1)[0]
    if seen < 2:
        return
    hits = [[c for c in page if c[1] == offset] for page in candidates]
    places = Counter(page[0][2] for page in hits if len(page) == 1)
    usual = places.most_common(1)[0][0] if places else None
    for page in hits:
        # One page number per page: in the usual place, else the match nearest the edge.
        hit = next((c for c in page if c[2] == usual), page[0] if page else None)
        if hit is not None:
            lines[hit[0]] = ""


def _place(i: int, filled: list[int]) -> int:
    """Where line i is among a page's filled lines: 0, 1 from the top; -1, -2 from the end."""
    pos = filled.index(i)
    return pos if pos < 2 else pos - len(filled)


def _blank_running_lines(lines: list[str], pages: list[list[int]]) -> None:
    """Blank running headers and footers: the same short line at the edge of many pages."""
    edges = [i for filled in pages for i in filled[:2] + filled[-2:]]
    counts = Counter(lines[i].strip() for i in edges if lines[i].strip())
    for i in edges:
        stripped = lines[i].strip()
        if (
            counts[stripped] >= max(3, len(pages) // 2)
            and "\t" not in lines[i]
            and len(stripped) > 3
        ):
            lines[i] = ""

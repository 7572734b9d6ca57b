"""From a report file (text or PDF) to clean lines.

Reports arrive as UTF-8 (with or without BOM), UTF-16, cp1252/latin-1,
Windows line endings, or PDF. Page furniture (lone page numbers and running
headers around page breaks) is blanked out rather than removed, so that line
numbers keep pointing at the same place in the file.
"""

from __future__ import annotations

import re
from collections import Counter
from io import BytesIO
from pathlib import Path

from kompass.parse.model import ParseError

MAX_BYTES = 50 * 1024 * 1024
TEXT_SUFFIXES = {".txt", ".md", ".text", ""}
PDF_MAGIC = b"%PDF-"

_PAGE_NUMBER = re.compile(r"^\s*(?:sida\s+)?\d{1,3}(?:\s*(?:av|/|\()\s*\d{1,3}\)?)?\s*$", re.I)
# UTF-8 read as cp1252: "Ã¤" for "ä" and friends.
_MOJIBAKE = re.compile(r"Ã[\u00a0-\u00bf\u0080-\u009f¤¥¶–—„\u201a-\u201e]")


def read_report_text(path: Path) -> tuple[str, str]:
    """Return (text, format) for a report file; format is "text" or "pdf".

    Raises ParseError for files that are too large, empty, binary or
    unreadable.
    """
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise ParseError(f"cannot read file: {exc.strerror}", source=path.name) from exc
    if size > MAX_BYTES:
        raise ParseError(
            f"file is {size / 1e6:.0f} MB; reports over {MAX_BYTES // 1_000_000} MB are refused",
            source=path.name,
        )
    data = path.read_bytes()
    return bytes_to_text(data, path.name)


def bytes_to_text(data: bytes, name: str) -> tuple[str, str]:
    """Decode report bytes (text or PDF) into normalised text."""
    if len(data) > MAX_BYTES:
        raise ParseError("file too large (over 50 MB)", source=name)
    if not data.strip():
        raise ParseError("file is empty", source=name)
    if data.lstrip()[:5] == PDF_MAGIC:
        return normalise(pdf_to_text(data, name)), "pdf"
    return normalise(decode(data, name)), "text"


def decode(data: bytes, name: str) -> str:
    """Decode text bytes: BOMs, UTF-8, then cp1252/latin-1; repair mojibake."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise ParseError("broken UTF-16 text", source=name) from exc
    if b"\x00" in data[:65536]:
        raise ParseError("binary file: not a text or PDF report", source=name)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
        if text.count("\ufffd") > 0:
            text = data.decode("latin-1")
    if len(_MOJIBAKE.findall(text)) > 3:
        try:
            text = text.encode("cp1252").decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            pass
    if _control_share(text) > 0.01:
        raise ParseError("binary file: not a text or PDF report", source=name)
    return text


def _control_share(text: str) -> float:
    sample = text[:100_000]
    if not sample:
        return 0.0
    bad = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\t\n\r\f\v")
    return bad / len(sample)


def pdf_to_text(data: bytes, name: str) -> str:
    """Extract the text of a PDF, pages separated by form feeds."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(BytesIO(data))
        if reader.is_encrypted:
            raise ParseError("PDF is encrypted; save an unprotected copy", source=name)
        pages = [page.extract_text() or "" for page in reader.pages]
    except ParseError:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, OSError, AttributeError) as exc:
        raise ParseError(f"not a readable PDF ({type(exc).__name__}: {exc})", source=name) from exc
    if not any(p.strip() for p in pages):
        raise ParseError("PDF has no text layer (scanned?); no text to parse", source=name)
    return "\f".join(pages)


def normalise(text: str) -> str:
    """Unify line endings and blank out page furniture around page breaks.

    A form feed in the middle of a line (PDF page joins) splits the line; a
    form feed at either end of a line is dropped, so text files keep their
    line numbers.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\ufeff", "")
    text = text.replace("\u00a0", " ")
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
    if len(page_starts) > 1:
        _blank_furniture(lines, sorted(set(page_starts)))
    return "\n".join(lines)


def _page_bounds(lines: list[str], page_starts: list[int]) -> list[list[int]]:
    """Per page, the indexes of its non-empty lines."""
    bounds = page_starts + [len(lines)]
    return [
        [i for i in range(start, end) if lines[i].strip()]
        for start, end in zip(bounds, bounds[1:], strict=False)
    ]


def _blank_furniture(lines: list[str], page_starts: list[int]) -> None:
    pages = _page_bounds(lines, page_starts)
    # Page numbers: the first or last line of a page, a bare number that
    # follows the page count (same offset on most pages). A table cell that
    # happens to end a page does not follow the count, so it stays.
    candidates: list[tuple[int, int]] = []
    for page_no, filled in enumerate(pages):
        for i in {filled[0], filled[-1]} if filled else set():
            stripped = lines[i].strip()
            if re.fullmatch(r"\d{1,3}", stripped):
                candidates.append((i, int(stripped) - page_no))
            elif _PAGE_NUMBER.match(stripped):
                lines[i] = ""
    offsets = Counter(offset for _, offset in candidates)
    if offsets:
        offset, seen = offsets.most_common(1)[0]
        if seen >= 2:
            for i, cand in candidates:
                if cand == offset:
                    lines[i] = ""
    # Running headers and footers: the same short line at the edge of many pages.
    edges = [i for filled in pages for i in filled[:2] + filled[-2:]]
    counts = Counter(lines[i].strip() for i in edges if lines[i].strip())
    for i in edges:
        stripped = lines[i].strip()
        if counts[stripped] >= max(3, len(pages) // 2) and "\t" not in lines[i] and len(stripped) > 3:
            lines[i] = ""

"""Reports uploaded through the app: preview first, then store.

No Streamlit here, so the handler is testable on its own. An uploaded file
name is only ever stored as text (never used as a path), after cleaning.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path, PurePath

from kompass import store
from kompass.parse import Evaluation, ParseError, parse_bytes
from kompass.strings import num

ALLOWED_SUFFIXES = (".txt", ".md", ".pdf")
# "50 MB" as the Data page and Streamlit's uploader count it (10^6 bytes); the
# parser's own limit (50 MiB) is higher, so it never refuses an accepted upload.
MAX_UPLOAD_MB = 50


@dataclass
class UploadPreview:
    """What the parser made of an upload: an evaluation or one clear error."""

    name: str
    size: int
    fmt: str | None = None
    evaluation: Evaluation | None = None
    error: str | None = None
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.evaluation is not None


def clean_name(name: str) -> str:
    """A display-safe file name: last path part, no control characters, at most 120 chars."""
    base = PurePath(name.replace("\\", "/")).name
    base = re.sub(r"[\x00-\x1f\x7f]", "", base).strip() or "uppladdad-rapport"
    return base[-120:]


def preview_upload(data: bytes, name: str) -> UploadPreview:
    """Parse an upload without storing it; never raises for bad input."""
    safe = clean_name(name)
    preview = UploadPreview(name=safe, size=len(data))
    if not safe.lower().endswith(ALLOWED_SUFFIXES):
        preview.error = "Filtypen stöds inte: ladda upp en rapport som .txt, .md eller .pdf."
    elif len(data) > MAX_UPLOAD_MB * 1_000_000:
        size = num(len(data) / 1_000_000)
        preview.error = f"Filen är för stor ({size} MB); gränsen är {MAX_UPLOAD_MB} MB."
    else:
        try:
            preview.evaluation, preview.fmt = parse_bytes(data, safe)
            preview.warnings = list(preview.evaluation.warnings)
        except ParseError as exc:
            preview.error = f"Filen kunde inte läsas som en Kommunkompass-rapport: {exc}"
    return preview


def save_upload(preview: UploadPreview, data: bytes, db: Path) -> store.IngestResult:
    """Store a previewed upload in one transaction (StoreLockedError if the store is busy)."""
    if preview.evaluation is None or preview.fmt is None:
        raise ValueError("only a successfully parsed upload can be saved")
    return store.store_evaluation(preview.evaluation, data, preview.name, preview.fmt, db)

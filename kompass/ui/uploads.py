"""Reports uploaded through the app: preview first, then store.

No Streamlit here, so the handler is testable on its own. An uploaded file
name is only ever stored as text (never used as a path), after cleaning.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path, PurePath

import pandas as pd

from kompass import store
from kompass.errors import BudgetExceeded
from kompass.parse import Evaluation, ParseError
from kompass.parse.budget import DEFAULT_BUDGET, Budget, parse_bytes_within
from kompass.present.notices import parse_error_text
from kompass.present.strings import error_text, num

ALLOWED_SUFFIXES = (".txt", ".md", ".pdf")
# "50 MB" as the Data page and Streamlit's uploader count it (10^6 bytes); the
# parser's own limit (50 MiB) is higher, so it never refuses an accepted upload.
MAX_UPLOAD_MB = 50


@dataclass
class UploadPreview:
    """What the parser made of an upload: an evaluation or one clear error."""

    name: str
    size: int
    sha256: str = ""
    fmt: str | None = None
    evaluation: Evaluation | None = None
    error: str | None = None
    # The parser's warnings: Notices (English text, code, fields); the page shows them
    # in Swedish with present.notices.text_of.
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.evaluation is not None


@dataclass(frozen=True)
class Replacement:
    """The stored evaluation that saving an upload would replace (same municipality, year)."""

    origin: str  # report | import | stated_in_report
    total: float | None
    file_name: str
    source_note: str | None
    same_file: bool  # the very same bytes: saving changes nothing


def clean_name(name: str) -> str:
    """A display-safe file name: last path part, no control or bidi characters, <= 120 chars."""
    base = PurePath(name.replace("\\", "/")).name
    return store.clean_file_name(base, fallback="uppladdad-rapport")[-120:]


def preview_upload(data: bytes, name: str, budget: Budget = DEFAULT_BUDGET) -> UploadPreview:
    """Parse an upload (in a worker process, within `budget`) without storing it.

    Never raises for bad input: a refusal, a parse error or an exceeded budget
    becomes `preview.error`, in Swedish.
    """
    safe = clean_name(name)
    preview = UploadPreview(name=safe, size=len(data), sha256=hashlib.sha256(data).hexdigest())
    if not safe.lower().endswith(ALLOWED_SUFFIXES):
        preview.error = "Filtypen stöds inte: ladda upp en rapport som .txt, .md eller .pdf."
    elif len(data) > MAX_UPLOAD_MB * 1_000_000:
        size = num(len(data) / 1_000_000)
        preview.error = f"Filen är för stor ({size} MB); gränsen är {MAX_UPLOAD_MB} MB."
    else:
        try:
            store.pause_reading()  # up to the budget's seconds: hold no read connection
            preview.evaluation, preview.fmt = parse_bytes_within(data, safe, budget)
            preview.warnings = list(preview.evaluation.warnings)
        except ParseError as exc:
            preview.error = parse_error_text(exc)
        except BudgetExceeded as exc:
            preview.error = error_text(exc)
        except RuntimeError:  # a parser bug (parse_bytes_within's contract), not the file's
            preview.error = (
                "Filen kunde inte läsas på grund av ett fel i programmet. "
                "Rapportera gärna filen till den som driver tjänsten."
            )
    return preview


def replacement(preview: UploadPreview, evaluations: pd.DataFrame) -> Replacement | None:
    """What saving this preview would replace, from `queries.evaluations`; None if nothing."""
    ev = preview.evaluation
    if ev is None or evaluations.empty:
        return None
    same = evaluations[(evaluations.code == ev.municipality_code) & (evaluations.year == ev.year)]
    if same.empty:
        return None
    row = same.iloc[0]
    return Replacement(
        origin=str(row.origin),
        total=None if pd.isna(row.total) else float(row.total),
        file_name=str(row.file_name),
        source_note=None if pd.isna(row.source_note) else str(row.source_note),
        same_file=bool(row.origin == "report" and row.sha256 == preview.sha256),
    )


def save_upload(preview: UploadPreview, data: bytes, db: Path) -> store.IngestResult:
    """Store a previewed upload in one transaction (StoreLockedError if the store is busy)."""
    if preview.evaluation is None or preview.fmt is None:
        raise ValueError("only a successfully parsed upload can be saved")
    return store.store_evaluation(preview.evaluation, data, preview.name, preview.fmt, db)

"""The upload handler behind the Data page (AppTest cannot upload files)."""

from __future__ import annotations

from pathlib import Path

import pytest

from kompass import queries
from kompass.domain.notices import Notice
from kompass.ui import uploads
from tests.helpers.parse import edited_sala

REPORTS = Path(__file__).resolve().parents[2] / "data" / "reports"


def test_preview_then_save_shows_up_in_queries(empty_db: Path) -> None:
    data = (REPORTS / "sala-2023.txt").read_bytes()
    preview = uploads.preview_upload(data, "C:\\Users\\x\\Desktop\\sala-2023.txt")
    assert preview.ok and preview.name == "sala-2023.txt"
    assert preview.evaluation is not None and preview.evaluation.total == 482
    assert queries.evaluations(empty_db).empty  # a preview stores nothing
    result = uploads.save_upload(preview, data, empty_db)
    assert result.status == "added"
    evals = queries.evaluations(empty_db)
    assert set(zip(evals.name, evals.year, strict=True)) == {("Sala", 2023), ("Sala", 2019)}
    assert uploads.save_upload(preview, data, empty_db).status == "unchanged"


def test_bad_uploads_get_a_clear_message() -> None:
    assert "Filtypen" in (uploads.preview_upload(b"x", "report.exe").error or "")
    error = uploads.preview_upload(b"just some text", "notes.txt").error or ""
    assert "Kommunkompass" in error and "notes.txt" in error
    assert error == (
        "Filen kunde inte läsas som en Kommunkompass-rapport (notes.txt): "
        "ordet ”Kommunkompassen” finns inte i texten"
    )
    binary = uploads.preview_upload(b"\x00\x01\x02" * 100, "x.pdf").error or ""
    assert binary.startswith("Filen kunde inte läsas")


def test_upload_names_never_become_paths() -> None:
    assert uploads.clean_name("../../etc/passwd") == "passwd"
    assert uploads.clean_name("a/b\\c\x00d.txt") == "cd.txt"
    assert uploads.clean_name("") == "uppladdad-rapport"


# --- issue 8: names, budget, replacement -------------------------------------------------

HIDDEN = [
    "\x00", "\x1b", "\x7f",  # C0 and DEL
    "\x80", "\x85", "\x9b", "\x9f",  # C1 (NEL, CSI)
    "\u202e", "\u202d", "\u202a", "\u2066", "\u2067", "\u2069", "\u200e", "\u200f",  # bidi
    "\u061c", "\u200b", "\ufeff", "\u2028", "\u2029",  # marks, zero width, separators
]  # fmt: skip


def test_clean_name_strips_every_control_and_bidi_character() -> None:
    for char in HIDDEN:
        assert uploads.clean_name(f"sala{char}-2023.txt") == "sala-2023.txt", repr(char)
    # "evil\u202etxt.exe" shows as "evilexe.txt" in a browser: the override must go.
    assert uploads.clean_name("rapport\u202etxt.exe") == "rapporttxt.exe"
    assert uploads.clean_name("Håbo Öckerö 2023.txt") == "Håbo Öckerö 2023.txt"
    assert uploads.clean_name("\u202e\u2066\x85") == "uppladdad-rapport"


def test_preview_over_its_page_budget_says_so_in_swedish(tmp_path: Path) -> None:
    from kompass.parse.budget import Budget
    from tests.helpers.pdfmaker import find_font, make_pdf

    font = find_font()
    if font is None:
        pytest.skip("no Unicode TrueType font under /usr/share/fonts (fonts-dejavu-core)")
    pdf = make_pdf((REPORTS / "sala-2023.txt").read_text(encoding="utf-8"), tmp_path / "s.pdf",
                   "cells", font)  # fmt: skip
    preview = uploads.preview_upload(pdf.read_bytes(), "sala-2023.pdf", Budget(pages=3))
    assert not preview.ok
    assert preview.error == "Filen har för många sidor (över 3) och lästes inte."
    whole = uploads.preview_upload(pdf.read_bytes(), "sala-2023.pdf")
    assert whole.ok and whole.evaluation is not None and whole.evaluation.total == 482


def test_preview_over_its_time_budget_says_so_in_swedish() -> None:
    from kompass.parse.budget import Budget

    # 200 copies of a report (10 MB): about 0.4 s of parsing, far over 0.05 s.
    data = (REPORTS / "sala-2023.txt").read_bytes() * 200
    preview = uploads.preview_upload(data, "sala-2023.txt", Budget(seconds=0.05))
    assert not preview.ok
    assert preview.error == "Filen tog för lång tid att läsa (över 0,05 s) och stoppades."


def test_preview_tells_what_saving_would_replace(sample_db: Path) -> None:
    evals = queries.evaluations(sample_db)
    original = (REPORTS / "sala-2023.txt").read_bytes()
    same = uploads.preview_upload(original, "sala-2023.txt")
    old = uploads.replacement(same, evals)
    assert old is not None and old.same_file and old.total == 482

    newer = uploads.preview_upload(edited_sala(), "sala-2023-rättad.txt")
    assert newer.evaluation is not None and newer.evaluation.total == 486
    old = uploads.replacement(newer, evals)
    assert old is not None and not old.same_file
    assert (old.origin, old.total, old.file_name) == ("report", 482, "sala-2023.txt")


def test_preview_of_a_new_evaluation_replaces_nothing(empty_db: Path) -> None:
    data = (REPORTS / "lund-2011.txt").read_bytes()
    preview = uploads.preview_upload(data, "lund-2011.txt")
    assert preview.ok
    assert uploads.replacement(preview, queries.evaluations(empty_db)) is None


def test_preview_warnings_keep_their_codes_across_the_worker() -> None:
    """The parse runs in a worker process: its warnings come back as Notices, codes intact."""
    preview = uploads.preview_upload((REPORTS / "lund-2011.txt").read_bytes(), "lund-2011.txt")
    assert [(w.code, w.fields) for w in preview.warnings if isinstance(w, Notice)] == [
        ("evaluators_not_named", {})
    ]
    assert preview.warnings == ["evaluators not named in the title block"]

"""The upload handler behind the Data page (AppTest cannot upload files)."""

from __future__ import annotations

from pathlib import Path

from kompass import queries, uploads

REPORTS = Path(__file__).resolve().parent.parent / "data" / "reports"


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
    binary = uploads.preview_upload(b"\x00\x01\x02" * 100, "x.pdf").error or ""
    assert binary.startswith("Filen kunde inte läsas")


def test_upload_names_never_become_paths() -> None:
    assert uploads.clean_name("../../etc/passwd") == "passwd"
    assert uploads.clean_name("a/b\\c\x00d.txt") == "cd.txt"
    assert uploads.clean_name("") == "uppladdad-rapport"

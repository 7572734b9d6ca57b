"""Kept originals and the audit table (issue 13, schema version 5)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from kompass.store import ingest_many, store_evaluation
from kompass.store.audit import Audit, os_user, recording
from kompass.store.imports import ImportValidationError, import_scores
from kompass.store.rows import read_report
from tests.helpers.db import dump, rows

SAMPLE_REPORTS = Path(__file__).resolve().parents[2] / "data" / "reports"
SALA = SAMPLE_REPORTS / "sala-2023.txt"
AREAS = ",".join(f"omrade{n}" for n in range(1, 9))
SCORES = f"kommun,ar,ramverk,{AREAS},total,kalla\nHåbo,2021,2020,61,,,,,,,,,Testdata\n".encode()
CLI = Audit("cli", "operator", "ingest")


def test_every_sample_report_is_kept_byte_for_byte(sample_db: Path) -> None:
    kept = rows(sample_db, "SELECT file_name, format, sha256, bytes FROM original ORDER BY 1")
    files = sorted(SAMPLE_REPORTS.glob("*.txt"))
    assert [name for name, *_ in kept] == [p.name for p in files]
    for (_, fmt, sha256, data), path in zip(kept, files, strict=True):
        assert fmt == "text" and data == path.read_bytes()
        assert sha256 == hashlib.sha256(data).hexdigest()
    # The same hashes as the report rows: reparse finds each report's bytes.
    assert rows(sample_db, "SELECT sha256 FROM report ORDER BY 1") == sorted(
        (s,) for _, _, s, _ in kept
    )


def test_an_import_keeps_its_csv(empty_db: Path) -> None:
    import_scores(SCORES, "resultat.csv", empty_db)
    assert rows(empty_db, "SELECT file_name, format, bytes FROM original") == [
        ("resultat.csv", "csv", SCORES)
    ]


def test_writes_without_a_recording_add_no_audit_rows(empty_db: Path) -> None:
    ingest_many([SALA], empty_db)
    import_scores(SCORES, "resultat.csv", empty_db)
    assert rows(empty_db, "SELECT count(*) FROM audit") == [(0,)]


def test_a_recording_adds_one_row_per_file_with_its_result(empty_db: Path, tmp_path: Path) -> None:
    broken = tmp_path / "trasig.txt"
    broken.write_text("no report here", encoding="utf-8")
    with recording(CLI):
        ingest_many([SALA, broken], empty_db)
        ingest_many([SALA], empty_db)
    with recording(Audit("cli", None, "import-scores")):
        import_scores(SCORES, "resultat.csv", empty_db)
    found = rows(
        empty_db, "SELECT via, who, action, file_name, sha256, result FROM audit ORDER BY ALL"
    )
    sala = hashlib.sha256(SALA.read_bytes()).hexdigest()
    csv = hashlib.sha256(SCORES).hexdigest()
    assert {r for r in found if r[3] != "trasig.txt"} == {
        ("cli", "operator", "ingest", "sala-2023.txt", sala, "added"),
        ("cli", "operator", "ingest", "sala-2023.txt", sala, "unchanged"),
        ("cli", None, "import-scores", "resultat.csv", csv, "added"),
    }
    [failed] = [r for r in found if r[3] == "trasig.txt"]
    assert failed[4] is None and failed[5].startswith("failed: ")


def test_an_audit_row_goes_with_its_write_or_not_at_all(empty_db: Path) -> None:
    """A write that fails stores no audit row of a stored file (same transaction)."""
    before = dump(empty_db)
    bad = f"kommun,ar,ramverk,{AREAS},total,kalla\nNowhere,2021,2020,61,,,,,,,,,X\n".encode()
    with recording(CLI), pytest.raises(ImportValidationError):
        import_scores(bad, "fel.csv", empty_db)
    assert dump(empty_db) == before


def test_an_upload_records_its_stored_name_and_hash(empty_db: Path) -> None:
    data, evaluation, fmt = read_report(SALA)
    with recording(Audit("app", "skrivare@kommun.se", "upload")):
        store_evaluation(evaluation, data, "sala\u202e.txt", fmt, empty_db)
    assert rows(empty_db, "SELECT via, who, action, file_name, result FROM audit") == [
        ("app", "skrivare@kommun.se", "upload", "sala.txt", "added")
    ]
    assert rows(empty_db, "SELECT file_name FROM original") == [("sala.txt",)]


def test_the_os_user_is_named_or_none() -> None:
    who = os_user()
    assert who is None or (isinstance(who, str) and who)


def test_an_audit_says_cli_or_app() -> None:
    with pytest.raises(ValueError, match="cli"):
        Audit("web", None, "ingest")

"""Issue 8, item 2, end to end: a PDF bomb among good reports in `kompass ingest` and `check`.

The budget itself (pages, seconds, memory, workers) is tested in test_budget.py.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from kompass.store import ingest_many, table_counts
from tests.helpers.pdfmaker import pdf_bomb

REPO = Path(__file__).resolve().parents[2]
SALA = REPO / "data" / "reports" / "sala-2023.txt"
KOMPASS = Path(sys.executable).with_name("kompass")


def test_ingest_reports_the_bomb_and_stores_the_rest(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "bomb.pdf").write_bytes(pdf_bomb(pages=2000, stream_bytes=400_000))
    (folder / "sala-2023.txt").write_bytes(SALA.read_bytes())
    db = tmp_path / "kompass.duckdb"
    results, failures = ingest_many([folder], db)
    assert [r.file_name for r in results] == ["sala-2023.txt"]
    [(file, message)] = failures
    assert file.endswith("bomb.pdf") and message.startswith("over budget: PDF has 2000 pages")
    assert table_counts(db)["evaluation"] == 2  # Sala 2023 and the 2019 it states


def test_cli_check_of_a_bomb_is_one_line_naming_the_file(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.pdf"
    bomb.write_bytes(pdf_bomb(pages=2000, stream_bytes=400_000))
    result = subprocess.run(
        [str(KOMPASS), "check", str(bomb)], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1
    assert "bomb.pdf" in result.stderr and "over budget" in result.stderr

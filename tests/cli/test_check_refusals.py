"""`kompass check` and `kompass ingest` say which case a refused text is (issue #11, point 3),
and read reports in other text shapes (point 4). Run as a user would: the console script
in a subprocess, real files."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers.shapes import SHAPES

KOMPASS = Path(sys.executable).with_name("kompass")
SALA = Path(__file__).resolve().parents[2] / "data" / "reports" / "sala-2023.txt"
SUMMARY = """Grästorps kommun har utvärderats med Kommunkompassen.
1. Offentlighet och demokrati 61
2. Tillgänglighet och brukarorientering 58
3. Politisk styrning och kontroll 70
Totalt fick Grästorp 506 av totalt 800 poäng.
"""
OLD = """KommunKompassen

ANALYS AV VÄXJÖ KOMMUN 2007

Utvärderingen av Växjö kommun genomfördes i maj 2007.
"""


def run(*args: str, db: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "KOMPASS_DB": str(db)}
    env.pop("KOMPASS_DATA", None)
    return subprocess.run(
        [str(KOMPASS), *args], env=env, capture_output=True, text=True, timeout=120
    )


def sala_cut(lines: int) -> str:
    return "\n".join(SALA.read_text(encoding="utf-8").split("\n")[:lines])


CASES = {
    "summary": (SUMMARY, "a summary of results (scores of 3 of 8 areas), not a full report: "
                "import it with `kompass import-text FILE --kalla SOURCE`"),
    "contents": (sala_cut(27), "the text ends after its contents list"),
    "cut": (sala_cut(200), "the report ends mid-way: the last area found is area 3 "
            "(Styrning och kontroll); areas 4–8 are missing (file cut off?)"),
    "old": (OLD, "an evaluation from 2007, before the 2010 framework: such reports are not "
            "supported"),
    "other": ("Veckans matsedel\n", "not a Kommunkompassen report"),
}  # fmt: skip


@pytest.mark.parametrize("case", CASES)
def test_check_says_which_case_a_refused_text_is(case: str, tmp_path: Path) -> None:
    text, message = CASES[case]
    path = tmp_path / f"{case}.txt"
    path.write_text(text, encoding="utf-8")
    result = run("check", str(path), db=tmp_path / "k.duckdb")
    assert result.returncode == 2
    [line] = result.stderr.splitlines()
    assert line.startswith(f"kompass check: {case}.txt")
    assert message in line
    assert "Traceback" not in result.stderr


def test_ingest_says_it_too_and_stores_nothing(tmp_path: Path) -> None:
    path = tmp_path / "grastorp.txt"
    path.write_text(SUMMARY, encoding="utf-8")
    result = run("ingest", str(path), db=tmp_path / "k.duckdb")
    assert result.returncode == 1
    [line] = result.stderr.splitlines()
    assert "a summary of results" in line and "kompass import-text" in line


def test_check_reads_a_report_with_one_page_per_line(tmp_path: Path) -> None:
    result = run("check", str(SHAPES / "sala-2023.pages-headers.txt"), db=tmp_path / "k.duckdb")
    assert result.returncode == 0, result.stderr
    assert "municipality  Sala (1981)" in result.stdout
    assert "total         482" in result.stdout

"""Issue 8, item 2: every parse runs in a worker process with a budget.

The PDF bomb is built here with pypdf: thousands of pages that share one
large content stream, so the file is small and every page is slow to extract.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from io import BytesIO
from pathlib import Path

import pytest

from kompass.errors import BudgetExceeded
from kompass.parse import ParseError, parse_bytes
from kompass.parse.budget import Budget, parse_bytes_within, parse_files_within
from kompass.store import ingest_many, table_counts

REPO = Path(__file__).resolve().parent.parent
REPORTS = REPO / "data" / "reports"
SALA = REPORTS / "sala-2023.txt"
KOMPASS = Path(sys.executable).with_name("kompass")


def pdf_bomb(pages: int, stream_kb: int) -> bytes:
    """A PDF of `pages` pages sharing one content stream of many tiny text objects."""
    from pypdf import PdfWriter
    from pypdf.generic import DecodedStreamObject, NameObject

    text = b"Kommunkompassen Omr\xe5de 1 "
    ops = b"".join(
        b"BT /F1 1 Tf %d %d Td (%s) Tj ET\n" % (i % 500, i % 700, text)
        for i in range(stream_kb * 1024 // 60)
    )
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    stream = DecodedStreamObject()
    stream.set_data(ops)
    shared = writer._add_object(stream)
    font = writer._add_object(
        _dict({"/Type": "/Font", "/Subtype": "/Type1", "/BaseFont": "/Helvetica"})
    )
    first = writer.pages[0]
    first[NameObject("/Contents")] = shared
    first[NameObject("/Resources")] = _dict({"/Font": _dict({"/F1": font})})
    for _ in range(pages - 1):
        writer.add_page(first)
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def _dict(values: dict[str, object]) -> object:
    from pypdf.generic import DictionaryObject, NameObject

    return DictionaryObject(
        {NameObject(k): (NameObject(v) if isinstance(v, str) else v) for k, v in values.items()}
    )


def children() -> set[int]:
    """PIDs of this process's live child processes (workers included)."""
    found: set[int] = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        if int(fields[1]) == os.getpid() and fields[0] != "Z":
            found.add(int(entry.name))
    return found


def test_pdf_bomb_is_refused_by_its_page_count_at_once() -> None:
    bomb = pdf_bomb(pages=2000, stream_kb=400)
    assert len(bomb) < 1_000_000
    started = time.monotonic()
    with pytest.raises(BudgetExceeded) as info:
        parse_bytes_within(bomb, "bomb.pdf")
    assert time.monotonic() - started < 15
    assert info.value.fields["limit"] == "pages"
    assert info.value.code == "budget_exceeded"


def test_slow_parse_is_stopped_at_its_time_budget_and_the_worker_killed() -> None:
    bomb = pdf_bomb(pages=300, stream_kb=400)  # under the page budget, slow page by page
    before = children()
    started = time.monotonic()
    with pytest.raises(BudgetExceeded) as info:
        parse_bytes_within(bomb, "slow.pdf", Budget(seconds=1.0))
    took = time.monotonic() - started
    assert info.value.fields["limit"] == "seconds"
    assert took < 10
    time.sleep(0.5)
    stray = children() - before
    # A warm worker may stay idle; none of them may be busy parsing the bomb.
    for pid in stray:
        ticks = [int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[11])]
        time.sleep(0.5)
        ticks.append(int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[11]))
        assert ticks[1] - ticks[0] < 10, f"worker {pid} still burns CPU after the stop"


def test_memory_budget_stops_a_hungry_parse() -> None:
    text = SALA.read_bytes() + b"\n" + b"x" * 40_000_000
    with pytest.raises(BudgetExceeded) as info:
        parse_bytes_within(text, "stor.txt", Budget(memory_mb=200))
    assert info.value.fields["limit"] == "memory"


def test_a_good_report_parses_the_same_in_the_worker() -> None:
    data = SALA.read_bytes()
    inside, fmt = parse_bytes_within(data, SALA.name)
    direct, direct_fmt = parse_bytes(data, SALA.name)
    assert fmt == direct_fmt == "text"
    assert inside.to_json() == direct.to_json()


def test_parse_errors_come_back_unchanged() -> None:
    with pytest.raises(ParseError) as info:
        parse_bytes_within("Mötesanteckningar\n".encode(), "notes.txt")
    with pytest.raises(ParseError) as direct:
        parse_bytes("Mötesanteckningar\n".encode(), "notes.txt")
    assert str(info.value) == str(direct.value)


def test_batch_keeps_order_and_survives_a_bomb(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.pdf"
    bomb.write_bytes(pdf_bomb(pages=300, stream_kb=400))
    paths = [REPORTS / "burlov-2020.txt", bomb, REPORTS / "lund-2011.txt", tmp_path]
    outcomes = list(parse_files_within(paths, Budget(seconds=2.0), workers=2))
    assert [p for p, _ in outcomes] == paths
    kinds = [type(o).__name__ for _, o in outcomes]
    assert kinds == ["tuple", "BudgetExceeded", "tuple", "ParseError"]
    assert outcomes[0][1][1].municipality == "Burlöv"  # type: ignore[index]
    assert outcomes[2][1][1].municipality == "Lund"  # type: ignore[index]


def test_ingest_reports_the_bomb_and_stores_the_rest(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "bomb.pdf").write_bytes(pdf_bomb(pages=2000, stream_kb=400))
    (folder / "sala-2023.txt").write_bytes(SALA.read_bytes())
    db = tmp_path / "kompass.duckdb"
    results, failures = ingest_many([folder], db)
    assert [r.file_name for r in results] == ["sala-2023.txt"]
    [(file, message)] = failures
    assert file.endswith("bomb.pdf") and message.startswith("over budget: PDF has 2000 pages")
    assert table_counts(db)["evaluation"] == 2  # Sala 2023 and the 2019 it states


def test_cli_check_of_a_bomb_is_one_line(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.pdf"
    bomb.write_bytes(pdf_bomb(pages=2000, stream_kb=400))
    result = subprocess.run(
        [str(KOMPASS), "check", str(bomb)], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "over budget" in result.stderr

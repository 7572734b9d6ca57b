"""The parser's warnings and errors carry codes and fields (issue 9), across worker processes.

Notices are strings (their English message), so `Evaluation.warnings` and the
`kompass parse --json` contract are unchanged; the golden tests check the text.
"""

from __future__ import annotations

import copy
import json
import pickle
from pathlib import Path

import pytest

from kompass.domain.notices import Notice, from_records, records_json
from kompass.parse import ParseError, parse_bytes, parse_report
from kompass.parse.budget import parse_bytes_within, parse_files_within

ROOT = Path(__file__).resolve().parents[2]
REPORTS = ROOT / "data" / "reports"
CASES = ROOT / "tests" / "cases"


def test_a_notice_is_its_english_message() -> None:
    notice = Notice("no_subtotal_row", "area 2: no subtotal row", area=2)
    assert notice == "area 2: no subtotal row" and isinstance(notice, str)
    assert json.dumps([notice]) == '["area 2: no subtotal row"]'
    for twin in (pickle.loads(pickle.dumps(notice)), copy.deepcopy(notice)):
        assert type(twin) is Notice
        assert (twin, twin.code, twin.fields) == (notice, "no_subtotal_row", {"area": 2})


def test_codes_and_fields_are_checked_when_made() -> None:
    with pytest.raises(ValueError, match="unknown notice code"):
        Notice("no_such_code", "text")
    with pytest.raises(ValueError, match="takes fields"):
        Notice("no_subtotal_row", "text", line=3)
    with pytest.raises(ValueError, match="takes fields"):
        ParseError.coded("subarea_listed_twice", "text", line=3)  # subarea missing


def test_stored_records_come_back_as_notices() -> None:
    messages = [Notice("area_score_not_stated", "area 4: …", area=4), "plain text"]
    back = from_records([str(m) for m in messages], records_json(messages))
    assert back == messages
    assert isinstance(back[0], Notice) and back[0].fields == {"area": 4}
    assert not isinstance(back[1], Notice)
    assert from_records(["x"], "not json") == ["x"]


@pytest.mark.parametrize(
    "path", sorted(REPORTS.glob("*.txt")) + sorted(CASES.glob("*.txt")), ids=lambda p: p.name
)
def test_every_warning_has_a_code(path: Path) -> None:
    warnings = parse_report(path).warnings
    assert all(isinstance(w, Notice) for w in warnings), warnings


def test_warnings_with_fields() -> None:
    codes = {(w.code, tuple(sorted(w.fields.items()))) for w in parse_report(
        REPORTS / "svenljunga-2022.txt"
    ).warnings if isinstance(w, Notice)}  # fmt: skip
    assert codes == {("findings_without_item_marks", (("line", 223),))}


def sala_without_area_3() -> bytes:
    text = (REPORTS / "sala-2023.txt").read_text(encoding="utf-8")
    return text.replace("Område 3", "Avsnitt 3").encode("utf-8")


def test_a_parse_error_keeps_code_and_fields_through_pickle_and_the_worker() -> None:
    with pytest.raises(ParseError) as here:
        parse_bytes(sala_without_area_3(), "sala-bad.txt")
    assert (here.value.code, here.value.fields) == ("areas_missing", {"areas": [3]})
    twin = pickle.loads(pickle.dumps(here.value))
    assert (twin.code, twin.fields, str(twin)) == ("areas_missing", {"areas": [3]}, str(here.value))
    with pytest.raises(ParseError) as worker:
        parse_bytes_within(sala_without_area_3(), "sala-bad.txt")
    assert (worker.value.code, worker.value.fields) == ("areas_missing", {"areas": [3]})
    assert str(worker.value) == str(here.value)
    assert worker.value.notice.code == "areas_missing"


def test_batch_parses_keep_codes(tmp_path: Path) -> None:
    bad = tmp_path / "empty.txt"
    bad.write_bytes(b"   \n")
    outcomes = dict(parse_files_within([REPORTS / "lund-2011.txt", bad, tmp_path]))
    lund = outcomes[REPORTS / "lund-2011.txt"]
    assert isinstance(lund, tuple)
    assert [w.code for w in lund[1].warnings if isinstance(w, Notice)] == ["evaluators_not_named"]
    assert isinstance(outcomes[bad], ParseError) and outcomes[bad].code == "file_empty"
    folder = outcomes[tmp_path]
    assert isinstance(folder, ParseError)
    assert (folder.code, folder.fields) == ("not_a_regular_file", {"kind": "folder"})
    assert folder.message == "not a regular file (a folder)"

"""Imports of published results and reference means: validation, all-or-nothing, precedence.

Input files live in `tests/cases/imports/` (their values are made-up test
data). Every test writes to a real DuckDB file (`empty_db`, `sample_db_copy`).
Errors and warnings are Notices (issue 9): tests check their codes and fields,
their Swedish through `kompass.present.notices`, and the English the CLI prints.
"""

from __future__ import annotations

import codecs
import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from kompass import queries
from kompass.domain.municipalities import municipalities
from kompass.domain.notices import Notice
from kompass.present.exports import WORKBOOK_NAME, export_files
from kompass.present.notices import text_of
from kompass.store import connect, ingest
from kompass.store.imports import (
    PARSER_VERSION,
    ImportValidationError,
    import_reference,
    import_scores,
    parse_number,
    read_reference,
    read_scores,
)
from tests.helpers.db import dump, rows

CASES = Path(__file__).resolve().parents[1] / "cases" / "imports"
SAMPLE_REPORTS = Path(__file__).resolve().parents[2] / "data" / "reports"
KOMPASS = Path(sys.executable).with_name("kompass")
HEADER = "kommun,ar,manad,ramverk," + ",".join(f"omrade{n}" for n in range(1, 9)) + ",total,kalla"
EIGHT = ",".join(["50"] * 8)  # a valid set of areas (sum 400)
REFERENCE_HEADER = "etikett,ramverk,ar," + ",".join(f"omrade{n}" for n in range(1, 9)) + ",kalla"
NEXT_YEAR = date.today().year + 1  # an evaluation may be planned for next year, not later


def case(name: str) -> bytes:
    return (CASES / name).read_bytes()


def evaluation(db: Path, code: str, year: int) -> dict[str, Any]:
    with connect(db, read_only=True) as con:
        cursor = con.execute(
            "SELECT * FROM evaluation WHERE municipality_code = ? AND year = ?", [code, year]
        )
        found = cursor.fetchall()
        names = [d[0] for d in cursor.description]
    assert len(found) == 1, (code, year)
    return dict(zip(names, found[0], strict=True))


def area_scores(db: Path, code: str, year: int) -> list[float]:
    found = rows(
        db,
        "SELECT a.score FROM area_score a JOIN evaluation e USING (evaluation_id) "
        "WHERE e.municipality_code = ? AND e.year = ? ORDER BY a.area",
        [code, year],
    )
    return [r[0] for r in found]


def notices_of(data: str) -> list[Notice]:
    with pytest.raises(ImportValidationError) as info:
        read_scores(data.encode("utf-8"))
    assert all(isinstance(e, Notice) for e in info.value.errors)
    return info.value.errors


def errors_of(data: str) -> list[str]:
    """The errors as the app shows them (Swedish, kompass.present.notices)."""
    return [text_of(e) for e in notices_of(data)]


def swedish(errors: list[Notice]) -> list[str]:
    return [text_of(e) for e in errors]


# --- scores: storing -------------------------------------------------------------


def test_valid_scores_are_stored(empty_db: Path) -> None:
    result = import_scores(case("scores-valid.csv"), "scores-valid.csv", empty_db)
    assert (result.status, result.rows_stored, result.skipped) == ("added", 3, [])
    [warning] = result.warnings
    assert (warning.code, warning.fields) == (
        "import_total_mismatch",
        {"line": 4, "total": 500.0, "sum": 480.0},
    )
    assert text_of(warning) == (
        "rad 4: total 500 men områdena summerar till 480; den angivna totalen sparas och "
        "skillnaden sparas som en motsägelse"
    )

    only_total = evaluation(empty_db, "0114", 2021)  # "114" in the file: leading zero restored
    assert only_total["origin"] == "import"
    assert only_total["total"] == 512 and only_total["total_line"] == 2
    assert only_total["source_note"] == "Testdata: endast total"
    assert area_scores(empty_db, "0114", 2021) == []

    full = evaluation(empty_db, "0780", 2022)  # "Växjö kommun"
    assert (full["month"], full["framework"], full["total"]) == (5, "2020", 520)
    assert area_scores(empty_db, "0780", 2022) == [70, 65, 72, 60, 58, 61, 66, 68]
    assert rows(
        empty_db,
        "SELECT DISTINCT a.line FROM area_score a JOIN evaluation e USING (evaluation_id) "
        "WHERE e.municipality_code = '0780'",
    ) == [(3,)]

    # Kalmar: eight areas of 60 (480) but a stated total of 500: the total as the source
    # states it, the sum beside it as a discrepancy (chosen: the total the app shows).
    kalmar = evaluation(empty_db, "0880", 2021)
    assert kalmar["month"] == 10 and kalmar["total"] == 500 and kalmar["total_line"] == 4
    assert area_scores(empty_db, "0880", 2021) == [60] * 8
    assert rows(
        empty_db,
        "SELECT d.area, d.kind, d.stated, d.chosen, d.line FROM discrepancy d "
        "JOIN evaluation e USING (evaluation_id) WHERE e.municipality_code = '0880'",
    ) == [(None, "import_total", 480.0, 500.0, 4)]
    assert rows(empty_db, "SELECT count(*) FROM discrepancy") == [(1,)]
    assert rows(empty_db, "SELECT count(*) FROM evaluation WHERE total_computed") == [(0,)]

    report = rows(empty_db, "SELECT file_name, format, parser_version, sha256 FROM report")
    assert len(report) == 1
    assert report[0][:3] == ("scores-valid.csv", "csv", PARSER_VERSION)
    assert len(report[0][3]) == 64


def test_the_same_file_twice_changes_nothing(empty_db: Path) -> None:
    import_scores(case("scores-valid.csv"), "scores-valid.csv", empty_db)
    before = dump(empty_db)
    again = import_scores(case("scores-valid.csv"), "another-name.csv", empty_db)
    assert (again.status, again.rows_stored) == ("unchanged", 0)
    assert dump(empty_db) == before


def test_total_only_rows_rank_but_have_no_area_scores(empty_db: Path) -> None:
    import_scores(case("scores-valid.csv"), "scores-valid.csv", empty_db)
    evals = queries.evaluations(empty_db)
    assert set(queries.ranking(evals).code) == {"0114", "0780", "0880"}
    assert set(queries.latest_evaluations(evals).code) == {"0780", "0880"}


def test_semicolons_decimal_commas_and_cp1252(empty_db: Path) -> None:
    """Swedish Excel's CSV: `;`, decimal comma, Windows-1252, headers with å/ä/ö and spaces."""
    result = import_scores(case("scores-semicolon-cp1252.csv"), "excel.csv", empty_db)
    assert result.rows_stored == 2
    orebro = evaluation(empty_db, "1880", 2021)
    assert orebro["total"] == pytest.approx(497.25)
    assert orebro["source_note"] == "Testdata, Örebro"
    assert area_scores(empty_db, "1880", 2021) == [61.5, 58.5, 70, 55, 60, 62.25, 64, 66]
    habo = evaluation(empty_db, "0305", 2018)
    assert habo["framework"] == "2010" and habo["total"] == pytest.approx(428.5)
    assert habo["total_line"] is None  # no total in the file: the eight areas' sum
    assert habo["total_computed"] is True and orebro["total_computed"] is False
    assert rows(empty_db, "SELECT count(*) FROM discrepancy") == [(0,)]


def test_utf8_with_bom_and_quoted_decimal_comma(empty_db: Path) -> None:
    text = f'{HEADER}\nHåbo,2021,,2020,{EIGHT},"400,4",Testdata\n'
    result = import_scores(b"\xef\xbb\xbf" + text.encode("utf-8"), "bom.csv", empty_db)
    assert result.rows_stored == 1 and result.warnings == []
    # The total as stated; within 0.5 of the areas' 400: rounding, no discrepancy.
    assert evaluation(empty_db, "0305", 2021)["total"] == 400.4
    assert rows(empty_db, "SELECT count(*) FROM discrepancy") == [(0,)]


@pytest.mark.parametrize(
    ("text", "value"),
    [("42,2", 42.2), ("42.2", 42.2), (" 482 ", 482.0), ("1\u00a0000", 1000.0), ("abc", None)],
)
def test_parse_number(text: str, value: float | None) -> None:
    assert parse_number(text) == value


# --- partial rows (issue 11 point 1) ----------------------------------------------


def area_rows(db: Path, code: str, year: int) -> list[tuple[int, float]]:
    return rows(
        db,
        "SELECT a.area, a.score FROM area_score a JOIN evaluation e USING (evaluation_id) "
        "WHERE e.municipality_code = ? AND e.year = ? ORDER BY a.area",
        [code, year],
    )


def test_partial_score_rows_store_only_the_given_areas(empty_db: Path) -> None:
    """A press release quotes an area or three, or only the total: each row is stored as
    given; the total is NULL where the row states none and the eight areas are not all there."""
    text = (
        f"{HEADER}\n"
        "Håbo,2021,,2020,,,61,,,,,,,Ett område\n"
        "Lund,2021,,2020,70,,,55,,,,80,,Tre områden\n"
        "Örebro,2021,,2020,,,,,,,,,497,Bara total\n"
        "Sala,2021,,2020,66,,,,,,,,500,Ett område och total\n"
    )
    result = import_scores(text.encode(), "delvis.csv", empty_db)
    assert (result.rows_stored, result.skipped, result.warnings) == (4, [], [])
    assert area_rows(empty_db, "0305", 2021) == [(3, 61.0)]
    assert area_rows(empty_db, "1281", 2021) == [(1, 70.0), (4, 55.0), (8, 80.0)]
    assert area_rows(empty_db, "1880", 2021) == []
    assert area_rows(empty_db, "1981", 2021) == [(1, 66.0)]
    stored = rows(
        empty_db,
        "SELECT code, total, total_line, total_computed FROM evaluation_detail ORDER BY code",
    )
    assert stored == [
        ("0305", None, None, False),
        ("1281", None, None, False),
        ("1880", 497.0, 4, False),
        ("1981", 500.0, 5, False),
    ]
    assert rows(empty_db, "SELECT count(*) FROM discrepancy") == [(0,)]
    # None of them has all eight areas: none enters a computed mean.
    assert rows(empty_db, "SELECT count(*) FROM latest_scored_evaluation") == [(0,)]


def test_all_eight_areas_and_no_total_sum_to_a_computed_total(empty_db: Path) -> None:
    text = f"{HEADER}\nHåbo,2021,,2020,50,51,52,53,54,55,56,57.5,,Testdata\n"
    result = import_scores(text.encode(), "atta.csv", empty_db)
    assert (result.rows_stored, result.warnings) == (1, [])
    habo = evaluation(empty_db, "0305", 2021)
    assert (habo["total"], habo["total_line"], habo["total_computed"]) == (428.5, None, True)
    assert rows(empty_db, "SELECT total_computed FROM evaluation_detail") == [(True,)]
    assert rows(empty_db, "SELECT code FROM latest_scored_evaluation") == [("0305",)]


def test_a_stated_total_beside_eight_areas_that_differ_is_kept_with_a_discrepancy(
    empty_db: Path,
) -> None:
    text = f"{HEADER}\nHåbo,2021,,2020,{EIGHT},410,Testdata\nLund,2021,,2020,{EIGHT},400.5,y\n"
    result = import_scores(text.encode(), "summa.csv", empty_db)
    assert [(w.code, w.fields) for w in result.warnings] == [
        ("import_total_mismatch", {"line": 2, "total": 410.0, "sum": 400.0})
    ]
    assert result.warnings[0] == (
        "line 2: total 410 but the areas add up to 400; the stated total is kept and the "
        "difference stored as a discrepancy"
    )
    habo = evaluation(empty_db, "0305", 2021)
    assert (habo["total"], habo["total_computed"]) == (410.0, False)
    assert rows(
        empty_db, "SELECT evaluation_id, area, kind, stated, chosen, line FROM discrepancy"
    ) == [(habo["evaluation_id"], None, "import_total", 400.0, 410.0, 2)]
    # The warning is stored with the file, code and fields beside the English.
    [(warnings, notices)] = rows(empty_db, "SELECT warnings, notices FROM report")
    assert warnings == [str(result.warnings[0])]
    assert json.loads(notices)[0]["code"] == "import_total_mismatch"


def test_a_partial_file_with_one_empty_row_stores_nothing(sample_db_copy: Path) -> None:
    text = f"{HEADER}\nHåbo,2021,,2020,61,,,,,,,,,x\nLund,2021,,2020,,,,,,,,,,y\n"
    before = dump(sample_db_copy)
    with pytest.raises(ImportValidationError) as info:
        import_scores(text.encode(), "tom.csv", sample_db_copy)
    [error] = info.value.errors
    assert (error.code, error.fields) == ("import_no_scores", {"line": 3})
    assert error == (
        "line 3: neither area scores nor a total; give at least one area score or a total"
    )
    assert dump(sample_db_copy) == before


def reference_rows(db: Path, label: str) -> tuple[float | None, list[tuple[int, float]]]:
    [(reference_id, total)] = rows(
        db, "SELECT reference_id, total FROM reference_series WHERE label = ?", [label]
    )
    scores = rows(
        db,
        "SELECT area, score FROM reference_score WHERE reference_id = ? ORDER BY area",
        [reference_id],
    )
    return total, scores


def test_partial_means_store_only_the_given_areas(empty_db: Path) -> None:
    header = REFERENCE_HEADER.replace(",kalla", ",total,kalla")
    text = (
        f"{header}\n"
        "Sverigesnitt,2020,2021,63,,,,,,,,,x\n"
        "Medel tre,2020,2022,60,,61,,,,,62,,x\n"
        "Medel total,2020,2023,,,,,,,,,505,x\n"
        "Medel båda,2020,2024,,64,,,,,,,510,x\n"
    )
    result = import_reference(text.encode(), "medel.csv", empty_db)
    assert (result.rows_stored, result.warnings) == (4, [])
    assert reference_rows(empty_db, "Sverigesnitt") == (None, [(1, 63.0)])
    assert reference_rows(empty_db, "Medel tre") == (None, [(1, 60.0), (3, 61.0), (8, 62.0)])
    assert reference_rows(empty_db, "Medel total") == (505.0, [])
    assert reference_rows(empty_db, "Medel båda") == (510.0, [(2, 64.0)])


def test_a_mean_with_eight_areas_and_no_total_says_its_total_is_their_sum(
    empty_db: Path,
) -> None:
    text = f"{REFERENCE_HEADER}\nSverigesnitt,2020,2021,63,65,73,64,61,59,68,64,x\n"
    result = import_reference(text.encode(), "snitt.csv", empty_db)
    [warning] = result.warnings
    assert (warning.code, warning.fields) == (
        "import_reference_total_computed",
        {"line": 2, "sum": 517.0},
    )
    assert warning == "line 2: no total given; the total is the sum of the eight areas, 517"
    assert text_of(warning) == (
        "rad 2: ingen total angiven; totalen är summan av de åtta områdena, 517"
    )
    total, scores = reference_rows(empty_db, "Sverigesnitt")
    assert total == 517.0 and [score for _, score in scores] == [63, 65, 73, 64, 61, 59, 68, 64]


# --- scores: precedence ----------------------------------------------------------


def test_import_never_overwrites_a_report_but_replaces_a_stated_value(
    sample_db_copy: Path,
) -> None:
    """Report > import > stated in a later report (schema.sql, evaluation)."""
    sala_2023 = evaluation(sample_db_copy, "1981", 2023)
    result = import_scores(case("scores-precedence.csv"), "sala.csv", sample_db_copy)

    assert result.rows_stored == 1
    assert len(result.skipped) == 1
    assert result.rows_stored + len(result.skipped) == result.data_rows == 2
    line, reason = result.skipped[0]
    assert line == 2 and "Sala 2023" in reason and "sala-2023.txt" in reason
    # The file's total (470) is not the report's (482): the report wins, the other number
    # is kept beside it (issue 11 point 5).
    assert (reason.code, reason.fields) == (
        "import_skipped_report_differs",
        {
            "line": 2, "name": "Sala", "year": 2023, "origin": "report",
            "file": "sala-2023.txt", "columns": "total",
        },
    )  # fmt: skip
    assert text_of(reason) == (
        "Sala 2023 finns redan från rapporten sala-2023.txt; en rapport går före en import. "
        "Raden skiljer sig från rapporten i total; skillnaderna sparas som motsägelser"
    )
    assert evaluation(sample_db_copy, "1981", 2023) == sala_2023
    assert rows(
        sample_db_copy,
        "SELECT area, stated, chosen, line, note FROM discrepancy "
        "WHERE evaluation_id = ? AND kind = 'published'",
        [sala_2023["evaluation_id"]],
    ) == [(None, 470.0, 482.0, 2, "Testdata: pressmeddelande")]

    assert [line for line, _ in result.replaced] == [3]
    assert text_of(result.replaced[0][1]) == (
        "ersätter Sala 2019 från uppgiften i rapporten sala-2023.txt"
    )
    sala_2019 = evaluation(sample_db_copy, "1981", 2019)
    assert sala_2019["origin"] == "import"
    assert sala_2019["total"] == 371  # the stated 363, plus one per area in the file
    assert sala_2019["source_note"] == "Testdata: Sala kommuns webbplats"
    assert area_scores(sample_db_copy, "1981", 2019) == [52, 41, 47, 51, 40, 49, 27, 64]
    # The sala-2023 report keeps its own evaluation and reference mean.
    assert rows(sample_db_copy, "SELECT count(*) FROM reference_series") == [(1,)]

    # Ingesting the same report again does not bring the stated value back.
    assert ingest(SAMPLE_REPORTS / "sala-2023.txt", sample_db_copy).status == "unchanged"
    assert evaluation(sample_db_copy, "1981", 2019)["origin"] == "import"


def test_a_later_import_replaces_an_earlier_one(empty_db: Path) -> None:
    first = f"{HEADER}\nHåbo,2021,,2020,,,,,,,,,400,Första källan\n"
    second = f"{HEADER}\nHåbo,2021,,2020,,,,,,,,,410,Rättad källa\n"
    import_scores(first.encode(), "first.csv", empty_db)
    result = import_scores(second.encode(), "second.csv", empty_db)
    assert result.rows_stored == 1 and [line for line, _ in result.replaced] == [2]
    habo = evaluation(empty_db, "0305", 2021)
    assert (habo["total"], habo["source_note"]) == (410, "Rättad källa")
    # first.csv no longer backs any row: its report row is gone.
    assert rows(empty_db, "SELECT file_name FROM report") == [("second.csv",)]


def test_a_report_replaces_an_import(empty_db: Path) -> None:
    text = f"{HEADER}\nLund,2011,,2010,,,,,,,,,400,Testdata\n"
    import_scores(text.encode(), "lund.csv", empty_db)
    assert ingest(SAMPLE_REPORTS / "lund-2011.txt", empty_db).status == "replaced"
    assert evaluation(empty_db, "1281", 2011)["origin"] == "report"
    assert rows(empty_db, "SELECT file_name FROM report") == [("lund-2011.txt",)]


# --- scores: validation ----------------------------------------------------------


def test_one_bad_row_stores_nothing(sample_db_copy: Path) -> None:
    before = dump(sample_db_copy)
    with pytest.raises(ImportValidationError) as info:
        import_scores(case("scores-bad-row.csv"), "scores-bad-row.csv", sample_db_copy)
    [error] = info.value.errors
    assert (error.code, error.fields) == (
        "import_not_a_number",
        {"line": 3, "column": "omrade4", "value": "abc"},
    )
    assert error == 'line 3, column omrade4: "abc" is not a number'  # English
    assert text_of(error) == 'rad 3, kolumn omrade4: "abc" är inte ett tal'
    assert dump(sample_db_copy) == before


@pytest.mark.parametrize(
    ("row", "code", "error"),
    [
        (
            f"Salla,2021,,2020,{EIGHT},,x",
            "import_unknown_municipality",
            'kolumn kommun: "Salla" är ingen känd kommun',
        ),
        (f",2021,,2020,{EIGHT},,x", "import_value_missing", "kolumn kommun: kommun saknas"),
        (
            f"Sala,2001,,2010,{EIGHT},,x",
            "import_integer_out_of_range",
            f"kolumn ar: 2001 ligger utanför 2002–{NEXT_YEAR}",
        ),
        (
            f"Sala,{NEXT_YEAR + 1},,2020,{EIGHT},,x",
            "import_integer_out_of_range",
            f"kolumn ar: {NEXT_YEAR + 1} ligger utanför 2002–{NEXT_YEAR}",
        ),
        (f"Sala,20x1,,2020,{EIGHT},,x", "import_not_a_year", 'kolumn ar: "20x1" är inte ett årtal'),
        (f"Sala,,,2020,{EIGHT},,x", "import_value_missing", "kolumn ar: år saknas"),
        (
            f"Sala,2021,13,2020,{EIGHT},,x",
            "import_integer_out_of_range",
            "kolumn manad: 13 ligger utanför 1–12",
        ),
        (
            f"Sala,2021,,2015,{EIGHT},,x",
            "import_not_a_framework",
            'kolumn ramverk: "2015" är inte ett ramverk',
        ),
        (f"Sala,2021,,2020,{EIGHT},,", "import_value_missing", "kolumn kalla: källa saknas"),
        (
            "Sala,2021,,2020,120,50,50,50,50,50,50,50,,x",
            "import_number_out_of_range",
            "kolumn omrade1: 120 ligger utanför 0–100",
        ),
        (
            "Sala,2021,,2020,-1,50,50,50,50,50,50,50,,x",
            "import_number_out_of_range",
            "kolumn omrade1: -1 ligger utanför 0–100",
        ),
        (
            "Sala,2021,,2020,,,,,,,,,900,x",
            "import_number_out_of_range",
            "kolumn total: 900 ligger utanför 0–800",
        ),
        ("Sala,2021,,2020,,,,,,,,,,x", "import_no_scores", "varken områdespoäng eller total"),
    ],
)
def test_each_rule_names_the_row_and_column(row: str, code: str, error: str) -> None:
    notices = notices_of(f"{HEADER}\n{row}\n")
    assert [n.code for n in notices] == [code]
    assert notices[0].fields["line"] == 2 and notices[0].startswith("line 2")
    text = text_of(notices[0])
    assert text.startswith("rad 2")
    assert error in text


def test_every_error_is_reported_not_only_the_first() -> None:
    text = (
        f"{HEADER}\n"
        f"Sala,2021,,2020,{EIGHT},,x\n"
        f"Salla,2021,,2020,{EIGHT},,x\n"
        f"1981,2021,,2020,,,,,,,,,400,y\n"
        f"Sala,2021,,2010,{EIGHT},,\n"
    )
    notices = notices_of(text)
    assert [(n.code, n.fields["line"]) for n in notices] == [
        ("import_unknown_municipality", 3),
        ("import_duplicate_evaluation", 4),
        ("import_value_missing", 5),
    ]
    assert notices[1].fields == {"line": 4, "name": "Sala", "year": 2021, "first": 2}
    assert swedish(notices) == [
        'rad 3, kolumn kommun: "Salla" är ingen känd kommun (ange namn eller SCB-kod)',
        "rad 4, kolumn kommun: Sala 2021 finns redan på rad 2",
        "rad 5, kolumn kalla: källa saknas",
    ]


@pytest.mark.parametrize(
    ("data", "code", "error"),
    [
        (b"", "import_empty", "filen är tom"),
        (HEADER.encode(), "import_no_data_rows", "filen har inga datarader"),
        (
            b"kommun,ar,ramverk,total\nSala,2021,2020,400\n",
            "import_missing_column",
            "rad 1: kolumnen kalla saknas",
        ),
        (
            b"kommun,ar,ramverk,total,kalla,omrde4\nSala,2021,2020,400,x,1\n",
            "import_unknown_column",
            'rad 1: okänd kolumn "omrde4"',
        ),
        (
            b"kommun,ar,ramverk,total,kalla\nSala,2021,2020,400,x,extra\n",
            "import_too_many_fields",
            "rad 2: fler fält",
        ),
        (
            b"kommun,ar\n\x81\x8d\x8f\x90\xff\xfe",
            "import_unknown_encoding",
            "varken UTF-8, UTF-16 eller Windows-1252",
        ),
    ],
)
def test_file_level_errors(data: bytes, code: str, error: str) -> None:
    with pytest.raises(ImportValidationError) as info:
        read_scores(data)
    assert code in [e.code for e in info.value.errors]
    assert any(error in e for e in swedish(info.value.errors)), info.value.errors


def test_framework_far_from_the_year_is_a_warning(empty_db: Path) -> None:
    text = f"{HEADER}\nHåbo,2015,,2020,{EIGHT},,x\nLund,2019,,2020,{EIGHT},,x\n"
    result = import_scores(text.encode(), "warn.csv", empty_db)
    assert result.rows_stored == 2
    [warning] = result.warnings
    assert (warning.code, warning.fields) == (
        "import_framework_year",
        {"line": 2, "framework": "2020", "year": 2015},
    )
    assert warning.startswith("line 2: framework 2020 but year 2015")
    assert text_of(warning).startswith("rad 2: ramverk 2020 men år 2015")
    # Stored: the English text, and beside it the code and fields.
    [(stored, notices)] = rows(empty_db, "SELECT warnings, notices FROM report")
    assert stored == [str(warning)]
    assert json.loads(notices) == [{"code": warning.code, "fields": warning.fields}]


# --- reference means -------------------------------------------------------------


def test_reference_import_appears_as_a_mean(sample_db_copy: Path) -> None:
    result = import_reference(case("reference-valid.csv"), "medel.csv", sample_db_copy)
    assert (result.status, result.rows_stored) == ("added", 2)

    options = queries.mean_options(sample_db_copy, "2020")
    imported = options[options.series_label.str.startswith("Medel 2022")]
    assert len(imported) == 1
    option = imported.iloc[0]
    assert option.n == 45 and option.total == pytest.approx(507.5)
    assert option.scores == [63.5, 64, 70, 63, 60, 56, 67, 64]
    assert "Medel 2020-" in set(options.series_label)  # the report's mean is still there

    older = queries.mean_options(sample_db_copy, "2010")
    assert older.iloc[0].series_label.startswith("Medel 2010-2019")
    assert older.iloc[0].total == 450  # no total in the file: the sum of the areas
    series = rows(
        sample_db_copy,
        "SELECT source_note, line, year, n_municipalities FROM reference_series "
        "WHERE label = 'Medel 2022'",
    )
    assert series == [("Testdata: SKR", 2, 2022, 45)]


def test_reference_reimport_replaces_only_imported_series(sample_db_copy: Path) -> None:
    import_reference(case("reference-valid.csv"), "medel.csv", sample_db_copy)
    header = "etikett;ramverk;ar;" + ";".join(f"omrade{n}" for n in range(1, 9)) + ";kalla"
    fixed = f"{header}\nMedel 2022;2020;2022;{';'.join(['60'] * 8)};Rättad\n"
    result = import_reference(fixed.encode(), "medel-rattad.csv", sample_db_copy)
    assert [line for line, _ in result.replaced] == [2]
    found = rows(
        sample_db_copy,
        "SELECT s.label, s.total, r.file_name FROM reference_series s "
        "JOIN report r USING (report_id) ORDER BY s.label",
    )
    assert found == [
        ("Medel 2010-2019", 450.0, "medel.csv"),
        ("Medel 2020-", 515.0, "sala-2023.txt"),
        ("Medel 2022", 480.0, "medel-rattad.csv"),
    ]


def test_bad_reference_file_stores_nothing(sample_db_copy: Path) -> None:
    header = "etikett,ramverk,ar," + ",".join(f"omrade{n}" for n in range(1, 9)) + ",kalla"
    text = (
        f"{header}\n"
        f"Medel,2020,2022,{EIGHT},x\n"
        "Medel 2,2020,2023,,,,,,,,,x\n"
        f"Medel,2020,2024,{EIGHT},x\n"
    )
    before = dump(sample_db_copy)
    with pytest.raises(ImportValidationError) as info:
        import_reference(text.encode(), "bad.csv", sample_db_copy)
    errors = info.value.errors
    assert [e.code for e in errors] == ["import_no_scores", "import_duplicate_label"]
    assert text_of(errors[0]) == (
        "rad 3: varken områdespoäng eller total; ange minst ett områdes poäng eller totalen"
    )
    assert text_of(errors[1]).startswith('rad 4, kolumn etikett: "Medel" med ramverk 2020')
    assert dump(sample_db_copy) == before


# --- the command line ------------------------------------------------------------


def run(*args: str, db: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "KOMPASS_DB": str(db)}
    env.pop("KOMPASS_DATA", None)
    return subprocess.run(
        [str(KOMPASS), *args], env=env, capture_output=True, text=True, timeout=120
    )


def test_cli_import_scores(sample_db_copy: Path) -> None:
    result = run("import-scores", str(CASES / "scores-precedence.csv"), db=sample_db_copy)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines() == [
        f"scores-precedence.csv: 1 row(s) stored, 1 replaced an earlier value, 1 skipped "
        f"({sample_db_copy})"
    ]
    # English on the command line (the app words the same notices in Swedish).
    assert (
        "scores-precedence.csv: line 2: skipped: Sala 2023 is already stored from the report "
        "sala-2023.txt; a report goes before an import"
    ) in result.stderr
    assert "line 3: replaces Sala 2019 from the figure stated in the report sala-2023.txt" in (
        result.stderr
    )
    assert "Traceback" not in result.stderr
    assert evaluation(sample_db_copy, "1981", 2019)["origin"] == "import"


def test_cli_import_scores_bad_file(sample_db_copy: Path) -> None:
    before = dump(sample_db_copy)
    path = CASES / "scores-bad-row.csv"
    result = run("import-scores", str(path), "--db", str(sample_db_copy), db=Path("unused"))
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        f'{path}: line 3, column omrade4: "abc" is not a number',
        "kompass import-scores: 1 error(s); nothing stored",
    ]
    assert dump(sample_db_copy) == before


def test_cli_import_missing_file(empty_db: Path, tmp_path: Path) -> None:
    result = run("import-reference", str(tmp_path / "nope.csv"), db=empty_db)
    assert result.returncode == 1
    assert "cannot read file" in result.stderr and "Traceback" not in result.stderr


def test_lines_are_counted_as_in_an_editor() -> None:
    """Blank lines, CRLF and a quoted source holding commas keep the line numbers true."""
    text = f'\n{HEADER}\r\nHåbo,2021,,2020,,,,,,,,,400,"a, b"\r\n\r\nLund,2021,,2020,,,,,,,,,x,y\n'
    assert errors_of(text) == ['rad 5, kolumn total: "x" är inte ett tal']
    assert errors_of("\nkommun,ar,ramverk,total\n") == ["rad 2: kolumnen kalla saknas"]


# --- strict reading: nothing lost (issue 8) ---------------------------------------


def many_rows(n: int) -> list[str]:
    """`n` valid score rows (total only), one per municipality and year from 2020."""
    codes = [m.code for m in municipalities()]
    return [
        f"{codes[i % len(codes)]},{2020 + i // len(codes)},,2020,,,,,,,,,400,Testdata {i}"
        for i in range(n)
    ]


def test_every_data_row_is_stored(empty_db: Path) -> None:
    """Quoted fields with delimiters and quotes inside: 1,000 rows in, 1,000 rows stored."""
    lines = many_rows(1000)
    lines[10] = lines[10].replace("Testdata 10", '"Källa, med ""citat"""')
    text = "\r\n".join([HEADER, *lines]) + "\r\n"
    result = import_scores(text.encode("utf-8"), "many.csv", empty_db)
    assert (result.rows_stored, result.data_rows, result.skipped) == (1000, 1000, [])
    assert rows(empty_db, "SELECT count(*) FROM evaluation") == [(1000,)]
    assert rows(
        empty_db, "SELECT count(*) FROM evaluation WHERE source_note = ?", ['Källa, med "citat"']
    ) == [(1,)]


def test_an_unclosed_quote_is_an_error_on_its_row(sample_db_copy: Path) -> None:
    """An unclosed quote used to swallow every later line into one cell, reported as stored."""
    lines = many_rows(1000)
    lines[398] = lines[398].replace(",Testdata", ',"Testdata')  # line 400 in the file
    data = "\n".join([HEADER, *lines]).encode("utf-8")
    before = dump(sample_db_copy)
    with pytest.raises(ImportValidationError) as info:
        import_scores(data, "unclosed.csv", sample_db_copy)
    assert [(e.code, e.fields) for e in info.value.errors] == [
        ("import_unclosed_quote", {"line": 400})
    ]
    assert swedish(info.value.errors) == [
        "rad 400: citattecknet avslutas inte på samma rad (ett fält kan inte ha radbrytningar)"
    ]
    assert dump(sample_db_copy) == before


@pytest.mark.parametrize(
    ("row", "error"),
    [
        (f'Sala,2021,,2020,{EIGHT},,"Testdata" och mer', "text efter ett avslutande citattecken"),
        (f'Sala,2021,,2020,{EIGHT},,Test"data', "citattecken inne i ett fält"),
        (f'Sala,2021,,2020,{EIGHT},,"Testdata', "citattecknet avslutas inte på samma rad"),
    ],
)
def test_a_malformed_quote_names_its_row(row: str, error: str) -> None:
    for importer in (read_scores, read_reference):
        header = HEADER if importer is read_scores else REFERENCE_HEADER
        body = row if importer is read_scores else row.replace("Sala,2021,,2020", "Medel,2020,2021")
        with pytest.raises(ImportValidationError) as info:
            importer(f"{header}\n{body}\n{body.replace('2021', '2022')}\n".encode())
        assert [e.fields["line"] for e in info.value.errors] == [2, 3]
        assert error in text_of(info.value.errors[0])


def test_a_field_spanning_two_lines_is_refused_at_its_first_line() -> None:
    text = f'{HEADER}\nHåbo,2021,,2020,,,,,,,,,400,"två\nrader"\nLund,2021,,2020,,,,,,,,,400,y\n'
    assert errors_of(text) == [
        "rad 2: citattecknet avslutas inte på samma rad (ett fält kan inte ha radbrytningar)",
        'rad 3: citattecken inne i ett fält; sätt hela fältet inom citattecken och skriv "" '
        "för ett citattecken i texten",
    ]


def test_cli_unclosed_quote_stores_nothing_and_fails(empty_db: Path, tmp_path: Path) -> None:
    path = tmp_path / "unclosed.csv"
    lines = many_rows(1000)
    lines[0] = lines[0].replace(",Testdata", ',"Testdata')
    path.write_text("\n".join([HEADER, *lines]), encoding="utf-8")
    result = run("import-scores", str(path), db=empty_db)
    assert result.returncode == 1 and result.stdout == ""
    assert f"{path}: line 2: the quote is not closed on the same line" in result.stderr
    assert rows(empty_db, "SELECT count(*) FROM evaluation") == [(0,)]


def test_bad_reference_quote_stores_nothing(sample_db_copy: Path) -> None:
    text = f'{REFERENCE_HEADER}\nMedel,2020,2022,{EIGHT},"x\nMedel 2,2020,2022,{EIGHT},x\n'
    before = dump(sample_db_copy)
    with pytest.raises(ImportValidationError) as info:
        import_reference(text.encode(), "bad.csv", sample_db_copy)
    assert text_of(info.value.errors[0]).startswith("rad 2: citattecknet avslutas inte")
    assert dump(sample_db_copy) == before


# --- control characters, encodings, years (issue 8) -------------------------------


@pytest.mark.parametrize("char", ["\x00", "\x1b", "\x07", "\x7f", "\x9b", "\u2028", "\x0b"])
def test_a_control_character_is_refused_naming_row_and_column(char: str) -> None:
    scores = f"{HEADER}\nSala,2021,,2020,{EIGHT},,Test{char}data\n"
    reference = f"{REFERENCE_HEADER}\nMed{char}el,2020,2022,{EIGHT},x\n"
    for importer, text, column in (
        (read_scores, scores, "kalla"),
        (read_reference, reference, "etikett"),
    ):
        with pytest.raises(ImportValidationError) as info:
            importer(text.encode("utf-8"))
        [error] = info.value.errors
        assert error.fields == {"line": 2, "column": column, "char": f"U+{ord(char):04X}"}
        assert text_of(error) == (
            f"rad 2, kolumn {column}: otillåtet styrtecken U+{ord(char):04X}; ta bort det ur filen"
        )


def test_a_control_character_in_an_unused_column_is_refused() -> None:
    text = f"{HEADER},\nSala,2021,,2020,{EIGHT},,x,\x1b\n"
    assert errors_of(text) == [
        "rad 2, kolumn nr 15: otillåtet styrtecken U+001B; ta bort det ur filen"
    ]


def test_a_control_character_in_the_file_name_is_replaced(empty_db: Path, tmp_path: Path) -> None:
    text = f"{HEADER}\nHåbo,2021,,2020,{EIGHT},,x\n"
    result = import_scores(text.encode(), "res\x1b[31multat\x00.csv", empty_db)
    assert result.file_name == "res[31multat.csv"
    assert rows(empty_db, "SELECT file_name FROM report") == [(result.file_name,)]
    assert WORKBOOK_NAME in export_files(empty_db, "xlsx")


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_with_bom_is_read(empty_db: Path, encoding: str) -> None:
    """Excel's "Unicode text": UTF-16 with a BOM, tab separated."""
    bom = codecs.BOM_UTF16_LE if encoding == "utf-16-le" else codecs.BOM_UTF16_BE
    text = "\r\n".join(
        [
            HEADER.replace(",", "\t"),
            "Håbo\t2021\t\t2020\t" + "\t".join(["50"] * 8) + "\t\tKälla, med komma",
            'Örebro\t2022\t5\t2020\t\t\t\t\t\t\t\t\t"497,5"\tÖrebro',
        ]
    )
    result = import_scores(bom + text.encode(encoding), "unicode.txt", empty_db)
    assert (result.rows_stored, result.data_rows) == (2, 2)
    assert evaluation(empty_db, "0305", 2021)["source_note"] == "Källa, med komma"
    assert evaluation(empty_db, "1880", 2022)["total"] == 497.5


def test_utf16_without_bom_is_refused_in_one_line() -> None:
    with pytest.raises(ImportValidationError) as info:
        read_scores(f"{HEADER}\nHåbo,2021,,2020,{EIGHT},,x\n".encode("utf-16-le"))
    assert swedish(info.value.errors) == [
        "filen verkar vara UTF-16 utan BOM; spara den som CSV UTF-8 eller Unicode-text"
    ]


@pytest.mark.parametrize("year", [2001, NEXT_YEAR + 1])
def test_reference_years_outside_the_evaluations_are_refused(year: int) -> None:
    with pytest.raises(ImportValidationError) as info:
        read_reference(f"{REFERENCE_HEADER}\nMedel,2020,{year},{EIGHT},x\n".encode())
    assert swedish(info.value.errors) == [
        f"rad 2, kolumn ar: {year} ligger utanför 2002–{NEXT_YEAR}"
    ]

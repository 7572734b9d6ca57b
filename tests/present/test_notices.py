"""Coded notices in Swedish (issue 9): every code the code base produces has a Swedish text.

The registry is `kompass.domain.notices.CODES`; a Notice with another code or
other fields is refused when made. Here: the registry matches the producers
(read from the source), every code has a template that fills from its fields,
and real notices from the parser and the imports read as intended.
"""

from __future__ import annotations

import ast
import math
from pathlib import Path
from typing import Any

import pytest

from kompass.domain.notices import CODES, Notice, records_json
from kompass.parse import ParseError, parse_report
from kompass.present.notices import (
    ENGLISH_LEAD_IN,
    TEMPLATES,
    notice_text,
    parse_error_text,
    stored_texts,
    text_of,
)
from kompass.store.imports import ImportValidationError, read_reference, read_scores

ROOT = Path(__file__).resolve().parents[2]
REPORTS = ROOT / "data" / "reports"
PRODUCERS = [*sorted((ROOT / "kompass" / "parse").glob("*.py")), ROOT / "kompass/store/imports.py"]
HEADER = "kommun,ar,manad,ramverk," + ",".join(f"omrade{n}" for n in range(1, 9)) + ",total,kalla"
EIGHT = ",".join(["50"] * 8)

# A plausible value per field name, to fill every template.
SAMPLE: dict[str, Any] = {
    "line": 12, "area": 3, "before": 4, "heading": "Ekonomi", "kind": "strengths",
    "maxima": 95.5, "subtotal_max": 100, "label": "Medel 2020-", "score": 120.25,
    "limit": 100, "total": 900, "size_mb": 60, "limit_mb": 50, "detail": "No such file",
    "lines": 250_000, "areas": [3, 5], "name": "Sala", "year": 2023, "first": 2002,
    "last": 2027, "subarea": "3.2", "value": "-5", "cells": 100_000, "subtotal": 101.5,
    "top": 100, "max": 10, "column": "omrade4", "known": "kommun, ar", "n_fields": 16,
    "n_columns": 14, "char": "U+001B", "high": 800, "low": 2002, "columns": "omrade4, omrade7",
    "framework": "2020", "sum": 480, "origin": "report", "file": "sala-2023.txt",
}  # fmt: skip


def produced_codes() -> dict[str, set[str]]:
    """Codes written as literals where notices and coded ParseErrors are made, with the
    keyword fields each call passes (line and source of a ParseError are not fields)."""
    found: dict[str, set[str]] = {}
    for path in PRODUCERS:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            first = node.args[0]
            if name not in ("Notice", "coded", "error", "_refused", "MalformedLine"):
                continue
            if not isinstance(first, ast.Constant) or not isinstance(first.value, str):
                continue
            keywords = {k.arg for k in node.keywords if k.arg is not None}
            if any(k.arg is None for k in node.keywords):
                keywords.add("**")  # fields passed as a dict: checked when made
            if name == "coded":
                keywords -= {"line", "source"}
            if name == "error":  # _Cells.error adds the line and the column
                keywords |= {"line", "column"}
            if name == "MalformedLine":  # the caller adds the line
                keywords = {"line"}
            found[first.value] = keywords
    return found


def test_every_produced_code_is_registered_with_its_fields() -> None:
    produced = produced_codes()
    assert len(produced) > 60
    for code, keywords in produced.items():
        assert code in CODES, code
        if "**" not in keywords:
            assert keywords == set(CODES[code]), code


def test_every_registered_code_is_produced_somewhere() -> None:
    source = "\n".join(
        p.read_text(encoding="utf-8") for p in [*PRODUCERS, ROOT / "kompass" / "cli.py"]
    )
    assert [code for code in CODES if f'"{code}"' not in source] == []


def test_every_code_has_a_swedish_text_filled_from_its_fields() -> None:
    assert set(TEMPLATES) == set(CODES)
    for code, names in CODES.items():
        fields = {name: SAMPLE[name] for name in names}
        if code == "not_a_regular_file":
            fields["kind"] = "folder"
        text = notice_text(code, fields)
        assert text and "{" not in text and "}" not in text, code
        assert text == text_of(Notice(code, "the English message", **fields))


def test_numbers_are_swedish() -> None:
    text = notice_text(
        "subtotal_max_mismatch", {"area": 3, "maxima": 95.5, "subtotal_max": 1024.25}
    )
    assert text == (
        "område 3: delområdenas maxpoäng summerar till 95,5, men raden med delsumman anger "
        "1\u00a0024,25"
    )
    assert "250\u00a0000 rader" in notice_text("too_many_lines", {"lines": 250_000, "limit": 1})
    assert notice_text(
        "import_integer_out_of_range",
        {"line": 2, "column": "ar", "value": 2001, "low": 2002, "high": 2027},
    ) == ("rad 2, kolumn ar: 2001 ligger utanför 2002–2027")  # years are not numbers


def test_the_parsers_warnings_in_swedish() -> None:
    lund = parse_report(REPORTS / "lund-2011.txt")
    assert all(isinstance(w, Notice) for w in lund.warnings)
    assert "utvärderarna namnges inte på titelsidan" in [text_of(w) for w in lund.warnings]
    svenljunga = parse_report(REPORTS / "svenljunga-2022.txt")
    assert text_of(svenljunga.warnings[0]) == (
        "rad 223: fynden är skrivna som löptext utan punkter; varje tabellcell sparas som en punkt"
    )


def test_a_parse_error_in_swedish_names_file_and_line() -> None:
    error = ParseError.coded(
        "unknown_municipality", "municipality 'Atlantis' is not …", 7, "x.txt", name="Atlantis"
    )
    assert parse_error_text(error) == (
        "Filen kunde inte läsas som en Kommunkompass-rapport (x.txt, rad 7): "
        "”Atlantis” är inte en av Sveriges 290 kommuner"
    )
    missing = ParseError.coded("areas_missing", "area 3, 5 missing", areas=[3, 5])
    assert parse_error_text(missing) == (
        "Filen kunde inte läsas som en Kommunkompass-rapport: "
        "områdena 3 och 5 saknas: ingen rubrik ”Område 3 …” hittades"
    )


def swedish_errors(data: str, reference: bool = False) -> list[str]:
    with pytest.raises(ImportValidationError) as info:
        (read_reference if reference else read_scores)(data.encode("utf-8"))
    return [text_of(e) for e in info.value.errors]


def test_import_errors_in_swedish() -> None:
    """The Swedish the Data page showed before the errors had codes, word for word."""
    text = (
        f"{HEADER}\n"
        f"Salla,2021,,2020,{EIGHT},,x\n"
        f"Sala,2020,,2020,,,,,,,,,,x\n"
        f"Sala,2021,,2020,{EIGHT},,x\n"
        f"Sala,2021,,2020,{EIGHT},,x\n"
        f"Sala,2001,,2010,{EIGHT},,x\n"
        f"Sala,2022,,2020,120,50,50,50,50,50,50,50,,x\n"
    )
    errors = swedish_errors(text)
    assert errors == [
        'rad 2, kolumn kommun: "Salla" är ingen känd kommun (ange namn eller SCB-kod)',
        "rad 3: varken områdespoäng eller total; ange minst ett områdes poäng eller totalen",
        "rad 5, kolumn kommun: Sala 2021 finns redan på rad 4",
        f"rad 6, kolumn ar: 2001 ligger utanför 2002–{errors[3][-4:]}",
        "rad 7, kolumn omrade1: 120 ligger utanför 0–100",
    ]
    assert swedish_errors(f"{HEADER},\nSala,2021,,2020,{EIGHT},,x,\x1b\n") == [
        "rad 2, kolumn nr 15: otillåtet styrtecken U+001B; ta bort det ur filen"
    ]
    assert swedish_errors(f"{HEADER}\nSala,2021,,2020,{EIGHT},,\n") == [
        "rad 2, kolumn kalla: källa saknas"
    ]
    assert swedish_errors(f'{HEADER}\nSala,2021,,2020,{EIGHT},,"x\n') == [
        "rad 2: citattecknet avslutas inte på samma rad (ett fält kan inte ha radbrytningar)"
    ]


def test_stored_warnings_in_swedish_and_old_rows_in_english() -> None:
    warnings = [
        Notice("no_subtotal_row", "area 2: no subtotal row …", area=2),
        "a warning stored without a code",
    ]
    stored = records_json(warnings)
    assert stored_texts([str(w) for w in warnings], stored) == [
        "område 2: poängöversikten har ingen rad med delsumma; summan av delområdena används",
        f"{ENGLISH_LEAD_IN}a warning stored without a code",
    ]
    # A store from before schema version 3: notices is NULL (None, or NaN via pandas).
    for null in (None, math.nan):
        assert stored_texts(["evaluators not named in the title block"], null) == [
            f"{ENGLISH_LEAD_IN}evaluators not named in the title block"
        ]
    # A code this version does not know (a newer store): English, not an error.
    unknown = '[{"code": "from_the_future", "fields": {}}]'
    assert stored_texts(["something new"], unknown) == [f"{ENGLISH_LEAD_IN}something new"]

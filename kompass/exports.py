"""The store as tidy tables for download: CSV for Swedish Excel, Excel (.xlsx), Parquet.

`tidy_tables` reads the store once (read-only) and returns seven tables with
Swedish column names without å/ä/ö (so every tool can address them);
`TABLE_DOCS` documents every column and is the single source of
`README_TEXT`, which goes into every export. One evaluation is identified by
(kommunkod, ar) in every table.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

import pandas as pd
from openpyxl import Workbook

from kompass.store import Connection, connect
from kompass.strings import DISCREPANCY

FORMATS = ("csv", "xlsx", "parquet")
WORKBOOK_NAME = "kommunkompassen.xlsx"
README_NAME = "README.txt"
# Spreadsheets run text starting with these as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

ORIGIN_CODES = {
    "report": "rapport",
    "import": "import",
    "stated_in_report": "angiven_i_senare_rapport",
}
FINDING_CODES = {"strengths": "styrka", "partial": "finns_delar", "improvements": "forbattring"}
DISCREPANCY_CODES = {
    "area_header": "omradets_poang",
    "subarea_sum": "delomradessumma",
    "summary_table": "sammanstallning",
    "total": "total",
}

_KEY = {
    "kommunkod": "SCB:s kommunkod, fyra siffror som text (inledande nolla behålls)",
    "kommun": "kommunens namn",
    "ar": "år då utvärderingen gjordes",
}
_AREA = "område 1–8 i utvärderingens ramverk (se omradesnamn i omradespoang)"

TABLE_DOCS: dict[str, tuple[str, dict[str, str]]] = {
    "utvarderingar": (
        "En rad per utvärdering (kommun och år).",
        {
            "kommunkod": _KEY["kommunkod"],
            "kommun": _KEY["kommun"],
            "lan": "län",
            "kommungrupp": "SKR:s kommungrupp 2023 (kod A1–C9)",
            "kommungruppsnamn": "kommungruppens namn",
            "ar": _KEY["ar"],
            "manad": "månad (1–12) då utvärderingen gjordes, om den anges",
            "ramverk": "ramverkets generation: 2010 (rapporter 2010–2019) eller 2020",
            "ursprung": "rapport (utvärderingsrapporten), import (importerat resultat, "
            "t.ex. från kommunens webbplats) eller angiven_i_senare_rapport "
            "(tidigare resultat ur en senare rapports sammanställning)",
            "total": "totalpoäng 0–800: summan av områdena, annars angiven total",
            "utvarderingsnummer": "kommunens första, andra, … utvärdering, om det anges",
            "intervjuade": "antal intervjuade, om det anges (”ett 40-tal” blir 40)",
            "utvarderare": "utvärderarna, kommaseparerade",
            "kalla": "rapportens filnamn; för import och angivna resultat: källan som angavs",
            "fil": "filen uppgiften lästes från (rapport eller import-CSV)",
            "sha256": "filens SHA-256 (identifierar exakt vilken fil)",
        },
    ),
    "omradespoang": (
        "En rad per utvärdering och område.",
        {
            **_KEY,
            "ramverk": "ramverkets generation (2010 eller 2020)",
            "omrade": "områdets nummer 1–8",
            "omradesnamn": "områdets namn i ramverket",
            "poang": "poäng 0–100 (delområdestabellens delsumma; annars sammanställningen; "
            "annars områdets ”Poäng”)",
            "angiven_poang": "poängen som står i områdets text (”Poäng”), om den finns",
            "rad": "raden i filen där poängen står",
        },
    ),
    "delomradespoang": (
        "En rad per delområde (”Översikt av poängfördelning”).",
        {
            **_KEY,
            "ramverk": "ramverkets generation",
            "omrade": "områdets nummer 1–8",
            "kod": "delområdets kod, t.ex. 1.1",
            "namn": "delområdets namn",
            "poang": "uppnådd poäng",
            "max": "maxpoäng",
            "andel_procent": "poang / max i procent, en decimal",
            "rad": "raden i rapporten",
        },
    ),
    "fynd": (
        "Styrkor, delar som finns och förbättringsmöjligheter per område, i rapportens ordning.",
        {
            **_KEY,
            "ramverk": "ramverkets generation",
            "omrade": _AREA,
            "typ": "styrka, finns_delar (”Finns delar, kan bli bättre”) eller forbattring",
            "ordning": "ordningsnummer inom område och typ",
            "text": "texten som i rapporten",
        },
    ),
    "referenser": (
        "Referensvärden (t.ex. ”Medel 2020-”) per område: angivna i rapporter eller importerade.",
        {
            "etikett": "referensens namn",
            "ramverk": "ramverkets generation",
            "ar": "år referensen avser, om det anges",
            "antal_kommuner": "antal kommuner i medelvärdet, om det anges",
            "omrade": "områdets nummer 1–8",
            "poang": "poäng 0–100",
            "total": "referensens total 0–800",
            "kalla": "var referensen anges (rapport eller importens källa)",
            "fil": "filen referensen lästes från",
            "rad": "raden i filen",
        },
    ),
    "avvikelser": (
        "Där en rapport (eller import) motsäger sig själv och vilket värde som valdes.",
        {
            **_KEY,
            "omrade": "områdets nummer; tomt för totalen",
            "typ": "omradets_poang, delomradessumma, sammanstallning eller total",
            "beskrivning": "vad som skiljer sig",
            "angivet": "värdet som anges",
            "valt": "värdet som används",
            "rad": "raden där det angivna värdet står",
            "not": "kommentar",
        },
    ),
    "kommuner": (
        "Sveriges 290 kommuner.",
        {
            "kommunkod": _KEY["kommunkod"],
            "kommun": "kommunens namn",
            "lanskod": "länets kod (två siffror som text)",
            "lan": "län",
            "kommungrupp": "SKR:s kommungrupp 2023 (kod A1–C9)",
            "kommungruppsnamn": "kommungruppens namn",
            "folkmangd": "folkmängd 31 december folkmangd_ar (SCB via Kolada)",
            "folkmangd_ar": "året folkmängden avser",
            "lat": "polygonens mittpunkt, latitud",
            "lon": "polygonens mittpunkt, longitud",
        },
    ),
}


def _readme() -> str:
    lines = [
        "Kommunkompassen – tabeller ur kompass",
        "=====================================",
        "",
        "Källor",
        "- Poäng, delområden, fynd och avvikelser: SKR:s Kommunkompassen, utvärderings-",
        "  rapporterna per kommun (filnamn och sha256 i utvarderingar). Resultat med",
        "  ursprung import kommer från källan i kolumnen kalla.",
        "- Kommunkoder och län: SCB. Folkmängd: SCB via Kolada (N01951).",
        "  Kommungrupp: SKR:s kommungruppsindelning 2023.",
        "",
        "Format",
        "- En utvärdering identifieras av kommunkod och ar i alla tabeller.",
        "- Tom cell betyder att uppgiften saknas.",
        "- CSV: semikolon som avgränsare, decimalkomma, UTF-8 med BOM (öppnas rätt i",
        "  svenskt Excel). Text som börjar med = + - eller @ har fått en inledande",
        "  apostrof så att Excel inte tolkar den som en formel. Excel kan ta bort",
        "  kommunkodens inledande nolla när en CSV öppnas; Excel-filen behåller den.",
        "- Ramverken 2010 och 2020 har olika områden; SKR skriver att resultat före och",
        "  efter revideringen 2019/2020 inte är fullt jämförbara.",
        "",
        "Tabeller",
    ]
    for table, (description, columns) in TABLE_DOCS.items():
        lines += ["", f"{table}: {description}"]
        lines += [f"  {column}: {text}" for column, text in columns.items()]
    return "\n".join(lines) + "\n"


README_TEXT = _readme()


# --- tables ----------------------------------------------------------------------

_EVALUATIONS = """
    SELECT m.code AS kommunkod, m.name AS kommun, m.county_name AS lan,
           m.kommungrupp_code AS kommungrupp, m.kommungrupp_name AS kommungruppsnamn,
           e.year AS ar, e.month AS manad, e.framework AS ramverk, e.origin AS ursprung,
           e.total, e.evaluation_number AS utvarderingsnummer, e.interviewees AS intervjuade,
           nullif(array_to_string(e.evaluators, ', '), '') AS utvarderare,
           CASE WHEN e.origin = 'report' THEN r.file_name
                ELSE coalesce(e.source_note, r.file_name) END AS kalla,
           r.file_name AS fil, r.sha256
    FROM evaluation e
    JOIN municipality m ON m.code = e.municipality_code
    JOIN report r ON r.report_id = e.report_id
    ORDER BY m.name, e.year
"""

_AREAS = """
    SELECT e.municipality_code AS kommunkod, m.name AS kommun, e.year AS ar,
           e.framework AS ramverk, a.area AS omrade, f.name AS omradesnamn, a.score AS poang,
           a.stated_score AS angiven_poang, a.line AS rad
    FROM area_score a
    JOIN evaluation e USING (evaluation_id)
    JOIN municipality m ON m.code = e.municipality_code
    LEFT JOIN framework_area f ON f.framework = e.framework AND f.area = a.area
         AND f.role = 'canonical'
    ORDER BY m.name, e.year, a.area
"""

_SUBAREAS = """
    SELECT e.municipality_code AS kommunkod, m.name AS kommun, e.year AS ar,
           e.framework AS ramverk, s.area AS omrade, s.code AS kod, s.name AS namn,
           s.score AS poang, s.max, round(100.0 * s.score / nullif(s.max, 0), 1) AS andel_procent,
           s.line AS rad
    FROM subarea_score s
    JOIN evaluation e USING (evaluation_id)
    JOIN municipality m ON m.code = e.municipality_code
    ORDER BY m.name, e.year, s.area, string_split(s.code, '.')[2]::INTEGER, s.code
"""

_FINDINGS = """
    SELECT e.municipality_code AS kommunkod, m.name AS kommun, e.year AS ar,
           e.framework AS ramverk, f.area AS omrade, f.kind AS typ, f.ordinal AS ordning, f.text
    FROM finding f
    JOIN evaluation e USING (evaluation_id)
    JOIN municipality m ON m.code = e.municipality_code
    ORDER BY m.name, e.year, f.area,
             CASE f.kind WHEN 'strengths' THEN 1 WHEN 'partial' THEN 2 ELSE 3 END, f.ordinal
"""

_REFERENCES = """
    SELECT s.label AS etikett, s.framework AS ramverk, s.year AS ar,
           s.n_municipalities AS antal_kommuner, c.area AS omrade, c.score AS poang, s.total,
           coalesce(s.source_note, r.file_name) AS kalla, r.file_name AS fil, s.line AS rad
    FROM reference_series s
    JOIN reference_score c USING (reference_id)
    JOIN report r ON r.report_id = s.report_id
    ORDER BY s.framework, s.label, s.year, r.file_name, c.area
"""

_DISCREPANCIES = """
    SELECT e.municipality_code AS kommunkod, m.name AS kommun, e.year AS ar,
           d.area AS omrade, d.kind AS typ, d.kind AS beskrivning, d.stated AS angivet,
           d.chosen AS valt, d.line AS rad, d.note AS "not"
    FROM discrepancy d
    JOIN evaluation e USING (evaluation_id)
    JOIN municipality m ON m.code = e.municipality_code
    ORDER BY m.name, e.year, d.area NULLS LAST, d.kind
"""

_MUNICIPALITIES = """
    SELECT code AS kommunkod, name AS kommun, county_code AS lanskod, county_name AS lan,
           kommungrupp_code AS kommungrupp, kommungrupp_name AS kommungruppsnamn,
           population AS folkmangd, population_year AS folkmangd_ar, lat, lon
    FROM municipality ORDER BY code
"""

_QUERIES = {
    "utvarderingar": _EVALUATIONS,
    "omradespoang": _AREAS,
    "delomradespoang": _SUBAREAS,
    "fynd": _FINDINGS,
    "referenser": _REFERENCES,
    "avvikelser": _DISCREPANCIES,
    "kommuner": _MUNICIPALITIES,
}


def tidy_tables(db: Path) -> dict[str, pd.DataFrame]:
    """Every table of `TABLE_DOCS`, in that order, read in one read-only connection.

    Store codes become Swedish codes (ursprung, fynd.typ, avvikelser.typ);
    integer columns are nullable (Int64); float noise is rounded away.
    """
    with connect(db, read_only=True) as con:
        tables = {name: _read(con, name) for name in TABLE_DOCS}
    _recode(tables["utvarderingar"], "ursprung", ORIGIN_CODES)
    _recode(tables["fynd"], "typ", FINDING_CODES)
    _recode(tables["avvikelser"], "beskrivning", DISCREPANCY)
    _recode(tables["avvikelser"], "typ", DISCREPANCY_CODES)
    return tables


def _recode(df: pd.DataFrame, column: str, codes: dict[str, str]) -> None:
    """Replace store codes by Swedish ones; an unknown code is kept as it is."""
    df[column] = [codes.get(v, v) for v in df[column]]
    df[column] = df[column].astype(object)


def _read(con: Connection, name: str) -> pd.DataFrame:
    df = con.execute(_QUERIES[name]).df()
    df = df[list(TABLE_DOCS[name][1])]  # the documented columns, in documented order
    for column in df.columns:
        if pd.api.types.is_integer_dtype(df[column]):
            df[column] = df[column].astype("Int64")
        elif pd.api.types.is_float_dtype(df[column]):
            df[column] = df[column].round(6)  # 42.2 + 51.8 + … = 458.90000000000003
        else:
            df[column] = df[column].astype(object)
    return df


# --- formats ---------------------------------------------------------------------


def _defuse(value: Any) -> Any:
    """Text a spreadsheet would run as a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def to_csv_bytes(df: pd.DataFrame) -> bytes:
    """CSV for Swedish Excel: `;`, decimal comma, UTF-8 with BOM, CRLF line ends."""
    safe = df.copy()
    for column in safe.columns:
        if not pd.api.types.is_numeric_dtype(safe[column]):
            safe[column] = safe[column].map(_defuse)
    text = safe.to_csv(sep=";", decimal=",", index=False, lineterminator="\r\n")
    return text.encode("utf-8-sig")


def to_parquet_bytes(df: pd.DataFrame) -> bytes:
    """Parquet (pyarrow), types kept: text stays text, nullable integers stay integers."""
    buffer = io.BytesIO()
    df.to_parquet(buffer, index=False, engine="pyarrow")
    return buffer.getvalue()


def to_xlsx_bytes(tables: dict[str, pd.DataFrame]) -> bytes:
    """One workbook: a README sheet, then one sheet per table (header row frozen).

    Every text cell is written as text, never as a formula.
    """
    workbook = Workbook()
    readme = workbook.active
    assert readme is not None
    readme.title = "README"
    for line in README_TEXT.splitlines():
        _append(readme, [line])
    readme.column_dimensions["A"].width = 100
    for name, df in tables.items():
        sheet = workbook.create_sheet(name[:31])
        _append(sheet, list(df.columns))
        for values in df.itertuples(index=False):
            _append(sheet, [_cell(v) for v in values])
        sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _append(sheet: Any, values: list[Any]) -> None:
    sheet.append(values)
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str):
            cell.data_type = "s"  # openpyxl would store "=…" as a formula


def _cell(value: Any) -> Any:
    if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)):
        return None
    return value.item() if hasattr(value, "item") else value


# --- files -----------------------------------------------------------------------


def export_files(db: Path, fmt: str) -> dict[str, bytes]:
    """File name -> bytes: one file per table plus README.txt, or one workbook plus README."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    tables = tidy_tables(db)
    files = {README_NAME: README_TEXT.encode("utf-8")}
    if fmt == "xlsx":
        files[WORKBOOK_NAME] = to_xlsx_bytes(tables)
    else:
        encode = to_csv_bytes if fmt == "csv" else to_parquet_bytes
        files.update({f"{name}.{fmt}": encode(df) for name, df in tables.items()})
    return files


def export_all(db: Path, out_dir: Path, fmt: str) -> list[Path]:
    """Write the export to `out_dir` (created if needed); return the files written."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, data in export_files(db, fmt).items():
        path = out_dir / name
        path.write_bytes(data)
        written.append(path)
    return written


def zip_bytes(db: Path, fmt: str) -> bytes:
    """A zip of the whole export (the app's download button)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in export_files(db, fmt).items():
            archive.writestr(name, data)
    return buffer.getvalue()

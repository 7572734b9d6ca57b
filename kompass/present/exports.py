"""The store as tidy tables for download: CSV for Swedish Excel, Excel (.xlsx), Parquet.

`tidy_tables` reads the store once (read-only) and returns seven tables with
Swedish column names without å/ä/ö (so every tool can address them);
`TABLE_DOCS` documents every column and is the single source of
`README_TEXT`, which goes into every export. One evaluation is identified by
(kommunkod, ar) in every table.
"""

from __future__ import annotations

import contextlib
import ctypes
import io
import os
import pickle
import re
import signal
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES

from kompass.errors import BudgetExceeded, KompassError
from kompass.present.strings import DISCREPANCY
from kompass.store import Connection, connect

FORMATS = ("csv", "xlsx", "parquet")
WORKBOOK_NAME = "kommunkompassen.xlsx"
README_NAME = "README.txt"
# Spreadsheets run text starting with these as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Control characters other than tab and line breaks: XML (so .xlsx) cannot hold C0 ones
# (openpyxl raises IllegalCharacterError) and none belongs in a table a person reads.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
REPLACEMENT = "\ufffd"  # shows that something unreadable was there
WORKER_TIMEOUT = 120.0  # seconds; the national demo store exports in well under this
PR_SET_PDEATHSIG = 1  # linux/prctl.h

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
    "import_total": "importens_total",
    "published": "publicerat_resultat",
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
            "total": "totalpoäng 0–800: summan av områdena, annars angiven total; tom när "
            "källan varken anger total eller alla åtta områden (uppgift saknas)",
            "utvarderingsnummer": "kommunens första, andra, … utvärdering, om det anges",
            "intervjuade": "antal intervjuade, om det anges (”ett 40-tal” blir 40)",
            "utvarderare": "utvärderarna, kommaseparerade",
            "kalla": "rapportens filnamn; för import och angivna resultat: källan som angavs",
            "fil": "filen uppgiften lästes från (rapport eller import-CSV)",
            "sha256": "filens SHA-256 (identifierar exakt vilken fil)",
            "antal_omraden": "hur många av de åtta områdena som har poäng (ett importerat "
            "eller publicerat resultat kan ange bara några; de andra saknas i omradespoang)",
            "total_beraknad": "sant när totalen är summan av områdena (källan anger ingen total)",
            "publicerat": "sant för ett publicerat resultat (data/published): citerat från "
            "kommunens webbplats eller ett pressmeddelande, källan i kalla",
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
            "typ": "omradets_poang, delomradessumma, sammanstallning eller total (rapporten "
            "motsäger sig själv); importens_total (en importrad: angiven total mot områdenas "
            "summa); publicerat_resultat (rapporten mot ett publicerat eller importerat "
            "resultat; rapportens värde gäller)",
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
           r.file_name AS fil, r.sha256,
           (SELECT count(*) FROM area_score a
             WHERE a.evaluation_id = e.evaluation_id) AS antal_omraden,
           e.total_computed AS total_beraknad, r.format = 'published' AS publicerat
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
            df[column] = df[column].map(clean_text).astype(object)
    return df


def clean_text(value: Any) -> Any:
    """Text with control characters replaced by U+FFFD; anything else unchanged.

    Imports refuse control characters, but a store may hold one from older
    versions or another tool; one such cell must not break the export for everyone.
    """
    if isinstance(value, str) and CONTROL_CHARACTERS.search(value):
        return CONTROL_CHARACTERS.sub(REPLACEMENT, value)
    return value


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

    Every text cell is written as text, never as a formula. Streamed
    (openpyxl write-only mode), so the time grows linearly with the rows.
    """
    workbook = Workbook(write_only=True)
    readme = workbook.create_sheet("README")
    readme.column_dimensions["A"].width = 100  # before the first row: write-only mode
    for line in README_TEXT.splitlines():
        readme.append([_xlsx_value(readme, line)])
    for name, df in tables.items():
        sheet = workbook.create_sheet(name[:31])
        sheet.freeze_panes = "A2"
        sheet.append([_xlsx_value(sheet, str(c)) for c in df.columns])
        for values in _python_rows(df):
            sheet.append([_xlsx_value(sheet, v) for v in values])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _python_rows(df: pd.DataFrame) -> Iterator[tuple[Any, ...]]:
    """The rows as plain Python values (int, float, str), None where a value is missing."""
    columns = []
    for name in df.columns:
        values = df[name].astype(object).to_numpy(copy=True)
        values[df[name].isna().to_numpy()] = None
        columns.append(values.tolist())
    return zip(*columns, strict=True)


def _xlsx_value(sheet: Any, value: Any) -> Any:
    """A value openpyxl can write; text it would store as a formula or error becomes a text cell."""
    if not isinstance(value, str):
        return value
    if CONTROL_CHARACTERS.search(value):
        value = CONTROL_CHARACTERS.sub(REPLACEMENT, value)
    if value.startswith("=") or value in ERROR_CODES:
        cell = WriteOnlyCell(sheet, value)
        cell.data_type = "s"
        return cell
    return value


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


# --- in a separate process ----------------------------------------------------------

# A fresh interpreter, not multiprocessing: under Streamlit `__main__` is the page script,
# which a multiprocessing "spawn" child would run again; a fork of a threaded server is unsafe.
_WORKER_CODE = "from kompass.present.exports import _worker_main; _worker_main()"


def zip_bytes_in_worker(db: Path, fmt: str, timeout: float = WORKER_TIMEOUT) -> bytes:
    """`zip_bytes` built in a child process, so the caller's process stays responsive.

    pandas and openpyxl hold the GIL: a national workbook built in a Streamlit
    server thread would slow every other session. Safe to call from any
    thread. The child reads the store read-only (`tidy_tables`) and dies with
    the calling thread; past `timeout` seconds it is killed and
    `BudgetExceeded` is raised. The child's exceptions are raised here.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    command = [sys.executable, "-c", _WORKER_CODE, str(os.getpid()), str(db), fmt]
    with subprocess.Popen(
        command,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=_worker_env(),
    ) as child:
        try:
            out, err = child.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            child.kill()
            child.communicate()
            raise BudgetExceeded(
                f"the export took longer than {timeout:g} s and was stopped",
                limit="seconds",
                value=timeout,
            ) from None
        except BaseException:
            child.kill()  # interrupted: never leave an export running unseen
            raise
    return _outcome(out, err, child.returncode)


def _worker_env() -> dict[str, str]:
    """The caller's environment, with this kompass first on the path (a checkout or worktree)."""
    root = str(Path(__file__).resolve().parent.parent)
    path = os.environ.get("PYTHONPATH")
    return {**os.environ, "PYTHONPATH": root if not path else os.pathsep.join([root, path])}


def _outcome(out: bytes, err: bytes, returncode: int) -> bytes:
    """The zip the child sent, or the exception it sent raised here."""
    if returncode != 0 or not out:
        last = err.decode("utf-8", "replace").strip().splitlines()[-1:] or [""]
        raise KompassError(
            f"the export process ended without a result (exit code {returncode}) {last[0]}",
            code="export_failed",
        )
    outcome = pickle.loads(out)  # our own child's output, never outside data
    if isinstance(outcome, BaseException):
        raise outcome
    return bytes(outcome)


def _worker_main() -> None:
    """The child (`_WORKER_CODE`): argv is parent pid, db, format; a pickle on stdout."""
    parent, db, fmt = sys.argv[1:4]
    _die_with_parent(int(parent))
    result = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # a stray print must not corrupt the pickle: stdout now goes to stderr
    outcome: Any
    try:
        outcome = zip_bytes(Path(db), fmt)
    except Exception as exc:  # sent back and raised in the caller
        outcome = _sendable(exc)
    with result:
        result.write(pickle.dumps(outcome))


def _die_with_parent(parent: int) -> None:
    """End this process when the thread that started it ends, even by kill -9 (Linux prctl)."""
    # Not Linux: nothing to do; the caller still kills the child on timeout.
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)


def _sendable(exc: Exception) -> Exception:
    """The exception itself if it survives pickling, else a KompassError describing it."""
    try:
        pickle.loads(pickle.dumps(exc))
    except Exception:
        return KompassError(f"{type(exc).__name__}: {exc}", code="export_failed")
    return exc

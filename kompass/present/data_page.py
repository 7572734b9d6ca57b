"""The Data page's Swedish: tabs, tables, upload and import texts.

The page (pages/data.py) lays out tabs, widgets and downloads; every word it
shows comes from here or from `strings`/`notices`. Texts built from a report,
an upload or an import are returned raw; the page makes them inert
(`ui.common.plain`) or shows them with st.text.
"""

from __future__ import annotations

import pandas as pd

from kompass.parse import Evaluation
from kompass.present.strings import DISCREPANCY, num

TITLE = "Data"
INTRO = (
    "Rapporterna som finns i databasen, var varje siffra kommer ifrån, nedladdningar av alla "
    "tabeller och uppladdning av nya rapporter och publicerade resultat."
)
TABS = ["Rapporter", "Ladda ner", "Ladda upp rapport", "Importera resultat", "Klistra in resultat"]

# Tab "Rapporter"
NO_REPORTS = "Inga rapporter ännu. Ladda upp en rapport under fliken ”Ladda upp rapport”."
WARNINGS_EXPANDER = "Varningar från inläsningen"
NO_WARNINGS = "Inga varningar."
DISCREPANCIES_HEADING = "Motsägelser i rapporterna"
BROWSE_HEADING = "Bläddra i tabellerna"
TABLE_LABEL = "Tabell"
_REPORT_COLUMNS = {
    "file_name": "Fil",
    "format": "Format",
    "framework": "Ramverk",
    "evaluations": "Utvärderingar",
    "n_discrepancies": "Motsägelser",
    "n_references": "Medelvärden",
    "ingested_at": "Inläst (UTC)",
    "parser_version": "Parser",
}
_REPORT_ORDER = [
    "Fil",
    "Utvärderingar",
    "Ramverk",
    "Format",
    "sha256",
    "Motsägelser",
    "Varningar",
    "Medelvärden",
    "Inläst (UTC)",
]

# Tab "Ladda ner"
DOWNLOAD_INTRO = (
    "Alla tabeller i städad form med en README som beskriver kolumnerna och källorna. "
    "CSV-filerna öppnas rätt i svenska Excel (semikolon, decimalkomma, UTF-8)."
)
FORMATS = {"csv": "CSV (svenska Excel)", "xlsx": "Excel (.xlsx)", "parquet": "Parquet"}
FORMAT_LABEL = "Format"
ZIP_BUTTON = "Skapa zip-fil med alla tabeller"
ZIP_SPINNER = "Packar tabellerna …"
ZIP_WHAT = "Zip-filen"  # for strings.error_text: "Zip-filen kunde inte skapas …"
ZIP_VERB = "skapa"
ONE_TABLE_LABEL = "En tabell som CSV"

# Tab "Ladda upp rapport"
UPLOAD_LABEL = "Rapport (.txt, .md eller .pdf)"
UPLOAD_SPINNER = "Läser rapporten …"
ALREADY_STORED = "Den här rapporten finns redan i databasen; inget ändras om du sparar den."
SAVE_BUTTON = "Spara i databasen"
_ORIGIN_TEXT = {
    "report": "från rapporten {file}",
    "import": "importerat resultat, källa {source}",
    "stated_in_report": "uppgift ur den senare rapporten {file}",
}
_SAVED = {
    "added": "sparad",
    "replaced": "sparad och ersatte den tidigare versionen",
    "unchanged": "fanns redan, inget ändrades",
    "superseded": "sparades inte: en nyare version av rapporten har redan ersatt den",
}

# Tab "Importera resultat"
IMPORT_INTRO = (
    "Importera resultat som bara finns sammanfattade (kommunens webbplats, pressmeddelande), "
    "eller medelvärden att jämföra med. En fil med något fel sparas inte alls; felen visas "
    "med rad och kolumn."
)
SCORES_COLUMNS_EXPANDER = "Kolumner för resultat"
SCORES_COLUMNS = (
    "kommun;ar;manad;ramverk;omrade1;…;omrade8;total;kalla\nSala;2015;;2010;;;;;;;;;512;https://…"
)
MEANS_COLUMNS_EXPANDER = "Kolumner för medelvärden"
MEANS_COLUMNS = "etikett;ramverk;ar;antal_kommuner;omrade1;…;omrade8;total;kalla"
KIND_LABEL = "Vad importeras?"
SCORES = "Resultat"
MEANS = "Medelvärden"
CSV_LABEL = "CSV-fil (.csv eller .txt)"
IMPORT_BUTTON = "Importera"
SKIPPED = "hoppades över"
REPLACED = "ersatte tidigare värden"


def file_size(n_bytes: int) -> str:
    """ "51 kB", "12,3 MB" (10^3 and 10^6 bytes, as the upload limit counts)."""
    if n_bytes < 1_000_000:
        return f"{num(max(1, round(n_bytes / 1000)))} kB"
    return f"{num(n_bytes / 1_000_000)} MB"


def n_rows(n: int) -> str:
    return f"{num(n)} rad" if n == 1 else f"{num(n)} rader"


def shown_of(shown: int, total: int, what: str = "") -> str:
    """ "Visar 50 av 120." or, with `what`, "Visar 1 000 av 1 500 varningar." """
    return f"Visar {num(shown)} av {num(total)}" + (f" {what}." if what else ".")


def shown_warnings(shown: int, total: int) -> str:
    return shown_of(shown, total, "varningar")


def reports_table(files: pd.DataFrame) -> pd.DataFrame:
    """`queries` reports with Swedish headers, the hash shortened and warnings counted."""
    return files.assign(
        sha256=files.sha256.str[:12] + "…",
        Varningar=files.warnings.map(len),
    ).rename(columns=_REPORT_COLUMNS)[_REPORT_ORDER]


def discrepancies_table(disc: pd.DataFrame) -> pd.DataFrame:
    """Every report's contradictions: municipality, year, area ("Totalt"), what, the numbers."""
    return pd.DataFrame(
        {
            "Kommun": disc.name,
            "År": disc.year,
            "Område": disc.area.map(lambda a: "Totalt" if pd.isna(a) else str(int(a))),
            "Vad": disc.kind.map(DISCREPANCY),
            "Angivet": disc.stated.map(num),
            "Använt": disc.chosen.map(num),
            "Rad": disc.line,
            "Fil": disc.file_name,
        }
    )


def browse_caption(shown: int, total: int) -> str:
    return (
        f"Visar de första {num(shown)} av {num(total)} raderna; hela tabellen finns "
        "under fliken Ladda ner."
    )


def zip_button(fmt: str) -> str:
    return f"Ladda ner alla tabeller: {FORMATS[fmt]}"


def one_table_button(table: str) -> str:
    return f"Ladda ner {table}.csv"


def upload_intro(max_mb: int) -> str:
    return (
        "Ladda upp en Kommunkompass-rapport (.txt, .md eller .pdf med textlager, högst "
        f"{max_mb} MB). Du ser först vad som lästes ut; inget sparas förrän du "
        "trycker på knappen."
    )


def upload_help(max_mb: int) -> str:
    return f"Dra filen hit eller välj den. Högst {max_mb} MB."


def file_line(name: str, n_bytes: int) -> str:
    """ "Fil: sala-2023.txt (51 kB)" (raw: shown with st.text)."""
    return f"Fil: {name} ({file_size(n_bytes)})"


def parsed_line(ev: Evaluation) -> str:
    """What the parser read, in one line (raw)."""
    return f"{ev.municipality} {ev.year} ({ev.framework}-ramverket): {num(ev.total)} av 800 poäng"


def areas_table(ev: Evaluation) -> pd.DataFrame:
    """The parsed evaluation per area: score and how many sub-areas and findings."""
    return pd.DataFrame(
        {
            "Område": [f"{a.number} {a.name}" for a in ev.areas],
            "Poäng": [a.score for a in ev.areas],
            "Delområden": [len(a.subareas) for a in ev.areas],
            "Styrkor": [len(a.strengths) for a in ev.areas],
            "Förbättringar": [len(a.improvements) for a in ev.areas],
        }
    )


def discrepancy_warning(area: int | None, stated: float, line: int, chosen: float) -> str:
    where = f"område {area}" if area else "totalen"
    return (
        f"Motsägelse i {where}: rapporten anger {num(stated)} (rad {line}), {num(chosen)} används."
    )


def preview_warnings(texts: list[str]) -> str:
    """The parser's warnings, one a line (raw: shown with st.text)."""
    return "\n".join(f"Varning: {t}" for t in texts)


def replacement_warning(
    ev: Evaluation,
    old_total: float,
    old_origin: str,
    old_file: str,
    old_source: str | None,
) -> str:
    """What saving would replace (raw)."""
    template = _ORIGIN_TEXT.get(old_origin, "{file}")
    origin = template.format(file=old_file, source=old_source or "–")
    return (
        f"Databasen har redan {ev.municipality} {ev.year}: {num(old_total)} poäng "
        f"({origin}). Sparar du ersätts den av den nya rapportens {num(ev.total)} poäng."
    )


def saved_text(ev: Evaluation, status: str) -> str:
    """ "Sala 2023 sparad." (raw)."""
    return f"{ev.municipality} {ev.year} {_SAVED.get(status, status)}."


def open_profile(ev: Evaluation) -> str:
    return f"Öppna profilen för {ev.municipality} {ev.year}"


def csv_help(max_mb: int) -> str:
    return f"Semikolon- eller kommaseparerad, högst {max_mb} MB."


def nothing_saved(n_errors: int) -> str:
    return f"Inget sparades. {num(n_errors)} fel:"


def imported_text(n_stored: int, unchanged: bool) -> str:
    again = " (filen fanns redan, inget ändrades)" if unchanged else ""
    stored = "sparad" if n_stored == 1 else "sparade"
    return f"Importerat: {n_rows(n_stored)} {stored}{again}."


def rows_heading(n: int, what: str) -> str:
    """ "3 rader hoppades över:" (`what` is SKIPPED or REPLACED)."""
    return f"{n_rows(n)} {what}:"


def row_lines(rows: list[tuple[int, str]]) -> str:
    """ "Rad 4: …" per (line, text) (raw: shown with st.text)."""
    return "\n".join(f"Rad {line}: {text}" for line, text in rows)


def import_warnings(texts: list[str]) -> str:
    return "Varningar:\n" + "\n".join(texts)


def footer(db_name: str, n_evaluations: int) -> str:
    """ "Databas: kompass.duckdb · 5 utvärderingar." (raw)."""
    return f"Databas: {db_name} · {num(n_evaluations)} utvärderingar."

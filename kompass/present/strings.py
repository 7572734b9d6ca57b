"""Swedish text the user sees, and Swedish number formatting, in one place."""

from __future__ import annotations

import math
from datetime import date

from kompass.errors import KompassError
from kompass.present.access import TOO_NEW, WRITE_REFUSED

APP_TITLE = "Kommunkompassen – jämförelser"
# Page titles in the navigation, keyed by the page's URL path ("" is the start page).
PAGE_TITLES = {
    "": "Översikt",
    "profil": "Kommunprofil",
    "jamfor": "Jämför",
    "utveckling": "Utveckling",
    "lar-av-andra": "Lär av andra",
    "fynd": "Styrkor och förbättringar",
    "data": "Data",
}
ABOUT_KOMMUNKOMPASSEN = (
    "Kommunkompassen är SKR:s utvärdering av hur en kommun styrs och leds: "
    "åtta områden, 0–100 poäng vardera."
)
SOURCE_PREFIX = "Källa: Kommunkompassen, SKR"
CAVEAT_GENERATIONS = (
    "Obs: jämförelsen blandar ramverkets två generationer (2010- och 2020-serien). "
    "Områdena har översatts efter innehåll enligt tabellen över ramverkens områden "
    "(Data-sidan); SKR skriver att "
    "resultat före och efter revideringen 2019/2020 inte är fullt jämförbara."
)
ORIGIN = {
    "report": "utvärderingsrapport",
    "stated_in_report": "uppgift i senare rapport",
    "import": "importerat resultat",
}
KIND = {
    "strengths": "Styrkor",
    "partial": "Finns delar, kan bli bättre",
    "improvements": "Förbättringsmöjligheter",
}
DISCREPANCY = {
    "area_header": "Poängen i områdets text skiljer sig från delområdestabellen",
    "subarea_sum": "Delområdenas summa skiljer sig från tabellens delsumma",
    "summary_table": "Sammanfattningstabellen skiljer sig från delområdestabellen",
    "total": "Totalen i sammanfattningstabellen skiljer sig från summan av områdena",
    # Issue 11: an import row's stated total against its areas' sum; a report against a
    # published or imported result for the same evaluation (the report wins).
    "import_total": "Den angivna totalen skiljer sig från summan av områdena",
    "published": "Ett publicerat eller importerat resultat skiljer sig från rapporten",
}
MONTHS = [
    "januari", "februari", "mars", "april", "maj", "juni",
    "juli", "augusti", "september", "oktober", "november", "december",
]  # fmt: skip
ORDINAL = {1: "första", 2: "andra", 3: "tredje", 4: "fjärde", 5: "femte", 6: "sjätte"}
PRESETS = {
    "grannar": "Grannkommuner (gemensam gräns)",
    "narmast": "Närmaste utvärderade",
    "lan": "Samma län",
    "kommungrupp": "Samma kommungrupp",
    "egna": "Eget urval",
}


# The thousands separator of every number shown: a no-break space, so "18\u00a0340" never
# wraps between its groups. Years and codes are shown as they are, never through `num`.
THOUSANDS = "\u00a0"


def num(value: float | None, decimals: int = 1) -> str:
    """Swedish number: "18\u00a0340", "42,2", no trailing ",0"; "–" for missing.

    Rounded to `decimals` first, so 41.96 reads "42", not "42,0".
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    rounded = round(float(value), decimals)
    if rounded.is_integer():
        return f"{int(rounded):,}".replace(",", THOUSANDS)
    text = f"{rounded:,.{decimals}f}".rstrip("0")
    return text.replace(",", THOUSANDS).replace(".", ",")


def signed(value: float | None, decimals: int = 1, minus: str = "−") -> str:
    """Swedish number with an explicit sign: "+36", "−5", "±0".

    Pass minus="-" where Streamlit reads the sign (st.metric deltas).
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if round(float(value), decimals) == 0:  # shown as zero: no sign to give
        return "±0"
    sign = "+" if value > 0 else minus
    return sign + num(abs(value), decimals)


def month_year(month: int | None, year: int) -> str:
    """ "september 2023", or just the year."""
    return f"{MONTHS[month - 1]} {year}" if month else str(year)


PUBLISHED_PREFIX = "published/"
# The stored "file name" of a result pasted on the Data page: "inklistrad text (källa)".
PASTED_PREFIX = "inklistrad text"


def source_caption(files: list[str], extra: str = "", most: int = 6) -> str:
    """ "Källa: Kommunkompassen, SKR; rapport sala-2023.txt" with optional extra.

    Beyond `most` files the caption counts them instead (the Data page lists them).
    """
    unique = sorted({f for f in files if f})
    # data/published is loaded as "published/<file>": results quoted from web pages, no report.
    published = [f for f in unique if f.startswith(PUBLISHED_PREFIX)]
    # A report is text or PDF; a CSV file or a paste is a user's import (its source is beside it).
    imported = [f for f in unique if f not in published and _imported(f)]
    unique = [f for f in unique if f not in published and f not in imported]
    text = SOURCE_PREFIX
    if len(unique) > most:
        text += f"; {num(len(unique))} rapporter (förtecknade på sidan Data)"
    elif unique:
        text += "; " + ("rapport " if len(unique) == 1 else "rapporter ") + ", ".join(unique)
    if len(imported) > most:
        text += f"; {num(len(imported))} importerade filer (förtecknade på sidan Data)"
    elif imported:
        text += "; importerat från " + ", ".join(imported)
    if published:
        text += "; publicerade resultat (data/published, källan står vid varje resultat)"
    return text + (f". {extra}" if extra else "")


def _imported(file_name: str) -> bool:
    return file_name.lower().endswith(".csv") or file_name.startswith(PASTED_PREFIX)


def join_words(items: list[str]) -> str:
    """ "A", "A och B", "A, B och C" ("" for none)."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " och " + items[-1]


def long_date(day: date) -> str:
    """ "14 mars 2025"."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


# --- the frame: texts that replace Streamlit's English ones -------------------------------

PAGE_NOT_FOUND = "Sidan {path} finns inte. Här visas startsidan {start} i stället."
# The file uploader's own words (kompass.ui.common.frame puts them in with CSS).
UPLOAD_BUTTON = "Välj fil"
UPLOAD_LIMIT = "Högst {size} per fil"  # {size} ("50 MB"): read by the browser
UPLOAD_HINT = "Dra hit en fil eller välj den"
# Streamlit's skip link, shown on keyboard focus ("Skip to main content").
SKIP_LINK = "Hoppa till innehållet"
# The name a screen reader gives a wide table that scrolls sideways (keyboard reachable).
TABLE_REGION = "Tabell, rulla i sidled med piltangenterna"


def page_not_found(path: str) -> str:
    """ "Sidan /x finns inte. …": for a URL path that names no page (make `path` inert)."""
    return PAGE_NOT_FOUND.format(path=path, start=PAGE_TITLES[""])


# --- text alternatives for charts: one sentence each --------------------------------------


def genitive(name: str) -> str:
    """ "Salas", "Lunds", but "Höganäs" (a name ending in s, x or z takes no extra s)."""
    return name if name.lower().endswith(("s", "x", "z")) else name + "s"


def change_alt(name: str, first: int, second: int, changes: list[float], areas: list[str]) -> str:
    """ "Diagrammet visar Sala 2019 och 2023 per område: störst ökning i … (+36), …"

    `changes` are after minus before per area (`tables.change_table`'s "Förändring").
    """
    up = max(range(len(changes)), key=lambda i: changes[i])
    down = min(range(len(changes)), key=lambda i: changes[i])
    text = f"Diagrammet visar {genitive(name)} poäng per område {first} och {second}"
    if changes[up] > 0:
        text += f": störst ökning i {areas[up]} ({signed(changes[up])})"
    if changes[down] < 0:
        text += ", " if changes[up] > 0 else ": "
        text += f"störst minskning i {areas[down]} ({signed(changes[down])})"
    return text + "."


# --- errors (kompass.errors codes), shown instead of a traceback -------------------------

STORE_ERRORS = {
    "store_locked": "Databasen uppdateras just nu, försök igen om en stund.",
    "store_corrupt": (
        "Databasfilen{name} är skadad eller är ingen kompass-databas, så den kan inte läsas. "
        "Inget har skrivits till den. Återställ en säkerhetskopia eller bygg om databasen "
        "med kompass ingest."
    ),
    "store_read_only": (
        "Databasen{name} går inte att skriva till (filen eller mappen är skrivskyddad), "
        "så inget sparades."
    ),
    "store_full": (
        "Disken där databasen{name} ligger är full, så inget sparades. "
        "Frigör utrymme och försök igen."
    ),
    "store_unavailable": (
        "Databasen{name} kunde inte öppnas. Kontrollera att databasfilen finns och går att läsa."
    ),
    "store_too_new": TOO_NEW,  # written by a newer kompass (issue 13)
}
BUDGET_ERRORS = {
    "seconds": "{what} tog för lång tid att {verb} (över {value} s) och stoppades.",
    "memory": "{what} krävde för mycket minne att {verb} (över {value} MB) och stoppades.",
    "pages": "{what} har för många sidor (över {value}) och lästes inte.",
}
OTHER_ERRORS = {
    "write_refused": WRITE_REFUSED,  # kompass.ui.access.audited (issue 13)
    "export_failed": "Zip-filen kunde inte skapas. Försök igen om en stund.",
}
UNKNOWN_ERROR = "Något gick fel ({code}). Försök igen om en stund."


def _db_name(fields: dict[str, object]) -> str:
    """ " (kompass.duckdb)": the database file's name, never its folder."""
    path = str(fields.get("path") or "")
    name = path.replace("\\", "/").rsplit("/", 1)[-1]
    return f" ({name})" if name else ""


def _limit(value: float) -> str:
    """A budget's number as set: "30", "1\u00a0024", "0,05"."""
    return num(value) if float(value).is_integer() else f"{value:g}".replace(".", ",")


def error_text(exc: KompassError, what: str = "Filen", verb: str = "läsa") -> str:
    """A Swedish sentence for an expected error, naming its cause; never a path.

    `what` and `verb` name the work a budget stopped ("Zip-filen", "skapa").
    """
    if exc.code in STORE_ERRORS:
        return STORE_ERRORS[exc.code].format(name=_db_name(exc.fields))
    if exc.code == "budget_exceeded":
        limit = str(exc.fields.get("limit", ""))
        value = exc.fields.get("value")
        shown = _limit(value) if isinstance(value, int | float) else "gränsen"
        template = BUDGET_ERRORS.get(limit, "{what} gick över en gräns och stoppades.")
        return template.format(what=what, verb=verb, value=shown)
    return OTHER_ERRORS.get(exc.code) or UNKNOWN_ERROR.format(code=exc.code)


# --- ranks (`kompass.queries.ranking`), worded here ----------------------------------------


def ordinal(n: int) -> str:
    """Swedish ordinal for ranks: 1:a, 2:a, 3:e, …, 21:a, 22:a."""
    return f"{n}:{'a' if n % 10 in (1, 2) and n % 100 not in (11, 12) else 'e'}"


def rank_text(rank: int, n_ranked: int, framework: str, as_of: int) -> str:
    """ "3:e av 4 inom 2020-ramverket, per 2023" from `queries.ranking`'s columns."""
    return f"{ordinal(int(rank))} av {int(n_ranked)} inom {framework}-ramverket, per {int(as_of)}"


# --- partial and published results (issue 11) ----------------------------------------------

# A table cell whose value the source does not give (an import or a published result may
# give some areas only, or only the total): never a zero, never an empty cell.
MISSING_VALUE = "uppgift saknas"
# A result quoted from a municipality's page or a press release (data/published).
PUBLISHED = "publicerat resultat"
# Where a chart's or table's source note names the bundled published results.
PUBLISHED_SOURCES = "publicerade resultat (data/published)"
# A total the source does not state: the sum of its eight areas (evaluation.total_computed).
COMPUTED_TOTAL = "summa av områdena"

"""Översikt's words: headings, labels and notes (the map's own words are in `maps`)."""

from __future__ import annotations

import pandas as pd

from kompass.present import partial
from kompass.present.strings import MISSING_VALUE, PUBLISHED, num

TITLE = "Kommunkompassen – Sverige i överblick"
INTRO = (
    "SKR:s Kommunkompass utvärderar hur en kommun styrs och leds i åtta områden. Här står "
    "utvärderingarna sida vid sida: klicka på en kommun på kartan eller i tabellen för dess profil."
)
EMPTY_WHAT = "översikten"
EVALUATIONS = "Utvärderingar"
MUNICIPALITIES = "Kommuner"
YEARS = "År"
MEAN = "Medelvärde (av 800)"
MAP_NOTE = "Kartgränser: okfse/sweden-geojson (förenklade)."
RANKING_HEADING = "Placering, senaste utvärdering per kommun"
RANKING_NOTE = (
    "Placeringen jämför bara utvärderingar inom samma ramverksgeneration och gäller per "
    "det senaste året i databasen."
)
AREAS_HEADING = "Poäng per område"
AREAS_NOTE = "O1–O8 är områdena 1–8."
PROFILE = "Profil"
OPEN = "Öppna"
TOTAL = "Total (av 800)"
MAPPING_EXPANDER = "Områdenas namn i de två ramverksgenerationerna"


def municipalities_value(evals: pd.DataFrame) -> str:
    """ "290 av 290": evaluated municipalities of Sweden's 290."""
    return f"{num(evals.code.nunique())} av 290"


def years_value(evals: pd.DataFrame) -> str:
    return f"{evals.year.min()}–{evals.year.max()}"


def area_help(area: int) -> str:
    return f"Område {area} (0–100); namnet beror på ramverket"


def ranking_note(ranked: pd.DataFrame) -> str:
    """RANKING_NOTE, plus which totals are computed and that published results are marked.

    `ranked` is `queries.ranking` (raw text: names from the store, escape for Markdown).
    """
    parts = [RANKING_NOTE]
    if partial.any_published(ranked):
        parts.append(
            f"Resultat märkta ”{PUBLISHED}” är citerade från kommunens webbplats eller ett "
            "pressmeddelande; källan står i kolumnen Källa. En kommun med bara totalpoäng "
            "placeras efter totalen."
        )
    computed = partial.computed_note(ranked)
    if computed:
        parts.append(computed)
    return " ".join(parts)


def areas_note(table: pd.DataFrame) -> str:
    """AREAS_NOTE, plus what an empty bar means when some result lacks area scores."""
    if MISSING_COLUMN in table.columns and table[MISSING_COLUMN].astype(bool).any():
        return (
            f"{AREAS_NOTE} Där källan inte anger ett område är stapeln tom och kolumnen "
            f"{MISSING_COLUMN} säger ”{MISSING_VALUE}”."
        )
    return AREAS_NOTE


MISSING_COLUMN = "Saknas"  # tables.MISSING_AREAS

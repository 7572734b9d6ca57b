"""The Jämför page's Swedish: headings, notes, captions and the area legend table.

The page (pages/jamfor.py) lays out widgets and charts; every word it shows
comes from here or from `strings` (PRESETS, CAVEAT_GENERATIONS). Names from
the database are passed in raw; the page makes them inert (`ui.common.plain`).
"""

from __future__ import annotations

import pandas as pd

from kompass.present.strings import PRESETS, num, signed

TITLE = "Jämför kommuner"
EMPTY_WHAT = "en jämförelse"
NO_AREA_SCORES = "Ingen utvärdering har poäng per område ännu; jämförelsen behöver sådana."
NOTHING_TO_COMPARE = "Inget att jämföra."
BASE_LABEL = "Baskommun"
PRESET_LABEL = "Jämför med"
CHOSEN_LABEL = "Kommuner"
GENERATIONS_LABEL = "Jämför över ramverksgenerationer"
GENERATIONS_HELP = (
    "Utvärderingar från 2010-serien översätts till 2020-seriens områden efter innehåll."
)
MAPPING_EXPANDER = "Så översätts områden mellan generationerna"
COMPARED = "Jämförs:"
AREAS_HEADING = "Områdena"
DIFFERENCE_NOTE = "Positivt tal: baskommunen har fler poäng."
YEAR_NOTE = "Varje värde gäller året som står efter kommunnamnet."
TOTALS_HEADING = "Totalpoäng"
MEAN_ROW = "Medelvärde"  # the mean's short name where a full label does not fit (heatmap row)


def area_legend(area_names: list[str]) -> pd.DataFrame:
    """The radar's numbered spokes spelled out: columns Nr and Område (from `area_names`)."""
    return pd.DataFrame({"Nr": range(1, len(area_names) + 1), "Område": area_names}).set_index("Nr")


def _and(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " och " + names[-1]


def _with_mean(labels: list[str], with_mean: bool) -> str:
    return _and([*labels, "medelvärdet"] if with_mean else labels)


def radar_alt(labels: list[str], with_mean: bool) -> str:
    """The radar in one sentence (its text alternative; labels raw)."""
    return (
        f"Spindeldiagram över poängen (0–100) per område för {_with_mean(labels, with_mean)}; "
        "ekrarna 1–8 är områdena i tabellen."
    )


def bars_alt(labels: list[str], with_mean: bool) -> str:
    """The grouped bars in one sentence (labels raw)."""
    mean = "; den mörkgrå stapeln är medelvärdet" if with_mean else ""
    return f"Staplar per område med poängen för {_with_mean(labels, False)}{mean}."


def heatmap_alt(with_mean: bool) -> str:
    """The heatmap in one sentence."""
    rows = "en rad per kommun" + (" och en för medelvärdet" if with_mean else "")
    return (
        f"Värmekarta med {rows}, en kolumn per område (1–8): talet i rutan är poängen, "
        "en mörkare ruta lägre poäng."
    )


def totals_alt(base_label: str, mean_total: float | None) -> str:
    """The totals chart in one sentence (label raw)."""
    mean = (
        ""
        if mean_total is None or pd.isna(mean_total)
        else f", den streckade linjen medelvärdet {num(mean_total)}"
    )
    return (
        "Totalpoängen (av 800) som den står i varje utvärdering, högst överst; "
        f"{base_label} i blått{mean}."
    )


def no_peers_text(base_name: str, preset: str) -> str:
    """Why the chosen peers are replaced by the nearest evaluated ones (names inert already)."""
    return (
        f"Ingen av {base_name}s {PRESETS[preset].lower()} har någon utvärdering i databasen. "
        "Här visas i stället de närmaste utvärderade kommunerna."
    )


def county_link_label(names: list[str]) -> str:
    """The link to comparing within the county instead (names inert already)."""
    return "Jämför i stället med samma län: " + ", ".join(names)


def dropped_text(names: list[str]) -> str:
    """Municipalities left out because their evaluation is of the other generation."""
    return "Utelämnade (annan ramverksgeneration): " + ", ".join(names) + "."


def radar_limit_text(shown: int) -> str:
    """The radar shows the first few municipalities; the rest are elsewhere on the page."""
    return (
        f"Spindeldiagrammet och staplarna visar de {shown} första; alla finns i värmekartan "
        "och i totalpoängen."
    )


def difference_heading(base_label: str) -> str:
    """ "Skillnad: Burlöv 2020 minus övriga" (label inert already)."""
    return f"Skillnad: {base_label} minus övriga och medelvärdet"


def mean_note(label: str | None, source: str | None) -> str:
    """Which mean the charts show and where it comes from; empty without a mean."""
    if label is None:
        return ""
    return f"Medelvärde: {label}; {source.rstrip('.')}." if source else f"Medelvärde: {label}."


def latest_only_text(name: str, asked_year: str, shown_year: int) -> str:
    """A link asked for another year than the latest, which is what Jämför compares."""
    return (
        f"Jämför visar varje kommuns senaste utvärdering: för {name} den från {shown_year}, "
        f"inte {asked_year}. Utveckling och Kommunprofil visar tidigare år."
    )


def difference_long(diff: pd.DataFrame) -> pd.DataFrame:
    """`tables.difference_table` as one row per area and comparison, for a phone's width.

    Columns Område, Mot (the municipality or the mean, without "mot "), Skillnad (signed).
    """
    rows = [
        (area, str(column).removeprefix("mot "), signed(value))
        for area, row in diff.iterrows()
        for column, value in row.items()
    ]
    return pd.DataFrame(rows, columns=["Område", "Mot", "Skillnad"]).set_index("Område")

"""The findings search page's Swedish: labels, filters, counts and notes.

The page (pages/fynd.py) lays out widgets and the hits; every word it shows
comes from here or from `strings` (KIND). Names from the database are passed
in already made inert where a label renders Markdown.
"""

from __future__ import annotations

from kompass.present.strings import KIND, num

TITLE = "Styrkor och förbättringar"
INTRO = "Sök bland utvärderarnas styrkor och förbättringsmöjligheter i alla rapporter."
EMPTY_WHAT = "sökningen"
SEARCH_LABEL = "Sök efter ord"
SEARCH_PLACEHOLDER = "t.ex. medborgardialog, digitalisering, internkontroll"
ALL = "alla"  # the area and kind filters' "no filter" value, also in the URL
AREA_LABEL = "Område"
KIND_LABEL = "Typ"
MUNICIPALITIES_LABEL = "Kommuner"
MUNICIPALITIES_PLACEHOLDER = "Alla kommuner"
YEARS_LABEL = "År"
NO_HITS = "Inga träffar. Pröva ett kortare ord eller ta bort ett filter."
COUNTS_EXPANDER = "Antal träffar per område och typ"


def area_label(value: str, names_2020: list[str], names_2010: list[str]) -> str:
    """The area filter's option: "Alla områden" or "Område 1: … (2020) / … (2010)"."""
    if value == ALL:
        return "Alla områden"
    a = int(value)
    return f"Område {a}: {names_2020[a - 1]} (2020) / {names_2010[a - 1]} (2010)"


def kind_label(kind: str) -> str:
    """The kind filter's option: "Alla typer" or the kind's name."""
    return "Alla typer" if kind == ALL else KIND[kind]


def hits_count(n_hits: int) -> str:
    return f"{num(n_hits)} träffar"


def hits_where(n_evaluations: int) -> str:
    return f"i {num(n_evaluations)} utvärderingar"


def area_row(area: int) -> str:
    """A row of the counts table: "Område 3"."""
    return f"Område {area}"


def truncated_caption(shown: int, n_hits: int, shown_evaluations: int, n_evaluations: int) -> str:
    """Why fewer hits are shown than found, and how to see the rest."""
    return (
        f"Visar {num(shown)} av {num(n_hits)} träffar, i de första "
        f"{num(shown_evaluations)} av {num(n_evaluations)} utvärderingarna "
        "(i bokstavsordning). Förfina sökningen med ett ord, ett område, en typ eller "
        "kommuner för att se resten; alla fynd finns också att ladda ner på sidan Data."
    )


def evaluation_label(name: str, year: int, n_hits: int) -> str:
    """ "Sala 2023 – 3 träffar" (`name` inert already)."""
    hits = f"{num(n_hits)} träff" + ("ar" if n_hits != 1 else "")
    return f"{name} {year} – {hits}"

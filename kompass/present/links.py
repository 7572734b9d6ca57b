"""Swedish text for links that ask for something the database does not hold.

A page reached with `?kommun=` or `?ar=` that has no evaluation says what was
asked for and offers links to what exists; it never shows another
municipality's result in its place (issue 10, point 6). The texts are plain
text: the caller shows them as text, never as markup, because `asked` comes
straight from the URL.
"""

from __future__ import annotations

import re

# What is quoted back from the URL: enough to recognise, never a whole pasted page.
ASKED_CHARS = 40

CHOOSE_MUNICIPALITY = "Välj kommun"
CHOOSE_YEAR = "Välj år"
MUNICIPALITY_LABEL = "Kommun"
YEAR_LABEL = "Utvärdering (år)"
EVALUATED_NEIGHBOURS = "Utvärderade grannkommuner:"
NEAREST_EVALUATED = "Närmaste utvärderade kommuner:"
PICK_ANOTHER = "Välj en kommun i listan ovan, eller på kartan under Översikt."
NO_EVALUATED_NEARBY = "Ingen kommun i närheten har någon utvärdering i databasen ännu."


def asked_text(asked: str) -> str:
    """The value from the URL as it is quoted in a message: trimmed, shortened."""
    text = re.sub(r"\s+", " ", asked).strip()
    return text if len(text) <= ASKED_CHARS else text[: ASKED_CHARS - 1] + "…"


def no_evaluation(name: str) -> str:
    """ "Upplands Väsby har ingen utvärdering i databasen." """
    return f"{name} har ingen utvärdering i databasen."


def no_area_scores(name: str) -> str:
    """A municipality with only totals (imported results) on a page that needs area scores."""
    return (
        f"{name} har ingen utvärdering med poäng per område i databasen, "
        "och den här sidan behöver sådana."
    )


def profile_instead(name: str) -> str:
    """Label of the link to the same municipality's profile (which shows totals too)."""
    return f"Kommunprofil för {name}"


def unknown_municipality(asked: str) -> str:
    """'Det finns ingen kommun med koden ”9999”.' (also for a name given as code)."""
    return f"Det finns ingen kommun med koden ”{asked_text(asked)}”."


def did_you_mean(name: str, code: str) -> str:
    """Label of the link to the municipality a name or short code resolves to."""
    return f"Menade du {name} (kod {code})?"


def no_evaluation_year(name: str, asked: str) -> str:
    """ "Sala har ingen utvärdering från 1999 i databasen." """
    shown = asked_text(asked)
    year = shown if re.fullmatch(r"\d{4}", shown) else f"”{shown}”"
    return f"{name} har ingen utvärdering från {year} i databasen."


def evaluations_of(name: str) -> str:
    """Heading of the links to the years a municipality has."""
    return f"Utvärderingar av {name} i databasen:"


def year_option(year: str, origin: str) -> str:
    """A year in the year picker: "2019", "2016 (importerad)", "2014 (publicerat resultat)".

    `origin` is the evaluation's origin, or "published" for a result from data/published.
    """
    if origin == "stated_in_report":
        return f"{year} (uppgift ur senare rapport)"
    if origin == "published":
        return f"{year} (publicerat resultat)"
    if origin == "import":
        return f"{year} (importerad)"
    return year


def tab_title(page: str, name: str | None = None, year: int | None = None) -> str:
    """The browser tab's title: "Sala 2023 – Kommunprofil", "Sala – Jämför", "Jämför"."""
    if not name:
        return page
    what = name if year is None else f"{name} {year}"
    return f"{what} – {page}"

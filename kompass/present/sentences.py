"""The app frame's Swedish sentences: the empty store, building it, who evaluated and when.

Used by `ui.common`. Parts that come from the store (names, file names,
sources) are passed in already made inert (`ui.common.plain`): these
sentences are shown as Markdown.
"""

from __future__ import annotations

from kompass.present.strings import ORDINAL, PUBLISHED, join_words, month_year

BUILDING_STORE = "Bygger databasen från de medföljande rapporterna …"
REPORTS_UNREADABLE = "De medföljande rapporterna kunde inte läsas."


def ingest_failures(file_names: list[str]) -> str:
    """The bundled reports that could not be read (`file_names` inert already)."""
    return "Några rapporter kunde inte läsas in: " + "; ".join(file_names)


def empty_state(what: str) -> str:
    """What cannot be shown yet and how to add data; `what` is ours ("översikten")."""
    return (
        f"Det finns inga utvärderingar i databasen ännu, så {what} kan inte visas. "
        "Lägg till rapporter med `kompass ingest MAPP` eller starta med `make run`, "
        "som läser in de medföljande exempelrapporterna."
    )


def evaluation_sentence(month: int | None, year: int, number: int | None) -> str:
    """ "Utvärderad i september 2023, kommunens andra utvärdering." """
    text = f"Utvärderad {month_year(month, year)}"
    if number is not None:
        text += f", kommunens {ORDINAL.get(number, f'{number}:e')} utvärdering"
    return text + "."


def evaluators_sentence(
    people: list[str], origin: str, file_name: str, source: str, published: bool = False
) -> str:
    """ "Utvärderare: A och B. Källa: rapport x.txt." from inert parts.

    `source` is the import's source note as inert Markdown (a safe link or
    text), "" when there is none; it is only used for imported results.
    `published`: a result from data/published ("publicerat resultat", issue 11).
    """
    text = f"Utvärderare: {join_words(people)}. " if people else ""
    if published:
        where = f", {source}" if source else ""
        return text + f"Källa: {PUBLISHED}{where} (data/{file_name})."
    if origin == "report":
        return text + f"Källa: rapport {file_name}."
    if origin == "stated_in_report":
        return text + f"Källa: sammanfattningstabellen i den senare rapporten {file_name}."
    if not source:
        return text + f"Källa: importerat från {file_name}."
    return text + f"Källa: {source} (importerat från {file_name})."

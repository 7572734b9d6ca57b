"""A pasted result (the Data page's tab "Klistra in resultat", `kompass import-text`):
the tab's Swedish, the preview of what was recognised, and storing it.

Storing goes through the CSV imports (`kompass.store.imports`): the rows are
written in the import formats (`parse.pasted.scores_csv`/`reference_csv`) and
validated as a file would be, every part before any is stored. Texts built
from the paste (municipality, labels, sources) are returned raw; the page
shows them with st.text or in a dataframe, never as Markdown.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from kompass.domain.frameworks import canonical_name
from kompass.domain.municipalities import by_code
from kompass.parse.common import MONTHS
from kompass.parse.pasted import (
    AREA_COLUMNS,
    MAX_TEXT_CHARS,
    Pasted,
    Row,
    reference_csv,
    scores_csv,
)
from kompass.present.strings import PASTED_PREFIX, num
from kompass.store import imports

TAB = "Klistra in resultat"
INTRO = (
    "Klistra in en sammanfattning från en kommuns webbplats eller ett pressmeddelande "
    "(områdenas poäng, totalen, gärna ett snitt inom parentes eller i en egen kolumn). "
    "Du ser först vad som känns igen; inget sparas förrän du trycker på knappen."
)
TEXT_LABEL = "Text med resultatet"
TEXT_PLACEHOLDER = (
    "Kommunkompassen, en utvärdering av Grästorps kommun, genomfördes i oktober 2014.\n"
    "1. Offentlighet och demokrati 61\n2. Tillgänglighet och brukarorientering 60\n…\n"
    "Totalt 506 av 800 poäng"
)
SOURCE_LABEL = "Källa (webbadress eller text)"
SOURCE_HELP = "Var resultatet står, t.ex. sidans adress. Källan sparas med varje rad."
MUNICIPALITY_LABEL = "Kommun"
YEAR_LABEL = "År"
FRAMEWORK_LABEL = "Ramverk"
FRAMEWORKS = ("2010", "2020")
RECOGNISED_HEADING = "Det här kändes igen"
SAVE_BUTTON = "Spara i databasen"
NEED_SOURCE = "Ange källan innan du sparar."
SAVED = "Sparat i databasen."
REFUSED_LEAD = "Texten kan inte sparas"
SAVED_FILE_NAME = PASTED_PREFIX  # report.file_name of a saved paste (shown on the Data page)
# A value the text does not give: never a zero, never an empty cell.
MISSING = "uppgift saknas"
TOTAL_ROW = "Totalt"
AREA_HEADER = "Område"
RESULT_KIND = "Resultat"
REFERENCE_KIND = "Medelvärde"
_MONTH_NAMES = {number: name for name, number in MONTHS.items()}


def text_help(limit: int = MAX_TEXT_CHARS) -> str:
    return f"Högst {num(limit)} tecken."


def saved_file_name(source: str) -> str:
    """The stored "file" of a paste: "inklistrad text (https://…)", at most 120 characters."""
    return f"{SAVED_FILE_NAME} ({source.strip()})"[:120]


def refused(reason: str) -> str:
    """ "Texten kan inte sparas: texten säger inte vilket år …" (raw)."""
    return f"{REFUSED_LEAD}: {reason}"


def recognised_line(pasted: Pasted) -> str:
    """What the text says about the evaluation, in one line (raw: shown with st.text)."""
    parts = [f"Kommun: {pasted.municipality_name or MISSING}"]
    years = sorted({int(r["ar"]) for r in pasted.results if r.get("ar")})
    when = str(pasted.year) if pasted.year else ", ".join(map(str, years)) or MISSING
    if pasted.year and pasted.month:
        when = f"{_MONTH_NAMES[pasted.month]} {pasted.year}"
    parts.append(f"År: {when}")
    parts.append(f"Ramverk: {pasted.framework or MISSING}")
    n_results, n_means = len(pasted.results), len(pasted.references)
    counts = f"{num(n_results)} resultat, {num(n_means)} " + (
        "medelvärde" if n_means == 1 else "medelvärden"
    )
    return " · ".join([*parts, counts])


def series_label(row: Row, result: bool) -> str:
    """A result's municipality or a mean's label (raw)."""
    if result:
        found = by_code(str(row["kommun"])) if row.get("kommun") else None
        return found.name if found else MUNICIPALITY_LABEL
    return str(row.get("etikett") or REFERENCE_KIND)


def series_name(row: Row, result: bool) -> str:
    """A preview column's header: "Grästorp 2014", "Sverigesnitt 2021" (raw)."""
    year = str(row["ar"]) if row.get("ar") else ""
    return f"{series_label(row, result)} {year}".strip()


def preview_table(pasted: Pasted) -> pd.DataFrame:
    """One row per area (with its name in the series' framework) and the total; one column
    per recognised series. Every cell is text: a number as written in Swedish, or MISSING."""
    framework = pasted.framework
    labels = [_area_label(n, framework) for n in range(1, 9)] + [TOTAL_ROW]
    table: dict[str, list[str]] = {AREA_HEADER: labels}
    headers: set[str] = set()
    series = [(r, True) for r in pasted.results] + [(r, False) for r in pasted.references]
    for row, result in series:
        header = _unique(series_name(row, result), headers)
        values = [row.get(c) for c in AREA_COLUMNS] + [row.get("total")]
        table[header] = [MISSING if v is None else num(v, 2) for v in values]
    return pd.DataFrame(table)


def series_table(pasted: Pasted) -> pd.DataFrame:
    """Each row as it will be stored: kind, municipality or label, year, month, framework."""
    rows = [
        {
            "Typ": RESULT_KIND,
            "Kommun eller etikett": series_label(r, True),
            "År": str(r["ar"] or MISSING),
            "Månad": _MONTH_NAMES.get(r.get("manad") or 0, "–"),
            "Ramverk": str(r["ramverk"] or MISSING),
        }
        for r in pasted.results
    ]
    rows += [
        {
            "Typ": REFERENCE_KIND,
            "Kommun eller etikett": str(r["etikett"]),
            "År": str(r["ar"] or MISSING),
            "Månad": "–",
            "Ramverk": str(r["ramverk"] or MISSING),
        }
        for r in pasted.references
    ]
    return pd.DataFrame(rows)


def _area_label(area: int, framework: str | None) -> str:
    if framework is None:
        return f"Område {area}"
    return f"{area} {canonical_name(framework, area)}"


def _unique(header: str, seen: set[str]) -> str:
    out, n = header, 2
    while out in seen:
        out, n = f"{header} ({n})", n + 1
    seen.add(out)
    return out


@dataclass(frozen=True)
class Saved:
    """What storing a paste did: one import result per part (results, means)."""

    results: list[tuple[str, imports.ImportResult]]  # ("results" | "references", result)


def save_pasted(pasted: Pasted, file_name: str, db: Path | None = None) -> Saved:
    """Store a completed paste through the CSV imports, every part validated first.

    Raises ImportValidationError (nothing stored) when a part is invalid, and
    StoreError when the store cannot be written.
    """
    parts: list[tuple[str, bytes, Callable[[bytes], object], Callable[..., imports.ImportResult]]]
    parts = []
    if pasted.results:
        parts.append(("results", scores_csv(pasted), imports.read_scores, imports.import_scores))
    if pasted.references:
        parts.append(
            ("references", reference_csv(pasted), imports.read_reference, imports.import_reference)
        )
    for _, data, read, _ in parts:
        read(data)  # raises before anything is stored
    return Saved([(kind, store(data, file_name, db)) for kind, data, _, store in parts])


def saved_lines(saved: Saved) -> list[str]:
    """ "Resultat: 1 rad sparad." per part (raw)."""
    lines = []
    for part, result in saved.results:
        kind = RESULT_KIND if part == "results" else REFERENCE_KIND
        if result.status == "unchanged":
            lines.append(f"{kind}: fanns redan, inget ändrades.")
            continue
        n = result.rows_stored
        rows = f"{num(n)} rad sparad" if n == 1 else f"{num(n)} rader sparade"
        lines.append(f"{kind}: {rows}.")
    return lines

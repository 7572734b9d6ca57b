"""Kommunprofil's answer at the top: the one table and its CSV, in Swedish.

Built from `printout.SummaryFacts` (the evaluation, the chosen mean and the
previous evaluation) and `queries.profile.NeighbourMean`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from kompass.present import charts, partial
from kompass.present.exports import to_csv_bytes
from kompass.present.printout import SummaryFacts
from kompass.present.strings import DISCREPANCY, PUBLISHED, num, signed
from kompass.queries.profile import NeighbourMean

AREA = "Område"  # the first column of the profile tables (their index on the page)
SCORE = "Poäng"
MEAN = "Medel"
VS_MEAN = "Mot medel"
NEIGHBOURS = "Grannarnas medel"
CHANGE = "Förändring sedan förra"


def _minus(a: float | None, b: float | None) -> float | None:
    return None if a is None or b is None else round(a - b, 1)


def profile_numbers(facts: SummaryFacts, neighbours: NeighbourMean | None) -> pd.DataFrame:
    """One row per area and a total row; numbers (None where unknown), Swedish headers."""
    rows = []
    for a in facts.areas:
        near = None if neighbours is None else neighbours.scores[a.area - 1]
        rows.append([f"{a.area} {a.name}", a.score, a.mean, a.diff, near, a.change])
    total_near = None if neighbours is None else neighbours.total
    rows.append(
        [
            "Totalt (av 800)",
            facts.total,
            facts.mean_total,
            _minus(facts.total, facts.mean_total),
            total_near,
            facts.total_change if facts.previous_comparable else None,
        ]
    )
    return pd.DataFrame(rows, columns=["Område", SCORE, MEAN, VS_MEAN, NEIGHBOURS, CHANGE])


def profile_table(facts: SummaryFacts, neighbours: NeighbourMean | None) -> pd.DataFrame:
    """`profile_numbers` as text: "42,2", differences signed, "–" where unknown.

    A column nobody can fill (no mean chosen, no neighbour evaluated, no
    earlier evaluation of the same generation) is left out rather than shown empty.
    """
    numbers = profile_numbers(facts, neighbours)
    out = pd.DataFrame({"Område": numbers["Område"]})
    for column in (SCORE, MEAN, VS_MEAN, NEIGHBOURS, CHANGE):
        if numbers[column].isna().all():
            continue
        fmt = signed if column in (VS_MEAN, CHANGE) else num
        out[column] = [fmt(None if pd.isna(v) else float(v)) for v in numbers[column]]
    return out


def profile_column_help(facts: SummaryFacts, neighbours: NeighbourMean | None) -> dict[str, str]:
    """What each column of the table means, for the column headers' help."""
    helps = {
        SCORE: f"{facts.name}s poäng {facts.year}, 0–100 per område.",
        MEAN: facts.mean_label or "",
        VS_MEAN: "Poängen minus medelvärdet.",
        CHANGE: (
            f"Poängen minus poängen i utvärderingen {facts.previous_year}."
            if facts.previous_year
            else ""
        ),
    }
    if neighbours is not None:
        helps[NEIGHBOURS] = (
            "Medel av grannkommunernas senaste utvärdering med samma ramverk: "
            + ", ".join(neighbours.names)
            + "."
        )
    return helps


def profile_csv(facts: SummaryFacts, neighbours: NeighbourMean | None) -> bytes:
    """The table for Swedish Excel, with what it is about on every row.

    Full area names; kommun, år, ramverk, the mean's name and the source travel
    with the numbers, so a copied row still says where it comes from.
    """
    numbers = profile_numbers(facts, neighbours)
    table = pd.DataFrame(
        {
            "Kommun": facts.name,
            "Kommunkod": facts.code,
            "År": facts.year,
            "Ramverk": facts.framework,
            "Område": numbers["Område"],
            "Poäng": numbers[SCORE],
            "Medel": numbers[MEAN],
            "Medlets namn": facts.mean_label or "",
            "Mot medel": numbers[VS_MEAN],
            "Grannarnas medel": numbers[NEIGHBOURS],
            "Grannar": "" if neighbours is None else ", ".join(neighbours.names),
            "Förra utvärderingen (år)": facts.previous_year,
            "Förändring sedan förra": numbers[CHANGE],
            "Källa": source_of(facts),
        }
    )
    return to_csv_bytes(table)


def partial_csv(facts: SummaryFacts, table: pd.DataFrame) -> bytes:
    """`partial_table` for Swedish Excel, with what it is about on every row; a missing
    area stays a row with "uppgift saknas", so nobody reads a gap as a zero."""
    rows = table.reset_index()
    out = pd.DataFrame(
        {
            "Kommun": facts.name,
            "Kommunkod": facts.code,
            "År": facts.year,
            "Ramverk": facts.framework,
            "Område": rows[AREA],
            "Poäng": rows[SCORE],
        }
    )
    if MEAN in rows.columns:
        out["Medel"] = rows[MEAN]
        out["Medlets namn"] = facts.mean_label or ""
        out["Mot medel"] = rows[VS_MEAN]
    out["Källa"] = source_of(facts)
    return to_csv_bytes(out)


def source_of(facts: SummaryFacts) -> str:
    """Where the evaluation's numbers come from, in words (a published result's URL whole:
    a CSV cell has room)."""
    if facts.published:
        return f"{PUBLISHED.capitalize()} ({facts.source_note or facts.file_name})"
    if facts.origin == "report":
        return f"SKR:s utvärderingsrapport ({facts.file_name})"
    if facts.origin == "import":
        note = f"; {facts.source_note}" if facts.source_note else ""
        return f"Importerat resultat ({facts.file_name}{note})"
    return f"Uppgift i en senare rapport ({facts.file_name})"


def download_name(facts: SummaryFacts, ending: str) -> str:
    """ "kommunkompassen-1981-2023" + `ending`: the code, never the stored name, names a file."""
    return f"kommunkompassen-{facts.code}-{facts.year}{ending}"


def csv_file_name(facts: SummaryFacts) -> str:
    """ "kommunkompassen-1981-2023.csv"."""
    return download_name(facts, ".csv")


SUMMARY_FILE = "-sammanfattning.html"  # download_name endings of the print page and picture
PNG_FILE = "-spindel.png"


# --- the page's words ------------------------------------------------------------------

EMPTY_WHAT = "en kommunprofil"
TOTAL_ONLY = "För den här utvärderingen finns bara totalpoängen, inte poäng per område."
TOTAL_LABEL = "Total (av 800)"
MEAN_LABEL = "Medelvärde (av 800)"
MEAN_LEGEND = "Medel"  # a chart legend's name for a mean without its own
CHARTS_HEADING = "Profil per område"
SHOW_MEAN = "Visa medelvärde"
SHOW_PREVIOUS = "Visa förra utvärderingen"
SUBAREAS_HEADING = "Delområden, andel av maxpoäng"
FINDINGS_HEADING = "Styrkor och förbättringsmöjligheter"
PRINT_BUTTON = "Utskrift och bild"
PRINT_HELP = (
    "En sida att skriva ut eller skicka (HTML, fungerar utan internet, A4) med resultatet "
    "i meningar, och spindeldiagrammet som bild (PNG) för presentationer."
)
PRINT_SPINNER = "Ritar diagrammen …"
PARTIAL_PRINT_BUTTON = "Utskrift (HTML)"
PARTIAL_PRINT_HELP = (
    "En sida att skriva ut eller skicka (HTML, fungerar utan internet, A4) med resultatet "
    "i meningar och tabellen. Inget spindeldiagram: källan anger inte alla åtta områden."
)
DOWNLOAD_SUMMARY = "Sammanfattning (HTML)"
DOWNLOAD_PNG = "Spindeldiagram (PNG)"
DOWNLOAD_CSV = "Tabellen som CSV (Excel)"
DOWNLOAD_CSV_HELP = "Semikolon och decimalkomma, så att filen öppnas rätt i svenska Excel."
SHARE = "Dela länk"
SHARE_HELP = "Länken visar samma kommun, år och medelvärde även efter nästa utvärdering."
BARS_NOTE = "Staplarna visar poängen, strecket medelvärdet; talet inom parentes är skillnaden."
SUBAREAS_NOTE = "Tabellen 'Översikt av poängfördelning' i rapporten."
NO_SUBAREAS = "Delområdespoäng saknas för den här utvärderingen."
NO_SUBAREAS_IMPORT = "Delområdespoäng saknas: ett importerat resultat har bara poäng per område."
NO_FINDINGS_IMPORT = (
    "Ett importerat resultat har inga styrkor eller förbättringsmöjligheter; "
    "de står bara i utvärderingsrapporterna."
)
CONSISTENT = "Rapportens siffror stämmer överens med varandra."
CONSISTENT_IMPORT = "Det importerade resultatets siffror stämmer överens med varandra."
DISCREPANCY_RULE = (
    "Där rapporten anger olika värden för samma sak används delområdestabellens "
    "delsumma (regeln: delsumma, annars sammanfattningstabell, annars områdets 'Poäng')."
)


def heading(facts: SummaryFacts) -> str:
    """ "Sala 2023" (raw text: escape it for Markdown)."""
    return f"{facts.name} {facts.year}"


def about_line(facts: SummaryFacts) -> str:
    """ "Västmanlands län · kommungrupp B5 … · 23 000 invånare (2023, källa: SCB via Kolada)"."""
    parts = [
        p
        for p in (facts.county_name, facts.kommungrupp and f"kommungrupp {facts.kommungrupp}")
        if p
    ]
    if facts.population is not None:
        parts.append(
            f"{num(facts.population)} invånare ({facts.population_year}, källa: SCB via Kolada)"
        )
    return " · ".join(parts)


def total_delta(facts: SummaryFacts) -> str | None:
    """The total against the mean, for st.metric (which reads a leading "-")."""
    diff = _minus(facts.total, facts.mean_total)
    return None if diff is None else f"{signed(diff, minus='-')} mot medel"


def previous_label(facts: SummaryFacts) -> str:
    return f"Förra utvärderingen ({facts.previous_year})"


def previous_delta(facts: SummaryFacts) -> str | None:
    change = facts.total_change
    return None if change is None else f"{signed(change, minus='-')} sedan dess"


def table_note(facts: SummaryFacts, neighbours: NeighbourMean | None) -> str:
    """Where the table's columns come from (raw text: escape it for Markdown)."""
    parts = []
    if facts.mean_label:
        parts.append(f"Medel: {facts.mean_source or facts.mean_label}")
    if neighbours is not None:
        parts.append(
            "Grannarnas medel: senaste utvärderingen med samma ramverk för "
            + ", ".join(neighbours.names)
            + "."
        )
    if facts.previous_year and not facts.previous_comparable:
        parts.append(
            f"Förra utvärderingen ({facts.previous_year}) använde det andra ramverket; "
            "områdena kan inte jämföras rakt av."
        )
    return " ".join(p if p.endswith(".") else p + "." for p in parts)


def findings_label(area: int, name: str, score: float) -> str:
    """An area's findings expander: "1 Samspel … – 66 poäng" (raw text)."""
    return f"{area} {name} – {num(score)} poäng"


def discrepancy_table(disc: pd.DataFrame) -> pd.DataFrame:
    """`queries.discrepancies` with Swedish headers and formatted numbers."""
    return pd.DataFrame(
        {
            "Område": disc.area.map(lambda a: "Totalt" if pd.isna(a) else str(int(a))),
            "Vad": disc.kind.map(DISCREPANCY),
            "Angivet": disc.stated.map(num),
            "Använt": disc.chosen.map(num),
            "Rad i rapporten": disc.line.map(lambda v: "–" if pd.isna(v) else str(int(v))),
        }
    )


def discrepancies_label(n: int) -> str:
    return "Motsägelser i rapporten" + (f" ({num(n)})" if n else " (inga)")


def _range_words(facts: SummaryFacts) -> str:
    low = min(facts.areas, key=lambda a: a.score)
    high = max(facts.areas, key=lambda a: a.score)
    return f"från {num(low.score)} ({low.name}) till {num(high.score)} ({high.name})"


def radar_alt(facts: SummaryFacts, with_mean: bool, with_previous: bool) -> str:
    """The radar chart in one sentence (its text alternative)."""
    beside = [
        w for w, on in (("medelvärdet", with_mean), (str(facts.previous_year), with_previous)) if on
    ]
    also = f", jämfört med {' och '.join(beside)}" if beside else ""
    return (
        f"Spindeldiagram: {heading(facts)}, poäng i de åtta områdena "
        f"{_range_words(facts)}{also}; ekrarnas nummer är områdenas nummer i tabellen."
    )


def bars_alt(facts: SummaryFacts) -> str:
    """The bar chart in one sentence (its text alternative)."""
    against = ""
    if facts.mean_label and facts.areas and facts.areas[0].mean is not None:
        n_above = len(facts.above_mean)
        against = f"; {num(n_above)} av 8 områden över medelvärdet"
    return f"Stapeldiagram: poäng per område {_range_words(facts)}{against}."


def subareas_alt(facts: SummaryFacts, n: int) -> str:
    """The sub-area chart in one sentence (its text alternative)."""
    return f"Stapeldiagram: {num(n)} delområden i {heading(facts)}, i procent av maxpoängen."


# --- an evaluation the source gives only in part (issue 11) -----------------------------


@dataclass(frozen=True)
class PartialView:
    """What Kommunprofil shows for a result without all eight area scores.

    notice: which areas the source does not give; total/total_help: the headline
    figure; table: Område, Poäng ("uppgift saknas" where missing), the mean and
    the difference where chosen, and the total; figure: bars of the given areas
    only (None when the source gives no area), alt its text alternative.
    All text raw: the page makes it inert.
    """

    notice: str
    print_notice: str  # the same for the print page, which has the table and no chart
    total: str
    total_help: str | None
    table: pd.DataFrame
    figure: go.Figure | None
    alt: str


def partial_view(
    facts: SummaryFacts,
    scores: list[float | None],
    names: list[str],
    mean: Any = None,
    total_computed: Any = False,
) -> PartialView:
    """`PartialView` of `facts` (its `areas` empty: fewer than eight scores).

    scores: the eight scores, None where missing (`partial.area_values` of
    `queries.scores_wide`); names: `queries.area_names`; mean: a row of
    `means.named_means` (scores, total, legend) or None.
    """
    mean_scores: list[float | None] = [None] * 8 if mean is None else list(mean.scores)
    given = partial.given_areas(scores)
    figure = None
    if given:
        figure = charts.area_bars_figure(
            [float(v) for v in scores if v is not None and not pd.isna(v)],  # = `given`
            [names[a - 1] for a in given],
            charts.BASE_STYLE.color,
            heading(facts),
            None if mean is None else [mean_scores[a - 1] for a in given],
            MEAN_LEGEND if mean is None else str(mean.legend),
            numbers=given,
        )
    return PartialView(
        notice=partial.missing_text(scores, names),
        print_notice=partial.missing_text(scores, names, page=False),
        total=partial.total_text(facts.total),
        total_help=partial.total_help(total_computed),
        table=partial_table(facts, scores, names, mean_scores if mean is not None else None),
        figure=figure,
        alt=partial_bars_alt(facts, given, names),
    )


def partial_table(
    facts: SummaryFacts,
    scores: list[float | None],
    names: list[str],
    mean: list[float | None] | None,
) -> pd.DataFrame:
    """One row per area and the total (the index): the score or "uppgift saknas", the mean,
    the difference."""
    labels = [f"{a} {n}" for a, n in enumerate(names, start=1)] + ["Totalt (av 800)"]
    values: list[float | None] = [*scores, facts.total]
    table = pd.DataFrame({"Område": labels, SCORE: [partial.cell(v) for v in values]})
    if mean is not None:
        means_all: list[float | None] = [*mean, facts.mean_total]
        table[MEAN] = [num(m) for m in means_all]
        table[VS_MEAN] = [
            signed(None if v is None or m is None else round(v - m, 1))
            for v, m in zip(values, means_all, strict=True)
        ]
    return table.set_index(AREA)


def partial_bars_alt(facts: SummaryFacts, given: list[int], names: list[str]) -> str:
    """The given areas' bar chart in one sentence."""
    if not given:
        return ""
    shown = partial.area_span(given)
    word = "område" if len(given) == 1 else "områdena"
    return (
        f"Stapeldiagram: {heading(facts)}, poäng för {word} {shown}; källan anger inte "
        "de övriga områdena, så de saknas i diagrammet."
    )

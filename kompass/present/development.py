"""The Utveckling page's Swedish: headings, labels, notes and the fallback texts.

The page (pages/utveckling.py) lays out widgets and the dumbbell chart; every
word it shows comes from here or from `strings`. Names from the database are
passed in already made inert where a sentence mixes them with our words.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from kompass.present import partial
from kompass.present.strings import (
    COMPUTED_TOTAL,
    MISSING_VALUE,
    PUBLISHED,
    genitive,
    join_words,
    num,
)

TITLE = "Utveckling över tid"
EMPTY_WHAT = "utvecklingen över tid"
FROM_LABEL = "Från"
TO_LABEL = "Till"
MEAN_LABEL = "Medelvärde (av 800)"
MEAN_LEGEND = "Medel"  # the bars' legend when no mean is chosen
AREA = "Område"  # the change table's first column (`tables.change_table`)
REVISION_WARNING = (
    "Kommunkompassen reviderades 2019/2020 mellan de två utvärderingarna; rapporten säger "
    "själv att resultaten inte är fullt jämförbara. Se förändringen som en riktning, "
    "inte en exakt mätning."
)


def totals_only_caption(rows: pd.DataFrame | Iterable[tuple[int, float, str]]) -> str:
    """The evaluations without all eight area scores, from `queries.evaluations` rows.

    Each says what the source gives: "2014 (450 av 800, publicerat resultat)", or
    "2016 (område 1 och 3; totalpoäng: uppgift saknas, importerat resultat)".
    Old callers pass (year, total, origin) tuples.
    """
    if not isinstance(rows, pd.DataFrame):
        rows = pd.DataFrame(list(rows), columns=["year", "total", "origin"])
    frame = rows.reindex(columns=["year", "total", "origin", "published", "n_areas"])
    listed = []
    for r in frame.itertuples(index=False):
        what = f"{num(r.total)} av 800" if pd.notna(r.total) else f"totalpoäng: {MISSING_VALUE}"
        if pd.notna(r.n_areas) and int(r.n_areas) > 0:
            what = f"poäng för {int(r.n_areas)} av 8 områden; {what}"
        listed.append(f"{int(r.year)} ({what}, {partial.origin_text(str(r.origin), r.published)})")
    return f"Utan alla åtta områden (visas inte i diagrammet per område): {join_words(listed)}."


def too_few_text(name: str, n_evaluations: int) -> str:
    """Why there is nothing to draw; `name` must be inert already."""
    count = "ingen utvärdering" if n_evaluations == 0 else "bara en utvärdering"
    return (
        f"{name} har {count} med poäng per område i databasen. Här visas "
        "förändringen per område mellan två utvärderingar av samma kommun, jämfört med medelvärdet."
    )


def nearest_intro(n_multi: int) -> str:
    if n_multi == 1:
        return "Den enda kommunen med två eller fler utvärderingar:"
    return f"De närmaste av {num(n_multi)} kommuner med två eller fler utvärderingar:"


def total_label(year: int) -> str:
    return f"Total {year}"


def series_names(name: str, first: int, second: int) -> tuple[str, str]:
    """The dumbbell's two ends: "Sala 2019", "Sala 2023" (name raw)."""
    return f"{name} {first}", f"{name} {second}"


def first_year_source(evaluators: str, first: int) -> str:
    """The earlier evaluation's evaluators sentence with its year before the source."""
    return evaluators.replace("Källa", f"{first}, källa")


# --- totals over time (issue 11: published and total-only results count) -------------

TOTALS_HEADING = "Totalpoäng över tid"
TOTALS_NOTE = (
    "Varje utvärdering med en totalpoäng, också de som bara är kända genom sin total; "
    "ramverket reviderades 2019/2020, så totalerna före och efter är inte fullt jämförbara."
)


def totals_points(evals: pd.DataFrame, code: str) -> pd.DataFrame:
    """`code`'s evaluations with a total, for `charts.totals_over_time_figure`.

    Columns year, total, marked (a published result), source (raw text: where the
    total comes from, a published result's URL; "summa av områdena" where computed),
    file_name and published (for the source note).
    """
    mine = evals[(evals.code == code) & evals.total.notna()].sort_values("year")
    rows = mine.reindex(
        columns=[
            "year",
            "total",
            "origin",
            "published",
            "source_note",
            "total_computed",
            "file_name",
        ]
    )
    sources = partial.result_sources(rows, f"; total: {COMPUTED_TOTAL}")
    return pd.DataFrame(
        {
            "year": rows.year.astype(int).to_list(),
            "total": rows.total.astype(float).to_list(),
            "marked": rows.published.map(partial.flag).to_list(),
            "source": sources,
            "file_name": rows.file_name.to_list(),
            "published": rows.published.map(partial.flag).to_list(),
        }
    )


def totals_alt(name: str, points: pd.DataFrame) -> str:
    """The totals-over-time chart in one sentence (`name` raw)."""
    listed = [f"{int(y)}: {num(t)}" for y, t in zip(points.year, points.total, strict=True)]
    n_published = int(points.marked.sum())
    marked = f"; {num(n_published)} av dem {PUBLISHED} (öppen romb)" if n_published else ""
    return (
        f"Linjediagram: {genitive(name)} totalpoäng (av 800) per år, {join_words(listed)}{marked}."
    )

"""The Utveckling page's Swedish: headings, labels, notes and the fallback texts.

The page (pages/utveckling.py) lays out widgets and the dumbbell chart; every
word it shows comes from here or from `strings`. Names from the database are
passed in already made inert where a sentence mixes them with our words.
"""

from __future__ import annotations

from collections.abc import Iterable

from kompass.present.strings import ORIGIN, join_words, num

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


def totals_only_caption(rows: Iterable[tuple[int, float, str]]) -> str:
    """The evaluations known by their total only, from (year, total, origin) rows."""
    listed = [f"{y} ({num(t)} av 800, {ORIGIN[o]})" for y, t, o in rows]
    return f"Med bara totalpoäng (visas inte i diagrammet): {join_words(listed)}."


def too_few_text(name: str, n_evaluations: int) -> str:
    """Why there is nothing to draw; `name` must be inert already."""
    count = "ingen utvärdering" if n_evaluations == 0 else "bara en utvärdering"
    return (
        f"{name} har {count} med poäng per område i databasen. Här visas "
        "förändringen per område mellan två utvärderingar av samma kommun, jämfört med medelvärdet."
    )


def nearest_intro(n_multi: int) -> str:
    return f"De närmaste av {num(n_multi)} kommuner med två eller fler utvärderingar:"


def total_label(year: int) -> str:
    return f"Total {year}"


def series_names(name: str, first: int, second: int) -> tuple[str, str]:
    """The dumbbell's two ends: "Sala 2019", "Sala 2023" (name raw)."""
    return f"{name} {first}", f"{name} {second}"


def first_year_source(evaluators: str, first: int) -> str:
    """The earlier evaluation's evaluators sentence with its year before the source."""
    return evaluators.replace("Källa", f"{first}, källa")

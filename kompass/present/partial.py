"""Results known only in part, and published results, in Swedish (issue 11).

An import or a published result may give any subset of the eight areas and
the total (`queries.evaluations`: n_areas, total NULL when neither a total nor
all eight areas are given; total_computed when the total is the eight areas'
sum; published for a result from data/published). The pages show what the
source gives and say what it does not: a missing area is "uppgift saknas" in a
table and is never drawn (no radar with holes drawn as zeros; bars of the
given areas only), a total-only result shows its total. Published results are
marked "publicerat resultat" with their source, shown as text.

Everything returned here is raw text: the pages make it inert (`ui.common.plain`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

from kompass.present.strings import (
    COMPUTED_TOTAL,
    MISSING_VALUE,
    ORIGIN,
    PUBLISHED,
    PUBLISHED_SOURCES,
    join_words,
    num,
)
from kompass.queries import AREAS

# A source URL in a hover or a narrow cell: enough to recognise the site and page.
SOURCE_CHARS = 70


def _present(value: Any) -> bool:
    return value is not None and not pd.isna(value)


def flag(value: Any) -> bool:
    """A boolean column's value (published, total_computed); NULL/NA counts as false."""
    return bool(value) if _present(value) else False


def area_values(wide: pd.DataFrame, evaluation_id: int) -> list[float | None]:
    """One evaluation's eight scores (`queries.scores_wide`), None where the source gives none."""
    if evaluation_id not in wide.index:
        return [None] * len(AREAS)
    row = wide.loc[evaluation_id]
    return [float(row[a]) if a in row.index and _present(row[a]) else None for a in AREAS]


def given_areas(scores: Sequence[float | None]) -> list[int]:
    """The area numbers (1–8) that have a score."""
    return [a for a, v in zip(AREAS, scores, strict=False) if _present(v)]


def missing_areas(scores: Sequence[float | None]) -> list[int]:
    """The area numbers (1–8) the source does not give."""
    given = set(given_areas(scores))
    return [a for a in AREAS if a not in given]


def area_span(areas: Sequence[int], prefix: str = "") -> str:
    """ "1, 3 och 5–8": area numbers with runs of three or more joined by a dash
    ("O1, O3 och O5–O8" with prefix "O")."""
    runs: list[list[int]] = []
    for a in sorted(areas):
        if runs and a == runs[-1][-1] + 1:
            runs[-1].append(a)
        else:
            runs.append([a])
    parts = []
    for run in runs:
        if len(run) >= 3:
            parts.append(f"{prefix}{run[0]}–{prefix}{run[-1]}")
        else:
            parts.extend(f"{prefix}{a}" for a in run)
    return join_words(parts)


def cell(value: float | None) -> str:
    """A score in a table: Swedish number, or "uppgift saknas" where the source gives none."""
    return num(value) if _present(value) else MISSING_VALUE


def missing_text(scores: Sequence[float | None], names: Sequence[str], page: bool = True) -> str:
    """Which areas the source does not give, for the note above a partial result; with
    `page` False, for the print page (a table only, no chart to explain)."""
    missing = missing_areas(scores)
    if not missing:
        return ""
    if len(missing) == len(AREAS):
        if not page:
            return "Källan anger bara totalpoängen, inga poäng per område."
        return (
            "Källan anger bara totalpoängen, inga poäng per område, så här finns inget "
            "spindeldiagram och inga staplar per område."
        )
    named = join_words([f"{a} {names[a - 1]}" for a in missing])
    word = "område" if len(missing) == 1 else "områdena"
    text = f"Källan anger inte poängen för {word} {named}. De står som ”{MISSING_VALUE}” i tabellen"
    if not page:
        return text + "."
    return (
        text + " och ritas inte; ett spindeldiagram behöver alla åtta områden, så här "
        "visas staplar för de områden som finns."
    )


def origin_text(origin: str, published: Any) -> str:
    """ "publicerat resultat" for a published result, else the origin in words."""
    return PUBLISHED if flag(published) else ORIGIN.get(origin, origin)


def source_of(origin: str, published: Any, source_note: Any) -> str:
    """Where one result comes from, for a table cell or a hover (raw text).

    "publicerat resultat: https://…" (the URL shortened), else the origin in words.
    """
    words = origin_text(origin, published)
    if flag(published) and isinstance(source_note, str) and source_note.strip():
        return f"{words}: {shorten_source(source_note)}"
    return words


def result_sources(frame: pd.DataFrame, computed: str) -> list[str]:
    """`source_of` for every row of an evaluations frame (origin, published, source_note,
    total_computed), with `computed` appended where the total is the areas' sum."""
    rows = frame.reindex(columns=["origin", "published", "source_note", "total_computed"])
    return [
        source_of(str(r.origin), r.published, r.source_note)
        + (computed if flag(r.total_computed) else "")
        for r in rows.itertuples(index=False)
    ]


def shorten_source(source: str) -> str:
    """A source URL or text on one line, cut to SOURCE_CHARS characters with "…"."""
    one_line = " ".join(source.split())
    if len(one_line) <= SOURCE_CHARS:
        return one_line
    return one_line[: SOURCE_CHARS - 1].rstrip() + "…"


def total_text(total: Any) -> str:
    """A headline total: "506", or "uppgift saknas"."""
    return num(float(total)) if _present(total) else MISSING_VALUE


def total_help(total_computed: Any) -> str | None:
    """The total's help text when it is computed (the source states no total), else None."""
    if not flag(total_computed):
        return None
    return f"Totalen är {COMPUTED_TOTAL}: källan anger alla åtta områden men ingen total."


def published_caption(published: Any) -> str:
    """A line under a published result's heading: what it is (the source is in the line
    above it, `ui.common.evaluators_sentence`); "" for any other result."""
    if not flag(published):
        return ""
    return (
        f"Detta är ett {PUBLISHED}: siffrorna är citerade som källan anger dem "
        "(kommunens webbplats eller ett pressmeddelande), inte lästa ur en utvärderingsrapport."
    )


def report_files(frame: pd.DataFrame) -> list[str]:
    """The file names of the rows that are not published results (for `source_caption`)."""
    if "published" not in frame.columns:
        return [f for f in frame.file_name if isinstance(f, str)]
    keep = ~frame.published.map(flag)
    return [f for f in frame.file_name[keep] if isinstance(f, str)]


def any_published(frame: pd.DataFrame) -> bool:
    """Whether any row of `frame` (with a `published` column) is a published result."""
    return "published" in frame.columns and bool(frame.published.map(flag).any())


def with_published(frame: pd.DataFrame, extra: str = "") -> str:
    """A source note's extra text, naming the published results when `frame` shows any."""
    if not any_published(frame):
        return extra
    note = f"Även {PUBLISHED_SOURCES}; källan för varje resultat står vid det."
    return f"{note} {extra}".strip()


def computed_note(frame: pd.DataFrame) -> str:
    """A footnote naming the results whose total is the sum of their areas ("" if none)."""
    if "total_computed" not in frame.columns:
        return ""
    rows = frame[frame.total_computed.map(flag)]
    if rows.empty:
        return ""
    named = join_words([f"{r.name} {int(r.year)}" for r in rows.itertuples(index=False)])
    return f"Totalen för {named} är {COMPUTED_TOTAL} (källan anger ingen total)."

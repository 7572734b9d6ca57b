"""Display tables: query results with Swedish headers, and as Swedish text.

The numbers come from `kompass.queries` (English column names); the Swedish
headers and labels the pages show are built here.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from kompass.present.strings import num, rank_text, signed
from kompass.queries import AREAS, REFERENCE_KIND


def formatted(table: pd.DataFrame) -> pd.DataFrame:
    """Numbers as Swedish text for static tables: "42,2"; differences with a sign."""
    out = table.copy()
    for col in out.columns:
        if pd.api.types.is_numeric_dtype(out[col]) or out[col].dtype == object:
            is_diff = col.startswith(("Skillnad", "Förändring", "Gap"))
            if pd.api.types.is_numeric_dtype(out[col]) or all(
                isinstance(v, (int, float)) or v is None for v in out[col]
            ):
                out[col] = [signed(v) if is_diff else num(v) for v in out[col]]
    return out


def _area_labels(names: list[str]) -> list[str]:
    """ "1 Medborgarnas perspektiv" … from `queries.area_names`."""
    return [f"{i} {n}" for i, n in enumerate(names, 1)]


def _minus(a: Sequence[float], b: Sequence[float | None]) -> list[float | None]:
    return [None if y is None else round(x - y, 1) for x, y in zip(a, b, strict=True)]


def area_table(
    names: list[str],
    values: list[float],
    mean: list[float | None] | None,
    previous: list[float] | None,
) -> pd.DataFrame:
    """Per-area table shown beside the charts (numbers, not formatted text).

    `values` and `previous` are area scores (`queries.scores_wide`), `mean` a
    row's scores from `queries.mean_options`.
    """
    table = pd.DataFrame({"Område": _area_labels(names), "Poäng": values})
    if mean is not None:
        table["Medel"] = mean
        table["Skillnad mot medel"] = _minus(values, mean)
    if previous is not None:
        table["Förra utvärderingen"] = previous
        table["Förändring"] = _minus(values, previous)
    return table


def change_table(
    before: list[float], after: list[float], names: list[str], mean: list[float | None] | None
) -> pd.DataFrame:
    """Year-over-year per area: before, after, change, and the gap to the mean before/after.

    Scores from `queries.scores_wide`, the mean from `queries.mean_options`.
    """
    table = pd.DataFrame(
        {
            "Område": _area_labels(names),
            "Före": before,
            "Efter": after,
            "Förändring": _minus(after, before),
        }
    )
    if mean is not None:
        table["Medel"] = mean
        table["Gap mot medel före"] = _minus(before, mean)
        table["Gap mot medel efter"] = _minus(after, mean)
    return table


def difference_table(wide: pd.DataFrame, names: list[str]) -> pd.DataFrame:
    """Base (first row of `wide`) minus each other row, per area and in total.

    `wide` has one row per "Kommun år" label and area columns 1..8
    (`queries.comparable_scores` pivoted by the page).
    """
    base = wide.iloc[0]
    out = pd.DataFrame(index=[*_area_labels(names), "Totalt"])
    for label in wide.index[1:]:
        diff = [round(float(base[a] - wide.loc[label, a]), 1) for a in AREAS]
        out[f"mot {label}"] = diff + [round(sum(diff), 1)]
    out.index.name = "Område"
    return out


def ranking_table(ranked: pd.DataFrame, wide: pd.DataFrame) -> pd.DataFrame:
    """The ranking as shown: Swedish column names, area scores O1–O8, profile links.

    `ranked` is `queries.ranking`, `wide` is `queries.scores_wide` of its evaluations.
    """
    table = pd.DataFrame(
        {
            "Placering": ranking_texts(ranked),
            "Kommun": ranked.name.values,
            "År": ranked.year.values,
            "Ramverk": (ranked.framework + "-serien").values,
            "Total": ranked.total.values,
        }
    )
    for a in AREAS:
        table[f"O{a}"] = [wide.loc[i, a] if i in wide.index else None for i in ranked.evaluation_id]
    table["Profil"] = [
        f"/profil?kommun={c}&ar={y}" for c, y in zip(ranked.code, ranked.year, strict=True)
    ]
    return table


def ranking_texts(ranked: pd.DataFrame) -> list[str]:
    """ "3:e av 4 inom 2020-ramverket, per 2023" for each row of `queries.ranking`."""
    return [
        rank_text(r, n, fw, y)
        for r, n, fw, y in zip(
            ranked["rank"], ranked.n_ranked, ranked.framework, ranked.as_of, strict=True
        )
    ]


def mean_labels(options: pd.DataFrame) -> pd.DataFrame:
    """`queries.mean_options` with the Swedish `label` and `source` of each mean."""
    out = options.copy()
    out["label"] = [mean_label(row) for _, row in options.iterrows()]
    out["source"] = [mean_source(row) for _, row in options.iterrows()]
    return out


def mean_label(mean: pd.Series) -> str:
    """A mean's name with its source file or n (one row of `queries.mean_options`)."""
    if mean.kind != REFERENCE_KIND:
        return f"Medel av utvärderingar i databasen (n = {int(mean.n)})"
    n_text = f", n = {int(mean.n)}" if pd.notna(mean.n) else ""
    return f"{mean.series_label} (enligt {mean.file_name}{n_text})"


def mean_source(mean: pd.Series) -> str:
    """Where a mean comes from: the report line, the import's source or our own average."""
    if mean.kind != REFERENCE_KIND:
        return f"egen beräkning över {int(mean.n)} utvärderingar ({mean.framework}-ramverket)"
    line = f", rad {int(mean.line)}" if pd.notna(mean.line) else ""
    if mean.format == "csv":
        note = mean.source_note if pd.notna(mean.source_note) and mean.source_note else None
        return f"{note or 'källa ej angiven'} (importerad från {mean.file_name}{line})"
    return f"anges i rapporten {mean.file_name}{line}"

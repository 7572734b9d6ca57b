"""Display tables: query results with Swedish headers, and as Swedish text.

The numbers come from `kompass.queries` (English column names); the Swedish
headers and labels the pages show are built here.
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Sequence

import pandas as pd
from pandas.io.formats.style import Styler

from kompass.present import means, partial
from kompass.present.strings import COMPUTED_TOTAL, MISSING_VALUE, num, rank_text, signed
from kompass.queries import AREAS

# Columns that hold years or codes: shown as they are ("2023", "1981"), never as counts.
AS_IS = ("År", "Kod", "Kommunkod", "Rad", "Ramverk")
# The same in the tidy tables' column names (Data page, downloads): years, codes, lines.
AS_IS_TIDY = {"ar", "folkmangd_ar", "kommunkod", "lanskod", "kod", "rad", "ramverk", "manad"}
# Columns whose numbers are differences: shown with a sign ("+2,8", "−5", "±0").
SIGNED = ("Skillnad", "Förändring", "Avstånd")


def formatted(table: pd.DataFrame, keep: Sequence[str] = (), missing: str = "") -> pd.DataFrame:
    """Every number as Swedish text: "42,2", "1\u00a0234", "+2,8"; years and codes as they are.

    For st.table and st.dataframe alike, so no grid shows "595.0" or "18340" (the
    grid's screen-reader copy reads the cell values, so text is what it reads too).
    Columns in `keep` stay numbers, e.g. for a ProgressColumn (give it format "%.0f").
    A missing value reads `missing` ("–" unless given; the Data page's stored tables
    say `strings.MISSING_VALUE`, "uppgift saknas", issue 11).
    """
    empty = missing or MISSING
    out = table.copy()
    for col in out.columns:
        if col not in keep and _numeric(out[col]):
            out[col] = [empty if _missing(v) else _text(col, v) for v in out[col]]
        elif out[col].dtype == object:
            # A grid shows a missing text as "None": Swedish readers get "–".
            out[col] = [empty if _missing(v) else v for v in out[col]]
    return out


MISSING = "–"


def whole(table: pd.DataFrame, columns: Sequence[str]) -> pd.DataFrame:
    """`columns` rounded to whole numbers, for progress bars that show no decimals:
    the grid's text copy (what a screen reader reads) then says "42", not "42.2"."""
    out = table.copy()
    for col in columns:
        out[col] = pd.to_numeric(out[col]).round().astype("Int64")
    return out


def _missing(value: object) -> bool:
    """None, NaN, pd.NA or NaT: nullable integer columns hold pd.NA."""
    return (
        value is None
        or value is pd.NA
        or value is pd.NaT
        or (isinstance(value, float) and math.isnan(value))
    )


def grid(table: pd.DataFrame) -> Styler:
    """`table` for st.dataframe with the numbers kept (they sort as numbers), shown Swedish.

    The canvas shows the Swedish text, but the grid's screen-reader copy reads the raw
    values ("458.9"), and a column_config `format` or a ProgressColumn ignores it: prefer
    `formatted` unless numeric sorting matters.
    """
    numeric = [c for c in table.columns if _numeric(table[c])]
    return table.style.format({c: (lambda v, c=c: _text(c, v)) for c in numeric})


def _numeric(column: pd.Series) -> bool:
    if pd.api.types.is_bool_dtype(column):
        return False
    if pd.api.types.is_numeric_dtype(column):
        return True
    return column.dtype == object and all(
        v is None or (isinstance(v, int | float) and not isinstance(v, bool)) for v in column
    )


def _text(column: object, value: object) -> str:
    """One cell: a year or code as it is, a difference signed, a count or score by `num`."""
    if _missing(value):
        return MISSING
    name = str(column)
    number = float(value)  # type: ignore[arg-type]
    if (name.startswith(AS_IS) or name in AS_IS_TIDY) and number.is_integer():
        return str(int(number))
    return signed(number) if name.startswith(SIGNED) else num(number)


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
    """Year-over-year per area: before, after, change, and the distance to the mean.

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
        table["Avstånd till medel före"] = _minus(before, mean)
        table["Avstånd till medel efter"] = _minus(after, mean)
    return table


def difference_table(
    wide: pd.DataFrame, names: list[str], mean: Sequence[float | None] | None = None
) -> pd.DataFrame:
    """Base (first row of `wide`) minus each other row and minus the mean, per area and in total.

    `wide` has one row per "Kommun år" label and area columns 1..8
    (`queries.comparable_scores` pivoted by the page); `mean` is a mean's eight
    scores (`queries.mean_options`, None where missing: no difference, no total).
    """
    base = wide.iloc[0]
    out = pd.DataFrame(index=[*_area_labels(names), "Totalt"])
    for label in wide.index[1:]:
        diff = [round(float(base[a] - wide.loc[label, a]), 1) for a in AREAS]
        out[f"mot {label}"] = diff + [round(sum(diff), 1)]
    if mean is not None:
        to_mean = _minus([float(base[a]) for a in AREAS], [_number(m) for m in mean])
        total = None if None in to_mean else round(sum(d for d in to_mean if d is not None), 1)
        out["mot medelvärdet"] = [*to_mean, total]
    out.index.name = "Område"
    return out


def _number(value: float | None) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


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
    table[SOURCE] = ranking_sources(ranked)
    table[MISSING_AREAS] = [
        missing_areas_text(partial.area_values(wide, int(i))) for i in ranked.evaluation_id
    ]
    return table


SOURCE = "Källa"  # ranking_table: where each result comes from
MISSING_AREAS = "Saknas"  # ranking_table: the areas a partial result does not give


def ranking_sources(ranked: pd.DataFrame) -> list[str]:
    """Per row of `queries.ranking`: "utvärderingsrapport", or "publicerat resultat: URL"
    (the URL as text), with "total: summa av områdena" where the total is computed."""
    return partial.result_sources(ranked, f" (total: {COMPUTED_TOTAL})")


def missing_areas_text(scores: Sequence[float | None]) -> str:
    """ "uppgift saknas: O2–O8" for a result without some area scores, else ""."""
    missing = partial.missing_areas(scores)
    if not missing:
        return ""
    return f"{MISSING_VALUE}: {partial.area_span(missing, prefix='O')}"


def ranking_texts(ranked: pd.DataFrame) -> list[str]:
    """ "3:e av 4 inom 2020-ramverket, per 2023" for each row of `queries.ranking`."""
    return [
        rank_text(r, n, fw, y)
        for r, n, fw, y in zip(
            ranked["rank"], ranked.n_ranked, ranked.framework, ranked.as_of, strict=True
        )
    ]


def mean_labels(options: pd.DataFrame) -> pd.DataFrame:
    """Old name of `means.named_means` (label, source, verdict, n); kept for present.printout."""
    return means.named_means(options)


def mean_label(mean: pd.Series) -> str:
    """Old name of `means.mean_label`."""
    return means.mean_label(mean)


def mean_source(mean: pd.Series) -> str:
    """Old name of `means.mean_help`."""
    return means.mean_help(mean)


# A cell that is a number in words ("42,2", "1\u00a0234", "+2,8", "−5", "±0") or says none.
_NUMBER = re.compile(r"[+\-\u2212\u00b1]?\d[\d\u00a0 ]*(,\d+)?")
_NO_NUMBER = {"", "–", MISSING_VALUE}


def html_table(table: pd.DataFrame, label: str) -> str:
    """A table already in words as one HTML table, every text escaped.

    For the pages' static tables instead of st.table, which renders every cell
    and header as Markdown, one component each: the profile's table was 56 of
    the 80 Markdown renders before the page's first chart (BENCHMARKS.md). A named
    or labelled index heads the rows; a column of numbers is aligned right. The
    box is named and reachable by keyboard, for a table wider than a phone.
    """
    with_index = table.index.name is not None or not isinstance(table.index, pd.RangeIndex)
    aligned = [_num(_is_numeric(table[c])) for c in table.columns]
    head = [f'<th scope="col">{_escaped(table.index.name)}</th>'] if with_index else []
    columns = zip(table.columns, aligned, strict=True)
    head += [f'<th scope="col"{a}>{_escaped(c)}</th>' for c, a in columns]
    rows = [
        ([f'<th scope="row">{_escaped(label_)}</th>'] if with_index else [])
        + [f"<td{a}>{_escaped(v)}</td>" for v, a in zip(values, aligned, strict=True)]
        for label_, values in zip(table.index, table.itertuples(index=False), strict=True)
    ]
    body = "".join(f"<tr>{''.join(cells)}</tr>" for cells in rows)
    return (
        f'<div class="kompass-table" role="group" tabindex="0" aria-label="{_escaped(label)}">'
        f"<table><thead><tr>{''.join(head)}</tr></thead><tbody>{body}</tbody></table></div>"
    )


def _is_numeric(column: pd.Series) -> bool:
    texts = [str(v) for v in column]
    return any(t not in _NO_NUMBER for t in texts) and all(
        t in _NO_NUMBER or _NUMBER.fullmatch(t) for t in texts
    )


def _num(numeric: bool) -> str:
    return ' class="num"' if numeric else ""


def _escaped(value: object) -> str:
    return html.escape("" if value is None else str(value), quote=True)

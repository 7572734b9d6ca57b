"""Means in Swedish: a name by meaning first and source second, a help text, and
whether a difference against the mean may be shown as a verdict (issue 10).

The options come from `queries.mean_options`. File names and line numbers
never appear: a report is named by what it is about ("enligt rapporten för
Sala 2023").
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from kompass.present.strings import num
from kompass.queries import COMPUTED_KIND, IMPORTED_KIND, STATED_KIND

# Below this many municipalities a mean says little: it is shown only on request,
# and a difference against it is never coloured as better or worse.
MIN_MUNICIPALITIES = 10
TOO_FEW = "för få utvärderingar för ett meningsfullt medel"
PICKER_LABEL = "Jämför med medelvärde"
PICKER_HELP = (
    "Förval: SKR:s medel för ramverket om rapporterna anger ett, annars medlet av "
    f"kommunernas senaste utvärderingar här, om de är minst {MIN_MUNICIPALITIES}. "
    "Frågetecknet vid medelvärdet säger var det kommer ifrån."
)
NO_MEAN_KEY = "inget"  # the picker's option for "no mean" (`?medel=inget`)
NO_MEAN_LABEL = "Inget medelvärde"


def named_means(options: pd.DataFrame) -> pd.DataFrame:
    """`queries.mean_options` with `label`, `legend` (short, for a chart), `source` (the
    help text), `verdict` and `n`.

    `n` becomes an int or None; `verdict` says whether a difference against
    the mean may be shown as above/below (coloured).
    """
    out = options.copy()
    rows = [row for _, row in options.iterrows()]
    out["label"] = [mean_label(row) for row in rows]
    out["legend"] = [legend_name(row) for row in rows]
    out["source"] = [mean_help(row) for row in rows]
    out["verdict"] = [shows_verdict(row) for row in rows]
    out["n"] = pd.Series([_count(row.n) for row in rows], index=out.index, dtype=object)
    return out


def mean_label(option: pd.Series) -> str:
    """ "Medel för utvärderade kommuner, 2020-ramverket (SKR)" and the like."""
    framework = f"{option.framework}-ramverket"
    n = _count(option.n)
    if option.kind == COMPUTED_KIND:
        few = f"; {TOO_FEW}" if n is None or n < MIN_MUNICIPALITIES else ""
        return f"Medel för kommunerna i databasen, {framework} ({_municipalities(n)}{few})"
    if option.kind == IMPORTED_KIND:
        details = ["importerat"] + ([_municipalities(n)] if n is not None else [])
        return f"{_with_year(option)} ({', '.join(details)})"
    details = ["SKR"]
    if option.key != f"skr-{option.framework}":
        details.append(f"angivet {_years(option)}")  # an older series than the newest
    if (_count(option.n_reports) or 0) > 1:
        details.append(f"i {num(option.n_reports)} rapporter")
    if n is not None:
        details.append(_municipalities(n))
    return f"Medel för utvärderade kommuner, {framework} ({', '.join(details)})"


def legend_name(option: pd.Series) -> str:
    """A shorter name for a chart's legend, where the full label would be cut off."""
    framework = f"{option.framework}-ramverket"
    if option.kind == COMPUTED_KIND:
        n = _count(option.n)
        return f"Medel i databasen, {framework} (n = {'?' if n is None else num(n)})"
    if option.kind == IMPORTED_KIND:
        return f"{_with_year(option)} (importerat)"
    older = f", angivet {_years(option)}" if option.key != f"skr-{option.framework}" else ""
    return f"SKR:s medel, {framework}{older}"


def mean_help(option: pd.Series) -> str:
    """Where the mean comes from, in a sentence or two (for a help text or caption)."""
    framework = f"{option.framework}-ramverket"
    n = _count(option.n)
    if option.kind == COMPUTED_KIND:
        text = (
            f"Beräknat här: medel av varje kommuns senaste utvärdering i {framework} med "
            f"poäng för alla åtta områden, {_municipalities(n)}, utvärderade {_years(option)}."
        )
        if n is None or n < MIN_MUNICIPALITIES:
            text += f" {TOO_FEW.capitalize()}: skillnader mot det är ingen bedömning."
        return text
    if option.kind == IMPORTED_KIND:
        source = option.source_note if _text(option.source_note) else "källa ej angiven"
        return f"Importerat medel för {framework}; källa: {source}."
    where = _report(option)
    count = _count(option.n_reports) or 1
    stated = f'SKR:s medel för {framework} ("{option.series_label}" i sammanställningen)'
    if count == 1:
        return f"{stated}, enligt {where}."
    return (
        f"{stated}. Samma värden anges i {num(count)} rapporter ({_years(option)}), "
        f"senast enligt {where}."
    )


def shows_verdict(option: pd.Series) -> bool:
    """May a difference against this mean be shown as above/below (in colour)?

    Not for a mean over fewer than MIN_MUNICIPALITIES municipalities; a stated
    or imported mean without its n is SKR's (or the importer's) own, and counts.
    """
    n = _count(option.n)
    if option.kind == COMPUTED_KIND:
        return n is not None and n >= MIN_MUNICIPALITIES
    return n is None or n >= MIN_MUNICIPALITIES


def default_key(options: pd.DataFrame) -> str | None:
    """The mean shown unless another is asked for (`named_means` or `mean_options` rows).

    SKR's stated series of the framework (the newest) if any, else the
    computed mean over at least MIN_MUNICIPALITIES municipalities, else none.
    """
    stated = options[options.kind == STATED_KIND]
    if not stated.empty:
        return str(stated.key.iloc[0])
    computed = options[options.kind == COMPUTED_KIND]
    if not computed.empty and shows_verdict(computed.iloc[0]):
        return str(computed.key.iloc[0])
    return None


def verdict_note(mean: pd.Series) -> str | None:
    """Why a difference against this mean is shown in grey (None when it may be coloured)."""
    if shows_verdict(mean):
        return None
    return f"Ingen bedömning: {TOO_FEW} ({_municipalities(_count(mean.n))})."


def _municipalities(n: int | None) -> str:
    if n is None:
        return "antal kommuner okänt"
    return f"n = {num(n)} {'kommun' if n == 1 else 'kommuner'}"


def _with_year(option: pd.Series) -> str:
    """An imported mean's own label, with its year unless the label already has it."""
    label = str(option.series_label)
    year = _count(option.year)
    return label if year is None or str(year) in label else f"{label} {year}"


def _years(option: pd.Series) -> str:
    first, last = _count(option.first_year), _count(option.last_year)
    if first is None or last is None:
        return "okänt år"
    return str(last) if first == last else f"{first}–{last}"


def _report(option: pd.Series) -> str:
    name, year = option.report_name, _count(option.report_year)
    if not _text(name) or year is None:
        return "en rapport"
    return f"rapporten för {name} {year}"


def _count(value: Any) -> int | None:
    return None if value is None or pd.isna(value) else int(value)


def _text(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())

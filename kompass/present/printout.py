"""The one-page profile print-out and the radar image for slides (issue 4).

`summary_facts` gathers what municipalities publish about an evaluation
(total of 800, change since last time, difference to the mean per area,
strongest area and largest improvement, rank), `summary_sentences` says it
in Swedish, `summary_html` lays it out as one standalone HTML file for A4
(chart as inline SVG, no external resources) and `radar_png` draws the
radar for slides. Both charts are SVG drawn in Python (`present.svg`); the
PNG is that SVG rasterised by resvg in this process: no browser on the
server (issue 12). A chart that cannot be drawn becomes a `PrintoutError`
with a Swedish message. No Streamlit here.
"""

from __future__ import annotations

import dataclasses
import html
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pandas as pd

from kompass import queries, store
from kompass.present import charts, means, partial, svg, tables
from kompass.present.strings import (
    ORDINAL,
    ORIGIN,
    PUBLISHED,
    join_words,
    long_date,
    month_year,
    num,
    signed,
    source_caption,
)

# Differences smaller than this count as "at the mean" (scores are stated in whole points
# or one decimal).
_TIE = 0.05
POPULATION_SOURCE = "SCB via Kolada"


class PrintoutError(Exception):
    """The summary or image could not be made; the message is Swedish, for the user."""


@dataclass(frozen=True)
class AreaFact:
    """One area of the evaluation with the mean and the previous evaluation beside it."""

    area: int
    name: str
    score: float
    mean: float | None = None
    previous: float | None = None

    @property
    def diff(self) -> float | None:
        """Score minus the mean (None without a mean)."""
        return None if self.mean is None else round(self.score - self.mean, 1)

    @property
    def change(self) -> float | None:
        """Score minus the previous evaluation's (None without one)."""
        return None if self.previous is None else round(self.score - self.previous, 1)


@dataclass(frozen=True)
class SummaryFacts:
    """What a municipality publishes about one evaluation, as data.

    Sources: the evaluation and its report (`queries.evaluations`), area
    scores (`queries.scores_wide`), the chosen mean (`queries.mean_options`),
    the previous evaluation (`queries.previous_evaluation`) and the rank
    among the latest evaluations in the store (`queries.ranking`).
    """

    code: str
    name: str
    year: int
    month: int | None
    framework: str
    total: float | None
    file_name: str
    origin: str = "report"
    # A result quoted from a municipality's page or a press release (data/published).
    published: bool = False
    source_note: str | None = None  # an import's `kalla`; a published result's URL
    county_name: str | None = None
    kommungrupp: str | None = None
    population: int | None = None
    population_year: int | None = None
    evaluators: list[str] = field(default_factory=list)
    evaluation_number: int | None = None
    # Empty when only the total is known (imported results).
    areas: list[AreaFact] = field(default_factory=list)
    mean_label: str | None = None
    mean_legend: str | None = None  # the short name for chart legends
    mean_source: str | None = None
    mean_total: float | None = None
    # False for a mean over too few municipalities: differences are told, never judged.
    mean_verdict: bool = True
    mean_note: str | None = None
    previous_year: int | None = None
    previous_total: float | None = None
    previous_origin: str | None = None
    previous_file_name: str | None = None
    # False when the previous evaluation used the other generation of the framework.
    previous_comparable: bool = True
    rank_text: str | None = None
    latest_year: int | None = None

    @property
    def title(self) -> str:
        return f"Kommunkompassen – {self.name} {self.year}"

    @property
    def total_change(self) -> float | None:
        if self.total is None or self.previous_total is None:
            return None
        return round(self.total - self.previous_total, 1)

    @property
    def above_mean(self) -> list[int]:
        return [a.area for a in self.areas if a.diff is not None and a.diff > _TIE]

    @property
    def below_mean(self) -> list[int]:
        return [a.area for a in self.areas if a.diff is not None and a.diff < -_TIE]

    @property
    def strongest(self) -> list[AreaFact]:
        """The area(s) with the highest score; more than one on a tie."""
        if not self.areas:
            return []
        best = max(a.score for a in self.areas)
        return [a for a in self.areas if abs(a.score - best) < _TIE]

    @property
    def largest_improvement(self) -> list[AreaFact]:
        """The area(s) that improved most since last time; empty if none improved."""
        changed = [a for a in self.areas if a.change is not None]
        if not changed:
            return []
        best = max(a.change for a in changed if a.change is not None)
        if best <= _TIE:
            return []
        return [a for a in changed if a.change is not None and abs(a.change - best) < _TIE]

    @property
    def has_area_changes(self) -> bool:
        return any(a.change is not None for a in self.areas)


# ---------------------------------------------------------------------------- facts


def summary_facts(db: Path, code: str, year: int, mean_key: str | None = None) -> SummaryFacts:
    """Gather the facts of `code`'s evaluation in `year` (see SummaryFacts).

    The mean is `mean_key` from `queries.mean_options` if given, else the
    reference series stated in a report where one exists, else the mean of
    the store's own evaluations.
    """
    evals = queries.evaluations(db)
    row = _evaluation(evals, code, year)
    mean = _choose_mean(db, str(row.framework), mean_key)
    prev = queries.previous_evaluation(evals, code, year)
    comparable = prev is None or prev.framework == row.framework
    areas = _area_facts(db, row, mean, prev if comparable else None)
    latest = queries.ranking(evals)
    latest = latest[latest.code == code]
    return SummaryFacts(
        code=code,
        name=str(row["name"]),
        year=int(row.year),
        month=_int(row.month),
        framework=str(row.framework),
        total=_float(row.total),
        file_name=str(row.file_name),
        origin=str(row.origin),
        published=partial.flag(row.published),
        source_note=_str(row.source_note),
        county_name=_str(row.county_name),
        kommungrupp=_kommungrupp(row),
        population=_int(row.population),
        population_year=_int(row.population_year),
        evaluators=[str(p) for p in row.evaluators] if row.evaluators is not None else [],
        evaluation_number=_int(row.evaluation_number),
        areas=areas,
        mean_label=None if mean is None else str(mean.label),
        mean_legend=None if mean is None else str(mean.legend),
        mean_source=None if mean is None else str(mean.source),
        mean_total=None if mean is None else _float(mean.total),
        mean_verdict=mean is None or bool(mean.verdict),
        mean_note=None if mean is None else means.verdict_note(mean),
        previous_year=None if prev is None else int(prev.year),
        previous_total=None if prev is None else _float(prev.total),
        previous_origin=None if prev is None else str(prev.origin),
        previous_file_name=None if prev is None else _str(prev.file_name),
        previous_comparable=comparable,
        rank_text=_rank_text(latest, year),
        latest_year=None if latest.empty else int(latest.year.iloc[0]),
    )


def _evaluation(evals: pd.DataFrame, code: str, year: int) -> pd.Series:
    rows = evals[(evals.code == code) & (evals.year == year)]
    if rows.empty:
        raise PrintoutError(f"Det finns ingen utvärdering av kommun {code} år {year} i databasen.")
    return rows.iloc[0]


def _choose_mean(db: Path, framework: str, mean_key: str | None) -> pd.Series | None:
    """The mean `mean_key` names, else the one the pages show by default (`means.default_key`)."""
    options = means.named_means(queries.mean_options(db, framework))
    key = mean_key or means.default_key(options)
    if key is None or key == means.NO_MEAN_KEY:
        return None
    chosen = options[options.key == key]
    if chosen.empty:
        raise PrintoutError(f"Medelvärdet {key!r} finns inte för {framework}-ramverket.")
    return chosen.iloc[0]


def _area_facts(
    db: Path, row: pd.Series, mean: pd.Series | None, prev: pd.Series | None
) -> list[AreaFact]:
    values = _scores(db, row)
    if values is None:
        return []
    before = _scores(db, prev) if prev is not None else None
    means = list(mean.scores) if mean is not None else [None] * 8
    names = queries.area_names(db, str(row.framework))
    return [
        AreaFact(
            area=i,
            name=names[i - 1],
            score=values[i - 1],
            mean=_float(means[i - 1]),
            previous=None if before is None else before[i - 1],
        )
        for i in queries.AREAS
    ]


def _scores(db: Path, row: pd.Series) -> list[float] | None:
    """The eight area scores of an evaluation, or None when only its total is known."""
    if int(row.n_areas) < 8:
        return None
    wide = queries.scores_wide(db, [int(row.evaluation_id)])
    return [float(v) for v in wide.loc[row.evaluation_id]]


def _rank_text(latest: pd.DataFrame, year: int) -> str | None:
    """The rank holds for the municipality's latest evaluation only."""
    if latest.empty or int(latest.year.iloc[0]) != year:
        return None
    return tables.ranking_texts(latest)[0]


def _kommungrupp(row: pd.Series) -> str | None:
    code, name = _str(row.kommungrupp_code), _str(row.kommungrupp_name)
    return " ".join(p for p in (code, name) if p) or None


def _float(value: object) -> float | None:
    return None if value is None or pd.isna(value) else float(value)  # type: ignore[arg-type]


def _int(value: object) -> int | None:
    return None if value is None or pd.isna(value) else int(value)  # type: ignore[call-overload]


def _str(value: object) -> str | None:
    return None if value is None or pd.isna(value) else str(value)  # type: ignore[arg-type]


# ---------------------------------------------------------------------------- sentences


def summary_sentences(facts: SummaryFacts) -> list[str]:
    """The facts as Swedish sentences, in the order municipalities publish them."""
    sentences = [_total_sentence(facts)]
    for make in (_change_sentence, _improvement_sentence, _mean_sentence, _strongest_sentence):
        text = make(facts)
        if text:
            sentences.append(text)
    sentences.append(_rank_sentence(facts))
    return sentences


def _when(f: SummaryFacts) -> str:
    """ "i september 2023", or "år 2019" when the month is not known."""
    return f"i {month_year(f.month, f.year)}" if f.month else f"år {f.year}"


def _total_sentence(f: SummaryFacts) -> str:
    when = _when(f)
    if f.total is None:
        return f"{f.name} utvärderades i Kommunkompassen {when}; totalpoängen saknas."
    return f"{f.name} fick {num(f.total)} av 800 poäng i Kommunkompassen {when}."


def _change_sentence(f: SummaryFacts) -> str | None:
    if f.previous_year is None:
        return None
    if f.total_change is None:
        return f"Totalpoängen från den förra utvärderingen ({f.previous_year}) saknas."
    text = (
        f"Förändring sedan utvärderingen {f.previous_year}: {signed(f.total_change)} poäng "
        f"(från {num(f.previous_total)} till {num(f.total)})."
    )
    if not f.previous_comparable:
        text += (
            " Ramverket reviderades mellan utvärderingarna, så jämförelsen är ungefärlig "
            "och görs inte per område."
        )
    return text


def _improvement_sentence(f: SummaryFacts) -> str | None:
    if not f.has_area_changes:
        return None
    best = f.largest_improvement
    if not best:
        return f"Inget område har förbättrats sedan {f.previous_year}."
    return f"Störst förbättring inom {_tied(best, [signed(a.change) for a in best])}."


def _tied(areas: list[AreaFact], values: list[str]) -> str:
    """ "Arbetsliv (+36 poäng)", or on a tie "A (+20 poäng), delat med B (+20 poäng)"."""
    named = [f"{a.name} ({v} poäng)" for a, v in zip(areas, values, strict=True)]
    return named[0] + (f", delat med {join_words(named[1:])}" if len(named) > 1 else "")


def _mean_sentence(f: SummaryFacts) -> str | None:
    compared = [a for a in f.areas if a.diff is not None]
    if not compared or f.mean_label is None:
        return None
    if not f.mean_verdict:
        return f"Jämfört med {f.mean_label}: {f.mean_note or means.TOO_FEW}"
    above = [a for a in compared if a.area in f.above_mean]
    below = [a for a in compared if a.area in f.below_mean]
    level = [a for a in compared if a not in above and a not in below]
    parts = []
    for label, group in (
        ("över medelvärdet", above),
        ("under medelvärdet", below),
        ("i nivå med medelvärdet", level),
    ):
        if group:
            parts.append(f"{label} inom {_area_list(group, len(compared))}")
    return f"Jämfört med {f.mean_label}: " + "; ".join(parts) + "."


def _area_list(group: list[AreaFact], n_compared: int) -> str:
    if len(group) == n_compared == 8:
        return "alla åtta områden"
    return join_words([f"{a.name} ({signed(a.diff)})" for a in group])


def _strongest_sentence(f: SummaryFacts) -> str | None:
    best = f.strongest
    if not best:
        return None
    return f"Starkast område: {_tied(best, [num(a.score) for a in best])}."


def _rank_sentence(f: SummaryFacts) -> str:
    if f.rank_text is not None:
        return f"Placering: {f.rank_text} (bland utvärderingarna i databasen)."
    if f.latest_year is not None and f.latest_year != f.year:
        return f"Placering: redovisas bara för kommunens senaste utvärdering ({f.latest_year})."
    return "Placering: kan inte anges, eftersom totalpoängen saknas."


# ---------------------------------------------------------------------------- charts

# Drawn at the size it is shown at on A4 (180 mm wide at 96 px/inch), so fonts keep their size.
PAGE_CHART_SIZE = (680, 350)
PAGE_CHART_FONT = 11
KEY_HEADING = "Områden"


def radar_lines(facts: SummaryFacts, color: str) -> list[svg.Line]:
    """This evaluation (filled), the mean (dashed) and the previous evaluation (dotted).

    Styled as on Kommunprofil's radar (`charts.series_styles`): the previous
    evaluation as the first peer, the mean in grey with open markers.
    """
    if not facts.areas:
        raise PrintoutError(
            f"För {facts.name} {facts.year} finns bara totalpoängen, inte poäng per område, "
            "så något spindeldiagram kan inte ritas."
        )
    styles = charts.series_styles("base", ["previous"], with_mean=True)
    base = dataclasses.replace(styles["base"], color=color)
    lines = [_line(f"{facts.name} {facts.year}", [a.score for a in facts.areas], base, True)]
    if facts.mean_label is not None and any(a.mean is not None for a in facts.areas):
        name = charts.shorten(facts.mean_legend or facts.mean_label, charts.NAME_WIDTH)
        lines.append(_line(name, [a.mean for a in facts.areas], styles[charts.MEAN_KEY]))
    if facts.has_area_changes:
        before = [a.previous for a in facts.areas]
        name = f"{facts.name} {facts.previous_year}"
        lines.append(_line(name, before, styles["previous"]))
    return lines


def _line(
    name: str, scores: list[float | None], style: charts.Style, fill: bool = False
) -> svg.Line:
    return svg.Line(name, scores, style.color, style.dash, fill, style.symbol, style.width)


def radar_alt(facts: SummaryFacts) -> str:
    """The chart in one sentence, for screen readers."""
    label = f"Spindeldiagram: poäng per område (0–100) för {facts.name} {facts.year}"
    if facts.mean_label:
        label += f", {facts.mean_label}"
    if facts.has_area_changes:
        label += f" och {facts.name} {facts.previous_year}"
    return label


def page_svg(facts: SummaryFacts, color: str) -> str:
    """The radar for the printed page: numbered spokes, areas and legend to the right."""
    radar = svg.Radar(
        radar_lines(facts, color), [a.name for a in facts.areas], key_heading=KEY_HEADING
    )
    return svg.radar_svg(radar, *PAGE_CHART_SIZE, font=PAGE_CHART_FONT)


def slide_svg(facts: SummaryFacts, color: str, width: int = 1200, height: int = 900) -> str:
    """The radar sized for a slide: title on top, the source line at the bottom."""
    radar = svg.Radar(
        radar_lines(facts, color),
        [a.name for a in facts.areas],
        title=f"{facts.title}: poäng per område (0–100)",
        note=_source_line(facts),
        description=radar_alt(facts),
        key_heading=KEY_HEADING,
    )
    scale = min(width / 4, height / 3) / 300  # 1.0 at 1200 × 900
    return svg.radar_svg(radar, width, height, font=max(9.0, 18 * scale))


def municipality_color(db: Path, code: str) -> str:
    """The colour the pages draw the chosen municipality in (the base of every chart)."""
    return charts.BASE_STYLE.color


def radar_png(
    db: Path,
    code: str,
    year: int,
    mean_key: str | None = None,
    width: int = 1200,
    height: int = 900,
) -> bytes:
    """The radar as a PNG for slides, with its title and source line in the image."""
    with store.reading(db):  # the queries share one read-only connection
        facts = summary_facts(db, code, year, mean_key)
    return slide_png(facts, municipality_color(db, code), width, height)


def slide_png(
    facts: SummaryFacts, color: str = charts.BASE_COLOR, width: int = 1200, height: int = 900
) -> bytes:
    """`slide_svg` rasterised by resvg in this process (`svg.to_png`): no browser, well
    under a second; pass facts a page already has (`summary_facts`) to skip the queries."""
    drawing = slide_svg(facts, color, width, height)
    try:
        return svg.to_png(drawing)
    except Exception as exc:  # resvg reports its own kinds of error
        raise PrintoutError(
            f"Diagrammet kunde inte ritas som bild. Tekniskt fel: {type(exc).__name__}: {exc}"
        ) from exc


def printout_seconds(
    db: Path, code: str | None = None, year: int | None = None
) -> dict[str, float | str]:
    """Seconds for the print page and the PNG, for `kompass bench`.

    The evaluation is `code` in `year`, else the store's first with area
    scores. `first_html_s`/`first_png_s`: `summary_html` and `radar_png`, each
    with its own queries (in a fresh process: the first time, store opened and
    resvg loaded); `drawing_s`: both from facts already at hand (`page_html` +
    `slide_png`, what a page holding `summary_facts` pays); `again_*`: repeated.
    """
    if code is None or year is None:
        code, year = _first_with_areas(queries.evaluations(db))
    out: dict[str, float | str] = {"evaluation": f"{code} {year}"}

    def timed(key: str, work: Callable[[], object]) -> None:
        start = time.perf_counter()
        work()
        out[key] = round(time.perf_counter() - start, 3)

    for run in ("first", "again"):
        timed(f"{run}_html_s", lambda: summary_html(db, code, year))
        timed(f"{run}_png_s", lambda: radar_png(db, code, year))
    facts = summary_facts(db, code, year)
    timed("drawing_s", lambda: (page_html(facts), slide_png(facts)))
    return out


def _first_with_areas(evals: pd.DataFrame) -> tuple[str, int]:
    full = evals[evals.n_areas >= 8].sort_values(["code", "year"])
    if full.empty:
        raise PrintoutError("Databasen har ingen utvärdering med poäng per område.")
    return str(full.code.iloc[0]), int(full.year.iloc[0])


# ---------------------------------------------------------------------------- HTML


def summary_html(
    db: Path, code: str, year: int, mean_key: str | None = None, made: date | None = None
) -> str:
    """One standalone HTML page (A4, opens offline) summarising the evaluation.

    The radar is inline SVG drawn in Python (`page_svg`); the reader's browser
    draws it, nothing on the server does. `made` is the date printed on the page.
    """
    with store.reading(db):  # the queries share one read-only connection
        facts = summary_facts(db, code, year, mean_key)
    return page_html(facts, municipality_color(db, code), made)


def page_html(facts: SummaryFacts, color: str = charts.BASE_COLOR, made: date | None = None) -> str:
    """`summary_html` from facts a page already has (no queries; a few milliseconds)."""
    chart = page_svg(facts, color) if facts.areas else None
    return summary_page(facts, chart, made or date.today())


def escape_text(text: object) -> str:
    """Report text and names made inert for HTML: they are data, never markup."""
    return html.escape(str(text), quote=True)


def partial_page_html(
    facts: SummaryFacts, table: pd.DataFrame, notice: str, made: date | None = None
) -> str:
    """The print page of a result known in part (`facts.areas` empty): the notice of what
    the source does not give, the sentences and `table` (`profile.partial_table`: one row
    per area, "uppgift saknas" where missing, the total last). No radar: a missing area is
    never drawn."""
    return summary_page(facts, None, made or date.today(), _frame_table(table), notice)


def summary_page(
    facts: SummaryFacts,
    chart_svg: str | None,
    made: date,
    table: str | None = None,
    notice: str = "",
) -> str:
    """The page around an already drawn chart (inline SVG from `page_svg`, trusted);
    `table` (trusted HTML, `_frame_table`) replaces the full result's area table."""
    sentences = ([notice] if notice else []) + summary_sentences(facts)
    items = "\n".join(f"<li>{escape_text(s)}</li>" for s in sentences)
    chart = "" if chart_svg is None else _figure(facts, chart_svg)
    return _PAGE.format(
        title=escape_text(facts.title),
        meta=escape_text(_meta_line(facts)),
        evaluation=escape_text(_evaluation_line(facts)),
        items=items,
        chart=chart,
        table=_table(facts) if table is None else table,
        source=escape_text(_source_line(facts)),
        made=escape_text(
            f"Sammanställd {long_date(made)} med kompass (Kommunkompassen-verktyget)."
        ),
        style=_STYLE,
    )


def _figure(facts: SummaryFacts, chart_svg: str) -> str:
    label = escape_text(radar_alt(facts))
    return f'<figure class="chart" role="img" aria-label="{label}">{chart_svg}</figure>'


def _meta_line(f: SummaryFacts) -> str:
    parts = [p for p in (f.county_name, f.kommungrupp and f"kommungrupp {f.kommungrupp}") if p]
    if f.population is not None:
        parts.append(f"{num(f.population)} invånare ({f.population_year})")
    return " · ".join(parts)


def _evaluation_line(f: SummaryFacts) -> str:
    text = f"Utvärderad {_when(f)}"
    if f.evaluation_number is not None:
        n = f.evaluation_number
        text += f", kommunens {ORDINAL.get(n, f'{n}:e')} utvärdering"
    if f.evaluators:
        text += f". Utvärderare: {join_words(f.evaluators)}"
    return text + f". {f.framework}-ramverket."


def _source_line(f: SummaryFacts) -> str:
    extra = []
    if f.published:
        where = f", {f.source_note}" if f.source_note else ""
        extra.append(f"Utvärderingen {f.year}: {PUBLISHED}{where}.")
    elif f.origin != "report":
        note = f" ({f.source_note})" if f.source_note else ""
        extra.append(f"Utvärderingen {f.year}: {ORIGIN.get(f.origin, f.origin)}{note}.")
    if f.mean_label is not None:
        extra.append(f"Medelvärde: {f.mean_label}, {str(f.mean_source).rstrip('.')}.")
    if f.previous_year is not None and f.previous_origin is not None:
        origin = ORIGIN.get(f.previous_origin, f.previous_origin)
        where = f" ({f.previous_file_name})" if f.previous_file_name else ""
        extra.append(f"Utvärderingen {f.previous_year}: {origin}{where}.")
    if f.population is not None:
        extra.append(f"Befolkning: {POPULATION_SOURCE} ({f.population_year}).")
    files = [f.file_name] + ([f.previous_file_name] if f.previous_file_name else [])
    return source_caption(files, " ".join(extra))


def _table(f: SummaryFacts) -> str:
    if not f.areas:
        return ""
    prev = f.has_area_changes
    head = ["Område", f"Poäng {f.year}", "Medel", "Mot medel"]
    head += [f"Poäng {f.previous_year}", "Förändring"] if prev else []
    rows = [
        _row([f"{a.area} {a.name}", *_cells(a.score, a.mean, a.previous, prev)]) for a in f.areas
    ]
    mean_total = f.mean_total
    if mean_total is None and all(a.mean is not None for a in f.areas):
        mean_total = sum(a.mean for a in f.areas if a.mean is not None)
    rows.append(
        _row(
            ["Totalt (av 800)", *_cells(f.total, mean_total, f.previous_total, prev)],
            cls="total",
        )
    )
    header = "".join(f"<th>{escape_text(h)}</th>" for h in head)
    return (
        f'<table class="areas"><thead><tr>{header}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def _frame_table(frame: pd.DataFrame) -> str:
    """A table already in words (index: the row labels; the last row the total), escaped."""
    head = [str(frame.index.name or ""), *map(str, frame.columns)]
    rows = [_row([str(label), *map(str, values)]) for label, values in frame.iterrows()]
    if rows:
        label, values = frame.index[-1], frame.iloc[-1]
        rows[-1] = _row([str(label), *map(str, values)], cls="total")
    header = "".join(f"<th>{escape_text(h)}</th>" for h in head)
    return (
        f'<table class="areas"><thead><tr>{header}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def _cells(
    score: float | None, mean: float | None, previous: float | None, with_prev: bool
) -> list[str]:
    diff = None if score is None or mean is None else score - mean
    cells = [num(score), num(mean), signed(diff)]
    if with_prev:
        change = None if score is None or previous is None else score - previous
        cells += [num(previous), signed(change)]
    return cells


def _row(cells: list[str], cls: str = "") -> str:
    tds = "".join(f"<td>{escape_text(c)}</td>" for c in cells)
    return f'<tr class="{cls}">{tds}</tr>' if cls else f"<tr>{tds}</tr>"


_STYLE = """
@page { size: A4; margin: 15mm; }
* { box-sizing: border-box; }
html { font-family: "Source Sans Pro", Arial, "Liberation Sans", Helvetica, sans-serif;
       color: #1a1a1a; font-size: 10pt; line-height: 1.3; }
body { margin: 0; background: #fff; }
.page { max-width: 180mm; margin: 0 auto; padding: 10mm 0; }
h1 { font-size: 18pt; margin: 0 0 1mm; }
.meta, .evaluation { margin: 0; color: #444; }
h2 { font-size: 11.5pt; margin: 3.5mm 0 1.5mm; }
ul.facts { margin: 0; padding-left: 5mm; }
ul.facts li { margin: 0 0 0.8mm; }
figure.chart { margin: 0; }
figure.chart svg { width: 100%; height: auto; display: block; }
table.areas { width: 100%; border-collapse: collapse; font-size: 9.5pt; }
table.areas th, table.areas td { padding: 0.6mm 1.5mm; border-bottom: 0.2mm solid #ccc;
                                 text-align: right; white-space: nowrap; }
table.areas th:first-child, table.areas td:first-child { text-align: left; width: 99%;
                                                         white-space: normal; }
table.areas thead th { border-bottom: 0.4mm solid #333; vertical-align: bottom; }
table.areas tr.total td { font-weight: bold; border-top: 0.4mm solid #333;
                          border-bottom: none; }
footer { margin-top: 3mm; font-size: 8.5pt; color: #555; }
footer p { margin: 0 0 0.8mm; }
figure, table, footer { break-inside: avoid; }
@media print {
  .page { max-width: none; padding: 0; }
  html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
"""

_PAGE = """<!DOCTYPE html>
<html lang="sv">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>{style}</style>
</head>
<body>
<main class="page">
<header>
<h1>{title}</h1>
<p class="meta">{meta}</p>
<p class="evaluation">{evaluation}</p>
</header>
<section>
<h2>Sammanfattning</h2>
<ul class="facts">
{items}
</ul>
</section>
<section>
<h2>Poäng per område</h2>
{chart}
{table}
</section>
<footer>
<p>{source}</p>
<p>{made}</p>
</footer>
</main>
</body>
</html>
"""

"""Plotly figures from query DataFrames. No Streamlit here.

Conventions (DESIGN.md, "Charts"; issue 10): colours are chosen per chart by
`series_styles`: the base municipality always `BASE_COLOR`, peers from a short
ordered colour-blind-safe palette without yellow (every colour at least 3:1
on white), the mean dark grey dashed, peers beyond five light grey (names in
hover). Dash, marker and bar pattern vary with the colour, so colour is never
the only cue. Radar axes fixed 0–100 in area order.

One figure serves a 390 px phone and a 1280 px screen (Streamlit cannot know
the width on the server): horizontal bars carry their name above the bar,
values are drawn with `cliponaxis=False` inside reserved space, the radar can
number its spokes (names in a legend table), legends sit below the plot.

Plotly reads a subset of HTML in every string it draws (trace names, legend,
hover, tick labels, annotations: `<a href>`, `<b>`, `<br>`), and names,
labels and sub-area names come from reports and imports: every such string
goes through `text` here, so it is shown as text. Hover templates name the
trace with `%{fullData.name}` instead of splicing the name into the template.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from kompass.present.strings import num, signed

BASE_COLOR = "#0072B2"  # Okabe–Ito blue, 5.2:1 on white
# Okabe–Ito without its yellow, orange and sky blue (under 3:1 on white: invisible as
# lines), then Paul Tol's indigo and wine. Contrast on white: 3.9, 3.4, 3.1, 12.2, 8.7.
PEER_COLORS = ["#D55E00", "#009E73", "#CC79A7", "#332288", "#882255"]
PALETTE = [BASE_COLOR, *PEER_COLORS]
MEAN_COLOR = "#555555"
OTHER_COLOR = "#BBBBBB"  # peers beyond the fifth: in the background, names in hover
MEAN_KEY = "mean"  # the mean's key in `series_styles`
NAME_WIDTH = 50  # characters of a legend entry (a phone's width); captions say it all
FONT = dict(family="Source Sans Pro, Arial, sans-serif", size=13)
TEXT_COLOR = "#31333F"


@dataclass(frozen=True)
class Style:
    """How one series is drawn: colour, line dash, marker symbol, bar fill pattern."""

    color: str
    dash: str = "solid"
    symbol: str = "circle"
    pattern: str = ""
    width: float = 2.0


BASE_STYLE = Style(BASE_COLOR, "solid", "circle", "", 3.0)
MEAN_STYLE = Style(MEAN_COLOR, "dash", "circle-open", "", 2.5)
OTHER_STYLE = Style(OTHER_COLOR, "solid", "circle-open", "", 1.5)
# "dash" is the mean's alone; each peer differs from the base in dash, marker and pattern.
PEER_STYLES = [
    Style(color, dash, symbol, pattern)
    for color, dash, symbol, pattern in zip(
        PEER_COLORS,
        ["dot", "dashdot", "longdash", "longdashdot", "solid"],
        ["square", "diamond", "triangle-up", "x", "star"],
        ["/", "\\", "x", ".", "-"],
        strict=True,
    )
]


def series_styles(
    base: str | None, peers: Sequence[str], with_mean: bool = False
) -> dict[str, Style]:
    """Styles of one chart: base, peers in the given order, the mean under `MEAN_KEY`.

    Keys are municipality codes (or any series key); a key repeated in `peers`
    keeps its first style. Within one chart no two series share a colour, up
    to five peers; the rest are `OTHER_STYLE`.
    """
    styles: dict[str, Style] = {} if base is None else {base: BASE_STYLE}
    for key in peers:
        if key not in styles:
            i = len(styles) - (base is not None)
            styles[key] = PEER_STYLES[i] if i < len(PEER_STYLES) else OTHER_STYLE
    if with_mean:
        styles[MEAN_KEY] = MEAN_STYLE
    return styles


def text(value: object) -> str:
    """Stored text made inert for plotly: `<`, `>` and `&` escaped (plotly shows entities)."""
    return html.escape(str(value), quote=False)


def shorten(value: object, width: int) -> str:
    """Raw text cut to `width` characters with "…" (escape it afterwards)."""
    raw = str(value)
    return raw if len(raw) <= width else raw[: width - 1].rstrip() + "…"


def trace_name(value: object) -> str:
    """A legend entry: `text`, shortened so one long label cannot push the others away."""
    return text(shorten(value, NAME_WIDTH))


def texts(values: Iterable[object]) -> list[str]:
    """`text` of each value."""
    return [text(v) for v in values]


def short_area_labels(
    names: list[str], width: int = 22, numbers: Sequence[int] | None = None
) -> list[str]:
    """ "1 Samspel mellan…" labels that fit around a radar or under bars.

    `numbers` are the areas' numbers when `names` are not all eight in order
    (a result that gives some areas only).
    """
    numbers = list(numbers) if numbers is not None else list(range(1, len(names) + 1))
    return [f"{i} {text(shorten(name, width))}" for i, name in zip(numbers, names, strict=True)]


def wrapped_area_labels(names: list[str], width: int = 18) -> list[str]:
    """ "1 Samspel mellan<br>förtroendevalda…": two short lines for radar axes."""
    out = []
    for i, name in enumerate(names, start=1):
        words, lines, current = name.split(), [], ""
        for word in words:
            if current and len(current) + 1 + len(word) > width:
                lines.append(current)
                current = word
            else:
                current = f"{current} {word}".strip()
        lines.append(current)
        shown = "<br>".join(text(line) for line in lines[:2]) + ("…" if len(lines) > 2 else "")
        out.append(f"{i} {shown}")
    return out


def _layout(fig: go.Figure, height: int, **extra: object) -> go.Figure:
    settings: dict[str, object] = {
        "height": height,
        "margin": dict(l=40, r=40, t=40, b=40),
        "font": FONT,
        "legend": dict(orientation="h", yanchor="top", y=-0.12, xanchor="center", x=0.5),
        "separators": ", ",
    }
    fig.update_layout(**{**settings, **extra})
    return fig


# Horizontal bars with the name above each bar: y is numeric and reversed (0 at the
# top), in units of ROW_UNIT_PX pixels, so the height in pixels follows the rows and a
# name line has the same room on a phone as on a screen.
ROW_UNIT_PX = 18
NAME_BAND = 1.35  # units above a bar (or a group of bars) for its name
LEGEND_BELOW = dict(orientation="h", yanchor="top", y=-0.02, xanchor="left", x=0)


def _row_positions(n_rows: int, per_row: int = 1) -> list[float]:
    """Centre of the first bar of each row; a row holds `per_row` bars one unit apart."""
    pitch = NAME_BAND + per_row + 0.25
    return [NAME_BAND + 0.5 + i * pitch for i in range(n_rows)]


def _names_above(fig: go.Figure, names: list[str], ys: list[float], bold: int = -1) -> None:
    """Each (already escaped) name as a left-aligned line above the bar centred at y."""
    # Set once: add_annotation one at a time validates the whole list again each time
    # (0.1-1.5 s for the 45 labels of a sub-area chart).
    labels = [
        go.layout.Annotation(
            text=name,
            x=0,
            xref="paper",
            xanchor="left",
            y=y - 0.6,  # clear of a bar (0.4), a marker or the mean's stroke (0.5)
            yref="y",
            yanchor="bottom",
            showarrow=False,
            # Weight, not <b>: the only tags our figures write are <br> and <extra>.
            font=dict(size=13, color=TEXT_COLOR, weight="bold" if i == bold else "normal"),
        )
        for i, (name, y) in enumerate(zip(names, ys, strict=True))
    ]
    fig.update_layout(annotations=[*fig.layout.annotations, *labels])


def _row_layout(
    fig: go.Figure, bottom: float, x_range: list[float], ticks: list[float], title: str
) -> go.Figure:
    """Axes and size of a names-above chart: x axis on top, legend right below the plot."""
    fig.update_yaxes(range=[bottom, 0], visible=False, fixedrange=True)
    fig.update_xaxes(
        range=x_range,
        tickvals=ticks,
        side="top",
        title=dict(text=title, standoff=6),
        fixedrange=True,
        showgrid=True,
        gridcolor="#E5E5E5",
        zeroline=False,
        tickfont=dict(color=TEXT_COLOR),
        title_font=dict(color=TEXT_COLOR),
    )
    # Top: tick labels and the axis title; the legend pushes the bottom margin as it needs.
    height = 70 + int(bottom * ROW_UNIT_PX) + 20
    return _layout(
        fig,
        height,
        margin=dict(l=8, r=24, t=70, b=20),
        legend=LEGEND_BELOW,
        plot_bgcolor="white",
        bargap=0,
    )


@dataclass
class Series:
    """Eight area values to draw, with how to draw them."""

    name: str
    scores: list[float | None]
    color: str
    dash: str = "solid"
    fill: bool = False
    symbol: str = "circle"
    width: float | None = None

    @classmethod
    def styled(
        cls, name: str, scores: Sequence[float | None], style: Style, fill: bool = False
    ) -> Series:
        """A series drawn in `style` (from `series_styles`)."""
        return cls(name, list(scores), style.color, style.dash, fill, style.symbol, style.width)


def radar_figure(
    series: list[Series], area_names: list[str], height: int = 460, *, numbered: bool = False
) -> go.Figure:
    """Spider chart: axes in area order, radius fixed 0–100, polygons closed.

    numbered: spokes labelled "1"…"8" (names in hover and a legend table beside
    the chart, `present.compare.area_legend`) so nothing is clipped on a phone.
    """
    labels = [str(i) for i in range(1, 9)] if numbered else wrapped_area_labels(area_names)
    labels = labels[: len(area_names)]
    fig = go.Figure()
    for s in series:
        r = [None if v is None or pd.isna(v) else float(v) for v in s.scores]
        fig.add_trace(
            go.Scatterpolar(
                r=r + r[:1],
                theta=labels + labels[:1],
                name=trace_name(s.name),
                mode="lines+markers",
                line=dict(color=s.color, dash=s.dash, width=s.width or (2.5 if s.fill else 2)),
                marker=dict(symbol=s.symbol, size=7, color=s.color),
                fill="toself" if s.fill else "none",
                opacity=1.0,
                fillcolor=_alpha(s.color, 0.15) if s.fill else None,
                customdata=texts(area_names + area_names[:1]),
                hovertemplate="%{customdata}<br>%{fullData.name}: %{r:.1f}<extra></extra>",
            )
        )
    fig.update_polars(
        radialaxis=dict(range=[0, 100], tickvals=[20, 40, 60, 80, 100], angle=90, tickangle=90),
        angularaxis=dict(direction="clockwise", rotation=90),
    )
    if numbered:
        # "1"…"8" would be read as degrees: the spokes are categories.
        fig.update_polars(
            angularaxis=dict(type="category", tickfont=dict(size=15, color=TEXT_COLOR)),
            # The radius ticks between spokes 1 and 2, clear of the number "1".
            radialaxis=dict(angle=67.5, tickangle=67.5, showline=False),
        )
        return _layout(
            fig,
            height,
            margin=dict(l=30, r=30, t=30, b=10),
            legend=dict(orientation="h", yanchor="top", y=-0.04, xanchor="left", x=0),
        )
    return _layout(fig, height, margin=dict(l=90, r=90, t=50, b=30))


def _alpha(hex_color: str, alpha: float) -> str:
    h = hex_color.lstrip("#")
    r, g, b = (int(h[i : i + 2], 16) for i in (0, 2, 4))
    return f"rgba({r},{g},{b},{alpha})"


def mean_markers(
    mean: Sequence[float | None], labels: Sequence[str | float], name: str
) -> go.Scatter:
    """The mean as a dark grey vertical stroke on each row (bars and dumbbells)."""
    return go.Scatter(
        y=list(labels),
        x=list(mean),
        mode="markers",
        name=trace_name(name),
        marker=dict(symbol="line-ns", size=18, line=dict(width=3, color=MEAN_COLOR)),
        hovertemplate="%{fullData.name}: %{x:.1f}<extra></extra>",
    )


def area_bars_figure(
    scores: list[float],
    area_names: list[str],
    color: str,
    name: str,
    mean: list[float | None] | None = None,
    mean_name: str = "Medel",
    numbers: Sequence[int] | None = None,
) -> go.Figure:
    """Horizontal bars per area (name above), the mean as a stroke, values and differences.

    `numbers`: the areas' numbers when only some areas are drawn (a partial
    result gives no score for the others: they are left out, never drawn as 0).
    """
    ys = _row_positions(len(area_names))
    fig = go.Figure(
        go.Bar(
            y=ys,
            x=scores,
            orientation="h",
            width=0.8,
            name=trace_name(name),
            marker_color=color,
            customdata=texts(area_names),
            hovertemplate="%{customdata}: %{x:.1f}<extra></extra>",
        )
    )
    if mean is not None:
        fig.add_trace(mean_markers(mean, ys, mean_name))
    # Values (and the difference to the mean) in a column of their own, clear of the bars.
    values = [
        num(s) + (f" ({signed(s - m)})" if m is not None else "")
        for s, m in zip(scores, mean or [None] * len(scores), strict=False)
    ]
    fig.add_trace(
        go.Scatter(
            y=ys,
            x=[102] * len(ys),
            mode="text",
            text=values,
            textposition="middle right",
            textfont=dict(color=TEXT_COLOR),
            cliponaxis=False,
            showlegend=False,
            hoverinfo="skip",
        )
    )
    _names_above(fig, short_area_labels(area_names, width=46, numbers=numbers), ys)
    return _row_layout(fig, ys[-1] + 0.6, [0, 135], [0, 20, 40, 60, 80, 100], "Poäng (0–100)")


def subarea_figure(subareas: pd.DataFrame, color: str) -> go.Figure:
    """Sub-areas as percent of their max, name above each bar (columns of subarea_scores)."""
    df = subareas
    labels = [text(f"{c} {shorten(n, 46)}") for c, n in zip(df.code, df.name, strict=True)]
    values = [
        f"{num(s)} av {num(m)} ({p:.0f} %)"
        for s, m, p in zip(df.score, df["max"], df.pct, strict=True)
    ]
    ys = _row_positions(len(labels))
    fig = go.Figure(
        go.Bar(
            y=ys,
            x=df.pct,
            orientation="h",
            width=0.8,
            marker_color=color,
            text=values,
            textposition="outside",
            textfont=dict(color=TEXT_COLOR),
            cliponaxis=False,
            customdata=texts(df.name),
            hovertemplate="%{customdata}<br>%{text}<extra></extra>",
        )
    )
    _names_above(fig, labels, ys)
    fig = _row_layout(fig, ys[-1] + 0.6, [0, 150], [0, 25, 50, 75, 100], "Andel av maxpoäng (%)")
    return fig.update_layout(showlegend=False)


def _style_for(
    code: str, index: int, styles: dict[str, Style] | None, colors: dict[str, str] | None
) -> Style:
    if styles is not None and code in styles:
        return styles[code]
    if colors is not None and code in colors:
        return Style(colors[code])
    if index == 0:
        return BASE_STYLE
    return PEER_STYLES[index - 1] if index <= len(PEER_STYLES) else OTHER_STYLE


def grouped_bars_figure(
    long: pd.DataFrame,
    area_names: list[str],
    colors: dict[str, str] | None = None,
    *,
    styles: dict[str, Style] | None = None,
    mean: Sequence[float | None] | None = None,
    mean_name: str = "Medel",
) -> go.Figure:
    """Per area (name above) one horizontal bar per municipality, then one for the mean.

    long has label, code, area, score (`queries.comparable_scores`), the base
    first; bars are styled by code through `styles` (or plain `colors`), the
    mean dark grey. Every bar has its value printed beside it.
    """
    groups = list(long.groupby(["label", "code"], sort=False))
    n = max(len(groups) + (mean is not None), 1)
    firsts = _row_positions(len(area_names), n)
    fig = go.Figure()
    for j, ((label, code), group) in enumerate(groups):
        group = group.sort_values("area")
        areas = [int(a) for a in group.area]
        style = _style_for(str(code), j, styles, colors)
        fig.add_trace(_group_bars(areas, list(group.score), j, firsts, label, style, area_names))
    if mean is not None:
        areas = list(range(1, len(area_names) + 1))
        values = [None if v is None or pd.isna(v) else float(v) for v in mean]
        fig.add_trace(_group_bars(areas, values, n - 1, firsts, mean_name, MEAN_STYLE, area_names))
    _names_above(fig, short_area_labels(area_names, width=46), firsts)
    return _row_layout(
        fig, firsts[-1] + n - 0.4, [0, 108], [0, 20, 40, 60, 80, 100], "Poäng (0–100)"
    )


def _group_bars(
    areas: list[int],
    values: Sequence[float | None],
    place: int,
    firsts: list[float],
    name: str,
    style: Style,
    area_names: list[str],
) -> go.Bar:
    """One series' bars, the `place`-th bar in each area's group."""
    return go.Bar(
        y=[firsts[a - 1] + place for a in areas],
        x=list(values),
        orientation="h",
        width=0.8,
        name=trace_name(name),
        marker=dict(
            color=style.color,
            # Overlay: the colour stays the fill, a white pattern on it tells peers apart.
            pattern=dict(shape=style.pattern, fillmode="overlay", fgcolor="white", solidity=0.2),
        ),
        text=[num(v) for v in values],
        textposition="outside",
        textfont=dict(size=12, color=TEXT_COLOR),
        constraintext="none",  # the same size on every bar, however thin
        cliponaxis=False,
        customdata=[text(area_names[a - 1]) for a in areas],
        hovertemplate="%{fullData.name}<br>%{customdata}: %{x:.1f}<extra></extra>",
    )


def heatmap_figure(
    matrix: pd.DataFrame,
    area_names: list[str],
    *,
    mean: Sequence[float | None] | None = None,
    mean_name: str = "Medel",
) -> go.Figure:
    """Municipalities (rows "Kommun år", the base first, the mean last) × areas "1"…"8".

    Values are printed in the cells; the area names are in hover and in the
    legend table beside the radar, so eight columns fit a phone.
    """
    rows = [text(shorten(label, 22)) for label in matrix.index]
    z = [[None if pd.isna(v) else float(v) for v in row] for row in matrix.values]
    if mean is not None:
        rows.append(text(shorten(mean_name, 22)))
        z.append([None if v is None or pd.isna(v) else float(v) for v in mean])
    columns = [str(a) for a in range(1, len(area_names) + 1)]
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=columns,
            y=rows,
            text=[[num(v) for v in row] for row in z],
            texttemplate="%{text}",
            textfont=dict(size=12),
            colorscale="Cividis",
            zmin=0,
            zmax=100,
            showscale=False,
            xgap=2,
            ygap=2,
            customdata=[texts(area_names) for _ in rows],
            hovertemplate="%{y}<br>%{x} %{customdata}: %{z:.1f}<extra></extra>",
        )
    )
    fig.update_yaxes(
        autorange="reversed", automargin=True, fixedrange=True, tickfont=dict(color=TEXT_COLOR)
    )
    fig.update_xaxes(
        side="top",
        type="category",
        fixedrange=True,
        title=dict(text="Område", font=dict(color=TEXT_COLOR)),
        tickfont=dict(color=TEXT_COLOR),
    )
    return _layout(fig, 90 + 34 * len(rows), margin=dict(l=8, r=8, t=60, b=10))


def totals_figure(
    totals: pd.DataFrame,
    base: str | None,
    mean_total: float | None = None,
    mean_name: str = "Medel",
    *,
    scale_max: float = 800,
) -> go.Figure:
    """Totals sorted high to low (name above each bar): the base highlighted, the rest
    light grey, the mean a dark grey dashed vertical line with its value, as Kolada does;
    each bar's value follows its name.

    totals has code, label ("Kommun år") and total (of 800, `queries.evaluations`).
    """
    df = totals.dropna(subset=["total"]).sort_values("total", ascending=False, kind="stable")
    ys = _row_positions(len(df))
    is_base = [str(c) == base for c in df.code]
    fig = go.Figure()
    for highlighted, style in ((True, BASE_STYLE), (False, OTHER_STYLE)):
        pick = [i for i, b in enumerate(is_base) if b == highlighted]
        if not pick:
            continue
        part = df.iloc[pick]
        fig.add_trace(
            go.Bar(
                y=[ys[i] for i in pick],
                x=part.total,
                orientation="h",
                width=0.8,
                marker_color=style.color,
                customdata=texts(part.label),
                hovertemplate="%{customdata}: %{x:.1f}<extra></extra>",
                showlegend=False,
            )
        )
    bottom = (ys[-1] if ys else 1.0) + 0.6
    if mean_total is not None and not pd.isna(mean_total):
        bottom = _mean_line(fig, float(mean_total), mean_name, bottom, scale_max)
    bold = is_base.index(True) if True in is_base else -1
    # The value in the name line: never under the mean line, whatever the lengths.
    names = [
        f"{text(shorten(lbl, 40))}: {num(v)}" for lbl, v in zip(df.label, df.total, strict=True)
    ]
    _names_above(fig, names, ys, bold=bold)
    ticks = [scale_max * i / 4 for i in range(5)]
    return _row_layout(fig, bottom, [0, scale_max], ticks, f"Total (av {num(scale_max)})")


def _mean_line(fig: go.Figure, mean: float, name: str, bottom: float, scale_max: float) -> float:
    """The mean over all bars, in the legend with its name, its value in a band below the
    bars (on the side with room); returns the new bottom of the chart."""
    label_at = bottom + 0.1
    fig.add_trace(
        go.Scatter(
            x=[mean, mean],
            y=[0, label_at + 1.0],
            mode="lines",
            name=trace_name(f"{shorten(name, NAME_WIDTH - 8)}: {num(mean)}"),
            line=dict(color=MEAN_STYLE.color, dash=MEAN_STYLE.dash, width=MEAN_STYLE.width),
            hovertemplate="%{fullData.name}<extra></extra>",
            cliponaxis=False,
        )
    )
    left = mean > scale_max * 0.55
    fig.add_annotation(
        text=f"Medel {num(mean)}",
        x=mean,
        xref="x",
        xanchor="right" if left else "left",
        xshift=-4 if left else 4,
        y=label_at,
        yref="y",
        yanchor="top",
        showarrow=False,
        font=dict(size=12, color=MEAN_COLOR),
    )
    return label_at + 1.1


def dumbbell_figure(
    before: list[float],
    after: list[float],
    area_names: list[str],
    labels: tuple[str, str],
    color: str,
    mean: list[float | None] | None = None,
    mean_name: str = "Medel",
) -> go.Figure:
    """Per-area change (name above): a line from before to after, the change printed, the
    mean as reference."""
    ys = _row_positions(len(area_names))
    changes = [signed(a - b) for a, b in zip(after, before, strict=True)]
    fig = go.Figure()
    for y, b, a in zip(ys, before, after, strict=True):
        fig.add_trace(
            go.Scatter(
                x=[b, a],
                y=[y, y],
                mode="lines",
                showlegend=False,
                line=dict(color="#BBBBBB", width=6),
                hoverinfo="skip",
            )
        )
    fig.add_trace(
        go.Scatter(
            x=before,
            y=ys,
            mode="markers",
            name=trace_name(labels[0]),
            marker=dict(color="white", size=13, line=dict(color=color, width=3)),
            hovertemplate="%{fullData.name}: %{x:.1f}<extra></extra>",
        )
    )
    fig.add_trace(
        go.Scatter(
            x=after,
            y=ys,
            mode="markers",
            name=trace_name(labels[1]),
            marker=dict(color=color, size=13),
            text=changes,
            hovertemplate="%{fullData.name}: %{x:.1f} (%{text})<extra></extra>",
        )
    )
    # The change per area in a column of its own, clear of markers and the mean.
    fig.add_trace(
        go.Scatter(
            x=[104] * len(ys),
            y=ys,
            mode="text",
            text=changes,
            showlegend=False,
            textposition="middle right",
            textfont=dict(color=TEXT_COLOR),
            cliponaxis=False,
            hoverinfo="skip",
        )
    )
    if mean is not None:
        fig.add_trace(mean_markers(mean, ys, mean_name))
    _names_above(fig, short_area_labels(area_names, width=46), ys)
    return _row_layout(fig, ys[-1] + 0.6, [0, 118], [0, 20, 40, 60, 80, 100], "Poäng (0–100)")


def totals_over_time_figure(
    points: pd.DataFrame, name: str, color: str, marked_name: str
) -> go.Figure:
    """One municipality's total (of 800) per evaluation year, as a line with its values.

    points has year, total, source (raw text: where the value comes from, for
    the hover) and marked (bool: a published result, drawn as an open diamond
    in a trace of its own named `marked_name`, so the legend says what it is).
    Rows without a total are left out: a missing total is not drawn as 0.
    """
    df = points.dropna(subset=["total"]).sort_values("year")
    years = [int(y) for y in df.year]
    fig = go.Figure(
        go.Scatter(
            x=years,
            y=[float(t) for t in df.total],
            mode="lines+markers",
            name=trace_name(name),
            line=dict(color=color, width=BASE_STYLE.width),
            marker=dict(size=9, color=color),
            customdata=texts(df.source),
            hovertemplate="%{x}: %{y:.0f} av 800<br>%{customdata}<extra></extra>",
        )
    )
    marked = df[df.marked.astype(bool)]
    if not marked.empty:
        fig.add_trace(
            go.Scatter(
                x=[int(y) for y in marked.year],
                y=[float(t) for t in marked.total],
                mode="markers",
                name=trace_name(marked_name),
                marker=dict(symbol="diamond-open", size=16, color=MEAN_COLOR, line=dict(width=2.5)),
                customdata=texts(marked.source),
                hovertemplate="%{x}: %{y:.0f} av 800<br>%{customdata}<extra></extra>",
            )
        )
    # The values in a row of text above the points, clear of the published diamond.
    fig.add_trace(
        go.Scatter(
            x=years,
            y=[float(t) + 75 for t in df.total],
            mode="text",
            text=[num(t) for t in df.total],
            textfont=dict(color=TEXT_COLOR),
            cliponaxis=False,
            showlegend=False,
            hoverinfo="skip",
        )
    )
    low, high = (min(years), max(years)) if years else (2010, 2024)
    fig.update_xaxes(
        range=[low - 0.7, high + 0.7],
        tickvals=years,
        ticktext=[str(y) for y in years],
        fixedrange=True,
        tickfont=dict(color=TEXT_COLOR),
    )
    fig.update_yaxes(
        range=[0, 800],
        tickvals=[0, 200, 400, 600, 800],
        title=dict(text="Total (av 800)", font=dict(color=TEXT_COLOR)),
        fixedrange=True,
        gridcolor="#E5E5E5",
        tickfont=dict(color=TEXT_COLOR),
    )
    return _layout(
        fig,
        320,
        margin=dict(l=56, r=16, t=24, b=30),
        plot_bgcolor="white",
        legend=dict(orientation="h", yanchor="top", y=-0.12, xanchor="left", x=0),
    )

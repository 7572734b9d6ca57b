"""Plotly figures from query DataFrames. No Streamlit here.

Conventions (DESIGN.md, "Charts"): one colour per municipality everywhere
(`color_map`), colour-blind-safe palette, values readable without colour
(labels and hover), radar axes fixed 0–100 in area order.

Plotly reads a subset of HTML in every string it draws (trace names, legend,
hover, tick labels, annotations: `<a href>`, `<b>`, `<br>`), and names,
labels and sub-area names come from reports and imports: every such string
goes through `text` here, so it is shown as text. Hover templates name the
trace with `%{fullData.name}` instead of splicing the name into the template.
"""

from __future__ import annotations

import html
import math
from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from kompass.present.strings import num, signed

# Okabe–Ito, then Paul Tol's muted set: distinguishable with common colour-vision deficiencies.
PALETTE = [
    "#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9", "#F0E442",
    "#332288", "#117733", "#882255", "#44AA99", "#999933", "#AA4499",
]  # fmt: skip
MEAN_COLOR = "#555555"
NAME_WIDTH = 50  # characters of a legend entry (a phone's width); captions say it all
FONT = dict(family="Source Sans Pro, Arial, sans-serif", size=13)


def text(value: object) -> str:
    """Stored text made inert for plotly: `<`, `>` and `&` escaped (plotly shows entities)."""
    return html.escape(str(value), quote=False)


def trace_name(value: object) -> str:
    """A legend entry: `text`, shortened so one long label cannot push the others away."""
    raw = str(value)
    if len(raw) > NAME_WIDTH:
        raw = raw[: NAME_WIDTH - 1].rstrip() + "…"
    return text(raw)


def texts(values: Iterable[object]) -> list[str]:
    """`text` of each value."""
    return [text(v) for v in values]


def color_map(codes: list[str]) -> dict[str, str]:
    """A fixed colour per municipality code, by its place among all given codes."""
    return {code: PALETTE[i % len(PALETTE)] for i, code in enumerate(sorted(set(codes)))}


def short_area_labels(names: list[str], width: int = 22) -> list[str]:
    """ "1 Samspel mellan…" labels that fit around a radar or under bars."""
    out = []
    for i, name in enumerate(names, start=1):
        label = name if len(name) <= width else name[: width - 1].rstrip() + "…"
        out.append(f"{i} {text(label)}")
    return out


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


@dataclass
class Series:
    """Eight area values to draw, with how to draw them."""

    name: str
    scores: list[float | None]
    color: str
    dash: str = "solid"
    fill: bool = False


def radar_figure(series: list[Series], area_names: list[str], height: int = 460) -> go.Figure:
    """Spider chart: axes in area order, radius fixed 0–100, polygons closed."""
    labels = wrapped_area_labels(area_names)
    fig = go.Figure()
    for s in series:
        r = [None if v is None else float(v) for v in s.scores]
        fig.add_trace(
            go.Scatterpolar(
                r=r + r[:1],
                theta=labels + labels[:1],
                name=trace_name(s.name),
                mode="lines+markers",
                line=dict(color=s.color, dash=s.dash, width=2.5 if s.fill else 2),
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
    return _layout(fig, height, margin=dict(l=90, r=90, t=50, b=30))


def _alpha(hex_color: str, alpha: float) -> str:
    h = hex_color.lstrip("#")
    r, g, b = (int(h[i : i + 2], 16) for i in (0, 2, 4))
    return f"rgba({r},{g},{b},{alpha})"


def mean_markers(mean: list[float | None], labels: list[str], name: str) -> go.Scatter:
    """The mean as a grey vertical stroke on each area's row (bars and dumbbells)."""
    return go.Scatter(
        y=labels,
        x=mean,
        mode="markers",
        name=trace_name(name),
        marker=dict(symbol="line-ns", size=22, line=dict(width=3, color=MEAN_COLOR)),
        hovertemplate="%{fullData.name}: %{x:.1f}<extra></extra>",
    )


def area_bars_figure(
    scores: list[float],
    area_names: list[str],
    color: str,
    name: str,
    mean: list[float | None] | None = None,
    mean_name: str = "Medel",
) -> go.Figure:
    """Horizontal bars per area with the mean as a marker and the difference as text."""
    labels = short_area_labels(area_names, width=30)
    fig = go.Figure(
        go.Bar(
            y=labels,
            x=scores,
            orientation="h",
            name=trace_name(name),
            marker_color=color,
            customdata=texts(area_names),
            hovertemplate="%{customdata}: %{x:.1f}<extra></extra>",
        )
    )
    if mean is not None:
        fig.add_trace(mean_markers(mean, labels, mean_name))
    # Values (and the difference to the mean) in a column of their own, clear of the bars.
    values = [
        num(s) + (f" ({signed(s - m)})" if m is not None else "")
        for s, m in zip(scores, mean or [None] * len(scores), strict=False)
    ]
    fig.add_trace(
        go.Scatter(
            y=labels,
            x=[103] * len(labels),
            mode="text",
            text=values,
            textposition="middle right",
            showlegend=False,
            hoverinfo="skip",
        )
    )
    fig.update_xaxes(range=[0, 128], tickvals=[0, 20, 40, 60, 80, 100], title="Poäng (0–100)")
    fig.update_yaxes(autorange="reversed", automargin=True)
    return _layout(fig, 120 + 48 * len(labels), margin=dict(l=10, r=20, t=20, b=40))


def subarea_figure(subareas: pd.DataFrame, color: str) -> go.Figure:
    """Sub-areas as percent of their max, grouped by area (columns of subarea_scores)."""
    df = subareas.iloc[::-1]
    labels = [
        text(f"{c} {n if len(n) <= 55 else n[:54] + '…'}")
        for c, n in zip(df.code, df.name, strict=True)
    ]
    values = [
        f"{num(s)} av {num(m)} ({p:.0f} %)"
        for s, m, p in zip(df.score, df["max"], df.pct, strict=True)
    ]
    fig = go.Figure(
        go.Bar(
            y=labels,
            x=df.pct,
            orientation="h",
            marker_color=color,
            text=values,
            textposition="outside",
            cliponaxis=False,
            customdata=texts(df.name),
            hovertemplate="%{customdata}<br>%{text}<extra></extra>",
        )
    )
    fig.update_xaxes(range=[0, 135], tickvals=[0, 25, 50, 75, 100], title="Andel av maxpoäng (%)")
    return _layout(
        fig, 60 + 26 * len(labels), margin=dict(l=10, r=20, t=10, b=40), showlegend=False
    )


def grouped_bars_figure(
    long: pd.DataFrame, area_names: list[str], colors: dict[str, str]
) -> go.Figure:
    """Bars per area, one colour per municipality; long has label, code, area, score."""
    labels = wrapped_area_labels(area_names, width=12)
    fig = go.Figure()
    for (label, code), group in long.groupby(["label", "code"], sort=False):
        group = group.sort_values("area")
        fig.add_trace(
            go.Bar(
                x=[labels[a - 1] for a in group.area],
                y=group.score,
                name=trace_name(label),
                marker_color=colors.get(str(code), MEAN_COLOR),
                text=[num(v, 0) for v in group.score],
                textposition="outside",
                textfont=dict(size=10),
                textangle=0,
                customdata=[text(area_names[a - 1]) for a in group.area],
                hovertemplate="%{fullData.name}<br>%{customdata}: %{y:.1f}<extra></extra>",
            )
        )
    fig.update_yaxes(range=[0, 108], title="Poäng (0–100)")
    fig.update_xaxes(tickangle=0)
    return _layout(
        fig,
        480,
        barmode="group",
        legend=dict(orientation="h", yanchor="bottom", y=1.02, xanchor="left", x=0),
        margin=dict(l=50, r=10, t=60, b=60),
    )


def heatmap_figure(matrix: pd.DataFrame, area_names: list[str]) -> go.Figure:
    """Areas (rows) × municipalities (columns "Kommun år"), values printed in the cells."""
    labels = short_area_labels(area_names, width=40)
    z = matrix.values.astype(float).T
    cells = [[num(v) for v in row] for row in z]
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=[trace_name(label) for label in matrix.index],
            y=labels,
            text=cells,
            texttemplate="%{text}",
            colorscale="Cividis",
            zmin=0,
            zmax=100,
            colorbar=dict(title="Poäng"),
            hovertemplate="%{x}<br>%{y}: %{z:.1f}<extra></extra>",
        )
    )
    fig.update_yaxes(autorange="reversed", automargin=True)
    fig.update_xaxes(side="top")
    return _layout(fig, 380, margin=dict(l=10, r=10, t=50, b=10))


def dumbbell_figure(
    before: list[float],
    after: list[float],
    area_names: list[str],
    labels: tuple[str, str],
    color: str,
    mean: list[float | None] | None = None,
    mean_name: str = "Medel",
) -> go.Figure:
    """Per-area change: a line from before to after, the change printed, mean as reference."""
    ys = short_area_labels(area_names, width=30)
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
            hoverinfo="skip",
        )
    )
    if mean is not None:
        fig.add_trace(mean_markers(mean, ys, mean_name))
    fig.update_xaxes(range=[0, 115], tickvals=[0, 20, 40, 60, 80, 100], title="Poäng (0–100)")
    fig.update_yaxes(autorange="reversed", automargin=True)
    return _layout(fig, 120 + 52 * len(ys), margin=dict(l=10, r=30, t=20, b=40))


NOT_EVALUATED = "#DDDDDD"
# Cividis in seven classes: sequential, colour-blind safe, readable in grey.
TOTAL_CLASSES = [
    (0, 400, "#00224E"), (400, 450, "#35456C"), (450, 500, "#666970"), (500, 550, "#948E77"),
    (550, 600, "#C8B866"), (600, 650, "#E4CF5B"), (650, 801, "#FEE838"),
]  # fmt: skip
SWEDEN_MID_LAT = 62.0


def _outline(geometry: dict) -> tuple[list[float | None], list[float | None]]:
    """x (lon) and y (lat) of all rings of a polygon, rings separated by None."""
    polys = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    xs: list[float | None] = []
    ys: list[float | None] = []
    for poly in polys:
        for ring in poly[:1]:  # exterior ring only: holes are other municipalities
            xs += [p[0] for p in ring] + [None]
            ys += [p[1] for p in ring] + [None]
    return xs, ys


def _class_color(total: float) -> str:
    return next(c for low, high, c in TOTAL_CLASSES if low <= total < high)


def _class_label(low: float, high: float) -> str:
    if low == 0:
        return f"under {high}"
    return f"{low}–{high - 1}" if high <= 800 else f"{low} och mer"


def map_figure(frame: pd.DataFrame, geojson: dict, height: int = 720) -> go.Figure:
    """Sweden by latest total in classes; not evaluated grey. Drawn on plain axes.

    Plotly's geo maps fetch a world outline from a CDN even when hidden; this
    draws the polygons itself (lon/lat with the aspect of mid-Sweden), so the
    map needs nothing from the internet. frame: map_frame() columns.
    """
    shapes = {f["properties"]["id"]: f["geometry"] for f in geojson["features"]}
    fig = go.Figure()
    groups = [("Ingen utvärdering", frame[frame.total.isna()], NOT_EVALUATED)]
    for low, high, color in TOTAL_CLASSES:
        part = frame[(frame.total >= low) & (frame.total < high)]
        groups.append((_class_label(low, high), part, color))
    for label, part, color in groups:
        xs: list[float | None] = []
        ys: list[float | None] = []
        for code in part.code:
            x, y = _outline(shapes[code])
            xs += x
            ys += y
        if part.empty and label != "Ingen utvärdering":
            continue
        fig.add_trace(
            go.Scatter(
                x=xs,
                y=ys,
                fill="toself",
                fillcolor=color,
                mode="lines",
                name=label,
                line=dict(color="white", width=0.4),
                hoverinfo="skip",
            )
        )
    done = frame[frame.total.notna()]
    fig.add_trace(
        go.Scatter(
            x=done.lon,
            y=done.lat,
            mode="markers",
            name="Utvärderad kommun",
            marker=dict(
                size=12,
                color=[_class_color(t) for t in done.total],
                line=dict(color="#222222", width=1.5),
            ),
            customdata=done[["code", "name", "year", "total", "framework"]]
            .assign(name=texts(done.name))
            .values,
            hovertemplate="%{customdata[1]} %{customdata[2]}<br>Total: %{customdata[3]:.1f} av 800"
            "<br>%{customdata[4]}-ramverket<br>Klicka för profilen<extra></extra>",
        )
    )
    fig.update_xaxes(visible=False)
    fig.update_yaxes(
        visible=False, scaleanchor="x", scaleratio=1 / math.cos(math.radians(SWEDEN_MID_LAT))
    )
    return _layout(
        fig,
        height,
        margin=dict(l=0, r=0, t=0, b=0),
        dragmode=False,
        plot_bgcolor="white",
        legend=dict(orientation="v", x=0.72, y=0.35, title=dict(text="Total (av 800)")),
    )

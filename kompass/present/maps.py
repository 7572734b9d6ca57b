"""The Översikt map: municipalities coloured by their latest total. No Streamlit here.

Drawn as filled polygons on plain axes (lon/lat with the aspect of mid-Sweden):
plotly's geo maps (`go.Choropleth`, `scattergeo`) fetch a world outline
(cdn.plot.ly/un/world_110m.json, seen in Chromium's request log), and the app
must fetch nothing from another origin.

The polygon is the hover and click target: invisible points of a fine
lattice fill every evaluated municipality (`_targets`), so the point nearest
the pointer is the municipality under it: hovering anywhere inside Sala shows
Sala, and near Stockholm no marker hides its neighbours (38 markers once lay
within 40 px there). Markers are added only while few municipalities are
evaluated, where a small coloured polygon would be hard to find. The legend
sits below the plot area, so it covers no coast at 1280 px or on a phone.

Measured at national scale (290 evaluated, 8,300 outline points instead of
19,600, 2,700 targets): about 0.2 s to build (then cached), 0.38 MB of JSON,
0.1–0.2 s for plotly.js to draw it in Chromium. One trace per municipality with
`hoveron="fills"` hovered well but drew in 0.4–1 s and could not be clicked
(plotly selects no point on a fill, so Streamlit's selection stays empty).
"""

from __future__ import annotations

import math
from functools import lru_cache
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from kompass.domain.geo import simplified_geojson, target_points
from kompass.present import partial
from kompass.present.charts import FONT, text
from kompass.present.strings import COMPUTED_TOTAL, PUBLISHED, num

NOT_EVALUATED = "#DDDDDD"
NOT_EVALUATED_LABEL = "Ingen utvärdering"
LEGEND_TITLE = "Total (av 800)"
# Cividis in seven classes: sequential, colour-blind safe, readable in grey.
TOTAL_CLASSES = [
    (0, 400, "#00224E"), (400, 450, "#35456C"), (450, 500, "#666970"), (500, 550, "#948E77"),
    (550, 600, "#C8B866"), (600, 650, "#E4CF5B"), (650, 801, "#FEE838"),
]  # fmt: skip
SWEDEN_MID_LAT = 62.0
# Below this many evaluated municipalities each also gets a marker at its centre.
MARKER_LIMIT = 30
MARKER_NAME = "Utvärderad kommun"
TARGETS_NAME = "Kommuner"
SEARCH_LABEL = "Sök kommun"
SEARCH_PLACEHOLDER = "Skriv ett kommunnamn för att öppna profilen"
FRAME_COLUMNS = [
    "code", "name", "lat", "lon", "year", "total", "framework", "published", "source_note",
    "total_computed",
]  # fmt: skip


def class_color(total: float) -> str:
    """The colour of a total's class (TOTAL_CLASSES)."""
    return next(c for low, high, c in TOTAL_CLASSES if low <= total < high)


def class_label(low: float, high: float) -> str:
    """ "under 400", "400–449", "650 och mer": a class in Swedish."""
    if low == 0:
        return f"under {high}"
    return f"{low}–{high - 1}" if high <= 800 else f"{low} och mer"


def outline(geometry: dict[str, Any]) -> tuple[list[float | None], list[float | None]]:
    """x (lon) and y (lat) of the exterior rings, rings separated by None (a gap).

    Holes are left out: in this data they are other municipalities, drawn on their own.
    """
    coords = geometry["coordinates"]
    polys = [coords] if geometry["type"] == "Polygon" else coords
    xs: list[float | None] = []
    ys: list[float | None] = []
    for poly in polys:
        for ring in poly[:1]:
            xs += [p[0] for p in ring] + [None]
            ys += [p[1] for p in ring] + [None]
    return xs[:-1], ys[:-1]


def hover_text(row: Any) -> str:
    """What hovering a municipality shows: name, year, total, framework (escaped); for a
    published result "publicerat resultat" and its source, for a computed total that it is
    the sum of the areas (issue 11)."""
    lines = [
        f"{text(row.name)} {int(row.year)}",
        f"Total: {num(row.total, 1)} av 800"
        + (f" ({COMPUTED_TOTAL})" if partial.flag(getattr(row, "total_computed", None)) else ""),
        f"{text(row.framework)}-ramverket",
    ]
    if partial.flag(getattr(row, "published", None)):
        lines.append(text(partial.source_of("import", True, getattr(row, "source_note", None))))
    return "<br>".join(lines)


def _fills(label: str, codes: list[str], color: str, shapes: dict[str, Any]) -> go.Scatter:
    """The polygons of one colour class in one trace (drawing only; targets hover)."""
    xs: list[float | None] = []
    ys: list[float | None] = []
    for code in codes:
        x, y = outline(shapes[code])
        xs += [*x, None]
        ys += [*y, None]
    return go.Scatter(
        x=xs[:-1],
        y=ys[:-1],
        fill="toself",
        fillcolor=color,
        mode="lines",
        line=dict(color="white", width=0.5),
        hoverinfo="skip",
        showlegend=False,
        name=label,
    )


def _targets(done: pd.DataFrame, targets: dict[str, list[tuple[float, float]]]) -> dict[str, Any]:
    """Invisible points filling every evaluated municipality: the hover and click targets.

    Plotly selects no point when a fill is clicked (hoveron="fills" hovers but
    cannot be clicked), so each polygon is covered with points of a global
    lattice (kompass.domain.geo.target_points) about 4.5 px apart: wherever the
    pointer is inside a polygon, the nearest point is that municipality's.
    One trace for all: plotly draws 290 traces three times slower than one.
    """
    xs: list[float] = []
    ys: list[float] = []
    codes: list[str] = []
    hover: list[str] = []
    # Largest first: plotly picks the last of equally near points, so where a tiny
    # municipality's one point and a neighbour's lie within half a pixel, the tiny one wins.
    rows = sorted(done.itertuples(index=False), key=lambda r: -len(targets.get(r.code) or [0]))
    for row in rows:
        points = targets.get(row.code) or [(row.lon, row.lat)]
        xs += [round(p[0], 3) for p in points]
        ys += [round(p[1], 3) for p in points]
        codes += [row.code] * len(points)
        hover += [hover_text(row)] * len(points)
    # A dict, not go.Scatter: plotly's validation of long lists costs a tenth of a second.
    return dict(
        type="scatter",
        x=xs,
        y=ys,
        # "text" without text draws nothing, yet hovers and is selected by a click.
        # (Markers would tie every point within 3 px of the pointer at distance 0,
        # and the first would win; text points tie only within 0.5 px.)
        mode="text",
        text="",
        hovertext=hover,
        hoverinfo="text",
        # The label would take the invisible points' colour: make it readable.
        hoverlabel=dict(bgcolor="white", bordercolor="#222222", font=dict(color="#222222")),
        customdata=codes,
        name=TARGETS_NAME,
        showlegend=False,
    )


def _markers(done: pd.DataFrame) -> go.Scatter:
    """Centre markers for few evaluated municipalities (findable at national scale)."""
    return go.Scatter(
        x=done.lon,
        y=done.lat,
        mode="markers",
        name=MARKER_NAME,
        showlegend=False,
        marker=dict(
            size=11,
            color=[class_color(t) for t in done.total],
            line=dict(color="#222222", width=1.5),
        ),
        customdata=list(done.code),
        hovertext=[hover_text(r) for r in done.itertuples(index=False)],
        hoverinfo="text",
    )


def _legend_entries(frame: pd.DataFrame) -> list[go.Scatter]:
    """Legend-only traces: one square per class present, and grey if any is not evaluated."""
    entries = [(NOT_EVALUATED_LABEL, NOT_EVALUATED)] if frame.total.isna().any() else []
    for low, high, color in TOTAL_CLASSES:
        if ((frame.total >= low) & (frame.total < high)).any():
            entries.append((class_label(low, high), color))
    return [
        go.Scatter(
            x=[None],
            y=[None],
            mode="markers",
            name=label,
            marker=dict(size=13, symbol="square", color=color, line=dict(color="#888", width=1)),
            hoverinfo="skip",
        )
        for label, color in entries
    ]


def _split(geojson: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Per code, the geometry without its enclaves, and (where it has any) the enclaves alone.

    `simplified_geojson` puts a feature's `enclaves` polygons last.
    """
    main: dict[str, Any] = {}
    top: dict[str, Any] = {}
    for f in geojson["features"]:
        code, geometry, n = f["properties"]["id"], f["geometry"], f["properties"].get("enclaves", 0)
        if not n:
            main[code] = geometry
            continue
        polys = geometry["coordinates"]
        main[code] = {"type": "MultiPolygon", "coordinates": polys[:-n]}
        top[code] = {"type": "MultiPolygon", "coordinates": polys[-n:]}
    return main, top


def map_figure(
    frame: pd.DataFrame,
    geojson: dict[str, Any],
    targets: dict[str, list[tuple[float, float]]] | None,
    height: int = 640,
) -> go.Figure:
    """Sweden by latest total in classes; not evaluated grey.

    frame: `queries.map_frame()` columns (code, name, lat, lon, year, total,
    framework; published, source_note and total_computed for the hover where present).
    geojson: `kompass.domain.geo.simplified_geojson()` for the national map (about
    8,000 points instead of 20,000), or `load_geojson()`.
    targets: `kompass.domain.geo.target_points()`. Clicking a municipality
    selects a point whose customdata is its code (`clicked_code`). None draws
    the colours only: nothing hovers and a click selects nothing.
    """
    main, enclaves = _split(geojson)
    frame = frame[frame.code.isin(main)]
    done = frame[frame.total.notna()]
    traces: list[Any] = []
    # Enclaves last, over the municipality around them (their hole is not drawn).
    classes = [(NOT_EVALUATED_LABEL, frame.total.isna(), NOT_EVALUATED)] + [
        (class_label(low, high), (frame.total >= low) & (frame.total < high), color)
        for low, high, color in TOTAL_CLASSES
    ]
    for shapes in (main, enclaves):
        for label, chosen, color in classes:
            codes = [c for c in frame.code[chosen] if c in shapes]
            if codes:
                traces.append(_fills(label, codes, color, shapes))
    if targets is not None:
        traces.append(_targets(done, targets))
    if 0 < len(done) < MARKER_LIMIT:
        traces.append(_markers(done))
    # One Figure(data=...) call: adding 300 traces one by one takes half a second.
    fig = go.Figure(data=traces + _legend_entries(frame))
    fig.update_xaxes(visible=False, fixedrange=True)
    fig.update_yaxes(
        visible=False,
        fixedrange=True,
        scaleanchor="x",
        scaleratio=1 / math.cos(math.radians(SWEDEN_MID_LAT)),
    )
    fig.update_layout(
        height=height,
        margin=dict(l=0, r=0, t=0, b=0),
        font=FONT,
        separators=", ",
        dragmode=False,
        hovermode="closest",
        hoverdistance=5,
        plot_bgcolor="white",
        # Below the plot area: it covers no coast, and wraps on a phone.
        legend=dict(
            orientation="h",
            x=0,
            xanchor="left",
            y=0,
            yanchor="top",
            title=dict(text=LEGEND_TITLE, side="top"),
            itemclick=False,
            itemdoubleclick=False,
        ),
    )
    return fig


def alt_text(frame: pd.DataFrame) -> str:
    """The map in one sentence, for the caption under it (a text alternative)."""
    done = int(frame.total.notna().sum())
    published = ""
    if "published" in frame.columns:
        n = int(frame[frame.total.notna()].published.map(partial.flag).sum())
        if n:
            published = f" ({num(n)} av dem {PUBLISHED}, märkt när du pekar)"
    return (
        f"Karta över Sveriges {len(frame)} kommuner: {done} med utvärdering{published}, "
        f"färgade efter senaste totalpoäng (av 800); grå saknar utvärdering. Peka på en "
        f"kommun för poängen, klicka för profilen."
    )


def national_map(frame: pd.DataFrame, hover: bool = True) -> go.Figure:
    """`map_figure` with the simplified outlines, cached per content of `frame`.

    Building takes about 0.3 s at national scale; a rerun of Översikt (or another
    session on the same data) reuses the figure. Treat the result as read-only.
    `hover=False` leaves out the hover and click targets: the browser draws their
    2,700 invisible points in about 0.1 s, so the first screen shows the colours
    without them and the targets follow (pages/oversikt.py).
    """
    # A frame from before issue 11 (tests, older callers) lacks the provenance columns.
    full = frame.reindex(columns=FRAME_COLUMNS)
    rows = tuple(full.itertuples(index=False, name=None))
    return _national_map(rows, hover)


@lru_cache(maxsize=8)
def _national_map(rows: tuple[tuple[Any, ...], ...], hover: bool) -> go.Figure:
    frame = pd.DataFrame(list(rows), columns=FRAME_COLUMNS)
    return map_figure(frame, simplified_geojson(), target_points() if hover else None)


def clicked_code(points: list[dict[str, Any]]) -> str | None:
    """The municipality code of the first clicked map point (its customdata), if any."""
    for point in points:
        code = point.get("customdata")
        if isinstance(code, list):  # plotly sends a row when customdata is 2-D
            code = code[0] if code else None
        if isinstance(code, str) and code:
            return code
    return None


def search_options(frame: pd.DataFrame) -> dict[str, str]:
    """Code -> "Name" for every evaluated municipality, in Swedish alphabetical order.

    Names shared by two municipalities are told apart by county.
    """
    done = frame[frame.total.notna()]
    counts = done.name.value_counts()
    labels = {
        r.code: r.name if counts[r.name] == 1 else f"{r.name} ({r.county_name})"
        for r in done.itertuples(index=False)
    }
    return dict(sorted(labels.items(), key=lambda kv: _swedish_key(kv[1])))


_ORDER = "abcdefghijklmnopqrstuvwxyzåäö"


def _swedish_key(name: str) -> tuple[int, ...]:
    """Sort key in Swedish order: å, ä, ö after z (code points would give ä, å, ö)."""
    return tuple(_ORDER.index(c) if c in _ORDER else 100 + ord(c) for c in name.lower())

"""The Översikt map (kompass.present.maps) and its geometry (kompass.domain.simplify).

Figures are built from the sample store's `map_frame` (5 evaluated municipalities)
and from the same frame with every municipality given a total (national scale).
"""

from __future__ import annotations

import math
import random
import time
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from kompass import queries
from kompass.domain import geo
from kompass.domain.simplify import _offset, interior_points, simplify_line, simplify_ring
from kompass.present import maps


@pytest.fixture(scope="module")
def sample_frame(sample_db: Path) -> pd.DataFrame:
    return queries.map_frame(sample_db)


@pytest.fixture(scope="module")
def national_frame(sample_frame: pd.DataFrame) -> pd.DataFrame:
    rng = random.Random(7)
    return sample_frame.assign(
        total=[rng.uniform(300, 780) for _ in range(len(sample_frame))],
        year=2023,
        framework="2020",
    )


def _fill_points(fig: Any) -> int:
    return sum(
        sum(v is not None for v in t.x) for t in fig.data if t.fill == "toself" and t.x is not None
    )


def _targets(fig: Any) -> dict[str, list[tuple[float, float, str]]]:
    """Per code, the (x, y, hover text) of its targets."""
    (trace,) = [t for t in fig.data if t.name == maps.TARGETS_NAME]
    out: dict[str, list[tuple[float, float, str]]] = {}
    for x, y, code, hover in zip(trace.x, trace.y, trace.customdata, trace.hovertext, strict=True):
        out.setdefault(code, []).append((x, y, hover))
    return out


def _inside(geometry: dict[str, Any], x: float, y: float) -> bool:
    coords = geometry["coordinates"]
    polys = [coords] if geometry["type"] == "Polygon" else coords
    inside = False
    for ring in (r for p in polys for r in p):
        for (x0, y0), (x1, y1) in zip(ring, ring[1:], strict=False):
            if (y0 <= y) != (y1 <= y) and x < x0 + (y - y0) * (x1 - x0) / (y1 - y0):
                inside = not inside
    return inside


# --- geometry ------------------------------------------------------------------------


def test_simplify_line_keeps_every_point_within_tolerance() -> None:
    rng = random.Random(1)
    line = [(i * 0.01, math.sin(i / 7) + rng.uniform(-0.002, 0.002)) for i in range(400)]
    kept = simplify_line(line, 0.01)
    assert kept[0] == line[0] and kept[-1] == line[-1]
    assert len(kept) < len(line) / 4
    for p in line:
        assert min(_offset(p, a, b) for a, b in zip(kept, kept[1:], strict=False)) <= 0.01 + 1e-9


def test_simplify_ring_stays_closed_and_a_ring() -> None:
    circle = [(math.cos(a / 50 * math.tau), math.sin(a / 50 * math.tau)) for a in range(50)]
    circle.append(circle[0])
    ring = simplify_ring(circle, 0.05)
    assert ring[0] == ring[-1] and 4 <= len(ring) < len(circle)


def test_simplified_outlines_have_far_fewer_points_and_every_municipality() -> None:
    full, simple = geo.load_geojson(), geo.simplified_geojson()
    assert [f["properties"]["id"] for f in simple["features"]] == [
        f["properties"]["id"] for f in full["features"]
    ]
    assert len(simple["features"]) == 290

    def count(g: dict[str, Any]) -> int:
        return sum(
            len(p[0])
            for f in g["features"]
            for p in (
                [f["geometry"]["coordinates"]]
                if f["geometry"]["type"] == "Polygon"
                else f["geometry"]["coordinates"]
            )
        )

    assert count(simple) < count(full) / 2
    assert all(f["geometry"]["coordinates"] for f in simple["features"])


def test_target_points_lie_inside_their_municipality_and_cover_all() -> None:
    full = {f["properties"]["id"]: f["geometry"] for f in geo.load_geojson()["features"]}
    targets = geo.target_points()
    assert set(targets) == set(full)
    assert all(targets.values())  # even the smallest municipality has one
    seen: set[tuple[float, float]] = set()
    for code, points in targets.items():
        for x, y in points:
            assert _inside(full[code], x, y), (code, x, y)
        assert not seen & set(points), code  # one global lattice: no shared targets
        seen |= set(points)


def test_interior_points_of_a_square_with_a_hole() -> None:
    outer = [[10.0, 60.0], [12.0, 60.0], [12.0, 61.0], [10.0, 61.0], [10.0, 60.0]]
    hole = [[10.5, 60.3], [11.5, 60.3], [11.5, 60.7], [10.5, 60.7], [10.5, 60.3]]
    points = interior_points({"type": "Polygon", "coordinates": [outer, hole]}, 0.1)
    assert points and all(10 <= x <= 12 and 60 <= y <= 61 for x, y in points)
    assert not any(10.5 < x < 11.5 and 60.3 < y < 60.7 for x, y in points)


# --- the figure ------------------------------------------------------------------------


def test_national_figure_uses_far_fewer_points(national_frame: pd.DataFrame) -> None:
    simple = maps.map_figure(national_frame, geo.simplified_geojson(), geo.target_points())
    full = maps.map_figure(national_frame, geo.load_geojson(), geo.target_points())
    assert _fill_points(simple) < _fill_points(full) / 2
    assert len(simple.to_json()) < 450_000  # about 0.34 MB at 290 evaluated


def test_every_evaluated_municipality_is_a_hover_and_click_target(
    national_frame: pd.DataFrame,
) -> None:
    fig = maps.national_map(national_frame)
    targets = _targets(fig)
    assert set(targets) == set(national_frame.code)
    shapes = {f["properties"]["id"]: f["geometry"] for f in geo.load_geojson()["features"]}
    for code, points in targets.items():
        name = national_frame.name[national_frame.code == code].iloc[0]
        assert all(h.startswith(f"{name} 2023<br>Total: ") for _, _, h in points), code
        inside = [_inside(shapes[code], x, y) for x, y, _ in points]
        assert sum(inside) >= len(inside) - 1, code  # rounding may move one over the edge
    assert len(targets["1981"]) >= 5 and "av 800" in targets["1981"][0][2]
    (trace,) = [t for t in fig.data if t.name == maps.TARGETS_NAME]
    assert trace.mode == "text" and not trace.text and trace.hoverinfo == "text"
    # The drawn polygons do not hover: only the targets answer.
    assert all(t.hoverinfo == "skip" for t in fig.data if t.fill == "toself")


def test_the_first_screens_map_has_the_colours_without_the_targets(
    national_frame: pd.DataFrame,
) -> None:
    first = maps.national_map(national_frame, hover=False)
    whole = maps.national_map(national_frame)
    assert [t.name for t in first.data if t.name == maps.TARGETS_NAME] == []
    assert [t for t in whole.data if t.name != maps.TARGETS_NAME] == list(first.data)
    assert first.layout == whole.layout


def test_hover_text_is_escaped(sample_frame: pd.DataFrame) -> None:
    frame = sample_frame.copy()
    frame.loc[frame.code == "1981", "name"] = "<b>Sala</b>"
    targets = _targets(maps.map_figure(frame, geo.simplified_geojson(), geo.target_points()))
    assert targets["1981"][0][2].startswith("&lt;b&gt;Sala&lt;/b&gt; 2023")


def test_markers_only_while_few_are_evaluated(
    sample_frame: pd.DataFrame, national_frame: pd.DataFrame
) -> None:
    def markers(fig: Any) -> list[Any]:
        return [t for t in fig.data if t.name == maps.MARKER_NAME]

    few = markers(maps.national_map(sample_frame))
    assert len(few) == 1 and sorted(few[0].customdata) == sorted(
        sample_frame.code[sample_frame.total.notna()]
    )
    assert markers(maps.national_map(national_frame)) == []
    limit = national_frame.head(maps.MARKER_LIMIT)
    assert markers(maps.map_figure(limit, geo.simplified_geojson(), geo.target_points())) == []


def test_legend_lies_below_the_plot_area(
    sample_frame: pd.DataFrame, national_frame: pd.DataFrame
) -> None:
    fig = maps.national_map(sample_frame)
    legend = fig.layout.legend
    assert legend.orientation == "h" and legend.yanchor == "top" and legend.y <= 0
    labels = [t.name for t in fig.data if t.showlegend is not False]
    assert labels[0] == "Ingen utvärdering" and len(labels) >= 2
    assert legend.title.text == "Total (av 800)"
    national = maps.national_map(national_frame)
    assert "Ingen utvärdering" not in [t.name for t in national.data if t.showlegend is not False]


def test_class_labels_in_swedish() -> None:
    assert [maps.class_label(lo, hi) for lo, hi, _ in maps.TOTAL_CLASSES] == [
        "under 400", "400–449", "450–499", "500–549", "550–599", "600–649", "650 och mer",
    ]  # fmt: skip


def test_national_map_is_cached(national_frame: pd.DataFrame) -> None:
    maps.national_map(national_frame)
    start = time.perf_counter()
    again = maps.national_map(national_frame.copy())
    assert time.perf_counter() - start < 0.1
    assert again is maps.national_map(national_frame)


def test_search_options_in_swedish_order(national_frame: pd.DataFrame) -> None:
    options = maps.search_options(national_frame)
    assert len(options) == 290 and options["1981"] == "Sala"
    names = list(options.values())
    assert names.index("Zinkgruvan" if "Zinkgruvan" in names else "Ystad") < names.index("Åre")
    assert names.index("Åre") < names.index("Älmhult") < names.index("Östersund")


def test_clicked_code_reads_flat_and_nested_customdata() -> None:
    assert maps.clicked_code([{"customdata": "1981"}]) == "1981"
    assert maps.clicked_code([{"customdata": ["1981"]}]) == "1981"
    assert maps.clicked_code([{"x": 1}]) is None
    assert maps.clicked_code([]) is None


def test_enclaves_are_drawn_over_the_municipality_around_them(
    national_frame: pd.DataFrame,
) -> None:
    # Part of Strömsund lies inside Krokom (a hole in Krokom's polygon, which is not drawn).
    features = {f["properties"]["id"]: f for f in geo.simplified_geojson()["features"]}
    stromsund, krokom = features["2313"], features["2309"]
    assert stromsund["properties"]["enclaves"] == 1
    enclave = stromsund["geometry"]["coordinates"][-1][0]
    krokom_main = krokom["geometry"]["coordinates"][0][0]
    # Strömsund in the first class, Krokom in the last: one pass would draw Krokom on top.
    frame = national_frame.copy()
    frame.loc[frame.code == "2313", "total"] = 350.0
    frame.loc[frame.code == "2309", "total"] = 700.0
    fig = maps.map_figure(frame, geo.simplified_geojson(), geo.target_points())
    fills = [t for t in fig.data if t.fill == "toself"]

    def trace_of(ring: list[list[float]]) -> int:
        points = {(x, y) for x, y in ring}
        return next(i for i, t in enumerate(fills) if points <= set(zip(t.x, t.y, strict=True)))

    assert trace_of(enclave) > trace_of(krokom_main)


def test_alt_text_counts_what_is_drawn(national_frame: pd.DataFrame) -> None:
    assert maps.alt_text(national_frame).startswith(
        "Karta över Sveriges 290 kommuner: 290 med utvärdering, färgade efter senaste totalpoäng"
    )

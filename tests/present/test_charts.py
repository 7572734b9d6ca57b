"""Colours per chart, the mean on every chart, and charts that fit a phone (issue 10).

Figures are built from the sample store (`sample_db`) the way pages/jamfor.py
builds them, and checked on what plotly will draw: colours, dashes, positions.
"""

from __future__ import annotations

import colorsys
from pathlib import Path
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import pytest

from kompass import queries
from kompass.present import charts, compare, tables
from kompass.present.strings import num

BURLOV, SVENLJUNGA, SALA = "1231", "1465", "1981"


def contrast_on_white(hex_color: str) -> float:
    """WCAG contrast ratio of a colour against white."""

    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    h = hex_color.lstrip("#")
    r, g, b = (channel(int(h[i : i + 2], 16) / 255) for i in (0, 2, 4))
    return 1.05 / (0.2126 * r + 0.7152 * g + 0.0722 * b + 0.05)


def is_yellow(hex_color: str) -> bool:
    """Yellow to orange-yellow: hue 40°–70°, saturated and light."""
    h = hex_color.lstrip("#")
    hue, light, sat = colorsys.rgb_to_hls(*(int(h[i : i + 2], 16) / 255 for i in (0, 2, 4)))
    return 40 <= hue * 360 <= 70 and sat > 0.4 and light > 0.35


def trace_color(trace: Any) -> str:
    """The colour a trace is drawn in: its bar fill, else its line."""
    if trace.type == "bar":
        return str(trace.marker.color)
    return str(trace.line.color)


def drawn_colors(fig: go.Figure) -> list[str]:
    """Colours of the traces that stand for a series (text-only and heatmap traces aside)."""
    return [
        trace_color(t)
        for t in fig.data
        if t.type in ("bar", "scatterpolar") or (t.type == "scatter" and "lines" in t.mode)
    ]


# --- the styles ---------------------------------------------------------------------------


def test_palette_has_no_yellow_and_reads_on_white() -> None:
    for color in [*charts.PALETTE, charts.MEAN_COLOR]:
        assert not is_yellow(color), color
        assert contrast_on_white(color) >= 3.0, color
    assert is_yellow("#F0E442") and is_yellow("#E69F00")  # the check can fail


def test_base_colour_is_the_same_whoever_the_base_and_peers() -> None:
    for base, peers in ((BURLOV, [SVENLJUNGA, SALA]), (SALA, [BURLOV]), ("0180", [])):
        assert charts.series_styles(base, peers)[base] == charts.BASE_STYLE
    assert charts.BASE_STYLE.color == charts.BASE_COLOR == "#0072B2"


def test_no_two_series_of_a_chart_share_colour_dash_or_marker() -> None:
    peers = [f"p{i}" for i in range(5)]
    styles = charts.series_styles("base", peers, with_mean=True)
    assert list(styles) == ["base", *peers, charts.MEAN_KEY]
    for field in ("color", "symbol"):
        values = [getattr(s, field) for s in styles.values()]
        assert len(set(values)) == len(values), field
    # Each peer differs from the base in colour, dash or marker and bar pattern alike.
    for key in peers:
        assert styles[key].dash != "solid" or styles[key].symbol != "circle"
        assert styles[key].pattern != charts.BASE_STYLE.pattern


def test_mean_is_dark_grey_and_its_dash_is_its_own() -> None:
    styles = charts.series_styles("base", [f"p{i}" for i in range(9)], with_mean=True)
    mean = styles.pop(charts.MEAN_KEY)
    assert (mean.color, mean.dash) == (charts.MEAN_COLOR, "dash")
    assert contrast_on_white(mean.color) >= 4.5
    assert mean.dash not in {s.dash for s in styles.values()}


def test_beyond_five_peers_the_rest_are_light_grey() -> None:
    peers = [f"p{i}" for i in range(8)]
    styles = charts.series_styles("base", peers)
    assert [styles[p].color for p in peers[:5]] == charts.PEER_COLORS
    assert [styles[p] for p in peers[5:]] == [charts.OTHER_STYLE] * 3
    assert charts.OTHER_COLOR not in charts.PALETTE


def test_styles_follow_the_order_given_not_the_codes() -> None:
    one = charts.series_styles(BURLOV, [SALA, SVENLJUNGA])
    two = charts.series_styles(BURLOV, [SVENLJUNGA, SALA])
    assert one[SALA] == two[SVENLJUNGA] == charts.PEER_STYLES[0]
    assert charts.series_styles(BURLOV, [SALA, SALA, BURLOV]) == {
        BURLOV: charts.BASE_STYLE,
        SALA: charts.PEER_STYLES[0],
    }


# --- the figures of the Jämför page ------------------------------------------------------


@pytest.fixture(scope="module")
def compared(sample_db: Path) -> dict[str, Any]:
    """What pages/jamfor.py computes for Burlöv against Svenljunga and Sala."""
    evals = queries.evaluations(sample_db)
    latest = queries.latest_evaluations(evals)
    codes = [BURLOV, SVENLJUNGA, SALA]
    ids = [int(latest[latest.code == c].evaluation_id.iloc[0]) for c in codes]
    scores = queries.comparable_scores(sample_db, ids, "2020", True)
    scores["label"] = scores.name + " " + scores.year.astype(str)
    labels = list(dict.fromkeys(scores.label))
    wide = scores.pivot_table(index="label", columns="area", values="score").reindex(labels)
    mean = tables.mean_labels(queries.mean_options(sample_db, "2020")).iloc[0]
    totals = latest[latest.code.isin(codes)].assign(
        label=lambda t: t.name + " " + t.year.astype(str)
    )
    return {
        "scores": scores,
        "wide": wide,
        "labels": labels,
        "names": queries.area_names(sample_db, "2020"),
        "mean": mean,
        "totals": totals[["code", "label", "total"]],
        "styles": charts.series_styles(BURLOV, codes[1:], with_mean=True),
    }


def page_figures(c: dict[str, Any]) -> dict[str, go.Figure]:
    styles, mean, names = c["styles"], c["mean"], c["names"]
    code_of = dict(zip(c["scores"].label, c["scores"].code, strict=False))
    radar = [
        charts.Series.styled(label, list(c["wide"].loc[label]), styles[code_of[label]], i == 0)
        for i, label in enumerate(c["labels"])
    ] + [charts.Series.styled(mean.label, list(mean.scores), styles[charts.MEAN_KEY])]
    return {
        "radar": charts.radar_figure(radar, names, numbered=True),
        "bars": charts.grouped_bars_figure(
            c["scores"], names, styles=styles, mean=list(mean.scores), mean_name=mean.label
        ),
        "totals": charts.totals_figure(c["totals"], BURLOV, mean.total, mean.label),
    }


def test_every_figure_of_the_page_has_distinct_colours_and_the_mean(
    compared: dict[str, Any],
) -> None:
    for name, fig in page_figures(compared).items():
        colors = drawn_colors(fig)
        assert len(colors) == len(set(colors)) >= 3, (name, colors)
        assert charts.MEAN_COLOR in colors, name
        assert charts.BASE_COLOR in colors, name
        assert not any(is_yellow(c) for c in colors), name


def test_radar_numbers_its_spokes_and_draws_the_mean_dashed(compared: dict[str, Any]) -> None:
    fig = page_figures(compared)["radar"]
    assert list(fig.data[0].theta) == [str(i) for i in range(1, 9)] + ["1"]
    assert fig.layout.polar.angularaxis.type == "category"  # not degrees
    mean = fig.data[-1]
    assert (mean.line.color, mean.line.dash) == (charts.MEAN_COLOR, "dash")
    assert [t.line.dash for t in fig.data[:-1]] == ["solid", "dot", "dashdot"]
    assert fig.layout.legend.y < 0  # below the plot


def test_grouped_bars_put_area_names_above_and_never_clip_values(
    compared: dict[str, Any],
) -> None:
    fig = page_figures(compared)["bars"]
    assert fig.layout.yaxis.visible is False
    names = [a.text for a in fig.layout.annotations]
    assert names == charts.short_area_labels(compared["names"], width=46)
    bars = [t for t in fig.data if t.type == "bar"]
    assert all(t.cliponaxis is False and t.textposition == "outside" for t in bars)
    # Each name sits above (a smaller y, the axis runs downwards) every bar of its area.
    for area, note in enumerate(fig.layout.annotations):
        assert all(note.y < t.y[area] for t in bars)
        assert note.yanchor == "bottom" and note.xanchor == "left"
    mean = bars[-1]
    assert mean.marker.color == charts.MEAN_COLOR
    assert list(mean.x) == pytest.approx([float(v) for v in compared["mean"].scores])
    assert fig.layout.yaxis.range[0] > max(max(t.y) for t in bars)  # the last bar fits


def test_heatmap_has_a_mean_row_and_numbered_columns(compared: dict[str, Any]) -> None:
    mean = compared["mean"]
    fig = charts.heatmap_figure(
        compared["wide"], compared["names"], mean=list(mean.scores), mean_name=compare.MEAN_ROW
    )
    heat = fig.data[0]
    assert list(heat.x) == [str(i) for i in range(1, 9)]
    assert len(heat.y) == 4 and compare.MEAN_ROW in heat.y[-1]
    assert heat.z[-1] == pytest.approx([float(v) for v in mean.scores])
    assert heat.y[0] == "Burlöv 2020"


def test_totals_sorted_with_the_base_highlighted_and_a_mean_line(
    compared: dict[str, Any],
) -> None:
    mean = compared["mean"]
    fig = page_figures(compared)["totals"]
    bars = [t for t in fig.data if t.type == "bar"]
    base, rest = bars
    assert base.marker.color == charts.BASE_COLOR and list(base.x) == [595]
    assert rest.marker.color == charts.OTHER_COLOR
    # Sorted high to low from the top: y grows (downwards) as the total falls.
    placed = sorted((y, x) for t in bars for y, x in zip(t.y, t.x, strict=True))
    assert [x for _, x in placed] == [595, 510, 482]
    line = next(t for t in fig.data if t.type == "scatter")
    assert list(line.x) == [mean.total, mean.total]
    assert (line.line.color, line.line.dash) == (charts.MEAN_COLOR, "dash")
    texts = [a.text for a in fig.layout.annotations]
    assert texts[0] == f"Medel {num(mean.total)}"
    assert "Burlöv 2020: 595" in texts and "Sala 2023: 482" in texts
    weights = {a.text: a.font.weight for a in fig.layout.annotations}
    assert weights["Burlöv 2020: 595"] == "bold" and weights["Sala 2023: 482"] == "normal"


def test_totals_without_a_mean_and_a_base_not_first() -> None:
    totals = pd.DataFrame(
        {"code": ["a", "b", "c"], "label": ["A 2020", "B <b>", "C 2022"], "total": [400, 600, None]}
    )
    fig = charts.totals_figure(totals, "a", None)
    assert [t.type for t in fig.data] == ["bar", "bar"]
    assert [a.text for a in fig.layout.annotations] == ["B &lt;b&gt;: 600", "A 2020: 400"]
    assert fig.layout.annotations[1].font.weight == "bold"


def test_difference_table_has_a_mean_column(compared: dict[str, Any]) -> None:
    mean = compared["mean"]
    diff = tables.difference_table(compared["wide"], compared["names"], list(mean.scores))
    base = compared["wide"].iloc[0]
    assert diff["mot medelvärdet"].iloc[0] == pytest.approx(round(base[1] - mean.scores[0], 1))
    assert diff["mot medelvärdet"].loc["Totalt"] == pytest.approx(
        round(sum(base[a] - mean.scores[a - 1] for a in range(1, 9)), 1)
    )
    gaps = tables.difference_table(compared["wide"], compared["names"], [None, *mean.scores[1:]])
    assert pd.isna(gaps["mot medelvärdet"].iloc[0]) and pd.isna(gaps["mot medelvärdet"].iloc[-1])
    assert list(tables.difference_table(compared["wide"], compared["names"]).columns) == [
        "mot Svenljunga 2022",
        "mot Sala 2023",
    ]


def test_area_legend_spells_out_the_numbered_spokes(compared: dict[str, Any]) -> None:
    legend = compare.area_legend(compared["names"])
    assert list(legend.index) == list(range(1, 9))
    assert legend.loc[8, "Område"] == compared["names"][7]


def test_row_charts_grow_with_their_rows_and_keep_old_signatures(
    compared: dict[str, Any],
) -> None:
    names, mean = compared["names"], list(compared["mean"].scores)
    scores = [float(v) for v in compared["wide"].iloc[0]]
    bars = charts.area_bars_figure(scores, names, charts.BASE_COLOR, "Burlöv 2020", mean, "Medel")
    dumbbell = charts.dumbbell_figure(scores, scores, names, ("a", "b"), charts.BASE_COLOR, mean)
    for fig in (bars, dumbbell):
        assert [a.text for a in fig.layout.annotations] == charts.short_area_labels(names, 46)
        assert fig.layout.height >= 8 * 2 * charts.ROW_UNIT_PX
    legacy = charts.grouped_bars_figure(compared["scores"], names, {BURLOV: "#000000"})
    assert legacy.data[0].marker.color == "#000000"

"""Jämför through AppTest: the chosen mean on every chart, the totals chart, colours per chart.

Burlöv (1231) against Svenljunga (1465) and Sala (1981) on the sample store, the
issue's example (issue 10, points 3, 4 and 7).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from kompass.present import charts, compare
from tests.helpers.app import figure, run_page, tables, texts, values

CHARTS = ("cmp_radar", "cmp_bars", "cmp_heatmap", "cmp_totals")


@pytest.fixture(scope="module")
def burlov(sample_db: Path) -> AppTest:
    """The page once for the module (the store is read-only); caches cleared before."""
    from kompass.ui import cache

    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("KOMPASS_DB", str(sample_db))
        mp.setenv("KOMPASS_NO_AUTOLOAD", "0")
        cache.clear()
        at = run_page("pages/jamfor.py", kommun="1231", med="1465,1981")
        cache.clear()
    return at


def series_colors(fig: dict[str, Any]) -> list[str]:
    """The colour of each trace that stands for a series (bars, lines, radar polygons)."""
    out = []
    for t in fig["data"]:
        if t["type"] == "bar":
            out.append(t["marker"]["color"])
        elif t["type"] == "scatterpolar" or "lines" in t.get("mode", ""):
            out.append(t["line"]["color"])
    return out


def test_every_chart_is_there(burlov: AppTest) -> None:
    keys = [c.proto.id for c in burlov.get("plotly_chart")]
    for key in CHARTS:
        assert any(key in k for k in keys), (key, keys)


@pytest.mark.parametrize("key", ["cmp_radar", "cmp_bars", "cmp_totals"])
def test_each_chart_has_the_mean_and_distinct_colours(burlov: AppTest, key: str) -> None:
    fig = figure(burlov, key)
    colors = series_colors(fig)
    assert len(colors) == len(set(colors)), colors
    assert colors.count(charts.MEAN_COLOR) == 1
    assert charts.BASE_COLOR in colors
    mean = next(
        t
        for t in fig["data"]
        if charts.MEAN_COLOR in (t.get("line", {}).get("color"), t.get("marker", {}).get("color"))
    )
    assert mean["name"].startswith(("Medel", "SKR"))  # the chosen mean, named in the legend


def test_radar_has_base_peers_and_the_dashed_mean(burlov: AppTest) -> None:
    data = figure(burlov, "cmp_radar")["data"]
    assert [t["name"] for t in data[:3]] == ["Burlöv 2020", "Svenljunga 2022", "Sala 2023"]
    assert [t["line"]["color"] for t in data[:3]] == [charts.BASE_COLOR, *charts.PEER_COLORS[:2]]
    assert data[3]["line"]["dash"] == "dash" and len(data) == 4
    assert data[0]["theta"][:8] == [str(i) for i in range(1, 9)]
    assert values(data[0]["r"])[:8] == [79, 72, 80, 73, 70, 68, 78, 75]


def test_heatmap_has_a_mean_row(burlov: AppTest) -> None:
    heat = figure(burlov, "cmp_heatmap")["data"][0]
    assert len(heat["y"]) == 4 and compare.MEAN_ROW in heat["y"][-1]


def test_totals_sorted_with_burlov_highlighted_and_the_mean(burlov: AppTest) -> None:
    fig = figure(burlov, "cmp_totals")
    base, rest = (t for t in fig["data"] if t["type"] == "bar")
    assert base["marker"]["color"] == charts.BASE_COLOR and values(base["x"]) == [595]
    assert values(rest["x"]) == [510, 482]
    assert values(base["y"])[0] < min(values(rest["y"]))  # on top
    line = next(t for t in fig["data"] if t["type"] == "scatter")
    assert line["line"]["dash"] == "dash" and len(set(values(line["x"]))) == 1


def test_difference_table_has_the_mean_and_captions_say_what_charts_show(
    burlov: AppTest,
) -> None:
    # The wide table and, for a phone, its long twin (CSS shows one of them).
    diff, long = tables(burlov)[-2:]
    assert list(long.columns) == ["Mot", "Skillnad"]
    assert len(long) == 9 * 3  # eight areas and the total, against two and the mean
    assert long.Skillnad.iloc[0] == "+10" and long.Mot.iloc[0] == "Svenljunga 2022"
    assert list(diff.columns) == ["mot Svenljunga 2022", "mot Sala 2023", "mot medelvärdet"]
    assert (diff["mot Svenljunga 2022"].iloc[0], diff["mot Sala 2023"].iloc[-1]) == ("+10", "+113")
    assert all(v.startswith(("+", "−", "±")) for v in diff["mot medelvärdet"])
    shown = texts(burlov)
    for sentence in ("Spindeldiagram över poängen", "Staplar per område", "Värmekarta med"):
        assert sentence in shown
    assert "Totalpoängen (av 800)" in shown and "Källa: Kommunkompassen" in shown


def test_a_link_to_an_earlier_year_says_jamfor_compares_the_latest(
    sample_db: Path, use_db: Any
) -> None:
    use_db(sample_db)
    at = run_page("pages/jamfor.py", kommun="1981", ar="2019")
    told = " ".join(i.value for i in at.info)
    assert "för Sala den från 2023, inte 2019" in told

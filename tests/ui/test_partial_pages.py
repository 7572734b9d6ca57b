"""Every page on a store with partial, total-only and published results (issue 11).

The store is the sample plus imported rows (tests/helpers/db.py,
`with_partial_results`): areas missing are "uppgift saknas" in tables and are
never drawn as 0; a total-only result shows its total; published results are
marked "publicerat resultat" with their source; a computed total says so.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.helpers.app import figure, run_page, tables, texts, values
from tests.helpers.db import KARLSKOGA_SOURCE, with_partial_results

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.fixture(scope="module")
def partial_db(sample_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return with_partial_results(sample_db, tmp_path_factory.mktemp("partial"))


def _cells(at: Any) -> str:
    """Every static table's and st.dataframe's cell as shown (Markdown escapes removed)."""
    parts = []
    for frame in [*tables(at), *(t.value for t in at.dataframe)]:
        parts += [str(v).replace("\\", "") for v in frame.to_numpy().ravel()]
    return "\n".join(parts)


def _shown(at: Any) -> str:
    """`texts` plus the st.info boxes, escapes removed."""
    return texts(at) + "\n" + "\n".join(str(i.value).replace("\\", "") for i in at.info)


def _numbers(fig: dict[str, Any]) -> list[float]:
    """Every x and r value drawn by the figure's bar and polar traces."""
    out: list[float] = []
    for trace in fig["data"]:
        for axis in ("x", "r"):
            if trace.get("type") in ("bar", "scatterpolar") and axis in trace:
                out += [v for v in values(trace[axis]) if v is not None]
    return out


def test_partial_result_without_total_shows_missing_areas(partial_db: Path, use_db: Any) -> None:
    # Vara 2019: areas 1 (50) and 2 (60) only, no total.
    use_db(partial_db)
    at = run_page("pages/profil.py", kommun="1470")
    cells = _cells(at)
    assert cells.count("uppgift saknas") == 7  # areas 3–8 and the total
    assert "radar" not in [c.proto.id for c in at.get("plotly_chart")]
    bars = figure(at, "area_bars")
    assert values(bars["data"][0]["x"]) == [50.0, 60.0]
    assert 0 not in _numbers(bars)
    shown = _shown(at)
    assert "Källan anger inte poängen för områdena 3" in shown
    assert "Total (av 800) uppgift saknas" in shown


def test_total_only_result_shows_its_total_marked_published(partial_db: Path, use_db: Any) -> None:
    use_db(partial_db)
    at = run_page("pages/profil.py", kommun="1883")
    shown = _shown(at)
    assert "Total (av 800) 450" in shown
    assert "Källan anger bara totalpoängen" in shown
    assert "publicerat resultat" in shown
    assert KARLSKOGA_SOURCE in shown
    assert not at.get("plotly_chart")  # nothing to draw: no area is given
    assert _cells(at).count("uppgift saknas") == 8


def test_partial_published_result_with_total(partial_db: Path, use_db: Any) -> None:
    use_db(partial_db)
    at = run_page("pages/profil.py", kommun="1283")
    bars = figure(at, "area_bars")
    assert values(bars["data"][0]["x"]) == [80.0, 90.0]
    # Labelled with the areas' own numbers, not 1 and 2.
    labels = [a["text"] for a in bars["layout"]["annotations"]]
    assert labels[0].startswith("2 ") and labels[1].startswith("5 ")
    assert "Total (av 800) 668" in texts(at)
    assert _cells(at).count("uppgift saknas") == 6


def test_computed_total_is_labelled(partial_db: Path, use_db: Any) -> None:
    use_db(partial_db)
    at = run_page("pages/profil.py", kommun="0182")
    (total,) = [m for m in at.metric if m.label == "Total (av 800)"]
    assert "summa av områdena" in total.proto.help


def test_oversikt_marks_published_results(partial_db: Path, use_db: Any) -> None:
    use_db(partial_db)
    at = run_page("pages/oversikt.py")
    fig = figure(at, "map")
    (targets,) = [t for t in fig["data"] if t.get("name") == "Kommuner"]
    hover = dict(zip(targets["customdata"], targets["hovertext"], strict=True))
    assert "publicerat resultat" in hover["1883"]
    assert "karlskoga.se" in hover["1883"]
    assert "publicerat resultat" not in hover["1981"]
    assert "summa av områdena" in hover["0182"]
    ranking = at.dataframe[0].value
    karlskoga = ranking[ranking.Kommun == "Karlskoga"].iloc[0]
    assert karlskoga["Total"] == "450"
    assert karlskoga["Källa"].startswith("publicerat resultat: https://karlskoga.se")
    assert "uppgift saknas" in _cells(at)
    shown = _shown(at)
    assert "publicerade resultat (data/published)" in shown
    assert "Totalen för Nacka 2011 är summa av områdena" in shown


def test_utveckling_draws_totals_over_time_with_published_marked(
    partial_db: Path, use_db: Any
) -> None:
    use_db(partial_db)
    at = run_page("pages/utveckling.py", kommun="1981")
    fig = figure(at, "totals_time")
    line, marked, _values = fig["data"]
    assert values(line["x"]) == [2016, 2019, 2023]
    assert values(line["y"]) == [430.0, 363.0, 482.0]
    assert marked["name"] == "publicerat resultat"
    assert values(marked["x"]) == [2016]
    assert "sala.se" in marked["customdata"][0]
    shown = _shown(at)
    assert "publicerade resultat (data/published)" in shown
    # Sala 2014 gives areas 1 and 3 and no total: listed, not drawn.
    assert "2014 (poäng för 2 av 8 områden; totalpoäng: uppgift saknas" in shown
    dumbbell = figure(at, "dumbbell")
    assert 0 not in _numbers(dumbbell)


def test_utveckling_published_total_only_municipality(partial_db: Path, use_db: Any) -> None:
    # Helsingborg: one partial published result; no chart of one point, no exception.
    use_db(partial_db)
    at = run_page("pages/utveckling.py", kommun="1283")
    shown = _shown(at)
    assert "2017 (poäng för 2 av 8 områden; 668 av 800, publicerat resultat)" in shown
    assert not any("totals_time" in c.proto.id for c in at.get("plotly_chart"))


@pytest.mark.parametrize(
    ("page", "params"),
    [
        ("pages/jamfor.py", {"kommun": "1981"}),
        ("pages/jamfor.py", {"kommun": "1444"}),
        ("pages/lar-av-andra.py", {"kommun": "1444"}),
        ("pages/lar-av-andra.py", {"kommun": "1981"}),
        ("pages/fynd.py", {}),
        ("pages/data.py", {}),
    ],
)
def test_other_pages_never_draw_a_missing_area(
    partial_db: Path, use_db: Any, page: str, params: dict[str, str]
) -> None:
    use_db(partial_db)
    at = run_page(page, **params)
    charts = at.get("plotly_chart")
    for chart in charts:
        assert 0 not in _numbers(json.loads(chart.proto.spec)), chart.proto.id


def test_role_model_from_a_published_result_says_so(partial_db: Path, use_db: Any) -> None:
    # Grästorp 2014 (published, all eight areas) is a role model for Höganäs 2018.
    use_db(partial_db)
    at = run_page("pages/lar-av-andra.py", kommun="1284")
    shown = _shown(at)
    assert "Grästorp 2014" in shown
    assert "(publicerat resultat, ingen rapporttext)" in shown


def test_data_page_tables_say_uppgift_saknas(partial_db: Path, use_db: Any) -> None:
    use_db(partial_db)
    at = run_page("pages/data.py")
    browse = next(s for s in at.selectbox if "utvarderingar" in s.options)
    browse.set_value("utvarderingar").run()
    assert not at.exception, [e.value for e in at.exception]
    (table,) = [d.value for d in at.dataframe if "antal_omraden" in d.value.columns]
    vara = table[table.kommun == "Vara"].iloc[0]
    assert vara.total == "uppgift saknas"
    assert vara.antal_omraden == "2"
    assert bool(table[table.kommun == "Nacka"].iloc[0].total_beraknad)
    assert bool(table[table.kommun == "Karlskoga"].iloc[0].publicerat)


@pytest.mark.parametrize("kommun", ["1470", "1883", "1283"])
def test_a_partial_result_has_its_print_page_csv_and_link(
    partial_db: Path, use_db: Any, kommun: str
) -> None:
    use_db(partial_db)
    at = run_page("pages/profil.py", kommun=kommun)
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels == ["Utskrift (HTML)", "Tabellen som CSV (Excel)"]
    assert f"kommun={kommun}" in at.code[0].value

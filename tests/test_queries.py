"""Queries and charts against the store built from the five sample reports."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from kompass import charts, queries


@pytest.fixture(scope="module")
def evals(sample_db: Path) -> pd.DataFrame:
    return queries.evaluations(sample_db)


def _eval_id(evals: pd.DataFrame, code: str, year: int) -> int:
    return int(evals[(evals.code == code) & (evals.year == year)].evaluation_id.iloc[0])


def _scores(db: Path, evals: pd.DataFrame, code: str, year: int) -> list[float]:
    eid = _eval_id(evals, code, year)
    return list(queries.scores_wide(db, [eid]).loc[eid])


def _medel_2020(db: Path) -> list[float]:
    options = queries.mean_options(db, "2020")
    ref = options[options.label.str.startswith("Medel 2020-")]
    assert len(ref) == 1, options.label.tolist()
    return list(ref.scores.iloc[0])


def test_evaluations_hold_reports_and_stated_previous(evals: pd.DataFrame) -> None:
    got = {(r.name, r.year, r.origin) for r in evals.itertuples()}
    assert ("Sala", 2019, "stated_in_report") in got
    assert ("Sala", 2023, "report") in got
    assert len(evals) == 6
    assert evals.set_index(["code", "year"]).loc[("1981", 2023), "total"] == 482


def test_sala_2023_radar_values(sample_db: Path, evals: pd.DataFrame) -> None:
    scores = _scores(sample_db, evals, "1981", 2023)
    names = queries.area_names(sample_db, "2020")
    fig = charts.radar_figure([charts.Series("Sala 2023", scores, "#0072B2", fill=True)], names)
    r = list(fig.data[0].r)
    assert r[:8] == [66, 60, 66, 57, 55, 58, 62, 58]
    assert r[8] == r[0]  # closed polygon
    assert fig.layout.polar.radialaxis.range == (0, 100)
    assert list(fig.data[0].theta[:8]) == charts.wrapped_area_labels(names)


def test_sala_change_area_7_is_plus_36(sample_db: Path, evals: pd.DataFrame) -> None:
    before = _scores(sample_db, evals, "1981", 2019)
    after = _scores(sample_db, evals, "1981", 2023)
    names = queries.area_names(sample_db, "2020")
    table = queries.change_table(before, after, names, _medel_2020(sample_db))
    assert table["Förändring"].iloc[6] == 36
    assert sum(after) - sum(before) == 119
    # Gap to the mean in area 7: 26 - 68 before, 62 - 68 after.
    assert table["Gap mot medel före"].iloc[6] == -42
    assert table["Gap mot medel efter"].iloc[6] == -6


def test_svenljunga_against_medel_2020(sample_db: Path, evals: pd.DataFrame) -> None:
    scores = _scores(sample_db, evals, "1465", 2022)
    mean = _medel_2020(sample_db)
    above = [a for a in range(1, 9) if scores[a - 1] > mean[a - 1]]
    below = [a for a in range(1, 9) if scores[a - 1] < mean[a - 1]]
    assert above == [1, 3, 6, 8]
    assert below == [2, 4, 5, 7]


def test_mean_options_state_label_source_and_n(sample_db: Path) -> None:
    options = queries.mean_options(sample_db, "2020")
    ref = options[options.kind == "reference"].iloc[0]
    assert "sala-2023" in ref.label and ref.total == 515
    own = options[options.kind == "database"].iloc[0]
    # Burlöv 2020, Sala 2019 (stated), Sala 2023 and Svenljunga 2022.
    assert own.n == 4 and "n = 4" in own.label
    assert queries.mean_options(sample_db, "2010").kind.tolist() == ["database"]


def test_peers_for_burlov(sample_db: Path) -> None:
    assert queries.peers(sample_db, "1231", "grannar").empty
    county = queries.peers(sample_db, "1231", "lan")
    assert set(county.name) == {"Höganäs", "Lund"}
    nearest = queries.peers(sample_db, "1231", "narmast", k=2)
    assert list(nearest.name) == ["Lund", "Höganäs"]
    assert nearest.distance_km.is_monotonic_increasing


def test_comparable_scores_map_2010_to_2020(sample_db: Path, evals: pd.DataFrame) -> None:
    lund = _eval_id(evals, "1281", 2011)
    burlov = _eval_id(evals, "1231", 2020)
    mapped = queries.comparable_scores(sample_db, [burlov, lund], "2020", True)
    lund_rows = mapped[mapped.evaluation_id == lund].set_index("area")
    # Lund's 2010 area 2 (Tillgänglighet och brukarorientering, 51.8) is 2020 area 5.
    assert lund_rows.loc[5, "score"] == pytest.approx(51.8)
    assert lund_rows.loc[5, "source_area"] == 2
    assert lund_rows.mapped.all()
    within = queries.comparable_scores(sample_db, [burlov, lund], "2020", False)
    assert set(within.evaluation_id) == {burlov}


def test_difference_table(sample_db: Path, evals: pd.DataFrame) -> None:
    ids = [_eval_id(evals, "1231", 2020), _eval_id(evals, "1981", 2023)]
    wide = queries.scores_wide(sample_db, ids)
    wide.index = ["Burlöv 2020", "Sala 2023"]
    diff = queries.difference_table(wide, queries.area_names(sample_db, "2020"))
    assert diff["mot Sala 2023"].iloc[0] == 79 - 66
    assert diff["mot Sala 2023"].loc["Totalt"] == 595 - 482


def test_subareas_as_percent(sample_db: Path, evals: pd.DataFrame) -> None:
    subs = queries.subarea_scores(sample_db, _eval_id(evals, "1981", 2023))
    first = subs.iloc[0]
    assert (first.code, first.score, first["max"], first.pct) == ("1.1", 13, 20, 65)
    fig = charts.subarea_figure(subs, "#0072B2")
    assert max(fig.data[0].x) <= 100


def test_color_map_is_stable_and_distinct(evals: pd.DataFrame) -> None:
    colors = charts.color_map(list(evals.code))
    assert len(set(colors.values())) == evals.code.nunique()
    assert charts.color_map(list(reversed(evals.code))) == colors

"""Queries and charts against the store built from the five sample reports."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from kompass import queries
from kompass.present import charts, tables


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
    ref = options[options.series_label == "Medel 2020-"]
    assert len(ref) == 1, options.series_label.tolist()
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
    table = tables.change_table(before, after, names, _medel_2020(sample_db))
    assert table["Förändring"].iloc[6] == 36
    assert sum(after) - sum(before) == 119
    # Gap to the mean in area 7: 26 - 68 before, 62 - 68 after.
    assert table["Avstånd till medel före"].iloc[6] == -42
    assert table["Avstånd till medel efter"].iloc[6] == -6


def test_svenljunga_against_medel_2020(sample_db: Path, evals: pd.DataFrame) -> None:
    scores = _scores(sample_db, evals, "1465", 2022)
    mean = _medel_2020(sample_db)
    above = [a for a in range(1, 9) if scores[a - 1] > mean[a - 1]]
    below = [a for a in range(1, 9) if scores[a - 1] < mean[a - 1]]
    assert above == [1, 3, 6, 8]
    assert below == [2, 4, 5, 7]


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
    diff = tables.difference_table(wide, queries.area_names(sample_db, "2020"))
    assert diff["mot Sala 2023"].iloc[0] == 79 - 66
    assert diff["mot Sala 2023"].loc["Totalt"] == 595 - 482


def test_subareas_as_percent(sample_db: Path, evals: pd.DataFrame) -> None:
    subs = queries.subarea_scores(sample_db, _eval_id(evals, "1981", 2023))
    first = subs.iloc[0]
    assert (first.code, first.score, first["max"], first.pct) == ("1.1", 13, 20, 65)
    fig = charts.subarea_figure(subs, "#0072B2")
    assert max(fig.data[0].x) <= 100


def test_ranking_is_dated_and_within_generation(evals: pd.DataFrame) -> None:
    ranked = queries.ranking(evals)
    ranked = ranked.assign(rank_text=tables.ranking_texts(ranked)).set_index("name")
    assert (ranked.loc["Sala", "rank"], ranked.loc["Sala", "n_ranked"]) == (3, 3)
    assert ranked.loc["Sala", "rank_text"] == "3:e av 3 inom 2020-ramverket, per 2023"
    assert ranked.loc["Burlöv", "rank_text"] == "1:a av 3 inom 2020-ramverket, per 2023"
    assert ranked.loc["Höganäs", "rank_text"] == "1:a av 2 inom 2010-ramverket, per 2018"
    assert ranked.loc["Sala", "year"] == 2023  # the latest, not the stated 2019


def test_role_models_for_sala_brukarens_fokus(sample_db: Path, evals: pd.DataFrame) -> None:
    sala = _eval_id(evals, "1981", 2023)
    scores = _scores(sample_db, evals, "1981", 2023)
    weakest = queries.weakest_areas(scores, queries.area_names(sample_db, "2020"), 3)
    assert [a for a, _, _ in weakest] == [5, 4, 6]  # 55, 57, 58 (8 also 58: lower number first)
    models = queries.role_models(sample_db, sala, 5)
    assert list(models.name) == ["Burlöv", "Svenljunga"]  # 70, 55: 2020 generation only
    assert "Enkelt att få kontakt med kommunen – många kontaktvägar." in models.strengths.iloc[0]


def test_an_import_without_subareas_has_area_role_models_only(sample_db_copy: Path) -> None:
    from kompass.store.imports import import_scores

    header = "kommun;ar;ramverk;" + ";".join(f"omrade{n}" for n in range(1, 9)) + ";kalla"
    import_scores(
        f"{header}\nAle;2022;2020;70;65;72;40;58;61;66;68;Ale\n".encode(), "a.csv", sample_db_copy
    )
    evals = queries.evaluations(sample_db_copy)
    ale = _eval_id(evals, "1440", 2022)
    subs = queries.weakest_subareas(sample_db_copy, ale, 5)
    assert subs.empty and {"code", "pct", "best_name"} <= set(subs.columns)
    models = queries.role_models(sample_db_copy, ale, 4)
    assert list(models.name) == ["Burlöv", "Svenljunga", "Sala"]
    assert set(models.origin) == {"report"}
    # Ale, imported, is a role model for Svenljunga's area 5 (58 against 55): no strengths.
    svenljunga = _eval_id(evals, "1465", 2022)
    models = queries.role_models(sample_db_copy, svenljunga, 5)
    imported = models[models.name == "Ale"].iloc[0]
    assert (imported.origin, imported.strengths) == ("import", [])


def test_weakest_subareas_match_code_and_name(sample_db: Path, evals: pd.DataFrame) -> None:
    subs = queries.weakest_subareas(sample_db, _eval_id(evals, "1981", 2023), 5)
    first = subs.iloc[0]
    assert (first.code, first.pct) == ("5.2", 45.0)
    # Svenljunga's 5.2 has the same name (Fokus på service och bemötande), Burlöv's does not.
    assert (first.best_name, first.best_year) == ("Svenljunga", 2022)


def test_search_findings_filters_and_escapes(sample_db: Path) -> None:
    hits = queries.search_findings(sample_db, "digital")
    assert set(hits.name) == {"Burlöv", "Lund", "Sala", "Svenljunga"}
    assert all("digital" in t.lower() for t in hits.text)
    only = queries.search_findings(sample_db, "digital", area=4, kind="strengths")
    assert set(zip(only.name, only.area, only.kind, strict=True)) == {
        ("Sala", 4, "strengths"),
        ("Svenljunga", 4, "strengths"),
    }
    assert queries.search_findings(sample_db, "100%").empty  # "%" is literal, not a wildcard
    assert queries.search_findings(sample_db, "'; DROP TABLE finding; --").empty
    assert len(queries.search_findings(sample_db)) > 300


def test_map_frame_covers_sweden(sample_db: Path) -> None:
    frame = queries.map_frame(sample_db)
    assert len(frame) == 290
    assert frame.total.notna().sum() == 5
    assert frame.set_index("code").loc["1981", "total"] == 482  # the latest of Sala's two
    evaluated = frame[frame.total.notna()]
    assert sorted(evaluated.code) == ["1231", "1281", "1284", "1465", "1981"]
    # The map drawn from it (present.maps.map_figure) is tested with the maps.


def test_formatted_tables_use_swedish_numbers() -> None:
    table = tables.change_table([42.2, 50], [45.0, 48], ["A", "B"], [44.4, None])
    shown = tables.formatted(table).set_index("Område")
    assert shown.loc["1 A", "Före"] == "42,2"
    assert shown.loc["1 A", "Förändring"] == "+2,8"
    assert shown.loc["2 B", "Förändring"] == "−2"
    assert shown.loc["2 B", "Medel"] == "–"


def test_source_caption_names_files_or_counts_them() -> None:
    from kompass.present.strings import source_caption

    assert source_caption(["sala-2023.txt"]) == "Källa: Kommunkompassen, SKR; rapport sala-2023.txt"
    many = source_caption([f"{i}.txt" for i in range(40)], "Grå: ingen utvärdering.")
    assert many == (
        "Källa: Kommunkompassen, SKR; 40 rapporter (förtecknade på sidan Data). "
        "Grå: ingen utvärdering."
    )


def test_comparison_keeps_the_base_first(sample_db: Path, evals: pd.DataFrame) -> None:
    # Sala as the base against Burlöv, which comes first alphabetically.
    ids = [_eval_id(evals, "1981", 2023), _eval_id(evals, "1231", 2020)]
    scores = queries.comparable_scores(sample_db, ids, "2020", True)
    assert list(dict.fromkeys(scores.name)) == ["Sala", "Burlöv"]


def test_nearest_orders_by_distance_and_stops_at_k(sample_db: Path) -> None:
    from kompass.queries.profile import nearest

    # From Sala's centroid: Västerås, then Uppsala, then Stockholm; Malmö far away.
    among = ["1280", "0180", "0380", "1980"]
    assert nearest(sample_db, "1981", among, 3) == ["1980", "0380", "0180"]
    assert nearest(sample_db, "1981", ["1981", "1280"], 5) == ["1280"]  # never itself

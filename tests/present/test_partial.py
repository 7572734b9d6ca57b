"""Partial, total-only and published results in Swedish (present.partial and users, issue 11)."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from kompass import queries
from kompass.present import (
    charts,
    development,
    maps,
    means,
    overview,
    partial,
    printout,
    profile,
    tables,
)
from kompass.present.printout import summary_facts
from kompass.present.sentences import evaluators_sentence
from kompass.present.strings import MISSING_VALUE
from tests.helpers.db import (
    HELSINGBORG_SOURCE,
    KARLSKOGA_SOURCE,
    NACKA_AREAS,
    with_partial_results,
)

NAMES = [f"Område {a}" for a in range(1, 9)]


@pytest.fixture(scope="module")
def partial_db(sample_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return with_partial_results(sample_db, tmp_path_factory.mktemp("partial_present"))


def test_area_span_joins_runs() -> None:
    assert partial.area_span([1, 3, 5, 6, 7, 8]) == "1, 3 och 5–8"
    assert partial.area_span([2, 3]) == "2 och 3"
    assert partial.area_span([4]) == "4"
    assert partial.area_span([1, 2, 3, 4, 5, 6, 7, 8], prefix="O") == "O1–O8"


def test_cells_and_totals_say_what_is_missing() -> None:
    assert partial.cell(None) == MISSING_VALUE
    assert partial.cell(float("nan")) == MISSING_VALUE
    assert partial.cell(0.0) == "0"  # a real zero is a zero
    assert partial.total_text(None) == MISSING_VALUE
    assert partial.total_text(506.0) == "506"
    assert partial.total_help(True) is not None and "summa av områdena" in partial.total_help(True)
    assert partial.total_help(False) is None
    assert partial.total_help(pd.NA) is None


def test_missing_text_names_the_missing_areas() -> None:
    scores: list[float | None] = [50.0, 60.0, None, None, None, None, None, None]
    text = partial.missing_text(scores, NAMES)
    assert "områdena 3 Område 3, 4 Område 4" in text
    assert "1 Område 1" not in text
    assert partial.missing_text([None] * 8, NAMES).startswith("Källan anger bara totalpoängen")
    assert partial.missing_text([1.0] * 8, NAMES) == ""


def test_source_of_marks_published_results_with_their_url() -> None:
    url = "https://example.se/" + "a" * 100
    text = partial.source_of("import", True, url)
    assert text.startswith("publicerat resultat: https://example.se/")
    assert len(text) <= len("publicerat resultat: ") + partial.SOURCE_CHARS
    assert partial.source_of("import", False, url) == "importerat resultat"
    assert partial.source_of("report", None, None) == "utvärderingsrapport"


def test_source_notes_name_data_published_only_when_shown() -> None:
    shown = pd.DataFrame({"file_name": ["a.txt", "published/results.csv"], "published": [0, 1]})
    assert partial.report_files(shown) == ["a.txt"]
    assert "publicerade resultat (data/published)" in partial.with_published(shown, "X.")
    none = shown.assign(published=[False, False])
    assert partial.with_published(none, "X.") == "X."


def test_bars_of_given_areas_carry_their_own_numbers() -> None:
    fig = charts.area_bars_figure([61.0, 73.0], ["A", "C"], "#000", "Sala", numbers=[1, 3])
    labels = [a.text for a in fig.layout.annotations]
    assert labels == ["1 A", "3 C"]
    assert list(fig.data[0].x) == [61.0, 73.0]


def test_profile_partial_view(partial_db: Path) -> None:
    facts = summary_facts(partial_db, "1283", 2017)
    assert facts.areas == []  # fewer than eight areas: printout gives no area facts
    evals = queries.evaluations(partial_db)
    row = evals[(evals.code == "1283")].iloc[0]
    wide = queries.scores_wide(partial_db, [int(row.evaluation_id)])
    scores = partial.area_values(wide, int(row.evaluation_id))
    assert scores == [None, 80.0, None, None, 90.0, None, None, None]
    view = profile.partial_view(facts, scores, queries.area_names(partial_db, "2010"))
    assert view.total == "668"
    assert list(view.table["Poäng"]).count(MISSING_VALUE) == 6
    assert list(view.table["Poäng"])[-1] == "668"
    assert view.figure is not None
    assert list(view.figure.data[0].x) == [80.0, 90.0]
    assert "område" in view.alt and "2 och 5" in view.alt


def test_total_only_view_draws_nothing(partial_db: Path) -> None:
    facts = summary_facts(partial_db, "1883", 2014)
    view = profile.partial_view(facts, [None] * 8, NAMES)
    assert view.figure is None
    assert view.total == "450"
    assert list(view.table["Poäng"]).count(MISSING_VALUE) == 8


def test_ranking_table_marks_sources_and_missing_areas(partial_db: Path) -> None:
    ranked = queries.ranking(queries.evaluations(partial_db))
    wide = queries.scores_wide(partial_db, [int(i) for i in ranked.evaluation_id])
    table = tables.ranking_table(ranked, wide).set_index("Kommun")
    assert table.loc["Karlskoga", tables.SOURCE] == f"publicerat resultat: {KARLSKOGA_SOURCE}"
    assert table.loc["Karlskoga", tables.MISSING_AREAS] == "uppgift saknas: O1–O8"
    assert table.loc["Helsingborg", tables.MISSING_AREAS] == (
        "uppgift saknas: O1, O3, O4 och O6–O8"
    )
    assert table.loc["Nacka", tables.SOURCE].endswith("(total: summa av områdena)")
    assert table.loc["Sala", tables.SOURCE] == "utvärderingsrapport"
    assert table.loc["Sala", tables.MISSING_AREAS] == ""
    # A missing area is no number in the grid (an empty bar), never 0.
    assert pd.isna(table.loc["Karlskoga", "O1"])
    note = overview.ranking_note(ranked)
    assert "publicerat resultat" in note and "Totalen för Nacka 2011 är summa av områdena" in note


def test_map_hover_marks_published_and_computed(partial_db: Path) -> None:
    frame = queries.map_frame(partial_db)
    rows = {r.code: r for r in frame.itertuples(index=False)}
    assert "publicerat resultat: https://karlskoga.se" in maps.hover_text(rows["1883"])
    assert "Total: 668 av 800 (summa av områdena)" in maps.hover_text(rows["0182"])
    assert "publicerat" not in maps.hover_text(rows["1981"])
    assert "3 av dem publicerat resultat" in maps.alt_text(frame)


def test_totals_points_and_figure(partial_db: Path) -> None:
    evals = queries.evaluations(partial_db)
    points = development.totals_points(evals, "1981")
    assert list(points.year) == [2016, 2019, 2023]  # 2014 has no total: not a point
    assert list(points.marked) == [True, False, False]
    fig = charts.totals_over_time_figure(points, "Sala", "#0072B2", "publicerat resultat")
    assert list(fig.data[0].y) == [430.0, 363.0, 482.0]
    assert fig.data[1].name == "publicerat resultat" and list(fig.data[1].x) == [2016]
    assert "publicerat resultat" in development.totals_alt("Sala", points)


def test_totals_only_caption_words_partial_rows(partial_db: Path) -> None:
    evals = queries.evaluations(partial_db)
    sala = evals[(evals.code == "1981") & (evals.n_areas < 8)]
    text = development.totals_only_caption(sala)
    assert "2014 (poäng för 2 av 8 områden; totalpoäng: uppgift saknas, importerat resultat)" in (
        text
    )
    assert "2016 (430 av 800, publicerat resultat)" in text
    # Old callers: (year, total, origin) tuples.
    assert "2010 (400 av 800, importerat resultat)" in development.totals_only_caption(
        [(2010, 400.0, "import")]
    )


def test_evaluators_sentence_for_published() -> None:
    text = evaluators_sentence([], "import", "published/results.csv", "[x](x)", published=True)
    assert text == "Källa: publicerat resultat, [x](x) (data/published/results.csv)."


def test_computed_mean_uses_full_evaluations_only(partial_db: Path) -> None:
    # 2010: Höganäs, Lund, Grästorp, Nacka have all eight areas; Helsingborg, Vara,
    # Sala 2014 and the total-only results do not count.
    mean = queries.computed_mean(partial_db, "2010")
    assert set(mean.n) == {4}
    nacka_1 = NACKA_AREAS[1]
    assert mean.score.iloc[0] != nacka_1  # several municipalities, not one
    options = queries.mean_options(partial_db, "2010")
    assert list(options.kind) == ["computed"]


def test_sources_and_year_picker_name_published_results_as_such() -> None:
    from kompass.present.links import year_option
    from kompass.present.strings import source_caption

    caption = source_caption(["published/results.csv", "sala-2023.txt"])
    assert caption.startswith("Källa: Kommunkompassen, SKR; rapport sala-2023.txt; publicerade")
    assert "rapport published" not in source_caption(["published/results.csv"])
    assert year_option("2014", "published") == "2014 (publicerat resultat)"
    assert year_option("2016", "import") == "2016 (importerad)"


def _partial(db: Path, code: str) -> tuple[Any, Any]:
    evals = queries.evaluations(db)
    row = evals[evals.code == code].iloc[-1]
    facts = summary_facts(db, code, int(row.year), means.NO_MEAN_KEY)
    wide = queries.scores_wide(db, [int(row.evaluation_id)])
    view = profile.partial_view(
        facts,
        partial.area_values(wide, int(row.evaluation_id)),
        queries.area_names(db, str(row.framework)),
    )
    return facts, view


def test_the_print_page_of_a_partial_result_has_its_table_and_no_radar(partial_db: Path) -> None:
    facts, view = _partial(partial_db, "1283")  # areas 2 and 5, total 668, published
    page = printout.partial_page_html(facts, view.table, view.print_notice)
    assert "<svg" not in page
    assert page.count("<td>uppgift saknas</td>") == 6
    assert "<td>80</td>" in page and "<td>90</td>" in page
    assert '<tr class="total"><td>Totalt (av 800)</td><td>668</td></tr>' in page
    assert "Källan anger inte poängen för områdena 1" in page
    assert "staplar" not in page  # the print page has no chart to explain
    assert f"publicerat resultat, {HELSINGBORG_SOURCE}" in page


def test_the_csv_of_a_partial_result_keeps_missing_areas_as_words(partial_db: Path) -> None:
    facts, view = _partial(partial_db, "1470")  # areas 1 (50) and 2 (60), no total
    frame = pd.read_csv(io.BytesIO(profile.partial_csv(facts, view.table)), sep=";", dtype=str)
    assert frame["Poäng"].tolist() == ["50", "60"] + ["uppgift saknas"] * 7
    assert set(frame["Kommunkod"]) == {"1470"}
    assert set(frame["Källa"]) == {"Importerat resultat (import-1470-2019.csv; Vara)"}


def test_a_full_published_result_names_its_source_in_the_print_page_and_csv(
    partial_db: Path,
) -> None:
    facts = summary_facts(partial_db, "1444", 2014)  # Grästorp: all eight areas, published
    assert facts.published and len(facts.areas) == 8
    assert "Utvärderingen 2014: publicerat resultat, grastorp.se." in printout.page_html(facts)
    frame = pd.read_csv(io.BytesIO(profile.profile_csv(facts, None)), sep=";", dtype=str)
    assert set(frame["Källa"]) == {"Publicerat resultat (grastorp.se)"}

"""Means people can name (issue 10, point 1): options, keys, n and names.

On the sample store and on a synthetic national store, where about forty
reports per generation state the same SKR series.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from kompass import queries
from kompass.devtools.synth import write_corpus
from kompass.present import means
from kompass.store import connect, ingest_many, transaction
from kompass.store.imports import import_reference
from tests.helpers.db import rows

LUND = "1281"
SALA_SERIES = [64.0, 65.0, 71.0, 64.0, 61.0, 57.0, 68.0, 65.0]  # "Medel 2020-" in sala-2023


@pytest.fixture(scope="module")
def national_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """400 synthetic reports over Sweden's 290 municipalities, 2016–2024 (about 12 s)."""
    folder = tmp_path_factory.mktemp("national")
    write_corpus(folder / "reports", 400, seed=11, years=(2016, 2024), n_municipalities=290)
    db = folder / "national.duckdb"
    _, failures = ingest_many([folder / "reports"], db)
    assert failures == []
    return db


def _named(db: Path, framework: str) -> pd.DataFrame:
    return means.named_means(queries.mean_options(db, framework))


def _latest_complete_means(db: Path, framework: str) -> tuple[int, list[float]]:
    """n and area means over each municipality's latest 8-area evaluation, from the tables."""
    evals = queries.evaluations(db)
    pool = evals[(evals.framework == framework) & (evals.n_areas == 8)]
    latest = pool.sort_values("year").groupby("code").tail(1)
    wide = queries.scores_wide(db, [int(i) for i in latest.evaluation_id])
    return len(latest), [float(wide[a].mean()) for a in queries.AREAS]


# --- the sample store --------------------------------------------------------------------


def test_sample_options_keys_and_counts(sample_db: Path) -> None:
    options = queries.mean_options(sample_db, "2020").set_index("key")
    assert list(options.index) == ["skr-2020", "berakn-2020"]
    skr = options.loc["skr-2020"]
    assert (skr.kind, skr.series_label, skr.n_reports) == ("stated", "Medel 2020-", 1)
    assert (skr.report_name, skr.report_year, skr.total) == ("Sala", 2023, 515)
    assert skr.scores == SALA_SERIES
    own = options.loc["berakn-2020"]
    # Burlöv 2020, Svenljunga 2022 and Sala 2023: Sala's 2019 (stated) is not its latest.
    n, scores = _latest_complete_means(sample_db, "2020")
    assert own.n == n == 3
    assert own.scores == pytest.approx(scores)
    assert own.total == pytest.approx(sum(scores))
    older = queries.mean_options(sample_db, "2010")
    assert list(older.key) == ["berakn-2010"] and older.n.iloc[0] == 2  # Höganäs, Lund


def test_sample_names_say_meaning_then_source(sample_db: Path) -> None:
    named = _named(sample_db, "2020")
    assert means.default_key(named) == "skr-2020"
    named = named.set_index("key")
    skr = named.loc["skr-2020"]
    assert skr.label == "Medel för utvärderade kommuner, 2020-ramverket (SKR)"
    assert "enligt rapporten för Sala 2023" in skr.source
    assert skr.verdict and skr.n is None
    own = named.loc["berakn-2020"]
    assert own.label.startswith("Medel för kommunerna i databasen, 2020-ramverket (n = 3 kommuner")
    assert means.TOO_FEW in own.label and not own.verdict and own.n == 3


def test_lund_2011_gets_no_mean_and_no_verdict(sample_db: Path) -> None:
    evals = queries.evaluations(sample_db)
    lund = evals[(evals.code == LUND) & (evals.year == 2011)].iloc[0]
    named = _named(sample_db, lund.framework)
    assert means.default_key(named) is None  # no SKR series, and only 2 municipalities
    small = named.set_index("key").loc["berakn-2010"]
    assert not small.verdict
    assert means.TOO_FEW in (means.verdict_note(small) or "")
    assert "n = 2 kommuner" in small.label


def _add_series(con: object, report_of: str, scores: list[float], total: float) -> None:
    """A "Medel 2020-" series stated in the report of `report_of`'s own evaluation."""
    (report_id,) = con.execute(  # type: ignore[attr-defined]
        "SELECT report_id FROM evaluation WHERE municipality_code = ? AND origin = 'report'",
        [report_of],
    ).fetchone()
    (ref_id,) = con.execute(  # type: ignore[attr-defined]
        "INSERT INTO reference_series (label, framework, year, total, report_id, line) "
        "VALUES ('Medel 2020-', '2020', 2020, ?, ?, 1) RETURNING reference_id",
        [total, report_id],
    ).fetchone()
    for area, score in enumerate(scores, start=1):
        con.execute(  # type: ignore[attr-defined]
            "INSERT INTO reference_score VALUES (?, ?, ?)", [ref_id, area, score]
        )


def test_same_series_is_one_option_and_keys_stay(sample_db_copy: Path) -> None:
    other = [60.0] * 8
    with connect(sample_db_copy) as con, transaction(con):
        _add_series(con, "1231", SALA_SERIES, 515)  # Burlöv 2020 states Sala's series
        _add_series(con, "1465", other, 480)  # Svenljunga 2022 states an older one
    import_reference(
        b"etikett;ramverk;ar;antal_kommuner;omrade1;omrade2;omrade3;omrade4;omrade5;"
        b"omrade6;omrade7;omrade8;total;kalla\n"
        b"Sverigesnitt;2020;2022;45;63,5;64;70;63;60;56;67;64;507,5;SKR webb\n",
        "snitt.csv",
        sample_db_copy,
    )
    named = _named(sample_db_copy, "2020").set_index("key")
    assert list(named.index) == [
        "skr-2020",
        "skr-2020-2022",
        "import-sverigesnitt-2022",
        "berakn-2020",
    ]
    skr = named.loc["skr-2020"]
    assert (skr.n_reports, skr.first_year, skr.last_year) == (2, 2020, 2023)
    assert skr.label == "Medel för utvärderade kommuner, 2020-ramverket (SKR, i 2 rapporter)"
    assert (
        "Samma värden anges i 2 rapporter (2020–2023), senast enligt rapporten för Sala 2023"
        in (skr.source)
    )
    older = named.loc["skr-2020-2022"]
    assert older.scores == other and older.n_reports == 1
    assert older.label == "Medel för utvärderade kommuner, 2020-ramverket (SKR, angivet 2022)"
    imported = named.loc["import-sverigesnitt-2022"]
    assert imported.label == "Sverigesnitt 2022 (importerat, n = 45 kommuner)"
    assert imported.source == "Importerat medel för 2020-ramverket; källa: SKR webb."
    assert means.default_key(named.reset_index()) == "skr-2020"


# --- a national store ----------------------------------------------------------------------


@pytest.mark.parametrize("framework", ["2010", "2020"])
def test_national_one_option_per_distinct_series(national_db: Path, framework: str) -> None:
    options = queries.mean_options(national_db, framework)
    stated = options[options.kind == "stated"]
    series = rows(
        national_db,
        "SELECT list(c.score ORDER BY c.area), count(DISTINCT s.reference_id) "
        "FROM reference_series s JOIN reference_score c USING (reference_id) "
        "WHERE s.framework = ? GROUP BY s.reference_id",
        [framework],
    )
    distinct = {tuple(scores) for scores, _ in series}
    assert len(series) > 20 and len(distinct) == 1  # every synthetic report states it
    assert len(stated) == 1 and stated.n_reports.iloc[0] == len(series)
    assert stated.key.iloc[0] == f"skr-{framework}"
    assert len(options) == 2  # SKR's series and the computed mean, not one per report


@pytest.mark.parametrize("framework", ["2010", "2020"])
def test_national_computed_mean_over_latest(national_db: Path, framework: str) -> None:
    own = queries.mean_options(national_db, framework).set_index("key").loc[f"berakn-{framework}"]
    n, scores = _latest_complete_means(national_db, framework)
    assert own.n == n > 100
    assert own.scores == pytest.approx(scores)
    named = _named(national_db, framework).set_index("key").loc[f"berakn-{framework}"]
    assert named.verdict and f"n = {n} kommuner" in named.label


def test_no_file_names_or_lines_in_names(sample_db_copy: Path, national_db: Path) -> None:
    import_reference(
        b"etikett;ramverk;ar;antal_kommuner;omrade1;omrade2;omrade3;omrade4;omrade5;"
        b"omrade6;omrade7;omrade8;total;kalla\n"
        b"Medel 2010-2019;2010;2019;;55;52;60;58;57;56;50;62;;Testdata\n",
        "medel.csv",
        sample_db_copy,
    )
    for db in (sample_db_copy, national_db):
        for framework in ("2010", "2020"):
            named = _named(db, framework)
            assert not named.empty
            for text in [*named.label, *named.source]:
                assert not any(bad in text for bad in (".txt", ".pdf", ".csv", "rad ")), text


# --- views ---------------------------------------------------------------------------------


def _views(con: object) -> set[str]:
    found = con.execute("SELECT view_name FROM duckdb_views() WHERE NOT internal").fetchall()  # type: ignore[attr-defined]
    return {name for (name,) in found}


def test_every_view_exists_and_reads_read_only(
    sample_db: Path, empty_db: Path, fresh_db: Path
) -> None:
    from kompass.store.db import VIEWS

    assert {"evaluation_detail", "area_score_detail", "reference_detail"} <= set(VIEWS)
    for db in (sample_db, empty_db, fresh_db):  # fresh: a read-only open creates it
        with connect(db, read_only=True) as con:
            assert set(VIEWS) <= _views(con)
            for view in VIEWS:
                con.execute(f"SELECT count(*) FROM {view}").fetchone()
    # Reading through the views needs no write: the sample store is read-only here.
    assert len(queries.evaluations(sample_db)) == 6
    assert len(queries.area_scores(sample_db)) == 6 * 8


def test_views_match_the_tables(sample_db: Path) -> None:
    joined = rows(
        sample_db,
        "SELECT count(*) FROM area_score a JOIN evaluation e USING (evaluation_id) "
        "JOIN framework_area f ON f.framework = e.framework AND f.area = a.area "
        "AND f.role = 'canonical'",
    )
    assert rows(sample_db, "SELECT count(*) FROM area_score_detail") == joined
    assert rows(sample_db, "SELECT count(*) FROM evaluation_detail") == rows(
        sample_db, "SELECT count(*) FROM evaluation"
    )
    assert rows(sample_db, "SELECT report_name, report_year FROM reference_detail") == [
        ("Sala", 2023)
    ]


def test_a_store_from_before_the_views_still_reads(sample_db_copy: Path) -> None:
    import duckdb

    from kompass.store.db import VIEWS

    # A store written before views.sql existed: the same tables, no views.
    con = duckdb.connect(str(sample_db_copy))
    for view in VIEWS:
        con.execute(f"DROP VIEW {view}")
    con.close()
    # The app opens it read-only (it never writes just to read).
    assert len(queries.evaluations(sample_db_copy)) == 6
    assert queries.mean_options(sample_db_copy, "2020").key.tolist()[0] == "skr-2020"

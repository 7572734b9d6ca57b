"""Reading a store in tests: full dumps (to prove nothing changed) and row queries."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import duckdb

from kompass.store import TABLES, connect


def rows(db: Path, sql: str, params: list[Any] | None = None) -> list[tuple[Any, ...]]:
    with connect(db, read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


def dump(db: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, and the list of tables, in a stable order."""
    with connect(db, read_only=True) as con:
        tables = con.execute("SELECT table_name FROM duckdb_tables() ORDER BY ALL").fetchall()
        content = {t: con.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall() for t in TABLES}
    return {"(tables)": tables, **content}


# Two of Sala's neighbours (kompass/domain/data/neighbours.csv), and one that is not.
NEIGHBOUR_ROWS = (
    "kommun,ar,ramverk,omrade1,omrade2,omrade3,omrade4,omrade5,omrade6,omrade7,omrade8,total,kalla\n"
    "1980,2022,2020,70,60,50,40,30,20,10,60,,Test\n"
    "0331,2021,2020,50,60,70,80,90,40,30,20,,Test\n"
    "0331,2017,2010,10,10,10,10,10,10,10,10,,Test\n"
    "1283,2022,2020,99,99,99,99,99,99,99,99,,Test\n"
)


def with_neighbours(sample_db: Path, tmp_path: Path) -> Path:
    """A copy of the sample store with imported results for two of Sala's neighbours."""
    from kompass.store.imports import import_scores

    db = tmp_path / "k.duckdb"
    shutil.copyfile(sample_db, db)
    import_scores(NEIGHBOUR_ROWS.encode(), "grannar.csv", db)
    return db


def raw_sql(db: Path, *statements: str) -> None:
    """Run statements on the file directly, past kompass (to fake an older store)."""
    con = duckdb.connect(str(db))
    try:
        for statement in statements:
            con.execute(statement)
    finally:
        con.close()


def add_partial_evaluation(
    db: Path,
    code: str,
    year: int,
    framework: str,
    areas: dict[int, float],
    total: float | None,
    published: bool,
    source: str,
    total_computed: bool = False,
) -> int:
    """Insert an imported evaluation with only `areas` scored (the store contract of issue 11).

    One report row per call (format 'published' or 'csv'), an evaluation with
    origin 'import', `total` (None: unknown) and the given area_score rows.
    Returns the evaluation_id. Written past kompass, as an import of a partial
    row or a published result would leave it.
    """
    fmt = "published" if published else "csv"
    name = f"published/results-{code}-{year}.csv" if published else f"import-{code}-{year}.csv"
    con = duckdb.connect(str(db))
    try:
        (report_id,) = con.execute(
            "INSERT INTO report (sha256, file_name, format, parser_version, ingested_at) "
            "VALUES (?, ?, ?, 'test', now()::TIMESTAMP) RETURNING report_id",
            [f"partial-{code}-{year}-{fmt}", name, fmt],
        ).fetchone()
        (evaluation_id,) = con.execute(
            "INSERT INTO evaluation (municipality_code, year, framework, origin, report_id, "
            "total, source_note, total_computed) VALUES (?, ?, ?, 'import', ?, ?, ?, ?) "
            "RETURNING evaluation_id",
            [code, year, framework, report_id, total, source, total_computed],
        ).fetchone()
        for area, score in areas.items():
            con.execute(
                "INSERT INTO area_score (evaluation_id, area, score) VALUES (?, ?, ?)",
                [evaluation_id, area, score],
            )
    finally:
        con.close()
    return int(evaluation_id)


SALA_2016_SOURCE = "https://www.sala.se/kommunkompassen-2016"
KARLSKOGA_SOURCE = "https://karlskoga.se/Kommun--politik/Kommunkompassen.html"
HELSINGBORG_SOURCE = "https://www.mynewsdesk.com/se/helsingborg/pressreleases/kommunkompassen"
GRASTORP_AREAS = {1: 61.0, 2: 60.0, 3: 73.0, 4: 53.0, 5: 70.0, 6: 56.0, 7: 65.0, 8: 68.0}
NACKA_AREAS = {1: 80.0, 2: 81.0, 3: 82.0, 4: 83.0, 5: 84.0, 6: 85.0, 7: 86.0, 8: 87.0}


def with_partial_results(sample_db: Path, tmp_path: Path) -> Path:
    """A copy of the sample store with partial, total-only and published results (issue 11).

    Sala 2014: areas 1 and 3 only, no total (a user's import). Sala 2016: total 430
    only, published. Karlskoga 2014: total 450 only, published. Helsingborg 2017: areas
    2 and 5 and total 668, published. Grästorp 2014: all eight areas and 506, published.
    Nacka 2011: all eight areas, total computed (664). Vara 2019: areas 1 and 2, no total.
    """
    db = tmp_path / "partial.duckdb"
    shutil.copyfile(sample_db, db)
    add_partial_evaluation(db, "1981", 2014, "2010", {1: 61.0, 3: 73.0}, None, False, "Sala")
    add_partial_evaluation(db, "1981", 2016, "2010", {}, 430.0, True, SALA_2016_SOURCE)
    add_partial_evaluation(db, "1883", 2014, "2010", {}, 450.0, True, KARLSKOGA_SOURCE)
    add_partial_evaluation(
        db, "1283", 2017, "2010", {2: 80.0, 5: 90.0}, 668.0, True, HELSINGBORG_SOURCE
    )
    add_partial_evaluation(db, "1444", 2014, "2010", GRASTORP_AREAS, 506.0, True, "grastorp.se")
    add_partial_evaluation(
        db, "0182", 2011, "2010", NACKA_AREAS, 668.0, False, "Nacka", total_computed=True
    )
    add_partial_evaluation(db, "1470", 2019, "2010", {1: 50.0, 2: 60.0}, None, False, "Vara")
    return db


def make_version_2(db: Path) -> None:
    """What kompass wrote before issue 9: no notices column, schema_version 2."""
    raw_sql(
        db,
        "ALTER TABLE report DROP COLUMN notices",
        "UPDATE meta SET value = '2' WHERE key = 'schema_version'",
    )

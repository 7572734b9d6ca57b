"""Kommunprofil's top table and its CSV: the evaluation, the mean, the neighbours, the change."""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd

from kompass.present import printout, profile
from kompass.queries.profile import neighbour_mean
from tests.helpers.db import with_neighbours


def test_neighbour_mean_takes_latest_same_generation(sample_db: Path, tmp_path: Path) -> None:
    db = with_neighbours(sample_db, tmp_path)
    near = neighbour_mean(db, "1981", "2020")
    assert near is not None
    assert near.names == ["Heby 2021", "Västerås 2022"]
    assert near.scores == [60, 60, 60, 60, 60, 30, 20, 40]
    assert (
        near.total
        == (70 + 60 + 50 + 40 + 30 + 20 + 10 + 60 + 50 + 60 + 70 + 80 + 90 + 40 + 30 + 20) / 2
    )
    assert neighbour_mean(sample_db, "1981", "2020") is None


def test_table_has_every_column_with_the_numbers_of_the_report(
    sample_db: Path, tmp_path: Path
) -> None:
    db = with_neighbours(sample_db, tmp_path)
    facts = printout.summary_facts(db, "1981", 2023)
    table = profile.profile_table(facts, neighbour_mean(db, "1981", "2020"))
    assert list(table.columns) == [
        "Område", "Poäng", "Medel", "Mot medel", "Grannarnas medel", "Förändring sedan förra"
    ]  # fmt: skip
    first = table.iloc[0]
    # sala-2023.txt: area 1 scores 66; the summary table's mean column says 64; 2019 gave 51.
    assert first["Område"] == "1 Samspel mellan förtroendevalda och medborgare"
    assert (first["Poäng"], first["Medel"], first["Mot medel"]) == ("66", "64", "+2")
    assert (first["Grannarnas medel"], first["Förändring sedan förra"]) == ("60", "+15")
    total = table.iloc[-1]
    assert (total["Område"], total["Poäng"], total["Medel"]) == ("Totalt (av 800)", "482", "515")


def test_columns_without_data_are_left_out(sample_db: Path) -> None:
    facts = printout.summary_facts(sample_db, "1231", 2020)  # Burlöv: no earlier evaluation
    table = profile.profile_table(facts, None)
    assert "Grannarnas medel" not in table.columns
    assert "Förändring sedan förra" not in table.columns
    assert not table.isin(["nan", "None"]).any().any()


def test_csv_opens_in_swedish_excel_and_says_what_it_is(sample_db: Path, tmp_path: Path) -> None:
    db = with_neighbours(sample_db, tmp_path)
    facts = printout.summary_facts(db, "1981", 2023)
    data = profile.profile_csv(facts, neighbour_mean(db, "1981", "2020"))
    assert data.startswith("\ufeff".encode())
    frame = pd.read_csv(io.BytesIO(data), sep=";", decimal=",", encoding="utf-8-sig")
    assert len(frame) == 9
    assert set(frame["Kommun"]) == {"Sala"} and set(frame["År"]) == {2023}
    assert set(frame["Ramverk"]) == {2020}
    assert frame["Område"].iloc[7] == "8 Chefs- och ledarskap samt medarbetarskap"  # never cut
    assert frame["Medlets namn"].iloc[0] == facts.mean_label
    assert "sala-2023.txt" in frame["Källa"].iloc[0]
    assert frame["Grannar"].iloc[0] == "Heby 2021, Västerås 2022"
    assert profile.csv_file_name(facts) == "kommunkompassen-1981-2023.csv"

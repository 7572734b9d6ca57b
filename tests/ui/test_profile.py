"""Kommunprofil answers at the top: sentences, one table, actions (AppTest, sample store)."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pandas as pd

from tests.helpers.app import run_page, tables, texts
from tests.helpers.db import with_neighbours


def test_the_top_answers_against_mean_and_last_time(sample_db: Path, use_db: Any) -> None:
    use_db(sample_db)
    at = run_page("pages/profil.py", kommun="1981", ar="2023")
    shown = texts(at)
    assert "Sala fick 482 av 800 poäng i Kommunkompassen i september 2023." in shown
    assert "Förändring sedan utvärderingen 2019: +119 poäng" in shown
    table = tables(at)[0]
    assert list(table.columns) == ["Poäng", "Medel", "Mot medel", "Förändring sedan förra"]
    # sala-2023.txt, area 7: 62 points, the summary table's mean 68, 2019: 26.
    assert table.loc["7 Arbetsliv"].tolist() == ["62", "68", "−6", "+36"]
    assert table.loc["Totalt (av 800)"].tolist() == ["482", "515", "−33", "+119"]
    # Full area names, never cut.
    assert "8 Chefs- och ledarskap samt medarbetarskap" in table.index


def test_actions_download_the_table_and_share_the_view(sample_db: Path, use_db: Any) -> None:
    use_db(sample_db)
    at = run_page("pages/profil.py", kommun="1981", ar="2023")
    labels = [b.label for b in at.get("download_button")]
    assert "Tabellen som CSV (Excel)" in labels
    link = at.code[0].value
    assert "kommun=1981" in link and "ar=2023" in link and "medel=skr-2020" in link


def test_the_csv_is_the_table_with_its_context(sample_db: Path) -> None:
    from kompass.present import printout, profile

    facts = printout.summary_facts(sample_db, "1981", 2023, "skr-2020")
    frame = pd.read_csv(io.BytesIO(profile.profile_csv(facts, None)), sep=";", decimal=",")
    assert frame.columns[0].endswith("Kommun")  # after the BOM Excel reads
    assert frame["Poäng"].tolist()[:8] == [66, 60, 66, 57, 55, 58, 62, 58]


def test_long_parts_are_collapsed(sample_db: Path, use_db: Any) -> None:
    use_db(sample_db)
    at = run_page("pages/profil.py", kommun="1981", ar="2023")
    labels = [e.label for e in at.expander]
    assert "Delområden, andel av maxpoäng" in labels
    assert any(label.startswith("Motsägelser i rapporten") for label in labels)
    assert "1 Samspel mellan förtroendevalda och medborgare – 66 poäng" in labels


def test_neighbours_mean_is_a_column_when_neighbours_are_evaluated(
    sample_db: Path, tmp_path: Path, use_db: Any
) -> None:
    use_db(with_neighbours(sample_db, tmp_path))
    at = run_page("pages/profil.py", kommun="1981", ar="2023")
    table = tables(at)[0]
    assert "Grannarnas medel" in table.columns
    assert table["Grannarnas medel"].tolist()[:2] == ["60", "60"]
    assert "Heby 2021, Västerås 2022" in texts(at)

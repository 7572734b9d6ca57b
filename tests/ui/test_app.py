"""Every page through Streamlit's AppTest, on the sample store and on an empty one."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from tests.helpers.app import APP, PAGES, figure, run_page, texts, values


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_on_samples(page: str, sample_db: Path, use_db: Any) -> None:
    use_db(sample_db)
    at = run_page(page)
    assert not at.error


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_on_empty_store(page: str, empty_db: Path, use_db: Any) -> None:
    use_db(empty_db, autoload=False)
    at = run_page(page)
    assert any("inga utvärderingar" in i.value or "Inga rapporter" in i.value for i in at.info)


def test_profile_sala_2023(sample_db: Path, use_db: Any) -> None:
    use_db(sample_db)
    at = run_page("pages/profil.py", kommun="1981", ar="2023")
    radar = figure(at, "radar")
    assert values(radar["data"][0]["r"])[:8] == [66, 60, 66, 57, 55, 58, 62, 58]
    names = [t["name"] for t in radar["data"]]
    assert names[0] == "Sala 2023" and "Sala 2019" in names
    assert "SKR:s medel, 2020-ramverket" in names
    shown = texts(at)
    assert "Total (av 800) 482" in shown and "515" in shown
    assert "Medel för utvärderade kommuner, 2020-ramverket (SKR)" in shown
    assert ".txt" not in " ".join(names)


def test_profile_picker_updates_url(sample_db: Path, use_db: Any) -> None:
    use_db(sample_db)
    at = run_page("pages/profil.py", kommun="1981", ar="2023")
    at.selectbox(key="w_kommun").set_value("1465").run()
    assert not at.exception
    assert at.query_params["kommun"] == ["1465"] or at.query_params["kommun"] == "1465"
    assert values(figure(at, "radar")["data"][0]["r"])[:8] == [69, 63, 75, 58, 55, 62, 59, 69]


def test_compare_burlov_with_chosen(sample_db: Path, use_db: Any) -> None:
    use_db(sample_db)
    at = run_page("pages/jamfor.py", kommun="1231", med="1465,1981")
    names = [t["name"] for t in figure(at, "cmp_radar")["data"]]
    assert names[0] == "Burlöv 2020"
    assert sorted(names[1:3]) == ["Sala 2023", "Svenljunga 2022"]
    assert at.query_params["med"] in (["1465,1981"], "1465,1981", ["1981,1465"], "1981,1465")


def test_compare_burlov_neighbours_fall_back(sample_db: Path, use_db: Any) -> None:
    use_db(sample_db)
    at = run_page("pages/jamfor.py", kommun="1231", urval="grannar")
    info = " ".join(i.value for i in at.info)
    assert "har någon utvärdering" in info
    assert "Höganäs" in texts(at) and "Lund" in texts(at)
    names = [t["name"] for t in figure(at, "cmp_radar")["data"]]
    assert names[0] == "Burlöv 2020" and "Lund 2011" in names
    assert any("fullt jämförbara" in w.value for w in at.warning)


def test_development_sala(sample_db: Path, use_db: Any) -> None:
    use_db(sample_db)
    at = run_page("pages/utveckling.py", kommun="1981")
    fig = figure(at, "dumbbell")
    after = next(t for t in fig["data"] if t.get("name") == "Sala 2023")
    assert values(after["x"])[6] == 62
    assert "+36" in after["text"][6]
    shown = texts(at)
    assert "Total 2019 363" in shown and "Total 2023 482" in shown
    assert any("reviderades" in w.value for w in at.warning)


def test_development_single_evaluation_offers_others(sample_db: Path, use_db: Any) -> None:
    use_db(sample_db)
    at = run_page("pages/utveckling.py", kommun="1231")
    assert any("bara en utvärdering" in i.value for i in at.info)


def test_role_models_for_sala(sample_db: Path, use_db: Any) -> None:
    use_db(sample_db)
    at = run_page("pages/lar-av-andra.py", kommun="1981")
    shown = texts(at)
    assert "5 Brukarens fokus" in shown and "Burlöv 2020: 70 poäng (15 poäng högre)" in shown
    assert "Enkelt att få kontakt med kommunen" in shown


def test_findings_search_highlights_safely(sample_db: Path, use_db: Any) -> None:
    use_db(sample_db)
    at = run_page("pages/fynd.py", q="digital", omrade="4")
    shown = texts(at)
    assert "5 träffar" in shown or "träffar" in shown
    assert ":orange-background[Digital]" in shown
    assert "Lund" not in [e.label.split(" ")[0] for e in at.expander]  # Lund's hit is area 5
    at.text_input(key="w_q").set_value("kontaktcenter").run()
    assert not at.exception
    assert at.query_params["q"] in (["kontaktcenter"], "kontaktcenter")


def test_data_page_lists_reports_and_tables(sample_db: Path, use_db: Any) -> None:
    use_db(sample_db)
    at = run_page("pages/data.py")
    frames = at.dataframe
    assert any("sala-2023.txt" in df.value.to_string() for df in frames)
    assert [b.label for b in at.get("download_button")] == ["Ladda ner utvarderingar.csv"]
    assert at.button(key="make_zip").label == "Skapa zip-fil med alla tabeller"


def test_profile_printout_downloads(sample_db: Path, use_db: Any) -> None:
    use_db(sample_db)
    # The page on its own: through app.py, AppTest starts every run in Streamlit's
    # pages/-folder mode, whose switch to st.navigation reruns and drops button clicks.
    at = AppTest.from_file(str(APP.parent / "pages" / "profil.py"), default_timeout=120)
    at.query_params["kommun"] = "1981"
    at.run()
    at.button(key="make_printout").click().run()
    assert not at.exception, [e.value for e in at.exception]
    labels = [b.label for b in at.get("download_button")]
    assert {"Sammanfattning (HTML)", "Spindeldiagram (PNG)", "Tabellen som CSV (Excel)"} <= set(
        labels
    )


def test_compare_puts_the_base_first_whatever_its_name(sample_db: Path, use_db: Any) -> None:
    use_db(sample_db)
    at = run_page("pages/jamfor.py", kommun="1981", med="1231,1465")
    names = [t["name"] for t in figure(at, "cmp_radar")["data"]]
    assert names[0] == "Sala 2023"
    assert any("Skillnad: Sala 2023 minus övriga" in m.value for m in at.markdown)


# --- evaluations imported without sub-areas (issue 8, item 11) ----------------------------

# Published results (kompass import-scores): Ale with area scores only (no sub-areas, no
# findings), Alingsås and Svenljunga 2024 with a total only, Burlöv 2016 with area scores
# in the 2010 series. Ale sorts first, so it is every page's default municipality.
AREA_COLUMNS = ";".join(f"omrade{n}" for n in range(1, 9))
IMPORTED_SCORES = f"""kommun;ar;manad;ramverk;{AREA_COLUMNS};total;kalla
Ale;2022;;2020;70;65;72;40;58;61;66;68;;Ales webbplats
Alingsås;2021;;2020;;;;;;;;;500;Pressmeddelande
Svenljunga;2024;;2020;;;;;;;;;530;Svenljungas webbplats
Burlöv;2016;;2010;50;55;60;45;50;55;60;65;;https://www.burlov.se/arsredovisning-2016
"""
ALE, ALINGSAS, SVENLJUNGA, BURLOV = "1440", "1489", "1465", "1231"


@pytest.fixture(scope="module")
def imported_db(sample_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample store plus the imported results above (a real import, in tmp_path)."""
    from kompass.store.imports import import_scores

    db = tmp_path_factory.mktemp("imported") / "kompass.duckdb"
    shutil.copyfile(sample_db, db)
    result = import_scores(IMPORTED_SCORES.encode("utf-8"), "publicerat.csv", db)
    assert (result.rows_stored, result.skipped) == (4, [])
    return db


def test_role_models_for_an_evaluation_without_subareas(imported_db: Path, use_db: Any) -> None:
    use_db(imported_db)
    for params in ({}, {"kommun": ALE}):  # Ale is the default view
        at = run_page("pages/lar-av-andra.py", **params)
        info = " ".join(i.value for i in at.info)
        assert "Delområdespoäng saknas för Ales utvärdering 2022 (importerat resultat)" in info
        shown = texts(at)
        # Ale's weakest areas (4, 5, 6) still get their area-level role models.
        assert "**4 Effektivitet** – Ale: 40 poäng" in shown
        assert "Sala 2023: 57 poäng (17 poäng högre)" in shown
        assert "**5 Brukarens fokus** – Ale: 58 poäng" in shown
        assert not at.dataframe  # no sub-area table to show


def test_an_imported_role_model_says_it_has_no_report_text(imported_db: Path, use_db: Any) -> None:
    use_db(imported_db)
    at = run_page("pages/lar-av-andra.py", kommun=SVENLJUNGA)
    shown = texts(at)
    assert "Ale 2022: 58 poäng (3 poäng högre)" in shown  # area 5, Svenljunga's weakest
    assert "(importerat resultat, ingen rapporttext)" in shown
    assert at.dataframe  # Svenljunga's own sub-areas are there


IMPORTED_VIEWS = [
    ("pages/oversikt.py", {}),
    ("pages/profil.py", {}),
    ("pages/profil.py", {"kommun": ALINGSAS}),
    ("pages/profil.py", {"kommun": SVENLJUNGA}),
    ("pages/profil.py", {"kommun": BURLOV, "ar": "2016"}),
    ("pages/jamfor.py", {}),
    ("pages/jamfor.py", {"kommun": BURLOV, "med": f"{ALE},1981"}),
    ("pages/jamfor.py", {"kommun": ALE, "urval": "lan"}),
    ("pages/utveckling.py", {}),
    ("pages/utveckling.py", {"kommun": ALINGSAS}),
    ("pages/utveckling.py", {"kommun": SVENLJUNGA}),
    ("pages/utveckling.py", {"kommun": BURLOV}),
    ("pages/lar-av-andra.py", {"kommun": SVENLJUNGA}),
    ("pages/lar-av-andra.py", {"kommun": BURLOV}),
]


@pytest.mark.parametrize(
    ("page", "params"),
    IMPORTED_VIEWS,
    ids=[f"{p[6:-3]}-{'-'.join(q.values()) or 'start'}" for p, q in IMPORTED_VIEWS],
)
def test_every_page_renders_imported_results(
    page: str, params: dict[str, str], imported_db: Path, use_db: Any
) -> None:
    use_db(imported_db)
    at = run_page(page, **params)
    assert not at.error


def test_profile_of_an_import_without_subareas(imported_db: Path, use_db: Any) -> None:
    use_db(imported_db)
    at = run_page("pages/profil.py", kommun=ALE)
    assert values(figure(at, "radar")["data"][0]["r"])[:8] == [70, 65, 72, 40, 58, 61, 66, 68]
    info = " ".join(i.value for i in at.info)
    assert "Delområdespoäng saknas" in info and "importerat resultat" in info
    assert "Källa: Ales webbplats (importerat från publicerat.csv)" in texts(at)


def test_an_imported_source_url_is_a_link(imported_db: Path, use_db: Any) -> None:
    use_db(imported_db)
    at = run_page("pages/profil.py", kommun=BURLOV, ar="2016")
    url = "https://www.burlov.se/arsredovisning-2016"
    [caption] = [c.value for c in at.caption if "Källa:" in c.value and "burlov.se" in c.value]
    assert f"]({url}) (importerat från publicerat\\.csv)." in caption


def test_profile_of_a_total_only_import(imported_db: Path, use_db: Any) -> None:
    use_db(imported_db)
    at = run_page("pages/profil.py", kommun=SVENLJUNGA)  # 2024, the latest, is total only
    assert any("bara totalpoängen" in i.value for i in at.info)
    assert "Total (av 800) 530" in texts(at)
    assert not at.get("plotly_chart")


def test_development_lists_total_only_evaluations(imported_db: Path, use_db: Any) -> None:
    use_db(imported_db)
    at = run_page("pages/utveckling.py", kommun=ALINGSAS)
    assert any("Alingsås har ingen utvärdering med poäng per område" in i.value for i in at.info)
    assert "2021 (500 av 800, importerat resultat)" in texts(at)
    at = run_page("pages/utveckling.py", kommun=SVENLJUNGA)
    assert "2024 (530 av 800, importerat resultat)" in texts(at)
    at = run_page("pages/utveckling.py", kommun=BURLOV)  # 2016 (import) -> 2020 (report)
    after = next(t for t in figure(at, "dumbbell")["data"] if t.get("name") == "Burlöv 2020")
    assert len(values(after["x"])) == 8
    assert any("reviderades" in w.value for w in at.warning)


def test_overview_ranks_imported_totals(imported_db: Path, use_db: Any) -> None:
    use_db(imported_db)
    at = run_page("pages/oversikt.py")
    ranking = at.dataframe[0].value
    assert {"Ale", "Alingsås"} <= set(ranking.Kommun)
    assert ranking[ranking.Kommun == "Alingsås"].Total.iloc[0] == "500"  # shown as Swedish text

"""Links that never lie (issue 10, point 6) and the pickers at the top (point 7), via AppTest.

A `kommun` or `ar` without an evaluation gives a Swedish message naming what
was asked for, with links to what exists; the page shows no other
municipality and leaves the URL as it was. Changing the municipality starts
its year at the latest; `ar` and `medel` stay in the URL.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from kompass.present import links
from tests.helpers.app import run_page

SALA, BURLOV, SVENLJUNGA, ALINGSAS = "1981", "1231", "1465", "1489"
UPPLANDS_VASBY = "0114"
# The sample store's evaluated municipalities: none may head a page asked for another.
EVALUATED = ["Burlöv", "Höganäs", "Lund", "Sala", "Svenljunga"]
PAGES = ["pages/profil.py", "pages/utveckling.py", "pages/jamfor.py", "pages/lar-av-andra.py"]
# (params, the message's text, the municipality the URL must keep)
BAD_LINKS = [
    ({"kommun": UPPLANDS_VASBY}, "Upplands Väsby har ingen utvärdering i databasen."),
    ({"kommun": "9999"}, "Det finns ingen kommun med koden ”9999”."),
    ({"kommun": "Sala"}, "Det finns ingen kommun med koden ”Sala”."),
    ({"kommun": SALA, "ar": "1999"}, "Sala har ingen utvärdering från 1999 i databasen."),
]


def shown(text: str) -> str:
    """Markdown as a reader sees it (backslash escapes removed)."""
    return text.replace("\\", "")


def headings(at: AppTest) -> list[str]:
    return [shown(h.value) for h in [*at.header, *at.subheader]]


def link_targets(at: AppTest) -> list[tuple[str, str, str]]:
    """(label, page URL path, query string) of every st.page_link."""
    return [(shown(e.proto.label), e.proto.page, e.proto.query_string) for e in at.get("page_link")]


def url(at: AppTest, key: str) -> str | None:
    value = at.query_params.get(key)
    return value[0] if isinstance(value, list) else value


@pytest.mark.parametrize("page", PAGES, ids=[p[6:-3] for p in PAGES])
@pytest.mark.parametrize(("params", "message"), BAD_LINKS, ids=["0114", "9999", "namn", "ar-1999"])
def test_a_link_without_evaluation_says_so_and_shows_nothing_else(
    page: str, params: dict[str, str], message: str, sample_db: Path, use_db: Any
) -> None:
    use_db(sample_db)
    at = run_page(page, **params)
    assert [shown(w.value) for w in at.warning] == [message]
    assert not at.get("plotly_chart") and not at.metric and not at.dataframe
    for heading in headings(at):
        assert not any(name in heading for name in EVALUATED), heading
    # The URL still says what was asked for; nothing was put in its place.
    assert {k: url(at, k) for k in params} == params
    assert url(at, "ar") == params.get("ar")
    # The pickers are at the top of the main area, none in the sidebar.
    assert at.main.selectbox(key="w_kommun").value == (SALA if "ar" in params else None)
    assert not at.sidebar.selectbox


def test_an_unevaluated_municipality_links_to_evaluated_ones_nearby(
    sample_db: Path, use_db: Any
) -> None:
    use_db(sample_db)
    at = run_page("pages/profil.py", kommun=UPPLANDS_VASBY)
    text = shown(" ".join(m.value for m in at.markdown))
    # Upplands Väsby's neighbours have no evaluation: the nearest evaluated ones instead.
    assert links.NEAREST_EVALUATED in text
    targets = link_targets(at)
    assert targets and all(p == "profil" for _, p, _ in targets)
    evaluated = (SALA, SVENLJUNGA, BURLOV, "1284", "1281")
    assert {q for _, _, q in targets} <= {f"kommun={c}" for c in evaluated}
    assert targets[0] == ("Sala", "profil", f"kommun={SALA}")  # the nearest first


def test_evaluated_neighbours_are_offered_first(sample_db: Path, use_db: Any) -> None:
    use_db(sample_db)
    # Lomma (1262) borders Burlöv and Lund, both evaluated.
    at = run_page("pages/utveckling.py", kommun="1262")
    assert [shown(w.value) for w in at.warning] == ["Lomma har ingen utvärdering i databasen."]
    assert links.EVALUATED_NEIGHBOURS in " ".join(m.value for m in at.markdown)
    assert link_targets(at) == [
        ("Burlöv", "utveckling", f"kommun={BURLOV}"),
        ("Lund", "utveckling", "kommun=1281"),
    ]


def test_a_name_links_to_the_municipality_it_names(sample_db: Path, use_db: Any) -> None:
    use_db(sample_db)
    at = run_page("pages/jamfor.py", kommun="Sala")
    assert link_targets(at) == [("Menade du Sala (kod 1981)?", "jamfor", f"kommun={SALA}")]


def test_a_missing_year_links_to_the_years_there_are(sample_db: Path, use_db: Any) -> None:
    use_db(sample_db)
    at = run_page("pages/profil.py", kommun=SALA, ar="1999", medel="ref:1")
    assert [(label, q) for label, _, q in link_targets(at)] == [
        ("Sala 2023", f"kommun={SALA}&ar=2023&medel=ref%3A1"),
        ("Sala 2019 (uppgift ur senare rapport)", f"kommun={SALA}&ar=2019&medel=ref%3A1"),
    ]


def test_text_from_the_url_is_shown_as_text(sample_db: Path, use_db: Any) -> None:
    use_db(sample_db)
    at = run_page("pages/profil.py", kommun="[klicka](https://example.com) **x**")
    [warning] = [w.value for w in at.warning]
    assert "\\[klicka\\]\\(https\\:" in warning and "\\*\\*x" in warning
    assert not link_targets(at)


def test_changing_the_municipality_starts_at_its_latest_year(sample_db: Path, use_db: Any) -> None:
    use_db(sample_db)
    at = run_page("pages/profil.py", kommun=SALA, ar="2019")
    assert headings(at)[0] == "Sala 2019"
    at.selectbox(key="w_kommun").set_value(BURLOV).run()
    assert not at.exception
    assert (url(at, "kommun"), url(at, "ar")) == (BURLOV, "2020")
    assert at.selectbox(key=f"w_ar_{BURLOV}").value == "2020"
    assert headings(at)[0] == "Burlöv 2020"
    at.selectbox(key="w_kommun").set_value(SALA).run()
    assert (url(at, "ar"), at.selectbox(key=f"w_ar_{SALA}").value) == ("2023", "2023")
    assert headings(at)[0] == "Sala 2023"


def test_changing_the_year_writes_the_url(sample_db: Path, use_db: Any) -> None:
    use_db(sample_db)
    at = run_page("pages/profil.py", kommun=SALA)
    at.selectbox(key=f"w_ar_{SALA}").set_value("2019").run()
    assert url(at, "ar") == "2019" and headings(at)[0] == "Sala 2019"


def test_shared_links_keep_the_year_and_the_mean(sample_db: Path, use_db: Any) -> None:
    use_db(sample_db)
    at = run_page("pages/profil.py", kommun=SALA)
    # Both are the defaults (the latest year, the report's mean) and still in the URL.
    assert url(at, "ar") == "2023"
    assert url(at, "medel") == at.selectbox(key="w_medel").value is not None
    assert headings(at)[0] == "Sala 2023"


def test_without_a_municipality_the_page_writes_the_one_it_shows(
    sample_db: Path, use_db: Any
) -> None:
    use_db(sample_db)
    at = run_page("pages/profil.py", ar="2023")  # a year alone means nothing: dropped
    assert (url(at, "kommun"), url(at, "ar")) == (BURLOV, "2020")
    assert headings(at)[0] == "Burlöv 2020"


def test_a_blank_municipality_counts_as_none(sample_db: Path, use_db: Any) -> None:
    use_db(sample_db)
    at = run_page("pages/lar-av-andra.py", kommun=" ")
    assert url(at, "kommun") == BURLOV and not at.warning


def test_texts_quote_the_url_briefly_and_name_the_page() -> None:
    assert links.tab_title("Kommunprofil", "Sala", 2023) == "Sala 2023 – Kommunprofil"
    assert links.tab_title("Jämför", "Sala") == "Sala – Jämför"
    assert links.tab_title("Jämför") == "Jämför"
    long = links.unknown_municipality("x" * 500)
    assert len(long) < 100 and long.endswith("…”.")
    assert (
        links.no_evaluation_year("Sala", "abc")
        == "Sala har ingen utvärdering från ”abc” i databasen."
    )


def test_picking_after_a_bad_link_shows_the_pick(sample_db: Path, use_db: Any) -> None:
    use_db(sample_db)
    at = run_page("pages/profil.py", kommun="9999")
    at.selectbox(key="w_kommun").set_value(SVENLJUNGA).run()
    assert not at.exception and not at.warning
    assert (url(at, "kommun"), url(at, "ar")) == (SVENLJUNGA, "2022")
    assert headings(at)[0] == "Svenljunga 2022"


# --- a municipality with an imported total only, on pages that need area scores ------------


@pytest.fixture(scope="module")
def total_only_db(sample_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    from kompass.store.imports import import_scores

    areas = ";".join(f"omrade{n}" for n in range(1, 9))
    csv = f"kommun;ar;manad;ramverk;{areas};total;kalla\nAlingsås;2021;;2020;;;;;;;;;500;Webb\n"
    db = tmp_path_factory.mktemp("total_only") / "kompass.duckdb"
    shutil.copyfile(sample_db, db)
    assert import_scores(csv.encode("utf-8"), "alingsas.csv", db).rows_stored == 1
    return db


@pytest.mark.parametrize("page", ["pages/jamfor.py", "pages/lar-av-andra.py"])
def test_a_total_only_municipality_links_to_its_profile(
    page: str, total_only_db: Path, use_db: Any
) -> None:
    use_db(total_only_db)
    at = run_page(page, kommun=ALINGSAS)
    assert [shown(w.value) for w in at.warning] == [links.no_area_scores("Alingsås")]
    assert link_targets(at)[0] == ("Kommunprofil för Alingsås", "profil", f"kommun={ALINGSAS}")
    assert not at.get("plotly_chart") and url(at, "kommun") == ALINGSAS

"""The Data page's tab "Klistra in resultat" (AppTest, real DuckDB files, issue 11).

The page file runs on its own: through app.py, AppTest's switch to
st.navigation reruns and drops button clicks (see test_data_notices.run_import).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from streamlit.testing.v1 import AppTest

from kompass import queries
from kompass.parse.pasted import MAX_TEXT_CHARS
from kompass.present import data_page
from kompass.present import pasted as words

ROOT = Path(__file__).resolve().parents[2]
PAGE = ROOT / "pages" / "data.py"
CASES = ROOT / "tests" / "cases" / "pasted"
SOURCE = "https://www.grastorp.se/kommunkompassen"


def unescaped(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text)


def page() -> AppTest:
    at = AppTest.from_file(str(PAGE), default_timeout=60)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def paste(at: AppTest, text: str, source: str = "") -> AppTest:
    at.text_area(key="w_paste").set_value(text)
    at.text_input(key="w_paste_source").set_value(source)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def preview(at: AppTest) -> Any:
    """The preview table: areas down, one column per recognised series."""
    return next(d.value for d in at.dataframe if "Område" in d.value.columns)


def test_the_tab_is_there_beside_the_others(empty_db: Path, use_db: Any) -> None:
    use_db(empty_db, autoload=False)
    at = page()
    assert [t.label for t in at.tabs] == data_page.TABS
    assert data_page.TABS[-1] == "Klistra in resultat"
    assert at.text_area(key="w_paste").label == words.TEXT_LABEL


def test_paste_preview_then_save(empty_db: Path, use_db: Any) -> None:
    use_db(empty_db, autoload=False)
    text = (CASES / "numbered-list.txt").read_text(encoding="utf-8")
    at = paste(page(), text)
    assert [t.value for t in at.text][0] == (
        "Kommun: Grästorp · År: oktober 2014 · Ramverk: 2010 · 1 resultat, 0 medelvärden"
    )
    table = preview(at)
    assert list(table.columns) == ["Område", "Grästorp 2014"]
    assert list(table["Område"])[0] == "1 Offentlighet och demokrati"
    assert list(table["Grästorp 2014"]) == ["61", "60", "73", "53", "70", "56", "65", "68", "506"]
    # The corrections are prefilled from the text.
    assert at.selectbox(key=next(k for k in keys(at) if "kommun" in k)).value == "1444"
    assert at.number_input(key=next(k for k in keys(at) if "year" in k)).value == 2014
    assert [i.value for i in at.info][-1] == words.NEED_SOURCE
    assert at.button(key="save_paste").disabled
    assert queries.evaluations(empty_db).empty  # a preview stores nothing

    at = paste(at, text, SOURCE)
    at.button(key="save_paste").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert [s.value for s in at.success] == [words.SAVED]
    assert "Resultat: 1 rad sparad." in [t.value for t in at.text]
    evals = queries.evaluations(empty_db)
    assert list(zip(evals.name, evals.year, evals.total, evals.source_note, strict=True)) == [
        ("Grästorp", 2014, 506, SOURCE)
    ]


def keys(at: AppTest) -> list[str]:
    return [w.key for w in [*at.selectbox, *at.number_input] if w.key]


def test_corrected_year_and_municipality_are_stored(empty_db: Path, use_db: Any) -> None:
    use_db(empty_db, autoload=False)
    at = paste(page(), "Arbetsliv 68\nTotalt 512\n", "Kommunens årsredovisning")
    assert words.refused("texten säger inte vilken kommun det gäller; ange kommunen") in [
        unescaped(w.value) for w in at.warning
    ]
    at.selectbox(key=next(k for k in keys(at) if "kommun" in k)).set_value("1981").run()
    at.number_input(key=next(k for k in keys(at) if "year" in k)).set_value(2023).run()
    assert not at.exception
    assert list(preview(at).columns) == ["Område", "Sala 2023"]
    at.button(key="save_paste").click().run()
    assert not at.exception
    evals = queries.evaluations(empty_db)
    assert list(zip(evals.name, evals.year, evals.framework, evals.total, strict=True)) == [
        ("Sala", 2023, "2020", 512)
    ]


def test_means_in_parentheses_are_a_second_column(empty_db: Path, use_db: Any) -> None:
    use_db(empty_db, autoload=False)
    text = (CASES / "bullets-with-means.txt").read_text(encoding="utf-8")
    table = preview(paste(page(), text))
    assert list(table.columns) == ["Område", "Vallentuna 2021", "Sverigesnitt 2021"]
    assert list(table["Sverigesnitt 2021"])[-1] == "517"


def test_a_two_year_table_shows_three_series(empty_db: Path, use_db: Any) -> None:
    use_db(empty_db, autoload=False)
    at = paste(page(), (CASES / "two-years-and-mean.txt").read_text(encoding="utf-8"))
    assert [t.value for t in at.text][0] == (
        "Kommun: Sala · År: 2019, 2023 · Ramverk: 2020 · 2 resultat, 1 medelvärde"
    )
    assert list(preview(at).columns) == ["Område", "Sala 2019", "Sala 2023", "Snitt 2023"]


def test_missing_values_say_so(empty_db: Path, use_db: Any) -> None:
    use_db(empty_db, autoload=False)
    table = preview(paste(page(), "Sala kommun 2023\nArbetsliv 68\n"))
    assert list(table["Sala 2023"]) == [words.MISSING] * 6 + ["68", words.MISSING, words.MISSING]


def test_refusals_in_swedish(empty_db: Path, use_db: Any) -> None:
    use_db(empty_db, autoload=False)
    at = paste(page(), "Möte om budgeten 2024, 12 deltagare.")
    [error] = [unescaped(e.value) for e in at.error]
    assert error.startswith("Texten kan inte sparas: inget Kommunkompass-resultat hittades")
    at = paste(page(), "Arbetsliv 68\n" * (MAX_TEXT_CHARS // 10))
    [error] = [unescaped(e.value) for e in at.error]
    assert "högst 200\u00a0000 tecken läses" in error
    assert queries.evaluations(empty_db).empty


def test_pasted_text_is_never_markup(empty_db: Path, use_db: Any) -> None:
    use_db(empty_db, autoload=False)
    text = (
        "Sala kommun 2023. Inom parentes står snittet för **alla** <b>kommuner</b> "
        "[länk](https://evil.example)\n"
        "Arbetsliv 68 (60)\n"
    )
    at = paste(page(), text, "<img src=x onerror=alert(1)>")
    shown = "\n".join(str(m.value) for m in at.markdown)
    assert "<b>" not in shown and "](https://evil.example)" not in shown
    assert "<img" not in shown
    columns = list(preview(at).columns)
    # A dataframe header is plain text: the label exactly as the text gives it.
    assert columns[-1] == "Snitt för **alla** <b>kommuner</b> [länk] 2023"

"""Swedish numbers as users see them: `strings.num`/`signed` and `tables.formatted`/`grid`."""

from __future__ import annotations

import pandas as pd
import pytest

from kompass.present import strings, tables
from kompass.present.strings import THOUSANDS, change_alt, num, page_not_found, signed

SP = THOUSANDS  # the one thousands separator (a no-break space)


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (595.0, "595"),
        (458.9, "458,9"),
        (18340, f"18{SP}340"),
        (2014, f"2{SP}014"),
        (1234.56, f"1{SP}234,6"),
        (999.96, f"1{SP}000"),  # rounded first: no "1000,0"
        (41.96, "42"),
        (0, "0"),
        (None, "–"),
        (float("nan"), "–"),
    ],
)
def test_num_swedish(value: float | None, shown: str) -> None:
    assert num(value) == shown


def test_num_more_decimals_drops_trailing_zeros() -> None:
    assert num(3.10, 2) == "3,1"
    assert num(0.25, 2) == "0,25"


@pytest.mark.parametrize(
    ("value", "shown"),
    [(36, "+36"), (-5, "−5"), (0, "±0"), (0.04, "±0"), (-0.04, "±0"), (-1234.5, f"−1{SP}234,5")],
)
def test_signed(value: float, shown: str) -> None:
    assert signed(value) == shown


def test_signed_ascii_minus_for_metric_deltas() -> None:
    assert signed(-2.5, minus="-") == "-2,5"


def test_formatted_every_number_is_text_years_and_codes_as_they_are() -> None:
    table = pd.DataFrame(
        {
            "Kommun": ["Sala", "Lund"],
            "År": [2023, 2011],
            "Total": [595.0, 458.9],
            "Träffar": [18340, 7],
            "Skillnad mot medel": [12.0, -3.5],
            "Avstånd till medel före": [0.0, None],
        }
    )
    shown = tables.formatted(table)
    assert list(shown["År"]) == ["2023", "2011"]
    assert list(shown["Total"]) == ["595", "458,9"]
    assert list(shown["Träffar"]) == [f"18{SP}340", "7"]
    assert list(shown["Skillnad mot medel"]) == ["+12", "−3,5"]
    assert list(shown["Avstånd till medel före"]) == ["±0", "–"]
    assert list(shown["Kommun"]) == ["Sala", "Lund"]


def test_change_table_says_distance_to_mean() -> None:
    table = tables.change_table([42.2, 50], [45.0, 48], ["A", "B"], [44.4, None])
    assert "Avstånd till medel före" in table.columns
    assert not any(c.startswith("Gap") for c in table.columns)
    shown = tables.formatted(table).set_index("Område")
    assert shown.loc["1 A", "Avstånd till medel före"] == "−2,2"


def test_grid_keeps_numbers_and_shows_swedish() -> None:
    table = pd.DataFrame({"År": [2023], "Total": [595.0], "Träffar": [18340]})
    styler = tables.grid(table)
    assert styler.data["Total"].dtype.kind == "f"  # still a number: sorts as one
    html = styler.to_html()
    assert ">595<" in html and f">18{SP}340<" in html and ">2023<" in html
    assert "595.0" not in html


def test_page_not_found_and_change_alt_are_one_sentence() -> None:
    assert page_not_found("/x") == "Sidan /x finns inte. Här visas startsidan Översikt i stället."
    alt = change_alt("Sala", 2019, 2023, [36, -5, 0], ["Arbetsliv", "Styrning", "Kultur"])
    assert alt == (
        "Diagrammet visar Salas poäng per område 2019 och 2023: störst ökning i Arbetsliv "
        "(+36), störst minskning i Styrning (−5)."
    )


def test_formatted_keeps_named_columns_numeric() -> None:
    table = pd.DataFrame({"Total": [458.9], "O1": [42.5]})
    shown = tables.formatted(table, keep=["O1"])
    assert shown["Total"].iloc[0] == "458,9" and shown["O1"].iloc[0] == 42.5


def test_tidy_years_and_codes_stay_as_they_are() -> None:
    import pandas as pd

    from kompass.present import tables

    shown = tables.formatted(pd.DataFrame({"ar": [2024], "rad": [1234], "folkmangd": [22843]}))
    assert shown.iloc[0].tolist() == ["2024", "1234", "22\u00a0843"]


def test_a_source_caption_names_an_imported_csv_as_an_import_not_a_report() -> None:
    caption = strings.source_caption(["sala-2023.txt", "partial.csv"])
    assert (
        caption == "Källa: Kommunkompassen, SKR; rapport sala-2023.txt; importerat från partial.csv"
    )


def test_a_pasted_result_and_many_imports_are_named_as_imports() -> None:
    pasted = strings.source_caption(["inklistrad text (https://ale.se/kk)"])
    assert (
        pasted == "Källa: Kommunkompassen, SKR; importerat från inklistrad text (https://ale.se/kk)"
    )
    many = strings.source_caption([f"import-{n}.csv" for n in range(8)])
    assert many == "Källa: Kommunkompassen, SKR; 8 importerade filer (förtecknade på sidan Data)"

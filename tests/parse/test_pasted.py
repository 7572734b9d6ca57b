"""Results pasted as text (kompass.parse.pasted): the shapes of issue 11, refusals, never a sum.

The three acceptance shapes are case files (tests/cases/pasted/*.txt) with
their hand-checked rows (*.json); the other shapes are written inline.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from kompass.parse.pasted import (
    DEFAULT_MEAN_LABEL,
    MAX_TEXT_CHARS,
    REFERENCE_COLUMNS,
    RESULT_COLUMNS,
    Pasted,
    PasteError,
    completed,
    json_rows,
    match_area,
    recognise,
    reference_csv,
    scores_csv,
)
from kompass.store import imports

CASES = Path(__file__).resolve().parents[1] / "cases" / "pasted"
SOURCE = "https://example.se/kommunkompassen"
AREAS = [f"omrade{n}" for n in range(1, 9)]


def rows(text: str, **corrections: object) -> list[dict[str, object]]:
    return json_rows(completed(recognise(text), SOURCE, **corrections))  # type: ignore[arg-type]


def areas(row: dict[str, object]) -> list[object]:
    return [row[c] for c in AREAS]


def refusal(text: str, **corrections: object) -> str:
    with pytest.raises(PasteError) as caught:
        completed(recognise(text), SOURCE, **corrections)  # type: ignore[arg-type]
    return caught.value.notice.code


@pytest.mark.parametrize("case", sorted(p.stem for p in CASES.glob("*.txt")))
def test_acceptance_shapes_give_their_rows(case: str) -> None:
    text = (CASES / f"{case}.txt").read_text(encoding="utf-8")
    expected = json.loads((CASES / f"{case}.json").read_text(encoding="utf-8"))
    got = json_rows(completed(recognise(text), f"https://example.se/{case}"))
    assert got == expected


def test_numbered_list_grastorp() -> None:
    [row] = rows((CASES / "numbered-list.txt").read_text(encoding="utf-8"))
    assert row["typ"] == "resultat"
    assert (row["kommun"], row["ar"], row["manad"], row["ramverk"]) == ("1444", 2014, 10, "2010")
    # "Kommunen som arbetsgivare personalpolitik" and "Kommun som samhällsbyggare" are variants.
    assert areas(row) == [61, 60, 73, 53, 70, 56, 65, 68]
    # 506 from "506 av totalt 800 poäng", not Örebro's 615 in the same sentence.
    assert row["total"] == 506 and row["kalla"] == SOURCE


def test_bullets_with_means_in_parentheses() -> None:
    result, mean = rows((CASES / "bullets-with-means.txt").read_text(encoding="utf-8"))
    assert (result["kommun"], result["ar"], result["manad"]) == ("0115", 2021, 2)
    assert areas(result) == [73, 75, 80, 83, 86, 82, 86, 83] and result["total"] == 648
    assert mean["typ"] == "referens" and mean["etikett"] == "Sverigesnitt"
    assert (mean["ramverk"], mean["ar"]) == ("2020", 2021)
    assert areas(mean) == [63, 65, 73, 64, 61, 59, 68, 64] and mean["total"] == 517


def test_two_years_and_a_mean_column_are_three_series() -> None:
    first, second, mean = rows((CASES / "two-years-and-mean.txt").read_text(encoding="utf-8"))
    assert [(r["typ"], r["ar"]) for r in (first, second, mean)] == [
        ("resultat", 2019),
        ("resultat", 2023),
        ("referens", 2023),
    ]
    assert first["kommun"] == second["kommun"] == "1981"
    assert areas(first) == [55, 60, 58, 50, 47, 52, 61, 57] and first["total"] == 440
    assert areas(second) == [61, 66, 70, 59, 55, 63, 68, 64] and second["total"] == 506
    assert mean["etikett"] == "Snitt" and mean["total"] == 475


def test_a_space_separated_table_with_a_named_mean_and_an_ignored_column() -> None:
    text = (
        "Burlövs kommun, Kommunkompassen 2020\n"
        "Område | Poäng | Max | Sverigesnitt\n"
        "Samspel mellan förtroendevalda och medborgare | 50 | 100 | 55\n"
        "Samhällsutveckling | 61,5 | 100 | 60\n"
        "Totalt | 470 | 800 | 480\n"
    )
    result, mean = rows(text)
    assert (result["kommun"], result["ar"], result["ramverk"]) == ("1231", 2020, "2020")
    assert areas(result)[:3] == [50, 61.5, None] and result["total"] == 470
    assert mean["etikett"] == "Sverigesnitt" and areas(mean)[:2] == [55, 60]
    assert mean["total"] == 480


def test_several_areas_on_one_line_and_omrade_headings() -> None:
    text = (
        "Lunds kommun utvärderades i mars 2011. Offentlighet och demokrati 58, "
        "Tillgänglighet och brukarorientering 62; Politisk styrning och kontroll 66\n"
        "Område 4: 59\n"
        "Område 5 Resultat och effektivitet – 71 p\n"
        "Totalpoäng: 480\n"
    )
    [row] = rows(text)
    assert (row["kommun"], row["ar"], row["manad"], row["ramverk"]) == ("1281", 2011, 3, "2010")
    assert areas(row) == [58, 62, 66, 59, 71, None, None, None]
    assert row["total"] == 480


def test_a_table_copied_one_cell_a_line() -> None:
    text = "Sala kommun 2023\nArbetsliv\n68\nEffektivitet\n59\n"
    [row] = rows(text)
    assert areas(row) == [None, None, None, 59, None, None, 68, None]
    assert row["ramverk"] == "2020" and row["total"] is None


def test_a_total_only_and_never_a_computed_total() -> None:
    [only] = rows("Helsingborgs stad har fått 668 poäng av 800 i Kommunkompassen 2017.")
    assert only["kommun"] == "1283" and only["ar"] == 2017 and only["total"] == 668
    assert areas(only) == [None] * 8 and only["ramverk"] == "2010"
    eight = "\n".join(
        f"{n}. {name} 50"
        for n, name in enumerate(
            [
                "Samspel mellan förtroendevalda och medborgare",
                "Samhällsutveckling",
                "Styrning och kontroll",
                "Effektivitet",
                "Brukarens fokus",
                "Kvalitetsutveckling",
                "Arbetsliv",
                "Chefs- och ledarskap samt medarbetarskap",
            ],
            start=1,
        )
    )
    [row] = rows(eight, municipality="Sala", year=2022)
    assert areas(row) == [50] * 8 and row["total"] is None  # the text states no total


def test_the_parentheses_get_the_label_the_text_gives_them() -> None:
    text = (
        "Kommunkompassen för Tranås kommun 2017. Siffran inom parentes är snittet för de "
        "40 senast utvärderade kommunerna.\n"
        "- Offentlighet och demokrati: 60 (55)\n- Verksamhetsutveckling: 70 (58,5)\n"
    )
    result, mean = rows(text)
    assert mean["etikett"] == "Snitt för de 40 senast utvärderade kommunerna"
    assert mean["antal_kommuner"] == 40 and areas(mean)[0] == 55 and areas(mean)[6] == 58.5
    unnamed = rows("Tranås kommun 2017\n- Offentlighet och demokrati: 60 (55)\n")
    assert unnamed[1]["etikett"] == DEFAULT_MEAN_LABEL


def test_framework_from_names_else_from_the_year() -> None:
    assert rows("Sala 2019\nArbetsliv 68")[0]["ramverk"] == "2020"  # 2020 names in 2019
    assert rows("Sala kommun 2021\nOmråde 1: 55")[0]["ramverk"] == "2020"
    assert rows("Sala kommun 2015\nOmråde 1: 55")[0]["ramverk"] == "2010"
    assert rows("Sala kommun 2015\nOmråde 1: 55", framework="2020")[0]["ramverk"] == "2020"


def test_corrections_replace_what_the_text_says() -> None:
    [row] = rows("Sala kommun 2015\nOmråde 1: 55", municipality="0180", year=2016)
    assert (row["kommun"], row["ar"], row["ramverk"]) == ("0180", 2016, "2010")


def test_refusals_say_why() -> None:
    assert refusal_of("Det här är bara en vanlig text om 2014 och 61 saker.") == (
        "paste_nothing_recognised"
    )
    assert refusal_of("x" * (MAX_TEXT_CHARS + 1)) == "paste_too_long"
    assert refusal("Offentlighet och demokrati 61 (2014)") == "paste_municipality_missing"
    assert refusal("Sala kommun\nArbetsliv 61") == "paste_year_missing"
    assert refusal("Sala 2014\nArbetsliv 61", municipality="Atlantis") == (
        "paste_unknown_municipality"
    )
    with pytest.raises(PasteError) as caught:
        completed(recognise("Sala 2014\nArbetsliv 61"), "  ")
    assert caught.value.notice.code == "paste_source_missing"


def refusal_of(text: str) -> str:
    with pytest.raises(PasteError) as caught:
        recognise(text)
    return caught.value.notice.code


def test_values_out_of_range_and_repeated_areas_are_notices() -> None:
    pasted = recognise("Sala 2014\nArbetsliv 161\nEffektivitet 50\nEffektivitet 55\nTotalt 900")
    assert [n.code for n in pasted.notices] == [
        "paste_value_out_of_range",
        "paste_area_twice",
        "paste_value_out_of_range",
    ]
    [row] = json_rows(completed(pasted, SOURCE))
    assert areas(row)[3] == 50 and areas(row)[6] is None and row["total"] is None


def test_area_names_of_both_generations_and_their_variants() -> None:
    assert match_area("Brukarfokus, tillgänglighet och bemötande") == (2, {"2010"})
    assert match_area("Ständiga förbättringar") == (7, {"2010"})
    assert match_area("Kommunen som arbetsgivare") == (6, {"2010"})
    assert match_area("Samspel mellan förtroendevalda och invånare") == (1, {"2020"})
    assert match_area("Resultat och effektivitet") == (5, {"2010"})
    assert match_area("Effektivitet") == (4, {"2020"})
    assert match_area("Styrning") is None  # one word of two names: decides nothing


def test_columns_are_the_import_formats() -> None:
    assert RESULT_COLUMNS == imports.SCORE_COLUMNS
    assert REFERENCE_COLUMNS == imports.REFERENCE_COLUMNS


def test_csv_passes_the_import_validation() -> None:
    text = (CASES / "bullets-with-means.txt").read_text(encoding="utf-8")
    pasted: Pasted = completed(recognise(text), 'https://example.se/a;b "c"')
    [score] = imports.read_scores(scores_csv(pasted)).rows
    assert (score.code, score.year, score.month, score.stated_total) == ("0115", 2021, 2, 648)
    assert score.source == 'https://example.se/a;b "c"'
    [mean] = imports.read_reference(reference_csv(pasted)).rows
    assert mean.label == "Sverigesnitt" and mean.total == 517


def test_a_markdown_table_with_bold_total() -> None:
    text = (
        "Utvärdering av Höganäs kommun 2018\n| Område | Poäng | Snitt |\n|---|---|---|\n"
        "| Kommunen som samhällsbyggare | 68 | 60 |\n| **Totalt** | **520** | 500 |\n"
    )
    result, mean = rows(text)
    assert (result["kommun"], result["ar"], result["ramverk"]) == ("1284", 2018, "2010")
    assert areas(result)[7] == 68 and result["total"] == 520
    assert mean["etikett"] == "Snitt" and areas(mean)[7] == 60 and mean["total"] == 500


@pytest.mark.parametrize(
    "text",
    [
        ("Arbetsliv 68 Effektivitet 50 " * 10_000)[:MAX_TEXT_CHARS],  # one line, many areas
        "1" + " " * (MAX_TEXT_CHARS - 10) + "av 800",  # one run of spaces
        "A" * (MAX_TEXT_CHARS - 20) + " kommun",  # one word
        ("parentes " + "snitt" * 40_000)[:MAX_TEXT_CHARS],
        "Arbetsliv 68\n" * (MAX_TEXT_CHARS // 13),
    ],
    ids=["areas", "spaces", "word", "parentes", "lines"],
)
def test_the_longest_text_is_read_in_seconds(text: str) -> None:
    """Every pattern stays linear: these took minutes before (quadratic backtracking)."""
    started = time.perf_counter()
    try:
        pasted = recognise(text)
    except PasteError:
        pass
    else:
        assert len(pasted.notices) <= 100
    assert time.perf_counter() - started < 20

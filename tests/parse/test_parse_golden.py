"""The five sample reports against their hand-checked golden files (tests/golden/)."""

from __future__ import annotations

from functools import cache

import pytest

from kompass.parse import Area, Evaluation, parse_report
from tests.helpers.parse import SAMPLES, compare_with_golden, load_golden, sample_path


@cache
def parsed(name: str) -> Evaluation:
    return parse_report(sample_path(name))


def area(name: str, number: int) -> Area:
    return next(a for a in parsed(name).areas if a.number == number)


@pytest.mark.parametrize("name", SAMPLES)
def test_sample_matches_golden(name: str) -> None:
    errors = compare_with_golden(parsed(name).to_json(), load_golden(name))
    assert errors == [], "\n".join(errors)


@pytest.mark.parametrize("name", SAMPLES)
def test_every_area_has_findings(name: str) -> None:
    for a in parsed(name).areas:
        assert a.strengths, f"area {a.number}: no strengths"
        assert a.improvements, f"area {a.number}: no improvements"
        assert all(item.strip() and "•" not in item and "<" not in item
                   for item in a.strengths + a.partial + a.improvements)  # fmt: skip


@pytest.mark.parametrize("name", SAMPLES)
def test_lines_point_into_the_file(name: str) -> None:
    lines = sample_path(name).read_text(encoding="utf-8").split("\n")
    for a in parsed(name).areas:
        for sub in a.subareas:
            assert sub.code in lines[sub.line - 1], f"{sub.code}: line {sub.line}"
        assert f"{a.score:g}".replace(".", ",") in lines[a.line - 1].replace(".", ",")


@pytest.mark.parametrize("name", SAMPLES)
def test_discrepancy_lines_hold_the_stated_number(name: str) -> None:
    lines = sample_path(name).read_text(encoding="utf-8").split("\n")
    for d in parsed(name).discrepancies:
        assert f"{d.stated:g}" in lines[d.line - 1], f"area {d.area}: line {d.line}"


def test_sala_header_discrepancy_points_at_line_132() -> None:
    (d,) = parsed("sala-2023").discrepancies
    assert (d.area, d.kind, d.stated, d.chosen, d.line) == (1, "area_header", 65, 66, 132)


def test_lund_decimal_commas_are_numbers() -> None:
    subs = {s.code: s for a in parsed("lund-2011").areas for s in a.subareas}
    assert subs["1.1"].score == 4.5
    assert subs["1.2"].score == 10.2
    assert subs["1.5"].score == 1.75
    assert area("lund-2011", 1).score == 42.2
    assert parsed("lund-2011").total == pytest.approx(458.9)


def test_lund_header_rounding_is_not_a_discrepancy() -> None:
    first = area("lund-2011", 1)
    assert (first.stated_score, first.score) == (42, 42.2)
    assert parsed("lund-2011").discrepancies == []


def test_lund_three_columns_give_partial_items() -> None:
    first = area("lund-2011", 1)
    assert "Kommunikationsplattform" in first.strengths
    assert "Fler resultat och jämförelser på hemsidan" in first.partial
    assert "Strategi för demokratiutveckling" in first.improvements
    assert all(a.partial for a in parsed("lund-2011").areas)


def test_hoganas_page_break_continuation_is_joined() -> None:
    strengths = area("hoganas-2018", 5).strengths
    joined = [s for s in strengths if "verksamhetsnivå vad gäller mål" in s]
    assert len(joined) == 1
    assert joined[0].startswith("Kommunen har en tydlig och systematisk uppföljning")
    assert not any(s.startswith("nivå") for s in strengths)


def test_hoganas_continuation_in_second_column_is_joined() -> None:
    improvements = area("hoganas-2018", 5).improvements
    assert any(i.startswith("Effektivitetsutveckling") and "(kostnad, tid, etc.)" in i
               for i in improvements)  # fmt: skip
    assert not any(i.startswith("(kostnad") for i in improvements)


def test_svenljunga_continuation_after_repeated_header_is_joined() -> None:
    strengths = area("svenljunga-2022", 1).strengths
    assert any(
        "Webbsidan är ex. lättillgänglig, välpaketerad och enkel att navigera i" in s
        for s in strengths
    )
    assert not any(s.startswith("lättillgänglig") for s in strengths)


def test_burlov_area_2_reads_both_tables() -> None:
    strengths = area("burlov-2020", 2).strengths
    assert strengths[0].startswith("Kommunen arbetar på bred front")  # first table
    assert any(s.startswith("”En kommun för alla”") for s in strengths)  # second table
    assert len(strengths) == 6


def test_sala_summary_table() -> None:
    sala = parsed("sala-2023")
    assert sala.stated_total == 482
    (prev,) = sala.previous_evaluations
    assert prev.year == 2019 and prev.total == 363
    (mean,) = sala.references
    assert mean.label == "Medel 2020-" and mean.scores[0] == 64


def test_hoganas_alias_heading_keeps_canonical_name() -> None:
    # The body says "Område 7 Ständiga förbättringar" (2016 alias).
    assert area("hoganas-2018", 7).name == "Verksamhetsutveckling"
    assert parsed("hoganas-2018").framework == "2010"

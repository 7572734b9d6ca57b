"""Synthetic reports (kompass.devtools.synth): generate -> render -> parse gives back the truth.

The round trip runs over many random cases (Hypothesis, derandomized so every
run checks the same cases): 200 by default, 2,000 with KOMPASS_LONG_TESTS=1.
"""

from __future__ import annotations

import os
import random
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kompass import cli
from kompass.devtools.synth import (
    DISCREPANCY_KINDS,
    LAYOUTS,
    find_font,
    format_number,
    make_truth,
    plan_corpus,
    render_pdf,
    render_text,
    write_corpus,
)
from kompass.devtools.synth import compare as compare_with_truth
from kompass.domain.municipalities import municipalities
from kompass.parse import Evaluation, parse_bytes, parse_text
from kompass.parse.common import to_number
from kompass.parse.metadata import parse_metadata
from kompass.store import connect, ingest_many, table_counts

LONG = os.environ.get("KOMPASS_LONG_TESTS") == "1"
CODES = [m.code for m in municipalities()]
NO_FONT = (
    "no Unicode TrueType font (Liberation Sans, DejaVu Sans, …) under /usr/share/fonts; "
    "install fonts-liberation or fonts-dejavu-core"
)


def round_trip(seed: int, code: str, year: int, layout: str, **options: object) -> None:
    """Generate, render, parse and compare; also check every number's line."""
    rng = random.Random(seed)
    truth = make_truth(rng, code, year, **options)  # type: ignore[arg-type]
    text = render_text(truth, layout, rng)
    evaluation = parse_text(text, f"{code}-{year}.txt")
    assert compare_with_truth(evaluation, truth, layout) == []
    assert line_errors(evaluation, text) == []


def _has_number(line: str, value: float) -> bool:
    tokens = re.split(r"[\t ]+|<[^>]*>", line)
    return any(re.fullmatch(r"\d+(?:[.,]\d+)?", t) and to_number(t) == value for t in tokens)


def line_errors(evaluation: Evaluation, text: str) -> list[str]:
    """Every stored number keeps the line it came from: check that line holds it."""
    lines = text.split("\n")
    errors = []
    for area in evaluation.areas:
        if not _has_number(lines[area.line - 1], area.score):
            errors.append(f"area {area.number}: line {area.line} lacks {area.score}")
        if area.stated_line and not _has_number(
            lines[area.stated_line - 1], area.stated_score or 0
        ):
            errors.append(f"area {area.number}: 'Poäng' line {area.stated_line} lacks it")
        for sub in area.subareas:
            if not lines[sub.line - 1].startswith(sub.code):
                errors.append(f"sub-area {sub.code}: line {sub.line} is {lines[sub.line - 1]!r}")
    return errors


# --- the round trip ----------------------------------------------------------------------


@settings(
    max_examples=2000 if LONG else 200,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(
    seed=st.integers(0, 2**32 - 1),
    code=st.sampled_from(CODES),
    year=st.integers(2006, 2025),
    framework=st.sampled_from([None, None, "2010", "2020"]),
    layout=st.sampled_from(LAYOUTS),
    kinds=st.lists(st.sampled_from(DISCREPANCY_KINDS), max_size=3),
)
def test_round_trip(
    seed: int, code: str, year: int, framework: str | None, layout: str, kinds: list[str]
) -> None:
    round_trip(seed, code, year, layout, framework=framework, discrepancies=kinds)


@pytest.mark.parametrize("framework", ["2010", "2020"])
@pytest.mark.parametrize("layout", LAYOUTS)
def test_every_layout_with_every_discrepancy(layout: str, framework: str) -> None:
    """Each layout, both generations, all three kinds of contradiction at once."""
    year = 2015 if framework == "2010" else 2022
    for seed in range(5):
        round_trip(seed, "1981", year, layout, framework=framework, discrepancies=DISCREPANCY_KINDS)


def test_previous_evaluation_and_mean_in_the_summary_table() -> None:
    rng = random.Random(7)
    earlier = make_truth(rng, "1981", 2019)
    truth = make_truth(rng, "1981", 2023, previous=earlier)
    assert truth.previous is not None and truth.reference is not None
    assert truth.previous.scores == [a.score for a in earlier.areas]
    evaluation = parse_text(render_text(truth, "sala", rng))
    assert compare_with_truth(evaluation, truth, "sala") == []
    [previous] = evaluation.previous_evaluations
    assert (previous.label, previous.year, previous.total) == ("Sala 2019", 2019, earlier.total)
    assert [r.label for r in evaluation.references] == ["Medel 2020-"]
    if earlier.evaluation_number:
        assert truth.evaluation_number == earlier.evaluation_number + 1


def test_discrepancies_are_flagged_on_their_areas() -> None:
    rng = random.Random(3)
    truth = make_truth(rng, "1231", 2020, discrepancies=DISCREPANCY_KINDS)
    evaluation = parse_text(render_text(truth, "sala", rng))
    flagged = {(d.area, d.kind) for d in evaluation.discrepancies}
    assert flagged == {(d.area, d.kind) for d in truth.discrepancies}
    assert len({d.area for d in truth.discrepancies}) == 3  # three different areas


def test_every_municipality_is_named_so_the_parser_finds_it() -> None:
    """Nominative (sala: "Sala kommun") and genitive ("Burlövs", "Kalix") forms."""
    rng = random.Random(1)
    for municipality in municipalities():
        truth = make_truth(rng, municipality.code, 2021)
        for layout in ("sala", "burlov"):
            meta = parse_metadata(render_text(truth, layout, rng).split("\n"))
            assert meta.municipality.code == municipality.code, (municipality.name, layout)
            assert meta.evaluation_number == truth.evaluation_number, (municipality.name, layout)


# --- the truth itself ----------------------------------------------------------------------


def test_truths_look_like_kommunkompassen() -> None:
    rng = random.Random(11)
    for year in (2010, 2019, 2020, 2024):
        truth = make_truth(rng, rng.choice(CODES), year)
        assert truth.framework == ("2020" if year >= 2020 else "2010")
        for area in truth.areas:
            assert 4 <= len(area.subareas) <= 7
            assert sum(s.max for s in area.subareas) == 100
            assert all(0 <= s.score <= s.max for s in area.subareas)
            assert area.score == pytest.approx(sum(s.score for s in area.subareas), abs=0.051)
            assert all(item[0].isupper() for item in area.strengths + area.improvements)
        assert truth.total == pytest.approx(sum(a.score for a in truth.areas))
        if truth.framework == "2020":
            assert all(s.score == int(s.score) for a in truth.areas for s in a.subareas)


def test_decimal_scores_with_decimal_commas_in_the_lund_layout() -> None:
    rng = random.Random(0)
    truth = next(t for t in (make_truth(rng, "1281", 2011) for _ in range(50)) if t.decimals)
    text = render_text(truth, "lund", rng)
    assert re.search(r"\t\d+,\d+\t\d+\t\d+%", text)
    assert compare_with_truth(parse_text(text), truth, "lund") == []


def test_bad_arguments() -> None:
    rng = random.Random(0)
    with pytest.raises(ValueError, match="no municipality"):
        make_truth(rng, "9999", 2020)
    with pytest.raises(ValueError, match="framework"):
        make_truth(rng, "1981", 2020, framework="2030")
    with pytest.raises(ValueError, match="layout"):
        render_text(make_truth(rng, "1981", 2020), "nowhere", rng)
    with pytest.raises(ValueError, match="do not fit"):
        plan_corpus(rng, 100, (2020, 2021), n_municipalities=3)


def test_format_number() -> None:
    assert [format_number(v) for v in (66.0, 4.5, 1.75)] == ["66", "4.5", "1.75"]
    assert format_number(42.2, comma=True) == "42,2"


# --- PDF -------------------------------------------------------------------------------------


@pytest.mark.skipif(find_font() is None, reason=NO_FONT)
@pytest.mark.parametrize("layout", LAYOUTS)
def test_pdf_round_trip(layout: str) -> None:
    """Scores, sub-areas and metadata survive PDF text (findings tables are not stored)."""
    rng = random.Random(LAYOUTS.index(layout))
    for _ in range(4 if LONG else 1):
        truth = make_truth(
            rng, rng.choice(CODES), rng.randint(2010, 2024), discrepancies=["area_header"]
        )
        data = render_pdf(truth, layout, rng)
        assert data.startswith(b"%PDF-")
        evaluation, fmt = parse_bytes(data, f"{truth.municipality_code}.pdf")
        assert fmt == "pdf"
        assert compare_with_truth(evaluation, truth, layout, pdf=True) == []


# --- corpus and demo -----------------------------------------------------------------------


def test_corpus_has_distinct_pairs_over_several_years() -> None:
    rng = random.Random(5)
    plan = plan_corpus(rng, 2000, (2010, 2024), n_municipalities=290)
    pairs = [(code, year) for code, years in plan for year in years]
    assert len(pairs) == len(set(pairs)) == 2000
    assert len(plan) == 290
    assert min(len(years) for _, years in plan) >= 6


def test_write_corpus_files_ingest(tmp_path: Path) -> None:
    folder, db = tmp_path / "reports", tmp_path / "demo.duckdb"
    pdf_share = 0.2 if find_font() is not None else 0.0
    truths = write_corpus(folder, 12, seed=3, years=(2016, 2023), pdf_share=pdf_share)
    assert sorted(p.name for p in folder.iterdir()) == sorted(t.file_name for t in truths)
    assert len({(t.municipality_code, t.year) for t in truths}) == 12
    assert all(re.fullmatch(r"\d{4}-\d{4}\.(txt|pdf)", t.file_name) for t in truths)
    results, failures = ingest_many([folder], db)
    assert failures == []
    assert {r.status for r in results} == {"added"}
    with connect(db, read_only=True) as con:
        stored = dict(
            ((code, year), total)
            for code, year, total in con.execute(
                "SELECT municipality_code, year, total FROM evaluation WHERE origin = 'report'"
            ).fetchall()
        )
    assert stored == pytest.approx({(t.municipality_code, t.year): t.total for t in truths})


def test_later_reports_state_the_earlier_ones(tmp_path: Path) -> None:
    truths = write_corpus(tmp_path, 40, seed=8, years=(2012, 2024), n_municipalities=8)
    by_code: dict[str, list[int]] = {}
    for truth in truths:
        by_code.setdefault(truth.municipality_code, []).append(truth.year)
        if truth.previous is not None and len(by_code[truth.municipality_code]) > 1:
            assert truth.previous.year == by_code[truth.municipality_code][-2]
    assert all(len(years) == 5 for years in by_code.values())


def test_demo_command_fills_a_separate_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    main_db, demo_db = tmp_path / "kompass.duckdb", tmp_path / "demo.duckdb"
    monkeypatch.setenv("KOMPASS_DB", str(main_db))
    monkeypatch.setattr(cli, "demo_db_path", lambda: demo_db)
    argv = ["demo", "--kommuner", "4", "--ar", "2019-2022", "--antal", "10", "--quiet"]
    assert cli.main(argv) == 0
    out = capsys.readouterr().out
    assert "Made 10 synthetic reports: 4 municipalities, 2019–2022" in out
    assert f"KOMPASS_DB={demo_db} make run" in out
    assert not main_db.exists()
    first = table_counts(demo_db)["report"]
    assert first == 10
    # Run again with another seed: the demo database is rebuilt, not added to.
    assert cli.main([*argv, "--seed", "2"]) == 0
    assert table_counts(demo_db)["report"] == 10


def test_demo_command_rejects_bad_years(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(cli, "demo_db_path", lambda: tmp_path / "demo.duckdb")
    assert cli.main(["demo", "--ar", "2024-2010"]) == 2
    assert "years must run forward" in capsys.readouterr().err
    assert cli.main(["demo", "--kommuner", "2", "--ar", "2020", "--antal", "3"]) == 2
    assert "do not fit" in capsys.readouterr().err
    assert not (tmp_path / "demo.duckdb").exists()

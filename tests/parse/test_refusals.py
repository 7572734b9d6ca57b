"""Refusals that help (issue #11, point 3): a text that is no complete report is refused
with the case it is: a summary (and how to import it), a report cut off after its
contents list or mid-way (the last area found), an evaluation from before the 2010
framework (the year), or no Kommunkompassen text at all."""

from __future__ import annotations

import time

import pytest

from kompass.parse import ParseError, parse_bytes, parse_text
from kompass.parse.budget import parse_bytes_within
from kompass.parse.refusals import summary_areas
from kompass.present.notices import parse_error_text
from tests.helpers.parse import sample_text

# Summaries as web pages and press releases give them (texts written for these tests).
NUMBERED = """Grästorps kommun har utvärderats med Kommunkompassen

Utvärderingen av Grästorps kommun genomfördes i oktober 2014. Resultat per område:

1. Offentlighet och demokrati 61
2. Tillgänglighet och brukarorientering 58
3. Politisk styrning och kontroll 70
4. Ledarskap, ansvar och delegation 66
5. Resultat och effektivitet 64
6. Kommunen som arbetsgivare – personalpolitik 59
7. Verksamhetsutveckling 60
8. Kommunen som samhällsbyggare 68

Totalt fick Grästorp 506 av totalt 800 poäng.
"""
BULLETS = """Resultat i Kommunkompassen 2021 (inom parentes Sverigesnitt)
• Samspel mellan förtroendevalda och medborgare: 63 (60)
• Samhällsutveckling: 55 (58)
• Styrning och kontroll: 61 (64)
• Effektivitet: 52 (57)
"""
PRESS = """Pressmeddelande 2022-03-01
Kommunen fick 71 poäng för Styrning och kontroll, bäst av alla områden,
och totalt 512 poäng av 800 möjliga.
"""
ONE_LINE = (
    "Samspel mellan förtroendevalda och medborgare 63 Samhällsutveckling 55 "
    "Styrning och kontroll 61 Effektivitet 52 Totalt 480"
)


def refused(text: str, name: str = "text.txt") -> ParseError:
    with pytest.raises(ParseError) as info:
        parse_bytes(text.encode("utf-8"), name)
    return info.value


def sala_lines() -> list[str]:
    return sample_text("sala-2023").split("\n")


def body_heading(lines: list[str], number: int) -> int:
    """Index of area `number`'s heading in the body (not in the contents list)."""
    return max(i for i, line in enumerate(lines) if line.startswith(f"Område {number} "))


# --- (a) a summary -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "areas"),
    [
        (NUMBERED, list(range(1, 9))),
        (BULLETS, [1, 2, 3, 4]),
        (PRESS, [3]),
        (ONE_LINE, [1, 2, 3, 4]),
    ],
    ids=["numbered", "bullets", "press-release", "one-line"],
)
def test_a_summary_is_refused_as_a_summary_with_the_way_to_import_it(
    text: str, areas: list[int]
) -> None:
    error = refused(text, "grastorp.txt")
    assert (error.code, error.fields) == ("summary_not_report", {"areas": areas})
    assert "kompass import-text FILE --kalla SOURCE" in error.message
    assert "Klistra in resultat" in error.message
    swedish = parse_error_text(error)
    assert "sammanfattning av resultat" in swedish and "”Klistra in resultat”" in swedish
    assert "kompass import-text" in swedish


def test_a_summary_without_the_word_kommunkompassen_is_a_summary_too() -> None:
    assert refused(BULLETS.replace("Kommunkompassen", "utvärderingen")).code == (
        "summary_not_report"
    )


def test_area_names_without_scores_are_no_summary() -> None:
    text = "Kommunkompassen har åtta områden:\n1. Offentlighet och demokrati\n2. Effektivitet\n"
    assert refused(text).code == "no_area_headings"
    assert summary_areas(["Effektivitet 2023", "Arbetsliv 250", "Samhällsutveckling"]) == []


def test_area_scores_quoted_in_running_text_are_no_summary() -> None:
    """The README describes what a summary looks like; it is none."""
    text = (
        "Kommunkompassen i appen\n\nKlistra in numrerade listor (”1. Offentlighet och "
        "demokrati 61”), punkter med medelvärden (”Arbetsliv: 86 (68)”) och totalen ur "
        "”Totalt 506” eller ”506 av 800”.\n"
    )
    assert refused(text).code == "no_area_headings"


def test_the_reports_own_area_lists_do_not_make_it_a_summary() -> None:
    """A complete report names every area with numbers (contents, summary table, overview):
    it still parses, and its contents entries do not count as scores."""
    lines = sala_lines()
    contents = [line for line in lines[:30] if line.startswith("Område")]
    assert len(contents) == 8 and summary_areas(contents) == []
    assert parse_bytes(sample_text("sala-2023").encode(), "sala-2023.txt")[0].total == 482


# --- (b) a report cut off ----------------------------------------------------------------


def test_a_report_that_ends_after_its_contents_list() -> None:
    lines = sala_lines()
    end = max(i for i, line in enumerate(lines) if line.startswith("1 Vad är"))
    error = refused("\n".join(lines[:end]), "sala-2023.txt")
    assert error.code == "report_ends_after_contents" and error.line is not None
    assert lines[error.line - 1].startswith("Område 8 ")  # the last contents entry
    assert "ends after its contents list" in error.message
    assert "slutar efter innehållsförteckningen" in parse_error_text(error)


@pytest.mark.parametrize("last", [1, 4, 7])
def test_a_report_that_ends_mid_way_names_the_last_area_found(last: int) -> None:
    lines = sala_lines()
    cut = body_heading(lines, last + 1) - 2
    error = refused("\n".join(lines[:cut]), "sala-2023.txt")
    name = lines[body_heading(lines, last)].split(" ", 2)[2]
    assert (error.code, error.fields) == ("report_cut_off", {"area": last, "name": name})
    assert f"the last area found is area {last} ({name})" in error.message
    missing = "area 8 is" if last == 7 else f"areas {last + 1}–8 are"
    assert f"{missing} missing" in error.message
    swedish = parse_error_text(error)
    assert f"det sista området som hittades är område {last} (”{name}”)" in swedish


def test_a_missing_area_in_the_middle_is_not_a_cut_off() -> None:
    text = sample_text("sala-2023").replace("Område 3", "Avsnitt 3")
    assert refused(text).code == "areas_missing"


def test_the_codes_come_through_the_worker_process() -> None:
    lines = sala_lines()
    with pytest.raises(ParseError) as info:
        parse_bytes_within("\n".join(lines[: body_heading(lines, 5)]).encode(), "sala.txt")
    assert (info.value.code, info.value.fields["area"]) == ("report_cut_off", 4)
    with pytest.raises(ParseError) as summary:
        parse_bytes_within(NUMBERED.encode(), "grastorp.txt")
    assert summary.value.code == "summary_not_report"


# --- (c) before the 2010 framework -------------------------------------------------------

OLD_REPORT = """KommunKompassen

ANALYS AV VÄXJÖ KOMMUN 2007

Innehåll

1. Bakgrund
2. Offentlighet och demokrati
3. Tillgänglighet, brukar- och medborgarorientering

Utvärderingen av Växjö kommun genomfördes i maj 2007 enligt den tidigare versionen av
Kommunkompassen. Poängen redovisas per kriterium.
"""


def test_an_evaluation_from_before_2010_is_not_supported_and_says_its_year() -> None:
    error = refused(OLD_REPORT, "vaxjo-2007.txt")
    assert (error.code, error.fields) == ("framework_before_2010", {"year": 2007})
    assert error.line is not None
    assert "2007" in OLD_REPORT.split("\n")[error.line - 1]
    assert "from 2007, before the 2010 framework" in error.message
    assert "från 2007, före 2010 års ramverk" in parse_error_text(error)


def test_an_old_report_with_a_summary_is_refused_for_its_year() -> None:
    error = refused(OLD_REPORT + "\nOffentlighet och demokrati 55\nEffektivitet 60\nArbetsliv 61\n")
    assert error.code == "framework_before_2010"


# --- (d) not a Kommunkompassen text ------------------------------------------------------


def test_other_texts_keep_their_refusals() -> None:
    assert refused("Veckans matsedel\nMåndag: fisk\n").code == "not_a_report"
    press = "Sala kommun har utvärderats med Kommunkompassen 2023.\nResultatet blev 482 poäng.\n"
    assert refused(press).code == "no_area_headings"


# --- linear time -------------------------------------------------------------------------

LINES = 2000  # lines of MAX_SUMMARY_LINE characters: the most the refusals read closely
PATHOLOGICAL = {
    "leaders": "Område 1 x" + "." * 1980,
    "tabs": "Område 1 x" + "\t" * 1980 + "12",
    "digits": "Område 1 x" + "1" * 1980,
    "adjacent_rows": "Effektivitet 1 " * 130,
    "scattered_names": "x Effektivitet 1 " * 115,
    "parentheses": "Arbetsliv 3 (" * 150,
    "points_for": "71 poäng för " * 150,
    "totals": "Totalt " * 280,
}


@pytest.mark.parametrize("shape", PATHOLOGICAL)
def test_refusals_take_linear_time(shape: str) -> None:
    text = "Kommunkompassen\n" + "\n".join([PATHOLOGICAL[shape]] * LINES)
    start = time.process_time()
    with pytest.raises(ParseError):
        parse_text(text, "x.txt")
    seconds = time.process_time() - start
    assert seconds < 5.0, f"{shape}: {seconds:.1f} s"

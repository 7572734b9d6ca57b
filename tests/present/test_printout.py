"""The profile print-out (issue 4): facts, Swedish sentences, standalone HTML and the PNG.

The radar is SVG drawn in Python and the PNG is that SVG through resvg: no
test here needs a browser (issue 12). The drawing itself is tested in
test_printout_svg.py.
"""

from __future__ import annotations

import dataclasses
import io
import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest

from kompass.present import printout
from kompass.present.printout import PrintoutError, SummaryFacts

SALA, BURLOV, LUND = "1981", "1231", "1281"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
SVG_NAMESPACES = {"http://www.w3.org/2000/svg", "http://www.w3.org/1999/xlink"}
SVG = "{http://www.w3.org/2000/svg}"
REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def sala(sample_db: Path) -> SummaryFacts:
    return printout.summary_facts(sample_db, SALA, 2023)


@pytest.fixture(scope="module")
def sala_html(sample_db: Path) -> str:
    return printout.summary_html(sample_db, SALA, 2023, made=date(2025, 3, 14))


# ---------------------------------------------------------------------------- facts


def test_sala_2023_facts(sala: SummaryFacts) -> None:
    assert sala.name == "Sala" and sala.year == 2023 and sala.month == 9
    assert sala.total == 482
    assert (sala.previous_year, sala.previous_total, sala.total_change) == (2019, 363, 119)
    assert [a.change for a in sala.areas] == [15, 20, 20, 7, 16, 10, 36, -5]
    [best] = sala.largest_improvement
    assert (best.area, best.name, best.change) == (7, "Arbetsliv", 36)
    assert sala.rank_text == "3:e av 3 inom 2020-ramverket, per 2023"


def test_sala_2023_against_medel_2020(sala: SummaryFacts) -> None:
    assert sala.mean_label == "Medel för utvärderade kommuner, 2020-ramverket (SKR)"
    assert "enligt rapporten för Sala 2023" in (sala.mean_source or "")
    assert ".txt" not in sala.mean_label + (sala.mean_source or "")
    assert sala.mean_total == 515
    assert sala.above_mean == [1, 6]
    assert sala.below_mean == [2, 3, 4, 5, 7, 8]
    assert [a.diff for a in sala.areas] == [2, -5, -5, -7, -6, 1, -6, -7]


def test_sala_2023_strongest_is_a_tie(sala: SummaryFacts) -> None:
    # Samspel (1) and Styrning och kontroll (3) both have 66.
    assert [a.area for a in sala.strongest] == [1, 3]


def test_mean_key_chooses_the_database_mean(sample_db: Path) -> None:
    facts = printout.summary_facts(sample_db, SALA, 2023, mean_key="berakn-2020")
    # Each municipality's latest 2020 evaluation: Burlöv 2020, Svenljunga 2022, Sala 2023.
    assert facts.mean_label is not None and "(n = 3 kommuner" in facts.mean_label
    assert facts.mean_total == pytest.approx(529)
    assert not facts.mean_verdict
    assert "för få utvärderingar" in printout.summary_sentences(facts)[3]


def test_unknown_evaluation_or_mean_is_a_clear_error(sample_db: Path) -> None:
    with pytest.raises(PrintoutError, match="ingen utvärdering"):
        printout.summary_facts(sample_db, SALA, 2001)
    with pytest.raises(PrintoutError, match="Medelvärdet"):
        printout.summary_facts(sample_db, SALA, 2023, mean_key="skr-1999")


# ---------------------------------------------------------------------------- sentences


def test_sala_2023_sentences(sala: SummaryFacts) -> None:
    sentences = printout.summary_sentences(sala)
    assert sentences[:3] == [
        "Sala fick 482 av 800 poäng i Kommunkompassen i september 2023.",
        "Förändring sedan utvärderingen 2019: +119 poäng (från 363 till 482).",
        "Störst förbättring inom Arbetsliv (+36 poäng).",
    ]
    mean = sentences[3]
    assert mean.startswith(
        "Jämfört med Medel för utvärderade kommuner, 2020-ramverket (SKR): över medelvärdet inom"
    )
    assert "Kvalitetsutveckling (+1); under medelvärdet inom Samhällsutveckling (−5)" in mean
    assert sentences[4].startswith("Starkast område: Samspel mellan förtroendevalda")
    assert "delat med Styrning och kontroll (66 poäng)" in sentences[4]
    assert sentences[5] == (
        "Placering: 3:e av 3 inom 2020-ramverket, per 2023 (bland utvärderingarna i databasen)."
    )


def test_no_previous_evaluation_leaves_out_the_change(sample_db: Path) -> None:
    facts = printout.summary_facts(sample_db, BURLOV, 2020)
    assert facts.previous_year is None and facts.total_change is None
    assert not facts.has_area_changes and facts.largest_improvement == []
    sentences = printout.summary_sentences(facts)
    assert sentences == [
        "Burlöv fick 595 av 800 poäng i Kommunkompassen i december 2020.",
        "Jämfört med Medel för utvärderade kommuner, 2020-ramverket (SKR): "
        "över medelvärdet inom alla åtta områden.",
        "Starkast område: Styrning och kontroll (80 poäng).",
        "Placering: 1:a av 3 inom 2020-ramverket, per 2023 (bland utvärderingarna i databasen).",
    ]


def test_decimals_and_the_other_generation(sample_db: Path) -> None:
    facts = printout.summary_facts(sample_db, LUND, 2011)
    sentences = printout.summary_sentences(facts)
    assert sentences[0] == "Lund fick 458,9 av 800 poäng i Kommunkompassen i mars 2011."
    # No 2010-series reference mean in the samples, and two evaluations are too few
    # for a mean by default: no comparison at all.
    assert facts.mean_label is None
    assert not any("medelvärdet" in s for s in sentences)
    asked = printout.summary_facts(sample_db, LUND, 2011, mean_key="berakn-2010")
    told = printout.summary_sentences(asked)[1]
    assert "(n = 2 kommuner" in told and "för få utvärderingar" in told
    assert "under medelvärdet" not in told
    assert sentences[-1].startswith("Placering: 2:a av 2 inom 2010-ramverket, per 2018")


def test_an_older_evaluation_has_no_rank_of_its_own(sample_db: Path) -> None:
    facts = printout.summary_facts(sample_db, SALA, 2019)
    sentences = printout.summary_sentences(facts)
    assert sentences[0] == "Sala fick 363 av 800 poäng i Kommunkompassen år 2019."
    assert facts.rank_text is None
    assert sentences[-1] == "Placering: redovisas bara för kommunens senaste utvärdering (2023)."
    assert "uppgift i senare rapport" in printout.summary_page(facts, None, date(2025, 3, 14))


def test_total_only_evaluation_gives_valid_sentences_and_page(sala: SummaryFacts) -> None:
    facts = dataclasses.replace(sala, areas=[], previous_total=None, rank_text=None)
    sentences = printout.summary_sentences(facts)
    assert sentences[0].startswith("Sala fick 482 av 800")
    assert not any("Störst" in s or "Starkast" in s or "medelvärdet" in s for s in sentences)
    page = printout.summary_page(facts, None, date(2025, 3, 14))
    assert "482 av 800" in page and "<table" not in page and "<svg" not in page
    with pytest.raises(PrintoutError, match="bara totalpoängen"):
        printout.radar_lines(facts, "#0072B2")


# ---------------------------------------------------------------------------- HTML


class _Links(HTMLParser):
    """Collects every attribute that could make a browser fetch something."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.fetching: list[tuple[str, str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        for name, value in attrs:
            if name in ("src", "href", "xlink:href", "srcset", "data", "action", "poster"):
                self.fetching.append((tag, name, value or ""))


def test_html_states_the_summary(sala_html: str) -> None:
    for phrase in [
        "<title>Kommunkompassen – Sala 2023</title>",
        "482 av 800",
        "+119",
        "Arbetsliv (+36 poäng)",
        "Medel för utvärderade kommuner, 2020-ramverket (SKR)",
        "3:e av 3 inom 2020-ramverket, per 2023",
        "Källa: Kommunkompassen, SKR; rapport sala-2023.txt",
        "SCB via Kolada",
        "Sammanställd 14 mars 2025",
    ]:
        assert phrase in sala_html, phrase
    # The table's total row: 482, mean 515, −33, 363, +119.
    total_row = re.search(r'<tr class="total">(.*?)</tr>', sala_html)
    assert total_row is not None
    cells = re.findall(r"<td>(.*?)</td>", total_row.group(1))
    assert cells == ["Totalt (av 800)", "482", "515", "−33", "363", "+119"]


def test_html_is_standalone_and_printable(sala_html: str) -> None:
    assert sala_html.startswith("<!DOCTYPE html>")
    assert '<html lang="sv">' in sala_html
    assert "@page { size: A4; margin: 15mm; }" in sala_html
    assert sala_html.count("<svg") == 1  # the radar, inline
    parser = _Links()
    parser.feed(sala_html)
    assert "script" not in parser.tags and "link" not in parser.tags
    assert "img" not in parser.tags and "iframe" not in parser.tags
    # Only in-document references (SVG clip paths, gradients), nothing fetchable.
    assert all(value.startswith("#") for _, _, value in parser.fetching), parser.fetching
    assert set(re.findall(r"https?://[^\s\"'<>)]+", sala_html)) <= SVG_NAMESPACES
    assert "@import" not in sala_html and "@font-face" not in sala_html
    assert not re.search(r"url\(\s*['\"]?(?!#)", sala_html)  # url(#clip…) only


def test_names_and_report_text_are_escaped(sala: SummaryFacts) -> None:
    assert printout.escape_text("<script>alert('x')</script>") == (
        "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;"
    )
    evil = dataclasses.replace(
        sala,
        name="<script>alert(1)</script>",
        mean_label='<img src="http://example.org/x.png">',
        areas=[dataclasses.replace(a, name=f"<b>{a.name}</b>") for a in sala.areas],
    )
    page = printout.summary_page(evil, None, date(2025, 3, 14))
    assert "<script" not in page and "<img" not in page and "<b>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; fick 482 av 800" in page
    assert "&lt;b&gt;Arbetsliv&lt;/b&gt;" in page
    # The chart shows them as text too: the SVG parses and holds no element of theirs.
    chart = _svg(printout.page_svg(evil, "#0072B2"))
    assert {e.tag for e in chart.iter()} <= SVG_TAGS
    assert "<script>alert(1)</script> 2023" in _texts(chart)
    assert "<b>Arbetsliv</b>" in _texts(chart)


SVG_TAGS = {SVG + t for t in ("svg", "title", "rect", "circle", "line", "polygon", "polyline",
                              "text", "tspan", "g")}  # fmt: skip


def _svg(text: str) -> ET.Element:
    return ET.fromstring(text)


def _texts(root: ET.Element) -> list[str]:
    """Each <text> element's content, its lines joined by a space."""
    return [" ".join(" ".join(t.itertext()).split()) for t in root.iter(SVG + "text")]


def test_radar_shows_every_stored_string_as_text_once(sala: SummaryFacts) -> None:
    link = '<a href="https://evil.example/x">x</a>'
    evil = dataclasses.replace(
        sala,
        name=f"Sala {link}",
        mean_legend=f"Medel & {link}\x01",  # a control character XML cannot hold
        areas=[dataclasses.replace(a, name=f"{a.name} {link}") for a in sala.areas],
    )
    for drawing in (printout.page_svg(evil, "#0072B2"), printout.slide_svg(evil, "#0072B2")):
        assert "<a " not in drawing and "\x01" not in drawing
        root = _svg(drawing)
        assert {e.tag for e in root.iter()} <= SVG_TAGS
        shown = " ".join(_texts(root))
        assert f"Sala {link} 2023" in shown and f"Medel & {link}" in shown
        assert "Samspel mellan förtroendevalda och medborgare <a" in shown


def test_a_long_label_is_shortened_in_the_legend(sala: SummaryFacts) -> None:
    label = "Medel 2022 (enligt " + "medelvarden-" * 6 + "2022.csv, n = 290) <b>"
    lines = printout.radar_lines(dataclasses.replace(sala, mean_legend=label), "#0072B2")
    name = lines[1].name
    assert name == label[:49].rstrip() + "…" and len(name) == 50


# ---------------------------------------------------------------------------- images


def test_slide_has_title_source_and_three_series(sala: SummaryFacts) -> None:
    lines = printout.radar_lines(sala, "#D55E00")
    assert [line.name for line in lines] == [
        "Sala 2023",
        "SKR:s medel, 2020-ramverket",
        "Sala 2019",
    ]
    assert list(lines[0].scores) == [66, 60, 66, 57, 55, 58, 62, 58]
    assert list(lines[2].scores) == [51, 40, 46, 50, 39, 48, 26, 63]
    assert [line.dash for line in lines] == ["solid", "dash", "dot"]
    root = _svg(printout.slide_svg(sala, "#D55E00", 1200, 900))
    shown = _texts(root)
    assert shown[0] == "Kommunkompassen – Sala 2023: poäng per område (0–100)"
    assert shown[1].startswith("Källa: Kommunkompassen, SKR; rapport sala-2023.txt")
    assert "Sala 2023.." not in shown[1]
    names = ["Sala 2023", "SKR:s medel, 2020-ramverket", "Sala 2019", "Arbetsliv", "7"]
    assert set(names + ["Samspel mellan förtroendevalda och medborgare"]) <= set(shown)
    assert root.get("aria-label", "").startswith("Spindeldiagram: poäng per område")


def test_radar_png_for_slides(sample_db: Path) -> None:
    from PIL import Image

    data = printout.radar_png(sample_db, SALA, 2023, width=960, height=720)
    assert data.startswith(PNG_SIGNATURE)
    with Image.open(io.BytesIO(data)) as image:
        assert image.size == (960, 720)
        rgb = image.convert("RGB")
        colors = {rgb.getpixel((x, y)) for x in range(0, 960, 4) for y in range(0, 720, 4)}
    assert (0, 114, 178) in colors  # the base colour #0072B2: the lines are drawn
    assert (255, 255, 255) in colors  # an opaque white background, not transparency


# A fresh interpreter whose PATH holds no browser: it makes the page and the PNG and tells
# whether a browser driver was loaded or any child process started.
NO_BROWSER_SCRIPT = """
import json, os, sys, time
from pathlib import Path
start = time.perf_counter()
from kompass.present import printout
db = Path(sys.argv[1])
page = printout.summary_html(db, "1981", 2023)
png = printout.radar_png(db, "1981", 2023)
seconds = time.perf_counter() - start
me = str(os.getpid())
children = []
for pid in filter(str.isdigit, os.listdir("/proc")):
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        continue
    if stat.rsplit(")", 1)[1].split()[1] == me:
        children.append(stat.split(")")[0])
print(json.dumps({
    "page": "482" in page and "<svg" in page,
    "png": png[:8] == b"\\x89PNG\\r\\n\\x1a\\n",
    "modules": sorted(m for m in ("kaleido", "choreographer", "playwright") if m in sys.modules),
    "children": children,
    "seconds": seconds,
}))
"""


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux /proc")
def test_print_page_and_png_need_no_browser(sample_db: Path, tmp_path: Path) -> None:
    env = {**os.environ, "PATH": str(tmp_path)}  # no chromium (nor anything else) on PATH
    done = subprocess.run(
        [sys.executable, "-c", NO_BROWSER_SCRIPT, str(sample_db)],
        capture_output=True, text=True, timeout=120, cwd=REPO, env=env,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["page"] and result["png"]
    assert result["modules"] == [] and result["children"] == []

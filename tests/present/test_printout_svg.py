"""The radar drawn as SVG in Python and rasterised without a browser (present.svg, issue 12)."""

from __future__ import annotations

import csv
import io
import math
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont
from PIL import Image

from kompass.present import charts, printout, svg

SVG = "{http://www.w3.org/2000/svg}"
AREAS = [f"Område {i}" for i in range(1, 9)]
FRAMEWORKS = svg.ASSETS.parent / "domain" / "data" / "frameworks.csv"


def _draw(lines: list[svg.Line], **radar: object) -> ET.Element:
    return ET.fromstring(svg.radar_svg(svg.Radar(lines, AREAS, **radar), 600, 400))  # type: ignore[arg-type]


def _ink(png: bytes) -> int:
    """How many pixels of the image are not white."""
    with Image.open(io.BytesIO(png)) as image:
        return sum(image.convert("L").histogram()[:200])


def test_a_full_series_is_one_closed_polygon_with_a_marker_per_area() -> None:
    root = _draw([svg.Line("A", [50] * 8, "#0072B2", fill=True)])
    polygons = [p for p in root.iter(SVG + "polygon")]
    assert len(polygons) == 2  # the fill and the outline
    assert polygons[0].get("fill-opacity") == "0.15" and polygons[1].get("fill") == "none"
    markers = [c for c in root.iter(SVG + "circle") if c.get("fill") == "#0072B2"]
    assert len(markers) == 8 + 1  # the areas, and the legend's sample


def test_area_one_is_straight_up_and_the_spokes_go_clockwise() -> None:
    root = _draw([svg.Line("A", [100, 100] + [None] * 6, "#D55E00")])
    background = next(c for c in root.iter(SVG + "circle") if c.get("fill") == svg.GRID_BACKGROUND)
    cx, cy, r = (float(background.get(k, "0")) for k in ("cx", "cy", "r"))
    dots = [c for c in root.iter(SVG + "circle") if c.get("fill") == "#D55E00"]
    (x1, y1), (x2, y2) = ((float(c.get("cx", "0")), float(c.get("cy", "0"))) for c in dots[:2])
    assert (x1, y1) == pytest.approx((cx, cy - r), abs=0.1)
    step = 2 * math.pi / 8  # area 2 is 45° to the right of area 1
    assert (x2, y2) == pytest.approx((cx + r * math.sin(step), cy - r * math.cos(step)), abs=0.1)


def test_missing_values_leave_gaps_and_no_fill() -> None:
    scores = [60, 60, None, 60, 60, 60, None, 60]
    root = _draw([svg.Line("A", scores, "#0072B2", fill=True)])
    assert [p for p in root.iter(SVG + "polygon")] == []
    runs = [p.get("points", "").split() for p in root.iter(SVG + "polyline")]
    # 4–6, and 8 joined across the top to 1–2: no line over a gap.
    assert sorted(len(run) for run in runs) == [3, 3]
    markers = [c for c in root.iter(SVG + "circle") if c.get("fill") == "#0072B2"]
    assert len(markers) == 6 + 1


def test_dashes_tell_the_series_apart() -> None:
    lines = [
        svg.Line("A", [50] * 8, "#0072B2"),
        svg.Line("Medel", [40] * 8, "#555555", "dash"),
        svg.Line("Förra", [30] * 8, "#0072B2", "dot"),
    ]
    root = _draw(lines)
    outlines = {p.get("stroke"): p for p in root.iter(SVG + "polygon")}
    assert outlines["#555555"].get("stroke-dasharray") == "6,4"
    dashes = sorted(str(p.get("stroke-dasharray")) for p in root.iter(SVG + "polygon"))
    assert dashes == ["2,3", "6,4", "None"]


def test_text_is_escaped_and_xml_forbidden_characters_are_dropped() -> None:
    name = 'Å & Ö <script>alert("x")</script>\x00\x1f'
    drawing = svg.radar_svg(svg.Radar([svg.Line(name, [50] * 8, "#0072B2")], [name] * 8), 600, 400)
    root = ET.fromstring(drawing)  # parses: no raw markup, no forbidden character
    assert "<script" not in drawing
    assert [t for t in root.iter() if t.tag == SVG + "script"] == []
    assert 'Å & Ö <script>alert("x")</script>' in "".join(root.itertext())
    assert svg.escape("a\x0bb<c>") == "ab&lt;c&gt;"


def test_description_makes_an_image_with_a_title_else_hidden() -> None:
    described = _draw([svg.Line("A", [50] * 8, "#0072B2")], description="Spindel för Åre")
    assert described.get("role") == "img" and described.get("aria-label") == "Spindel för Åre"
    assert described.find(SVG + "title") is not None
    assert _draw([svg.Line("A", [50] * 8, "#0072B2")]).get("aria-hidden") == "true"


def test_long_names_wrap_inside_the_image() -> None:
    long_name = "Kommunen som arbetsgivare och samhällsbyggare " * 3
    root = _draw([svg.Line(long_name, [50] * 8, "#0072B2")], title=long_name, note=long_name)
    for text in root.iter(SVG + "text"):
        for line in [text, *text.iter(SVG + "tspan")]:
            chars = len((line.text or "").strip())
            size = float(text.get("font-size") or 13)
            assert chars * svg.CHAR_EM * size <= 600, line.text


def test_the_bundled_font_has_every_character_the_charts_use() -> None:
    """Swedish letters, dashes and the minus: the PNG never shows a missing-glyph box."""
    with FRAMEWORKS.open(encoding="utf-8") as f:
        names = " ".join(row["name"] for row in csv.DictReader(f) if "name" in row)
    fixed = printout.KEY_HEADING + "Kommunkompassen – poäng per område (0–100) −5 +3 12 345,5 …"
    needed = set(re.sub(r"\s", "", names + fixed + "åäöÅÄÖéüÉ«»”’"))
    for path in svg.FONT_FILES:
        with TTFont(path) as font:
            cmap = font.getBestCmap()
        assert {c for c in needed if ord(c) not in cmap} == set(), path.name
    assert (svg.ASSETS / "DejaVuSans-LICENSE.txt").read_text().count("Bitstream") > 0


def test_png_draws_text_with_the_bundled_font_only() -> None:
    """resvg skips system fonts: text is drawn only if the bundled font is found."""

    def text_png(text: str) -> bytes:
        return svg.to_png(
            '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="40">'
            '<rect width="200" height="40" fill="#FFFFFF"/>'
            f'<text x="10" y="28" font-size="20" font-family="{svg.FONT_STACK}">'
            f"{svg.escape(text)}</text></svg>"
        )

    blank, plain, swedish = text_png(""), text_png("Ala"), text_png("Åla")
    assert _ink(blank) == 0
    assert _ink(plain) > 50
    assert _ink(swedish) > _ink(plain)  # the ring of the Å is drawn too


def test_markers_follow_the_series_symbol() -> None:
    lines = [
        svg.Line("Förra", [30] * 8, "#D55E00", "dot", symbol="square"),
        svg.Line("Medel", [40] * 8, "#555555", "dash", symbol="circle-open"),
    ]
    root = _draw(lines)
    squares = [r for r in root.iter(SVG + "rect") if r.get("fill") == "#D55E00"]
    rings = [c for c in root.iter(SVG + "circle") if c.get("stroke") == "#555555"]
    assert len(squares) == len(rings) == 8 + 1  # the areas, and the legend's sample
    assert {c.get("fill") for c in rings} == {"#FFFFFF"}


def test_the_print_radar_is_styled_as_the_profile_page(sample_db: Path) -> None:
    facts = printout.summary_facts(sample_db, "1981", 2023)
    base, mean, previous = printout.radar_lines(facts, charts.BASE_COLOR)
    assert (base.color, base.dash, base.symbol, base.fill) == (
        charts.BASE_COLOR,
        "solid",
        "circle",
        True,
    )
    assert (mean.color, mean.dash, mean.symbol) == (charts.MEAN_COLOR, "dash", "circle-open")
    peer = charts.PEER_STYLES[0]
    assert (previous.color, previous.dash, previous.symbol) == (peer.color, peer.dash, peer.symbol)

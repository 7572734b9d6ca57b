"""The radar as SVG drawn in plain Python, and that SVG as a PNG without a browser (issue 12).

The print-out's page embeds `radar_svg` inline (the reader's browser draws
it); the slide PNG is the same drawing rasterised by resvg (`to_png`), a
small Rust library in the `resvg-py` wheel: no Chromium, no system fonts.
The PNG uses the DejaVu Sans subset in `kompass/assets` (licence beside
it), so it looks the same on every machine. Spokes are numbered 1…n with the
area names in a key beside the chart, as on the app's own radar. Every text
is escaped for XML here: callers pass raw strings.
"""

from __future__ import annotations

import html
import math
import re
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

ASSETS = Path(__file__).resolve().parent.parent / "assets"
FONT_FILES = (ASSETS / "DejaVuSans.ttf", ASSETS / "DejaVuSans-Bold.ttf")
BUNDLED_FAMILY = "DejaVu Sans"
# The page's own fonts first (a browser draws the inline SVG); resvg finds only the bundled one.
FONT_STACK = "'Source Sans Pro', Arial, 'Liberation Sans', 'DejaVu Sans', sans-serif"
TEXT_COLOR = "#31333F"
MUTED_COLOR = "#555555"
TICK_COLOR = "#666666"
GRID_BACKGROUND = "#FFFFFF"  # as the app's radar (Streamlit's plotly theme): white, grey grid
GRID_COLOR = "#D9D9D9"
RIM_COLOR = "#9E9E9E"
TICKS = (20, 40, 60, 80, 100)
# Average advance of a character in DejaVu Sans, in ems: wide enough that text measured
# with it never runs past the drawing (the browser's fonts are narrower still).
CHAR_EM = 0.6
# Characters XML 1.0 forbids; a stored name holding one would make the SVG unreadable.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
Point = tuple[float, ...]


@dataclass(frozen=True)
class Line:
    """One series around the radar: a value (0–100) or None per area, and how to draw it."""

    name: str
    scores: Sequence[float | None]
    color: str
    dash: str = "solid"  # "solid", "dash" or "dot"
    fill: bool = False
    symbol: str = "circle"  # "circle", "circle-open" or "square" (as charts.Style)
    width: float = 2.0  # at font size 13; scaled with the font


@dataclass(frozen=True)
class Radar:
    """What one radar image shows; all texts raw (escaped when drawn).

    description: the image's text alternative (`<title>` and aria-label);
    without one the SVG is hidden from screen readers (its container speaks).
    """

    lines: Sequence[Line]
    areas: Sequence[str]
    title: str | None = None
    note: str | None = None
    description: str | None = None
    key_heading: str | None = None


def escape(text: object) -> str:
    """Text made inert inside SVG/XML: markup characters escaped, forbidden ones dropped."""
    return html.escape(_NOT_XML.sub("", str(text)), quote=True)


def wrap(text: str, width_px: float, font_px: float) -> list[str]:
    """`text` in lines no wider than `width_px` (estimated with CHAR_EM)."""
    chars = max(8, int(width_px / (CHAR_EM * font_px)))
    return textwrap.wrap(text, chars) or [""]


def radar_svg(radar: Radar, width: int, height: int, font: float = 13) -> str:
    """The radar with its key (areas, then series) to the right, as one standalone SVG."""
    pad = font
    parts: list[str] = [f'<rect width="{width}" height="{height}" fill="#FFFFFF"/>']
    top = pad
    if radar.title:
        size = 1.3 * font
        lines = wrap(radar.title, width - 2 * pad, size)
        parts.append(_text_lines(lines, width / 2, top + size, size, "middle", weight="bold"))
        top += len(lines) * 1.25 * size + 0.6 * font
    bottom = height - pad
    if radar.note:
        size = 0.8 * font
        lines = wrap(radar.note, width - 2 * pad, size)
        bottom -= len(lines) * 1.25 * size
        y = bottom + size + 0.4 * font
        parts.append(_text_lines(lines, width / 2, y, size, "middle", color=MUTED_COLOR))
        bottom -= 0.6 * font
    side = min(bottom - top, 0.55 * width)
    cx, cy = pad + side / 2, (top + bottom) / 2
    radius = side / 2 - 1.8 * font
    parts.append(_grid(cx, cy, radius, len(radar.areas), font))
    parts.append(_series(radar.lines, cx, cy, radius, font))
    parts.append(_ticks(cx, cy, radius, len(radar.areas), font))
    left = pad + side + 1.5 * font
    parts.append(_key(radar, left, width - pad - left, top, bottom, font))
    return _document(radar, width, height, font, "".join(parts))


def to_png(svg: str) -> bytes:
    """`svg` rasterised by resvg with the bundled font only (no browser, no system fonts)."""
    import resvg_py  # a compiled extension: loaded when an image is first made

    data = resvg_py.svg_to_bytes(
        svg_string=svg,
        skip_system_fonts=True,
        font_files=[str(path) for path in FONT_FILES],
        font_family=BUNDLED_FAMILY,
        sans_serif_family=BUNDLED_FAMILY,
        languages=["sv"],
    )
    return bytes(data)


# ---------------------------------------------------------------------------- parts


def _document(radar: Radar, width: int, height: int, font: float, body: str) -> str:
    if radar.description:
        label = escape(radar.description)
        head = f' role="img" aria-label="{label}"><title>{label}</title>'
    else:
        head = ' aria-hidden="true">'
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="{FONT_STACK}" font-size="{_n(font)}" '
        f'fill="{TEXT_COLOR}"{head}{body}</svg>'
    )


def _point(cx: float, cy: float, radius: float, n: int, i: int, value: float) -> Point:
    """Spoke i of n, clockwise from the top, at `value` (0–100)."""
    angle = -math.pi / 2 + 2 * math.pi * i / n
    r = radius * value / 100
    return cx + r * math.cos(angle), cy + r * math.sin(angle)


def _grid(cx: float, cy: float, radius: float, n: int, font: float) -> str:
    out = [
        f'<circle cx="{_n(cx)}" cy="{_n(cy)}" r="{_n(radius)}" fill="{GRID_BACKGROUND}" '
        f'stroke="{RIM_COLOR}" stroke-width="1"/>'
    ]
    for tick in TICKS[:-1]:
        out.append(
            f'<circle cx="{_n(cx)}" cy="{_n(cy)}" r="{_n(radius * tick / 100)}" fill="none" '
            f'stroke="{GRID_COLOR}" stroke-width="1"/>'
        )
    for i in range(n):
        x, y = _point(cx, cy, radius, n, i, 100)
        out.append(
            f'<line x1="{_n(cx)}" y1="{_n(cy)}" x2="{_n(x)}" y2="{_n(y)}" '
            f'stroke="{GRID_COLOR}" stroke-width="1"/>'
        )
        # The spoke's number just outside the circle, centred on the spoke's end.
        nx, ny = _point(cx, cy, radius + 1.0 * font, n, i, 100)
        out.append(
            f'<text x="{_n(nx)}" y="{_n(ny + 0.4 * font)}" text-anchor="middle" '
            f'font-size="{_n(1.15 * font)}">{i + 1}</text>'
        )
    return "".join(out)


def _ticks(cx: float, cy: float, radius: float, n: int, font: float) -> str:
    """Radius ticks between spokes 1 and 2 (as in the app), over the lines, with a halo."""
    angle = -math.pi / 2 + math.pi / n
    out = []
    for tick in TICKS:
        r = radius * tick / 100
        x, y = cx + r * math.cos(angle), cy + r * math.sin(angle)
        out.append(
            f'<text x="{_n(x)}" y="{_n(y + 0.3 * font)}" text-anchor="middle" '
            f'font-size="{_n(0.8 * font)}" fill="{TICK_COLOR}" stroke="{GRID_BACKGROUND}" '
            f'stroke-width="{_n(0.3 * font)}" stroke-linejoin="round" paint-order="stroke">'
            f"{tick}</text>"
        )
    return "".join(out)


def _dash(line: Line, width: float) -> str:
    if line.dash == "dash":
        return f' stroke-dasharray="{_n(3 * width)},{_n(2 * width)}"'
    if line.dash == "dot":
        return f' stroke-dasharray="{_n(width)},{_n(1.5 * width)}"'
    return ""


def _stroke(line: Line, font: float) -> float:
    return line.width * font / 13


def _marker(line: Line, x: float, y: float, font: float) -> str:
    """The series' marker at (x, y): filled circle, open circle or square."""
    r = 0.3 * font
    if line.symbol == "square":
        return (
            f'<rect x="{_n(x - 0.9 * r)}" y="{_n(y - 0.9 * r)}" width="{_n(1.8 * r)}" '
            f'height="{_n(1.8 * r)}" fill="{line.color}"/>'
        )
    if line.symbol == "circle-open":
        return (
            f'<circle cx="{_n(x)}" cy="{_n(y)}" r="{_n(r)}" fill="#FFFFFF" '
            f'stroke="{line.color}" stroke-width="{_n(0.12 * font)}"/>'
        )
    return f'<circle cx="{_n(x)}" cy="{_n(y)}" r="{_n(r)}" fill="{line.color}"/>'


def _series(lines: Sequence[Line], cx: float, cy: float, radius: float, font: float) -> str:
    """Fills first, then outlines and markers, the first series on top."""
    out = []
    for line in lines:
        points = _points(line, cx, cy, radius)
        if line.fill and None not in line.scores:
            out.append(
                f'<polygon points="{_pts(points)}" fill="{line.color}" fill-opacity="0.15"/>'
            )
    for line in reversed(lines):
        width = _stroke(line, font)
        style = (
            f'fill="none" stroke="{line.color}" stroke-width="{_n(width)}" '
            f'stroke-linejoin="round"{_dash(line, width)}'
        )
        points = _points(line, cx, cy, radius)
        if None not in line.scores:
            out.append(f'<polygon points="{_pts(points)}" {style}/>')
        else:
            out.extend(f'<polyline points="{_pts(run)}" {style}/>' for run in _runs(points))
        out.extend(_marker(line, p[0], p[1], font) for p in points if p is not None)
    return "".join(out)


def _points(line: Line, cx: float, cy: float, radius: float) -> list[Point | None]:
    n = len(line.scores)
    return [
        None if v is None or math.isnan(v) else _point(cx, cy, radius, n, i, float(v))
        for i, v in enumerate(line.scores)
    ]


def _runs(points: list[Point | None]) -> list[list[Point]]:
    """Consecutive known points of a ring with gaps, each run a polyline."""
    runs: list[list[Point]] = [[]]
    for p in points:
        if p is None:
            runs.append([])
        else:
            runs[-1].append(p)
    # The run after the last gap goes on across the top into the first one.
    if len(runs) > 1 and points[0] is not None and points[-1] is not None:
        runs[0] = runs.pop() + runs[0]
    return [run for run in runs if len(run) > 1]


def _pts(points: Sequence[Point | None]) -> str:
    return " ".join(f"{_n(p[0])},{_n(p[1])}" for p in points if p is not None)


def _key(radar: Radar, x: float, width: float, top: float, bottom: float, font: float) -> str:
    """Numbered area names, then one entry per series, centred in the height given."""
    step = 1.3 * font
    indent = 1.8 * font
    rows: list[str] = []
    y = 0.0
    if radar.key_heading:
        rows.append(_text_lines([radar.key_heading], x, y + font, font, "start", weight="bold"))
        y += step + 0.2 * font
    for i, name in enumerate(radar.areas, start=1):
        lines = wrap(name, width - indent, font)
        rows.append(_text_lines([str(i)], x, y + font, font, "start", weight="bold"))
        rows.append(_text_lines(lines, x + indent, y + font, font, "start"))
        y += len(lines) * step
    y += 0.8 * font
    sample = 2.4 * font
    for line in radar.lines:
        lines = wrap(line.name, width - sample - 0.6 * font, font)
        rows.append(_legend_sample(line, x, y + 0.65 * font, sample, font))
        rows.append(_text_lines(lines, x + sample + 0.6 * font, y + font, font, "start"))
        y += len(lines) * step
    shift = top + max(0.0, (bottom - top - y) / 2)
    return f'<g transform="translate(0,{_n(shift)})">{"".join(rows)}</g>'


def _legend_sample(line: Line, x: float, y: float, length: float, font: float) -> str:
    width = _stroke(line, font)
    return (
        f'<line x1="{_n(x)}" y1="{_n(y)}" x2="{_n(x + length)}" y2="{_n(y)}" '
        f'stroke="{line.color}" stroke-width="{_n(width)}"{_dash(line, width)}/>'
    ) + _marker(line, x + length / 2, y, font)


def _text_lines(
    lines: Sequence[str],
    x: float,
    y: float,
    size: float,
    anchor: str,
    weight: str = "normal",
    color: str | None = None,
) -> str:
    """Lines of text from baseline `y` down, each escaped."""
    fill = f' fill="{color}"' if color else ""
    bold = ' font-weight="bold"' if weight == "bold" else ""
    spans = "".join(
        f'<tspan x="{_n(x)}" dy="{_n(0 if i == 0 else 1.25 * size)}">{escape(t)}</tspan>'
        for i, t in enumerate(lines)
    )
    return (
        f'<text x="{_n(x)}" y="{_n(y)}" font-size="{_n(size)}" text-anchor="{anchor}"'
        f"{bold}{fill}>{spans}</text>"
    )


def _n(value: float) -> str:
    """A coordinate with at most one decimal (smaller SVG, same picture)."""
    return f"{value:.1f}".rstrip("0").rstrip(".")

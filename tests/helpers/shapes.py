"""The sample reports in other text shapes (issue #11, point 4): what PDF-to-text services,
document mirrors and copy-paste make of a report.

`python -m tests.helpers.shapes` writes the variants to tests/data/shapes/; the
committed files are what the parser tests read, and a test checks that they are
still what this module makes (so a reviewer reads the files, and they cannot drift).

Shapes:
- pages: one page per line, the page's lines joined with spaces (blank lines dropped);
- headers: a running header glued to the first line of every page but the first, and a
  footer and/or page marker ("Page 4", "Sida 4 av 12") glued to the last line of each page;
- hyphens: prose re-wrapped at 72 characters, long words split with a hyphen
  ("verksam-" / "het") where the line is full.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from tests.helpers.parse import REPORTS

SHAPES = Path(__file__).resolve().parents[1] / "data" / "shapes"
LINES_PER_PAGE = 40
WRAP = 72
MIN_SPLIT = 8  # a word this long may be split at a line's end


@dataclass(frozen=True)
class Variant:
    sample: str  # the original in data/reports (without .txt)
    shapes: tuple[str, ...]
    header: str = ""
    footer: str = ""
    marker: str = ""  # "page" -> "Page 4", "sida" -> "Sida 4 av 12", "" -> none

    @property
    def name(self) -> str:
        return f"{self.sample}.{'-'.join(self.shapes)}"


VARIANTS = (
    Variant("burlov-2020", ("pages",)),
    Variant(
        "hoganas-2018", ("headers",), header="KommunKompassen – Höganäs kommun 2018", marker="page"
    ),  # fmt: skip
    Variant("lund-2011", ("hyphens",)),
    Variant(
        "sala-2023",
        ("pages", "headers"),
        header="Kommunkompassen Sala kommun 2023",
        footer="Sveriges Kommuner och Regioner",
        marker="sida",
    ),  # fmt: skip
    Variant("svenljunga-2022", ("hyphens", "pages"), marker="page"),
)


def make(variant: Variant) -> str:
    """The text of a variant, made from its original."""
    lines = (REPORTS / f"{variant.sample}.txt").read_text(encoding="utf-8").split("\n")
    if "hyphens" in variant.shapes:
        lines = [wrapped for line in lines for wrapped in wrap_line(line)]
    pages = [lines[i : i + LINES_PER_PAGE] for i in range(0, len(lines), LINES_PER_PAGE)]
    pages = [furnish(page, number, len(pages), variant) for number, page in enumerate(pages, 1)]
    if "pages" in variant.shapes:
        return "\n".join(" ".join(line for line in page if line.strip()) for page in pages) + "\n"
    return "\n".join(line for page in pages for line in page)


def furnish(page: list[str], number: int, count: int, variant: Variant) -> list[str]:
    """The page with its header glued to its first filled line and its footer and marker
    glued to its last."""
    page = list(page)
    filled = [i for i, line in enumerate(page) if line.strip()]
    if not filled:
        return page
    if variant.header and number > 1:
        page[filled[0]] = f"{variant.header} {page[filled[0]]}"
    marks = {"page": f"Page {number}", "sida": f"Sida {number} av {count}", "": ""}
    tail = " ".join(part for part in (variant.footer, marks[variant.marker]) if part)
    if tail:
        page[filled[-1]] = f"{page[filled[-1]]} {tail}"
    return page


def wrap_line(line: str) -> list[str]:
    """A prose line wrapped at WRAP characters; tables, lists and headings stay whole."""
    if len(line) <= WRAP + 10 or "\t" in line or "<" in line or "•" in line:
        return [line]
    out: list[str] = []
    current = ""
    for word in line.split(" "):
        room = WRAP - len(current) - (1 if current else 0)
        if len(word) <= room:
            current = f"{current} {word}" if current else word
            continue
        if len(word) >= MIN_SPLIT and word.isalpha() and room >= 4 and len(word) - room >= 3:
            head = word[: room - 1]
            out.append(f"{current} {head}-" if current else f"{head}-")
            current = word[room - 1 :]
            continue
        out.append(current)
        current = word
    out.append(current)
    return out


def write_all(target: Path = SHAPES, made: Callable[[Variant], str] = make) -> list[Path]:
    """Write every variant, each with a link to its original's golden file beside it, so
    that `python tests/check_golden.py --reports tests/data/shapes` checks them."""
    target.mkdir(parents=True, exist_ok=True)
    paths = []
    for variant in VARIANTS:
        path = target / f"{variant.name}.txt"
        path.write_text(made(variant), encoding="utf-8")
        golden = target / f"{variant.name}.json"
        golden.unlink(missing_ok=True)
        golden.symlink_to(Path("..", "..", "golden", f"{variant.sample}.json"))
        paths += [path, golden]
    return paths


if __name__ == "__main__":
    for written in write_all():
        print(written)

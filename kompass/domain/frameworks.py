"""The two generations of the Kommunkompassen framework (kompass/domain/data/frameworks.csv).

Each row names an area of a generation: its canonical name, an alias (the
2016 revision's names, headings without a dash) or a sub-area table title
(2020-series reports still title table 1 "Offentlighet och demokrati").
2010 rows carry the approximate cross-generation mapping to 2020 areas.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from kompass.config import reference_file


@dataclass(frozen=True)
class AreaName:
    framework: str
    area: int
    name: str
    role: str  # canonical | alias | table_title
    maps_to_2020_area: int | None


@lru_cache(maxsize=4096)
def normalise_name(text: str) -> str:
    """Casefolded, dash- and punctuation-insensitive form for name matching."""
    text = unicodedata.normalize("NFC", text).casefold()
    text = re.sub(r"[\u2010-\u2015\-–—:.,;]", " ", text)
    return re.sub(r"\s+", " ", text).strip()


@lru_cache(maxsize=4)
def _load(path: Path) -> tuple[AreaName, ...]:
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    return tuple(
        AreaName(
            framework=r["framework"],
            area=int(r["area"]),
            name=r["name"],
            role=r["role"],
            maps_to_2020_area=int(r["maps_to_2020_area"]) if r["maps_to_2020_area"] else None,
        )
        for r in rows
    )


def area_names(path: Path | None = None) -> tuple[AreaName, ...]:
    """All rows of frameworks.csv."""
    return _load(path) if path else _default_rows()


@lru_cache(maxsize=1)
def _default_rows() -> tuple[AreaName, ...]:
    return _load(reference_file("frameworks.csv"))


def canonical_name(framework: str, area: int) -> str:
    """The canonical name of an area in a generation."""
    for row in area_names():
        if row.framework == framework and row.area == area and row.role == "canonical":
            return row.name
    raise KeyError(f"no area {area} in framework {framework}")


@lru_cache(maxsize=1024)
def match_heading(name: str) -> list[AreaName]:
    """Rows whose canonical or alias name matches an "Område N …" heading.

    Table titles are left out on purpose: they do not decide the generation.
    """
    key = normalise_name(name)
    return [
        row for row in area_names() if row.role != "table_title" and normalise_name(row.name) == key
    ]

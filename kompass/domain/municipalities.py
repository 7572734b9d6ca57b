"""Sweden's 290 municipalities (kompass/domain/data/municipalities.csv) and name resolution.

Reports name a municipality in running text: "Burlövs kommun", "LUNDS
KOMMUN", "Göteborgs Stad". `resolve_municipality` maps such forms to the
SCB code.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from kompass.config import reference_file


@dataclass(frozen=True)
class Municipality:
    code: str
    name: str
    county_code: str
    county_name: str
    kommungrupp_code: str
    kommungrupp_name: str
    population: int | None
    population_year: int | None


@lru_cache(maxsize=4)
def _load(path: Path) -> tuple[Municipality, ...]:
    with path.open(encoding="utf-8", newline="") as f:
        return tuple(
            Municipality(
                code=r["code"],
                name=r["name"],
                county_code=r["county_code"],
                county_name=r["county_name"],
                kommungrupp_code=r["kommungrupp_code"],
                kommungrupp_name=r["kommungrupp_name"],
                population=int(r["population"]) if r["population"] else None,
                population_year=int(r["population_year"]) if r["population_year"] else None,
            )
            for r in csv.DictReader(f)
        )


def municipalities(path: Path | None = None) -> tuple[Municipality, ...]:
    """All municipalities, in SCB code order."""
    return _load(path) if path else _default_rows()


@lru_cache(maxsize=1)
def _default_rows() -> tuple[Municipality, ...]:
    return _load(reference_file("municipalities.csv"))


@lru_cache(maxsize=1)
def _by_key() -> dict[str, Municipality]:
    return {m.name.casefold(): m for m in municipalities()}


def by_code(code: str) -> Municipality | None:
    """The municipality with this SCB code (leading zero kept), or None."""
    code = code.strip().zfill(4)
    return next((m for m in municipalities() if m.code == code), None)


def resolve_municipality(text: str) -> Municipality | None:
    """Resolve a name as written in a report ("Burlövs kommun", "1231") or None."""
    text = re.sub(r"\s+", " ", text).strip()
    if re.fullmatch(r"\d{3,4}", text):
        return by_code(text)
    name = re.sub(r"\s+(kommun|stad)$", "", text, flags=re.I).strip()
    table = _by_key()
    key = name.casefold()
    if key in table:
        return table[key]
    # Genitive forms: "Burlövs" -> "Burlöv", "Lunds" -> "Lund".
    if key.endswith("s") and key[:-1] in table:
        return table[key[:-1]]
    return None

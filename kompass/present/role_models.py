"""The Lär av andra page's Swedish: intro, captions, the role models' lines and tables.

The page (pages/lar-av-andra.py) lays out widgets; every word it shows comes
from here or from `strings`. Names from the database are passed in already
made inert where a sentence is shown as Markdown; the sub-area table is a
grid (no Markdown), so its names stay raw.
"""

from __future__ import annotations

import pandas as pd

from kompass.present.strings import ORIGIN, PUBLISHED, num

TITLE = "Lär av andra"
INTRO = (
    "Rapporterna själva föreslår det: hitta kommuner som lyckats där ni är svagast och läs "
    "vad utvärderarna lyfte fram som deras styrkor."
)
EMPTY_WHAT = "förebilder"
NO_AREA_SCORES = "Ingen utvärdering har poäng per område ännu."
NO_PEERS = "Det finns inga andra utvärderade kommuner i samma ramverksgeneration ännu."
WEAKEST_HEADING = "Svagaste områden"
NO_OTHER_SCORES = "Ingen annan kommun har poäng i det här området."
SUBAREAS_HEADING = "Svagaste delområden, andel av maxpoäng"
SUBAREAS_NOTE = (
    "Delområden jämförs bara när både kod och namn stämmer, eftersom delområdena ändrats "
    "mellan åren. "
)
SHARE = "Andel"  # the sub-area table's progress column (key)
SHARE_LABEL = "Andel (%)"
_MISSING = "–"


def base_caption(name: str, year: int, framework: str, origin: str, n_peers: int) -> str:
    """Which evaluation the page starts from; `name` must be inert already."""
    return (
        f"Utgår från {name}s senaste utvärdering med poäng per område ({year}, "
        f"{framework}-ramverket, {ORIGIN[origin]}). Jämförs med den senaste utvärderingen "
        f"av {n_peers} andra kommuner i samma ramverksgeneration."
    )


def score_text(name: str, score: float) -> str:
    """ "Sala: 42,0 poäng" (`name` inert already)."""
    return f"{name}: {num(score)} poäng"


def model_line(name: str, year: int, score: float, better: float) -> str:
    """One role model: "Vara 2022: 60,0 poäng (18,0 poäng högre)" (`name` inert already)."""
    verdict = f"{num(better)} poäng högre" if better > 0 else "inte högre"
    return f"{name} {year}: {num(score)} poäng ({verdict})"


def no_strengths(origin: str, published: bool = False) -> str:
    """The bullet shown when a role model lists no strengths."""
    # Imported and published results carry scores only: no report, no strengths to quote.
    if published:
        return f"({PUBLISHED}, ingen rapporttext)"
    if origin == "import":
        return "(importerat resultat, ingen rapporttext)"
    return "(inga styrkor angivna)"


def no_subareas_text(name: str, year: int, origin: str) -> str:
    """Why the weakest sub-areas are missing (`name` inert already)."""
    return (
        f"Delområdespoäng saknas för {name}s utvärdering {year} "
        f"({ORIGIN[origin]}), så de svagaste delområdena kan inte visas. "
        "Förebilderna per område ovan bygger på områdespoängen."
    )


def subarea_table(subs: pd.DataFrame) -> pd.DataFrame:
    """`queries` weakest sub-areas as Delområde, Poäng ("3 av 6"), Andel (number) and Bäst."""
    return subs.assign(
        Delområde=subs.code + " " + subs.name,
        Andel=subs.pct.round(0),
        Poäng=subs.score.map(num) + " av " + subs["max"].map(num),
        Bäst=[
            _MISSING if b is None or b != b else f"{n} {int(y)}: {num(p, 0)} %"
            for b, n, y, p in zip(
                subs.best_code, subs.best_name, subs.best_year, subs.best_pct, strict=True
            )
        ],
    )[["Delområde", "Poäng", SHARE, "Bäst"]]

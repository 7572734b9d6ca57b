"""What Kommunprofil shows beside an evaluation: its neighbours' latest results."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from kompass.queries import (
    AREAS,
    distance_km,
    evaluations,
    latest_evaluations,
    municipalities,
    neighbours,
    scores_wide,
)


@dataclass(frozen=True)
class NeighbourMean:
    """The mean of the neighbours' latest evaluations in one framework generation.

    `scores` per area (None where no neighbour has the area), `names` the
    neighbours behind it with their evaluation years, e.g. "Heby 2021".
    """

    scores: list[float | None]
    total: float | None
    names: list[str]

    @property
    def n(self) -> int:
        return len(self.names)


def neighbour_mean(db: Path, code: str, framework: str) -> NeighbourMean | None:
    """Mean of the latest evaluation, with all eight areas, of every evaluated neighbour.

    Only evaluations of `framework` count: the two generations' areas differ.
    None when no neighbour has such an evaluation.
    """
    evals = evaluations(db)
    pool = evals[evals.code.isin(neighbours(db, code)) & (evals.framework == framework)]
    latest = latest_evaluations(pool).sort_values("name")
    if latest.empty:
        return None
    wide = scores_wide(db, [int(i) for i in latest.evaluation_id])
    means = wide.reindex(columns=AREAS).mean(axis=0, skipna=True)
    return NeighbourMean(
        scores=[None if pd.isna(v) else round(float(v), 1) for v in means],
        total=round(float(latest.total.mean()), 1),
        names=[f"{n} {y}" for n, y in zip(latest.name, latest.year, strict=True)],
    )


def nearest(db: Path, code: str, among: list[str], k: int = 10) -> list[str]:
    """The `k` municipalities of `among` whose centroids lie nearest `code`'s, nearest first."""
    places = municipalities(db).set_index("code")
    if code not in places.index:
        return among[:k]
    here = places.loc[code]
    distance = {
        c: distance_km(here.lat, here.lon, places.loc[c].lat, places.loc[c].lon)
        for c in among
        if c in places.index and c != code
    }
    return sorted(distance, key=distance.__getitem__)[:k]

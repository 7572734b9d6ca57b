"""Municipality polygons (kompass/domain/data/municipalities.geojson) for the offline map."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from kompass.config import reference_file


def _ring(ring: list[list[float]], digits: int) -> list[list[float]]:
    # The file follows RFC 7946 (exterior rings counter-clockwise); plotly's
    # d3-geo wants them clockwise, or it fills the whole globe but the polygon.
    return [[round(x, digits), round(y, digits)] for x, y in reversed(ring)]


def _polygon(rings: list[list[list[float]]], digits: int) -> list[list[list[float]]]:
    return [_ring(r, digits) for r in rings]


@lru_cache(maxsize=2)
def load_geojson(path: Path | None = None, digits: int = 3) -> dict[str, Any]:
    """The polygons, rings rewound for plotly, coordinates rounded (~100 m) to halve the bytes."""
    with (path or reference_file("municipalities.geojson")).open(encoding="utf-8") as f:
        geo = json.load(f)
    for feature in geo["features"]:
        geom = feature["geometry"]
        if geom["type"] == "Polygon":
            geom["coordinates"] = _polygon(geom["coordinates"], digits)
        else:
            geom["coordinates"] = [_polygon(p, digits) for p in geom["coordinates"]]
        feature["properties"] = {
            "id": feature["properties"]["id"],
            "name": feature["properties"]["kom_namn"],
        }
    return geo

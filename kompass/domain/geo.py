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


# One pixel of the national map is about 0.02 degrees (kompass/domain/simplify.py).
NATIONAL_TOLERANCE = 0.008
NATIONAL_MIN_AREA = 0.0004  # square degrees of latitude: about 2 × 2 px on the map


@lru_cache(maxsize=2)
def simplified_geojson(
    tolerance: float = NATIONAL_TOLERANCE, min_area: float = NATIONAL_MIN_AREA
) -> dict[str, Any]:
    """`load_geojson` for the national map: outlines simplified, specks of islands dropped.

    Cached: simplifying all 290 takes a fraction of a second, once per process.
    Each feature's `enclaves` property counts its last polygons that lie in a
    hole of another municipality: a map draws them after all others.
    """
    from kompass.domain.simplify import enclaves_last, simplify_geometry

    full = load_geojson()["features"]
    features = []
    for f in full:
        others = [g for g in full if g is not f]
        holes = [[(x, y) for x, y in h] for g in others for p in _polygons(g) for h in p[1:]]
        geometry = simplify_geometry(f["geometry"], tolerance, min_area)
        geometry, enclaves = enclaves_last(geometry, holes)
        properties = {**f["properties"], "enclaves": enclaves}
        features.append({"type": "Feature", "properties": properties, "geometry": geometry})
    return {"type": "FeatureCollection", "features": features}


def _polygons(feature: dict[str, Any]) -> list[Any]:
    geometry = feature["geometry"]
    return [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]


# About 4.5 px apart on the national map: the nearest target is the polygon under the pointer.
TARGET_SPACING = 0.12


@lru_cache(maxsize=2)
def target_points(spacing: float = TARGET_SPACING) -> dict[str, list[tuple[float, float]]]:
    """Per municipality code, lattice points inside its (full) polygon: the map's targets.

    Cached once per process (`kompass.domain.simplify.interior_points`).
    """
    from kompass.domain.simplify import interior_points

    return {
        f["properties"]["id"]: interior_points(f["geometry"], spacing)
        for f in load_geojson()["features"]
    }

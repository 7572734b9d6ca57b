"""Polygon simplification for the national map (Douglas–Peucker, pure Python).

At national scale the map is about 700 px tall for 14 degrees of latitude, so
one pixel is about 0.02 degrees: points closer than that to the line between
their neighbours cannot be seen, and islands smaller than a few pixels cannot
be hovered. Coordinates are lon/lat; longitudes are compared after scaling by
cos(latitude), so the tolerance means the same distance east–west as north–south.
"""

from __future__ import annotations

import math
from typing import Any

Point = tuple[float, float]

# Mid-Sweden: one degree of longitude is cos(62°) ≈ 0.47 degrees of latitude.
LON_SCALE = math.cos(math.radians(62.0))


def _offset(p: Point, a: Point, b: Point) -> float:
    """Distance (in degrees of latitude) from p to the segment a–b."""
    px, py, ax, ay, bx, by = p[0] * LON_SCALE, p[1], a[0] * LON_SCALE, a[1], b[0] * LON_SCALE, b[1]
    dx, dy = bx - ax, by - ay
    length2 = dx * dx + dy * dy
    if length2 == 0:
        return math.hypot(px - ax, py - ay)
    t = max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / length2))
    return math.hypot(px - ax - t * dx, py - ay - t * dy)


def simplify_line(points: list[Point], tolerance: float) -> list[Point]:
    """Douglas–Peucker: the fewest of `points` within `tolerance` of the original line.

    Iterative (a stack of spans), so a long coast cannot exceed the recursion limit.
    The first and last point are always kept.
    """
    if len(points) < 3:
        return list(points)
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    spans = [(0, len(points) - 1)]
    while spans:
        first, last = spans.pop()
        worst, worst_at = 0.0, -1
        for i in range(first + 1, last):
            d = _offset(points[i], points[first], points[last])
            if d > worst:
                worst, worst_at = d, i
        if worst > tolerance:
            keep[worst_at] = True
            spans += [(first, worst_at), (worst_at, last)]
    return [p for p, k in zip(points, keep, strict=True) if k]


def ring_area(ring: list[Point]) -> float:
    """Unsigned area of a closed ring (shoelace), in square degrees of latitude."""
    total = 0.0
    for (x0, y0), (x1, y1) in zip(ring, ring[1:], strict=False):
        total += x0 * LON_SCALE * y1 - x1 * LON_SCALE * y0
    return abs(total) / 2


def simplify_ring(ring: list[Point], tolerance: float) -> list[Point]:
    """A closed ring simplified; split at its farthest point so both halves keep their ends."""
    if len(ring) < 5:
        return list(ring)
    far = max(range(len(ring)), key=lambda i: _offset(ring[i], ring[0], ring[0]))
    head = simplify_line(ring[: far + 1], tolerance)
    tail = simplify_line(ring[far:], tolerance)
    out = head + tail[1:]
    return out if len(out) >= 4 else [ring[0], ring[len(ring) // 3], ring[far], ring[0]]


def simplify_geometry(
    geometry: dict[str, Any], tolerance: float, min_area: float
) -> dict[str, Any]:
    """A GeoJSON Polygon/MultiPolygon with exterior rings simplified and specks dropped.

    Holes are dropped (in this data they are other municipalities, drawn on top);
    polygons whose area is below `min_area` are dropped, but never the largest one,
    so every municipality keeps a shape to hover.
    """
    polys = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    exteriors = [[(float(x), float(y)) for x, y in poly[0]] for poly in polys if poly]
    largest = max(exteriors, key=ring_area)
    kept = [r for r in exteriors if r is largest or ring_area(r) >= min_area]
    rings = [[list(p) for p in simplify_ring(r, tolerance)] for r in kept]
    return {"type": "MultiPolygon", "coordinates": [[r] for r in rings]}


def _crossings(rings: list[list[Point]], lat: float) -> list[float]:
    """Longitudes where the rings cross the parallel `lat`, sorted (even–odd rule)."""
    xs = []
    for ring in rings:
        for (x0, y0), (x1, y1) in zip(ring, ring[1:], strict=False):
            if (y0 <= lat) != (y1 <= lat):
                xs.append(x0 + (lat - y0) * (x1 - x0) / (y1 - y0))
    return sorted(xs)


def interior_points(geometry: dict[str, Any], spacing: float) -> list[Point]:
    """Points of a lattice (`spacing` degrees of latitude apart) that lie inside the geometry.

    The lattice is global, so two municipalities never share a point; holes count
    as outside. A municipality too small to hold a lattice point gets one point
    inside it (the middle of its widest span on its middle parallel), so every
    municipality has at least one. Used as hover and click targets on the map.
    """
    polys = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    rings = [[(float(x), float(y)) for x, y in ring] for poly in polys for ring in poly]
    lats = [y for ring in rings for _, y in ring]
    dx = spacing / LON_SCALE
    out: list[Point] = []
    row = math.ceil(min(lats) / spacing)
    while row * spacing <= max(lats):
        lat = row * spacing
        xs = _crossings(rings, lat)
        for west, east in zip(xs[::2], xs[1::2], strict=False):
            out += [
                (col * dx, lat) for col in range(math.ceil(west / dx), math.floor(east / dx) + 1)
            ]
        row += 1
    if not out:
        point = inside_point(rings)
        out += [point] if point else []
    return out


def inside_point(rings: list[list[Point]]) -> Point | None:
    """A point inside the rings (even–odd): the middle of the widest span on the middle parallel."""
    lats = [y for ring in rings for _, y in ring]
    lat = (min(lats) + max(lats)) / 2
    xs = _crossings(rings, lat)
    spans = list(zip(xs[::2], xs[1::2], strict=False))
    if not spans:
        return None
    west, east = max(spans, key=lambda s: s[1] - s[0])
    return ((west + east) / 2, lat)


def contains(ring: list[Point], point: Point) -> bool:
    """Whether a closed ring contains the point (even–odd rule)."""
    return sum(x > point[0] for x in _crossings([ring], point[1])) % 2 == 1


def enclaves_last(geometry: dict[str, Any], holes: list[list[Point]]) -> tuple[dict[str, Any], int]:
    """The MultiPolygon with its enclaves (parts lying in a hole of another
    municipality, such as Strömsund's piece inside Krokom) moved to the end, and their count.

    Holes are not drawn (simplify_geometry drops them), so a map draws the
    enclaves last, on top of the municipality around them.
    """
    inside, outside = [], []
    for poly in geometry["coordinates"]:
        point = inside_point([[(x, y) for x, y in poly[0]]])
        if point and any(contains(hole, point) for hole in holes):
            inside.append(poly)
        else:
            outside.append(poly)
    return {"type": "MultiPolygon", "coordinates": outside + inside}, len(inside)

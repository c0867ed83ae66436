#!/usr/bin/env python3
"""Build the country shapes of the network home's world map.

Usage: ``python3 scripts/world_map.py`` (from the repository root).

Fetches the npm package ``world-atlas`` (Natural Earth 1:50m admin-0 countries as TopoJSON; the
package is ISC-licensed, Natural Earth is in the public domain) with ``npm pack`` into a temporary
directory, checks the tarball against the integrity npm reports, decodes the topology, projects it
with the Equal Earth projection, simplifies the shared arcs (so neighbours keep a common border)
and writes ``tansiq/network/data/world-equal-earth.json``: one SVG path per ISO 3166-1 alpha-2
code, plus a marker point for countries too small to see. The result is committed: nothing is
fetched when Tansiq is installed, built or served. ISO numeric codes are mapped to alpha-2 with
the iso-codes JSON (``/usr/share/iso-codes/json/iso_3166-1.json``) or, failing that, with
django-countries if it can be imported.

Python standard library only (plus npm on the PATH).
"""

from __future__ import annotations

import base64
import hashlib
import itertools
import json
import math
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "tansiq" / "network" / "data" / "world-equal-earth.json"
PACKAGE = "world-atlas"
VERSION = "2.0.2"
SOURCE = "countries-50m.json"
ISO_CODES = Path("/usr/share/iso-codes/json/iso_3166-1.json")

WIDTH = 1000.0  # viewBox width; the height follows from the projection
TOLERANCE = 0.45  # Douglas-Peucker tolerance in viewBox units
MIN_RING_AREA = 0.6  # rings smaller than this (square viewBox units) are dropped, except a country's largest
MARKER_SIZE = 4.0  # countries whose largest extent is below this get a marker point
DROP = {"AQ"}  # Antarctica has no members and takes a sixth of the map

# Shapes Natural Earth draws without an ISO code, folded into the ISO entity they are part of or
# given the user-assigned code that django-countries also uses.
BY_NAME = {
    "Kosovo": "XK",
    "N. Cyprus": "CY",
    "Somaliland": "SO",
    "Indian Ocean Ter.": "AU",
    "Ashmore and Cartier Is.": "AU",
}

# Equal Earth (Šavrič, Patterson, Jenny 2018)
A1, A2, A3, A4 = 1.340264, -0.081106, 0.000893, 0.003796
M = math.sqrt(3) / 2


def equal_earth(lon: float, lat: float) -> tuple[float, float]:
    """Equal Earth projection of a point in degrees, on the unit sphere; y grows northwards."""
    lam, phi = math.radians(lon), math.radians(lat)
    theta = math.asin(M * math.sin(phi))
    t2 = theta * theta
    t6 = t2 * t2 * t2
    x = lam * math.cos(theta) / (M * (A1 + 3 * A2 * t2 + t6 * (7 * A3 + 9 * A4 * t2)))
    y = theta * (A1 + A2 * t2 + t6 * (A3 + A4 * t2))
    return x, y


def decode_arcs(topology: dict) -> list[list[tuple[float, float]]]:
    """Absolute coordinates of every arc, undoing the delta encoding of a quantized topology."""
    transform = topology.get("transform")
    arcs = []
    for arc in topology["arcs"]:
        if transform is None:
            arcs.append([(float(p[0]), float(p[1])) for p in arc])
            continue
        (sx, sy), (tx, ty) = transform["scale"], transform["translate"]
        x = y = 0
        points = []
        for point in arc:
            x += point[0]
            y += point[1]
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def ring_from_arcs(indexes: list[int], arcs: list[list]) -> list:
    """Join arcs into a ring; a negative index ~i means arc i reversed; shared endpoints appear once."""
    ring: list = []
    for index in indexes:
        arc = arcs[~index][::-1] if index < 0 else arcs[index]
        ring.extend(arc[1:] if ring else arc)
    return ring


def polygons_of(geometry: dict) -> list[list[list[int]]]:
    if geometry.get("type") == "Polygon":
        return [geometry["arcs"]]
    if geometry.get("type") == "MultiPolygon":
        return geometry["arcs"]
    return []


def crosses_antimeridian(ring: list) -> bool:
    return any(abs(b[0] - a[0]) > 180 for a, b in itertools.pairwise(ring))


def _clip(ring: list, seam: float, keep_west: bool) -> list:
    """Sutherland-Hodgman against the meridian ``seam`` (longitudes may run past 180 here)."""

    def inside(point) -> bool:
        return point[0] <= seam if keep_west else point[0] >= seam

    out = []
    for a, b in zip(ring, ring[1:] + ring[:1], strict=True):
        if inside(b):
            if not inside(a):
                out.append((seam, a[1] + (b[1] - a[1]) * (seam - a[0]) / (b[0] - a[0])))
            out.append(b)
        elif inside(a):
            out.append((seam, a[1] + (b[1] - a[1]) * (seam - a[0]) / (b[0] - a[0])))
    return out


def split_antimeridian(ring: list) -> list[list]:
    """A ring that crosses ±180° as one ring on each side of it, in longitudes within [-180, 180]."""
    unwrapped, offset = [ring[0]], 0.0
    for a, b in itertools.pairwise(ring):
        if b[0] - a[0] > 180:
            offset -= 360
        elif b[0] - a[0] < -180:
            offset += 360
        unwrapped.append((b[0] + offset, b[1]))
    seam = 180.0 if max(x for x, _y in unwrapped) > 180 else -180.0
    shift = -360.0 if seam > 0 else 360.0
    home = _clip(unwrapped, seam, keep_west=seam > 0)
    away = [(x + shift, y) for x, y in _clip(unwrapped, seam, keep_west=seam < 0)]
    return [piece for piece in (home, away) if len(piece) >= 3]


def _perpendicular(p, a, b) -> float:
    (x, y), (x1, y1), (x2, y2) = p, a, b
    dx, dy = x2 - x1, y2 - y1
    if dx == 0 and dy == 0:
        return math.hypot(x - x1, y - y1)
    return abs(dy * x - dx * y + x2 * y1 - y2 * x1) / math.hypot(dx, dy)


def simplify(points: list, tolerance: float) -> list:
    """Douglas-Peucker, iterative; keeps both ends."""
    if len(points) < 3:
        return list(points)
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        worst, index = 0.0, 0
        for i in range(first + 1, last):
            distance = _perpendicular(points[i], points[first], points[last])
            if distance > worst:
                worst, index = distance, i
        if worst > tolerance:
            keep[index] = True
            stack.append((first, index))
            stack.append((index, last))
    return [p for p, k in zip(points, keep, strict=True) if k]


def ring_area(ring: list) -> float:
    return abs(sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True))) / 2


def path_data(rings: list[list]) -> str:
    """SVG path data with relative moves, one decimal; each ring closed with z."""
    parts = []
    cx = cy = 0
    for ring in rings:
        pts = [(round(x * 10), round(y * 10)) for x, y in ring]
        dedup = [pts[0]] + [p for prev, p in itertools.pairwise(pts) if p != prev]
        if len(dedup) > 1 and dedup[-1] == dedup[0]:
            dedup.pop()
        if len(dedup) < 3:
            continue
        x0, y0 = dedup[0]
        parts.append(f"m{_n(x0 - cx)} {_n(y0 - cy)}" if parts else f"M{_n(x0)} {_n(y0)}")
        steps = []
        px, py = x0, y0
        for x, y in dedup[1:]:
            steps.append(f"{_n(x - px)} {_n(y - py)}")
            px, py = x, y
        parts.append("l" + " ".join(steps) + "z")
        cx, cy = x0, y0  # after z the current point is the ring's start
    return "".join(parts)


def _n(tenths: int) -> str:
    """Tenths of a unit as the shortest decimal: 15 -> 1.5, -5 -> -.5, 20 -> 2."""
    sign = "-" if tenths < 0 else ""
    whole, frac = divmod(abs(tenths), 10)
    if frac == 0:
        return f"{sign}{whole}"
    return f"{sign}{whole if whole else ''}.{frac}"


def numeric_to_alpha2() -> dict[str, str]:
    if ISO_CODES.exists():
        entries = json.loads(ISO_CODES.read_text(encoding="utf-8"))["3166-1"]
        return {entry["numeric"]: entry["alpha_2"] for entry in entries}
    try:
        from django_countries.data import COUNTRIES
        from django_countries.fields import countries
    except ImportError:
        sys.exit(f"Neither {ISO_CODES} nor django-countries is available for ISO numeric codes.")
    return {f"{countries.numeric(code):03d}": code for code in COUNTRIES if countries.numeric(code)}


def build(topology: dict, codes: dict[str, str]) -> tuple[dict, list[float]]:
    lonlat = decode_arcs(topology)
    arcs = [[equal_earth(lon, lat) for lon, lat in arc] for arc in lonlat]
    ys = [y for arc in arcs for _x, y in arc]
    # Fit the whole world (not just what is drawn) so the frame does not move when data changes.
    left, right = equal_earth(-180, 0)[0], equal_earth(180, 0)[0]
    top, bottom = equal_earth(0, 84)[1], min(ys)
    scale = WIDTH / (right - left)

    def view(points: list) -> list:
        return [((x - left) * scale, (top - y) * scale) for x, y in points]

    arcs = [simplify(view(arc), TOLERANCE) for arc in arcs]
    height = round((top - max(bottom, equal_earth(0, -60)[1])) * scale, 1)

    shapes: dict[str, list[list]] = {}
    for geometry in topology["objects"]["countries"]["geometries"]:
        name = geometry.get("properties", {}).get("name", "")
        code = BY_NAME.get(name) or codes.get(str(geometry.get("id", "")).zfill(3))
        if not code or code in DROP:
            continue
        rings = shapes.setdefault(code, [])
        for polygon in polygons_of(geometry):
            for indexes in polygon:
                raw = ring_from_arcs(indexes, lonlat)
                if not crosses_antimeridian(raw):
                    rings.append(ring_from_arcs(indexes, arcs))
                    continue
                # Cut where the map ends; these pieces no longer share arcs, so simplify them alone.
                for piece in split_antimeridian(raw):
                    rings.append(simplify(view([equal_earth(lon, lat) for lon, lat in piece]), TOLERANCE))

    countries = {}
    for code, rings in sorted(shapes.items()):
        largest = max(rings, key=ring_area)
        kept = [ring for ring in rings if ring is largest or ring_area(ring) >= MIN_RING_AREA]
        entry = {"d": path_data(kept)}
        bx = [x for x, _y in largest]
        by = [y for _x, y in largest]
        if max(max(bx) - min(bx), max(by) - min(by)) < MARKER_SIZE:
            entry["point"] = [round(sum(bx) / len(bx), 1), round(sum(by) / len(by), 1)]
        countries[code] = entry
    return countries, [0, 0, WIDTH, height]


def fetch(workdir: Path) -> tuple[dict, dict]:
    """npm pack the package, check its integrity, return (metadata, topology)."""
    spec = f"{PACKAGE}@{VERSION}"
    info = json.loads(
        subprocess.run(
            ["npm", "view", spec, "--json", "version", "license", "dist.integrity"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    )
    subprocess.run(["npm", "pack", spec, "--silent"], cwd=workdir, check=True, capture_output=True)
    (tarball,) = workdir.glob(f"{PACKAGE}-*.tgz")
    algorithm, expected = info["dist.integrity"].split("-", 1)
    actual = base64.b64encode(hashlib.new(algorithm, tarball.read_bytes()).digest()).decode()
    if actual != expected:
        sys.exit(f"{tarball.name}: integrity mismatch")
    with tarfile.open(tarball) as archive:
        topology = json.load(archive.extractfile(f"package/{SOURCE}"))
        package = json.load(archive.extractfile("package/package.json"))
    metadata = {
        "package": PACKAGE,
        "version": package["version"],
        "license": package.get("license", info.get("license")),
        "integrity": info["dist.integrity"],
        "file": SOURCE,
        "data": "Natural Earth 1:50m admin-0 countries (public domain)",
    }
    return metadata, topology


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        metadata, topology = fetch(Path(tmp))
    countries, view_box = build(topology, numeric_to_alpha2())
    document = {
        "generated_by": "scripts/world_map.py; do not edit by hand",
        "source": metadata,
        "projection": "Equal Earth",
        "simplification": {"tolerance": TOLERANCE, "min_ring_area": MIN_RING_AREA},
        "view_box": view_box,
        "countries": countries,
    }
    OUTPUT.write_text(json.dumps(document, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"{OUTPUT.relative_to(ROOT)}: {len(countries)} countries, {OUTPUT.stat().st_size // 1024} KB")


if __name__ == "__main__":
    main()

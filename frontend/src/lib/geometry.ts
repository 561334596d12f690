// Small planar geometry over [lon, lat] rings: bounding boxes and a label
// point inside a polygon. Enough for 15 street labels and 1,563 grid ids;
// the map engine does the drawing.

import type { AreaGeometry, Position } from '../api/geo'

/** A bounding box [minLon, minLat, maxLon, maxLat]. */
export type BBox = [number, number, number, number]

/** emptyBBox is the start value of extend. */
export function emptyBBox(): BBox {
  return [Infinity, Infinity, -Infinity, -Infinity]
}

/** polygonsOf returns the polygons (outer ring first) of an area geometry. */
export function polygonsOf(g: AreaGeometry): Position[][][] {
  return g.type === 'Polygon' ? [g.coordinates] : g.coordinates
}

/** extend grows b to hold every position of g and returns b. */
export function extend(b: BBox, g: AreaGeometry): BBox {
  for (const poly of polygonsOf(g)) {
    for (const [x, y] of poly[0] ?? []) {
      if (x < b[0]) b[0] = x
      if (y < b[1]) b[1] = y
      if (x > b[2]) b[2] = x
      if (y > b[3]) b[3] = y
    }
  }
  return b
}

/** ringArea returns the signed area of a ring (shoelace). */
function ringArea(r: Position[]): number {
  let a = 0
  for (let i = 0, j = r.length - 1; i < r.length; j = i++) {
    const p = r[i] as Position
    const q = r[j] as Position
    a += (q[0] - p[0]) * (q[1] + p[1])
  }
  return a / 2
}

/** inRing reports whether p lies inside ring r (even-odd rule). */
function inRing(p: Position, r: Position[]): boolean {
  let inside = false
  for (let i = 0, j = r.length - 1; i < r.length; j = i++) {
    const a = r[i] as Position
    const b = r[j] as Position
    if (a[1] > p[1] !== b[1] > p[1] && p[0] < ((b[0] - a[0]) * (p[1] - a[1])) / (b[1] - a[1]) + a[0]) inside = !inside
  }
  return inside
}

/** inPolygon reports whether p is inside a polygon (outer ring minus holes). */
export function inPolygon(p: Position, poly: Position[][]): boolean {
  const [outer, ...holes] = poly
  return !!outer && inRing(p, outer) && !holes.some((h) => inRing(p, h))
}

/** distToRing returns the squared planar distance from p to the nearest edge of r. */
function distToRing(p: Position, r: Position[]): number {
  let best = Infinity
  for (let i = 0, j = r.length - 1; i < r.length; j = i++) {
    const a = r[j] as Position
    const b = r[i] as Position
    const dx = b[0] - a[0]
    const dy = b[1] - a[1]
    const len = dx * dx + dy * dy
    const t = len > 0 ? Math.max(0, Math.min(1, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / len)) : 0
    const ex = a[0] + t * dx - p[0]
    const ey = a[1] + t * dy - p[1]
    best = Math.min(best, ex * ex + ey * ey)
  }
  return best
}

/**
 * labelPoint returns a point well inside the largest polygon of g: of a
 * steps×steps lattice over its box, the inside point farthest from every
 * edge (a coarse pole of inaccessibility). Street outlines are concave, so
 * a centroid can fall outside them.
 */
export function labelPoint(g: AreaGeometry, steps = 24): Position {
  let poly: Position[][] = []
  let area = -1
  for (const p of polygonsOf(g)) {
    const a = Math.abs(ringArea(p[0] ?? []))
    if (a > area) [poly, area] = [p, a]
  }
  const b = extend(emptyBBox(), { type: 'Polygon', coordinates: poly })
  let best: Position = [(b[0] + b[2]) / 2, (b[1] + b[3]) / 2]
  let bestD = -1
  for (let i = 0; i <= steps; i++) {
    for (let j = 0; j <= steps; j++) {
      const p: Position = [b[0] + ((b[2] - b[0]) * i) / steps, b[1] + ((b[3] - b[1]) * j) / steps]
      if (!inPolygon(p, poly)) continue
      const d = Math.min(...poly.map((r) => distToRing(p, r)))
      if (d > bestD) [best, bestD] = [p, d]
    }
  }
  return best
}

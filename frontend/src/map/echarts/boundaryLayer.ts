// The district boundary layer (polygon chart): the real outline, drawn
// bright with a glow above the grids.

import { polygonsOf } from '../../lib/geometry'
import type { District } from '../../stores/geo'
import { THEME } from '../../theme'

/** BBOX_MAP is the registered map of the overlay's geo: the outline alone (only its box matters). */
export const BBOX_MAP = 'gridcc-boundary'

/** boundarySeries returns the outline as a glowing polyline series. */
export function boundarySeries(d: District, unit: number): Record<string, unknown> {
  const data = d.layers.boundary.features.flatMap((f) => polygonsOf(f.geometry).map((p) => ({ coords: p[0] ?? [] })))
  return {
    id: 'boundary',
    type: 'lines',
    coordinateSystem: 'geo',
    geoIndex: 0,
    polyline: true,
    silent: true,
    animation: false,
    lineStyle: {
      color: THEME.mapBoundaryLine,
      width: 3 * unit,
      shadowColor: THEME.accent,
      shadowBlur: 12 * unit,
    },
    data,
    z: 4,
  }
}

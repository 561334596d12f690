// The streets layer: the 15 street outlines as polylines on the polygon
// chart (they pan and zoom with the grids' geo), and their names on the
// overlay chart, above the event markers, so no marker hides a name.

import type { Position } from '../../api/geo'
import { polygonsOf } from '../../lib/geometry'
import type { District } from '../../stores/geo'
import { FONT_FAMILY, THEME } from '../../theme'

/** streetLines returns the outline series of the streets (polygon chart). */
export function streetLines(d: District, unit: number): Record<string, unknown> {
  const rings: { coords: Position[] }[] = []
  for (const f of d.layers.streets.features) {
    for (const poly of polygonsOf(f.geometry)) for (const ring of poly) rings.push({ coords: ring })
  }
  return {
    id: 'street-lines',
    type: 'lines',
    coordinateSystem: 'geo',
    geoIndex: 0,
    polyline: true,
    silent: true,
    animation: false,
    lineStyle: { color: THEME.mapStreetLine, width: 1.4 * unit, opacity: 0.75 },
    data: rings,
    z: 3,
  }
}

/** streetLabels returns the street names (overlay chart, above the markers). */
export function streetLabels(d: District, unit: number): Record<string, unknown> {
  return {
    id: 'street-labels',
    type: 'scatter',
    coordinateSystem: 'geo',
    geoIndex: 0,
    silent: true,
    animation: false,
    symbolSize: 0,
    label: {
      show: true,
      formatter: '{b}',
      fontFamily: FONT_FAMILY,
      fontSize: 16 * unit,
      fontWeight: 700,
      color: '#f2f8ff',
      textBorderColor: THEME.background,
      textBorderWidth: 3 * unit,
    },
    data: d.streets.map((s) => ({ name: s.name, value: s.at })),
    z: 30,
  }
}

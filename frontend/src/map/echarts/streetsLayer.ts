// The streets layer (polygon chart): the 15 street outlines as polylines
// and their names, both on the grids' geo so they pan and zoom with it.

import type { Position } from '../../api/geo'
import { polygonsOf } from '../../lib/geometry'
import type { District } from '../../stores/geo'
import { FONT_FAMILY, THEME } from '../../theme'

/** streetSeries returns the outline and label series of the streets. */
export function streetSeries(d: District, unit: number): Record<string, unknown>[] {
  const rings: { coords: Position[] }[] = []
  for (const f of d.layers.streets.features) {
    for (const poly of polygonsOf(f.geometry)) for (const ring of poly) rings.push({ coords: ring })
  }
  return [
    {
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
    },
    {
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
        fontSize: 15 * unit,
        fontWeight: 700,
        color: '#f2f8ff',
        textBorderColor: THEME.background,
        textBorderWidth: 3 * unit,
      },
      labelLayout: { hideOverlap: true },
      data: d.streets.map((s) => ({ name: s.name, value: s.at })),
      z: 5,
    },
  ]
}

// The cameras layer (overlay chart): the 雪亮 camera points, drawn only
// from a closer zoom on (2,000 squares over the whole district are noise).

import type { District } from '../../stores/geo'

/** cameraSeries returns the camera series, empty until zoomed in. */
export function cameraSeries(unit: number): Record<string, unknown> {
  return {
    id: 'cameras',
    type: 'scatter',
    coordinateSystem: 'geo',
    geoIndex: 0,
    large: true,
    largeThreshold: 200,
    silent: true,
    animation: false,
    symbol: 'rect',
    symbolSize: 4 * unit,
    itemStyle: { color: '#9ec9f0', opacity: 0.7 },
    z: 5,
    data: [],
  }
}

/** cameraData returns every camera's position. */
export function cameraData(d: District): number[][] {
  return [...d.cameras.values()].map((c) => [c.lon, c.lat])
}

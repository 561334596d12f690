// The grids layer (polygon chart): 1,563 grid polygons as the geo's
// regions, coloured through a piecewise visualMap by a map series that
// carries only {name: grid_id, value}. Recolouring sends values, never
// geometry: the polygons were registered once with registerMap.

import { THEME } from '../../theme'
import type { ValueScale } from '../adapter'
import type { Piece } from '../metrics'

/** The registered map name of the grids. */
export const GRIDS_MAP = 'gridcc-grids'

/** gridsGeo returns the geo component drawing the grid polygons. */
export function gridsGeo(layout: Record<string, unknown>, unit: number): Record<string, unknown> {
  return {
    id: 'grids',
    map: GRIDS_MAP,
    nameProperty: 'grid_id',
    roam: false,
    silent: true,
    ...layout,
    label: { show: false },
    itemStyle: { areaColor: '#16324f', borderColor: THEME.mapGridLine, borderWidth: 0.6 * unit },
    emphasis: {
      label: { show: false },
      itemStyle: { areaColor: '#e8f7ff', borderColor: '#ffffff', borderWidth: 2 * unit },
    },
    select: { disabled: true },
    tooltip: { show: false },
  }
}

function pieceOption(p: Piece): Record<string, unknown> {
  const o: Record<string, unknown> = { gte: p.min, color: p.color, label: p.label }
  if (Number.isFinite(p.max)) o.lte = p.max
  return o
}

/** valuesSeries returns the map series (values only) that colours the grids geo. */
export function valuesSeries(gridIds: readonly string[], values: ReadonlyMap<string, number>): Record<string, unknown> {
  return {
    id: 'grid-values',
    type: 'map',
    geoIndex: 0,
    animation: false,
    data: gridIds.map((name) => ({ name, value: values.get(name) ?? 0 })),
  }
}

/** visualMap returns the piecewise scale of the grid colours (hidden: the legend is HTML). */
export function visualMap(scale: ValueScale): Record<string, unknown> {
  return {
    id: 'grid-scale',
    type: 'piecewise',
    show: false,
    seriesId: 'grid-values',
    pieces: scale.pieces.map(pieceOption),
    outOfRange: { color: '#16324f' },
  }
}

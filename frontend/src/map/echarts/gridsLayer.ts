// The grids layer (polygon chart): 1,563 grid polygons as the geo's
// regions, registered once with registerMap. They draw the grid borders
// and the highlight; their areas are transparent, because the fills are
// painted by the choropleth layer below (choroplethLayer.ts says why).

import { THEME } from '../../theme'

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
    itemStyle: { areaColor: 'transparent', borderColor: THEME.mapGridLine, borderWidth: 0.6 * unit },
    emphasis: {
      label: { show: false },
      itemStyle: { areaColor: '#e8f7ff', borderColor: '#ffffff', borderWidth: 2 * unit },
    },
    select: { disabled: true },
    tooltip: { show: false },
  }
}

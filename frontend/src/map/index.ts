// Which map implementation a screen gets. ECharts canvas is the default:
// it stays usable on wall PCs without a GPU (software WebGL drops a whole
// page to ~1 fps, shared/notes/frontend.md). A MapLibre adapter would be
// chosen here (e.g. ?map=maplibre on a GPU host with an intranet tile
// server); the panels only see MapAdapter.

import type { MapAdapter } from './adapter'
import { createEChartsMap } from './echarts'

export type { MapAdapter, FocusTarget, ValueScale, ScreenPoint } from './adapter'

/** createMap creates the map adapter for host. */
export function createMap(host: HTMLElement, opts: { pixelRatio: number; unit: number }): MapAdapter {
  return createEChartsMap(host, opts)
}

// EChartsMap: the default MapAdapter, two canvas charts stacked in one
// host element. The bottom chart draws the polygons (grids choropleth,
// streets, boundary) and is repainted only when colours change; the
// transparent top chart draws events, pulses and cameras and takes the
// frequent updates (measured 10× cheaper than one chart for both, see
// shared/notes/frontend.md). The top chart handles pan/zoom and the bottom
// one follows it.

import { echarts, THEME_NAME, type ECharts } from '../../charts/echarts'
import type { District } from '../../stores/geo'
import type { GridEvent } from '../../types'
import type { FocusTarget, MapAdapter, ScreenPoint, ValueScale, ViewListener } from '../adapter'
import { RENDER } from '../../config'
import { boundarySeries, BBOX_MAP } from './boundaryLayer'
import { cameraData, cameraSeries } from './camerasLayer'
import { eventSeries, groupData, groupEvents, sameEvents, type BucketId } from './eventsLayer'
import { GRIDS_MAP, gridsGeo, valuesSeries, visualMap } from './gridsLayer'
import { pulseData, pulseSeries } from './pulseLayer'
import { streetLabels, streetLines } from './streetsLayer'
import { geoLayout, HOME, type View } from './view'
import { drawProbe } from './probe'

/** Options of EChartsMap. */
export interface EChartsMapOptions {
  /** Device pixels per CSS pixel to draw at (the screen's ratio × the canvas scale). */
  pixelRatio: number
  /** CSS pixels per design unit (canvas height / 1080): sizes of lines, markers and labels. */
  unit: number
}

type GeoModelLike = { option?: { center?: [number, number]; zoom?: number } }
type ChartInternals = { getModel(): { getComponent(type: string, idx: number): GeoModelLike | undefined } }

function layer(host: HTMLElement, z: number): HTMLDivElement {
  const el = document.createElement('div')
  el.style.cssText = `position:absolute;inset:0;z-index:${z}`
  host.appendChild(el)
  return el
}

/** EChartsMap implements MapAdapter with ECharts' canvas renderer. */
export class EChartsMap implements MapAdapter {
  private readonly base: ECharts
  private readonly overlay: ECharts
  private readonly unit: number
  private district: District | null = null
  private gridIds: string[] = []
  private view: View = { ...HOME }
  private groups = new Map<BucketId, GridEvent[]>()
  private pulsing: readonly GridEvent[] = []
  private camerasShown = false
  private highlighted: string | null = null
  private listeners = new Set<ViewListener>()
  private syncFrame = 0
  private disposed = false

  constructor(
    private readonly host: HTMLElement,
    opts: EChartsMapOptions,
  ) {
    this.unit = opts.unit
    if (getComputedStyle(host).position === 'static') host.style.position = 'relative'
    const init = { renderer: 'canvas' as const, devicePixelRatio: opts.pixelRatio }
    this.base = echarts.init(layer(host, 0), THEME_NAME, init)
    this.overlay = echarts.init(layer(host, 1), THEME_NAME, init)
    this.overlay.on('georoam', () => this.followRoam())
    drawProbe.attach(this.overlay)
  }

  setGrids(d: District): void {
    this.district = d
    // registerMap parses the GeoJSON once; the charts refer to it by name.
    echarts.registerMap(GRIDS_MAP, d.layers.grids as never)
    echarts.registerMap(BBOX_MAP, d.layers.boundary as never)
    this.gridIds = d.layers.grids.features.map((f) => f.properties.grid_id)
    const layout = geoLayout(d.bbox, this.view)
    const u = this.unit
    this.base.setOption(
      {
        animation: false,
        geo: [gridsGeo(layout, u)],
        series: [valuesSeries(this.gridIds, new Map()), boundarySeries(d, u), streetLines(d, u)],
      },
      { notMerge: true },
    )
    this.overlay.setOption(
      {
        animation: false,
        geo: [
          {
            id: 'overlay',
            map: BBOX_MAP,
            roam: true,
            ...layout,
            itemStyle: { areaColor: 'transparent', borderWidth: 0 },
            emphasis: { disabled: true },
            select: { disabled: true },
            label: { show: false },
            tooltip: { show: false },
          },
        ],
        series: [cameraSeries(u), ...eventSeries(u), pulseSeries(), streetLabels(d, u)],
      },
      { notMerge: true },
    )
    this.groups.clear()
  }

  setValues(values: ReadonlyMap<string, number>, scale: ValueScale): void {
    if (!this.district) return
    this.base.setOption({ series: [valuesSeries(this.gridIds, values)], visualMap: [visualMap(scale)] }, { lazyUpdate: true })
  }

  setEvents(events: readonly GridEvent[], pulsing: readonly GridEvent[]): void {
    if (!this.district) return
    const next = groupEvents(events)
    const series: Record<string, unknown>[] = []
    for (const [id, list] of next) {
      if (!sameEvents(this.groups.get(id), list)) series.push({ id, data: groupData(list) })
    }
    this.groups = next
    if (!sameEvents(this.pulsing, pulsing)) {
      series.push({ id: 'pulse', data: pulseData(pulsing, this.unit) })
      this.pulsing = pulsing
    }
    if (series.length === 0) return
    drawProbe.expect(events)
    this.overlay.setOption({ series }, { lazyUpdate: true })
  }

  highlight(gridId: string | null): void {
    if (this.highlighted) this.base.dispatchAction({ type: 'downplay', geoIndex: 0, name: this.highlighted })
    this.highlighted = gridId
    if (gridId) this.base.dispatchAction({ type: 'highlight', geoIndex: 0, name: gridId })
  }

  focus(target: FocusTarget): void {
    const d = this.district
    if (!d) return
    if (target.kind === 'district') this.view = { ...HOME }
    else if (target.kind === 'grid') {
      const g = d.grids.get(target.gridId)
      if (!g) return
      this.view = { center: g.center, zoom: target.zoom ?? 5 }
    } else this.view = { center: [target.lon, target.lat], zoom: target.zoom ?? 5 }
    this.applyView(true)
  }

  project(lon: number, lat: number): ScreenPoint | null {
    if (!this.district) return null
    const p = this.overlay.convertToPixel({ geoIndex: 0 }, [lon, lat]) as number[] | undefined
    if (!p || !Number.isFinite(p[0]) || !Number.isFinite(p[1])) return null
    return { x: p[0]!, y: p[1]! }
  }

  onView(fn: ViewListener): () => void {
    this.listeners.add(fn)
    return () => this.listeners.delete(fn)
  }

  resize(): void {
    this.base.resize()
    this.overlay.resize()
  }

  dispose(): void {
    this.disposed = true
    cancelAnimationFrame(this.syncFrame)
    drawProbe.detach(this.overlay)
    this.base.dispose()
    this.overlay.dispose()
    this.host.replaceChildren()
    this.listeners.clear()
  }

  /** followRoam copies the overlay's view (after a user pan/zoom) to the polygon chart, once per frame. */
  private followRoam(): void {
    const geo = (this.overlay as unknown as ChartInternals).getModel().getComponent('geo', 0)
    const o = geo?.option
    if (!o?.center || typeof o.zoom !== 'number') return
    this.view = { center: [o.center[0], o.center[1]], zoom: o.zoom }
    cancelAnimationFrame(this.syncFrame)
    this.syncFrame = requestAnimationFrame(() => this.applyView(false))
  }

  /** applyView sets the view on both charts (overlay too when the change did not come from it). */
  private applyView(includeOverlay: boolean): void {
    if (this.disposed || !this.district) return
    const v = { center: this.view.center ?? undefined, zoom: this.view.zoom }
    const layout = geoLayout(this.district.bbox, this.view)
    this.base.setOption({ geo: [{ id: 'grids', center: layout.center, zoom: v.zoom }] }, { lazyUpdate: true })
    const overlay: Record<string, unknown> = {}
    if (includeOverlay) overlay.geo = [{ id: 'overlay', center: layout.center, zoom: v.zoom }]
    const showCameras = this.view.zoom >= RENDER.cameraMinZoom
    if (showCameras !== this.camerasShown) {
      this.camerasShown = showCameras
      overlay.series = [{ id: 'cameras', data: showCameras ? cameraData(this.district) : [] }]
    }
    if (Object.keys(overlay).length) this.overlay.setOption(overlay, { lazyUpdate: true })
    for (const fn of this.listeners) fn({ zoom: this.view.zoom })
  }
}

/** createEChartsMap is the MapAdapterFactory of the ECharts map. */
export function createEChartsMap(host: HTMLElement, opts: EChartsMapOptions): MapAdapter {
  return new EChartsMap(host, opts)
}

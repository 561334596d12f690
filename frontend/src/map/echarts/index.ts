// EChartsMap: the default MapAdapter. Five layers stacked in one host:
//   0 choropleth canvas: the grid fills, repainted per grid that changes class;
//   1 polygon chart (ECharts): grid borders, street outlines, boundary,
//     highlight; static between view changes;
//   2 events canvas: the open events, new ones drawn as they come;
//   3 overlay chart (ECharts, transparent): street names and cameras above
//     the events; it owns pan/zoom, and the other layers follow its view;
//   4 pulses (DOM + CSS): the newest events ripple.
// ECharts lays out the district (registered GeoJSON, bounding box, aspect,
// roam) and draws what rarely changes; what changes often is drawn outside
// its pipeline, with the same lon/lat → pixel transform. choroplethLayer.ts,
// eventsCanvas.ts and pulseLayer.ts say why, with the measurements.

import { echarts, THEME_NAME, type ECharts } from '../../charts/echarts'
import type { District } from '../../stores/geo'
import type { GridEvent } from '../../types'
import type { FocusTarget, MapAdapter, ScreenPoint, ValueScale, ViewListener } from '../adapter'
import { RENDER } from '../../config'
import { boundarySeries, BBOX_MAP } from './boundaryLayer'
import { cameraData, cameraSeries } from './camerasLayer'
import { sameEvents } from './eventsLayer'
import { EventsCanvas, type LinearTransform } from './eventsCanvas'
import { GRIDS_MAP, gridsGeo } from './gridsLayer'
import { ChoroplethLayer } from './choroplethLayer'
import { PulseLayer } from './pulseLayer'
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

/** The fill of grids before any value is known (the legend's "none" class). */
const NO_VALUE_COLOR = '#16324f'

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
  private readonly fills: ChoroplethLayer
  private readonly events: EventsCanvas
  private readonly pulses: PulseLayer
  private readonly unit: number
  private district: District | null = null
  private gridIds: string[] = []
  private view: View = { ...HOME }
  private transform: LinearTransform | null = null
  private pulsing: readonly GridEvent[] = []
  private camerasShown = false
  private highlighted: string | null = null
  private lastClasses: Uint8Array | null = null
  private lastPieces: unknown = null
  private listeners = new Set<ViewListener>()
  private syncFrame = 0
  private disposed = false
  private readonly projectFn = (lon: number, lat: number): ScreenPoint | null => this.project(lon, lat)

  constructor(
    private readonly host: HTMLElement,
    opts: EChartsMapOptions,
  ) {
    this.unit = opts.unit
    if (getComputedStyle(host).position === 'static') host.style.position = 'relative'
    const init = { renderer: 'canvas' as const, devicePixelRatio: opts.pixelRatio }
    this.fills = new ChoroplethLayer(host, 0, opts.pixelRatio, NO_VALUE_COLOR)
    this.base = echarts.init(layer(host, 1), THEME_NAME, init)
    this.events = new EventsCanvas(host, 2, opts.pixelRatio, opts.unit)
    this.overlay = echarts.init(layer(host, 3), THEME_NAME, init)
    this.events.onDrawn = (evs) => drawProbe.record(evs)
    this.pulses = new PulseLayer(host, this.unit, 4)
    this.overlay.on('georoam', () => this.followRoam())
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
        series: [boundarySeries(d, u), streetLines(d, u)],
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
        series: [cameraSeries(u), streetLabels(d, u)],
      },
      { notMerge: true },
    )
    this.lastClasses = null
    this.fills.setDistrict(d)
    this.updateTransform()
  }

  setValues(values: ReadonlyMap<string, number>, scale: ValueScale): void {
    if (!this.district) return
    const classes = classesOf(this.gridIds, values, scale)
    if (scale.pieces === this.lastPieces && sameClasses(classes, this.lastClasses)) return
    this.lastPieces = scale.pieces
    this.lastClasses = classes
    this.fills.setColors(Array.from(classes, (k) => scale.pieces[k]?.color ?? NO_VALUE_COLOR))
  }

  setEvents(events: readonly GridEvent[], pulsing: readonly GridEvent[]): void {
    if (!this.district) return
    this.events.set(events)
    if (!sameEvents(this.pulsing, pulsing)) {
      this.pulses.set(pulsing, this.projectFn)
      this.pulsing = pulsing
    }
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
    const t = this.transform
    if (!t) return null
    return { x: t.ax * lon + t.bx, y: t.ay * lat + t.by }
  }

  onView(fn: ViewListener): () => void {
    this.listeners.add(fn)
    return () => this.listeners.delete(fn)
  }

  resize(): void {
    this.base.resize()
    this.overlay.resize()
    this.fills.resize()
    this.events.resize()
    this.updateTransform()
  }

  dispose(): void {
    this.disposed = true
    cancelAnimationFrame(this.syncFrame)
    this.events.dispose()
    this.fills.dispose()
    this.pulses.dispose()
    this.base.dispose()
    this.overlay.dispose()
    this.host.replaceChildren()
    this.listeners.clear()
  }

  /**
   * updateTransform derives the linear lon/lat → pixel map of the current
   * view from two points of the overlay's geo, and moves the events and
   * pulses with it.
   */
  private updateTransform(): void {
    const d = this.district
    if (!d) return
    const [x0, y0, x1, y1] = d.bbox
    const p = this.overlay.convertToPixel({ geoIndex: 0 }, [x0, y0]) as number[] | undefined
    const q = this.overlay.convertToPixel({ geoIndex: 0 }, [x1, y1]) as number[] | undefined
    if (!p || !q || x1 === x0 || y1 === y0 || !p.every(Number.isFinite) || !q.every(Number.isFinite)) return
    const ax = (q[0]! - p[0]!) / (x1 - x0)
    const ay = (q[1]! - p[1]!) / (y1 - y0)
    this.transform = { ax, bx: p[0]! - ax * x0, ay, by: p[1]! - ay * y0 }
    this.events.setTransform(this.transform)
    this.fills.setTransform(this.transform)
    this.pulses.reposition(this.projectFn)
  }

  /** followRoam copies the overlay's view (after a user pan/zoom) to the other layers. */
  private followRoam(): void {
    const geo = (this.overlay as unknown as ChartInternals).getModel().getComponent('geo', 0)
    const o = geo?.option
    if (!o?.center || typeof o.zoom !== 'number') return
    this.view = { center: [o.center[0], o.center[1]], zoom: o.zoom }
    this.updateTransform()
    cancelAnimationFrame(this.syncFrame)
    this.syncFrame = requestAnimationFrame(() => this.applyView(false))
  }

  /** applyView sets the view on both charts (the overlay too when the change did not come from it). */
  private applyView(includeOverlay: boolean): void {
    if (this.disposed || !this.district) return
    const layout = geoLayout(this.district.bbox, this.view)
    this.base.setOption({ geo: [{ id: 'grids', center: layout.center, zoom: this.view.zoom }] }, { lazyUpdate: true })
    const overlay: Record<string, unknown> = {}
    if (includeOverlay) overlay.geo = [{ id: 'overlay', center: layout.center, zoom: this.view.zoom }]
    const showCameras = this.view.zoom >= RENDER.cameraMinZoom
    if (showCameras !== this.camerasShown) {
      this.camerasShown = showCameras
      overlay.series = [{ id: 'cameras', data: showCameras ? cameraData(this.district) : [] }]
    }
    if (Object.keys(overlay).length) this.overlay.setOption(overlay)
    this.updateTransform()
    for (const fn of this.listeners) fn({ zoom: this.view.zoom })
  }
}

/** classesOf returns each grid's legend class index (255: none matches). */
function classesOf(gridIds: readonly string[], values: ReadonlyMap<string, number>, scale: ValueScale): Uint8Array {
  const out = new Uint8Array(gridIds.length)
  gridIds.forEach((id, i) => {
    const v = values.get(id) ?? 0
    const k = scale.pieces.findIndex((p) => v >= p.min && v <= p.max)
    out[i] = k < 0 ? 255 : k
  })
  return out
}

function sameClasses(a: Uint8Array, b: Uint8Array | null): boolean {
  if (!b || a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
  return true
}

/** createEChartsMap is the MapAdapterFactory of the ECharts map. */
export function createEChartsMap(host: HTMLElement, opts: EChartsMapOptions): MapAdapter {
  return new EChartsMap(host, opts)
}

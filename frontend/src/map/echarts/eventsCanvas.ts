// The events layer: every open event as a dot, coloured by kind and sized
// by severity, drawn straight onto one canvas above the ECharts charts.
//
// Why not an ECharts scatter series: each update of 5,000+ points went
// through ECharts' whole pipeline (models, data stores, layout, visuals)
// and took most of the wall's main thread at 100 events/s without a GPU.
// Here new events are drawn onto the canvas as they come (a few arcs), and
// the whole set is redrawn (one pass of arc() calls per kind × severity
// group, with a linear lon/lat → pixel transform from the overlay chart's
// geo) only when events were removed or changed, at most every
// fullRedrawMs, or when the view changed.

import type { GridEvent } from '../../types'
import { kindColor, SEVERITY_SIZES } from '../../theme'
import { BUCKETS, groupEvents } from './eventsLayer'

/** A linear map from [lon, lat] to CSS pixels of the host. */
export interface LinearTransform {
  ax: number
  bx: number
  ay: number
  by: number
}

/** EventsCanvas draws the open events onto its own canvas. */
export class EventsCanvas {
  private readonly canvas: HTMLCanvasElement
  private readonly ctx: CanvasRenderingContext2D
  private events: readonly GridEvent[] = []
  /** What the canvas shows (or will at the next frame), by id (the object drawn). */
  private onCanvas = new Map<string, GridEvent>()
  /** Events to add to the canvas at the next frame. */
  private additions: GridEvent[] = []
  private t: LinearTransform | null = null
  private frame = 0
  private fullPending = true
  private fullTimer: ReturnType<typeof setTimeout> | null = null
  private lastFull = 0
  private width = 0
  private height = 0
  /** Called after each draw with the events drawn (the draw probe listens). */
  onDrawn: ((events: readonly GridEvent[]) => void) | null = null
  /** Draws done (tests, benchmark). */
  draws = 0

  constructor(
    private readonly host: HTMLElement,
    z: number,
    private readonly pixelRatio: number,
    private readonly unit: number,
    private readonly fullRedrawMs = 2_000,
  ) {
    this.canvas = document.createElement('canvas')
    this.canvas.style.cssText = `position:absolute;left:0;top:0;pointer-events:none;z-index:${z}`
    host.appendChild(this.canvas)
    const ctx = this.canvas.getContext('2d')
    if (!ctx) throw new Error('no 2D canvas context')
    this.ctx = ctx
    this.resize()
  }

  /** resize follows the host's size. */
  resize(): void {
    this.width = this.host.clientWidth
    this.height = this.host.clientHeight
    this.canvas.width = Math.max(1, Math.round(this.width * this.pixelRatio))
    this.canvas.height = Math.max(1, Math.round(this.height * this.pixelRatio))
    this.canvas.style.width = `${this.width}px`
    this.canvas.style.height = `${this.height}px`
    this.redrawAll()
  }

  /** setTransform sets the lon/lat → pixel transform (after every view change). */
  setTransform(t: LinearTransform): void {
    this.t = t
    this.redrawAll()
  }

  /**
   * set replaces the events shown. Events not on the canvas yet are drawn
   * at the next frame; removed or changed ones go at the next full redraw.
   */
  set(events: readonly GridEvent[]): void {
    this.events = events
    let same = 0
    const add: GridEvent[] = []
    for (const e of events) {
      const shown = this.onCanvas.get(e.id)
      if (shown === e) same++
      else if (!shown) add.push(e)
    }
    if (same + add.length !== events.length || same !== this.onCanvas.size) this.requestFull()
    if (add.length) {
      // Counted as shown from now on: the next frame draws them.
      for (const e of add) this.onCanvas.set(e.id, e)
      this.additions.push(...add)
      this.schedule()
    }
  }

  dispose(): void {
    cancelAnimationFrame(this.frame)
    if (this.fullTimer !== null) clearTimeout(this.fullTimer)
    this.canvas.remove()
    this.onDrawn = null
  }

  /** redrawAll asks for a full redraw at the next frame (view or size changed). */
  private redrawAll(): void {
    this.fullPending = true
    this.schedule()
  }

  /** requestFull asks for a full redraw, at most every fullRedrawMs. */
  private requestFull(): void {
    if (this.fullPending || this.fullTimer !== null) return
    const wait = Math.max(0, this.lastFull + this.fullRedrawMs - Date.now())
    this.fullTimer = setTimeout(() => {
      this.fullTimer = null
      this.redrawAll()
    }, wait)
  }

  private schedule(): void {
    if (this.frame) return
    this.frame = requestAnimationFrame(() => {
      this.frame = 0
      this.draw()
    })
  }

  private draw(): void {
    const { ctx, t } = this
    if (!t) return
    ctx.setTransform(this.pixelRatio, 0, 0, this.pixelRatio, 0, 0)
    let list: readonly GridEvent[]
    if (this.fullPending) {
      ctx.clearRect(0, 0, this.width, this.height)
      list = this.events
      this.onCanvas = new Map(list.map((e) => [e.id, e]))
      this.fullPending = false
      this.lastFull = Date.now()
    } else {
      list = this.additions
    }
    this.additions = []
    this.paint(list, t)
    this.draws++
    this.onDrawn?.(list)
  }

  /** paint draws events over what is on the canvas. */
  private paint(events: readonly GridEvent[], t: LinearTransform): void {
    const { ctx } = this
    const groups = groupEvents(events)
    const w = this.width
    const h = this.height
    for (const b of BUCKETS) {
      const list = groups.get(b.id)
      if (!list || list.length === 0) continue
      const r = (SEVERITY_SIZES[b.severity] * this.unit) / 2
      ctx.beginPath()
      for (const e of list) {
        const x = t.ax * e.lon + t.bx
        const y = t.ay * e.lat + t.by
        if (x < -r || y < -r || x > w + r || y > h + r) continue
        ctx.moveTo(x + r, y)
        ctx.arc(x, y, r, 0, Math.PI * 2)
      }
      ctx.globalAlpha = b.severity === 'low' ? 0.75 : 0.95
      ctx.fillStyle = kindColor(b.kind)
      ctx.fill()
      if (b.severity === 'critical') {
        ctx.globalAlpha = 1
        ctx.lineWidth = 1.5 * this.unit
        ctx.strokeStyle = '#ffffff'
        ctx.stroke()
      }
    }
    ctx.globalAlpha = 1
  }
}

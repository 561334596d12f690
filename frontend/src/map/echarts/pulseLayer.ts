// The pulse layer: the newest events ripple for a few seconds. The ripples
// are a few DOM rings above the canvases, and they ripple in four discrete
// steps (a quarter second each) driven by one timer that flips an attribute
// of the layer, not by a CSS or canvas animation. Measured without a GPU at
// 3840×2160 under 100 events/s: an effectScatter series (60 fps redraw of a
// full-size canvas) left the wall at ~2 fps, CSS keyframe animations at
// ~15 fps with long tasks up to 400 ms (every frame is committed), no
// pulses at 55 fps with none; four steps a second cost next to nothing and
// still read as "new" across the room.

import type { GridEvent, Severity } from '../../types'
import { kindColor, SEVERITY_SIZES } from '../../theme'
import type { ScreenPoint } from '../adapter'

const STYLE_ID = 'gridcc-pulse-style'
const STEPS = 4
const CSS = `
.gridcc-pulses .p{position:absolute;left:0;top:0;pointer-events:none}
.gridcc-pulses i{position:absolute;inset:0;border-radius:50%;border:2px solid currentColor}
.gridcc-pulses b{position:absolute;inset:0;border-radius:50%;background:currentColor}
.gridcc-pulses[data-step="0"] i{transform:scale(1.5);opacity:.95}
.gridcc-pulses[data-step="1"] i{transform:scale(2.4);opacity:.7}
.gridcc-pulses[data-step="2"] i{transform:scale(3.3);opacity:.45}
.gridcc-pulses[data-step="3"] i{transform:scale(4.2);opacity:.2}
`

function ensureStyle(): void {
  if (document.getElementById(STYLE_ID)) return
  const s = document.createElement('style')
  s.id = STYLE_ID
  s.textContent = CSS
  document.head.appendChild(s)
}

/** PulseLayer keeps one rippling element per pulsing event. */
export class PulseLayer {
  private readonly el: HTMLDivElement
  private readonly items = new Map<string, { node: HTMLDivElement; event: GridEvent }>()
  private timer: ReturnType<typeof setInterval> | null = null
  private step = 0

  constructor(
    host: HTMLElement,
    private readonly unit: number,
    z: number,
    private readonly stepMs = 250,
  ) {
    ensureStyle()
    this.el = document.createElement('div')
    this.el.className = 'gridcc-pulses'
    this.el.dataset.step = '0'
    this.el.style.cssText = `position:absolute;inset:0;overflow:hidden;pointer-events:none;contain:strict;z-index:${z}`
    host.appendChild(this.el)
  }

  /** set shows exactly `events` (adding and removing elements by id) and places them. */
  set(events: readonly GridEvent[], project: (lon: number, lat: number) => ScreenPoint | null): void {
    const keep = new Set(events.map((e) => e.id))
    for (const [id, it] of this.items) {
      if (!keep.has(id)) {
        it.node.remove()
        this.items.delete(id)
      }
    }
    for (const e of events) {
      let it = this.items.get(e.id)
      if (!it) {
        const node = document.createElement('div')
        node.className = 'p'
        const size = (SEVERITY_SIZES[e.severity as Severity] ?? 6) * 1.4 * this.unit
        node.style.width = node.style.height = `${size}px`
        node.style.color = kindColor(e.kind)
        node.append(document.createElement('i'), document.createElement('b'))
        this.el.appendChild(node)
        it = { node, event: e }
        this.items.set(e.id, it)
      }
      it.event = e
      this.place(it, project)
    }
    this.animate(this.items.size > 0)
  }

  /** reposition moves every element after the view changed. */
  reposition(project: (lon: number, lat: number) => ScreenPoint | null): void {
    for (const it of this.items.values()) this.place(it, project)
  }

  /** ids lists the pulsing events (tests). */
  ids(): string[] {
    return [...this.items.keys()]
  }

  dispose(): void {
    this.animate(false)
    this.items.clear()
    this.el.remove()
  }

  /** animate runs the step timer only while something pulses. */
  private animate(on: boolean): void {
    if (on && this.timer === null) {
      this.timer = setInterval(() => {
        this.step = (this.step + 1) % STEPS
        this.el.dataset.step = String(this.step)
      }, this.stepMs)
    } else if (!on && this.timer !== null) {
      clearInterval(this.timer)
      this.timer = null
    }
  }

  private place(it: { node: HTMLDivElement; event: GridEvent }, project: (lon: number, lat: number) => ScreenPoint | null): void {
    const p = project(it.event.lon, it.event.lat)
    if (!p) {
      it.node.style.display = 'none'
      return
    }
    it.node.style.display = ''
    const half = parseFloat(it.node.style.width) / 2
    it.node.style.transform = `translate(${p.x - half}px, ${p.y - half}px)`
  }
}

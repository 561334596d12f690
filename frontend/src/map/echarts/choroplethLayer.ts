// The choropleth layer: the grid fills, on a canvas under the polygon
// chart (which draws the grid borders, streets and boundary over it with
// transparent areas). Why not ECharts' map series + visualMap: ECharts
// rebuilds all 1,563 region paths on every data update, which took
// seconds of main thread per recolour without a GPU. Here each grid is a
// Path2D in screen pixels, built once per view; a recolour fills only the
// grids whose colour class changed.

import type { Position } from '../../api/geo'
import { polygonsOf } from '../../lib/geometry'
import type { District } from '../../stores/geo'
import type { LinearTransform } from './eventsCanvas'

/** ChoroplethLayer paints each grid with its class colour. */
export class ChoroplethLayer {
  private readonly canvas: HTMLCanvasElement
  private readonly ctx: CanvasRenderingContext2D
  private district: District | null = null
  private paths: Path2D[] = []
  private colors: string[] = []
  private painted: (string | undefined)[] = []
  private t: LinearTransform | null = null
  private frame = 0
  private full = true
  /** Grids repainted (tests, benchmark). */
  repaints = 0

  constructor(
    private readonly host: HTMLElement,
    z: number,
    private readonly pixelRatio: number,
    private readonly noneColor: string,
  ) {
    this.canvas = document.createElement('canvas')
    this.canvas.style.cssText = `position:absolute;left:0;top:0;pointer-events:none;z-index:${z}`
    host.appendChild(this.canvas)
    const ctx = this.canvas.getContext('2d')
    if (!ctx) throw new Error('no 2D canvas context')
    this.ctx = ctx
    this.resize()
  }

  /** setDistrict installs the grids (in the order of district.layers.grids). */
  setDistrict(d: District): void {
    this.district = d
    this.colors = d.layers.grids.features.map(() => this.noneColor)
    this.rebuild()
  }

  /** setColors sets every grid's colour (same order as the grids layer); only changes repaint. */
  setColors(colors: readonly string[]): void {
    this.colors = colors.slice()
    this.schedule(false)
  }

  setTransform(t: LinearTransform): void {
    this.t = t
    this.rebuild()
  }

  resize(): void {
    const w = this.host.clientWidth
    const h = this.host.clientHeight
    this.canvas.width = Math.max(1, Math.round(w * this.pixelRatio))
    this.canvas.height = Math.max(1, Math.round(h * this.pixelRatio))
    this.canvas.style.width = `${w}px`
    this.canvas.style.height = `${h}px`
    this.schedule(true)
  }

  dispose(): void {
    cancelAnimationFrame(this.frame)
    this.canvas.remove()
  }

  /** rebuild projects every grid into a Path2D (after a view change) and repaints all. */
  private rebuild(): void {
    const d = this.district
    const t = this.t
    if (!d || !t) return
    const pt = (p: Position): [number, number] => [t.ax * p[0] + t.bx, t.ay * p[1] + t.by]
    this.paths = d.layers.grids.features.map((f) => {
      const path = new Path2D()
      for (const poly of polygonsOf(f.geometry)) {
        for (const ring of poly) {
          ring.forEach((p, i) => {
            const [x, y] = pt(p)
            if (i === 0) path.moveTo(x, y)
            else path.lineTo(x, y)
          })
          path.closePath()
        }
      }
      return path
    })
    this.schedule(true)
  }

  private schedule(full: boolean): void {
    this.full ||= full
    if (this.frame) return
    this.frame = requestAnimationFrame(() => {
      this.frame = 0
      this.paint()
    })
  }

  private paint(): void {
    const { ctx } = this
    if (this.paths.length === 0) return
    ctx.setTransform(this.pixelRatio, 0, 0, this.pixelRatio, 0, 0)
    if (this.full) {
      ctx.clearRect(0, 0, this.canvas.width, this.canvas.height)
      this.painted = []
      this.full = false
    }
    this.paths.forEach((path, i) => {
      const c = this.colors[i] ?? this.noneColor
      if (this.painted[i] === c) return
      ctx.fillStyle = c
      ctx.fill(path)
      this.painted[i] = c
      this.repaints++
    })
  }
}

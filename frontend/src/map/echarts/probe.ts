// The draw probe: when each event's marker was first drawn (epoch ms), for
// the benchmark's ingest-to-screen figure and the end-to-end tests. It
// listens to the overlay chart's `rendered` event; memory is bounded.

import type { ECharts } from '../../charts/echarts'
import type { GridEvent } from '../../types'

/** Most ids remembered; the oldest are forgotten first. */
const MAX_IDS = 20_000

class DrawProbe {
  /** Event id → when its marker was first drawn (epoch ms). */
  readonly drawn = new Map<string, number>()
  /** Renders of the overlay chart that drew new markers. */
  renders = 0
  private pending = new Set<string>()
  private readonly onRendered = (): void => {
    if (this.pending.size === 0) return
    const t = Date.now()
    for (const id of this.pending) this.drawn.set(id, t)
    this.pending.clear()
    this.renders++
    while (this.drawn.size > MAX_IDS) {
      const oldest = this.drawn.keys().next().value
      if (oldest === undefined) break
      this.drawn.delete(oldest)
    }
  }

  attach(chart: ECharts): void {
    chart.on('rendered', this.onRendered)
  }

  detach(chart: ECharts): void {
    chart.off('rendered', this.onRendered)
  }

  /** expect notes the events of a setOption about to be drawn. */
  expect(events: readonly GridEvent[]): void {
    for (const e of events) if (!this.drawn.has(e.id)) this.pending.add(e.id)
  }
}

/** drawProbe is the page's one probe (there is one wall map per page). */
export const drawProbe = new DrawProbe()

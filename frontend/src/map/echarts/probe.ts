// The draw probe: when each event's marker was first drawn (epoch ms), for
// the benchmark's ingest-to-screen figure and the end-to-end tests. The
// events canvas reports every draw; memory is bounded.

import type { GridEvent } from '../../types'

/** Most ids remembered; the oldest are forgotten first. */
const MAX_IDS = 20_000

class DrawProbe {
  /** Event id → when its marker was first drawn (epoch ms). */
  readonly drawn = new Map<string, number>()
  /** Draws that drew at least one new marker. */
  renders = 0

  /** record notes the events of a draw that just happened. */
  record(events: readonly GridEvent[]): void {
    const t = Date.now()
    let fresh = false
    for (const e of events) {
      if (!this.drawn.has(e.id)) {
        this.drawn.set(e.id, t)
        fresh = true
      }
    }
    if (fresh) this.renders++
    while (this.drawn.size > MAX_IDS) {
      const oldest = this.drawn.keys().next().value
      if (oldest === undefined) break
      this.drawn.delete(oldest)
    }
  }
}

/** drawProbe is the page's one probe (there is one wall map per page). */
export const drawProbe = new DrawProbe()

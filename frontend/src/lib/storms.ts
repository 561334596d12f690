// Alert storms: a camera that flags the same corner every few seconds, or
// the sensors of one block going off together, must be one row of the
// queue with a count, not a hundred rows. Camera alerts and warnings of the
// same kind in the same grid form one group (a camera stands in one grid,
// so one camera's storm is grouped too); other kinds are never grouped.

import type { GridEvent } from '../types'

/** A row of the queue: one event, or a storm of alerts. */
export type QueueRow =
  | { type: 'event'; key: string; event: GridEvent }
  | {
      type: 'storm'
      key: string
      /** The members in the order they came (urgency order when the input was sorted). */
      events: GridEvent[]
      /** The first (most urgent) member: the row shows it. */
      lead: GridEvent
      kind: GridEvent['kind']
      gridId: string
      /** Distinct cameras (camera alerts) or sensors (warnings) among the members. */
      sources: number
    }

/** isAlert reports whether e is a camera alert or a warning (acknowledgeable kinds). */
export function isAlert(e: GridEvent): boolean {
  return e.kind === 'camera_alert' || e.kind === 'warning'
}

/** stormKey is the group an alert belongs to. */
export function stormKey(e: GridEvent): string {
  return `storm:${e.kind}:${e.grid_id}`
}

/**
 * groupStorms folds alerts of one kind and grid into one row when there are
 * at least minSize of them; the row takes the place of its first member.
 * The order of everything else is kept.
 */
export function groupStorms(events: readonly GridEvent[], minSize: number): QueueRow[] {
  const groups = new Map<string, GridEvent[]>()
  for (const e of events) {
    if (!isAlert(e)) continue
    const k = stormKey(e)
    const g = groups.get(k)
    if (g) g.push(e)
    else groups.set(k, [e])
  }
  const rows: QueueRow[] = []
  const placed = new Set<string>()
  for (const e of events) {
    const members = isAlert(e) ? groups.get(stormKey(e)) : undefined
    if (!members || members.length < minSize) {
      rows.push({ type: 'event', key: e.id, event: e })
      continue
    }
    const k = stormKey(e)
    if (placed.has(k)) continue
    placed.add(k)
    const sources = new Set(members.map((m) => m.camera_id || m.sensor_id || m.id)).size
    rows.push({ type: 'storm', key: k, events: members, lead: members[0]!, kind: e.kind, gridId: e.grid_id, sources })
  }
  return rows
}

// The events' groups: one per (kind, severity), lowest severity first so
// critical points draw above the rest. eventsCanvas.ts draws them.

import { KINDS, SEVERITIES, type GridEvent, type Kind, type Severity } from '../../types'

/** A group's id: ev-<kind>-<severity>. */
export type BucketId = `ev-${Kind}-${Severity}`

/** Every group, lowest severity first (drawing order). */
export const BUCKETS: readonly { id: BucketId; kind: Kind; severity: Severity }[] = SEVERITIES.flatMap((severity) =>
  KINDS.map((kind) => ({ id: `ev-${kind}-${severity}` as BucketId, kind, severity })),
)

/** bucketOf returns an event's group, or null for an unknown kind or severity. */
export function bucketOf(e: GridEvent): BucketId | null {
  return KINDS.includes(e.kind) && SEVERITIES.includes(e.severity) ? `ev-${e.kind}-${e.severity}` : null
}

/** groupEvents splits events into their groups (every group present, maybe empty). */
export function groupEvents(events: readonly GridEvent[]): Map<BucketId, GridEvent[]> {
  const m = new Map<BucketId, GridEvent[]>(BUCKETS.map((b) => [b.id, []]))
  for (const e of events) {
    const b = bucketOf(e)
    if (b) m.get(b)!.push(e)
  }
  return m
}

/** sameEvents reports whether two groups hold the same event objects in the same order. */
export function sameEvents(a: readonly GridEvent[] | undefined, b: readonly GridEvent[]): boolean {
  if (!a || a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
  return true
}

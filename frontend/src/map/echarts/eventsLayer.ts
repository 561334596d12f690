// The events layer (overlay chart): every open event as a point, coloured
// by kind and sized by severity. Points are grouped in one large-mode
// scatter series per (kind, severity) so that an update re-sends only the
// groups that changed, and critical points draw above the rest.

import { KINDS, SEVERITIES, type GridEvent, type Kind, type Severity } from '../../types'
import { kindColor, SEVERITY_SIZES } from '../../theme'

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

/** eventSeries returns the empty series of every group (the overlay's initial option). */
export function eventSeries(unit: number): Record<string, unknown>[] {
  return BUCKETS.map((b) => ({
    id: b.id,
    type: 'scatter',
    coordinateSystem: 'geo',
    geoIndex: 0,
    large: true,
    largeThreshold: 200,
    animation: false,
    silent: true,
    symbolSize: SEVERITY_SIZES[b.severity] * unit,
    itemStyle: {
      color: kindColor(b.kind),
      opacity: b.severity === 'low' ? 0.75 : 0.95,
      borderColor: b.severity === 'critical' ? '#ffffff' : 'transparent',
      borderWidth: b.severity === 'critical' ? 1.5 * unit : 0,
    },
    z: 10 + SEVERITIES.indexOf(b.severity),
    data: [],
  }))
}

/** groupData returns the scatter data of a group: [lon, lat] per event. */
export function groupData(events: readonly GridEvent[]): number[][] {
  return events.map((e) => [e.lon, e.lat])
}

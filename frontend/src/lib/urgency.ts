// Urgency: the order of the duty officers' queue. Most severe first; within
// a severity, the nearest deadline first (an overdue case has a negative
// time left, so it leads); then the oldest report; then the id, so the order
// is total and a live update never reshuffles equal rows.

import { severityRank, type GridEvent } from '../types'
import { parseTime } from './time'

/**
 * nextDeadline returns the earliest deadline still running on e (epoch ms):
 * respond_by while nobody has responded, and close_by. The server stamps
 * both into every event at ingest (the case workflow's SLA policy), so no
 * screen keeps a copy of the policy; respond_by absent means someone
 * responded. An event without deadlines (done, or stored by an older
 * server) has none: Infinity.
 */
export function nextDeadline(e: GridEvent): number {
  let t = deadlines.get(e)
  if (t === undefined) {
    const respond = parseTime(e.respond_by)
    const close = parseTime(e.close_by)
    t = Math.min(Number.isFinite(respond) ? respond : Infinity, Number.isFinite(close) ? close : Infinity)
    deadlines.set(e, t)
  }
  return t
}

// Events are immutable (an update brings a new object), so each one's
// deadline is parsed once: the wall's choropleth and the console's queue
// re-evaluate thousands every few seconds.
const deadlines = new WeakMap<GridEvent, number>()

/** slaRemaining is the time left until nextDeadline (negative: overdue by that much). */
export function slaRemaining(e: GridEvent, now: number): number {
  return nextDeadline(e) - now
}

/** isOverdue reports whether a deadline of e has passed: the server's flag, or the clock. */
export function isOverdue(e: GridEvent, now: number): boolean {
  return e.overdue === true || slaRemaining(e, now) < 0
}

interface Keyed<T> {
  item: T
  severity: number
  deadline: number
  reported: number
  id: string
}

function compareKeyed<T>(a: Keyed<T>, b: Keyed<T>): number {
  return (
    b.severity - a.severity ||
    a.deadline - b.deadline ||
    a.reported - b.reported ||
    (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  )
}

function keyOf(e: GridEvent): Keyed<GridEvent> {
  const d = nextDeadline(e)
  return { item: e, severity: severityRank(e.severity), deadline: Number.isFinite(d) ? d : Infinity, reported: parseTime(e.reported_at), id: e.id }
}

/** compareUrgency orders two events by urgency (negative: a first). */
export function compareUrgency(a: GridEvent, b: GridEvent): number {
  return compareKeyed(keyOf(a), keyOf(b))
}

/**
 * sortByUrgency returns the events in urgency order (a new array). The keys
 * are computed once per event, not per comparison: the queue sorts
 * thousands of open events every second under load.
 */
export function sortByUrgency(events: Iterable<GridEvent>): GridEvent[] {
  const keyed: Keyed<GridEvent>[] = []
  for (const e of events) keyed.push(keyOf(e))
  keyed.sort(compareKeyed)
  return keyed.map((k) => k.item)
}

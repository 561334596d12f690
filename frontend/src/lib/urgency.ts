// Urgency: the order of the duty officers' queue. Most severe first; within
// a severity, the nearest deadline first (an overdue case has a negative
// time left, so it leads); then the oldest report; then the id, so the order
// is total and a live update never reshuffles equal rows.

import { severityRank, type GridEvent } from '../types'
import { respondSLA } from './sla'
import { parseTime } from './time'

/**
 * nextDeadline returns the earliest deadline still running on e (epoch ms):
 * respond_by while nobody has responded, and close_by. The server writes
 * them into the event at its first action or deadline (close_by set means
 * the clocks started; respond_by then absent means someone responded);
 * before that they are counted from the report with the copies in sla.ts.
 */
export function nextDeadline(e: GridEvent): number {
  const close = parseTime(e.close_by)
  if (Number.isFinite(close)) {
    const respond = parseTime(e.respond_by)
    return Number.isFinite(respond) ? Math.min(respond, close) : close
  }
  return parseTime(e.reported_at) + respondSLA(e.kind, e.category, e.severity)
}

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

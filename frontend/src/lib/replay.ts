// The replay cursor: plays the records of a window (GET /api/v1/stats/replay,
// in time order) forward and back. At any moment it knows which events are
// on the map — reported or touched in the window and not done yet — and
// how many were reported and done so far. Pure: no clock, no DOM; the
// replay panel moves it with requestAnimationFrame and draws what it says.

import { isOpen, type GridEvent, type Kind, type Severity, type Status } from '../types'

/** One record of the replay as the API sends it (backend history.ReplayItem). */
export interface ReplayRecord {
  seq: number
  at: string
  type: 'event' | 'update'
  event_id: string
  from: string
  to: string
  action?: string
  actor?: string
  target?: string
  kind: Kind
  category: string
  severity: Severity
  grid_id: string
  community_id: string
  street_code: string
  lon: number
  lat: number
  title: string
  address?: string
}

/** Counts up to the cursor's time. */
export interface ReplayCounts {
  /** Records applied. */
  records: number
  /** Events reported in the window so far. */
  reported: number
  /** Events that became done (closed, rated, merged, acknowledged) so far. */
  done: number
}

/** ReplayCursor holds a window's records and the state at one moment of it. */
export class ReplayCursor {
  private readonly recs: ReplayRecord[] = []
  private readonly times: number[] = []
  private next = 0
  private t: number
  private open = new Map<string, GridEvent>()
  private list: GridEvent[] | null = []
  private counts: ReplayCounts = { records: 0, reported: 0, done: 0 }

  /** @param from, to the window in epoch ms, [from, to). */
  constructor(
    readonly from: number,
    readonly to: number,
  ) {
    this.t = from
  }

  /** time is the cursor's moment (epoch ms). */
  get time(): number {
    return this.t
  }

  /** size is the number of records loaded. */
  get size(): number {
    return this.recs.length
  }

  /** loadedUntil is the time of the last loaded record (the window's start when none). */
  get loadedUntil(): number {
    return this.times.length ? this.times[this.times.length - 1]! : this.from
  }

  /** tally returns the counts up to the cursor's time. */
  tally(): ReplayCounts {
    return { ...this.counts }
  }

  /**
   * append adds the next page. Pages come in order; a record not after the
   * last one loaded (a page fetched twice) is skipped.
   */
  append(page: readonly ReplayRecord[]): void {
    for (const r of page) {
      const at = Date.parse(r.at)
      const last = this.recs[this.recs.length - 1]
      if (!Number.isFinite(at) || (last && (at < this.loadedUntil || (at === this.loadedUntil && r.seq <= last.seq)))) continue
      this.recs.push(r)
      this.times.push(at)
    }
  }

  /**
   * advance moves forward to t (clamped to the window) and returns the
   * records applied, oldest first. A t before the cursor's time seeks.
   */
  advance(t: number): ReplayRecord[] {
    t = Math.min(Math.max(t, this.from), this.to)
    if (t < this.t) {
      this.seek(t)
      return []
    }
    this.t = t
    const start = this.next
    while (this.next < this.recs.length && this.times[this.next]! <= t) this.apply(this.recs[this.next++]!)
    return this.recs.slice(start, this.next)
  }

  /** seek sets the cursor to t, forward or back, and returns nothing applied. */
  seek(t: number): void {
    t = Math.min(Math.max(t, this.from), this.to)
    if (t < this.t) {
      this.next = 0
      this.open = new Map()
      this.list = null
      this.counts = { records: 0, reported: 0, done: 0 }
    }
    this.t = t
    while (this.next < this.recs.length && this.times[this.next]! <= t) this.apply(this.recs[this.next++]!)
  }

  /**
   * markers returns the events on the map at the cursor's time, oldest
   * first. The array and its objects stay the same until something
   * changes, so the map redraws only what is new.
   */
  markers(): readonly GridEvent[] {
    this.list ??= [...this.open.values()]
    return this.list
  }

  /** recent returns up to n of the records applied last, newest first. */
  recent(n: number): ReplayRecord[] {
    return this.recs.slice(Math.max(0, this.next - n), this.next).reverse()
  }

  private apply(r: ReplayRecord): void {
    this.counts.records++
    if (r.type === 'event') this.counts.reported++
    const done = !isOpen(r.to)
    if (done && r.from !== '' && isOpen(r.from)) this.counts.done++
    if (done) {
      if (this.open.delete(r.event_id)) this.list = null
      return
    }
    if (!this.open.has(r.event_id)) {
      this.open.set(r.event_id, markerOf(r))
      this.list = null
    }
  }
}

/** markerOf turns a record into the event shape the map adapter draws. */
function markerOf(r: ReplayRecord): GridEvent {
  return {
    id: r.event_id,
    kind: r.kind,
    source_id: '',
    source: '',
    category: r.category,
    severity: r.severity,
    status: r.to as Status,
    title: r.title,
    lon: r.lon,
    lat: r.lat,
    grid_id: r.grid_id,
    community_id: r.community_id,
    street_code: r.street_code,
    occurred_at: r.at,
    reported_at: r.at,
    updated_at: r.at,
  }
}

/** The playback speeds offered: real time up to an hour a second. */
export const REPLAY_SPEEDS = [1, 10, 60, 300, 900, 3600] as const

/** playhead returns the cursor time after realMs of playback at speed, stopping at the window's end. */
export function playhead(time: number, realMs: number, speed: number, end: number): number {
  return Math.min(end, time + realMs * speed)
}

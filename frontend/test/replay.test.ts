// The replay cursor: records played forward and back in time order.

import { describe, expect, it } from 'vitest'
import { playhead, ReplayCursor, type ReplayRecord } from '../src/lib/replay'

const T0 = Date.parse('2025-06-02T00:00:00+08:00')
const min = (m: number): string => new Date(T0 + m * 60_000).toISOString()

let seq = 0
function rec(m: number, id: string, from: string, to: string, fields: Partial<ReplayRecord> = {}): ReplayRecord {
  seq++
  return {
    seq, at: min(m), type: from === '' ? 'event' : 'update', event_id: id, from, to, kind: 'hotline', category: 'dispute',
    severity: 'medium', grid_id: 'g', community_id: 'c', street_code: 's', lon: 114.6, lat: 33.6, title: id, ...fields,
  }
}

function cursor(): ReplayCursor {
  const c = new ReplayCursor(T0, T0 + 24 * 3600_000)
  c.append([
    rec(10, 'a', '', 'reported'),
    rec(20, 'b', '', 'reported', { kind: 'camera_alert' }),
    rec(25, 'b', 'reported', 'acknowledged'),
    rec(30, 'a', 'reported', 'dispatched'),
    rec(40, 'old', 'in_progress', 'resolved'), // reported before the window
  ])
  c.append([rec(60, 'old', 'resolved', 'closed'), rec(90, 'a', 'dispatched', 'closed'), rec(95, 'a', 'closed', 'reopened')])
  return c
}

const ids = (c: ReplayCursor): string[] => c.markers().map((e) => e.id)

describe('ReplayCursor', () => {
  it('shows events from their report until they are done', () => {
    const c = cursor()
    expect(c.advance(T0 + 9 * 60_000)).toEqual([])
    expect(ids(c)).toEqual([])
    expect(c.advance(T0 + 21 * 60_000).map((r) => r.event_id)).toEqual(['a', 'b'])
    expect(ids(c)).toEqual(['a', 'b'])
    c.advance(T0 + 45 * 60_000)
    expect(ids(c)).toEqual(['a', 'old']) // b acknowledged; old appears at its first change here
    expect(c.tally()).toEqual({ records: 5, reported: 2, done: 1 })
    c.advance(T0 + 100 * 60_000)
    expect(ids(c)).toEqual(['a']) // closed, then reopened: back on the map
    expect(c.tally()).toEqual({ records: 8, reported: 2, done: 3 })
  })

  it('seeks back and forth to the same state', () => {
    const c = cursor()
    c.advance(T0 + 100 * 60_000)
    const end = { markers: ids(c), tally: c.tally() }
    c.seek(T0 + 22 * 60_000)
    expect(ids(c)).toEqual(['a', 'b'])
    expect(c.tally().records).toBe(2)
    expect(c.advance(T0 + 5 * 60_000)).toEqual([]) // backwards is a seek
    expect(ids(c)).toEqual([])
    c.seek(T0 + 100 * 60_000)
    expect({ markers: ids(c), tally: c.tally() }).toEqual(end)
  })

  it('keeps the marker array while nothing changes, so the map redraws nothing', () => {
    const c = cursor()
    c.advance(T0 + 21 * 60_000)
    const first = c.markers()
    c.advance(T0 + 22 * 60_000)
    expect(c.markers()).toBe(first)
    c.advance(T0 + 26 * 60_000)
    expect(c.markers()).not.toBe(first)
  })

  it('clamps to the window, skips records loaded twice, and lists the latest first', () => {
    const c = cursor()
    c.append([rec(90, 'a', 'dispatched', 'closed', { seq: 1 })]) // an older page again
    expect(c.size).toBe(8)
    c.advance(T0 + 48 * 3600_000)
    expect(c.time).toBe(c.to)
    expect(c.recent(2).map((r) => r.to)).toEqual(['reopened', 'closed'])
    expect(c.loadedUntil).toBe(T0 + 95 * 60_000)
  })
})

describe('playhead', () => {
  it('moves at the chosen speed and stops at the end', () => {
    expect(playhead(0, 1000, 60, 10 ** 9)).toBe(60_000)
    expect(playhead(0, 1000, 3600, 1_000_000)).toBe(1_000_000)
  })
})

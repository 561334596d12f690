// The live-state store: bounded lists, counters, updates, pulses, the
// camera card and the bound on open events.

import { beforeEach, describe, expect, it, vi } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import { useEventsStore } from '../src/stores/events'
import { mkEvent } from './helpers'

const small = {
  feedSize: 3,
  tickerSize: 2,
  tickerMinSeverity: 'high',
  pulseMs: 5_000,
  maxPulsing: 2,
  maxOpen: 4,
  cameraCardMs: 20_000,
  cameraCardHoldMs: 6_000,
  listIntervalMs: 0,
}

function store() {
  const s = useEventsStore()
  s.configure(small)
  return s
}

beforeEach(() => {
  setActivePinia(createPinia())
  vi.useFakeTimers()
  vi.setSystemTime(new Date('2026-11-25T10:00:00+08:00'))
})

describe('feed and ticker', () => {
  it('keeps the feed newest first and bounded', () => {
    const s = store()
    const evs = Array.from({ length: 5 }, () => mkEvent())
    for (const e of evs) s.addEvent(e, true)
    expect(s.feed.map((e) => e.id)).toEqual([evs[4]!.id, evs[3]!.id, evs[2]!.id])
    expect(s.received).toBe(5)
  })

  it('lists only high and critical items in the ticker, bounded', () => {
    const s = store()
    s.addEvent(mkEvent({ severity: 'low' }), true)
    const h = mkEvent({ severity: 'high' })
    const c1 = mkEvent({ severity: 'critical' })
    const c2 = mkEvent({ severity: 'critical' })
    for (const e of [h, c1, c2]) s.addEvent(e, true)
    expect(s.ticker.map((e) => e.id)).toEqual([c2.id, c1.id])
  })

  it('replaces an updated event in place and drops a closed one from the ticker', () => {
    const s = store()
    const a = mkEvent({ severity: 'critical' })
    const b = mkEvent()
    s.addEvent(a, true)
    s.addEvent(b, true)
    const closed = { ...a, status: 'closed' as const }
    s.applyUpdate({ event_id: a.id, seq: 3, at: '', from: 'reported', to: 'closed', actor: 'x' }, closed)
    expect(s.feed.map((e) => e.id)).toEqual([b.id, a.id])
    expect(s.feed[1]!.status).toBe('closed')
    expect(s.ticker).toEqual([])
    expect(s.open.has(a.id)).toBe(false)
  })

  it('starts the feed from a snapshot, newest first, without pulses', () => {
    const s = store()
    const old = mkEvent({ reported_at: '2026-11-25T01:00:00Z' })
    const mid = mkEvent({ reported_at: '2026-11-25T01:30:00Z' })
    const recent = mkEvent({ reported_at: '2026-11-25T01:50:00Z', severity: 'high' })
    s.replaceAll([old, recent, mid])
    expect(s.feed.map((e) => e.id)).toEqual([recent.id, mid.id, old.id])
    expect(s.ticker.map((e) => e.id)).toEqual([recent.id])
    expect(s.pulses).toEqual([])
  })
})

describe('list publication', () => {
  it('publishes the feed at most every listIntervalMs when coalescing', () => {
    const s = useEventsStore()
    s.configure({ ...small, listIntervalMs: 500 })
    s.addEvent(mkEvent(), true)
    vi.advanceTimersByTime(0)
    expect(s.feed.length).toBe(1)
    for (let i = 0; i < 10; i++) s.addEvent(mkEvent(), true)
    expect(s.feed.length).toBe(1)
    vi.advanceTimersByTime(500)
    expect(s.feed.length).toBe(3)
    expect(s.received).toBe(11)
  })
})

describe('counters and the open set', () => {
  it('bumps version on every change', () => {
    const s = store()
    const v0 = s.version
    s.addEvent(mkEvent(), false)
    s.replaceAll([])
    s.clear()
    expect(s.version).toBe(v0 + 3)
  })

  it('does not add an event that arrives closed', () => {
    const s = store()
    s.addEvent(mkEvent({ status: 'acknowledged' }), true)
    expect(s.open.size).toBe(0)
    expect(s.feed.length).toBe(1)
    expect(s.pulses).toEqual([])
  })

  it('bounds the open set, dropping the oldest lowest-severity events first', () => {
    const s = store()
    s.configure({ ...small, maxOpen: 20 })
    const lowOld = mkEvent({ severity: 'low', reported_at: '2026-11-20T00:00:00Z' })
    const lowNew = mkEvent({ severity: 'low', reported_at: '2026-11-24T00:00:00Z' })
    const others = Array.from({ length: 19 }, () => mkEvent({ severity: 'medium' }))
    for (const e of [lowNew, ...others, lowOld]) s.addEvent(e, false)
    // 21 > 20: down to 95 % (19), the two lows first.
    expect(s.open.size).toBe(19)
    expect(s.open.has(lowOld.id)).toBe(false)
    expect(s.open.has(lowNew.id)).toBe(false)
    expect(others.every((e) => s.open.has(e.id))).toBe(true)
  })
})

describe('pulses and the camera card', () => {
  it('pulses only the newest few, for pulseMs', () => {
    const s = store()
    const [a, b, c] = [mkEvent(), mkEvent(), mkEvent()]
    s.addEvent(a, true)
    s.addEvent(b, true)
    s.addEvent(c, true)
    expect(s.pulses.map((p) => p.event.id)).toEqual([c.id, b.id])
    expect(s.expire(Date.now() + 4_999)).toBe(false)
    expect(s.expire(Date.now() + 5_000)).toBe(true)
    expect(s.pulses).toEqual([])
  })

  it('pops a card for a live camera alert and holds it against a less severe one', () => {
    const s = store()
    const first = mkEvent({ kind: 'camera_alert', camera_id: 'C1', severity: 'high' })
    s.addEvent(first, true)
    expect(s.cameraCard?.event.id).toBe(first.id)
    vi.advanceTimersByTime(1_000)
    s.addEvent(mkEvent({ kind: 'camera_alert', camera_id: 'C2', severity: 'medium' }), true)
    expect(s.cameraCard?.event.id).toBe(first.id)
    const critical = mkEvent({ kind: 'camera_alert', camera_id: 'C3', severity: 'critical' })
    s.addEvent(critical, true)
    expect(s.cameraCard?.event.id).toBe(critical.id)
    vi.advanceTimersByTime(6_000)
    const later = mkEvent({ kind: 'camera_alert', camera_id: 'C4', severity: 'low' })
    s.addEvent(later, true)
    expect(s.cameraCard?.event.id).toBe(later.id)
    expect(s.expire(Date.now() + 20_000)).toBe(true)
    expect(s.cameraCard).toBeNull()
  })

  it('pops no card for an alert reported long ago', () => {
    const s = store()
    s.addEvent(mkEvent({ kind: 'camera_alert', camera_id: 'C1', reported_at: '2026-11-24T00:00:00Z' }), true)
    expect(s.cameraCard).toBeNull()
  })

  it('takes the card down when its alert is acknowledged', () => {
    const s = store()
    const a = mkEvent({ kind: 'camera_alert', camera_id: 'C1' })
    s.addEvent(a, true)
    s.applyUpdate({ event_id: a.id, seq: 2, at: '', from: 'reported', to: 'acknowledged', actor: 'x' }, { ...a, status: 'acknowledged' })
    expect(s.cameraCard).toBeNull()
    expect(s.pulses).toEqual([])
  })
})

// Coalescing: bursts of marks become a few flushes; back-off delays.

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { Coalescer } from '../src/lib/coalesce'
import { Backoff } from '../src/lib/backoff'
import { pushBounded } from '../src/lib/bounded'

beforeEach(() => {
  vi.useFakeTimers()
})
afterEach(() => {
  vi.useRealTimers()
})

describe('Coalescer', () => {
  it('flushes the first mark at once and folds a burst into one flush per interval', () => {
    const flush = vi.fn()
    const c = new Coalescer(flush, 250)
    c.mark()
    vi.advanceTimersByTime(0)
    expect(flush).toHaveBeenCalledTimes(1)
    // 1,000 events in the next second (one per ms): at most 4 more flushes.
    for (let i = 0; i < 1000; i++) {
      c.mark()
      vi.advanceTimersByTime(1)
    }
    vi.advanceTimersByTime(250)
    expect(flush.mock.calls.length).toBeGreaterThanOrEqual(4)
    expect(flush.mock.calls.length).toBeLessThanOrEqual(5)
  })

  it('spaces flushes at least intervalMs apart', () => {
    const times: number[] = []
    const c = new Coalescer(() => times.push(Date.now()), 250)
    for (let i = 0; i < 2000; i++) {
      c.mark()
      vi.advanceTimersByTime(1)
    }
    for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(250)
  })

  it('does nothing without marks, flushes early with now(), and stops', () => {
    const flush = vi.fn()
    const c = new Coalescer(flush, 1000)
    vi.advanceTimersByTime(5000)
    expect(flush).not.toHaveBeenCalled()
    c.mark()
    vi.advanceTimersByTime(0)
    c.mark()
    c.now()
    expect(flush).toHaveBeenCalledTimes(2)
    c.mark()
    c.stop()
    vi.advanceTimersByTime(5000)
    c.mark()
    vi.advanceTimersByTime(5000)
    expect(flush).toHaveBeenCalledTimes(2)
    expect(c.flushes).toBe(2)
  })
})

describe('Backoff', () => {
  it('grows exponentially within the jitter band and caps', () => {
    const b = new Backoff({ baseDelayMs: 500, maxDelayMs: 15_000, jitter: 0.5 })
    const seen: number[] = []
    for (let i = 0; i < 10; i++) seen.push(b.next())
    seen.forEach((d, i) => {
      const nominal = Math.min(15_000, 500 * 2 ** i)
      expect(d).toBeGreaterThanOrEqual(nominal * 0.5)
      expect(d).toBeLessThanOrEqual(Math.min(15_000, nominal * 1.5))
    })
    expect(b.attempts).toBe(10)
    b.reset()
    expect(b.attempts).toBe(0)
  })
})

describe('pushBounded', () => {
  it('puts the item first, removes its older copy and trims', () => {
    const key = (s: { id: string }) => s.id
    const list = [{ id: 'b' }, { id: 'a' }, { id: 'c' }]
    expect(pushBounded(list, { id: 'a' }, 3, key).map(key)).toEqual(['a', 'b', 'c'])
    expect(pushBounded(list, { id: 'd' }, 3, key).map(key)).toEqual(['d', 'a', 'b'])
  })
})

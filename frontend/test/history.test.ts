// The history API normalisers accept the plausible response shapes.

import { describe, expect, it } from 'vitest'
import { normalizeHotspots, normalizeSummary, normalizeTrend } from '../src/api/history'

describe('normalizeTrend', () => {
  const want = {
    buckets: ['2026-11-24', '2026-11-25'],
    series: [
      { key: 'hotline', values: [3, 4] },
      { key: 'grid_event', values: [1, 0] },
    ],
  }

  it('reads rows of {day, key, count}', () => {
    const t = normalizeTrend({
      rows: [
        { day: '2026-11-24', key: 'hotline', count: 3 },
        { day: '2026-11-25', key: 'hotline', count: 4 },
        { day: '2026-11-24', key: 'grid_event', count: 1 },
      ],
    })
    expect(t).toEqual(want)
  })

  it('reads series of points', () => {
    const t = normalizeTrend({
      series: [
        { key: 'hotline', points: [{ date: '2026-11-24T00:00:00+08:00', value: 3 }, { date: '2026-11-25', value: 4 }] },
        { kind: 'grid_event', points: [{ date: '2026-11-24', value: 1 }] },
      ],
    })
    expect(t).toEqual(want)
  })

  it('reads series of values aligned with buckets', () => {
    const t = normalizeTrend({ buckets: ['2026-11-24', '2026-11-25'], series: [{ key: 'hotline', values: [3, 4] }, { key: 'grid_event', values: [1, 0] }] })
    expect(t).toEqual(want)
  })

  it('reads buckets with a counts object', () => {
    const t = normalizeTrend({ buckets: [{ start: '2026-11-24', counts: { hotline: 3, grid_event: 1 } }, { start: '2026-11-25', counts: { hotline: 4 } }] })
    expect(t.buckets).toEqual(want.buckets)
    expect(t.series.find((s) => s.key === 'grid_event')?.values).toEqual([1, 0])
  })

  it('turns anything else into an empty trend', () => {
    expect(normalizeTrend(null)).toEqual({ buckets: [], series: [] })
    expect(normalizeTrend({ nope: 1 })).toEqual({ buckets: [], series: [] })
  })
})

describe('normalizeHotspots and normalizeSummary', () => {
  it('reads grids, sorted by count', () => {
    expect(normalizeHotspots({ grids: [{ grid_id: 'a', count: 1 }, { grid_id: 'b', count: 5, name: 'B', change: { abs: 2 } }, { bad: 1 }] })).toEqual([
      { gridId: 'b', name: 'B', count: 5, change: 2 },
      { gridId: 'a', name: 'a', count: 1, change: null },
    ])
  })

  it('reads the closure rate as a fraction, a percentage or a comparison', () => {
    expect(normalizeSummary({ closure_rate: 0.98 }).closureRate).toBe(0.98)
    expect(normalizeSummary({ closure_rate: 98 }).closureRate).toBe(0.98)
    expect(normalizeSummary({ current: { closure_rate: { value: 0.5 } }, total: 10 })).toEqual({ closureRate: 0.5, total: 10 })
    expect(normalizeSummary('x')).toEqual({ total: null, closureRate: null })
  })
})

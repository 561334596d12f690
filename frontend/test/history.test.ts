// The history API normalisers accept the plausible response shapes.

import { describe, expect, it } from 'vitest'
import { normalizeComebacks, normalizeHotspots, normalizeSummary, normalizeTrend } from '../src/api/history'

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

  it('reads the documented shape: buckets and series of counts', () => {
    const t = normalizeTrend({
      buckets: ['2026-11-24', '2026-11-25'],
      series: [
        { key: 'hotline', label: '12345热线', total: 7, counts: [3, 4] },
        { key: 'grid_event', label: '网格事件', total: 1, counts: [1, 0] },
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
  it('reads the documented hotspots and heatmap risk', () => {
    expect(normalizeHotspots({ items: [{ key: '411602001-001', count: 9, previous: 4, change_pct: 125 }] })).toEqual([
      { gridId: '411602001-001', name: '411602001-001', count: 9, change: null },
    ])
    expect(normalizeComebacks({ cells: [{ grid_id: 'a', count: 3, risk: { open: 1, overdue: 0, comebacks: 2, score: 7, level: 'medium' } }, { grid_id: 'b', count: 1 }], max: 3 })).toEqual(
      new Map([['a', 2]]),
    )
  })

  it('reads grids, sorted by count', () => {
    expect(normalizeHotspots({ grids: [{ grid_id: 'a', count: 1 }, { grid_id: 'b', count: 5, name: 'B', change: { abs: 2 } }, { bad: 1 }] })).toEqual([
      { gridId: 'b', name: 'B', count: 5, change: 2 },
      { gridId: 'a', name: 'a', count: 1, change: null },
    ])
  })

  it('reads the documented summary', () => {
    const raw = {
      current: { period: { from: '2026-11-23', to: '2026-11-25' }, figures: { reported: 120, closure_rate: 0.9, on_time_rate: 0.8 } },
      previous: { figures: { reported: 100, closure_rate: 0.5 } },
      vs_previous: { closure_rate_pp: 40 },
    }
    expect(normalizeSummary(raw)).toEqual({ total: 120, closureRate: 0.9 })
  })

  it('reads the closure rate as a fraction, a percentage or a comparison', () => {
    expect(normalizeSummary({ closure_rate: 0.98 }).closureRate).toBe(0.98)
    expect(normalizeSummary({ closure_rate: 98 }).closureRate).toBe(0.98)
    expect(normalizeSummary({ current: { closure_rate: { value: 0.5 } }, total: 10 })).toEqual({ closureRate: 0.5, total: 10 })
    expect(normalizeSummary('x')).toEqual({ total: null, closureRate: null })
  })
})

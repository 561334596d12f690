// Map helpers that need no browser: label points, event grouping, chart options.

import { describe, expect, it } from 'vitest'
import { labelPoint, inPolygon } from '../src/lib/geometry'
import { BUCKETS, groupEvents, sameEvents } from '../src/map/echarts/eventsLayer'
import { kindTrendOption } from '../src/charts/options'
import { mkEvent } from './helpers'
import type { Position } from '../src/api/geo'

describe('labelPoint', () => {
  it('puts the label inside a concave (U-shaped) polygon, where the centroid is not', () => {
    const u: Position[] = [[0, 0], [3, 0], [3, 3], [2, 3], [2, 1], [1, 1], [1, 3], [0, 3], [0, 0]]
    const p = labelPoint({ type: 'Polygon', coordinates: [u] })
    expect(inPolygon(p, [u])).toBe(true)
    expect(inPolygon([1.5, 1.8], [u])).toBe(false)
  })
})

describe('event groups', () => {
  it('groups by kind and severity, lowest severity first', () => {
    expect(BUCKETS.length).toBe(16)
    expect(BUCKETS[0]!.severity).toBe('low')
    expect(BUCKETS[15]!.severity).toBe('critical')
    const a = mkEvent({ kind: 'hotline', severity: 'high' })
    const b = mkEvent({ kind: 'warning', severity: 'low' })
    const g = groupEvents([a, b, mkEvent({ kind: 'bogus' as never })])
    expect(g.get('ev-hotline-high')).toEqual([a])
    expect(g.get('ev-warning-low')).toEqual([b])
    expect([...g.values()].flat().length).toBe(2)
  })

  it('compares groups by identity, so an updated event counts as a change', () => {
    const a = mkEvent()
    expect(sameEvents([a], [a])).toBe(true)
    expect(sameEvents([a], [{ ...a }])).toBe(false)
    expect(sameEvents(undefined, [])).toBe(false)
  })
})

describe('kindTrendOption', () => {
  it('replaces today with the live counts, or appends today', () => {
    const trend = { buckets: ['2026-11-24', '2026-11-25'], series: [{ key: 'hotline', values: [3, 4] }] }
    const o = kindTrendOption(trend, { day: '2026-11-25', byKind: { hotline: 9, warning: 1 } }) as { series: { name: string; data: number[] }[] }
    expect(o.series.find((s) => s.name === '12345热线')?.data).toEqual([3, 9])
    expect(o.series.find((s) => s.name === '预警')?.data).toEqual([0, 1])
    const o2 = kindTrendOption(trend, { day: '2026-11-26', byKind: { hotline: 2 } }) as { xAxis: { data: string[] }; series: { name: string; data: number[] }[] }
    expect(o2.xAxis.data).toEqual(['11-24', '11-25', '11-26'])
    expect(o2.series.find((s) => s.name === '12345热线')?.data).toEqual([3, 4, 2])
  })
})

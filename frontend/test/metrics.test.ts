// Choropleth metrics: open, overdue and risk per grid.

import { describe, expect, it } from 'vitest'
import { computeValues, isOverdue, PIECES, riskLevel } from '../src/map/metrics'
import { mkEvent } from './helpers'

const now = Date.parse('2026-11-25T12:00:00Z')
const hoursAgo = (h: number) => new Date(now - h * 3_600_000).toISOString()

describe('metrics', () => {
  it('counts open events per grid', () => {
    const evs = [mkEvent({ grid_id: 'g1' }), mkEvent({ grid_id: 'g1' }), mkEvent({ grid_id: 'g2' }), mkEvent({ grid_id: '' })]
    const v = computeValues(evs, 'open', now)
    expect(Object.fromEntries(v.values)).toEqual({ g1: 2, g2: 1 })
  })

  it('counts overdue events by severity limits', () => {
    const critical3h = mkEvent({ grid_id: 'g1', severity: 'critical', reported_at: hoursAgo(3) })
    const critical1h = mkEvent({ grid_id: 'g1', severity: 'critical', reported_at: hoursAgo(1) })
    const low5d = mkEvent({ grid_id: 'g2', severity: 'low', reported_at: hoursAgo(120) })
    const low8d = mkEvent({ grid_id: 'g2', severity: 'low', reported_at: hoursAgo(200) })
    expect(isOverdue(critical3h, now)).toBe(true)
    expect(isOverdue(critical1h, now)).toBe(false)
    expect(isOverdue(low5d, now)).toBe(false)
    const v = computeValues([critical3h, critical1h, low5d, low8d], 'overdue', now)
    expect(Object.fromEntries(v.values)).toEqual({ g1: 1, g2: 1 })
    expect(v.overdueTotal).toBe(2)
  })

  it('grades risk from severity weights, overdue counting double', () => {
    expect([0, 1, 3, 4, 7, 8, 15, 16, 100].map(riskLevel)).toEqual([0, 1, 1, 2, 2, 3, 3, 4, 4])
    const v = computeValues(
      [
        mkEvent({ grid_id: 'g1', severity: 'critical', reported_at: hoursAgo(0) }), // 8
        mkEvent({ grid_id: 'g2', severity: 'low', reported_at: hoursAgo(0) }), // 1
        mkEvent({ grid_id: 'g3', severity: 'critical', reported_at: hoursAgo(3) }), // 16 (overdue)
      ],
      'risk',
      now,
    )
    expect(Object.fromEntries(v.values)).toEqual({ g1: 3, g2: 1, g3: 4 })
  })

  it('has legend classes that cover every value without gaps', () => {
    for (const pieces of Object.values(PIECES)) {
      expect(pieces[0]!.min).toBe(0)
      for (let i = 1; i < pieces.length; i++) expect(pieces[i]!.min).toBe(pieces[i - 1]!.max + 1)
      expect(pieces[pieces.length - 1]!.max === Infinity || pieces === PIECES.risk).toBe(true)
    }
  })
})

// Choropleth metrics: open, overdue and risk per grid.

import { describe, expect, it } from 'vitest'
import { isOverdue } from '../src/lib/urgency'
import { computeValues, PIECES, riskLevel } from '../src/map/metrics'
import { mkEvent } from './helpers'

const now = Date.parse('2026-11-25T12:00:00Z')
const hoursAgo = (h: number) => new Date(now - h * 3_600_000).toISOString()

describe('metrics', () => {
  it('counts open events per grid', () => {
    const evs = [mkEvent({ grid_id: 'g1' }), mkEvent({ grid_id: 'g1' }), mkEvent({ grid_id: 'g2' }), mkEvent({ grid_id: '' })]
    const v = computeValues(evs, 'open', now)
    expect(Object.fromEntries(v.values)).toEqual({ g1: 2, g2: 1 })
  })

  it('counts overdue events: the server flag, then the deadlines the event carries', () => {
    const closePassed = mkEvent({ grid_id: 'g1', close_by: hoursAgo(1), reported_at: hoursAgo(13) })
    const closeAhead = mkEvent({ grid_id: 'g1', respond_by: hoursAgo(-1), close_by: hoursAgo(-11), reported_at: hoursAgo(1) })
    const flagged = mkEvent({ grid_id: 'g2', overdue: true, close_by: hoursAgo(-48), reported_at: hoursAgo(0) })
    // Without deadlines (stored by an older server): never overdue by the clock, however old.
    const noDeadlines = mkEvent({ grid_id: 'g2', reported_at: hoursAgo(5000) })
    const respondPassed = mkEvent({ grid_id: 'g3', respond_by: hoursAgo(0.1), close_by: hoursAgo(-48), reported_at: hoursAgo(1) })
    const deadlinesAhead = mkEvent({ grid_id: 'g3', respond_by: hoursAgo(-1), reported_at: hoursAgo(500) })
    expect(isOverdue(closePassed, now)).toBe(true)
    expect(isOverdue(closeAhead, now)).toBe(false)
    expect(isOverdue(flagged, now)).toBe(true)
    expect(isOverdue(noDeadlines, now)).toBe(false)
    expect(isOverdue(respondPassed, now)).toBe(true)
    expect(isOverdue(deadlinesAhead, now)).toBe(false)
    const v = computeValues([closePassed, closeAhead, flagged, noDeadlines, respondPassed, deadlinesAhead], 'overdue', now)
    expect(Object.fromEntries(v.values)).toEqual({ g1: 1, g2: 1, g3: 1 })
    expect(v.overdueTotal).toBe(3)
  })

  it('grades risk as backend/history/risk.go does', () => {
    expect([0, 1, 5, 6, 14, 15, 100].map(riskLevel)).toEqual([0, 1, 1, 2, 2, 3, 3])
    const v = computeValues(
      [
        mkEvent({ grid_id: 'g1', severity: 'critical', reported_at: hoursAgo(0) }), // 5: low
        mkEvent({ grid_id: 'g2', severity: 'critical', overdue: true, reported_at: hoursAgo(0) }), // 5 + 2: medium
        mkEvent({ grid_id: 'g3', severity: 'low', reported_at: hoursAgo(0) }), // 1 + 3 × 5 comebacks: high
      ],
      'risk',
      now,
      new Map([['g3', 5], ['g4', 2]]), // g4: comebacks alone, 6: medium
    )
    expect(Object.fromEntries(v.values)).toEqual({ g1: 1, g2: 2, g3: 3, g4: 2 })
  })

  it('has legend classes that cover every value without gaps', () => {
    for (const pieces of Object.values(PIECES)) {
      expect(pieces[0]!.min).toBe(0)
      for (let i = 1; i < pieces.length; i++) expect(pieces[i]!.min).toBe(pieces[i - 1]!.max + 1)
      expect(pieces[pieces.length - 1]!.max === Infinity || pieces === PIECES.risk).toBe(true)
    }
  })
})

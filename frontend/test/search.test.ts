// The console's two-part search: which texts go to the history, which
// history rows are listed under the live results, and the history's
// failures in Chinese.

import { describe, expect, it } from 'vitest'
import { ApiError } from '../src/api/http'
import type { FoundCase } from '../src/api/search'
import { historyErrorMessage, historyOnly, historyText } from '../src/lib/historySearch'
import { T } from '../src/strings'
import { mkEvent } from './helpers'

function found(id: string): FoundCase {
  return {
    event_id: id,
    kind: 'hotline',
    category: 'housing',
    severity: 'medium',
    title: `历史事件 ${id}`,
    address: '',
    grid_id: '411602001-001',
    community_id: '411602001-C01',
    street_code: '411602001',
    reported_at: '2025-06-02T01:00:00Z',
    status: 'closed',
    assignee: '',
  }
}

describe('historyText', () => {
  it.each([
    { name: 'trimmed', q: '  漏水 ', want: '漏水' },
    { name: 'two Latin letters', q: 'ab', want: 'ab' },
    { name: 'a hundred characters beyond the BMP', q: '𠀀'.repeat(100), want: '𠀀'.repeat(100) },
    { name: 'one character is too short', q: ' 漏 ', want: null },
    { name: 'blank', q: '   ', want: null },
    { name: 'too long', q: 'a'.repeat(101), want: null },
  ])('$name', ({ q, want }) => {
    expect(historyText(q)).toBe(want)
  })
})

describe('historyOnly', () => {
  it.each([
    { name: 'no live results: every history row', live: [], found: ['h1', 'h2'], rows: ['h1', 'h2'], repeated: 0 },
    { name: 'a case in both is listed live only', live: ['h2', 'x'], found: ['h1', 'h2', 'h3'], rows: ['h1', 'h3'], repeated: 1 },
    { name: 'everything already listed', live: ['h1', 'h2'], found: ['h2', 'h1'], rows: [], repeated: 2 },
    { name: 'the history order is kept', live: ['x'], found: ['h3', 'h1', 'h2'], rows: ['h3', 'h1', 'h2'], repeated: 0 },
  ])('$name', ({ live, found: ids, rows, repeated }) => {
    const got = historyOnly(
      live.map((id) => mkEvent({ id })),
      ids.map(found),
    )
    expect(got.rows.map((f) => f.event_id)).toEqual(rows)
    expect(got.repeated).toBe(repeated)
  })
})

describe('historyErrorMessage', () => {
  it.each([
    { name: 'ClickHouse down', err: new ApiError(503, 'unavailable', 'the history store (ClickHouse) is unavailable'), want: T.conHistoryUnavailable },
    { name: 'offline', err: new ApiError(0, 'network', 'Failed to fetch'), want: T.conHistoryFailed + T.errOffline },
    { name: 'a text the server refuses', err: new ApiError(400, 'invalid', 'q must be 2 to 100 characters', 'q'), want: T.conHistoryShort },
    { name: 'no stats.read', err: new ApiError(403, 'forbidden', 'this route (needs stats.read)'), want: T.conHistoryForbidden },
    { name: 'not an ApiError', err: new Error('boom'), want: T.conHistoryFailed + T.errUnavailable },
  ])('$name', ({ err, want }) => {
    expect(historyErrorMessage(err)).toBe(want)
  })
})

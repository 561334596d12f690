// The history search (GET /api/v1/stats/search; docs/history.md): cases of
// the whole history in ClickHouse, closed long ago or open now, by part of
// the title or address, or the event or source id. The duty console asks it
// beside the live list, which holds only open cases and those done within
// the last 30 days.

import type { CaseRow } from './review'
import { getJSON, query } from './http'

/** One case the history search found (backend history.CaseRow). */
export interface FoundCase extends CaseRow {
  reported_at: string
}

/** One page of the history search, newest report first. */
export interface HistorySearch {
  q: string
  period: { from: string; to: string }
  /** Matches counted up to the server's cap; total_capped: at least that many. */
  total: number
  total_capped: boolean
  offset: number
  limit: number
  items: FoundCase[]
}

/** searchHistory asks the history for q over the server's default period (the last 365 days). */
export function searchHistory(q: string, limit: number, signal?: AbortSignal): Promise<HistorySearch> {
  return getJSON<HistorySearch>('/api/v1/stats/search' + query({ q, limit }), { signal, timeoutMs: 30_000 })
}

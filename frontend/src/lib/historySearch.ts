// The console's two-part search as pure functions: whether a text can be
// asked of the history at all, which history rows to list under the live
// results (a case in both is listed once, from the live list, where its
// detail and actions are), and why the history part failed.

import { ApiError } from '../api/http'
import type { FoundCase } from '../api/search'
import { T } from '../strings'

/** The history search's bounds of q in characters (backend history.MinSearchText, MaxSearchText). */
export const HISTORY_TEXT = { min: 2, max: 100 } as const

/**
 * historyText returns q as the history search takes it, trimmed, or null
 * when it is shorter or longer than the server accepts (counted in
 * characters, as the server counts them, not UTF-16 units).
 */
export function historyText(q: string): string | null {
  const t = q.trim()
  const n = [...t].length
  return n >= HISTORY_TEXT.min && n <= HISTORY_TEXT.max ? t : null
}

/** The history rows to list, and how many were left out as already listed live. */
export interface HistoryRows {
  rows: FoundCase[]
  repeated: number
}

/** historyOnly leaves out of found every case the live results list, keeping the history's order. */
export function historyOnly(live: readonly { id: string }[], found: readonly FoundCase[]): HistoryRows {
  const listed = new Set(live.map((e) => e.id))
  const rows = found.filter((f) => !listed.has(f.event_id))
  return { rows, repeated: found.length - rows.length }
}

/** historyErrorMessage explains, in Chinese, why the history search failed (the live results stand). */
export function historyErrorMessage(err: unknown): string {
  if (!(err instanceof ApiError)) return T.conHistoryFailed + T.errUnavailable
  switch (err.status) {
    case 0:
      return T.conHistoryFailed + T.errOffline
    case 400:
      return T.conHistoryShort
    case 401:
      return T.conHistoryFailed + T.loginExpired
    case 403:
      return T.conHistoryForbidden
    case 429:
      return T.conHistoryFailed + T.errRateLimited(err.retryAfter ?? 5)
  }
  return err.unavailable ? T.conHistoryUnavailable : T.conHistoryFailed + T.errUnavailable
}

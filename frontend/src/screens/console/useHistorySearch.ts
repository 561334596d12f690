// The history half of the console's search: one request at a time (a new
// search aborts the one in flight), its state for HistoryResults, and a
// failure that stays in this half — the live results above do not depend
// on ClickHouse.

import { shallowRef } from 'vue'
import { ApiError } from '../../api/http'
import { searchHistory, type HistorySearch } from '../../api/search'
import { CONSOLE } from '../../config'
import { historyErrorMessage, historyText } from '../../lib/historySearch'

/** Where the history search stands. */
export type HistoryState =
  | { status: 'idle' }
  | { status: 'short' } // the text is too short or too long to ask
  | { status: 'loading' }
  | { status: 'ok'; page: HistorySearch }
  | { status: 'error'; message: string }

export function useHistorySearch() {
  const state = shallowRef<HistoryState>({ status: 'idle' })
  let abort: AbortController | null = null

  /** run asks the history for q; the state says how it went. */
  async function run(q: string): Promise<void> {
    abort?.abort()
    const text = historyText(q)
    if (!text) {
      state.value = { status: 'short' }
      return
    }
    const mine = (abort = new AbortController())
    state.value = { status: 'loading' }
    try {
      const page = await searchHistory(text, CONSOLE.historyLimit, mine.signal)
      if (abort === mine) state.value = { status: 'ok', page }
    } catch (err) {
      if (abort !== mine || (err instanceof ApiError && err.code === 'network' && mine.signal.aborted)) return
      state.value = { status: 'error', message: historyErrorMessage(err) }
    }
  }

  /** clear forgets the results (and aborts a search in flight). */
  function clear(): void {
    abort?.abort()
    abort = null
    state.value = { status: 'idle' }
  }

  return { state, run, clear }
}

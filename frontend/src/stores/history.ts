// The history panels' data (last 7 days by kind, categories this week, top
// grids this week, closure-rate trend and the closure KPIs), refreshed on a
// slow cadence. A missing or failing stats API (404/503 while the history
// service is down or not built) leaves a panel in the `unavailable` state,
// which the panel shows as an empty state; the next try comes sooner.

import { defineStore } from 'pinia'
import { ref, shallowRef } from 'vue'
import { fetchComebacks, fetchHotspots, fetchSummary, fetchTrend, type Hotspot, type Trend } from '../api/history'
import { ApiError } from '../api/http'
import { HISTORY } from '../config'
import { addDays, isoDay, mondayOf } from '../lib/time'

/** The state of one panel's data. */
export type PanelStatus = 'loading' | 'ok' | 'unavailable'

/** One panel's data with its state and the time it was fetched. */
export interface Panel<T> {
  status: PanelStatus
  data: T | null
  updatedAt: number | null
}

const empty = <T>(): Panel<T> => ({ status: 'loading', data: null, updatedAt: null })

/** The closure rate of each of the last 7 days, oldest first. */
export interface ClosureTrend {
  days: string[]
  rates: (number | null)[]
}

export const useHistoryStore = defineStore('history', () => {
  const byKind7d = shallowRef<Panel<Trend>>(empty())
  const categoriesWeek = shallowRef<Panel<Trend>>(empty())
  const topGridsWeek = shallowRef<Panel<Hotspot[]>>(empty())
  const closureTrend = shallowRef<Panel<ClosureTrend>>(empty())
  const closureToday = ref<number | null>(null)
  const closureWeek = ref<number | null>(null)
  /** Per grid, disputes that came back within 30 days (part of the risk level); empty while unknown. */
  const comebacks = shallowRef<ReadonlyMap<string, number>>(new Map())
  const refreshes = ref(0)

  let timer: ReturnType<typeof setTimeout> | null = null
  let users = 0

  /** load runs one request; an unavailable API gives null instead of throwing. */
  async function load<T>(f: () => Promise<T>): Promise<{ ok: true; v: T } | { ok: false }> {
    try {
      return { ok: true, v: await f() }
    } catch (err) {
      if (!(err instanceof ApiError)) console.warn('history request failed', err)
      return { ok: false }
    }
  }

  /** settle stores a panel's result; a failure keeps the last data but marks it unavailable. */
  function settle<T>(target: { value: Panel<T> }, r: { ok: true; v: T } | { ok: false }, now: number): boolean {
    target.value = r.ok ? { status: 'ok', data: r.v, updatedAt: now } : { ...target.value, status: 'unavailable' }
    return r.ok
  }

  /** refresh fetches every panel once; returns whether all succeeded. */
  async function refresh(now = Date.now()): Promise<boolean> {
    refreshes.value++
    const today = isoDay(now)
    const weekStart = mondayOf(now)
    const days = Array.from({ length: 7 }, (_, i) => addDays(today, i - 6))
    const [kind, cats, top, week, risk, ...daily] = await Promise.all([
      load(() => fetchTrend({ from: days[0] ?? today, to: today }, 'kind')),
      load(() => fetchTrend({ from: weekStart, to: today }, 'category')),
      load(() => fetchHotspots({ from: weekStart, to: today }, 10)),
      load(() => fetchSummary({ from: weekStart, to: today })),
      load(() => fetchComebacks({ from: today, to: today })),
      ...days.map((d) => load(() => fetchSummary({ from: d, to: d }))),
    ])
    const t = Date.now()
    let ok = settle(byKind7d, kind, t)
    ok = settle(categoriesWeek, cats, t) && ok
    ok = settle(topGridsWeek, top, t) && ok
    const rates = daily.map((r) => (r.ok ? r.v.closureRate : null))
    const anyDaily = daily.some((r) => r.ok)
    closureTrend.value = anyDaily
      ? { status: 'ok', data: { days, rates }, updatedAt: t }
      : { ...closureTrend.value, status: 'unavailable' }
    closureWeek.value = week.ok ? week.v.closureRate : null
    if (risk.ok) comebacks.value = risk.v
    closureToday.value = rates[rates.length - 1] ?? null
    return ok && week.ok && anyDaily
  }

  function schedule(ms: number): void {
    timer = setTimeout(() => {
      void refresh().then((ok) => {
        if (users > 0) schedule(ok ? HISTORY.refreshMs : HISTORY.retryMs)
      })
    }, ms)
  }

  /** start begins the refresh loop (counted: screens sharing the store start and stop it). */
  function start(): void {
    users++
    if (users === 1) schedule(0)
  }

  /** stop ends the refresh loop when its last user stops. */
  function stop(): void {
    users = Math.max(0, users - 1)
    if (users === 0 && timer !== null) {
      clearTimeout(timer)
      timer = null
    }
  }

  return { byKind7d, categoriesWeek, topGridsWeek, closureTrend, closureToday, closureWeek, comebacks, refreshes, refresh, start, stop }
})

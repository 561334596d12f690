// The review of one week: every table and chart of /review and its print
// page, loaded side by side when the week changes. Each section has its
// own state, so one failing query (ClickHouse busy, a 503) leaves the
// others on screen. A newer week's answers win over an older week's that
// arrive late.

import { defineStore } from 'pinia'
import { ref, shallowRef } from 'vue'
import {
  fetchCheckins,
  fetchDepartmentNames,
  fetchHeatmap,
  fetchHotspots,
  fetchOverdue,
  fetchRecurring,
  fetchSummary,
  fetchTrend,
  type CheckinsResponse,
  type HeatmapResponse,
  type HotspotsResponse,
  type LateCasesResponse,
  type LateList,
  type PeriodQuery,
  type RecurringResponse,
  type Summary,
  type TrendResponse,
} from '../api/review'
import { addDays } from '../lib/time'
import { weekDays, weekLabel, type IsoWeek } from '../lib/week'

/** One section's data and state. */
export interface Section<T> {
  status: 'loading' | 'ok' | 'error'
  data: T | null
}

const loading = <T>(): Section<T> => ({ status: 'loading', data: null })

/** Rows per page of the late-case tables on screen. */
export const LATE_PAGE = 15

/** The recurring list looks back this many days from the week's Sunday (the API's default span). */
export const RECURRING_DAYS = 90

/** The streets ranked (all of 川汇区's 15). */
export const STREETS_TOP = 30

export const useReviewStore = defineStore('review', () => {
  const week = ref<IsoWeek | null>(null)
  const summary = shallowRef<Section<Summary>>(loading())
  const byKind = shallowRef<Section<TrendResponse>>(loading())
  const byCategory = shallowRef<Section<TrendResponse>>(loading())
  const streets = shallowRef<Section<HotspotsResponse>>(loading())
  const heatmap = shallowRef<Section<HeatmapResponse>>(loading())
  const recurring = shallowRef<Section<RecurringResponse>>(loading())
  const lateOpen = shallowRef<Section<LateCasesResponse>>(loading())
  const lateClosed = shallowRef<Section<LateCasesResponse>>(loading())
  const checkins = shallowRef<Section<CheckinsResponse>>(loading())
  const departments = shallowRef<ReadonlyMap<string, string>>(new Map())
  let generation = 0

  /** period is the stats API's period of the week shown. */
  function period(): PeriodQuery {
    return { week: week.value ? weekLabel(week.value) : '' }
  }

  async function into<T>(target: { value: Section<T> }, gen: number, f: () => Promise<T>): Promise<void> {
    try {
      const data = await f()
      if (gen === generation) target.value = { status: 'ok', data }
    } catch (err) {
      if (gen === generation) target.value = { status: 'error', data: null }
      console.warn('review request failed', err)
    }
  }

  /** load fetches every section of week w; pageSize is the late tables' (the print page shows more). */
  async function load(w: IsoWeek, pageSize = LATE_PAGE): Promise<void> {
    const gen = ++generation
    week.value = w
    const p = period()
    const { to } = weekDays(w)
    for (const s of [summary, byKind, byCategory, streets, heatmap, recurring, lateOpen, lateClosed, checkins]) {
      ;(s as { value: Section<unknown> }).value = loading()
    }
    await Promise.all([
      into(summary, gen, () => fetchSummary(p)),
      into(byKind, gen, () => fetchTrend(p, 'kind')),
      into(byCategory, gen, () => fetchTrend(p, 'category')),
      into(streets, gen, () => fetchHotspots(p, 'street', STREETS_TOP)),
      into(heatmap, gen, () => fetchHeatmap(p)),
      into(recurring, gen, () => fetchRecurring({ from: addDays(to, 1 - RECURRING_DAYS), to })),
      into(lateOpen, gen, () => fetchOverdue(p, 'open', pageSize, 0)),
      into(lateClosed, gen, () => fetchOverdue(p, 'closed_late', pageSize, 0)),
      into(checkins, gen, () => fetchCheckins(p)),
      departments.value.size ? Promise.resolve() : fetchDepartmentNames().then((m) => (departments.value = m)),
    ])
  }

  /** pageLate shows another page of one late-case list. */
  async function pageLate(list: LateList, offset: number, pageSize = LATE_PAGE): Promise<void> {
    const target = list === 'open' ? lateOpen : lateClosed
    await into(target, generation, () => fetchOverdue(period(), list, pageSize, Math.max(0, offset)))
  }

  /** departmentName returns a department's name, or its id while the directory is unknown. */
  function departmentName(id: string): string {
    return departments.value.get(id) ?? id
  }

  return {
    week,
    summary,
    byKind,
    byCategory,
    streets,
    heatmap,
    recurring,
    lateOpen,
    lateClosed,
    checkins,
    departments,
    period,
    load,
    pageLate,
    departmentName,
  }
})

// The review screens' API: the stats of one period (docs/history.md, "The
// API"), the CSV export links and who is logged in. The shapes are the
// server's documented ones (backend/history), typed as they come.

import { getJSON, query } from './http'
import type { ReplayRecord } from '../lib/replay'
import type { Kind, Severity, Status } from '../types'

/** A period of the stats API: an ISO week or from/to days (inclusive). */
export type PeriodQuery = { week: string } | { from: string; to: string }

/** The KPIs of one period (backend history.Figures). */
export interface Figures {
  reported: number
  by_kind: Partial<Record<Kind, number>>
  done: number
  closings: number
  on_time: number
  ratings: number
  satisfied: number
  closure_rate: number | null
  on_time_rate: number | null
  satisfaction: number | null
  handling_p50_s: number | null
  handling_p90_s: number | null
}

/** A change against a reference period (backend history.Change). */
export interface Change {
  reported_pct: number | null
  by_kind_pct: Partial<Record<Kind, number | null>>
  closure_rate_pp: number | null
  on_time_rate_pp: number | null
  satisfaction_pp: number | null
  handling_p50_pct: number | null
  handling_p90_pct: number | null
}

/** A period as the server echoes it. */
export interface Period {
  from: string
  to: string
  week?: string
}

/** GET /stats/summary. */
export interface Summary {
  current: { period: Period; figures: Figures }
  previous: { period: Period; figures: Figures }
  year_ago: { period: Period; figures: Figures }
  vs_previous: Change
  vs_year_ago: Change
}

/** GET /stats/trend. */
export interface TrendResponse {
  buckets: string[]
  series: { key: string; label: string; total: number; counts: number[] }[]
}

/** GET /stats/hotspots. */
export interface HotspotsResponse {
  level: 'grid' | 'street'
  items: { key: string; count: number; previous: number; change_pct: number | null }[]
}

/** GET /stats/recurring. */
export interface RecurringResponse {
  period: Period
  within_days: number
  items: { place: string; grid_id: string; count: number; max_in_window: number; window_from: string; window_to: string; last: string }[]
}

/** GET /stats/heatmap. */
export interface HeatmapResponse {
  max: number
  cells: { grid_id: string; count: number }[]
}

/** Which late-case list. */
export type LateList = 'open' | 'closed_late'

/**
 * A case as the history's lists give it (late cases, the history search):
 * title and address masked as the server decides for the caller.
 */
export interface CaseRow {
  event_id: string
  kind: Kind
  category: string
  severity: Severity
  title: string
  address: string
  grid_id: string
  community_id: string
  street_code: string
  /** The state now. */
  status: Status
  /** The last dispatch target; '' when never dispatched. */
  assignee: string
}

/** One late case (backend history.LateCase). */
export interface LateCase extends CaseRow {
  reported_at: string
  due_at: string
  closed_at?: string
  late_s: number
}

/** GET /stats/overdue. */
export interface LateCasesResponse {
  list: LateList
  now: string
  open_overdue: number
  closed_late: number
  offset: number
  limit: number
  items: LateCase[]
}

/** One department's check-ins (backend history.DepartmentCheckins). */
export interface DepartmentCheckins {
  department: string
  summoned: number
  on_time: number
  late: number
  missed: number
  pending: number
  on_time_rate: number | null
  median_s: number | null
  p90_s: number | null
}

/** GET /stats/checkins. */
export interface CheckinsResponse {
  departments: DepartmentCheckins[]
  total: DepartmentCheckins
}

/** GET /stats/replay. */
export interface ReplayPage {
  from: string
  to: string
  total: number
  items: ReplayRecord[]
  next?: string
}

const base = '/api/v1/stats/'
const opts = { timeoutMs: 30_000 }

const params = (p: PeriodQuery, more: Record<string, string | number | undefined> = {}): string => query({ ...p, ...more })

export const fetchSummary = (p: PeriodQuery): Promise<Summary> => getJSON(base + 'summary' + params(p), opts)

export const fetchTrend = (p: PeriodQuery, split: 'kind' | 'category', granularity = 'day'): Promise<TrendResponse> =>
  getJSON(base + 'trend' + params(p, { split, granularity }), opts)

export const fetchHotspots = (p: PeriodQuery, level: 'grid' | 'street', top: number): Promise<HotspotsResponse> =>
  getJSON(base + 'hotspots' + params(p, { level, top }), opts)

export const fetchRecurring = (p: PeriodQuery): Promise<RecurringResponse> =>
  getJSON(base + 'recurring' + params(p, { category: 'dispute', at: 'address' }), opts)

export const fetchHeatmap = (p: PeriodQuery): Promise<HeatmapResponse> => getJSON(base + 'heatmap' + params(p), opts)

export const fetchOverdue = (p: PeriodQuery, list: LateList, limit: number, offset: number): Promise<LateCasesResponse> =>
  getJSON(base + 'overdue' + params(p, { list, limit, offset }), opts)

export const fetchCheckins = (p: PeriodQuery): Promise<CheckinsResponse> => getJSON(base + 'checkins' + params(p), opts)

/** fetchReplay reads one page of a window, after a previous page's next cursor. */
export const fetchReplay = (p: PeriodQuery, after: string | undefined, limit: number): Promise<ReplayPage> =>
  getJSON(base + 'replay' + params(p, { after, limit }), opts)

/** A directory entry (GET /api/v1/directory; needs events.read). */
interface DirectoryEntry {
  id: string
  name: string
}

/** fetchDepartmentNames returns id → name; empty when the role may not read the directory. */
export async function fetchDepartmentNames(): Promise<Map<string, string>> {
  try {
    const body = await getJSON<{ entries: DirectoryEntry[] }>('/api/v1/directory?kind=department', opts)
    return new Map(body.entries.map((e) => [e.id, e.name]))
  } catch {
    return new Map()
  }
}

/** The tables the export serves (GET /api/v1/export/:table). */
export type ExportTable = 'summary' | 'trend' | 'hotspots' | 'recurring' | 'overdue' | 'checkins'

/** exportURL is the download link of a table with its stats endpoint's parameters. */
export function exportURL(table: ExportTable, p: PeriodQuery, more: Record<string, string | number | undefined> = {}): string {
  return `/api/v1/export/${table}` + params(p, more)
}

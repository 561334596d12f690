// The history stats API (/api/v1/stats/…; docs/history.md "The API").
// Responses are normalised here into the few shapes the panels draw, so a
// change of the wire format touches this file only. The documented shapes
// come first in each normaliser; a few other plausible spellings are
// accepted too, and anything else becomes an empty result, never an
// exception in a panel.

import { getJSON, query } from './http'
import { HISTORY } from '../config'

/** Counts per bucket (day) and per key (kind, category …), aligned with buckets. */
export interface Trend {
  buckets: string[]
  series: { key: string; values: number[] }[]
}

/** One hotspot grid of a period. */
export interface Hotspot {
  gridId: string
  name: string
  count: number
  /** Change versus the previous period (count difference), when the server sends it. */
  change: number | null
}

/** The KPIs of a period the wall uses. */
export interface Summary {
  total: number | null
  /** 办结率 in [0, 1], null when the server does not send it. */
  closureRate: number | null
}

/** A period: district-local dates, inclusive. */
export interface Period {
  from: string
  to: string
}

type Obj = Record<string, unknown>

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v)

/** pick returns the first of keys that o has, as unknown. */
function pick(o: Obj, ...keys: string[]): unknown {
  for (const k of keys) if (k in o) return o[k]
  return undefined
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null)
const str = (v: unknown): string | null => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : null)

const BUCKET_KEYS = ['day', 'date', 'bucket', 'start', 't', 'period']
const SPLIT_KEYS = ['key', 'split', 'kind', 'category', 'name', 'street_code', 'grid_id']
const COUNT_KEYS = ['count', 'value', 'n', 'events', 'total']

/** rowsOf finds the list of rows in a response: the body itself or its first array field. */
function rowsOf(raw: unknown, ...keys: string[]): unknown[] {
  if (Array.isArray(raw)) return raw
  if (!isObj(raw)) return []
  for (const k of keys) if (Array.isArray(raw[k])) return raw[k] as unknown[]
  return []
}

/**
 * normalizeTrend accepts
 *   {buckets:[day…], series:[{key, label, total, counts:[n…]}]} (docs/history.md),
 *   {series:[{key, points:[{day, count}]}]},
 *   {rows:[{day, key, count}]} (also buckets/points/data/items),
 *   {buckets:[{day, counts:{key: n}}]}.
 */
export function normalizeTrend(raw: unknown): Trend {
  const cells = new Map<string, Map<string, number>>() // key → bucket → count
  const bucketSet = new Set<string>()
  const add = (bucket: string | null, key: string | null, count: number | null): void => {
    if (bucket === null || key === null || count === null) return
    const b = bucket.slice(0, 10)
    bucketSet.add(b)
    let m = cells.get(key)
    if (!m) cells.set(key, (m = new Map()))
    m.set(b, (m.get(b) ?? 0) + count)
  }
  const topBuckets = isObj(raw) && Array.isArray(raw.buckets) && raw.buckets.every((b) => typeof b === 'string') ? (raw.buckets as string[]) : null
  const series = isObj(raw) && Array.isArray(raw.series) ? raw.series : null
  if (series) {
    for (const s of series) {
      if (!isObj(s)) continue
      const key = str(pick(s, ...SPLIT_KEYS))
      const pts = pick(s, 'counts', 'points', 'data', 'values', 'buckets')
      if (!Array.isArray(pts)) continue
      pts.forEach((p, i) => {
        if (isObj(p)) add(str(pick(p, ...BUCKET_KEYS)), key, num(pick(p, ...COUNT_KEYS)))
        else if (topBuckets) add(topBuckets[i] ?? null, key, num(p))
      })
    }
  } else {
    for (const r of rowsOf(raw, 'rows', 'buckets', 'points', 'data', 'items', 'trend')) {
      if (!isObj(r)) continue
      const bucket = str(pick(r, ...BUCKET_KEYS))
      const counts = pick(r, 'counts', 'by', 'values', 'split')
      if (isObj(counts)) {
        for (const [k, v] of Object.entries(counts)) add(bucket, k, num(v))
      } else {
        add(bucket, str(pick(r, ...SPLIT_KEYS.filter((k) => k !== 'name'))) ?? 'total', num(pick(r, ...COUNT_KEYS)))
      }
    }
  }
  for (const b of topBuckets ?? []) bucketSet.add(b.slice(0, 10))
  const buckets = [...bucketSet].sort()
  return {
    buckets,
    series: [...cells.entries()].map(([key, m]) => ({ key, values: buckets.map((b) => m.get(b) ?? 0) })),
  }
}

/** normalizeHotspots accepts {grids:[…]} (also items/hotspots/rows/data) or a bare array. */
export function normalizeHotspots(raw: unknown): Hotspot[] {
  const out: Hotspot[] = []
  for (const r of rowsOf(raw, 'items', 'grids', 'hotspots', 'rows', 'data')) {
    if (!isObj(r)) continue
    const gridId = str(pick(r, 'grid_id', 'id', 'key'))
    const count = num(pick(r, ...COUNT_KEYS))
    if (gridId === null || count === null) continue
    const change = pick(r, 'change', 'delta', 'diff')
    out.push({
      gridId,
      name: str(pick(r, 'name', 'grid_name', 'label')) ?? gridId,
      count,
      change: num(isObj(change) ? pick(change, 'count', 'abs', 'value') : change),
    })
  }
  return out.sort((a, b) => b.count - a.count)
}

/** rate reads a rate given as a fraction, a percentage or {value|current|rate}. */
function rate(v: unknown): number | null {
  if (isObj(v)) return rate(pick(v, 'value', 'current', 'rate'))
  const n = num(v)
  if (n === null) return null
  return n > 1 ? n / 100 : n
}

/**
 * normalizeSummary accepts {current:{period, figures:{reported, closure_rate…}}}
 * (docs/history.md), or closure_rate at the top or under current/kpis.
 */
export function normalizeSummary(raw: unknown): Summary {
  if (!isObj(raw)) return { total: null, closureRate: null }
  const current = isObj(raw.current) ? raw.current : null
  const scope = [current?.figures, current, raw, raw.kpis, raw.summary].filter(isObj)
  let closureRate: number | null = null
  let total: number | null = null
  for (const o of scope) {
    closureRate ??= rate(pick(o, 'closure_rate', 'closureRate', 'closed_rate'))
    const t = pick(o, 'reported', 'total', 'events', 'count')
    total ??= num(isObj(t) ? pick(t, 'value', 'current', 'total') : t)
  }
  return { total, closureRate }
}

const base = '/api/v1/stats/'
const opts = { timeoutMs: HISTORY.timeoutMs }

/** fetchTrend gets daily counts of a period split by `split` (kind, category, street or grid). */
export async function fetchTrend(p: Period, split: string): Promise<Trend> {
  return normalizeTrend(await getJSON(base + 'trend' + query({ ...p, granularity: 'day', split }), opts))
}

/** fetchHotspots gets the period's grids with most events. */
export async function fetchHotspots(p: Period, top = 10): Promise<Hotspot[]> {
  return normalizeHotspots(await getJSON(base + 'hotspots' + query({ ...p, level: 'grid', top }), opts)).slice(0, top)
}

/**
 * normalizeComebacks reads heatmap?risk=true: {cells:[{grid_id, count,
 * risk:{comebacks…}}]} → grid id → disputes that came back within 30 days.
 */
export function normalizeComebacks(raw: unknown): Map<string, number> {
  const out = new Map<string, number>()
  for (const c of rowsOf(raw, 'cells', 'items', 'rows')) {
    if (!isObj(c)) continue
    const id = str(pick(c, 'grid_id', 'key'))
    const risk = c.risk
    const n = isObj(risk) ? num(risk.comebacks) : null
    if (id !== null && n !== null && n > 0) out.set(id, n)
  }
  return out
}

/** fetchComebacks gets each grid's recurring disputes (the history part of the risk level). */
export async function fetchComebacks(p: Period): Promise<Map<string, number>> {
  return normalizeComebacks(await getJSON(base + 'heatmap' + query({ ...p, risk: 'true' }), opts))
}

/** fetchSummary gets the period's KPIs. */
export async function fetchSummary(p: Period): Promise<Summary> {
  return normalizeSummary(await getJSON(base + 'summary' + query({ ...p }), opts))
}

// How the review writes its figures: rates as percentages, durations in
// the unit a meeting reads, and changes with their direction. Pure
// functions, tested without a browser.

import type { Figures, Summary } from '../../api/review'
import { kindLabel, R } from '../../strings'
import { KINDS } from '../../types'

/** rate writes 0.9812 as 98.1%; null as —. */
export function rate(v: number | null | undefined): string {
  return v === null || v === undefined || !Number.isFinite(v) ? R.noChange : `${(v * 100).toFixed(1)}%`
}

/** count writes an integer with thousands separators. */
export function count(n: number | null | undefined): string {
  return n === null || n === undefined ? R.noChange : n.toLocaleString('zh-CN')
}

/** duration writes seconds as minutes below 2 hours, hours below 3 days, else days and hours. */
export function duration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return R.noChange
  if (seconds < 7200) return `${Math.round(seconds / 60)}${R.unitMinutes}`
  const hours = seconds / 3600
  if (hours < 72) return `${hours.toFixed(1)}${R.unitHours}`
  const days = Math.floor(hours / 24)
  return `${days}${R.unitDays}${Math.round(hours - days * 24)}${R.unitHours}`
}

/** Which way of a figure is good news. */
export type Better = 'up' | 'down' | 'neither'

/** A change as the KPI tiles show it. */
export interface ChangeText {
  text: string
  tone: 'good' | 'bad' | 'flat'
}

/**
 * change writes a change against a reference period: per cent ("+12.3%")
 * for counts and times, percentage points ("-1.2个百分点") for rates; null
 * (nothing to compare with) is a dash. tone says whether it is good news.
 */
export function change(v: number | null | undefined, unit: 'pct' | 'pp', better: Better): ChangeText {
  if (v === null || v === undefined || !Number.isFinite(v)) return { text: R.noChange, tone: 'flat' }
  const rounded = Math.round(v * 10) / 10
  const sign = rounded > 0 ? '+' : rounded < 0 ? '−' : '±'
  const text = `${sign}${Math.abs(rounded).toFixed(1)}${unit === 'pct' ? '%' : R.points}`
  if (rounded === 0 || better === 'neither') return { text, tone: 'flat' }
  return { text, tone: (rounded > 0) === (better === 'up') ? 'good' : 'bad' }
}

/** dateTime writes an RFC 3339 time as MM-DD HH:MM in the district's zone. */
export function dateTime(iso: string | undefined, zone = 'Asia/Shanghai'): string {
  if (!iso) return ''
  const t = Date.parse(iso)
  if (!Number.isFinite(t)) return ''
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone: zone, month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
    .formatToParts(t)
    .reduce<Record<string, string>>((m, p) => ({ ...m, [p.type]: p.value }), {})
  return `${parts.month}-${parts.day} ${parts.hour}:${parts.minute}`
}

/** One row of the printed KPI table. */
export interface KpiRowText {
  label: string
  current: string
  previous: string
  yearAgo: string
  vsPrevious: ChangeText
  vsYearAgo: ChangeText
}

/** kpiRows lays the summary out as the printed report's table (the CSV export's rows, backend report.Summary). */
export function kpiRows(s: Summary): KpiRowText[] {
  const [c, p, y] = [s.current.figures, s.previous.figures, s.year_ago.figures]
  const row = (label: string, f: (x: Figures) => string, vp: number | null, vy: number | null, unit: 'pct' | 'pp', better: Better): KpiRowText => ({
    label,
    current: f(c),
    previous: f(p),
    yearAgo: f(y),
    vsPrevious: change(vp, unit, better),
    vsYearAgo: change(vy, unit, better),
  })
  return [
    row(R.kpiReported, (x) => count(x.reported), s.vs_previous.reported_pct, s.vs_year_ago.reported_pct, 'pct', 'neither'),
    ...KINDS.map((k) =>
      row(`\u3000${kindLabel(k)}`, (x) => count(x.by_kind[k] ?? 0), s.vs_previous.by_kind_pct[k] ?? null, s.vs_year_ago.by_kind_pct[k] ?? null, 'pct', 'neither'),
    ),
    row(R.kpiClosure, (x) => rate(x.closure_rate), s.vs_previous.closure_rate_pp, s.vs_year_ago.closure_rate_pp, 'pp', 'up'),
    row(R.kpiOnTime, (x) => rate(x.on_time_rate), s.vs_previous.on_time_rate_pp, s.vs_year_ago.on_time_rate_pp, 'pp', 'up'),
    row(R.kpiSatisfaction, (x) => rate(x.satisfaction), s.vs_previous.satisfaction_pp, s.vs_year_ago.satisfaction_pp, 'pp', 'up'),
    row(R.kpiHandling, (x) => duration(x.handling_p50_s), s.vs_previous.handling_p50_pct, s.vs_year_ago.handling_p50_pct, 'pct', 'down'),
  ]
}

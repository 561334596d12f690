// The ECharts options of the history panels, as pure functions of their
// data (tested without a browser). Sizes are design units.

import type { Hotspot, Trend } from '../api/history'
import type { ClosureTrend } from '../stores/history'
import { categoryLabel, kindLabel, T } from '../strings'
import { kindColor, THEME } from '../theme'
import { KINDS, type Kind } from '../types'

type Option = Record<string, unknown>

const axisLabel = { color: THEME.muted, fontSize: 15 }
const splitLine = { lineStyle: { color: 'rgba(29, 74, 114, 0.45)' } }
const grid = { left: 8, right: 16, top: 36, bottom: 4, containLabel: true }

/** shortDay turns 2025-06-01 into 06-01. */
const shortDay = (d: string): string => d.slice(5)

/**
 * kindTrendOption draws events per day stacked by kind. `today` (live
 * counts by kind) replaces the last day when it is today, so the bar of
 * today moves with the live stream instead of waiting for the next refresh.
 */
export function kindTrendOption(trend: Trend, today?: { day: string; byKind: Partial<Record<Kind, number>> }): Option {
  const days = [...trend.buckets]
  const rows = new Map(trend.series.map((s) => [s.key, [...s.values]]))
  if (today && today.day) {
    let i = days.indexOf(today.day)
    if (i < 0 && (days.length === 0 || today.day > (days[days.length - 1] ?? ''))) {
      days.push(today.day)
      for (const v of rows.values()) v.push(0)
      i = days.length - 1
    }
    if (i >= 0) {
      for (const k of KINDS) {
        if (!rows.has(k)) rows.set(k, days.map(() => 0))
        rows.get(k)![i] = today.byKind[k] ?? 0
      }
    }
  }
  const keys = [...KINDS.filter((k) => rows.has(k)), ...[...rows.keys()].filter((k) => !KINDS.includes(k as Kind))]
  return {
    animation: false,
    legend: { top: 0, right: 0, itemWidth: 14, itemHeight: 10, textStyle: { color: THEME.text, fontSize: 15 } },
    grid,
    xAxis: { type: 'category', data: days.map(shortDay), axisLabel, axisLine: { lineStyle: { color: THEME.border } } },
    yAxis: { type: 'value', axisLabel, splitLine, minInterval: 1 },
    series: keys.map((k) => ({
      name: kindLabel(k),
      type: 'bar',
      stack: 'kind',
      barWidth: '55%',
      itemStyle: { color: kindColor(k) },
      data: rows.get(k),
    })),
  }
}

/** categoryOption draws the week's categories (summed over days), largest first, top n. */
export function categoryOption(trend: Trend, n = 8): Option {
  const totals = trend.series
    .map((s) => ({ key: s.key, total: s.values.reduce((a, b) => a + b, 0) }))
    .filter((s) => s.total > 0)
    .sort((a, b) => b.total - a.total)
    .slice(0, n)
    .reverse()
  return {
    animation: false,
    grid: { ...grid, top: 8 },
    xAxis: { type: 'value', axisLabel, splitLine, minInterval: 1 },
    yAxis: { type: 'category', data: totals.map((t) => categoryLabel(t.key)), axisLabel: { ...axisLabel, color: THEME.text, fontSize: 16, interval: 0 } },
    series: [
      {
        type: 'bar',
        barWidth: '60%',
        itemStyle: { color: THEME.accent, borderRadius: [0, 3, 3, 0] },
        label: { show: true, position: 'right', color: THEME.text, fontSize: 15 },
        data: totals.map((t) => t.total),
      },
    ],
  }
}

/** topGridsOption draws the week's top grids; names come from nameOf (street + grid). */
export function topGridsOption(spots: readonly Hotspot[], nameOf: (id: string) => string): Option {
  const rows = [...spots].slice(0, 10).reverse()
  return {
    animation: false,
    grid: { ...grid, top: 8 },
    xAxis: { type: 'value', axisLabel, splitLine, minInterval: 1 },
    yAxis: {
      type: 'category',
      data: rows.map((s) => nameOf(s.gridId)),
      axisLabel: { ...axisLabel, color: THEME.text, fontSize: 14, width: 210, overflow: 'truncate', interval: 0 },
    },
    series: [
      {
        type: 'bar',
        barWidth: '60%',
        itemStyle: { color: '#ffb020', borderRadius: [0, 3, 3, 0] },
        label: { show: true, position: 'right', color: THEME.text, fontSize: 15 },
        data: rows.map((s) => s.count),
      },
    ],
  }
}

/** closureOption draws the closure rate per day in percent. */
export function closureOption(c: ClosureTrend): Option {
  return {
    animation: false,
    grid: { ...grid, top: 16 },
    xAxis: { type: 'category', data: c.days.map(shortDay), axisLabel, boundaryGap: false },
    yAxis: {
      type: 'value',
      max: 100,
      min: (v: { min: number }) => Math.max(0, Math.floor(v.min / 10) * 10 - 10),
      axisLabel: { ...axisLabel, formatter: '{value}%' },
      splitLine,
    },
    series: [
      {
        name: T.chartClosure,
        type: 'line',
        smooth: true,
        connectNulls: true,
        symbolSize: 8,
        lineStyle: { width: 3, color: THEME.good },
        itemStyle: { color: THEME.good },
        areaStyle: { color: 'rgba(61, 220, 151, 0.15)' },
        // Only the latest day is labelled; the axis reads the others.
        label: { show: false, color: THEME.text, fontSize: 16, fontWeight: 700, position: 'top', formatter: (p: { value: number }) => `${p.value}%` },
        data: c.rates.map((r, i) => {
          const value = r === null ? null : Math.round(r * 1000) / 10
          return i === c.rates.length - 1 ? { value, label: { show: true } } : value
        }),
      },
    ],
  }
}

/** hasData reports whether a trend has any non-zero count. */
export function hasData(t: Trend | null): boolean {
  return !!t && t.series.some((s) => s.values.some((v) => v > 0))
}

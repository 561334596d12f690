// The ECharts options of the review screens, as pure functions of the
// stats answers (tested without a browser). `ink` picks the colours: the
// dark screen, or the printed page (dark text on white paper).

import type { HotspotsResponse, TrendResponse } from '../api/review'
import { R, T } from '../strings'
import { kindColor, THEME } from '../theme'
import { KINDS, type Kind } from '../types'

type Option = Record<string, unknown>

/** Where a chart is drawn. */
export type Ink = 'screen' | 'print'

const INK = {
  screen: { text: THEME.text, muted: THEME.muted, line: 'rgba(29, 74, 114, 0.45)', bar: THEME.accent, ghost: 'rgba(127, 155, 181, 0.35)' },
  print: { text: '#1a1a1a', muted: '#555555', line: '#dddddd', bar: '#1f6fb2', ghost: '#c8d3de' },
}

const grid = { left: 8, right: 24, top: 36, bottom: 4, containLabel: true }

/** dayLabel turns 2025-06-02 into 周一 06-02. */
export function dayLabel(day: string): string {
  const wd = new Date(`${day}T00:00:00Z`).getUTCDay()
  return `${T.weekdays[wd]} ${day.slice(5)}`
}

/** dailyKindOption stacks each day's events by kind. */
export function dailyKindOption(t: TrendResponse, ink: Ink = 'screen'): Option {
  const c = INK[ink]
  const axisLabel = { color: c.muted, fontSize: ink === 'print' ? 10 : 13 }
  const series = [...t.series].sort((a, b) => KINDS.indexOf(a.key as Kind) - KINDS.indexOf(b.key as Kind))
  return {
    animation: false,
    legend: { top: 0, right: 0, itemWidth: 12, itemHeight: 9, textStyle: { color: c.text, fontSize: ink === 'print' ? 10 : 13 } },
    grid,
    xAxis: { type: 'category', data: t.buckets.map(dayLabel), axisLabel, axisLine: { lineStyle: { color: c.line } } },
    yAxis: { type: 'value', axisLabel, splitLine: { lineStyle: { color: c.line } }, minInterval: 1 },
    series: series.map((s) => ({
      name: s.label,
      type: 'bar',
      stack: 'kind',
      barWidth: '55%',
      itemStyle: { color: kindColor(s.key) },
      data: s.counts,
    })),
  }
}

/** categoryOption draws the week's categories, largest first, top n. */
export function categoryOption(t: TrendResponse, n = 10, ink: Ink = 'screen'): Option {
  const c = INK[ink]
  const rows = t.series
    .filter((s) => s.total > 0)
    .slice(0, n)
    .reverse()
  return {
    animation: false,
    grid: { ...grid, top: 8 },
    xAxis: { type: 'value', axisLabel: { color: c.muted, fontSize: ink === 'print' ? 10 : 13 }, splitLine: { lineStyle: { color: c.line } }, minInterval: 1 },
    yAxis: { type: 'category', data: rows.map((s) => s.label), axisLabel: { color: c.text, fontSize: ink === 'print' ? 10 : 14, interval: 0 } },
    series: [
      {
        type: 'bar',
        barWidth: '60%',
        itemStyle: { color: c.bar, borderRadius: [0, 3, 3, 0] },
        label: { show: true, position: 'right', color: c.text, fontSize: ink === 'print' ? 10 : 13 },
        data: rows.map((s) => s.total),
      },
    ],
  }
}

/** streetRankOption ranks the streets by the week's events, with last week's as a ghost bar. */
export function streetRankOption(h: HotspotsResponse, nameOf: (code: string) => string, ink: Ink = 'screen'): Option {
  const c = INK[ink]
  const rows = [...h.items].reverse()
  return {
    animation: false,
    legend: { top: 0, right: 0, itemWidth: 12, itemHeight: 9, textStyle: { color: c.text, fontSize: 13 } },
    grid: { ...grid, top: 28 },
    xAxis: { type: 'value', axisLabel: { color: c.muted, fontSize: 12 }, splitLine: { lineStyle: { color: c.line } }, minInterval: 1 },
    yAxis: { type: 'category', data: rows.map((r) => nameOf(r.key)), axisLabel: { color: c.text, fontSize: 13, interval: 0 } },
    series: [
      {
        name: R.colPrevious,
        type: 'bar',
        barGap: '-100%',
        barWidth: '64%',
        itemStyle: { color: c.ghost },
        data: rows.map((r) => r.previous),
        z: 1,
      },
      {
        name: R.thisWeek,
        type: 'bar',
        barWidth: '40%',
        itemStyle: { color: '#ffb020', borderRadius: [0, 3, 3, 0] },
        label: { show: true, position: 'right', color: c.text, fontSize: 12 },
        data: rows.map((r) => r.count),
        z: 2,
      },
    ],
  }
}

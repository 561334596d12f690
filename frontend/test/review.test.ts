// The review's pure parts: figures as text, the heat classes, the KPI
// table of the printed report and the chart options.

import { describe, expect, it } from 'vitest'
import type { Summary, TrendResponse } from '../src/api/review'
import { categoryOption, dailyKindOption, dayLabel, streetRankOption } from '../src/charts/reviewOptions'
import { fromLocalInput, toLocalInput } from '../src/lib/time'
import { heatPieces } from '../src/map/heat'
import { change, count, duration, kpiRows, rate } from '../src/screens/review/format'

describe('figures as text', () => {
  it('writes rates, counts and durations', () => {
    expect(rate(0.98765)).toBe('98.8%')
    expect(rate(null)).toBe('—')
    expect(count(12345)).toBe('12,345')
    expect(duration(59 * 60)).toBe('59分钟')
    expect(duration(5 * 3600)).toBe('5.0小时')
    expect(duration(76 * 3600)).toBe('3天4小时')
    expect(duration(null)).toBe('—')
  })

  it.each([
    [12.34, 'pct', 'neither', '+12.3%', 'flat'],
    [-1.26, 'pp', 'up', '−1.3个百分点', 'bad'],
    [2, 'pp', 'up', '+2.0个百分点', 'good'],
    [-8, 'pct', 'down', '−8.0%', 'good'],
    [0.01, 'pct', 'down', '±0.0%', 'flat'],
    [null, 'pct', 'up', '—', 'flat'],
  ] as const)('change %s %s (better %s) is %s, %s', (v, unit, better, text, tone) => {
    expect(change(v, unit, better)).toEqual({ text, tone })
  })
})

describe('heatPieces', () => {
  it('uses fixed small classes for a quiet week', () => {
    const p = heatPieces(4)
    expect(p.map((x) => x.label)).toEqual(['无', '1', '2–3', '4–6', '7–10', '≥11'])
  })

  it('scales to a busy week so the largest counts get the top class', () => {
    for (const max of [11, 64, 700, 12345]) {
      const p = heatPieces(max)
      expect(p).toHaveLength(6)
      const top = p[p.length - 1]!
      expect(max).toBeGreaterThanOrEqual(top.min)
      for (let i = 1; i < p.length; i++) expect(p[i]!.min).toBe(i === 1 ? 1 : p[i - 1]!.max + 1)
    }
    expect(heatPieces(64).map((x) => x.label)).toEqual(['无', '1–10', '11–20', '21–30', '31–40', '≥41'])
  })
})

const figures = (reported: number, closure: number | null) => ({
  reported, by_kind: { hotline: reported }, done: 0, closings: 0, on_time: 0, ratings: 0, satisfied: 0,
  closure_rate: closure, on_time_rate: null, satisfaction: null, handling_p50_s: 7200, handling_p90_s: null,
})

describe('kpiRows', () => {
  it('lays out the summary with its changes', () => {
    const s: Summary = {
      current: { period: { from: '2025-06-02', to: '2025-06-08' }, figures: figures(120, 0.9) },
      previous: { period: { from: '2025-05-26', to: '2025-06-01' }, figures: figures(100, 0.85) },
      year_ago: { period: { from: '2024-06-03', to: '2024-06-09' }, figures: figures(0, null) },
      vs_previous: { reported_pct: 20, by_kind_pct: { hotline: 20 }, closure_rate_pp: 5, on_time_rate_pp: null, satisfaction_pp: null, handling_p50_pct: 0, handling_p90_pct: null },
      vs_year_ago: { reported_pct: null, by_kind_pct: {}, closure_rate_pp: null, on_time_rate_pp: null, satisfaction_pp: null, handling_p50_pct: null, handling_p90_pct: null },
    }
    const rows = kpiRows(s)
    expect(rows[0]).toMatchObject({ label: '上报事件', current: '120', previous: '100', yearAgo: '0', vsPrevious: { text: '+20.0%' }, vsYearAgo: { text: '—' } })
    expect(rows.find((r) => r.label.endsWith('12345热线'))).toMatchObject({ current: '120', vsPrevious: { text: '+20.0%' } })
    expect(rows.find((r) => r.label === '办结率')).toMatchObject({ current: '90.0%', yearAgo: '—', vsPrevious: { text: '+5.0个百分点', tone: 'good' } })
  })
})

describe('review charts', () => {
  const trend: TrendResponse = {
    buckets: ['2025-06-02', '2025-06-03'],
    series: [
      { key: 'hotline', label: '12345热线', total: 7, counts: [3, 4] },
      { key: 'grid_event', label: '网格事件', total: 1, counts: [1, 0] },
      { key: 'warning', label: '预警', total: 0, counts: [0, 0] },
    ],
  }

  it('labels days with their weekday and stacks kinds in their order', () => {
    expect(dayLabel('2025-06-02')).toBe('周一 06-02')
    const o = dailyKindOption(trend) as { series: { name: string; data: number[] }[]; xAxis: { data: string[] } }
    expect(o.series.map((s) => s.name)).toEqual(['网格事件', '12345热线', '预警'])
    expect(o.xAxis.data).toEqual(['周一 06-02', '周二 06-03'])
  })

  it('ranks categories and streets, largest on top, print ink dark', () => {
    const c = categoryOption(trend, 10, 'print') as { yAxis: { data: string[]; axisLabel: { color: string } }; series: { data: number[] }[] }
    expect(c.yAxis.data).toEqual(['网格事件', '12345热线'])
    expect(c.yAxis.axisLabel.color).toBe('#1a1a1a')
    const s = streetRankOption({ level: 'street', items: [{ key: 'a', count: 9, previous: 3, change_pct: 200 }, { key: 'b', count: 2, previous: 2, change_pct: 0 }] }, (k) => k.toUpperCase()) as {
      yAxis: { data: string[] }
      series: { data: number[] }[]
    }
    expect(s.yAxis.data).toEqual(['B', 'A'])
    expect(s.series[1]!.data).toEqual([2, 9])
  })
})

describe('district clock inputs', () => {
  it('reads and writes datetime-local values on the district clock', () => {
    const t = Date.parse('2025-06-02T14:30:00+08:00')
    expect(toLocalInput(t)).toBe('2025-06-02T14:30')
    expect(fromLocalInput('2025-06-02T14:30')).toBe(t)
    expect(fromLocalInput('2025-06-02 14:30')).toBeNaN()
  })
})

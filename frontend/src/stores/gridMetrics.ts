// The per-grid metric the choropleth shows (open, overdue or risk) and the
// district's overdue count, recomputed from the open events at most every
// RENDER.choroplethIntervalMs and once a minute anyway (events become
// overdue by time alone).

import { defineStore } from 'pinia'
import { ref, shallowRef, watch } from 'vue'
import { RENDER } from '../config'
import { Coalescer } from '../lib/coalesce'
import { computeValues, METRICS, type GridValues, type Metric } from '../map/metrics'
import { useEventsStore } from './events'
import { useHistoryStore } from './history'

export const useGridMetricsStore = defineStore('gridMetrics', () => {
  const events = useEventsStore()
  const history = useHistoryStore()
  /** The metric the map colours grids by. */
  const metric = ref<Metric>('open')
  /** The latest values (null before the first computation). */
  const values = shallowRef<GridValues | null>(null)
  /** Open events past their time, district-wide. */
  const overdueTotal = ref(0)

  function recompute(now = Date.now()): void {
    const v = computeValues(events.open.values(), metric.value, now, history.comebacks)
    values.value = v
    overdueTotal.value = v.overdueTotal
  }

  const coalescer = new Coalescer(() => recompute(), RENDER.choroplethIntervalMs)
  let minute: ReturnType<typeof setInterval> | null = null
  let users = 0
  let stopWatch: (() => void) | null = null

  /** start begins recomputing on changes (counted, like the history store). */
  function start(): void {
    if (++users > 1) return
    recompute()
    stopWatch = watch([() => events.version, () => history.comebacks], () => coalescer.mark())
    minute = setInterval(() => coalescer.mark(), 60_000)
  }

  function stop(): void {
    if (users === 0 || --users > 0) return
    stopWatch?.()
    if (minute !== null) clearInterval(minute)
    minute = null
  }

  /** setMetric switches the metric and recomputes at once. */
  function setMetric(m: Metric): void {
    if (!METRICS.includes(m) || m === metric.value) return
    metric.value = m
    recompute()
  }

  return { metric, values, overdueTotal, recompute, start, stop, setMetric }
})

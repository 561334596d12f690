// The choropleth's metrics: per grid, the number of open events, the number
// of overdue ones, or a risk level. Pure functions of the open events and
// the time, so they are tested without a map and recomputed on a slow
// cadence (colours of 1,563 grids change slowly).

import { RISK_WEIGHTS } from '../config'
import { T } from '../strings'
import { isOverdue } from '../lib/urgency'
import { severityRank, type GridEvent, type Severity } from '../types'

/** The metrics the wall can colour grids by. */
export type Metric = 'open' | 'overdue' | 'risk'

/** Every metric, in the switch's order. */
export const METRICS: readonly Metric[] = ['open', 'overdue', 'risk']

/** The Chinese name of each metric. */
export const METRIC_LABELS: Record<Metric, string> = {
  open: T.metricOpen,
  overdue: T.metricOverdue,
  risk: T.metricRisk,
}

/** One legend class: values in [min, max] get color. */
export interface Piece {
  min: number
  max: number
  label: string
  color: string
}

// Dark-theme ramps: the "none" class is close to the map's background so
// grids with nothing stay quiet and the eye goes to the coloured ones.
const NONE = '#16324f'
const COUNT_RAMP = ['#1f5f8b', '#2f8fb5', '#f0b429', '#f07d28', '#e0352b']
const RISK_RAMP = ['#2f8f6f', '#f0b429', '#f07d28', '#e0352b']

/** PIECES are the legend classes of each metric (the legend and the map share them). */
export const PIECES: Record<Metric, Piece[]> = {
  open: [
    { min: 0, max: 0, label: T.legendNone, color: NONE },
    { min: 1, max: 1, label: '1', color: COUNT_RAMP[0]! },
    { min: 2, max: 3, label: '2–3', color: COUNT_RAMP[1]! },
    { min: 4, max: 6, label: '4–6', color: COUNT_RAMP[2]! },
    { min: 7, max: 10, label: '7–10', color: COUNT_RAMP[3]! },
    { min: 11, max: Infinity, label: '>10', color: COUNT_RAMP[4]! },
  ],
  overdue: [
    { min: 0, max: 0, label: T.legendNone, color: NONE },
    { min: 1, max: 1, label: '1', color: COUNT_RAMP[2]! },
    { min: 2, max: 3, label: '2–3', color: COUNT_RAMP[3]! },
    { min: 4, max: Infinity, label: '≥4', color: COUNT_RAMP[4]! },
  ],
  risk: [
    { min: 0, max: 0, label: T.riskLevels[0], color: NONE },
    { min: 1, max: 1, label: T.riskLevels[1], color: RISK_RAMP[0]! },
    { min: 2, max: 2, label: T.riskLevels[2], color: RISK_RAMP[2]! },
    { min: 3, max: 3, label: T.riskLevels[3], color: RISK_RAMP[3]! },
  ],
}

/**
 * riskLevel maps a grid's risk score to 0 (none), 1 (low, 1–5), 2 (medium,
 * 6–14) or 3 (high, 15+): backend/history/risk.go, so the wall and the
 * review agree. The score sums the severity weights of the grid's open
 * events, 2 per overdue one, and 3 per dispute that came back within 30
 * days (from the history API; 0 while it is unavailable).
 */
export function riskLevel(score: number): number {
  if (score <= 0) return 0
  if (score <= 5) return 1
  if (score < 15) return 2
  return 3
}

/** GridValues are a metric's value per grid id (grids absent have 0) plus district totals. */
export interface GridValues {
  metric: Metric
  values: Map<string, number>
  /** Open events past their time, district-wide (the KPI tile). */
  overdueTotal: number
}

/**
 * computeValues computes metric for every grid that has an open event (or,
 * for risk, a come-back count).
 */
export function computeValues(
  events: Iterable<GridEvent>,
  metric: Metric,
  now: number,
  comebacks: ReadonlyMap<string, number> = new Map(),
): GridValues {
  const open = new Map<string, number>()
  const overdue = new Map<string, number>()
  const score = new Map<string, number>()
  let overdueTotal = 0
  for (const e of events) {
    if (!e.grid_id) continue
    const late = isOverdue(e, now)
    open.set(e.grid_id, (open.get(e.grid_id) ?? 0) + 1)
    if (late) {
      overdueTotal++
      overdue.set(e.grid_id, (overdue.get(e.grid_id) ?? 0) + 1)
    }
    const w = (RISK_WEIGHTS[e.severity as Severity] ?? 1) + (late ? 2 : 0)
    score.set(e.grid_id, (score.get(e.grid_id) ?? 0) + w)
  }
  for (const [g, n] of comebacks) score.set(g, (score.get(g) ?? 0) + 3 * n)
  let values: Map<string, number>
  if (metric === 'open') values = open
  else if (metric === 'overdue') values = overdue
  else values = new Map([...score].map(([g, s]) => [g, riskLevel(s)]))
  return { metric, values, overdueTotal }
}

/** bySeverityDesc orders events most severe first, then newest first. */
export function bySeverityDesc(a: GridEvent, b: GridEvent): number {
  return severityRank(b.severity) - severityRank(a.severity) || (a.reported_at < b.reported_at ? 1 : -1)
}


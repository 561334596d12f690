// The close-by SLA of a case, as the server computes it: a copy of
// backend/history/sla.go (DefaultSLAs), used only for events that do not
// carry their own deadlines yet (before the SLA timer picked them up, or
// from a server without the case workflow). Change it there first.

import type { Kind, Severity } from '../types'

const H = 3_600_000
const M = 60_000

const byKind: Record<Kind, number> = {
  grid_event: 72 * H,
  hotline: 5 * 24 * H,
  camera_alert: 30 * M,
  warning: 30 * M,
}

const byCategory: Record<Kind, Record<string, number>> = {
  grid_event: { dispute: 48 * H, public_safety: 24 * H, safety_hazard: 24 * H, livelihood: 5 * 24 * H },
  hotline: { consultation: 24 * H, dispute: 3 * 24 * H, public_service: 3 * 24 * H, labor: 10 * 24 * H, housing: 7 * 24 * H },
  camera_alert: { fire_smoke: 10 * M, fight: 10 * M },
  warning: { fire: 10 * M, gas: 10 * M, water_level: 20 * M },
}

const severityScale: Record<Severity, number> = { low: 1.5, medium: 1, high: 0.5, critical: 0.25 }

/** closeSLA returns how long a case of kind/category/severity may stay open, in ms. */
export function closeSLA(kind: string, category: string, severity: string): number {
  const k = kind as Kind
  const d = byCategory[k]?.[category] ?? byKind[k] ?? 72 * H
  return d * (severityScale[severity as Severity] ?? 1)
}

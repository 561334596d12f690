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

// The respond limit (backend/workflow/sla.go DefaultRespond, DefaultCritical):
// someone must dispatch, acknowledge or be on scene by then. The server
// writes respond_by into the event at its first action or deadline; before
// that the console counts down from this copy. Change it there first.

const respondByKind: Record<Kind, number> = {
  grid_event: 2 * H,
  hotline: 4 * H,
  camera_alert: 20 * M,
  warning: 20 * M,
}

const respondByCategory: Record<Kind, Record<string, number>> = {
  grid_event: { dispute: 30 * M, public_safety: 30 * M, safety_hazard: H },
  hotline: { dispute: H },
  camera_alert: { fight: 8 * M, fire_smoke: 8 * M, crowd: 10 * M, intrusion: 10 * M },
  warning: { fire: 8 * M, gas: 8 * M, water_level: 10 * M },
}

/** Exact respond limits of critical cases, where minutes matter (DOMAIN.md's kitchen knife). */
const respondCritical: Record<Kind, Record<string, number>> = {
  grid_event: { dispute: 2 * M, public_safety: 5 * M },
  hotline: { dispute: 5 * M },
  camera_alert: { fight: 2 * M, fire_smoke: 2 * M },
  warning: { fire: 2 * M, gas: 2 * M },
}

/** respondSLA returns how long after its report someone must respond to a case, in ms; never longer than closeSLA. */
export function respondSLA(kind: string, category: string, severity: string): number {
  const k = kind as Kind
  const exact = severity === 'critical' ? respondCritical[k]?.[category] : undefined
  const d = exact ?? (respondByCategory[k]?.[category] ?? respondByKind[k] ?? 2 * H) * (severityScale[severity as Severity] ?? 1)
  return Math.min(d, closeSLA(kind, category, severity))
}

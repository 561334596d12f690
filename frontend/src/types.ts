// The shapes gridcc's server sends: events, stats and WebSocket messages
// (docs/websocket.md, backend/event, backend/wshub). Field names are the
// wire's, snake_case, so a payload is used as is without a mapping layer.

/** The channel an event came in through. */
export type Kind = 'grid_event' | 'hotline' | 'camera_alert' | 'warning'

/** Every kind, in documentation order (backend/event.Kinds). */
export const KINDS: readonly Kind[] = ['grid_event', 'hotline', 'camera_alert', 'warning']

/** How urgent an event is, lowest first. */
export type Severity = 'low' | 'medium' | 'high' | 'critical'

/** Every severity, lowest first (backend/event.Severities). */
export const SEVERITIES: readonly Severity[] = ['low', 'medium', 'high', 'critical']

/** severityRank orders severities: low 1 … critical 4, unknown 0. */
export function severityRank(s: string): number {
  return SEVERITIES.indexOf(s as Severity) + 1
}

/** A lifecycle state (backend/event/status.go). */
export type Status =
  | 'reported'
  | 'dispatched'
  | 'accepted'
  | 'in_progress'
  | 'resolved'
  | 'closed'
  | 'rated'
  | 'escalated'
  | 'reopened'
  | 'merged'
  | 'acknowledged'

const TERMINAL: ReadonlySet<string> = new Set(['closed', 'rated', 'merged', 'acknowledged'])

/** isOpen reports whether an event in state s still needs someone to act (backend Status.Terminal). */
export function isOpen(s: string): boolean {
  return !TERMINAL.has(s)
}

/** One item on the wall; personal fields arrive masked for the wall role. */
export interface GridEvent {
  id: string
  kind: Kind
  source_id: string
  source: string
  category: string
  severity: Severity
  status: Status
  title: string
  description?: string
  lon: number
  lat: number
  grid_id: string
  community_id: string
  street_code: string
  address?: string
  occurred_at: string
  reported_at: string
  updated_at: string
  camera_id?: string
  sensor_id?: string
  caller_name?: string
  caller_phone?: string
  reporter_name?: string
  // The case-workflow state (docs/workflow.md); absent until an action or the SLA timer sets it.
  assignee?: string
  /** SLA: someone must respond by then (RFC 3339). */
  respond_by?: string
  /** SLA: the case must be closed by then (RFC 3339). */
  close_by?: string
  /** A deadline passed while the event was open. */
  overdue?: boolean
  whistle?: { department: string; due: string; at?: string; missed?: boolean }[]
  rating?: number
  merged_into?: string
  merged?: string[]
}

/** One state change (backend/event.Change). */
export interface Change {
  event_id: string
  seq: number
  at: string
  from: string
  to: string
  actor: string
  reason?: string
  action?: string
  target?: string
  rating?: number
}

/** The district-wide live counters (backend/wshub.Stats). */
export interface Stats {
  day: string
  today_by_kind: Partial<Record<Kind, number>>
  today_total: number
  open: number
  open_by_kind: Partial<Record<Kind, number>>
  open_by_severity: Partial<Record<Severity, number>>
  hotline_today: number
  active_camera_alerts: number
  active_warnings: number
  /** Open events a deadline passed on (case workflow; absent from older servers). */
  overdue?: number
  /** Whistle check-ins (吹哨报到) missed today. */
  checkins_missed_today?: number
}

/** The server → client messages; every frame is a JSON array of them. */
export type ServerMessage =
  | { type: 'snapshot'; seq: number; epoch: string; data: { open: GridEvent[]; stats: Stats } }
  | { type: 'event'; seq: number; data: GridEvent }
  | { type: 'update'; seq: number; data: { change: Change; event: GridEvent } }
  | { type: 'stats'; seq: number; data: Stats }
  | { type: 'reset'; seq: number; epoch: string; reason?: string }
  | { type: 'live'; seq: number }
  | { type: 'error'; seq: number; code: string; message: string }

/** What a screen subscribes to; empty lists mean everything its role may see. */
export interface SubscribeFilter {
  streets: string[]
  kinds: Kind[]
  min_severity: Severity
}

/** The client → server subscribe message. */
export interface SubscribeMessage {
  type: 'subscribe'
  since: number
  epoch: string
  filter: SubscribeFilter
}

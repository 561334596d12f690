// The case workflow (docs/workflow.md): list and read events, take actions,
// the directory of who can be dispatched or summoned.

import type { Change, GridEvent, Kind, Severity, Status } from '../types'
import { getJSON, query, sendJSON } from './http'

/** A request action (backend/workflow/action.go). */
export type Action =
  | 'dispatch'
  | 'accept'
  | 'start'
  | 'resolve'
  | 'close'
  | 'rate'
  | 'reopen'
  | 'comment'
  | 'acknowledge'
  | 'merge'
  | 'whistle'
  | 'checkin'
  | 'followup_done'

/** The body of POST /api/v1/events/{id}/actions: exactly the fields the action uses. */
export interface ActionRequest {
  action: Action
  target?: string
  reason?: string
  rating?: number
  departments?: string[]
  due_minutes?: number
  into?: string
}

/** The answer of an action. */
export interface ActionResult {
  event: GridEvent
  change: Change
  into?: GridEvent
}

/** GET /api/v1/events parameters; undefined ones are left out. */
export interface ListQuery {
  /** A state, `open` or `done`. */
  status?: string
  kind?: Kind
  street?: string
  grid?: string
  severity?: Severity
  overdue?: boolean
  assignee?: string
  /** Part of the id or title. */
  q?: string
  limit?: number
  cursor?: string
}

/** Figures over every matching event (all pages). */
export interface Counts {
  status: Partial<Record<Status, number>>
  kind: Partial<Record<Kind, number>>
  severity: Partial<Record<Severity, number>>
  street: Record<string, number>
  open_overdue: number
  closed_late: number
  closed_on_time: number
}

/** One page of GET /api/v1/events (newest report first). */
export interface Page {
  items: GridEvent[]
  next_cursor?: string
  total: number
  counts: Counts
}

/** An open event that may be a duplicate of the one read. */
export interface Suggestion {
  event_id: string
  kind: Kind
  category: string
  status: Status
  severity: Severity
  title: string
  distance_m: number
  minutes_apart: number
  match: string
}

/** A long-term-care follow-up (长效关怀). */
export interface FollowUp {
  id: string
  due: string
  done_at?: string
  done_by?: string
  note?: string
}

/** The long-term care of a closed dispute. */
export interface Care {
  event_id: string
  worker: string
  reason: string
  created_at: string
  followups: FollowUp[]
}

/** GET /api/v1/events/{id}: personal data in full for roles that may reveal it (audited). */
export interface Detail {
  event: GridEvent
  /** The report first, then every change, oldest first. */
  timeline: Change[]
  allowed_actions: Action[]
  merged: { event: GridEvent; timeline: Change[] }[]
  care?: Care
  suggestions: Suggestion[]
}

/** A department or volunteer team (GET /api/v1/directory); grid workers are not listed. */
export interface DirectoryEntry {
  id: string
  name: string
  kind: 'department' | 'volunteer_team'
  street?: string
  community?: string
  on_scene_minutes?: number
}

/** listEvents runs a query over the open and recently done events in the caller's scope. */
export function listEvents(q: ListQuery, signal?: AbortSignal): Promise<Page> {
  const { overdue, ...rest } = q
  return getJSON<Page>('/api/v1/events' + query({ ...rest, overdue: overdue === undefined ? undefined : String(overdue) }), { signal })
}

/** fetchDetail reads one event (a reveal, audited, for roles that may see personal data). */
export function fetchDetail(id: string, signal?: AbortSignal): Promise<Detail> {
  return getJSON<Detail>(`/api/v1/events/${encodeURIComponent(id)}`, { signal })
}

/** act takes one action on one event. */
export function act(id: string, req: ActionRequest, csrf: string | undefined): Promise<ActionResult> {
  return sendJSON<ActionResult>('POST', `/api/v1/events/${encodeURIComponent(id)}/actions`, req, { csrf })
}

/** fetchDirectory lists the departments and volunteer teams serving a street (all when omitted). */
export function fetchDirectory(street?: string): Promise<DirectoryEntry[]> {
  return getJSON<{ entries: DirectoryEntry[] }>('/api/v1/directory' + query({ street })).then((b) => b.entries)
}

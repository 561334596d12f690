// Test helpers: events, stats and a fake WebSocket the socket store drives.

import type { SocketLike } from '../src/stores/socket'
import type { GridEvent, ServerMessage, Stats } from '../src/types'

let n = 0

/** mkEvent returns a valid open event; fields override. */
export function mkEvent(fields: Partial<GridEvent> = {}): GridEvent {
  n++
  const t = new Date(Date.now()).toISOString()
  return {
    id: `e${n}`,
    kind: 'grid_event',
    source_id: `s${n}`,
    source: 'test',
    category: 'dispute',
    severity: 'medium',
    status: 'reported',
    title: `事件 ${n}`,
    lon: 114.65,
    lat: 33.62,
    grid_id: '411602001-001',
    community_id: '411602001-C01',
    street_code: '411602001',
    occurred_at: t,
    reported_at: t,
    updated_at: t,
    ...fields,
  }
}

/** mkStats returns stats with open = n. */
export function mkStats(open = 0): Stats {
  return {
    day: '2026-11-25',
    today_by_kind: { grid_event: 1 },
    today_total: 1,
    open,
    open_by_kind: {},
    open_by_severity: {},
    hotline_today: 0,
    active_camera_alerts: 0,
    active_warnings: 0,
  }
}

/** FakeSocket records what the store sends and lets a test play the server. */
export class FakeSocket implements SocketLike {
  static all: FakeSocket[] = []
  readyState = 0
  sent: unknown[] = []
  closedByClient = false
  onopen: ((ev: unknown) => void) | null = null
  onmessage: ((ev: { data: unknown }) => void) | null = null
  onclose: ((ev: { code: number; reason: string }) => void) | null = null
  onerror: ((ev: unknown) => void) | null = null

  constructor(readonly url: string) {
    FakeSocket.all.push(this)
  }

  static reset(): void {
    FakeSocket.all = []
  }

  static last(): FakeSocket {
    const s = FakeSocket.all[FakeSocket.all.length - 1]
    if (!s) throw new Error('no socket was created')
    return s
  }

  send(data: string): void {
    this.sent.push(JSON.parse(data))
  }

  close(): void {
    this.closedByClient = true
    this.readyState = 3
  }

  /** open plays the server accepting the connection. */
  open(): void {
    this.readyState = 1
    this.onopen?.({})
  }

  /** frame plays one server frame (a JSON array of messages). */
  frame(...msgs: ServerMessage[]): void {
    this.onmessage?.({ data: JSON.stringify(msgs) })
  }

  /** serverClose plays the server closing with code. */
  serverClose(code: number, reason = ''): void {
    this.readyState = 3
    this.onclose?.({ code, reason })
  }
}

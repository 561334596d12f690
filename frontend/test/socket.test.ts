// The socket store: subscribe, resume with since + epoch, de-duplication by
// seq, reset, the stale banner's timing, back-off and the watchdog.

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import { CLOSE, useSocketStore, type SocketOptions } from '../src/stores/socket'
import { useEventsStore } from '../src/stores/events'
import { useStatsStore } from '../src/stores/stats'
import { FakeSocket, mkEvent, mkStats } from './helpers'

const opts: Partial<SocketOptions> = {
  url: 'ws://test/ws',
  createSocket: (url) => new FakeSocket(url),
  baseDelayMs: 100,
  maxDelayMs: 1_600,
  jitter: 0.5,
  random: () => 0.5, // jitter factor exactly 1
  clientErrorDelayMs: 30_000,
  staleGraceMs: 2_000,
  probeAfterMs: 45_000,
  probeTimeoutMs: 15_000,
  connectTimeoutMs: 10_000,
}

function setup(o: Partial<SocketOptions> = {}) {
  const socket = useSocketStore()
  socket.configure({ ...opts, ...o })
  const events = useEventsStore()
  events.configure({ listIntervalMs: 0 })
  return { socket, events, stats: useStatsStore() }
}

/** connectLive connects and plays a snapshot with the given open events, then `live`. */
function connectLive(socket: ReturnType<typeof useSocketStore>, seq: number, epoch: string, open = [mkEvent()]) {
  socket.connect()
  const ws = FakeSocket.last()
  ws.open()
  ws.frame({ type: 'snapshot', seq, epoch, data: { open, stats: mkStats(open.length) } }, { type: 'live', seq })
  return ws
}

beforeEach(() => {
  setActivePinia(createPinia())
  FakeSocket.reset()
  vi.useFakeTimers()
  vi.setSystemTime(new Date('2026-11-25T10:00:00+08:00'))
})

afterEach(() => {
  useSocketStore().stop()
  vi.useRealTimers()
})

describe('subscribe and snapshot', () => {
  it('first connect subscribes from 0 with no epoch and the filter', () => {
    const { socket } = setup()
    socket.connect()
    const ws = FakeSocket.last()
    expect(ws.url).toBe('ws://test/ws')
    ws.open()
    expect(ws.sent).toEqual([
      { type: 'subscribe', since: 0, epoch: '', filter: { streets: [], kinds: [], min_severity: 'low' } },
    ])
    expect(socket.status).toBe('syncing')
  })

  it('applies the snapshot and goes live', () => {
    const { socket, events, stats } = setup()
    const open = [mkEvent(), mkEvent(), mkEvent()]
    connectLive(socket, 42, 'ep1', open)
    expect(socket.status).toBe('live')
    expect(socket.lastSeq).toBe(42)
    expect(socket.epoch).toBe('ep1')
    expect(events.open.size).toBe(3)
    expect(stats.stats?.open).toBe(3)
    expect(socket.bannerVisible).toBe(false)
    expect(socket.staleSince).toBeNull()
  })
})

describe('resume', () => {
  it('reconnects with since = last seq and the epoch after a drop', () => {
    const { socket } = setup()
    const ws = connectLive(socket, 10, 'ep1')
    ws.frame({ type: 'event', seq: 11, data: mkEvent() }, { type: 'event', seq: 12, data: mkEvent() })
    ws.serverClose(CLOSE.goingAway)
    expect(socket.status).toBe('down')
    vi.advanceTimersByTime(100) // first back-off delay
    const ws2 = FakeSocket.last()
    expect(ws2).not.toBe(ws)
    ws2.open()
    expect(ws2.sent[0]).toMatchObject({ type: 'subscribe', since: 12, epoch: 'ep1' })
  })

  it('resumes with since after a slow-consumer close (4000)', () => {
    const { socket } = setup()
    const ws = connectLive(socket, 7, 'ep1')
    ws.serverClose(CLOSE.slowConsumer)
    vi.advanceTimersByTime(100)
    FakeSocket.last().open()
    expect(FakeSocket.last().sent[0]).toMatchObject({ since: 7, epoch: 'ep1' })
  })

  it('advances the resume point on live and stats (sent in seq order)', () => {
    const { socket } = setup()
    const ws = connectLive(socket, 5, 'ep1')
    ws.frame({ type: 'stats', seq: 9, data: mkStats(1) })
    expect(socket.lastSeq).toBe(9)
    ws.frame({ type: 'live', seq: 11 })
    expect(socket.lastSeq).toBe(11)
  })
})

describe('de-duplication by seq', () => {
  it('applies each record once, however often it comes', () => {
    const { socket, events } = setup()
    const ws = connectLive(socket, 10, 'ep1', [])
    const a = mkEvent()
    const b = mkEvent()
    ws.frame({ type: 'event', seq: 11, data: a }, { type: 'event', seq: 11, data: a })
    ws.frame({ type: 'event', seq: 10, data: b }) // already in the snapshot's seq
    ws.frame({ type: 'event', seq: 12, data: b }, { type: 'event', seq: 11, data: a })
    expect(events.received).toBe(2)
    expect(events.feed.map((e) => e.id)).toEqual([b.id, a.id])
    expect(socket.duplicates).toBe(3)
    expect(socket.lastSeq).toBe(12)
  })

  it('skips a replayed update the client already has', () => {
    const { socket, events } = setup()
    const e = mkEvent()
    const ws = connectLive(socket, 1, 'ep1', [e])
    const closed = { ...e, status: 'closed' as const }
    const change = { event_id: e.id, seq: 2, at: e.updated_at, from: 'reported', to: 'closed', actor: 'x' }
    ws.frame({ type: 'update', seq: 2, data: { change, event: closed } })
    expect(events.open.size).toBe(0)
    ws.frame({ type: 'update', seq: 2, data: { change, event: e } })
    expect(events.open.size).toBe(0)
    expect(socket.duplicates).toBe(1)
  })

  it('ignores a stats message older than the state', () => {
    const { socket, stats } = setup()
    const ws = connectLive(socket, 10, 'ep1')
    ws.frame({ type: 'stats', seq: 9, data: mkStats(99) })
    expect(stats.stats?.open).toBe(1)
  })
})

describe('reset', () => {
  it('drops all state and rebuilds it from the snapshot that follows', () => {
    const { socket, events, stats } = setup()
    const ws = connectLive(socket, 10, 'ep1', [mkEvent(), mkEvent()])
    ws.frame({ type: 'reset', seq: 3, epoch: 'ep2', reason: 'epoch changed' })
    expect(events.open.size).toBe(0)
    expect(events.feed).toEqual([])
    expect(stats.stats).toBeNull()
    expect(socket.epoch).toBe('ep2')
    expect(socket.resets).toBe(1)
    // Nothing is applied between the reset and its snapshot.
    ws.frame({ type: 'event', seq: 4, data: mkEvent() })
    expect(events.open.size).toBe(0)
    const fresh = mkEvent()
    ws.frame({ type: 'snapshot', seq: 3, epoch: 'ep2', data: { open: [fresh], stats: mkStats(1) } }, { type: 'live', seq: 3 })
    expect([...events.open.keys()]).toEqual([fresh.id])
    expect(socket.lastSeq).toBe(3) // lower than before the reset: the new epoch's seq
    ws.frame({ type: 'event', seq: 4, data: mkEvent() })
    expect(events.open.size).toBe(2)
  })

  it('resubscribes with the new epoch after a reset', () => {
    const { socket } = setup()
    const ws = connectLive(socket, 10, 'ep1')
    ws.frame({ type: 'reset', seq: 3, epoch: 'ep2' })
    ws.frame({ type: 'snapshot', seq: 3, epoch: 'ep2', data: { open: [], stats: mkStats() } }, { type: 'live', seq: 3 })
    ws.serverClose(CLOSE.goingAway)
    vi.advanceTimersByTime(100)
    FakeSocket.last().open()
    expect(FakeSocket.last().sent[0]).toMatchObject({ since: 3, epoch: 'ep2' })
  })
})

describe('stale banner', () => {
  it('shows after the grace period, with the time of the drop, until live again', () => {
    const { socket } = setup()
    const ws = connectLive(socket, 10, 'ep1')
    const dropAt = Date.now()
    ws.serverClose(CLOSE.goingAway)
    expect(socket.staleSince).toBe(dropAt)
    vi.advanceTimersByTime(1_999)
    expect(socket.bannerVisible).toBe(false)
    // The reconnect (at 100 ms) failed too: still stale.
    FakeSocket.last().serverClose(1006)
    vi.advanceTimersByTime(1)
    expect(socket.bannerVisible).toBe(true)
    expect(socket.staleSince).toBe(dropAt)
    // A socket that opens is not yet current: the banner stays until `live`.
    vi.advanceTimersByTime(10_000)
    const ws3 = FakeSocket.last()
    ws3.open()
    expect(socket.bannerVisible).toBe(true)
    ws3.frame({ type: 'event', seq: 11, data: mkEvent() })
    expect(socket.bannerVisible).toBe(true)
    ws3.frame({ type: 'live', seq: 11 })
    expect(socket.bannerVisible).toBe(false)
    expect(socket.staleSince).toBeNull()
  })

  it('shows no banner for a drop shorter than the grace', () => {
    const { socket } = setup()
    const ws = connectLive(socket, 10, 'ep1')
    ws.serverClose(CLOSE.goingAway)
    vi.advanceTimersByTime(100)
    const ws2 = FakeSocket.last()
    ws2.open()
    ws2.frame({ type: 'live', seq: 10 })
    vi.advanceTimersByTime(5_000)
    expect(socket.bannerVisible).toBe(false)
  })

  it('is stale from the start when the first connection never succeeds', () => {
    const { socket } = setup()
    socket.connect()
    const t0 = Date.now()
    FakeSocket.last().serverClose(1006)
    vi.advanceTimersByTime(2_000)
    expect(socket.bannerVisible).toBe(true)
    expect(socket.staleSince).toBe(t0)
  })
})

describe('back-off', () => {
  it('doubles the delay per failed attempt up to the cap, and resets once live', () => {
    const { socket } = setup()
    socket.connect()
    const delays: number[] = []
    for (let i = 0; i < 7; i++) {
      FakeSocket.last().serverClose(1006)
      delays.push(socket.nextRetryAt! - Date.now())
      vi.advanceTimersByTime(delays[delays.length - 1]!)
    }
    expect(delays).toEqual([100, 200, 400, 800, 1600, 1600, 1600])
    expect(FakeSocket.all.length).toBe(8)
    const ws = FakeSocket.last()
    ws.open()
    ws.frame({ type: 'snapshot', seq: 1, epoch: 'e', data: { open: [], stats: mkStats() } }, { type: 'live', seq: 1 })
    ws.serverClose(CLOSE.goingAway)
    expect(socket.nextRetryAt! - Date.now()).toBe(100)
  })

  it('spreads delays by the jitter', () => {
    let r = 0
    const { socket } = setup({ random: () => r })
    socket.connect()
    FakeSocket.last().serverClose(1006)
    expect(socket.nextRetryAt! - Date.now()).toBe(50) // 100 × 0.5
    vi.advanceTimersByTime(50)
    r = 0.999
    FakeSocket.last().serverClose(1006)
    expect(socket.nextRetryAt! - Date.now()).toBe(300) // 200 × ~1.5
  })

  it('waits long after a client error (4429)', () => {
    const { socket } = setup()
    const ws = connectLive(socket, 1, 'e')
    ws.serverClose(CLOSE.tooMany)
    expect(socket.nextRetryAt! - Date.now()).toBe(30_000)
    vi.advanceTimersByTime(29_999)
    expect(FakeSocket.all.length).toBe(1)
    vi.advanceTimersByTime(1)
    expect(FakeSocket.all.length).toBe(2)
  })

  it('does not reconnect when revoked (4001) and says so', () => {
    const { socket } = setup()
    const ws = connectLive(socket, 1, 'e')
    ws.serverClose(CLOSE.revoked)
    expect(socket.status).toBe('revoked')
    vi.advanceTimersByTime(600_000)
    expect(FakeSocket.all.length).toBe(1)
  })

  it('abandons a socket that does not open in time', () => {
    const { socket } = setup()
    socket.connect()
    const ws = FakeSocket.last()
    vi.advanceTimersByTime(10_000)
    expect(ws.closedByClient).toBe(true)
    expect(socket.status).toBe('down')
  })
})

describe('watchdog', () => {
  it('probes a silent connection with a resubscribe, and reconnects if it stays silent', () => {
    const { socket } = setup()
    const ws = connectLive(socket, 5, 'e')
    vi.advanceTimersByTime(45_000)
    expect(ws.sent.length).toBe(2)
    expect(ws.sent[1]).toMatchObject({ type: 'subscribe', since: 5, epoch: 'e' })
    vi.advanceTimersByTime(15_000)
    expect(ws.closedByClient).toBe(true)
    expect(socket.status).toBe('down')
  })

  it('keeps a connection that answers the probe', () => {
    const { socket } = setup()
    const ws = connectLive(socket, 5, 'e')
    vi.advanceTimersByTime(45_000)
    ws.frame({ type: 'live', seq: 5 })
    vi.advanceTimersByTime(20_000)
    expect(ws.closedByClient).toBe(false)
    expect(socket.status).toBe('live')
  })
})

describe('frames', () => {
  it('applies the messages of a frame in order and tolerates junk', () => {
    const { socket, events } = setup()
    const ws = connectLive(socket, 0, 'e', [])
    ws.onmessage?.({ data: 'not json' })
    ws.onmessage?.({ data: JSON.stringify({ type: 'event', seq: 1, data: mkEvent() }) })
    ws.frame({ type: 'error', seq: 1, code: 'invalid', message: 'bad' })
    expect(events.received).toBe(1)
    expect(socket.lastError).toEqual({ code: 'invalid', message: 'bad' })
  })

  it('does not pulse or pop cards for records replayed before live', () => {
    const { socket, events } = setup()
    socket.connect()
    const ws = FakeSocket.last()
    ws.open()
    ws.frame(
      { type: 'snapshot', seq: 1, epoch: 'e', data: { open: [], stats: mkStats() } },
      { type: 'event', seq: 2, data: mkEvent({ kind: 'camera_alert', camera_id: 'CAM-1' }) },
    )
    expect(events.pulses).toEqual([])
    expect(events.cameraCard).toBeNull()
    ws.frame({ type: 'live', seq: 2 }, { type: 'event', seq: 3, data: mkEvent({ kind: 'camera_alert', camera_id: 'CAM-2' }) })
    expect(events.pulses.length).toBe(1)
    expect(events.cameraCard?.event.camera_id).toBe('CAM-2')
  })
})

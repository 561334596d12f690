// The socket store is the one owner of the live connection (/ws): it
// connects, subscribes, resumes from the last seq + epoch after a drop,
// drops state on `reset`, de-duplicates by seq, retries with jittered
// back-off, and says since when the data is stale. Nothing else opens a
// WebSocket; the entity stores (events, stats) only receive what it applies.
//
// Protocol (docs/websocket.md): the client sends one subscribe; every
// server frame is a JSON array of messages; `live` says "caught up".

import { defineStore } from 'pinia'
import { computed, ref, shallowRef } from 'vue'
import { SOCKET } from '../config'
import { Backoff } from '../lib/backoff'
import type { ServerMessage, SubscribeFilter, SubscribeMessage } from '../types'
import { useEventsStore } from './events'
import { useStatsStore } from './stats'

/** The subset of the browser's WebSocket the store uses (tests pass a fake). */
export interface SocketLike {
  readonly readyState: number
  onopen: ((ev: unknown) => void) | null
  onmessage: ((ev: { data: unknown }) => void) | null
  onclose: ((ev: { code: number; reason: string }) => void) | null
  onerror: ((ev: unknown) => void) | null
  send(data: string): void
  close(code?: number, reason?: string): void
}

/**
 * Connection states: `connecting` (socket opening), `syncing` (subscribed,
 * receiving the snapshot or the replay), `live` (caught up), `down`
 * (waiting to reconnect), `revoked` (the server refused this screen for
 * good: no reconnect; a notice says what to do).
 */
export type SocketStatus = 'idle' | 'connecting' | 'syncing' | 'live' | 'down' | 'revoked'

/** Close codes (docs/websocket.md). */
export const CLOSE = {
  goingAway: 1001,
  policy: 1008,
  slowConsumer: 4000,
  revoked: 4001,
  badRequest: 4400,
  forbidden: 4403,
  tooMany: 4429,
} as const

/** Options of the socket store; the defaults come from config.SOCKET. */
export interface SocketOptions {
  url: string
  filter: SubscribeFilter
  createSocket: (url: string) => SocketLike
  baseDelayMs: number
  maxDelayMs: number
  jitter: number
  clientErrorDelayMs: number
  staleGraceMs: number
  probeAfterMs: number
  probeTimeoutMs: number
  connectTimeoutMs: number
  random: () => number
}

function defaultUrl(): string {
  if (typeof location === 'undefined') return 'ws://127.0.0.1/ws'
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`
}

function defaultOptions(): SocketOptions {
  return {
    ...SOCKET,
    url: defaultUrl(),
    filter: { streets: [], kinds: [], min_severity: 'low' },
    createSocket: (url) => new WebSocket(url) as unknown as SocketLike,
    random: Math.random,
  }
}

const OPEN = 1

type Timer = ReturnType<typeof setTimeout>

export const useSocketStore = defineStore('socket', () => {
  const events = useEventsStore()
  const stats = useStatsStore()

  let opts = defaultOptions()
  let backoff = new Backoff(opts)

  const status = ref<SocketStatus>('idle')
  /** The last seq applied; the resume point. */
  const lastSeq = ref(0)
  /** The log's epoch the seq belongs to. */
  const epoch = ref('')
  /** When the data stopped being current (epoch ms), null while live. */
  const staleSince = ref<number | null>(null)
  /** Whether the stale banner is up (staleSince older than the grace). */
  const bannerVisible = ref(false)
  /** When the next reconnect attempt starts (epoch ms), null if none is scheduled. */
  const nextRetryAt = ref<number | null>(null)
  /** The last close code and server error, for the status line. */
  const lastClose = ref<number | null>(null)
  const lastError = shallowRef<{ code: string; message: string } | null>(null)
  /** Counters: messages applied, duplicates skipped, resets, connects. */
  const applied = ref(0)
  const duplicates = ref(0)
  const resets = ref(0)
  const connects = ref(0)

  const isLive = computed(() => status.value === 'live')

  let ws: SocketLike | null = null
  let awaitingSnapshot = false
  let retryTimer: Timer | null = null
  let graceTimer: Timer | null = null
  let silenceTimer: Timer | null = null
  let probeTimer: Timer | null = null
  let connectTimer: Timer | null = null
  let stopped = true

  /** configure replaces options (tests, screens with a filter); call before connect. */
  function configure(o: Partial<SocketOptions>): void {
    opts = { ...defaultOptions(), ...o }
    backoff = new Backoff(opts)
  }

  function clearTimer(t: Timer | null): null {
    if (t !== null) clearTimeout(t)
    return null
  }

  /** markStale records the moment the data stopped being current and arms the banner. */
  function markStale(now = Date.now()): void {
    if (staleSince.value !== null) return
    staleSince.value = now
    graceTimer = clearTimer(graceTimer)
    graceTimer = setTimeout(() => {
      graceTimer = null
      if (staleSince.value !== null) bannerVisible.value = true
    }, opts.staleGraceMs)
  }

  function markFresh(): void {
    staleSince.value = null
    bannerVisible.value = false
    graceTimer = clearTimer(graceTimer)
  }

  /** connect starts the connection; it keeps itself alive until stop(). */
  function connect(): void {
    if (!stopped) return
    stopped = false
    open()
  }

  function open(): void {
    retryTimer = clearTimer(retryTimer)
    nextRetryAt.value = null
    markStale()
    status.value = 'connecting'
    connects.value++
    let sock: SocketLike
    try {
      sock = opts.createSocket(opts.url)
    } catch {
      scheduleRetry(null)
      return
    }
    ws = sock
    connectTimer = setTimeout(() => {
      if (ws === sock && sock.readyState !== OPEN) drop(sock, null)
    }, opts.connectTimeoutMs)
    sock.onopen = () => {
      if (ws !== sock) return
      connectTimer = clearTimer(connectTimer)
      status.value = 'syncing'
      subscribe(sock)
      armSilence(sock)
    }
    sock.onmessage = (ev) => {
      if (ws !== sock) return
      armSilence(sock)
      if (typeof ev.data === 'string') onFrame(ev.data)
    }
    sock.onerror = () => {
      /* the close event follows and decides */
    }
    sock.onclose = (ev) => {
      if (ws !== sock) return
      drop(sock, ev.code)
    }
  }

  function subscribe(sock: SocketLike): void {
    const msg: SubscribeMessage = { type: 'subscribe', since: lastSeq.value, epoch: epoch.value, filter: opts.filter }
    sock.send(JSON.stringify(msg))
  }

  /** armSilence (re)starts the watchdog: silence → probe → reconnect. */
  function armSilence(sock: SocketLike): void {
    silenceTimer = clearTimer(silenceTimer)
    probeTimer = clearTimer(probeTimer)
    silenceTimer = setTimeout(() => {
      silenceTimer = null
      if (ws !== sock || sock.readyState !== OPEN) return
      subscribe(sock) // the answer (at least `live`) re-arms the watchdog
      probeTimer = setTimeout(() => {
        probeTimer = null
        if (ws === sock) drop(sock, null)
      }, opts.probeTimeoutMs)
    }, opts.probeAfterMs)
  }

  /** drop ends a connection (closed by the server, failed, or dead) and decides what next. */
  function drop(sock: SocketLike, code: number | null): void {
    ws = null
    sock.onopen = sock.onmessage = sock.onclose = sock.onerror = null
    try {
      if (sock.readyState <= OPEN) sock.close()
    } catch {
      /* already closing */
    }
    connectTimer = clearTimer(connectTimer)
    silenceTimer = clearTimer(silenceTimer)
    probeTimer = clearTimer(probeTimer)
    lastClose.value = code
    markStale()
    if (stopped) {
      status.value = 'idle'
      return
    }
    if (code === CLOSE.revoked || code === CLOSE.policy) {
      status.value = 'revoked'
      return
    }
    scheduleRetry(code)
  }

  function scheduleRetry(code: number | null): void {
    status.value = 'down'
    let delay = backoff.next()
    if (code === CLOSE.badRequest || code === CLOSE.forbidden || code === CLOSE.tooMany) {
      delay = Math.max(delay, opts.clientErrorDelayMs)
    }
    nextRetryAt.value = Date.now() + delay
    retryTimer = setTimeout(() => {
      retryTimer = null
      if (!stopped) open()
    }, delay)
  }

  /** retryNow skips the back-off wait (the browser came back online). */
  function retryNow(): void {
    if (status.value === 'down' && !stopped) open()
  }

  /** stop closes the connection for good (a screen unmounting, tests). */
  function stop(): void {
    stopped = true
    retryTimer = clearTimer(retryTimer)
    nextRetryAt.value = null
    if (ws) drop(ws, null)
    status.value = 'idle'
    graceTimer = clearTimer(graceTimer)
  }

  /** onFrame applies one server frame: a JSON array of messages. */
  function onFrame(data: string): void {
    let parsed: unknown
    try {
      parsed = JSON.parse(data)
    } catch {
      return // a broken frame is ignored; the seq gap is covered by the next resume
    }
    const list = Array.isArray(parsed) ? parsed : [parsed]
    for (const m of list) {
      if (m && typeof m === 'object' && 'type' in m) apply(m as ServerMessage)
    }
  }

  /** apply applies one message in order; records at or below lastSeq are duplicates. */
  function apply(m: ServerMessage): void {
    switch (m.type) {
      case 'reset':
        // The server cannot resume us: forget everything; a snapshot follows.
        resets.value++
        events.clear()
        stats.clear()
        epoch.value = m.epoch
        lastSeq.value = 0
        awaitingSnapshot = true
        status.value = 'syncing'
        return
      case 'snapshot':
        events.replaceAll(m.data.open)
        stats.set(m.data.stats)
        lastSeq.value = m.seq
        epoch.value = m.epoch
        awaitingSnapshot = false
        applied.value++
        return
      case 'event':
      case 'update':
        if (awaitingSnapshot || m.seq <= lastSeq.value) {
          duplicates.value++
          return
        }
        lastSeq.value = m.seq
        applied.value++
        if (m.type === 'event') events.addEvent(m.data, status.value === 'live')
        else events.applyUpdate(m.data.change, m.data.event)
        return
      case 'stats':
        // Queued in seq order after the records it counts: an older one is stale.
        if (awaitingSnapshot || m.seq < lastSeq.value) return
        stats.set(m.data)
        lastSeq.value = m.seq
        return
      case 'live':
        if (awaitingSnapshot) return
        lastSeq.value = Math.max(lastSeq.value, m.seq)
        status.value = 'live'
        backoff.reset()
        markFresh()
        return
      case 'error':
        lastError.value = { code: m.code, message: m.message }
        return
    }
  }

  return {
    status,
    lastSeq,
    epoch,
    staleSince,
    bannerVisible,
    nextRetryAt,
    lastClose,
    lastError,
    applied,
    duplicates,
    resets,
    connects,
    isLive,
    configure,
    connect,
    retryNow,
    stop,
    onFrame,
  }
})

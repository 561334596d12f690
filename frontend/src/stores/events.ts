// The events store is the live state of open events and
// the bounded lists the screens show. Only the socket store writes to it.
//
// Why shallow state: 5,000+ open events in a deep-reactive Map would make
// Vue proxy every field of every event and track every read. The Map is
// kept raw and a `version` counter says "something changed"; the small
// bounded lists (feed, ticker, pulses) are replaced as new arrays.

import { defineStore } from 'pinia'
import { markRaw, ref, shallowRef } from 'vue'
import { LIVE } from '../config'
import { pushBounded } from '../lib/bounded'
import { Coalescer } from '../lib/coalesce'
import { parseTime } from '../lib/time'
import { isOpen, severityRank, type Change, type GridEvent } from '../types'

/** A new event that pulses on the map until `until` (epoch ms). */
export interface Pulse {
  event: GridEvent
  until: number
}

/** Bounds of the store; tests pass small ones. */
export interface EventsOptions {
  feedSize: number
  tickerSize: number
  tickerMinSeverity: string
  pulseMs: number
  maxPulsing: number
  maxOpen: number
  cameraCardMs: number
  cameraCardHoldMs: number
  /** The feed and ticker are published at most this often (0: at once, for tests). */
  listIntervalMs: number
}

const defaults: EventsOptions = { ...LIVE }

const byId = (e: GridEvent): string => e.id

export const useEventsStore = defineStore('events', () => {
  let opts: EventsOptions = defaults

  /** Every open event by id (raw: read it after `version` changes). */
  const open = markRaw(new Map<string, GridEvent>())
  /** Bumped on every change of `open`; watchers and renderers key on it. */
  const version = ref(0)
  /** Newest first, bounded: events as they arrive, updated in place. */
  const feed = shallowRef<GridEvent[]>([])
  /** Newest first, bounded: high and critical events. */
  const ticker = shallowRef<GridEvent[]>([])
  /** Events pulsing on the map, newest first, bounded. */
  const pulses = shallowRef<Pulse[]>([])
  /** The camera alert whose card is up, with its expiry. */
  const cameraCard = shallowRef<{ event: GridEvent; since: number; until: number } | null>(null)
  /** Counters for the status line, the benchmark and tests. */
  const received = ref(0)
  const lastArrival = ref(0)

  // The lists are kept in plain arrays and published as new arrays at most
  // every listIntervalMs: at 100 events/s re-rendering the feed per event
  // would cost the wall more than everything else together.
  let feedRaw: GridEvent[] = []
  let tickerRaw: GridEvent[] = []
  const publishLists = (): void => {
    feed.value = feedRaw.slice()
    ticker.value = tickerRaw.slice()
  }
  let lists = new Coalescer(publishLists, opts.listIntervalMs)
  const listsChanged = (): void => (opts.listIntervalMs > 0 ? lists.mark() : publishLists())

  function configure(o: Partial<EventsOptions>): void {
    opts = { ...defaults, ...o }
    lists.stop()
    lists = new Coalescer(publishLists, opts.listIntervalMs)
  }

  function bump(): void {
    version.value++
  }

  function put(e: GridEvent): void {
    if (isOpen(e.status)) {
      open.set(e.id, e)
      if (open.size > opts.maxOpen) evict()
    } else {
      open.delete(e.id)
    }
  }

  /**
   * evict drops the oldest lowest-severity events down to 95 % of maxOpen,
   * so the map stays bounded. In one sorted pass: the bound is only reached
   * in a flood, and a scan per event would then cost O(n) each.
   */
  function evict(): void {
    const keep = Math.floor(opts.maxOpen * 0.95)
    const victims = [...open.values()]
      .sort((a, b) => severityRank(a.severity) - severityRank(b.severity) || (a.reported_at < b.reported_at ? -1 : 1))
      .slice(0, open.size - keep)
    for (const v of victims) open.delete(v.id)
  }

  /** replaceAll installs a snapshot's open events (after connect or reset). */
  function replaceAll(events: readonly GridEvent[]): void {
    open.clear()
    for (const e of events) put(e)
    // The feed starts from the snapshot's newest reports so the wall is not
    // empty after a reload; nothing pulses for old news.
    const newest = [...open.values()]
      .sort((a, b) => (a.reported_at < b.reported_at ? 1 : a.reported_at > b.reported_at ? -1 : 0))
    feedRaw = newest.slice(0, opts.feedSize)
    tickerRaw = newest.filter((e) => isTickerWorthy(e)).slice(0, opts.tickerSize)
    publishLists()
    pulses.value = []
    bump()
  }

  /** clear drops everything (a reset: the next snapshot rebuilds it). */
  function clear(): void {
    open.clear()
    feedRaw = []
    tickerRaw = []
    publishLists()
    pulses.value = []
    cameraCard.value = null
    bump()
  }

  function isTickerWorthy(e: GridEvent): boolean {
    return isOpen(e.status) && severityRank(e.severity) >= severityRank(opts.tickerMinSeverity)
  }

  /**
   * addEvent applies a new event. `live` is false while the socket replays
   * what it missed: those enter the lists but do not pulse or pop a card.
   */
  function addEvent(e: GridEvent, live: boolean, now = Date.now()): void {
    put(e)
    received.value++
    lastArrival.value = now
    pushBounded(feedRaw, e, opts.feedSize, byId)
    if (isTickerWorthy(e)) pushBounded(tickerRaw, e, opts.tickerSize, byId)
    listsChanged()
    if (live && isOpen(e.status)) {
      const kept = pulses.value.filter((p) => p.until > now && p.event.id !== e.id)
      pulses.value = [{ event: e, until: now + opts.pulseMs }, ...kept].slice(0, opts.maxPulsing)
      if (e.kind === 'camera_alert' && e.camera_id && takesCard(e, now)) {
        cameraCard.value = { event: e, since: now, until: now + opts.cameraCardMs }
      }
    }
    bump()
  }

  /**
   * takesCard decides whether a new camera alert replaces the card: when
   * none is up, when the one up has been read long enough, or when the new
   * one is more severe. An alert reported long ago (a late delivery) never
   * pops a card.
   */
  function takesCard(e: GridEvent, now: number): boolean {
    if (now - parseTime(e.reported_at) > opts.cameraCardMs) return false
    const cur = cameraCard.value
    if (!cur || cur.until <= now) return true
    return now - cur.since >= opts.cameraCardHoldMs || severityRank(e.severity) > severityRank(cur.event.severity)
  }

  /** applyUpdate applies a state change: the event is replaced, or removed when no longer open. */
  function applyUpdate(_change: Change, e: GridEvent): void {
    put(e)
    const fi = feedRaw.findIndex((x) => x.id === e.id)
    const ti = tickerRaw.findIndex((x) => x.id === e.id)
    if (fi >= 0) feedRaw[fi] = e
    if (ti >= 0) {
      if (isTickerWorthy(e)) tickerRaw[ti] = e
      else tickerRaw.splice(ti, 1)
    }
    if (fi >= 0 || ti >= 0) listsChanged()
    if (!isOpen(e.status)) {
      pulses.value = pulses.value.filter((p) => p.event.id !== e.id)
      if (cameraCard.value?.event.id === e.id) cameraCard.value = null
    }
    bump()
  }

  /** expire removes pulses and the camera card whose time is over; returns whether anything changed. */
  function expire(now = Date.now()): boolean {
    let changed = false
    if (pulses.value.some((p) => p.until <= now)) {
      pulses.value = pulses.value.filter((p) => p.until > now)
      changed = true
    }
    if (cameraCard.value && cameraCard.value.until <= now) {
      cameraCard.value = null
      changed = true
    }
    return changed
  }

  /** openEvents returns the open events (a fresh array). */
  function openEvents(): GridEvent[] {
    return [...open.values()]
  }

  return {
    open,
    version,
    feed,
    ticker,
    pulses,
    cameraCard,
    received,
    lastArrival,
    configure,
    replaceAll,
    clear,
    addEvent,
    applyUpdate,
    expire,
    openEvents,
  }
})

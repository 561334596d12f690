// Every bound and cadence of the screens, in one place, with why it is what
// it is. Tests pass their own values where the stores accept options.

import type { Severity } from './types'

/** The design canvases the wall is laid out for (?canvas=WxH picks one, or any WxH). */
export const CANVAS_PRESETS = ['1920x1080', '3840x2160', '7680x2160', '6656x1792'] as const

/** The canvas used when the URL names none. */
export const DEFAULT_CANVAS = { width: 1920, height: 1080 }

/** Bounds of a requested canvas; anything outside falls back to the default. */
export const CANVAS_LIMITS = { min: 640, max: 16384 }

export const SOCKET = {
  /** First reconnect delay; doubled per failed attempt up to maxDelayMs, with ±jitter. */
  baseDelayMs: 500,
  /** Longest wait between attempts: a wall must come back soon after the server does. */
  maxDelayMs: 15_000,
  /** Random spread of each delay (0.5 = ±50 %) so many walls do not reconnect in lockstep. */
  jitter: 0.5,
  /** Client errors (4400/4403/4429) wait at least this long: retrying fast would repeat them. */
  clientErrorDelayMs: 30_000,
  /**
   * A drop shorter than this shows no banner (a server restart with 1001 is
   * usually back within it); staleSince is still the moment of the drop.
   */
  staleGraceMs: 2_000,
  /**
   * With no frame for this long, the socket re-sends its subscribe (since =
   * last seq) as a probe: the server answers at least `live`. Browsers hide
   * WebSocket pings from scripts, and a half-open TCP connection would
   * otherwise leave the wall silently stale.
   */
  probeAfterMs: 45_000,
  /** After a probe, no frame within this long means the connection is dead: reconnect. */
  probeTimeoutMs: 15_000,
  /** A socket that has not opened within this long is abandoned and retried. */
  connectTimeoutMs: 10_000,
}

export const LIVE = {
  /** Newest-first live feed length: the wall shows ~12, the console can page. */
  feedSize: 50,
  /** High/critical ticker length. */
  tickerSize: 20,
  /** The feed and ticker re-render at most this often (a list is read, not watched frame by frame). */
  listIntervalMs: 1_000,
  /** Severity at or above which an event enters the ticker. */
  tickerMinSeverity: 'high' as Severity,
  /** How long a new event pulses on the map. */
  pulseMs: 8_000,
  /** At most this many pulse at once (only the newest animate; each costs compositing). */
  maxPulsing: 24,
  /** Open events kept at most; beyond it the oldest low-severity ones are dropped from the map. */
  maxOpen: 20_000,
  /** How long a camera alert card stays up. */
  cameraCardMs: 20_000,
  /**
   * A card stays at least this long before a newer alert of no higher
   * severity replaces it: in an alert storm the room can still read it.
   */
  cameraCardHoldMs: 6_000,
}

export const RENDER = {
  /** Event layer redraws at most this often (a few per second, not per event). */
  eventsIntervalMs: 250,
  /**
   * Choropleth recolours at most this often: colours of 1,563 grids change
   * slowly, and each recolour repaints every polygon.
   */
  choroplethIntervalMs: 3_000,
  /** Camera points are drawn from this zoom on (1 = whole district). */
  cameraMinZoom: 2.2,
}

export const HISTORY = {
  /** The history panels refresh this often; they change by the hour, not by the second. */
  refreshMs: 5 * 60_000,
  /** After a failure (404/503/network) the next try is sooner. */
  retryMs: 60_000,
  /** Request timeout. */
  timeoutMs: 15_000,
}

/** Severity weights of the grid risk score (backend/history/risk.go). */
export const RISK_WEIGHTS: Record<Severity, number> = { low: 1, medium: 2, high: 3, critical: 5 }

/** The district's time zone: clocks and "today" are the district's, whatever the PC's zone. */
export const TIME_ZONE = 'Asia/Shanghai'

export const CONSOLE = {
  /** The queue is re-filtered and re-sorted at most this often (it holds thousands of open events under load). */
  queueIntervalMs: 1_000,
  /** …and at least this often, so rows cross their deadlines by the clock too. */
  queueClockMs: 15_000,
  /** Alerts of one kind in one grid fold into one queue row from this many on. */
  stormMinSize: 3,
  /** Height of a queue row in CSS pixels (the list draws only the rows in view). */
  rowHeight: 62,
  /** Rows drawn above and below the visible ones. */
  overscanRows: 6,
  /** The alarm sounds at most once in this long (a storm of criticals is one alarm). */
  alarmMinGapMs: 4_000,
  /** Silence choices of the alarm, in minutes. */
  silenceMinutes: [5, 10, 30] as const,
  /** The selected item's detail is re-read this long after its live update (updates come in bursts). */
  detailRefreshMs: 300,
  /** Server search: results per page (GET /api/v1/events?q=). */
  searchLimit: 100,
  /** History search beside it: newest matches listed (GET /api/v1/stats/search?q=). */
  historyLimit: 50,
  /** Acknowledgements of a batch sent at once. */
  batchConcurrency: 4,
}

export const MOBILE = {
  /** The task list is re-read this often (a responder has no live stream: docs/auth.md). */
  refreshMs: 20_000,
  /** Tasks read at most (a responder has a handful). */
  listLimit: 100,
}

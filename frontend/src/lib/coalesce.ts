// Coalescing: many marks become one flush, at most one per interval. Live
// events arrive in bursts; redrawing a canvas per event would spend the
// wall's CPU on frames nobody can see.

/** Timer functions, injectable for tests (vitest's fake timers also work). */
export interface Timers {
  now(): number
  setTimeout(fn: () => void, ms: number): unknown
  clearTimeout(handle: unknown): void
}

const realTimers: Timers = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
  clearTimeout: (h) => globalThis.clearTimeout(h as ReturnType<typeof setTimeout>),
}

/**
 * Coalescer calls flush after mark(), at most once per intervalMs. The first
 * mark after a quiet period flushes at once (on the next task), so a single
 * event is not delayed; marks during the interval are folded into one flush
 * at its end.
 */
export class Coalescer {
  private pending: unknown = null
  private last = -Infinity
  private stopped = false
  /** flushes counts calls of flush (for tests and the benchmark). */
  flushes = 0

  constructor(
    private readonly flush: () => void,
    private readonly intervalMs: number,
    private readonly timers: Timers = realTimers,
  ) {}

  /** mark asks for a flush; it is cheap to call per event. */
  mark(): void {
    if (this.pending !== null || this.stopped) return
    const wait = Math.max(0, this.last + this.intervalMs - this.timers.now())
    this.pending = this.timers.setTimeout(() => this.run(), wait)
  }

  /** now flushes immediately if a flush is pending. */
  now(): void {
    if (this.pending === null) return
    this.timers.clearTimeout(this.pending)
    this.run()
  }

  /** stop cancels a pending flush and ignores later marks. */
  stop(): void {
    this.stopped = true
    if (this.pending !== null) this.timers.clearTimeout(this.pending)
    this.pending = null
  }

  private run(): void {
    this.pending = null
    this.last = this.timers.now()
    this.flushes++
    this.flush()
  }
}

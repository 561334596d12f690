// Reconnect delays: exponential with jitter, so a wall comes back soon after
// a short drop and a room of walls does not hammer a restarting server in
// lockstep.

/** Options of Backoff. */
export interface BackoffOptions {
  baseDelayMs: number
  maxDelayMs: number
  /** Spread of each delay: 0.5 gives delay × [0.5, 1.5). */
  jitter: number
  /** Random source in [0, 1); Math.random by default (tests pass their own). */
  random?: () => number
}

/** Backoff yields the delay before each reconnect attempt. */
export class Backoff {
  private attempt = 0
  private readonly random: () => number

  constructor(private readonly opts: BackoffOptions) {
    this.random = opts.random ?? Math.random
  }

  /** attempts is how many delays were handed out since the last reset. */
  get attempts(): number {
    return this.attempt
  }

  /** next returns the delay before the next attempt and counts it. */
  next(): number {
    const exp = Math.min(this.opts.maxDelayMs, this.opts.baseDelayMs * 2 ** Math.min(this.attempt, 30))
    this.attempt++
    const spread = 1 - this.opts.jitter + 2 * this.opts.jitter * this.random()
    return Math.round(Math.min(this.opts.maxDelayMs, exp * spread))
  }

  /** reset starts over from the base delay (after a connection that worked). */
  reset(): void {
    this.attempt = 0
  }
}

// When the console sounds its alarm, and for how long the officer silenced
// it: pure decisions, tested; src/lib/beep.ts makes the sound.

import { isOpen, type Change, type GridEvent } from '../types'

/** Why an alarm sounds: a critical item arrived, or one was escalated. */
export type AlarmReason = 'critical' | 'escalated'

/**
 * alarmReason says whether a live record should sound the alarm: a new open
 * critical event, or an update that escalated an event (the SLA timer's
 * `escalate` of an unacknowledged critical alert, or a whistle on a
 * critical case). Replayed records (`live` false) never sound: they are
 * news from before the officer looked.
 */
export function alarmReason(e: GridEvent, change: Change | null, live: boolean): AlarmReason | null {
  if (!live || !isOpen(e.status)) return null
  if (!change) return e.severity === 'critical' ? 'critical' : null
  if (change.action === 'escalate') return 'escalated'
  if (change.to === 'escalated' && change.from !== 'escalated' && e.severity === 'critical') return 'escalated'
  return null
}

/**
 * AlarmGate decides whether to beep now: not while silenced, and not more
 * than once per minGapMs (a storm of critical alerts is one alarm, not a
 * siren).
 */
export class AlarmGate {
  private lastSound = -Infinity
  /** Until when the officer silenced the alarm (epoch ms); 0: not silenced. */
  silencedUntil = 0

  constructor(private readonly minGapMs: number) {}

  /** silence mutes the alarm for ms from now (0 unmutes). */
  silence(now: number, ms: number): void {
    this.silencedUntil = ms > 0 ? now + ms : 0
  }

  /** silenced reports whether the alarm is muted at now. */
  silenced(now: number): boolean {
    return now < this.silencedUntil
  }

  /** shouldSound reports whether an alarm at now makes a sound, and remembers it if so. */
  shouldSound(now: number): boolean {
    if (this.silenced(now) || now - this.lastSound < this.minGapMs) return false
    this.lastSound = now
    return true
  }
}

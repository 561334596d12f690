// The console's audible alarm: it listens to what the socket applies to the
// events store (Pinia's $onAction, so the live pipeline is not touched),
// decides with alarmReason, beeps through AlarmGate, and remembers a
// silence across reloads (localStorage), because an officer who silenced a
// storm must not be startled again by a page reload.

import { onBeforeUnmount, ref, shallowRef } from 'vue'
import { CONSOLE } from '../../config'
import { AlarmGate, alarmReason, type AlarmReason } from '../../lib/alarm'
import { beep } from '../../lib/beep'
import { useEventsStore } from '../../stores/events'
import type { Change, GridEvent } from '../../types'

const SILENCE_KEY = 'gridcc.console.alarmSilencedUntil'

/** The last alarm, for the header (what rang and when). */
export interface AlarmNotice {
  event: GridEvent
  reason: AlarmReason
  at: number
}

/** useAlarm wires the alarm for the lifetime of the calling component. */
export function useAlarm(play: () => boolean = beep) {
  const events = useEventsStore()
  const gate = new AlarmGate(CONSOLE.alarmMinGapMs)
  const stored = Number(localStorage.getItem(SILENCE_KEY) ?? 0)
  if (stored > Date.now()) gate.silencedUntil = stored

  const silencedUntil = ref(gate.silencedUntil)
  const last = shallowRef<AlarmNotice | null>(null)
  /** Alarms raised (sounded or silenced), and sounds started: for the status line and tests. */
  const raised = ref(0)
  const sounded = ref(0)

  function raise(e: GridEvent, reason: AlarmReason): void {
    const now = Date.now()
    raised.value++
    last.value = { event: e, reason, at: now }
    if (gate.shouldSound(now) && play()) sounded.value++
  }

  let replaying: () => boolean = () => false
  /** follow tells the alarm how to know a replay (the socket store's status). */
  function follow(isReplaying: () => boolean): void {
    replaying = isReplaying
  }

  const off = events.$onAction(({ name, args }) => {
    if (name === 'addEvent') {
      const [e, live] = args as [GridEvent, boolean]
      const r = alarmReason(e, null, live)
      if (r) raise(e, r)
    } else if (name === 'applyUpdate') {
      const [change, e] = args as [Change, GridEvent]
      // Updates are only applied live or in a replay; a replay after a
      // reconnect is old news, like replayed events.
      const r = alarmReason(e, change, !replaying())
      if (r) raise(e, r)
    }
  })

  /** silence mutes the alarm for minutes (0 unmutes). */
  function silence(minutes: number): void {
    gate.silence(Date.now(), minutes * 60_000)
    silencedUntil.value = gate.silencedUntil
    if (gate.silencedUntil) localStorage.setItem(SILENCE_KEY, String(gate.silencedUntil))
    else localStorage.removeItem(SILENCE_KEY)
  }

  onBeforeUnmount(off)

  return { silencedUntil, last, raised, sounded, silence, follow, isSilenced: (now: number) => gate.silenced(now) }
}

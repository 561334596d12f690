// The replay's loading and playback: it reads a window's records page by
// page (GET /stats/replay, in time order) into a ReplayCursor, and plays
// the cursor forward with requestAnimationFrame at a speed of 1× to 3600×.
// Seeking (the slider, "jump to") works on what is loaded; pages keep
// coming in the background until the window is complete or the cap is hit.

import { onBeforeUnmount, ref, shallowRef, type Ref, type ShallowRef } from 'vue'
import { fetchReplay, type PeriodQuery } from '../../api/review'
import { playhead, ReplayCursor } from '../../lib/replay'

/** Records per request, and the most a browser holds (a real week is about 5,000). */
export const REPLAY_PAGE = 5000
export const REPLAY_CAP = 60_000

/** What the panel reads. */
export interface Replay {
  cursor: ShallowRef<ReplayCursor | null>
  /** Bumped whenever the cursor moved or more records arrived. */
  version: Ref<number>
  loaded: Ref<number>
  total: Ref<number>
  truncated: Ref<boolean>
  failed: Ref<boolean>
  playing: Ref<boolean>
  speed: Ref<number>
  open(window: PeriodQuery): Promise<void>
  play(): void
  pause(): void
  seek(t: number): void
}

/** useReplay owns one replay for the component that calls it. */
export function useReplay(): Replay {
  const cursor = shallowRef<ReplayCursor | null>(null)
  const version = ref(0)
  const loaded = ref(0)
  const total = ref(0)
  const truncated = ref(false)
  const failed = ref(false)
  const playing = ref(false)
  const speed = ref(60)
  let frame = 0
  let last = 0
  let opened = 0

  async function open(window: PeriodQuery): Promise<void> {
    const id = ++opened
    pause()
    cursor.value = null
    loaded.value = total.value = 0
    truncated.value = failed.value = false
    let after: string | undefined
    try {
      do {
        const page = await fetchReplay(window, after, REPLAY_PAGE)
        if (id !== opened) return // another window was opened meanwhile
        if (!cursor.value) cursor.value = new ReplayCursor(Date.parse(page.from), Date.parse(page.to))
        cursor.value.append(page.items)
        total.value = page.total
        loaded.value = cursor.value.size
        after = page.next
        version.value++
      } while (after && loaded.value < REPLAY_CAP)
      truncated.value = !!after
    } catch (err) {
      if (id === opened) failed.value = true
      console.warn('replay request failed', err)
    }
  }

  function tick(now: number): void {
    const c = cursor.value
    if (!c || !playing.value) return
    const next = playhead(c.time, now - last, speed.value, c.to)
    last = now
    c.advance(next)
    version.value++
    if (next >= c.to) {
      playing.value = false
      return
    }
    frame = requestAnimationFrame(tick)
  }

  function play(): void {
    const c = cursor.value
    if (!c || playing.value) return
    if (c.time >= c.to) c.seek(c.from) // played to the end: start over
    playing.value = true
    last = performance.now()
    frame = requestAnimationFrame(tick)
  }

  function pause(): void {
    playing.value = false
    cancelAnimationFrame(frame)
  }

  function seek(t: number): void {
    cursor.value?.seek(t)
    version.value++
  }

  onBeforeUnmount(() => {
    opened++
    pause()
  })

  return { cursor, version, loaded, total, truncated, failed, playing, speed, open, play, pause, seek }
}

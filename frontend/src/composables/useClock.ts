// useClock is a ticking "now" for clocks and countdowns (one timer per use).

import { onBeforeUnmount, onMounted, ref, type Ref } from 'vue'

/** useClock returns Date.now(), refreshed every periodMs (aligned to the second). */
export function useClock(periodMs = 1000): Ref<number> {
  const now = ref(Date.now())
  let timer: ReturnType<typeof setTimeout> | null = null
  const tick = (): void => {
    now.value = Date.now()
    timer = setTimeout(tick, periodMs - (now.value % periodMs) + 5)
  }
  onMounted(tick)
  onBeforeUnmount(() => {
    if (timer !== null) clearTimeout(timer)
  })
  return now
}

// The live district counters, as the server last sent them (snapshot or
// stats message). Only the socket store writes them.

import { defineStore } from 'pinia'
import { computed, shallowRef } from 'vue'
import type { Kind, Stats } from '../types'

export const useStatsStore = defineStore('stats', () => {
  /** The latest counters; null until the first snapshot (or after a reset). */
  const stats = shallowRef<Stats | null>(null)

  function set(s: Stats): void {
    stats.value = s
  }

  function clear(): void {
    stats.value = null
  }

  /** todayByKind returns today's count of one kind, 0 when unknown. */
  function todayByKind(k: Kind): number {
    return stats.value?.today_by_kind[k] ?? 0
  }

  const todayTotal = computed(() => stats.value?.today_total ?? 0)

  return { stats, set, clear, todayByKind, todayTotal }
})

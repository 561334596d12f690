// The queue store: the duty officers' view of the open events the socket
// keeps current — the officer's filters, the facet counts, urgency order,
// alert storms folded into one row, the selected item and the alerts ticked
// for a batch acknowledgement. It reads the events store and never writes
// it; it recomputes at most once a second however fast records arrive.

import { defineStore } from 'pinia'
import { computed, ref, shallowRef, watch } from 'vue'
import { CONSOLE } from '../config'
import { Coalescer } from '../lib/coalesce'
import { applyFilter, emptyFilter, type FacetCounts, type QueueFilter } from '../lib/queue'
import { groupStorms, isAlert, type QueueRow } from '../lib/storms'
import { sortByUrgency } from '../lib/urgency'
import type { GridEvent } from '../types'
import { useEventsStore } from './events'

/** A row as the list draws it: a queue row, or a member of an expanded storm. */
export type ListRow = QueueRow | { type: 'member'; key: string; event: GridEvent; storm: string }

const emptyCounts = (): FacetCounts => ({ kind: {}, category: {}, severity: {}, street: {}, status: {}, overdue: 0, total: 0 })

export const useQueueStore = defineStore('queue', () => {
  const events = useEventsStore()

  const filter = ref<QueueFilter>(emptyFilter())
  const rows = shallowRef<QueueRow[]>([])
  const counts = shallowRef<FacetCounts>(emptyCounts())
  /** The open events in the district's queue before filters (for the header). */
  const openTotal = ref(0)
  /** The item whose detail is shown (an event id); it stays selected when it leaves the queue. */
  const selectedId = ref<string | null>(null)
  /** Storms shown with their members. */
  const expanded = ref(new Set<string>())
  /** Alerts ticked for a batch acknowledgement. */
  const checked = ref(new Set<string>())
  /** When the queue was last computed (epoch ms): countdowns in rows use it. */
  const computedAt = ref(Date.now())

  function recompute(): void {
    const now = Date.now()
    const { matched, counts: c } = applyFilter(events.open.values(), filter.value, now)
    rows.value = groupStorms(sortByUrgency(matched), CONSOLE.stormMinSize)
    counts.value = c
    openTotal.value = events.open.size
    computedAt.value = now
    // A ticked alert that left the queue (acknowledged elsewhere) is unticked.
    if ([...checked.value].some((id) => !events.open.has(id))) {
      checked.value = new Set([...checked.value].filter((id) => events.open.has(id)))
    }
  }

  const flush = new Coalescer(recompute, CONSOLE.queueIntervalMs)
  let clock: ReturnType<typeof setInterval> | null = null
  watch(() => events.version, () => flush.mark())
  watch(filter, () => recompute(), { deep: true })

  /** start recomputes now and then with the live data and the clock. */
  function start(): void {
    recompute()
    clock ??= setInterval(() => flush.mark(), CONSOLE.queueClockMs)
  }

  function stop(): void {
    if (clock !== null) clearInterval(clock)
    clock = null
  }

  /** list is what the list draws: queue rows, each expanded storm followed by its members. */
  const list = computed<ListRow[]>(() => {
    const out: ListRow[] = []
    for (const r of rows.value) {
      out.push(r)
      if (r.type === 'storm' && expanded.value.has(r.key)) {
        for (const e of r.events) out.push({ type: 'member', key: `${r.key}/${e.id}`, event: e, storm: r.key })
      }
    }
    return out
  })

  /** rowEvent is the event a row stands for (a storm: its most urgent member). */
  function rowEvent(r: ListRow): GridEvent {
    return r.type === 'storm' ? r.lead : r.event
  }

  /**
   * holdsSelection reports whether row r shows the selection: a folded storm
   * holds its members; an expanded one leaves them to their own rows.
   */
  function holdsSelection(r: ListRow): boolean {
    const id = selectedId.value
    if (!id) return false
    if (r.type === 'storm') return !expanded.value.has(r.key) && r.events.some((e) => e.id === id)
    return r.event.id === id
  }

  /** selectedIndex is the list index of the row holding the selection, -1 when none does. */
  const selectedIndex = computed(() => list.value.findIndex(holdsSelection))

  /** move selects the row `by` rows away from the selection (or the first row). */
  function move(by: number): void {
    const l = list.value
    if (!l.length) return
    const i = selectedIndex.value
    const next = i < 0 ? 0 : Math.min(l.length - 1, Math.max(0, i + by))
    selectedId.value = rowEvent(l[next]!).id
  }

  function toggleExpanded(key: string): void {
    const s = new Set(expanded.value)
    if (!s.delete(key)) s.add(key)
    expanded.value = s
  }

  /** toggleChecked ticks or unticks alerts (a storm: all its members). */
  function toggleChecked(evs: readonly GridEvent[]): void {
    const alerts = evs.filter(isAlert)
    const s = new Set(checked.value)
    const all = alerts.every((e) => s.has(e.id))
    for (const e of alerts) {
      if (all) s.delete(e.id)
      else s.add(e.id)
    }
    checked.value = s
  }

  function clearChecked(): void {
    checked.value = new Set()
  }

  function setFilter(f: Partial<QueueFilter>): void {
    filter.value = { ...filter.value, ...f }
  }

  function resetFilter(): void {
    filter.value = emptyFilter()
  }

  return {
    filter,
    rows,
    counts,
    openTotal,
    selectedId,
    expanded,
    checked,
    computedAt,
    list,
    selectedIndex,
    holdsSelection,
    start,
    stop,
    recompute,
    rowEvent,
    move,
    toggleExpanded,
    toggleChecked,
    clearChecked,
    setFilter,
    resetFilter,
  }
})

// The queue store over the live events store: urgency order, storms, the
// selection kept when its item leaves, keyboard moves, ticking a storm.

import { beforeEach, describe, expect, it, vi } from 'vitest'
import { nextTick } from 'vue'
import { createPinia, setActivePinia } from 'pinia'
import { useEventsStore } from '../src/stores/events'
import { useQueueStore } from '../src/stores/queue'
import { mkEvent } from './helpers'

beforeEach(() => {
  setActivePinia(createPinia())
  vi.useFakeTimers()
  vi.setSystemTime(new Date('2026-11-25T10:00:00+08:00'))
})

function stores() {
  const events = useEventsStore()
  events.configure({ listIntervalMs: 0 })
  const queue = useQueueStore()
  return { events, queue }
}

/** settle lets the store's watchers run, then its one-second coalescer. */
async function settle(): Promise<void> {
  await nextTick()
  await vi.advanceTimersByTimeAsync(1_000)
}

const cam = (id: string) => mkEvent({ id, kind: 'camera_alert', category: 'crowd', severity: 'high', grid_id: 'g7', camera_id: 'c1' })

describe('queue store', () => {
  it('orders live events by urgency and folds storms, at most once a second', async () => {
    const { events, queue } = stores()
    events.replaceAll([mkEvent({ id: 'low', severity: 'low' }), mkEvent({ id: 'crit', severity: 'critical' })])
    queue.start()
    expect(queue.rows.map((r) => r.key)).toEqual(['crit', 'low'])
    events.addEvent(cam('a1'), true)
    await nextTick()
    await vi.advanceTimersByTimeAsync(0) // the first change after a quiet while shows at once
    expect(queue.rows.map((r) => r.key)).toEqual(['crit', 'a1', 'low'])
    events.addEvent(cam('a2'), true)
    events.addEvent(cam('a3'), true)
    await nextTick()
    await vi.advanceTimersByTimeAsync(300)
    expect(queue.rows).toHaveLength(3) // the next ones wait for the second to end
    await settle()
    expect(queue.rows.map((r) => r.key)).toEqual(['crit', 'storm:camera_alert:g7', 'low'])
    expect(queue.counts.kind).toEqual({ grid_event: 2, camera_alert: 3 })
    queue.stop()
  })

  it('keeps the selection when its item leaves and moves through expanded storms', async () => {
    const { events, queue } = stores()
    events.replaceAll([mkEvent({ id: 'crit', severity: 'critical' }), cam('a1'), cam('a2'), cam('a3'), mkEvent({ id: 'low', severity: 'low' })])
    queue.start()
    queue.move(1)
    expect(queue.selectedId).toBe('crit')
    queue.move(1)
    expect(queue.selectedId).toBe('a1') // the storm row stands for its lead
    queue.toggleExpanded('storm:camera_alert:g7')
    expect(queue.selectedIndex).toBe(2) // the member's own row, not the storm's
    queue.move(1)
    expect(queue.selectedId).toBe('a2')
    events.applyUpdate({ event_id: 'a2', seq: 9, at: '', from: 'reported', to: 'acknowledged', actor: 'x' }, { ...cam('a2'), status: 'acknowledged' })
    await settle()
    expect(queue.selectedId).toBe('a2')
    expect(queue.selectedIndex).toBe(-1)
    queue.stop()
  })

  it('ticks a whole storm and unticks what left the queue', async () => {
    const { events, queue } = stores()
    events.replaceAll([cam('a1'), cam('a2'), cam('a3'), mkEvent({ id: 'h', kind: 'hotline' })])
    queue.start()
    const storm = queue.rows.find((r) => r.type === 'storm')!
    queue.toggleChecked(storm.type === 'storm' ? storm.events : [])
    queue.toggleChecked([events.open.get('h')!]) // not an alert: never ticked
    expect([...queue.checked].sort()).toEqual(['a1', 'a2', 'a3'])
    events.applyUpdate({ event_id: 'a1', seq: 9, at: '', from: 'reported', to: 'acknowledged', actor: 'x' }, { ...cam('a1'), status: 'acknowledged' })
    await settle()
    expect([...queue.checked].sort()).toEqual(['a2', 'a3'])
    queue.stop()
  })
})

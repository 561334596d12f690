// The grid worker on duty in a grid, for the camera-alert card.
// GET /api/v1/grids/{grid_id}/duty → {"grid_id","worker":{"name","phone"}},
// masked for the wall role by the server. Not built on the server yet: a
// 404 (or any failure) means "unknown", and the card says so.

import { getJSON } from './http'

/** A grid worker as the card shows them (already masked for the wall). */
export interface DutyWorker {
  name: string
  phone: string | null
}

const cache = new Map<string, { at: number; worker: DutyWorker | null }>()
const TTL_MS = 10 * 60_000
const MAX_CACHED = 200

/** fetchDuty returns the worker on duty in gridId, or null when unknown. Cached for 10 minutes. */
export async function fetchDuty(gridId: string, now = Date.now()): Promise<DutyWorker | null> {
  const hit = cache.get(gridId)
  if (hit && now - hit.at < TTL_MS) return hit.worker
  let worker: DutyWorker | null = null
  try {
    const body = await getJSON<{ worker?: { name?: string; phone?: string } }>(
      `/api/v1/grids/${encodeURIComponent(gridId)}/duty`,
      { timeoutMs: 5_000 },
    )
    if (body.worker?.name) worker = { name: body.worker.name, phone: body.worker.phone ?? null }
  } catch {
    worker = null
  }
  if (cache.size >= MAX_CACHED) cache.clear()
  cache.set(gridId, { at: now, worker })
  return worker
}

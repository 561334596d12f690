// The grid worker on duty in a grid: GET /api/v1/grids/{grid_id}/duty
// (docs/auth.md "The grid worker on duty"). Masked by the server unless the
// role may reveal personal data in that grid; every unmasked answer is
// audited there. The wall's camera card and the console's detail use it.

import { ApiError, getJSON } from './http'

/** The grid worker on duty as the server lets this user see them. */
export interface DutyWorker {
  name: string
  phone: string | null
  /** The server masked the name and phone (叶某, 138****1234). */
  masked: boolean
}

interface DutyBody {
  grid_id: string
  worker: { name?: string; phone?: string } | null
  masked: boolean
}

const cache = new Map<string, { at: number; worker: DutyWorker | null }>()
const TTL_MS = 10 * 60_000
const MAX_CACHED = 200

/**
 * fetchDuty returns the worker on duty in gridId, or null when nobody is on
 * record or the server did not answer (the card says "unknown"). Answers
 * are cached for 10 minutes, so a storm of alerts in one grid asks once.
 */
export async function fetchDuty(gridId: string, now = Date.now()): Promise<DutyWorker | null> {
  const hit = cache.get(gridId)
  if (hit && now - hit.at < TTL_MS) return hit.worker
  let worker: DutyWorker | null = null
  try {
    const body = await getJSON<DutyBody>(`/api/v1/grids/${encodeURIComponent(gridId)}/duty`, { timeoutMs: 5_000 })
    if (body.worker?.name) worker = { name: body.worker.name, phone: body.worker.phone ?? null, masked: body.masked }
  } catch (err) {
    // A failure is not cached as "nobody": the next card asks again.
    if (!(err instanceof ApiError) || err.status !== 404) return null
  }
  if (cache.size >= MAX_CACHED) cache.clear()
  cache.set(gridId, { at: now, worker })
  return worker
}

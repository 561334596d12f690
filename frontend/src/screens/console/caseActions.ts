// Taking workflow actions from the console: one runner the detail panel and
// the queue's batch acknowledgement share (provide/inject). It sends the
// session's CSRF token, turns every refusal into a readable Chinese notice
// (lib/actionErrors), and sends the officer to the login when the session
// ended (401).

import { inject, provide, shallowRef, watch, type InjectionKey, type ShallowRef } from 'vue'
import { useRouter } from 'vue-router'
import { act, type ActionRequest, type ActionResult } from '../../api/cases'
import { ApiError } from '../../api/http'
import { CONSOLE } from '../../config'
import { actionErrorMessage } from '../../lib/actionErrors'
import { useSessionStore } from '../../stores/session'
import { actionLabel, T } from '../../strings'

/** What the officer is told after an action: done, or why not. */
export interface Notice {
  ok: boolean
  text: string
  /** Extra lines (the failures of a batch). */
  details?: string[]
  /** The request field a refusal named (400/422): the form stays open to fix it. */
  field?: string
  at: number
}

/** The runner of the console's actions. */
export interface CaseActions {
  notice: ShallowRef<Notice | null>
  /** run takes one action; null when refused (the notice says why). */
  run(id: string, req: ActionRequest): Promise<ActionResult | null>
  /** acknowledgeMany acknowledges alerts, a few at a time; the notice sums up. */
  acknowledgeMany(ids: readonly string[]): Promise<void>
  dismiss(): void
}

const KEY: InjectionKey<CaseActions> = Symbol('caseActions')

/** How long a success notice stays. */
const NOTICE_MS = 8_000

/** provideCaseActions creates the runner for the console (call in its root component). */
export function provideCaseActions(): CaseActions {
  const session = useSessionStore()
  const router = useRouter()
  const notice = shallowRef<Notice | null>(null)
  let fade: ReturnType<typeof setTimeout> | null = null
  // A success fades after a while; a refusal stays until read (clicked) or replaced.
  watch(notice, (n) => {
    if (fade !== null) clearTimeout(fade)
    fade = n?.ok ? setTimeout(() => (notice.value = null), NOTICE_MS) : null
  })

  function refused(err: unknown, action: string): string {
    if (err instanceof ApiError && err.status === 401) {
      session.expired()
      void router.push({ path: '/login', query: { next: '/console' } })
    }
    return actionErrorMessage(err, action)
  }

  async function run(id: string, req: ActionRequest): Promise<ActionResult | null> {
    try {
      const res = await act(id, req, session.csrf)
      notice.value = { ok: true, text: T.conDone(actionLabel(req.action)), at: Date.now() }
      return res
    } catch (err) {
      const field = err instanceof ApiError && (err.status === 400 || err.status === 422) ? err.field : undefined
      notice.value = { ok: false, text: refused(err, req.action), field, at: Date.now() }
      return null
    }
  }

  async function acknowledgeMany(ids: readonly string[]): Promise<void> {
    const failures: string[] = []
    let ok = 0
    const queue = [...ids]
    const worker = async (): Promise<void> => {
      for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
        try {
          await act(id, { action: 'acknowledge' }, session.csrf)
          ok++
        } catch (err) {
          failures.push(`${id}：${refused(err, 'acknowledge')}`)
        }
      }
    }
    await Promise.all(Array.from({ length: Math.min(CONSOLE.batchConcurrency, ids.length) }, worker))
    notice.value = { ok: failures.length === 0, text: T.conBatchDone(ok, failures.length), details: failures.slice(0, 5), at: Date.now() }
  }

  const actions: CaseActions = { notice, run, acknowledgeMany, dismiss: () => (notice.value = null) }
  provide(KEY, actions)
  return actions
}

/** useCaseActions returns the console's runner (provided by ConsoleScreen). */
export function useCaseActions(): CaseActions {
  const a = inject(KEY)
  if (!a) throw new Error('useCaseActions outside the console')
  return a
}

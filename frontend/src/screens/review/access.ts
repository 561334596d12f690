// Who is looking at the review: the screens are behind a login (the
// console's login page sets the session cookie). The session store asks
// /api/v1/me, which answers 401 without a session; the screen then says so
// and links to the login page, which comes back here afterwards (?next=).

import { computed, ref, type ComputedRef, type Ref } from 'vue'
import type { Me } from '../../api/session'
import { useSessionStore } from '../../stores/session'

/** The state of the check. */
export type Access = 'checking' | 'ok' | 'login' | 'forbidden' | 'error'

/** loginURL is the login page that returns to next afterwards. */
export function loginURL(next: string): string {
  return `/login?next=${encodeURIComponent(next)}`
}

/** useAccess checks the session once; the review needs stats.read, its downloads export. */
export function useAccess(): { access: Ref<Access>; me: ComputedRef<Me | null>; canExport: ComputedRef<boolean>; check: () => Promise<Access> } {
  const session = useSessionStore()
  const access = ref<Access>('checking')
  async function check(): Promise<Access> {
    try {
      const m = await session.load()
      access.value = !m ? 'login' : session.can('stats.read') ? 'ok' : 'forbidden'
    } catch {
      access.value = 'error'
    }
    return access.value
  }
  return { access, me: computed(() => session.me), canExport: computed(() => session.can('export')), check }
}

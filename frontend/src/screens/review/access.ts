// Who is looking at the review: the screens are behind a login (the
// console's login page sets the session cookie). /api/v1/me answers 401
// without a session; the screen then says so and links to the login page,
// which comes back here afterwards (?next=).

import { ref, type Ref } from 'vue'
import { fetchMe, type Me } from '../../api/review'
import { ApiError } from '../../api/http'

/** The state of the check. */
export type Access = 'checking' | 'ok' | 'login' | 'forbidden' | 'error'

/** loginURL is the login page that returns to next afterwards. */
export function loginURL(next: string): string {
  return `/login?next=${encodeURIComponent(next)}`
}

/** useAccess asks /api/v1/me once; the review needs stats.read, its downloads export. */
export function useAccess(): { access: Ref<Access>; me: Ref<Me | null>; canExport: Ref<boolean>; check: () => Promise<Access> } {
  const access = ref<Access>('checking')
  const me = ref<Me | null>(null)
  const canExport = ref(false)
  async function check(): Promise<Access> {
    try {
      const m = await fetchMe()
      me.value = m
      canExport.value = m.permissions.includes('export')
      access.value = m.permissions.includes('stats.read') ? 'ok' : 'forbidden'
    } catch (err) {
      access.value = err instanceof ApiError && err.status === 401 ? 'login' : 'error'
    }
    return access.value
  }
  return { access, me, canExport, check }
}

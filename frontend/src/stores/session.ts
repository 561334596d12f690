// The session store: who is logged in (GET /api/v1/me), login and logout,
// and the CSRF token every write sends. The route guard (router.ts) asks it
// before a screen behind a login opens.

import { defineStore } from 'pinia'
import { computed, ref, shallowRef } from 'vue'
import { ApiError } from '../api/http'
import { fetchMe, login as apiLogin, logout as apiLogout, type Me, type Perm } from '../api/session'

/** unknown: not asked yet; anonymous: nobody (401); user: `me` is set. */
export type SessionState = 'unknown' | 'anonymous' | 'user'

export const useSessionStore = defineStore('session', () => {
  const me = shallowRef<Me | null>(null)
  const state = ref<SessionState>('unknown')
  let asking: Promise<Me | null> | null = null

  const csrf = computed(() => me.value?.csrf_token)

  /** can reports whether the logged-in role has perm. */
  function can(perm: Perm): boolean {
    return me.value?.permissions.includes(perm) ?? false
  }

  /**
   * load asks the server once who the cookie belongs to (later calls reuse
   * the answer; force asks again). A 401 is "nobody"; other failures throw.
   */
  function load(force = false): Promise<Me | null> {
    if (!force && state.value !== 'unknown') return Promise.resolve(me.value)
    asking ??= fetchMe()
      .then((m) => set(m))
      .catch((err: unknown) => {
        if (err instanceof ApiError && err.status === 401) return set(null)
        throw err
      })
      .finally(() => (asking = null))
    return asking
  }

  function set(m: Me | null): Me | null {
    me.value = m
    state.value = m ? 'user' : 'anonymous'
    return m
  }

  /** login opens a session; ApiError on failure (401, 429 with retryAfter, 503). */
  async function login(name: string, password: string): Promise<Me> {
    const m = await apiLogin(name, password)
    set(m)
    return m
  }

  /** logout ends the session; the state is "nobody" even if the server could not be reached. */
  async function logout(): Promise<void> {
    try {
      await apiLogout(csrf.value)
    } finally {
      set(null)
    }
  }

  /** expired is called when a request answered 401: the session ended (idle, revoked). */
  function expired(): void {
    set(null)
  }

  return { me, state, csrf, can, load, login, logout, expired }
})

// Who is logged in: POST /api/v1/login, POST /api/v1/logout, GET /api/v1/me
// (docs/auth.md "Logging in"). The session itself is an HttpOnly cookie the
// scripts never see; writes send the CSRF token the answers carry.

import { getJSON, sendJSON } from './http'

/** A permission of the roles table (backend/auth/perm.go). */
export type Perm =
  | 'ingest'
  | 'watch'
  | 'events.read'
  | 'events.act'
  | 'stats.read'
  | 'export'
  | 'audit.read'
  | 'users.manage'
  | 'personal.reveal'
  | 'duty.read'

/** The answer of POST /login and GET /me. */
export interface Me {
  name: string
  display: string
  role: string
  permissions: Perm[]
  /** null fields do not restrict; responder: the directory id of a responder role. */
  scope: { streets: string[] | null; communities: string[] | null; responder?: string }
  via: 'cookie' | 'bearer'
  csrf_token?: string
  expires_at?: string
}

/** login opens a session with a name and password; 401 wrong, 429 locked (ApiError.retryAfter). */
export function login(name: string, password: string): Promise<Me> {
  return sendJSON<Me>('POST', '/api/v1/login', { name, password }, { timeoutMs: 20_000 })
}

/** logout ends the session in use. */
export function logout(csrf: string | undefined): Promise<void> {
  return sendJSON<void>('POST', '/api/v1/logout', undefined, { csrf })
}

/** fetchMe says who the cookie belongs to; 401 when nobody is logged in. */
export function fetchMe(): Promise<Me> {
  return getJSON<Me>('/api/v1/me', { timeoutMs: 10_000 })
}

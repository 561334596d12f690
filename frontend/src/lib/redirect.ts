// Where the login page sends the user afterwards: only a path of this site,
// so a crafted link (?next=//evil.example) cannot send a fresh session away.

/** safeNext returns next when it is a same-site path (not "//…", no scheme), else fallback. */
export function safeNext(next: unknown, fallback = '/console'): string {
  if (typeof next !== 'string' || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return fallback
  if (next.startsWith('/login')) return fallback
  return next
}

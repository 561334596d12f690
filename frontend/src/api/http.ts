// The one HTTP client of the screens: same-origin fetch with the session
// cookie, a timeout, and errors as ApiError with the server's code
// (`{"error":{"code","message","field"}}`, docs/ingest.md "Errors"). Writes
// carry the session's CSRF token (docs/auth.md "CSRF").

/** ApiError is a failed request: status 0 for a network error or timeout. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
    /** Seconds from the Retry-After header (429 lockouts and rate limits), when sent. */
    readonly retryAfter?: number,
  ) {
    super(message)
    this.name = 'ApiError'
  }

  /**
   * unavailable reports whether the endpoint is missing or down (404, 501,
   * 503, network): screens show an empty-state panel and try again later.
   */
  get unavailable(): boolean {
    return this.status === 0 || this.status === 404 || this.status === 501 || this.status === 502 || this.status === 503 || this.status === 504
  }
}

/** Options of getJSON. */
export interface GetOptions {
  timeoutMs?: number
  signal?: AbortSignal
}

/** getJSON fetches path (same origin) and decodes its JSON body; failures throw ApiError. */
export function getJSON<T>(path: string, opts: GetOptions = {}): Promise<T> {
  return request<T>('GET', path, undefined, {}, opts)
}

/** Options of sendJSON. */
export interface SendOptions extends GetOptions {
  /** The session's CSRF token (GET /api/v1/me): cookie-authenticated writes need it (docs/auth.md). */
  csrf?: string
}

/**
 * sendJSON sends body as JSON with method (POST, …) and decodes the JSON
 * answer; an empty answer (204) resolves to undefined. Failures throw ApiError.
 */
export function sendJSON<T>(method: string, path: string, body: unknown, opts: SendOptions = {}): Promise<T> {
  const headers: Record<string, string> = { 'Content-Type': 'application/json' }
  if (opts.csrf) headers['X-CSRF-Token'] = opts.csrf
  return request<T>(method, path, body === undefined ? undefined : JSON.stringify(body), headers, opts)
}

async function request<T>(method: string, path: string, body: string | undefined, headers: Record<string, string>, opts: GetOptions): Promise<T> {
  const ctl = new AbortController()
  const timer = setTimeout(() => ctl.abort(), opts.timeoutMs ?? 15_000)
  const onAbort = (): void => ctl.abort()
  opts.signal?.addEventListener('abort', onAbort, { once: true })
  let res: Response
  try {
    res = await fetch(path, {
      method,
      body,
      credentials: 'same-origin',
      headers: { Accept: 'application/json', ...headers },
      signal: ctl.signal,
    })
  } catch (err) {
    throw new ApiError(0, 'network', err instanceof Error ? err.message : String(err))
  } finally {
    clearTimeout(timer)
    opts.signal?.removeEventListener('abort', onAbort)
  }
  if (!res.ok) throw await errorOf(res)
  if (res.status === 204) return undefined as T
  try {
    return (await res.json()) as T
  } catch (err) {
    throw new ApiError(res.status, 'bad_json', err instanceof Error ? err.message : String(err))
  }
}

/** errorOf reads gridcc's error body (`{"error":{"code","message","field"}}`) of a failed response. */
async function errorOf(res: Response): Promise<ApiError> {
  let code = 'http_' + res.status
  let message = res.statusText
  let field: string | undefined
  try {
    const body = (await res.json()) as { error?: { code?: string; message?: string; field?: string } }
    code = body.error?.code ?? code
    message = body.error?.message ?? message
    field = body.error?.field
  } catch {
    /* not a JSON error body */
  }
  const retry = Number(res.headers.get('Retry-After'))
  return new ApiError(res.status, code, message, field, Number.isFinite(retry) && retry > 0 ? retry : undefined)
}

/** query builds a query string from defined values. */
export function query(params: Record<string, string | number | undefined>): string {
  const q = new URLSearchParams()
  for (const [k, v] of Object.entries(params)) if (v !== undefined) q.set(k, String(v))
  const s = q.toString()
  return s ? '?' + s : ''
}

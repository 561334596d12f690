// The one HTTP client of the screens: same-origin fetch with the session
// cookie, a timeout, and errors as ApiError with the server's code
// (`{"error":{"code","message","field"}}`, docs/ingest.md "Errors").

/** ApiError is a failed request: status 0 for a network error or timeout. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
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
export async function getJSON<T>(path: string, opts: GetOptions = {}): Promise<T> {
  const ctl = new AbortController()
  const timer = setTimeout(() => ctl.abort(), opts.timeoutMs ?? 15_000)
  const onAbort = (): void => ctl.abort()
  opts.signal?.addEventListener('abort', onAbort, { once: true })
  let res: Response
  try {
    res = await fetch(path, { credentials: 'same-origin', headers: { Accept: 'application/json' }, signal: ctl.signal })
  } catch (err) {
    throw new ApiError(0, 'network', err instanceof Error ? err.message : String(err))
  } finally {
    clearTimeout(timer)
    opts.signal?.removeEventListener('abort', onAbort)
  }
  if (!res.ok) {
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
    throw new ApiError(res.status, code, message, field)
  }
  try {
    return (await res.json()) as T
  } catch (err) {
    throw new ApiError(res.status, 'bad_json', err instanceof Error ? err.message : String(err))
  }
}

/** query builds a query string from defined values. */
export function query(params: Record<string, string | number | undefined>): string {
  const q = new URLSearchParams()
  for (const [k, v] of Object.entries(params)) if (v !== undefined) q.set(k, String(v))
  const s = q.toString()
  return s ? '?' + s : ''
}

// @ts-check
// Shared helpers of the browser tests and the benchmark: configuration from
// the environment, a headless Chromium with the flags that work here, the
// wall page, ingest, screenshots and PNG pixels.

import { chromium } from 'playwright-core'
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { inflateSync } from 'node:zlib'

const here = path.dirname(fileURLToPath(import.meta.url))

/**
 * @typedef {object} E2EConfig
 * @property {string} url          server base URL, e.g. http://127.0.0.1:8080
 * @property {string} wallToken    token of a `wall` principal
 * @property {string} ingestToken  token of an `ingest:<source>` principal
 * @property {string} password     the password of the test users below
 * @property {{officer:string, reviewer:string, responder:string, street:string}} users  logins of an officer, a reviewer,
 *           responder:gafj and a street user (street:<streetCode>)
 * @property {string} streetCode   the street of the street user
 * @property {string} chromium     Chromium executable
 * @property {string} artifacts    folder for screenshots (git-ignored)
 */

/** config reads GRIDCC_E2E_* from the environment. @returns {E2EConfig} */
export function config() {
  const url = (process.env.GRIDCC_E2E_URL ?? '').replace(/\/+$/, '')
  if (!url) throw new Error('GRIDCC_E2E_URL is not set (e.g. http://127.0.0.1:8080)')
  return {
    url,
    wallToken: process.env.GRIDCC_E2E_WALL_TOKEN ?? '',
    ingestToken: process.env.GRIDCC_E2E_INGEST_TOKEN ?? '',
    password: process.env.GRIDCC_E2E_PASSWORD ?? '',
    users: {
      officer: process.env.GRIDCC_E2E_USER_OFFICER ?? '',
      reviewer: process.env.GRIDCC_E2E_USER_REVIEWER ?? '',
      responder: process.env.GRIDCC_E2E_USER_RESPONDER ?? '',
      street: process.env.GRIDCC_E2E_USER_STREET ?? '',
    },
    streetCode: process.env.GRIDCC_E2E_STREET ?? '',
    chromium: process.env.GRIDCC_CHROMIUM ?? '/usr/bin/chromium',
    artifacts: path.resolve(process.env.GRIDCC_E2E_ARTIFACTS ?? path.join(here, '..', '..', 'artifacts', 'frontend')),
  }
}

/** The flags that work as root in a container without a GPU (shared/notes/frontend.md). */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--enable-unsafe-swiftshader',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
]

/**
 * launch starts Chromium with a fresh profile (removed by close).
 * @param {E2EConfig} cfg
 * @param {{width:number,height:number}} viewport
 */
export async function launch(cfg, viewport = { width: 1920, height: 1080 }) {
  const profile = mkdtempSync(path.join(tmpdir(), 'gridcc-chromium-'))
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: cfg.chromium,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport,
    deviceScaleFactor: 1,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
  })
  return {
    context,
    async close() {
      await context.close().catch(() => {})
      rmSync(profile, { recursive: true, force: true })
    },
  }
}

/**
 * launchBrowser starts one Chromium for several independent contexts (each
 * with its own cookies: an officer and a responder logged in side by side).
 * @param {E2EConfig} cfg
 */
export async function launchBrowser(cfg) {
  const browser = await chromium.launch({ executablePath: cfg.chromium, headless: true, args: CHROMIUM_ARGS })
  return {
    browser,
    /** @param {{width:number,height:number}} viewport */
    newContext: (viewport) => browser.newContext({ viewport, deviceScaleFactor: 1, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' }),
    async close() {
      await browser.close().catch(() => {})
    },
  }
}

/**
 * watchErrors collects a page's console errors and page errors.
 * @param {import('playwright-core').Page} page
 * @returns {string[]}
 */
export function watchErrors(page) {
  /** @type {string[]} */
  const errors = []
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()} @ ${m.location().url}`)
  })
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`))
  return errors
}

/**
 * loginPage logs a user in through the login page, starting from `path`
 * (a screen behind the login, which redirects there first), and waits until
 * the browser is back on `path`.
 * @param {import('playwright-core').Page} page
 * @param {E2EConfig} cfg
 * @param {string} path
 * @param {string} name
 * @param {string} [password]
 */
export async function loginPage(page, cfg, path, name, password = cfg.password) {
  await page.goto(`${cfg.url}${path}`, { waitUntil: 'load', timeout: 60_000 })
  await page.waitForURL(/\/login\?next=/, { timeout: 30_000 })
  await page.fill('input[name=name]', name)
  await page.fill('input[name=password]', password)
  await page.click('button[type=submit]')
  await page.waitForURL((u) => u.pathname === path, { timeout: 30_000 })
}

/**
 * apiLogin logs a user in over the API; returns what a script needs to act
 * as them (the session cookie and the CSRF token).
 * @param {E2EConfig} cfg
 * @param {string} name
 * @returns {Promise<{cookie:string, csrf:string}>}
 */
export async function apiLogin(cfg, name) {
  const res = await fetch(`${cfg.url}/api/v1/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ name, password: cfg.password }),
  })
  if (res.status !== 200) throw new Error(`login ${name}: ${res.status} ${await res.text()}`)
  const me = /** @type {any} */ (await res.json())
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0]
  return { cookie, csrf: me.csrf_token }
}

/**
 * apiAct takes a workflow action as a user logged in with apiLogin.
 * @param {E2EConfig} cfg
 * @param {{cookie:string, csrf:string}} who
 * @param {string} id
 * @param {Record<string, unknown>} req
 * @returns {Promise<{status:number, body:any}>}
 */
export async function apiAct(cfg, who, id, req) {
  const res = await fetch(`${cfg.url}/api/v1/events/${encodeURIComponent(id)}/actions`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Cookie: who.cookie, 'X-CSRF-Token': who.csrf, Origin: cfg.url },
    body: JSON.stringify(req),
  })
  return { status: res.status, body: await res.json().catch(() => null) }
}

/**
 * wallURL is the wall's token link (the server trades the token for a
 * cookie and redirects to the same URL without it).
 * @param {E2EConfig} cfg
 * @param {Record<string,string>} [params]
 */
export function wallURL(cfg, params = {}) {
  const q = new URLSearchParams(params)
  if (cfg.wallToken) q.set('token', cfg.wallToken)
  return `${cfg.url}/wall?${q}`
}

/**
 * openWall opens the wall on a new page and waits until it is live and the
 * map is drawn. Console errors and page errors are collected in `errors`.
 * @param {import('playwright-core').BrowserContext} context
 * @param {E2EConfig} cfg
 * @param {{canvas?: string, timeoutMs?: number, viewport?: {width:number,height:number}}} [opts]
 */
export async function openWall(context, cfg, opts = {}) {
  const page = await context.newPage()
  if (opts.viewport) await page.setViewportSize(opts.viewport)
  /** @type {string[]} */
  const errors = []
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()} @ ${m.location().url}`)
  })
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`))
  /** @type {Record<string,string>} */
  const params = {}
  if (opts.canvas) params.canvas = opts.canvas
  await page.goto(wallURL(cfg, params), { waitUntil: 'load', timeout: opts.timeoutMs ?? 60_000 })
  await waitLive(page, opts.timeoutMs ?? 60_000)
  return { page, errors }
}

/**
 * waitLive waits for the socket to be live and the map's first draw.
 * @param {import('playwright-core').Page} page
 */
export async function waitLive(page, timeoutMs = 60_000) {
  await page.waitForFunction(
    () => {
      const g = /** @type {any} */ (window).__gridcc
      return g?.socket?.status === 'live' && !!g?.map && g.map.project(114.65, 33.62) !== null
    },
    undefined,
    { timeout: timeoutMs, polling: 250 },
  )
  // Two frames more so the canvases have painted what the stores hold.
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => r(null)))))
}

/**
 * shot saves a screenshot under the artifacts folder and returns its path and bytes.
 * @param {import('playwright-core').Page} page
 * @param {E2EConfig} cfg
 * @param {string} name
 */
export async function shot(page, cfg, name) {
  mkdirSync(cfg.artifacts, { recursive: true })
  const file = path.join(cfg.artifacts, `${name}.png`)
  const png = await page.screenshot({ path: file, timeout: 60_000 })
  return { file, png }
}

/**
 * postEvent sends one event with the ingest token; returns the server's answer.
 * @param {E2EConfig} cfg
 * @param {Record<string, unknown>} event
 * @returns {Promise<{status:number, body:any}>}
 */
export async function postEvent(cfg, event) {
  const res = await fetch(`${cfg.url}/api/v1/events`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${cfg.ingestToken}` },
    body: JSON.stringify(event),
  })
  return { status: res.status, body: await res.json().catch(() => null) }
}

/**
 * postBatch sends up to 1,000 events in one request; returns the per-item results.
 * @param {E2EConfig} cfg
 * @param {Record<string, unknown>[]} events
 * @returns {Promise<{status:number, results:any[]}>}
 */
export async function postBatch(cfg, events) {
  const res = await fetch(`${cfg.url}/api/v1/events/batch`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${cfg.ingestToken}` },
    body: JSON.stringify({ events }),
  })
  const body = /** @type {any} */ (await res.json().catch(() => null))
  return { status: res.status, results: body?.results ?? [] }
}

/**
 * gridIds fetches the district's grid ids (public geo layer).
 * @param {E2EConfig} cfg
 * @returns {Promise<string[]>}
 */
export async function gridIds(cfg) {
  const res = await fetch(`${cfg.url}/api/v1/geo/grids`)
  const fc = /** @type {any} */ (await res.json())
  return fc.features.map((/** @type {any} */ f) => f.properties.grid_id)
}

/** rfc3339 formats a time with the district's offset (+08:00). @param {number} t */
export function rfc3339(t = Date.now()) {
  const d = new Date(t + 8 * 3600_000)
  return d.toISOString().replace(/\.\d+Z$/, '+08:00')
}

/**
 * decodePNG decodes an 8-bit RGB or RGBA PNG (what Chromium screenshots are).
 * @param {Buffer} buf
 * @returns {{width:number,height:number,pixel:(x:number,y:number)=>[number,number,number]}}
 */
export function decodePNG(buf) {
  let off = 8
  let width = 0
  let height = 0
  let channels = 0
  /** @type {Buffer[]} */
  const idat = []
  while (off < buf.length) {
    const len = buf.readUInt32BE(off)
    const type = buf.toString('ascii', off + 4, off + 8)
    const data = buf.subarray(off + 8, off + 8 + len)
    if (type === 'IHDR') {
      width = data.readUInt32BE(0)
      height = data.readUInt32BE(4)
      const depth = data[8]
      const color = data[9]
      if (depth !== 8 || (color !== 2 && color !== 6) || data[12] !== 0) throw new Error(`unsupported PNG: depth ${depth} color ${color}`)
      channels = color === 6 ? 4 : 3
    } else if (type === 'IDAT') idat.push(data)
    else if (type === 'IEND') break
    off += 12 + len
  }
  const raw = inflateSync(Buffer.concat(idat))
  const stride = width * channels
  const out = Buffer.alloc(height * stride)
  for (let y = 0; y < height; y++) {
    const f = raw[y * (stride + 1)]
    const src = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1))
    const row = out.subarray(y * stride, (y + 1) * stride)
    const prev = y > 0 ? out.subarray((y - 1) * stride, y * stride) : null
    for (let i = 0; i < stride; i++) {
      const a = i >= channels ? row[i - channels] : 0
      const b = prev ? prev[i] : 0
      const c = prev && i >= channels ? prev[i - channels] : 0
      let v = src[i]
      if (f === 1) v += a
      else if (f === 2) v += b
      else if (f === 3) v += (a + b) >> 1
      else if (f === 4) {
        const p = a + b - c
        const pa = Math.abs(p - a)
        const pb = Math.abs(p - b)
        const pc = Math.abs(p - c)
        v += pa <= pb && pa <= pc ? a : pb <= pc ? b : c
      }
      row[i] = v & 0xff
    }
  }
  return {
    width,
    height,
    pixel(x, y) {
      const i = Math.round(y) * stride + Math.round(x) * channels
      return [out[i], out[i + 1], out[i + 2]]
    },
  }
}

/** hexRGB parses #rrggbb. @param {string} hex @returns {[number,number,number]} */
export function hexRGB(hex) {
  const n = parseInt(hex.slice(1), 16)
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255]
}

/** colorDistance is the largest channel difference. @param {number[]} a @param {number[]} b */
export function colorDistance(a, b) {
  return Math.max(Math.abs(a[0] - b[0]), Math.abs(a[1] - b[1]), Math.abs(a[2] - b[2]))
}

/** percentile of sorted numbers (nearest rank). @param {number[]} sorted @param {number} p */
export function percentile(sorted, p) {
  if (sorted.length === 0) return NaN
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]
}

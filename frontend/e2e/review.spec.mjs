// @ts-check
// The Friday review (/review) in headless Chromium against the real server
// (npm run e2e; see run.mjs for the environment). The server's ClickHouse
// database starts empty, so the test makes a little history of this week
// first — events through ingest, then a duty officer dispatching, closing,
// whistling and checking in through the API — and waits for the history
// writer. Every figure the page shows is checked against the stats API at
// that moment (other specs add events too). Screenshots: review-*.png.

import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { colorDistance, config, decodePNG, gridIds, hexRGB, launch, postEvent, rfc3339, shot } from './lib.mjs'

const cfg = config()
const PASSWORD = process.env.GRIDCC_E2E_PASSWORD ?? ''
const REVIEWER = process.env.GRIDCC_E2E_USER_REVIEWER ?? ''
const OFFICER = process.env.GRIDCC_E2E_USER_OFFICER ?? ''
/** Kind colours (src/theme.ts KIND_COLORS). */
const KIND_RGB = { grid_event: hexRGB('#3fd0ff'), hotline: hexRGB('#ffd166'), camera_alert: hexRGB('#ff6b9a') }

/** The district's ISO week of now (the district is UTC+8 all year), and today. */
function districtNow() {
  const local = new Date(Date.now() + 8 * 3600_000)
  const today = local.toISOString().slice(0, 10)
  const d = new Date(`${today}T00:00:00Z`)
  const weekday = (d.getUTCDay() + 6) % 7
  const thursday = new Date(d.getTime() + (3 - weekday) * 86_400_000)
  const year = thursday.getUTCFullYear()
  const week = Math.floor((thursday.getTime() - Date.UTC(year, 0, 1)) / 86_400_000 / 7) + 1
  return { today, week: `${year}-W${String(week).padStart(2, '0')}` }
}

/**
 * apiLogin logs a user in from node and returns a fetch for that session
 * (the cookie, and the CSRF token on writes).
 * @param {string} name
 */
async function apiLogin(name) {
  const res = await fetch(`${cfg.url}/api/v1/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ name, password: PASSWORD }),
  })
  const body = await res.text()
  assert.equal(res.status, 200, `login ${name}: ${res.status} ${body}`)
  const me = JSON.parse(body)
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0]
  /** @param {string} p @param {any} [body] */
  return async (p, body) => {
    const r = await fetch(cfg.url + p, {
      method: body ? 'POST' : 'GET',
      headers: { Cookie: cookie, 'X-CSRF-Token': me.csrf_token, 'Content-Type': 'application/json' },
      body: body ? JSON.stringify(body) : undefined,
    })
    const text = await r.text()
    assert.ok(r.status < 300, `${body ? 'POST' : 'GET'} ${p}: ${r.status} ${text}`)
    return text.startsWith('{') ? JSON.parse(text) : text
  }
}

/** @type {Awaited<ReturnType<typeof launch>>} */
let browser
/** @type {import('playwright-core').Page} */
let page
const { today, week } = districtNow()
/** @type {(p: string, body?: any) => Promise<any>} */
let asReviewer

/**
 * waitFor polls fn until it returns a truthy value; generous, never timed as an assertion.
 * @template T
 * @param {string} what
 * @param {() => Promise<T>} fn
 * @returns {Promise<T>}
 */
async function waitFor(what, fn, timeoutMs = 90_000) {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const v = await fn().catch(() => null)
    if (v) return v
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 500))
  }
}

/** seed makes this week's history: six events, a closed case, a whistle with a check-in, an acknowledged alert. */
async function seed() {
  assert.ok(cfg.ingestToken && PASSWORD && REVIEWER && OFFICER, 'GRIDCC_E2E_INGEST_TOKEN, _PASSWORD and _USER_REVIEWER/_OFFICER are required')
  asReviewer = await apiLogin(REVIEWER)
  // Other specs (and earlier runs on a developer's server) leave history
  // too: wait for this seed's own additions.
  const figuresNow = async () => {
    const s = await asReviewer(`/api/v1/stats/summary?week=${week}`)
    const c = await asReviewer(`/api/v1/stats/checkins?week=${week}`)
    return { reported: s.current.figures.reported, closings: s.current.figures.closings, summoned: c.total.summoned }
  }
  const base = await figuresNow()
  const grids = await gridIds(cfg)
  const cameras = /** @type {any} */ (await (await fetch(`${cfg.url}/api/v1/geo/cameras`)).json()).features
  const stamp = Date.now().toString(36)
  const kinds = [
    ['grid_event', 'dispute', 'high'],
    ['grid_event', 'environment', 'medium'],
    ['hotline', 'housing', 'medium'],
    ['hotline', 'dispute', 'high'],
    ['grid_event', 'city_management', 'low'],
    ['camera_alert', 'crowd', 'medium'],
  ]
  const ids = []
  for (const [i, [kind, category, severity]] of kinds.entries()) {
    const r = await postEvent(cfg, {
      kind, category, severity, source_id: `e2e-review-${stamp}-${i}`, title: `E2E研判 ${stamp}-${i}`, occurred_at: rfc3339(),
      ...(kind === 'camera_alert' ? { camera_id: cameras[0].properties.camera_id } : { grid_id: grids[(i * 97) % grids.length] }),
    })
    assert.ok(r.status === 202 || r.status === 200, `POST event: ${r.status} ${JSON.stringify(r.body)}`)
    ids.push(r.body.id)
  }
  const officer = await apiLogin(OFFICER)
  /** @param {string} id @param {Record<string, unknown>} body */
  const act = (id, body) => officer(`/api/v1/events/${id}/actions`, body)
  for (const a of [{ action: 'dispatch', target: 'sfj' }, { action: 'accept' }, { action: 'start' }, { action: 'resolve', reason: '已调解' }, { action: 'close' }]) {
    await act(ids[0], a)
  }
  await act(ids[3], { action: 'whistle', departments: ['gafj', 'sfj'], reason: 'E2E吹哨' })
  await act(ids[3], { action: 'checkin', target: 'gafj' })
  await act(ids[5], { action: 'acknowledge' })
  // The history writer flushes within a second; the stats see the week then.
  await waitFor('the seeded week in the history', async () => {
    const now = await figuresNow()
    return now.reported >= base.reported + kinds.length && now.closings >= base.closings + 1 && now.summoned >= base.summoned + 2
  })
}

/**
 * pixelsNear counts pixels of an element's box in a screenshot within tolerance of any colour.
 * @param {ReturnType<typeof decodePNG>} img
 * @param {{x:number,y:number,width:number,height:number}} box
 * @param {number[][]} colors
 */
function pixelsNear(img, box, colors, tolerance = 30) {
  let n = 0
  for (let y = Math.ceil(box.y); y < box.y + box.height - 1; y += 2) {
    for (let x = Math.ceil(box.x); x < box.x + box.width - 1; x += 2) {
      const px = img.pixel(x, y)
      if (colors.some((c) => colorDistance(px, c) <= tolerance)) n++
    }
  }
  return n
}

before(async () => {
  browser = await launch(cfg)
  page = await browser.context.newPage()
  page.on('pageerror', (e) => console.error(`pageerror: ${e.message}`))
})

after(async () => {
  await browser?.close()
})

describe('the review', () => {
  it('asks for a login without a session', { timeout: 120_000 }, async () => {
    await page.goto(`${cfg.url}/review`, { waitUntil: 'load' })
    const link = page.locator('[data-testid=login-link]')
    await link.waitFor({ timeout: 60_000 })
    assert.equal(await link.getAttribute('href'), '/login?next=%2Freview')
    await shot(page, cfg, 'review-login-needed')
  })

  it('shows the week\'s KPIs and draws its charts and hotspot map', { timeout: 300_000 }, async () => {
    await seed()
    // The session cookie is set in the page's context by logging in there.
    const res = await page.request.post(`${cfg.url}/api/v1/login`, { data: { name: REVIEWER, password: PASSWORD } })
    assert.equal(res.status(), 200)
    await page.goto(`${cfg.url}/review?week=${week}`, { waitUntil: 'load' })
    await page.locator('[data-testid=kpi-reported] [data-testid=kpi-value]').filter({ hasText: /\d/ }).waitFor({ timeout: 60_000 })
    await page.waitForFunction(() => /** @type {any} */ (window).__gridcc?.review?.heatmap?.status === 'ok', undefined, { timeout: 60_000 })
    await page.waitForTimeout(3_000) // charts and map paint
    const summary = await asReviewer(`/api/v1/stats/summary?week=${week}`)
    const shown = (await page.locator('[data-testid=kpi-reported] [data-testid=kpi-value]').textContent())?.replace(/,/g, '')
    assert.equal(Number(shown), summary.current.figures.reported, 'the KPI tile shows the API\'s count')
    const closure = await page.locator('[data-testid=kpi-closure] [data-testid=kpi-value]').textContent()
    assert.equal(closure, `${(summary.current.figures.closure_rate * 100).toFixed(1)}%`)

    const s = await shot(page, cfg, 'review-1920x1080')
    const img = decodePNG(s.png)
    const trend = await page.locator('[data-testid=trend-kind-chart]').boundingBox()
    assert.ok(trend)
    const bars = pixelsNear(img, trend, [KIND_RGB.grid_event, KIND_RGB.hotline])
    assert.ok(bars >= 40, `the daily chart has ${bars} bar pixels of the kind colours`)
    const cats = await page.locator('[data-testid=trend-category-chart]').boundingBox()
    assert.ok(cats && pixelsNear(img, cats, [hexRGB('#3fd0ff')]) >= 40, 'the category chart has bars')

    // The hotspot map: grids with events this week are filled with their class colour.
    const cells = await page.evaluate(() => {
      const g = /** @type {any} */ (window).__gridcc
      const pieces = g.heatPieces.value
      const host = /** @type {HTMLElement} */ (document.querySelector('[data-testid=hotspot-map-host]'))
      const r = host.getBoundingClientRect()
      return g.review.heatmap.data.cells
        .filter((/** @type {any} */ c) => c.count > 0)
        .map((/** @type {any} */ c) => {
          const info = g.geo.district.grids.get(c.grid_id)
          const p = g.heatMap.project(info.center[0], info.center[1])
          const piece = pieces.find((/** @type {any} */ q) => c.count >= q.min && c.count <= q.max)
          return { x: r.left + p.x, y: r.top + p.y, color: piece.color }
        })
        .filter((/** @type {any} */ c) => c.y > 80 && c.y < innerHeight - 2)
    })
    const mapShot = decodePNG((await shot(page, cfg, 'review-map')).png)
    const hits = cells.filter((/** @type {{x:number,y:number,color:string}} */ c) => colorDistance(mapShot.pixel(c.x, c.y), hexRGB(c.color)) <= 30)
    assert.ok(cells.length > 0 && hits.length >= cells.length / 2, `heat colour at ${hits.length}/${cells.length} grid centres`)

    const height = await page.evaluate(() => /** @type {HTMLElement} */ (document.querySelector('.review-screen')).scrollHeight)
    await page.setViewportSize({ width: 1920, height: Math.min(height, 4000) })
    await page.waitForTimeout(1_500)
    await shot(page, cfg, 'review-full')
    await page.setViewportSize({ width: 1920, height: 1080 })
  })

  it('downloads the tables as CSV that Excel opens in Chinese', { timeout: 120_000 }, async () => {
    const checkins = await asReviewer(`/api/v1/stats/checkins?week=${week}`)
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-testid=checkins-export]').click()])
    // Chromium prefers the RFC 5987 name: 川汇区-吹哨报到-<week>.csv.
    assert.match(download.suggestedFilename(), new RegExp(`吹哨报到-${week}\\.csv$`))
    const file = path.join(cfg.artifacts, `review-checkins-${week}.csv`)
    await download.saveAs(file)
    const text = readFileSync(file, 'utf8')
    assert.ok(text.startsWith('\ufeff单位,单位编号,吹哨次数'), `CSV heading: ${text.slice(0, 40)}`)
    const rows = text.trim().split('\r\n')
    assert.equal(rows.length, 1 + checkins.departments.length + 1, 'heading, one row per department, the total')
    assert.ok(rows.some((r) => r.startsWith('周口市公安局川汇分局,gafj,')), 'department names, not only ids')

    const [summaryDownload] = await Promise.all([page.waitForEvent('download'), page.locator('[data-testid=summary-export]').click()])
    const summaryText = readFileSync(await summaryDownload.path(), 'utf8')
    const summary = await asReviewer(`/api/v1/stats/summary?week=${week}`)
    assert.ok(summaryText.includes(`上报事件（件）,${summary.current.figures.reported},`), summaryText.slice(0, 200))
  })

  it('opens the printable report on A4', { timeout: 180_000 }, async () => {
    const [report] = await Promise.all([browser.context.waitForEvent('page'), page.locator('[data-testid=print-link]').click()])
    await report.waitForSelector('[data-testid=report][data-ready=true]', { timeout: 60_000 })
    await report.waitForTimeout(2_000)
    const summary = await asReviewer(`/api/v1/stats/summary?week=${week}`)
    const first = await report.locator('[data-testid=report-kpis] tbody tr').first().locator('td').nth(1).textContent()
    assert.equal(Number(first?.replace(/,/g, '')), summary.current.figures.reported)
    await report.setViewportSize({ width: 1000, height: 1400 })
    await shot(report, cfg, 'review-print')
    await report.emulateMedia({ media: 'print' })
    await shot(report, cfg, 'review-print-media')
    const pdf = await report.pdf({ path: path.join(cfg.artifacts, 'review-report.pdf'), format: 'A4', printBackground: true })
    const pages = Number(/\/Count (\d+)/.exec(pdf.toString('latin1'))?.[1] ?? 0)
    assert.ok(pages >= 1 && pages <= 6, `the report prints on ${pages} A4 pages`)
    await report.close()
  })

  it('replays today on the map as the slider moves', { timeout: 180_000 }, async () => {
    await page.locator('[data-testid=replay]').scrollIntoViewIfNeeded()
    await page.selectOption('[data-testid=replay-day]', today)
    const total = await waitFor('the replay loaded', () =>
      page.evaluate(() => {
        const r = /** @type {any} */ (window).__gridcc.replay
        return r.cursor.value && r.total.value > 0 && r.loaded.value === r.total.value ? r.total.value : 0
      }),
    )
    /** @param {'Home'|'End'} key moves the slider to an end, as a user would */
    const slide = async (key) => {
      await page.locator('[data-testid=replay-slider]').focus()
      await page.keyboard.press(key)
      await page.waitForTimeout(1_000) // the map redraws within a quarter second
    }
    await slide('Home')
    const atStart = await page.evaluate(() => /** @type {any} */ (window).__gridcc.replay.cursor.value.markers().length)
    assert.equal(atStart, 0, 'nothing on the map at midnight')
    await slide('End')
    const state = await page.evaluate(() => {
      const g = /** @type {any} */ (window).__gridcc
      const c = g.replay.cursor.value
      const host = /** @type {HTMLElement} */ (document.querySelector('[data-testid=replay-map]'))
      const r = host.getBoundingClientRect()
      return {
        records: c.tally().records,
        markers: c.markers().map((/** @type {any} */ e) => {
          const p = g.replayMap.project(e.lon, e.lat)
          return { id: e.id, kind: e.kind, x: r.left + p.x, y: r.top + p.y }
        }),
      }
    })
    assert.equal(state.records, total, 'every record of the day applied at its end')
    assert.ok(state.markers.length > 0, 'open events of today on the map')
    const img = decodePNG((await shot(page, cfg, 'review-replay')).png)
    const drawn = state.markers.filter((/** @type {{kind:string,x:number,y:number}} */ m) => {
      const want = KIND_RGB[/** @type {keyof typeof KIND_RGB} */ (m.kind)]
      if (!want || m.y < 0 || m.y > 1080) return false
      for (let dx = -3; dx <= 3; dx++) for (let dy = -3; dy <= 3; dy++) if (colorDistance(img.pixel(m.x + dx, m.y + dy), want) <= 60) return true
      return false
    })
    assert.ok(drawn.length >= 1, `markers drawn at ${drawn.length}/${state.markers.length} positions`)
    const counts = await page.locator('[data-testid=replay-counts]').textContent()
    assert.match(counts ?? '', /已上报 \d+/)

    // Played from the start, records come in time order and the clock moves.
    await slide('Home')
    await page.selectOption('[data-testid=replay-speed]', '3600')
    await page.locator('[data-testid=replay-play]').click()
    await page.waitForTimeout(3_000)
    const played = await page.evaluate(() => {
      const c = /** @type {any} */ (window).__gridcc.replay.cursor.value
      const times = c.recent(1000).map((/** @type {any} */ r) => Date.parse(r.at))
      return { time: c.time, from: c.from, ordered: times.every((/** @type {number} */ t, /** @type {number} */ i) => i === 0 || t <= times[i - 1]) }
    })
    assert.ok(played.time > played.from && played.ordered, `played to ${new Date(played.time).toISOString()} in order`)
    await page.locator('[data-testid=replay-play]').click()
  })
})

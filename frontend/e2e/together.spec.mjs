// @ts-check
// Screens side by side, in headless Chromium against the real server (npm run
// e2e; run.mjs lists the environment): an officer dispatches an item on the
// console and the wall, open in another browser context, shows the new state
// live; a street user (street:<GRIDCC_E2E_STREET>) never sees another
// street's items — not in its queue, not in a search, not over its socket,
// not by asking the API for the id. Screenshots: together-*.png; look at them.

import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { apiLogin, config, gridIds, launchBrowser, loginPage, openWall, postEvent, rfc3339, shot, watchErrors } from './lib.mjs'

const cfg = config()
const stamp = Date.now().toString(36)

/** @type {Awaited<ReturnType<typeof launchBrowser>>} */
let chrome

before(async () => {
  assert.ok(cfg.users.officer && cfg.users.street && cfg.streetCode && cfg.password,
    'GRIDCC_E2E_USER_OFFICER, GRIDCC_E2E_USER_STREET, GRIDCC_E2E_STREET and GRIDCC_E2E_PASSWORD are needed')
  chrome = await launchBrowser(cfg)
})

after(async () => {
  await chrome?.close()
})

let reported = 0

/**
 * A grid event in grid `grid`; returns its id.
 * @param {string} grid
 * @param {string} title
 * @param {string} severity
 */
async function report(grid, title, severity) {
  const res = await postEvent(cfg, {
    kind: 'grid_event',
    source_id: `e2e-together-${stamp}-${++reported}`,
    category: 'dispute',
    severity,
    title,
    grid_id: grid,
    occurred_at: rfc3339(Date.now() - 30_000),
    reporter_name: '段洋秀',
  })
  assert.equal(res.status, 202, JSON.stringify(res.body))
  return /** @type {string} */ (res.body.id)
}

/**
 * Chromium logs failed requests as console errors; the 401 of GET /me before
 * a login is expected.
 */
const unexpected = (/** @type {string[]} */ errs) =>
  errs.filter((e) => !/status of 401 .*\/api\/v1\/me$/.test(e))

describe('screens together', () => {
  it('shows an item the officer dispatches on the console as dispatched on the wall', { timeout: 240_000 }, async () => {
    const wallContext = await chrome.newContext({ width: 1920, height: 1080 })
    const { page: wall, errors: wallErrors } = await openWall(wallContext, cfg)
    const officer = await (await chrome.newContext({ width: 1920, height: 1080 })).newPage()
    const officerErrors = watchErrors(officer)
    await loginPage(officer, cfg, '/console', cfg.users.officer)
    await officer.waitForFunction(() => /** @type {any} */ (window).__gridcc?.socket?.status === 'live', undefined, { timeout: 60_000 })

    const [grid] = await gridIds(cfg)
    const title = `派单上墙测试 ${stamp}`
    const id = await report(grid, title, 'high')
    const wallRow = wall.locator(`[data-testid=feed] [data-event-id="${id}"]`)
    await wallRow.waitFor({ timeout: 60_000 })
    assert.match((await wallRow.textContent()) ?? '', /已上报/)

    await officer.fill('[data-testid=search]', stamp)
    const row = officer.locator(`[data-testid=queue-row][data-id="${id}"]`)
    await row.waitFor({ timeout: 60_000 })
    await row.click()
    await officer.getByTestId('detail-title').filter({ hasText: title }).waitFor({ timeout: 30_000 })
    await officer.keyboard.press('d')
    const dialog = officer.getByTestId('dialog-dispatch')
    await dialog.waitFor()
    await dialog.getByTestId('target-search').fill('公安局川汇分局')
    await dialog.locator('input[type=radio][value=gafj]').check()
    await dialog.getByTestId('reason').fill('请公安分局到场处置')
    await dialog.getByTestId('dialog-submit').click()
    await officer.getByTestId('detail-status').filter({ hasText: '已派遣' }).waitFor({ timeout: 30_000 })

    // The wall: the feed row's state and the wall's own store, both live.
    await wallRow.filter({ hasText: '已派遣' }).waitFor({ timeout: 30_000 })
    const state = await wall.evaluate((id) => /** @type {any} */ (window).__gridcc.events.open.get(id)?.status, id)
    assert.equal(state, 'dispatched')
    await shot(wall, cfg, 'together-wall-dispatched')
    await shot(officer, cfg, 'together-console-dispatched')
    assert.deepEqual(unexpected(officerErrors), [])
    assert.deepEqual(wallErrors.filter((e) => !/\/api\/v1\/stats\//.test(e)), [])
    await wallContext.close()
    await officer.context().close()
  })

  it('never shows a street user another street’s items', { timeout: 240_000 }, async () => {
    const grids = await gridIds(cfg)
    const own = grids.find((g) => g.startsWith(`${cfg.streetCode}-`))
    const foreign = grids.find((g) => !g.startsWith(`${cfg.streetCode}-`))
    assert.ok(own && foreign, `no grids inside and outside street ${cfg.streetCode}`)

    const page = await (await chrome.newContext({ width: 1920, height: 1080 })).newPage()
    const errors = watchErrors(page)
    /** Every WebSocket frame the street user's page received. */
    const frames = /** @type {string[]} */ ([])
    page.on('websocket', (ws) => ws.on('framereceived', (f) => frames.push(String(f.payload))))
    await loginPage(page, cfg, '/console', cfg.users.street)
    await page.waitForFunction(() => /** @type {any} */ (window).__gridcc?.socket?.status === 'live', undefined, { timeout: 60_000 })

    // The other street's item first: once the own one is on screen, the
    // other has been through the same pipeline.
    const otherId = await report(foreign, `外街道事件 ${stamp}`, 'critical')
    const ownId = await report(own, `本街道事件 ${stamp}`, 'critical')
    await page.fill('[data-testid=search]', stamp)
    await page.locator(`[data-testid=queue-row][data-id="${ownId}"]`).waitFor({ timeout: 60_000 })
    const seen = await page.evaluate(([a, b]) => {
      const open = /** @type {any} */ (window).__gridcc.events.open
      return { own: open.has(a), other: open.has(b) }
    }, [ownId, otherId])
    assert.deepEqual(seen, { own: true, other: false })
    assert.equal(await page.locator(`[data-testid=queue-row][data-id="${otherId}"]`).count(), 0)
    // The street filter offers the user's own street alone.
    const streets = await page.locator('[data-testid=facet-street] button').evaluateAll((bs) => bs.map((b) => b.getAttribute('data-value')))
    assert.deepEqual(streets, [cfg.streetCode])
    assert.ok(frames.some((f) => f.includes(ownId)), 'the own street’s item came over the socket')
    assert.ok(!frames.some((f) => f.includes(otherId)), 'another street’s item came over the socket')

    // The server search (Enter) over every state, and the API by id.
    await page.press('[data-testid=search]', 'Enter')
    const results = page.getByTestId('search-results')
    await results.locator(`[data-testid=search-row][data-id="${ownId}"]`).waitFor({ timeout: 30_000 })
    assert.equal(await results.locator(`[data-testid=search-row][data-id="${otherId}"]`).count(), 0)
    await shot(page, cfg, 'together-street-search')
    const who = await apiLogin(cfg, cfg.users.street)
    const direct = await fetch(`${cfg.url}/api/v1/events/${otherId}`, { headers: { Cookie: who.cookie } })
    assert.ok(direct.status === 403 || direct.status === 404, `GET another street's event answered ${direct.status}`)
    const mine = await fetch(`${cfg.url}/api/v1/events/${ownId}`, { headers: { Cookie: who.cookie } })
    assert.equal(mine.status, 200)
    assert.deepEqual(unexpected(errors), [])
    await page.context().close()
  })
})

// @ts-check
// The responders' page (/m) on a phone-sized screen (390×844), in headless
// Chromium against the real server (npm run e2e; run.mjs lists the
// environment): the login explains a lockout with the time left; the
// responder responder:gafj sees only what is dispatched to it, reads a case
// in full (caller's number to ring), adds a note and accepts; and the page
// stays light — no map and no chart code is loaded. console.spec.mjs drives
// the whole dispatch → accept → check in → resolve flow with the console.
// Screenshots: m-*.png; look at them.

import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { apiAct, apiLogin, config, launchBrowser, postEvent, rfc3339, shot, watchErrors } from './lib.mjs'

const cfg = config()
const stamp = Date.now().toString(36)

/** @type {Awaited<ReturnType<typeof launchBrowser>>} */
let chrome
/** @type {import('playwright-core').Page} */
let page
/** @type {string[]} */
let errors = []
/** Every URL the page requested. */
const requested = /** @type {string[]} */ ([])

before(async () => {
  assert.ok(cfg.users.officer && cfg.users.responder && cfg.password, 'GRIDCC_E2E_USER_OFFICER, _RESPONDER and GRIDCC_E2E_PASSWORD are needed')
  chrome = await launchBrowser(cfg)
  page = await (await chrome.newContext({ width: 390, height: 844 })).newPage()
  errors = watchErrors(page)
  page.on('request', (r) => requested.push(r.url()))
})

after(async () => {
  await chrome?.close()
})

/**
 * A hotline request with a caller, dispatched by the officer to `target`.
 * @param {{cookie:string, csrf:string}} officer
 * @param {string} target
 * @param {number} n
 */
async function dispatched(officer, target, n) {
  const res = await postEvent(cfg, {
    kind: 'hotline',
    source_id: `e2e-m-${stamp}-${n}`,
    category: 'dispute',
    severity: 'high',
    title: `楼上漏水纠纷 ${stamp}-${n}`,
    lon: 114.6468,
    lat: 33.6165,
    occurred_at: rfc3339(Date.now() - 60_000),
    caller_name: '叶建国',
    caller_phone: '13812345678',
    address: '川汇区七一路街道建设社区人民路12号3单元',
  })
  assert.equal(res.status, 202, JSON.stringify(res.body))
  const d = await apiAct(cfg, officer, res.body.id, { action: 'dispatch', target, reason: '请核实处理' })
  assert.equal(d.status, 200, JSON.stringify(d.body))
  return /** @type {string} */ (res.body.id)
}

describe('responders’ page', () => {
  it('tells a locked-out login how long to wait', async () => {
    await page.goto(`${cfg.url}/m`, { waitUntil: 'load', timeout: 60_000 })
    await page.waitForURL(/\/login\?next=/, { timeout: 30_000 })
    // An unknown name, so no real user is locked: 5 failures lock the name.
    await page.fill('input[name=name]', `nobody-${stamp}`)
    await page.fill('input[name=password]', 'wrong-password-1A!')
    const err = page.getByTestId('login-error')
    for (let i = 0; i < 6; i++) {
      await page.click('button[type=submit]')
      await page.locator('button[type=submit]:not([disabled])').waitFor({ timeout: 30_000 })
    }
    await err.filter({ hasText: '已暂时锁定' }).waitFor({ timeout: 30_000 })
    assert.match((await err.textContent()) ?? '', /登录失败次数过多，已暂时锁定，请在 1?\d 分 \d+ 秒 后再试。/)
    await shot(page, cfg, 'm-login-locked')
  })

  it('shows the responder only what is dispatched to it, in full on request, and takes a note and an accept', async () => {
    const officer = await apiLogin(cfg, cfg.users.officer)
    const mine = await dispatched(officer, 'gafj', 1)
    const other = await dispatched(officer, 'sfj', 2)
    await page.fill('input[name=name]', cfg.users.responder)
    await page.fill('input[name=password]', cfg.password)
    await page.click('button[type=submit]')
    await page.waitForURL((u) => u.pathname === '/m', { timeout: 30_000 })
    const task = page.locator(`[data-testid=section-fresh] [data-testid=task][data-id="${mine}"]`)
    await task.waitFor({ timeout: 30_000 })
    assert.equal(await page.locator(`[data-testid=task][data-id="${other}"]`).count(), 0, 'a case dispatched to sfj is not on gafj’s page')
    // The list is masked; the case opened is read in full (audited by the server).
    assert.match((await task.textContent()) ?? '', /建设社区…/)
    assert.doesNotMatch((await task.textContent()) ?? '', /13812345678/)
    await task.locator('header').click()
    const detail = task.getByTestId('task-detail')
    await detail.waitFor({ timeout: 30_000 })
    assert.equal(await detail.locator('a[href="tel:13812345678"]').count(), 1)
    await shot(page, cfg, 'm-tasks')

    await task.locator('button[data-action=comment]').click()
    await task.getByTestId('task-text').fill('已电话联系来电人，十分钟后到')
    await task.getByTestId('task-send').click()
    await page.getByTestId('m-notice').filter({ hasText: '已备注' }).waitFor({ timeout: 30_000 })
    await page.locator(`[data-testid=task][data-id="${mine}"] button[data-action=accept]`).click()
    await page.locator(`[data-testid=section-working] [data-testid=task][data-id="${mine}"]`).waitFor({ timeout: 30_000 })
    await shot(page, cfg, 'm-accepted')
  })

  it('stays light: no map or chart code, no socket, and no console errors', async () => {
    const scripts = requested.filter((u) => /\.js(\?|$)/.test(u))
    assert.ok(scripts.length > 0)
    assert.deepEqual(scripts.filter((u) => /\/assets\/(map|WallScreen|ConsoleScreen)-/.test(u)), [])
    assert.deepEqual(requested.filter((u) => /\/ws$|\/api\/v1\/geo\//.test(u)), [])
    const expected = /Failed to load resource: the server responded with a status of (401|429) .*\/api\/v1\/(me|login)$/
    assert.deepEqual(errors.filter((e) => !expected.test(e)), [])
  })
})

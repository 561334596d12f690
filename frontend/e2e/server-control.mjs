// @ts-check
// Server control for the outage test: how to stop and start the gridcc
// server under test is the caller's business (the lead's harness, CI, a
// developer's shell), passed in as two shell commands:
//
//   GRIDCC_E2E_SERVER_STOP   e.g. "kill -TERM $(cat var/gridcc.pid)"
//   GRIDCC_E2E_SERVER_START  e.g. "scripts/up.sh --server-only"
//
// A test gets a ServerControl object, or null when the commands are not
// set (it then skips).

import { execSync } from 'node:child_process'

/**
 * @typedef {object} ServerControl
 * @property {() => Promise<void>} stop   stops the server (returns when the command has)
 * @property {() => Promise<void>} start  starts it and waits until /healthz answers
 */

/**
 * serverControlFromEnv builds a ServerControl from the environment, or null.
 * @param {string} baseURL
 * @returns {ServerControl | null}
 */
export function serverControlFromEnv(baseURL) {
  const stopCmd = process.env.GRIDCC_E2E_SERVER_STOP
  const startCmd = process.env.GRIDCC_E2E_SERVER_START
  if (!stopCmd || !startCmd) return null
  return serverControl(baseURL, shell(stopCmd), shell(startCmd))
}

/**
 * serverControl wraps stop and start functions; start waits for health.
 * @param {string} baseURL
 * @param {() => Promise<void>} stop
 * @param {() => Promise<void>} start
 * @returns {ServerControl}
 */
export function serverControl(baseURL, stop, start) {
  return {
    stop,
    async start() {
      await start()
      await waitHealthy(baseURL, 90_000)
    },
  }
}

/** @param {string} cmd @returns {() => Promise<void>} */
function shell(cmd) {
  return async () => {
    execSync(cmd, { stdio: 'inherit', shell: '/bin/bash', timeout: 120_000 })
  }
}

/**
 * waitHealthy polls GET /healthz until it answers 200.
 * @param {string} baseURL
 * @param {number} timeoutMs
 */
export async function waitHealthy(baseURL, timeoutMs) {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    try {
      const res = await fetch(`${baseURL}/healthz`)
      if (res.ok) return
    } catch {
      /* not up yet */
    }
    if (Date.now() > deadline) throw new Error(`server at ${baseURL} not healthy after ${timeoutMs} ms`)
    await new Promise((r) => setTimeout(r, 250))
  }
}

// @ts-check
// npm run e2e: the wall's browser tests against a running gridcc server.
//
//   GRIDCC_E2E_URL           server base URL (required), e.g. http://127.0.0.1:8080
//   GRIDCC_E2E_WALL_TOKEN    a `wall` token (the page opens /wall?token=…)
//   GRIDCC_E2E_INGEST_TOKEN  an `ingest:<source>` token (the tests POST events)
//   GRIDCC_E2E_SERVER_STOP / GRIDCC_E2E_SERVER_START  shell commands for the
//                            outage test (skipped without them)
//   GRIDCC_E2E_ARTIFACTS     screenshot folder (default <repo>/artifacts/frontend)
//   GRIDCC_CHROMIUM          Chromium binary (default /usr/bin/chromium)
//
// Exit status is node's test runner's: non-zero when a test failed.

import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { config } from './lib.mjs'

const here = path.dirname(fileURLToPath(import.meta.url))
const cfg = config()
if (!existsSync(cfg.chromium)) {
  console.error(`no Chromium at ${cfg.chromium}: apt-get install -y chromium fonts-noto-cjk (or set GRIDCC_CHROMIUM)`)
  process.exit(2)
}
for (const [k, v] of [['GRIDCC_E2E_WALL_TOKEN', cfg.wallToken], ['GRIDCC_E2E_INGEST_TOKEN', cfg.ingestToken]]) {
  if (!v) console.warn(`${k} is not set; tests that need it will fail`)
}
const specs = process.argv.slice(2).length
  ? process.argv.slice(2)
  : readdirSync(here).filter((f) => f.endsWith('.spec.mjs')).map((f) => path.join(here, f))
console.log(`e2e against ${cfg.url}; screenshots in ${cfg.artifacts}`)
const r = spawnSync(process.execPath, ['--test', '--test-concurrency=1', '--test-reporter=spec', ...specs], { stdio: 'inherit' })
process.exit(r.status ?? 1)

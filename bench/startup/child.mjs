// One measured start: N no-op plugins, an in-memory store, then report time since process start and RSS.
import { performance } from 'node:perf_hooks'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createGateway, createSilentLogger } from '@openclaw/core'

const count = Number(process.argv[2] ?? 0)
const plugins = Array.from({ length: count }, (_, i) => ({
  id: `noop:${i}`,
  version: '1.0.0',
  register(api) {
    api.hooks.messageReceived.tap(`noop:${i}`, () => {})
  },
  start() {},
}))
const gateway = await createGateway({
  plugins,
  config: {},
  stateDir: mkdtempSync(join(tmpdir(), 'oc-bench-')),
  store: ':memory:',
  logger: createSilentLogger(),
  env: {},
})
await gateway.start()
const readyMs = performance.now()
globalThis.gc?.()
const rss = process.memoryUsage().rss
process.stdout.write(JSON.stringify({ readyMs, rss }) + '\n')
await gateway.stop()

import { describe, expect, it } from 'vitest'
import { definePlugin } from './index.js'
import { createTestGateway } from './testing/index.js'

describe('api.cluster on one gateway', () => {
  it('runs a plugin\'s singleton under its plugin-prefixed name, and stops it before the plugin stops', async () => {
    const log: string[] = []
    const plugin = definePlugin({
      id: 'test:poller',
      version: '1.0.0',
      register() {},
      async start(api) {
        expect(api.cluster.mode).toBe('single')
        const handle = api.cluster.singleton('bot:42', async (signal) => {
          log.push('poll')
          signal.addEventListener('abort', () => log.push('abort'))
          return () => void log.push('stop poll')
        })
        log.push(handle.name)
      },
      async stop() {
        log.push('plugin stop')
      },
    })
    const gateway = await createTestGateway({ plugins: [plugin] })
    await expect.poll(() => log).toEqual(['test:poller:bot:42', 'poll'])
    await gateway.stop()
    expect(log).toEqual(['test:poller:bot:42', 'poll', 'abort', 'stop poll', 'plugin stop'])
  })
})

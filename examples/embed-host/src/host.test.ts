import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { startHost } from './host.js'

describe('examples/embed-host', () => {
  it('embeds the core with an inline plugin whose tool and hook work', async () => {
    const gateway = await startHost({ stateDir: mkdtempSync(join(tmpdir(), 'oc-embed-')), config: { logging: { level: 'silent' } } })
    expect(gateway.plugins).toEqual([expect.objectContaining({ id: 'example:greeter', state: 'started' })])
    const result = await gateway.tools.invoke({ name: 'greet', args: { name: 'Ada' }, via: 'rpc' })
    expect(result).toMatchObject({ ok: true, output: 'Hello, Ada!' })
    expect(gateway.hooks.beforeAgentRun.taps.map((t) => (t as { plugin?: string }).plugin)).toEqual(['example:greeter'])
    await gateway.stop()
    expect(gateway.state).toBe('stopped')
  })
})

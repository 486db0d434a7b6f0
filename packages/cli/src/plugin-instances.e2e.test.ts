import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createGateway, createSilentLogger, Tokens, type Gateway } from '@openclaw/core'
import { defaultPlugins } from './default-plugins.js'

const open: Gateway[] = []

afterEach(async () => {
  await Promise.all(open.splice(0).map((g) => g.stop()))
})

async function gateway(config: Record<string, unknown>): Promise<{ gw: Gateway; url: string }> {
  const gw = await createGateway({ stateDir: mkdtempSync(join(tmpdir(), 'openclaw-instances-')), store: ':memory:', logger: createSilentLogger(), env: {}, config, plugins: defaultPlugins() })
  open.push(gw)
  await gw.start()
  return { gw, url: gw.services.resolve(Tokens.HttpServer).url }
}

function post(url: string, body: unknown, token: string): Promise<Response> {
  return fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(body) })
}

describe('plugin instances', () => {
  it('two gateways in one process, with different config, share no plugin state', async () => {
    const a = await gateway({ gateway: { port: 0, auth: { mode: 'token', token: 'gateway-token-of-a-0123456789' } }, hooks: { enabled: true, token: 'hooks-token-of-a-0123456789' } })
    const b = await gateway({ gateway: { port: 0, auth: { mode: 'token', token: 'gateway-token-of-b-0123456789' } } })

    // Each has its own server, address and credential check.
    expect(a.url).not.toBe(b.url)
    expect((await post(`${a.url}/tools/invoke`, { tool: 'sessions_list', args: {} }, 'gateway-token-of-b-0123456789')).status).toBe(401)
    expect((await post(`${b.url}/tools/invoke`, { tool: 'sessions_list', args: {} }, 'gateway-token-of-a-0123456789')).status).toBe(401)
    expect((await post(`${b.url}/tools/invoke`, { tool: 'sessions_list', args: {} }, 'gateway-token-of-b-0123456789')).status).not.toBe(401)

    // Hooks are on in a only: its guard and routes exist there, not in b.
    expect(a.gw.registry.httpGuards.keys()).toEqual(['hooks'])
    expect(b.gw.registry.httpGuards.keys()).toEqual([])
    expect((await post(`${a.url}/hooks/wake`, { text: 'x', mode: 'next-heartbeat' }, 'hooks-token-of-a-0123456789')).status).toBe(200)
    expect((await post(`${b.url}/hooks/wake`, { text: 'x', mode: 'next-heartbeat' }, 'hooks-token-of-a-0123456789')).status).toBe(404)

    // Stopping one leaves the other serving.
    await a.gw.stop()
    await expect(fetch(`${a.url}/healthz`)).rejects.toThrow()
    expect((await fetch(`${b.url}/readyz`)).status).toBe(200)
  })
})

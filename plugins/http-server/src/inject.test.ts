import { afterEach, describe, expect, it } from 'vitest'
import { definePlugin, Tokens } from '@openclaw/plugin-sdk'
import { createTestGateway, type TestGateway } from '@openclaw/plugin-sdk/testing'
import httpServer from './index.js'

const TOKEN = 'inject-test-token-0123456789'

const routes = definePlugin({
  id: 'test:inject-routes',
  version: '1.0.0',
  dependsOn: ['core:http'],
  register(api) {
    api.http.route({ method: 'POST', path: '/echo', auth: 'gateway', handler: (request) => ({ echoed: request.body }) })
  },
})

let gateway: TestGateway | undefined

afterEach(async () => {
  await gateway?.stop()
  gateway = undefined
})

describe('gateway.http.inject', () => {
  it('should answer a route in process with the same auth and error bodies as the socket', async () => {
    gateway = await createTestGateway({ plugins: [httpServer(), routes], config: { gateway: { port: 0, auth: { mode: 'token', token: TOKEN } } } })
    const ok = await gateway.http.inject({ method: 'POST', url: '/echo', headers: { authorization: `Bearer ${TOKEN}` }, payload: { a: 1 } })
    expect(ok.statusCode).toBe(200)
    expect(ok.json()).toEqual({ echoed: { a: 1 } })

    const refused = await gateway.http.inject({ method: 'POST', url: '/echo', payload: { a: 1 } })
    expect(refused.statusCode).toBe(401)
    const overSocket = await fetch(`${gateway.services.resolve(Tokens.HttpServer).url}/echo`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"a":1}' })
    expect(overSocket.status).toBe(401)
    expect(refused.json()).toEqual(await overSocket.json())

    const missing = await gateway.http.inject({ method: 'GET', url: '/nope' })
    expect(missing.statusCode).toBe(404)
    expect(missing.json()).toMatchObject({ ok: false, error: { type: 'not_found' } })
  })

  it('should refuse with a coded error before the gateway has started', async () => {
    gateway = await createTestGateway({ plugins: [httpServer(), routes], start: false, config: { gateway: { port: 0, auth: { mode: 'none' } } } })
    await expect(gateway.http.inject({ method: 'POST', url: '/echo', payload: {} })).rejects.toMatchObject({ code: 'HTTP_ERR_NOT_READY' })
  })
})

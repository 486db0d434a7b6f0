import { definePlugin } from '@openclaw/plugin-sdk'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { RpcTestClient } from '../test/rpc-test-client.js'
import { startRpcGateway, TEST_TOKEN, type RpcTestGateway } from '../test/start-rpc-gateway.js'

const FLOOD_BATCH = 50

/** A plugin whose method floods the caller with events, in batches, until it is told to stop. */
const flood = definePlugin({
  id: 'test:flood',
  version: '1.0.0',
  register(api) {
    api.rpc.method({
      name: 'test.flood',
      params: z.strictObject({ count: z.number().int().positive(), size: z.number().int().positive() }),
      handler: ({ count, size }, ctx) =>
        new Promise<{ sent: number }>((resolve) => {
          const blob = 'x'.repeat(size)
          let sent = 0
          const batch = () => {
            for (let i = 0; i < FLOOD_BATCH && sent < count && !ctx.signal.aborted; i++, sent++) ctx.emit('test.blob', { i: sent, blob })
            if (sent < count && !ctx.signal.aborted) setImmediate(batch)
            else resolve({ sent })
          }
          batch()
        }),
    })
  },
})

let gw: RpcTestGateway

beforeAll(async () => {
  gw = await startRpcGateway({ plugins: [flood], rpc: { maxConnectionsPerIp: 256, maxBufferedBytes: 64 * 1024, methodTimeoutMs: 20_000 } })
})
afterAll(async () => {
  await gw.close()
})

describe('rpc under load', () => {
  it('should complete the handshake and a health call for 200 concurrent clients', async () => {
    const clients = await Promise.all(
      Array.from({ length: 200 }, async () => {
        const { client, hello } = await RpcTestClient.connect(gw.wsUrl, TEST_TOKEN)
        expect(hello.type).toBe('hello-ok')
        const res = await client.request('health')
        expect(res.ok).toBe(true)
        return client
      }),
    )
    expect(new Set(clients.map((c) => c.frames.find((f) => f.type === 'res')!.payload.server.connId)).size).toBe(200)
    await Promise.all(clients.map((c) => c.close()))
  })

  it('should cut off a client that stops reading, while another client is unaffected', async () => {
    const slow = await gw.connect()
    const healthy = await gw.connect()
    const socket = (slow.ws as unknown as { _socket: { pause(): void; resume(): void } })._socket

    // 1. the slow client asks for a flood of events and stops reading
    slow.send({ type: 'req', id: 'flood', method: 'test.flood', params: { count: 20_000, size: 16 * 1024 } })
    socket.pause()

    // 2. meanwhile the healthy client is served, and sees the slow one cut off
    let cutOff = false
    for (let i = 0; i < 200 && !cutOff; i++) {
      const started = Date.now()
      const res = await healthy.request('status')
      expect(res.ok).toBe(true)
      expect(Date.now() - started).toBeLessThan(1000)
      cutOff = res.payload.rpc.slowConsumerDisconnects >= 1
      if (!cutOff) await new Promise((resolve) => setTimeout(resolve, 25))
    }
    expect(cutOff).toBe(true)

    // 3. once it reads again, the slow client finds its connection closed (1008, or 1006 when the close frame was dropped with its backlog)
    socket.resume()
    expect([1006, 1008]).toContain((await slow.closed).code)
    expect((await healthy.request('health')).ok).toBe(true)
    await healthy.close()
  })
})

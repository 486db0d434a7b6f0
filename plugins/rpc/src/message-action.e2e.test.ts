import { InMemoryChannel } from '@openclaw/plugin-sdk/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { PNG } from '../test/media-server.js'
import { RpcTestClient } from '../test/rpc-test-client.js'
import { startRpcGateway, TEST_TOKEN, type RpcTestGateway } from '../test/start-rpc-gateway.js'

const channel = new InMemoryChannel()
let gw: RpcTestGateway
let client: RpcTestClient

beforeAll(async () => {
  gw = await startRpcGateway({ plugins: [channel.plugin], media: true })
  client = await gw.connect()
})
afterAll(async () => {
  await gw.close()
})

/** What `openclaw message send --channel memory --target user-1 --message hi --json` sends (its flags repeated in params). */
function cliSend(idempotencyKey: string, params: Record<string, unknown> = {}) {
  return {
    channel: 'memory',
    action: 'send',
    params: { channel: 'memory', action: 'send', target: 'user-1', message: 'hi', json: true, verbose: false, dryRun: false, ...params },
    idempotencyKey,
    senderIsOwner: true,
    agentId: 'main',
  }
}

describe('rpc message.action', () => {
  it("should send OpenClaw's message.action send through the outbox, with the idempotency key as delivery key", async () => {
    const res = await client.request('message.action', cliSend('ma-1', { replyTo: '41', threadId: 7, media: `${gw.mediaBase}/a.png` }))
    expect(res).toMatchObject({ ok: true, payload: { ok: true, action: 'send', runId: 'ma-1', status: 'sent', channel: 'memory', to: 'user-1', messageId: expect.any(String) } })
    expect(channel.delivered.at(-1)).toMatchObject({
      channel: 'memory', to: 'user-1', text: 'hi', deliveryKey: 'ma-1', replyToId: '41', threadId: '7', attachments: [{ kind: 'image', mimeType: 'image/png', data: PNG.toString('base64') }],
    })
    expect(gw.model.requests).toHaveLength(0)
  })

  it('should never send one idempotency key twice, answering duplicate with the first receipt', async () => {
    const before = channel.delivered.length
    const first = await client.request('message.action', cliSend('ma-2'))
    const again = await client.request('message.action', cliSend('ma-2'))
    expect(channel.delivered.length - before).toBe(1)
    expect(again.payload).toMatchObject({ status: 'duplicate', messageId: first.payload.messageId })
  })

  it('should refuse an action other than send with a coded INVALID_REQUEST naming it and what is supported', async () => {
    const res = await client.request('message.action', { channel: 'memory', action: 'react', params: { messageId: '5', emoji: '👍' }, idempotencyKey: 'ma-3' })
    expect(res.error).toMatchObject({
      code: 'INVALID_REQUEST',
      message: "message.action 'react' is not supported by this gateway (supported: send)",
      details: { code: 'RPC_ERR_ACTION_UNSUPPORTED', method: 'message.action', action: 'react', supported: ['send'] },
    })
  })

  it('should refuse send params it cannot honour, a missing target or message, and an unknown channel, by name', async () => {
    const silent = await client.request('message.action', cliSend('ma-4', { silent: true }))
    expect(silent.error).toMatchObject({ code: 'INVALID_REQUEST', details: { code: 'RPC_ERR_ACTION_PARAMS' }, message: expect.stringContaining('params.silent') })
    const unknown = await client.request('message.action', cliSend('ma-5', { poll: { question: '?' } }))
    expect(unknown.error).toMatchObject({ details: { code: 'RPC_ERR_ACTION_PARAMS' }, message: expect.stringContaining('poll') })
    const noTarget = await client.request('message.action', cliSend('ma-6', { target: undefined }))
    expect(noTarget.error).toMatchObject({ details: { code: 'RPC_ERR_ACTION_PARAMS' }, message: expect.stringContaining('params.target') })
    const empty = await client.request('message.action', cliSend('ma-7', { message: ' ' }))
    expect(empty.error).toMatchObject({ details: { code: 'RPC_ERR_ACTION_PARAMS' }, message: expect.stringContaining('params.message') })
    const pigeon = await client.request('message.action', { ...cliSend('ma-8'), channel: 'carrier-pigeon' })
    expect(pigeon.error).toMatchObject({ code: 'INVALID_REQUEST', details: { code: 'RPC_ERR_CHANNEL_INVALID' } })
    const stray = await client.request('message.action', { ...cliSend('ma-9'), bogus: 1 })
    expect(stray.error).toMatchObject({ code: 'INVALID_REQUEST', details: { code: 'RPC_ERR_INVALID_PARAMS', method: 'message.action' } })
    expect(channel.delivered.map((m) => m.deliveryKey)).not.toContain('ma-4')
  })

  it('should list message.action in hello-ok', async () => {
    const { client: other, hello } = await RpcTestClient.connect(gw.wsUrl, TEST_TOKEN)
    expect((hello as { features: { methods: string[] } }).features.methods).toContain('message.action')
    await other.close()
  })
})

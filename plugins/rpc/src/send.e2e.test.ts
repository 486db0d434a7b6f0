import { InMemoryChannel } from '@openclaw/plugin-sdk/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { PNG } from '../test/media-server.js'
import type { RpcTestClient } from '../test/rpc-test-client.js'
import { startRpcGateway, type RpcTestGateway } from '../test/start-rpc-gateway.js'

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

describe('rpc send', () => {
  it('should deliver a message to a channel without the agent', async () => {
    const res = await client.request('send', { channel: 'memory', to: 'user-7', message: 'Deploy done', idempotencyKey: 'send-1' })
    expect(res).toMatchObject({ ok: true, payload: { runId: 'send-1', status: 'sent', channel: 'memory', to: 'user-7', messageId: expect.any(String) } })
    expect(channel.delivered.at(-1)).toMatchObject({ channel: 'memory', to: 'user-7', text: 'Deploy done', deliveryKey: 'send-1' })
    expect(gw.model.requests).toHaveLength(0)
  })

  it('should never deliver a duplicate send twice, answering duplicate with the first receipt', async () => {
    const before = channel.delivered.length
    const first = await client.request('send', { channel: 'memory', to: 'user-8', message: 'Once', idempotencyKey: 'send-2' })
    const again = await client.request('send', { channel: 'memory', to: 'user-8', message: 'Once', idempotencyKey: 'send-2' })
    const reconnected = await gw.connect()
    const third = await reconnected.request('send', { channel: 'memory', to: 'user-8', message: 'Once', idempotencyKey: 'send-2' })
    expect(channel.delivered.length - before).toBe(1)
    expect(again.payload).toMatchObject({ status: 'duplicate', messageId: first.payload.messageId })
    expect(third.payload).toMatchObject({ status: 'duplicate', messageId: first.payload.messageId })
    await reconnected.close()
  })

  it('should send through the only channel when channel is left out, with buttons and media', async () => {
    const res = await client.request('send', {
      to: 'user-9', message: 'Pick one', mediaUrl: `${gw.mediaBase}/a.png?sig=s3cret`, buttons: [{ text: 'Yes', data: 'y' }, { text: 'No', data: 'n' }], idempotencyKey: 'send-3',
    })
    expect(res.payload).toMatchObject({ status: 'sent', channel: 'memory' })
    // The gateway fetched the URL: the channel gets the bytes, with the type sniffed from them.
    expect(channel.delivered.at(-1)).toMatchObject({
      attachments: [{ kind: 'image', mimeType: 'image/png', name: 'a.png', data: PNG.toString('base64') }],
      buttons: [[{ text: 'Yes', data: 'y' }, { text: 'No', data: 'n' }]],
    })
  })

  it('should fail a send whose media URL is blocked or gone, with the reason, without delivering it', async () => {
    const before = channel.delivered.length
    const blocked = await client.request('send', { to: 'user-9', message: 'x', mediaUrl: 'http://169.254.169.254/latest/meta-data', idempotencyKey: 'send-6' })
    expect(blocked.error).toMatchObject({ message: expect.stringContaining('private address') })
    const gone = await client.request('send', { to: 'user-9', message: 'x', mediaUrl: `${gw.mediaBase}/missing.png?token=hunter2`, idempotencyKey: 'send-7' })
    expect(gone.error).toMatchObject({ message: expect.stringContaining('HTTP 404') })
    expect(JSON.stringify(gone.error)).not.toContain('hunter2')
    expect(channel.delivered.length).toBe(before)
  })

  it('should refuse an unknown channel with INVALID_REQUEST naming it', async () => {
    const res = await client.request('send', { channel: 'carrier-pigeon', to: 'x', message: 'Hi', idempotencyKey: 'send-4' })
    expect(res.error).toMatchObject({ code: 'INVALID_REQUEST', message: expect.stringContaining("'carrier-pigeon'") })
  })

  it('should refuse a send without idempotencyKey, or without text and media', async () => {
    expect((await client.request('send', { channel: 'memory', to: 'x', message: 'Hi' })).error).toMatchObject({ code: 'INVALID_REQUEST', message: expect.stringContaining("'idempotencyKey'") })
    expect((await client.request('send', { channel: 'memory', to: 'x', idempotencyKey: 'send-5' })).error).toMatchObject({ code: 'INVALID_REQUEST', details: { code: 'RPC_ERR_MESSAGE_EMPTY' } })
  })
})

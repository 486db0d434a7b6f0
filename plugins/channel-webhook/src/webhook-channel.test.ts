import { createHmac } from 'node:crypto'
import { createServer, type IncomingHttpHeaders } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { createWebhookChannel } from './webhook-channel.js'
import { WebhookConfigSchema } from './webhook-config.js'

const SECRET = `whsec_${Buffer.from('a webhook channel test secret 32').toString('base64')}`
let close: (() => Promise<void>) | undefined
afterEach(async () => {
  await close?.()
  close = undefined
})

async function receiver(answer: { status: number; headers?: Record<string, string> }) {
  const seen: { headers: IncomingHttpHeaders; body: string }[] = []
  const server = createServer((req, res) => {
    let body = ''
    req.on('data', (c: Buffer) => (body += c.toString()))
    req.on('end', () => {
      seen.push({ headers: req.headers, body })
      res.writeHead(answer.status, answer.headers).end('{"messageId":"m-9"}')
    })
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()))
  close = () => new Promise((r) => server.close(() => r()))
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/in`, seen }
}

const ctx = { attempt: 1, signal: new AbortController().signal, log: { warn() {}, debug() {} } as never }
const message = { channel: 'webhook', accountId: 'a', to: 'u1', text: 'hi', deliveryKey: 'dk-1' }

describe('webhook channel send', () => {
  it('signs the seed way when an account asks for sha256', async () => {
    const r = await receiver({ status: 200 })
    const config = WebhookConfigSchema.parse({ accounts: { a: { secret: SECRET, url: r.url, signature: 'sha256' } } })
    expect(await createWebhookChannel(() => config, Date.now).send(message, ctx)).toEqual({ messageId: 'm-9' })
    const [got] = r.seen
    expect(got!.headers['x-openclaw-signature']).toBe(`sha256=${createHmac('sha256', SECRET).update(got!.body).digest('hex')}`)
    expect(got!.headers['webhook-signature']).toBeUndefined()
    expect(JSON.parse(got!.body)).toEqual({ id: 'dk-1', to: 'u1', text: 'hi', account: 'a' })
  })

  it('makes 410 permanent and 429 a retry after its Retry-After', async () => {
    const gone = await receiver({ status: 410 })
    const config = WebhookConfigSchema.parse({ accounts: { a: { secret: SECRET, url: gone.url } } })
    await expect(createWebhookChannel(() => config, Date.now).send(message, ctx)).rejects.toMatchObject({ code: 'WH_ERR_REPLY_FAILED', permanent: true })
    await close!()
    const busy = await receiver({ status: 429, headers: { 'retry-after': '7' } })
    const config2 = WebhookConfigSchema.parse({ accounts: { a: { secret: SECRET, url: busy.url } } })
    await expect(createWebhookChannel(() => config2, Date.now).send(message, ctx)).rejects.toMatchObject({ permanent: false, retryAfterMs: 7000 })
  })

  it('refuses a secret that cannot key Standard Webhooks, naming its path', () => {
    const parsed = WebhookConfigSchema.safeParse({ accounts: { a: { secret: 'not base64!', url: 'https://x.example/r' } } })
    expect(parsed.success).toBe(false)
    expect(parsed.error!.issues[0]!.path).toEqual(['accounts', 'a', 'secret'])
  })
})

// Test support for the webhook channel's end-to-end tests: a reply receiver on loopback that checks
// each reply's Standard Webhooks signature, a signed sender, and an in-process gateway with the
// default plugins. Not exported.
import { mkdtempSync } from 'node:fs'
import { createServer, type IncomingHttpHeaders } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createGateway, createSilentLogger, type Gateway } from '@openclaw/core'
import { signStandardWebhook, verifyStandardWebhook } from '@openclaw/plugin-channel-webhook'
import { Tokens } from '@openclaw/plugin-sdk'
import { createScriptedModelServer, type ScriptedModelServer } from '@openclaw/plugin-sdk/testing'
import { defaultPlugins } from '../src/default-plugins.js'

export const SECRET = `whsec_${Buffer.from('webhook e2e secret: 32 bytes!!!!').toString('base64')}`
export const NEXT_SECRET = `whsec_${Buffer.from('the rotated secret, also 32 byte').toString('base64')}`
export const TOKEN = 'webhook-e2e-gateway-token-0123456789'

export interface ReceivedReply {
  readonly webhookId: string
  readonly headers: IncomingHttpHeaders
  readonly body: { id: string; to: string; text: string; attachments?: { url?: string; data?: string; mimeType?: string; name?: string }[]; buttons?: { text: string; data?: string }[][]; replyTo?: string }
  readonly at: number
}

export interface Receiver {
  readonly url: string
  readonly replies: ReceivedReply[]
  /** Replies whose signature did not verify (there should be none). */
  readonly badSignatures: number
  /** Decide the status of each reply POST (default 200). */
  respond(fn: (reply: ReceivedReply, n: number) => { status: number; headers?: Record<string, string> }): void
  waitFor(count: number, timeoutMs?: number): Promise<ReceivedReply[]>
  close(): Promise<void>
}

export async function startReceiver(secret = SECRET): Promise<Receiver> {
  const replies: ReceivedReply[] = []
  let bad = 0
  let posts = 0
  let responder: (reply: ReceivedReply, n: number) => { status: number; headers?: Record<string, string> } = () => ({ status: 200 })
  const waiters = new Set<() => void>()
  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const raw = Buffer.concat(chunks)
      try {
        verifyStandardWebhook(raw, req.headers as Record<string, string>, [secret], Date.now())
      } catch {
        bad++
        res.writeHead(401).end()
        return
      }
      const reply: ReceivedReply = { webhookId: String(req.headers['webhook-id']), headers: req.headers, body: JSON.parse(raw.toString()) as ReceivedReply['body'], at: Date.now() }
      const answer = responder(reply, ++posts)
      if (answer.status >= 200 && answer.status < 300) {
        replies.push(reply)
        for (const w of waiters) w()
      }
      res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers }).end(JSON.stringify({ messageId: `r${posts}` }))
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}/replies`,
    replies,
    get badSignatures() {
      return bad
    },
    respond(fn) {
      responder = fn
    },
    waitFor(count, timeoutMs = 15_000) {
      if (replies.length >= count) return Promise.resolve(replies)
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(check)
          reject(new Error(`waited for ${count} replies, got ${replies.length}`))
        }, timeoutMs)
        const check = () => {
          if (replies.length < count) return
          clearTimeout(timer)
          waiters.delete(check)
          resolve(replies)
        }
        waiters.add(check)
      })
    },
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections()
      server.close(() => resolve())
    }),
  }
}

/** POST a signed webhook to `<base>/channels/webhook/<account>`. */
export async function postSigned(base: string, account: string, body: unknown, options: { id?: string; secret?: string; at?: number; signature?: string } = {}): Promise<Response> {
  const text = JSON.stringify(body)
  const id = options.id ?? `msg_${Math.random().toString(36).slice(2)}`
  const headers = signStandardWebhook(options.secret ?? SECRET, id, text, options.at ?? Date.now())
  return fetch(`${base}/channels/webhook/${account}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers, ...(options.signature ? { 'webhook-signature': options.signature } : {}) },
    body: text,
  })
}

export interface WebhookGateway {
  readonly gateway: Gateway
  readonly model: ScriptedModelServer
  readonly receiver: Receiver
  /** `http://127.0.0.1:<port>` */
  readonly http: string
  /** `ws://127.0.0.1:<port>` for the CLI. */
  readonly ws: string
  close(): Promise<void>
}

/** A gateway with the default plugins and one webhook account `main` replying to a fresh receiver. */
export async function startWebhookGateway(options: { account?: Record<string, unknown>; config?: Record<string, unknown>; stateDir?: string } = {}): Promise<WebhookGateway> {
  const model = await createScriptedModelServer()
  const receiver = await startReceiver()
  const gateway = await createGateway({
    stateDir: options.stateDir ?? mkdtempSync(join(tmpdir(), 'openclaw-webhook-')),
    logger: createSilentLogger(),
    env: {},
    plugins: defaultPlugins(),
    config: {
      gateway: { port: 0, auth: { mode: 'token', token: TOKEN } },
      models: { providers: { openai: { baseUrl: model.baseUrl, apiKey: 'test-key', maxRetries: 0 } } },
      agents: { defaults: { model: 'openai/scripted-model' } },
      channels: { webhook: { accounts: { main: { secret: SECRET, url: receiver.url, dmPolicy: 'open', allowFrom: ['*'], ...options.account } } } },
      ...options.config,
    },
  })
  await gateway.start()
  const http = gateway.services.resolve(Tokens.HttpServer).url
  return {
    gateway,
    model,
    receiver,
    http,
    ws: http.replace(/^http/, 'ws'),
    async close() {
      await gateway.stop()
      await receiver.close()
      await model.close()
    },
  }
}

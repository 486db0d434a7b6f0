import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { NEXT_SECRET, postSigned, startWebhookGateway, TOKEN, type WebhookGateway } from '../test/webhook-kit.js'
import { captureIo } from './capture-io.js'
import { runCli } from './run-cli.js'

// The webhook channel over real HTTP: a signed sender, the gateway with its default plugins, a reply
// receiver that verifies every reply's signature, and the CLI against the gateway's RPC port.

let gw: WebhookGateway | undefined
afterEach(async () => {
  await gw?.close()
  gw = undefined
})

const cli = (g: WebhookGateway, ...args: string[]) => ['node', 'openclaw', ...args, '--url', g.ws, '--token', TOKEN]
const modelCalls = (g: WebhookGateway) => g.model.requests.filter((r) => r.path.endsWith('/chat/completions'))

async function until(check: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time')
    await new Promise((r) => setTimeout(r, 20))
  }
}

describe('webhook channel: inbound signatures', () => {
  it('answers a bad signature 401 and a stale timestamp 400, processing nothing', async () => {
    gw = await startWebhookGateway()
    const body = { from: { id: 'u1' }, text: 'hi' }
    const forged = await postSigned(gw.http, 'main', body, { signature: 'v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=' })
    expect(forged.status).toBe(401)
    expect(await forged.json()).toMatchObject({ ok: false, error: { code: 'WH_ERR_SIGNATURE_INVALID' } })
    const stale = await postSigned(gw.http, 'main', body, { at: Date.now() - 6 * 60_000 })
    expect(stale.status).toBe(400)
    expect(await stale.json()).toMatchObject({ error: { code: 'WH_ERR_TIMESTAMP' } })
    expect((await postSigned(gw.http, 'nobody', body)).status).toBe(404)
    const bad = await postSigned(gw.http, 'main', { text: 'no sender' })
    expect(bad.status).toBe(400)
    await new Promise((r) => setTimeout(r, 200))
    expect(await gw.gateway.inbound.list()).toEqual([])
    expect(modelCalls(gw)).toHaveLength(0)
  })

  it('accepts two secrets at once, for a rotation', async () => {
    gw = await startWebhookGateway({ account: { secrets: [NEXT_SECRET] } })
    expect((await postSigned(gw.http, 'main', { from: { id: 'u1' }, text: 'old' })).status).toBe(202)
    expect((await postSigned(gw.http, 'main', { from: { id: 'u1' }, text: 'new' }, { secret: NEXT_SECRET })).status).toBe(202)
    await gw.receiver.waitFor(2)
  })

  it('de-duplicates by webhook-id: a resend is answered duplicate and replied to once', async () => {
    gw = await startWebhookGateway()
    const first = await postSigned(gw.http, 'main', { from: { id: 'u1' }, text: 'once' }, { id: 'msg_dup' })
    expect(first.status).toBe(202)
    expect(await first.json()).toMatchObject({ ok: true, status: 'accepted' })
    const again = await postSigned(gw.http, 'main', { from: { id: 'u1' }, text: 'once' }, { id: 'msg_dup' })
    expect(await again.json()).toMatchObject({ ok: true, status: 'duplicate' })
    await gw.receiver.waitFor(1)
    await new Promise((r) => setTimeout(r, 300))
    expect(gw.receiver.replies).toHaveLength(1)
    expect(modelCalls(gw)).toHaveLength(1)
    expect(gw.receiver.badSignatures).toBe(0)
  })
})

describe('webhook channel: pairing', () => {
  it('answers an unknown sender with a code, runs nothing, and admits them once approved with the CLI', async () => {
    gw = await startWebhookGateway({ account: { dmPolicy: 'pairing', allowFrom: [] } })
    await postSigned(gw.http, 'main', { from: { id: 'stranger', name: 'Stranger' }, text: 'let me in' })
    const [pairingReply] = await gw.receiver.waitFor(1)
    const code = /Pairing code: ([A-Z2-9]{8})/.exec(pairingReply!.body.text)?.[1]
    expect(code).toBeDefined()
    expect(pairingReply!.body.text).toContain(`openclaw pairing approve webhook ${code}`)
    expect(modelCalls(gw)).toHaveLength(0)
    // Asking again within the hour: same code, no second pairing message.
    await postSigned(gw.http, 'main', { from: { id: 'stranger' }, text: 'again' })
    await new Promise((r) => setTimeout(r, 300))
    expect(gw.receiver.replies).toHaveLength(1)

    const list = captureIo()
    expect(await runCli(cli(gw, 'pairing', 'list', 'webhook'), list.io)).toBe(0)
    expect(list.stdout()).toMatch(new RegExp(`webhook +main +stranger +Stranger +${code}`))
    const approve = captureIo()
    expect(await runCli(cli(gw, 'pairing', 'approve', 'webhook', code!.toLowerCase()), approve.io)).toBe(0)
    expect(approve.stdout()).toContain('Approved webhook sender stranger')

    gw.model.reply({ text: 'welcome in' })
    await postSigned(gw.http, 'main', { from: { id: 'stranger' }, text: 'now?' })
    const replies = await gw.receiver.waitFor(2)
    expect(replies[1]!.body).toMatchObject({ to: 'stranger', text: 'welcome in' })
    const wrong = captureIo()
    expect(await runCli(cli(gw, 'pairing', 'approve', 'webhook', 'ABCDEFGH'), wrong.io)).not.toBe(0)
    expect(wrong.stderr()).toContain('CORE_ERR_PAIRING_UNKNOWN')
  })
})

describe('webhook channel: replies', () => {
  it('splits a 10,000-character reply into signed POSTs within the limit, in order', async () => {
    gw = await startWebhookGateway({ account: { textLimit: 1000 } })
    const paragraphs = Array.from({ length: 24 }, (_, p) => Array.from({ length: 10 }, (_, s) => `Paragraph ${p} sentence ${s} says a little more.`).join(' '))
    const text = paragraphs.join('\n\n')
    expect(text.length).toBeGreaterThanOrEqual(10_000)
    gw.model.reply({ text })
    await postSigned(gw.http, 'main', { from: { id: 'u1' }, text: 'write a lot' })
    await until(async () => gw!.receiver.replies.length >= 10 && (await gw!.gateway.inbound.list({ state: 'done' })).length === 1)
    await new Promise((r) => setTimeout(r, 200))
    const replies = gw.receiver.replies
    for (const r of replies) expect(r.body.text.length).toBeLessThanOrEqual(1000)
    expect(replies.map((r) => r.body.id)).toEqual(replies.map((_, i) => (i === 0 ? replies[0]!.body.id : `${replies[0]!.body.id}#${i + 1}`)))
    expect(replies.map((r) => r.body.text).join(' ').replace(/\s+/g, ' ')).toBe(text.replace(/\s+/g, ' '))
    expect(replies.every((r) => r.webhookId === r.body.id)).toBe(true)
  })

  it('round-trips buttons: sent with message send -t, pressed by the user, seen by the agent', async () => {
    gw = await startWebhookGateway()
    const send = captureIo()
    expect(await runCli(cli(gw, 'message', 'send', '--channel', 'webhook', '-t', 'u7', '-m', 'Deploy?', '--buttons', '[{"text":"Yes","data":"deploy:yes"},{"text":"No","data":"deploy:no"}]'), send.io)).toBe(0)
    expect(send.stdout()).toMatch(/^Sent to webhook u7/)
    const [out] = await gw.receiver.waitFor(1)
    expect(out!.body).toMatchObject({ to: 'u7', text: 'Deploy?', buttons: [[{ text: 'Yes', data: 'deploy:yes' }, { text: 'No', data: 'deploy:no' }]] })

    gw.model.reply({ text: 'Deploying.' })
    const press = await postSigned(gw.http, 'main', { from: { id: 'u7' }, button: { data: 'deploy:yes', messageId: 'r1' } })
    expect(press.status).toBe(202)
    const replies = await gw.receiver.waitFor(2)
    expect(replies[1]!.body).toMatchObject({ to: 'u7', text: 'Deploying.' })
    const userTurn = (modelCalls(gw)[0]!.body as { messages: { role: string; content: string }[] }).messages.at(-1)
    expect(userTurn).toEqual({ role: 'user', content: '(button pressed) deploy:yes' })
  })

  it('takes media in lazily without the secret URL reaching the model or the transcript, and sends media out', async () => {
    const png = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63fcff9fa10e0005ff02fea7d6a4b90000000049454e44ae426082', 'hex')
    const files = createServer((req, res) => {
      if (!req.url?.includes('token=SECRET-TOKEN-123')) return void res.writeHead(403).end()
      res.writeHead(200, { 'content-type': 'image/png', 'content-length': png.length }).end(png)
    })
    await new Promise<void>((r) => files.listen(0, '127.0.0.1', () => r()))
    const fileUrl = `http://127.0.0.1:${(files.address() as AddressInfo).port}/file.png?token=SECRET-TOKEN-123`
    try {
      // The gateway fetches outbound media URLs itself; this loopback file server is allowed by name.
      gw = await startWebhookGateway({ config: { delivery: { media: { allowedHostnames: ['127.0.0.1'] } } } })
      gw.model.reply({ text: 'a tiny image' })
      await postSigned(gw.http, 'main', { from: { id: 'u1' }, text: 'what is this?', attachments: [{ url: fileUrl, mimeType: 'image/png', name: 'file.png' }] })
      await gw.receiver.waitFor(1)
      const modelBody = JSON.stringify(modelCalls(gw)[0]!.body)
      expect(modelBody).toContain(png.toString('base64'))
      expect(modelBody).not.toContain('SECRET-TOKEN-123')
      const history = await gw.gateway.sessions.history('agent:main:webhook:direct:u1')
      expect(JSON.stringify(history)).not.toContain('SECRET-TOKEN-123')

      const send = captureIo()
      expect(await runCli(cli(gw, 'message', 'send', '--channel', 'webhook', '--target', 'u1', '--media', fileUrl.replace('file.png', 'cat.png'), '-m', 'a cat'), send.io)).toBe(0)
      const replies = await gw.receiver.waitFor(2)
      // Sent as the bytes the gateway fetched (the token-bearing URL does not go out), type sniffed.
      expect(replies[1]!.body).toMatchObject({ to: 'u1', text: 'a cat', attachments: [{ kind: 'image', mimeType: 'image/png', name: 'cat.png', data: png.toString('base64') }] })
      expect(JSON.stringify(replies[1]!.body)).not.toContain('SECRET-TOKEN-123')
    } finally {
      await new Promise<void>((r) => files.close(() => r()))
    }
  })
})

describe('webhook channel: the message tool', () => {
  it('lets the agent send buttons and a workspace file on the current conversation, and refuses a path outside it', async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'openclaw-msgtool-'))
    mkdirSync(join(stateDir, 'workspace'))
    writeFileSync(join(stateDir, 'workspace', 'report.pdf'), '%PDF-1.7\nhello\n')
    gw = await startWebhookGateway({ stateDir })
    gw.model
      .reply({ toolCalls: [{ id: 'call_1', name: 'message', arguments: { text: 'Here it is', buttons: [[{ text: 'Thanks', data: 'ok' }]], media: [{ path: 'report.pdf' }] } }] })
      .reply({ toolCalls: [{ id: 'call_2', name: 'message', arguments: { text: 'x', media: [{ path: '../openclaw.json' }] } }] })
      .reply({ text: 'Sent.' })
    await postSigned(gw.http, 'main', { from: { id: 'u5' }, text: 'send me the report' })
    const replies = await gw.receiver.waitFor(2)
    expect(replies[0]!.body).toMatchObject({
      to: 'u5', text: 'Here it is', buttons: [[{ text: 'Thanks', data: 'ok' }]],
      attachments: [{ kind: 'file', mimeType: 'application/pdf', name: 'report.pdf', data: Buffer.from('%PDF-1.7\nhello\n').toString('base64') }],
    })
    expect(replies[1]!.body).toMatchObject({ to: 'u5', text: 'Sent.' })
    const secondTurn = JSON.stringify(modelCalls(gw)[2]!.body)
    expect(secondTurn).toContain('is not a file inside the agent workspace')
  })
})

describe('webhook channel: dead letters', () => {
  it('counts a receiver 410 as permanent: listed, retried and dropped with the CLI', async () => {
    gw = await startWebhookGateway()
    let status = 410
    gw.receiver.respond(() => ({ status }))
    const send = captureIo()
    expect(await runCli(cli(gw, 'message', 'send', '--channel', 'webhook', '-t', 'gone', '-m', 'hello?'), send.io)).not.toBe(0)
    const list = captureIo()
    expect(await runCli(cli(gw, 'deliveries', 'list'), list.io)).toBe(0)
    const key = /^(\S+) +webhook +gone +1 /m.exec(list.stdout())?.[1]
    expect(key, list.stdout()).toBeDefined()
    expect(list.stdout()).toContain('Reply POST answered 410')

    status = 200
    expect(await runCli(cli(gw, 'deliveries', 'retry', key!), captureIo().io)).toBe(0)
    await gw.receiver.waitFor(1)
    const empty = captureIo()
    expect(await runCli(cli(gw, 'deliveries', 'list', '--json'), empty.io)).toBe(0)
    expect(JSON.parse(empty.stdout())).toEqual({ deliveries: [] })

    status = 410
    await runCli(cli(gw, 'message', 'send', '--channel', 'webhook', '-t', 'gone2', '-m', 'bye'), captureIo().io)
    const dead = await gw.gateway.delivery.deadLetters()
    expect(await runCli(cli(gw, 'deliveries', 'drop', dead[0]!.deliveryKey), captureIo().io)).toBe(0)
    expect(await gw.gateway.delivery.deadLetters()).toEqual([])
    const missing = captureIo()
    expect(await runCli(cli(gw, 'deliveries', 'drop', 'nope'), missing.io)).not.toBe(0)
    expect(missing.stderr()).toContain('CORE_ERR_DELIVERY_UNKNOWN')
  })

  it('retries a 503 with Retry-After and delivers once it recovers', async () => {
    gw = await startWebhookGateway()
    gw.receiver.respond((_r, n) => (n === 1 ? { status: 503, headers: { 'retry-after': '1' } } : { status: 200 }))
    const started = Date.now()
    gw.model.reply({ text: 'eventually' })
    await postSigned(gw.http, 'main', { from: { id: 'u1' }, text: 'hi' })
    const [reply] = await gw.receiver.waitFor(1)
    expect(reply!.body.text).toBe('eventually')
    expect(reply!.at - started).toBeGreaterThanOrEqual(900)
  })
})

describe('webhook channel: status and shutdown', () => {
  it('reports liveness in channels status, status and /readyz?deep', async () => {
    gw = await startWebhookGateway()
    await postSigned(gw.http, 'main', { from: { id: 'u1' }, text: 'hi' })
    await gw.receiver.waitFor(1)
    const status = captureIo()
    expect(await runCli(cli(gw, 'channels', 'status'), status.io)).toBe(0)
    expect(status.stdout()).toMatch(/webhook +main +ok +\S/)
    const ready = await fetch(`${gw.http}/readyz?deep=1`)
    expect(await ready.json()).toMatchObject({ ok: true, channels: [{ channel: 'webhook', accountId: 'main', state: 'ok', healthy: true }] })
    gw.receiver.respond(() => ({ status: 500 }))
    void gw.gateway.delivery.send({ channel: 'webhook', accountId: 'main', to: 'u1', text: 'x', deliveryKey: 'dk-500' })
    await until(async () => (await fetch(`${gw!.http}/readyz?deep=1`)).status === 503)
    expect((await fetch(`${gw.http}/readyz`)).status).toBe(200)
  })

  it('stops in order: no new inbound, runs in flight finish, their replies go out, then the channels stop', async () => {
    gw = await startWebhookGateway()
    gw.model.reply({ text: 'finished before shutdown', delayMs: 600 })
    await postSigned(gw.http, 'main', { from: { id: 'u1' }, text: 'slow one' })
    await until(() => modelCalls(gw!).length === 1)
    const stopping = gw.gateway.stop()
    await new Promise((r) => setTimeout(r, 50))
    const refused = await postSigned(gw.http, 'main', { from: { id: 'u2' }, text: 'too late' }).catch(() => undefined)
    expect(refused === undefined || refused.status === 503).toBe(true)
    await stopping
    expect(gw.receiver.replies.map((r) => r.body.text)).toEqual(['finished before shutdown'])
    await fetch(`${gw.http}/readyz`).then(
      () => expect.fail('the HTTP server should be closed'),
      () => undefined,
    )
    await gw.receiver.close()
    await gw.model.close()
    gw = undefined
  })
})

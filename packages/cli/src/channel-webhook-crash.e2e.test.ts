import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createScriptedModelServer, lastUserText, type ScriptedModelServer } from '@openclaw/plugin-sdk/testing'
import { afterAll, describe, expect, it } from 'vitest'
import { postSigned, SECRET, startReceiver, type Receiver } from '../test/webhook-kit.js'
import { freePort, spawnGateway, type SpawnedGateway } from './spawn-gateway.js'

// The crash test (bounded, loopback only): a sender posts 500 signed webhook messages to 50 chats
// while the gateway, a child process, is killed with SIGKILL at 3 random moments and restarted.
// Every accepted message gets exactly one reply (counted by delivery key and webhook-id), none is
// lost, and each chat's replies arrive in order.

const CHATS = 50
const PER_CHAT = 10

let dir: string | undefined
let child: SpawnedGateway | undefined
let model: ScriptedModelServer | undefined
let receiver: Receiver | undefined

afterAll(async () => {
  await child?.kill('SIGKILL')
  await model?.close()
  await receiver?.close()
  if (dir) rmSync(dir, { recursive: true, force: true })
})

/** `openclaw gateway` on `port` (a restart comes back on it). */
const startGateway = (configPath: string, stateDir: string, port: number) => spawnGateway({ stateDir, configPath, port, timeoutMs: 20_000 })

describe('crash test', () => {
  it('loses nothing and replies once per accepted message across 3 SIGKILLs, in per-chat order', async () => {
    dir = mkdtempSync(join(tmpdir(), 'openclaw-crash-'))
    model = await createScriptedModelServer()
    model.replyWith((request) => ({ text: `re: ${lastUserText(request)}` }))
    receiver = await startReceiver()
    const port = await freePort()
    const configPath = join(dir, 'openclaw.json')
    writeFileSync(configPath, JSON.stringify({
      gateway: { auth: { token: 'crash-test-token-0123456789' } },
      models: { providers: { openai: { baseUrl: model.baseUrl, apiKey: 'test-key', maxRetries: 0 } } },
      agents: { defaults: { model: 'openai/scripted-model' } },
      channels: { webhook: { accounts: { main: { secret: SECRET, url: receiver.url, dmPolicy: 'open', allowFrom: ['*'] } } } },
      inbound: { concurrency: 16, leaseMs: 5000 },
      delivery: { baseDelayMs: 50, maxDelayMs: 500, leaseMs: 5000 },
      logging: { level: 'error' },
    }))
    const base = `http://127.0.0.1:${port}`
    child = await startGateway(configPath, dir, port)

    // 3 kills at random moments, measured in accepted messages.
    const total = CHATS * PER_CHAT
    const killAt = [0, 1, 2].map((i) => Math.floor(total * (0.15 + i * 0.25) + Math.random() * total * 0.15)).sort((a, b) => a - b)
    let accepted = 0
    let restarting: Promise<void> | undefined
    const kills: number[] = []
    const maybeKill = () => {
      if (restarting || killAt.length === 0 || accepted < killAt[0]!) return
      kills.push(killAt.shift()!)
      const victim = child!
      restarting = (async () => {
        await victim.kill('SIGKILL')
        child = await startGateway(configPath, dir!, port)
      })().finally(() => (restarting = undefined))
    }

    // The sender: each chat's messages in order, the chats at once; a refused or failed POST is sent
    // again with the same webhook-id until the gateway answers 202.
    const send = async (chat: number, n: number) => {
      const id = `msg_${chat}_${n}`
      for (;;) {
        await restarting
        const res = await postSigned(base, 'main', { from: { id: `chat${chat}` }, text: `c${chat}-m${n}` }, { id }).catch(() => undefined)
        if (res?.status === 202) {
          accepted++
          maybeKill()
          return
        }
        await new Promise((r) => setTimeout(r, 50))
      }
    }
    await Promise.all(Array.from({ length: CHATS }, async (_, chat) => {
      for (let n = 0; n < PER_CHAT; n++) await send(chat, n)
    }))
    await restarting
    expect(kills).toHaveLength(3)
    expect(accepted).toBe(total)

    // Every accepted message: exactly one reply, by delivery key and by webhook-id.
    const distinct = () => new Map(receiver!.replies.map((r) => [r.body.id, r]))
    const deadline = Date.now() + 60_000
    while (distinct().size < total && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100))
    const byKey = distinct()
    expect(byKey.size).toBe(total)
    expect(new Set(receiver.replies.map((r) => r.webhookId)).size).toBe(total)
    const texts = [...byKey.values()].map((r) => r.body.text)
    expect(new Set(texts).size).toBe(total)
    for (let chat = 0; chat < CHATS; chat++) {
      const firstArrivals: string[] = []
      for (const r of receiver.replies) if (r.body.to === `chat${chat}` && !firstArrivals.includes(r.body.text)) firstArrivals.push(r.body.text)
      expect(firstArrivals).toEqual(Array.from({ length: PER_CHAT }, (_, n) => `re: c${chat}-m${n}`))
    }
    expect(receiver.badSignatures).toBe(0)
    console.log(`crash test: ${total} accepted, kills after ${kills.join(', ')} accepted; ${receiver.replies.length} reply POSTs, ${byKey.size} distinct (resends after a kill carry the same webhook-id)`)
  }, 180_000)
})

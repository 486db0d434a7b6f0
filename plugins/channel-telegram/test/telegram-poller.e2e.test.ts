import { createSilentLogger } from '@openclaw/core'
import type { ChannelEvent } from '@openclaw/plugin-sdk/channels'
import { startFakeTelegram, type FakeTelegram } from '@openclaw/plugin-sdk/testing'
import { afterEach, describe, expect, it } from 'vitest'
import { resolveAccounts } from '../src/resolve-accounts.js'
import { TelegramAccountRuntime } from '../src/telegram-account.js'
import { TelegramConfigSchema } from '../src/telegram-config.js'
import { runPoller } from '../src/telegram-poller.js'
import { until } from './start-telegram-gateway.js'

// The poller alone against the fake Bot API server (grammY for real), with `accept` standing in for
// the gateway's inbox: the offset moves past an update only once accept() resolved for it.

let tg: FakeTelegram | undefined
const stop = new AbortController()
afterEach(async () => {
  stop.abort()
  await tg?.close()
  tg = undefined
})

describe('runPoller', () => {
  it('confirms an update to Telegram only after accept() made it durable: a failed accept is polled again, in order', async () => {
    tg = await startFakeTelegram()
    const [settings] = resolveAccounts(TelegramConfigSchema.parse({ botToken: tg.token, apiRoot: tg.apiRoot, polling: { timeoutSeconds: 1, stallGraceMs: 1000 } }))
    const account = new TelegramAccountRuntime(settings!, tg.token, createSilentLogger(), Date.now)
    const ada = tg.user()
    for (const text of ['one', 'two', 'three']) tg.sendDm(ada, text)
    const seen: string[] = []
    let failOnce = true
    const accept = async (event: ChannelEvent) => {
      seen.push(event.kind === 'message' ? event.text : '?')
      if (event.kind === 'message' && event.text === 'two' && failOnce) {
        failOnce = false
        throw Object.assign(new Error('the inbox is closed'), { code: 'CORE_ERR_INBOUND_CLOSED' })
      }
      return { status: 'accepted' as const, inboxId: event.id }
    }
    const done = runPoller(account, stop.signal, { accept, topicAgent: () => undefined, log: createSilentLogger(), now: Date.now })
    await until(() => tg!.pendingUpdates.length === 0, 10_000, 'every update confirmed')
    expect(seen).toEqual(['one', 'two', 'two', 'three'])
    // The three came in one batch; after the failure the next poll asked from 'two' on (not confirmed).
    const offsets = tg.callsOf('getUpdates').map((c) => c.params.offset).filter((o) => o !== undefined)
    expect(offsets[0]).toBe(tg.updates[1]!.update_id)
    expect(account.state.lastError?.message).toContain('could not be accepted (CORE_ERR_INBOUND_CLOSED)')
    stop.abort()
    await done
  })
})

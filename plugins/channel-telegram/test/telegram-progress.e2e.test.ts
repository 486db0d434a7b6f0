import { setTimeout as sleep } from 'node:timers/promises'
import { definePlugin, defineTool } from '@openclaw/plugin-sdk'
import { afterEach, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { startTelegramGateway, until, type TelegramGateway } from './start-telegram-gateway.js'

// streaming: "progress" (OpenClaw's default mode): one status draft ("Working…" and the tools as they
// start), deleted when the run ends; the answer arrives as a new, normal message.

let gw: TelegramGateway | undefined
afterEach(async () => {
  await gw?.close()
  gw = undefined
})

/** A tool that takes a while, so the status draft is there while it runs. */
const lookupTool = () =>
  definePlugin({
    id: 'tool:lookup-test',
    version: '1.0.0',
    register(api) {
      api.tools.register(defineTool({
        name: 'lookup',
        description: 'Look something up',
        parameters: z.object({ q: z.string() }),
        execute: async ({ q }) => {
          await sleep(1500)
          return `found ${q}`
        },
      }))
    },
  })

describe('telegram: streaming progress', () => {
  it('shows a status draft with the running tool, deletes it at the end, and sends the answer as a new message', async () => {
    gw = await startTelegramGateway({ telegram: { streaming: 'progress' }, config: { streaming: { throttleMs: 100 } }, plugins: [lookupTool()] })
    gw.model.reply({ toolCalls: [{ name: 'lookup', arguments: { q: 'life' } }] }).reply({ text: 'The **answer** is 42' })
    const ada = gw.tg.user({ firstName: 'Ada' })
    const asked = gw.tg.sendDm(ada, 'what is it?')
    // While the tool runs: one status message, not yet deleted.
    const status = await until(() => gw!.tg.messagesTo(ada.id)[0], 15_000, 'the status draft')
    expect(status.plainText).toBe('Working…\n• lookup')
    expect(status.deleted).toBe(false)
    await until(() => gw!.tg.messagesTo(ada.id).length === 2 && gw!.tg.messagesTo(ada.id)[0]!.deleted, 20_000, 'the answer and the status deleted')
    const [draft, answer] = gw.tg.messagesTo(ada.id)
    expect(draft!.replyToMessageId).toBeUndefined()
    expect(gw.tg.callsOf('deleteMessage').map((c) => [c.params.chat_id, c.params.message_id, c.status])).toEqual([[ada.id, Number(draft!.message.message_id), 200]])
    // The answer: a normal message, formatted, never edited, never the draft.
    expect(answer!.text).toBe('The <b>answer</b> is 42')
    expect(answer!.edits).toEqual([])
    expect(answer!.deleted).toBe(false)
    expect(asked.message_id).toBeGreaterThan(0)
    await sleep(300)
    expect(gw.tg.messagesTo(ada.id)).toHaveLength(2)
    expect(await gw.gateway.delivery.deadLetters({ channel: 'telegram' })).toEqual([])
  })

  it('takes the object form, and shows no status for a quick answer', async () => {
    gw = await startTelegramGateway({ telegram: { streaming: { mode: 'progress' } } })
    gw.model.reply({ text: 'quick' })
    const ada = gw.tg.user()
    gw.tg.sendDm(ada, 'hi')
    const [reply] = await gw.tg.waitForMessages(ada.id, 1, { timeoutMs: 15_000 })
    expect(reply!.plainText).toBe('quick')
    await sleep(1500)
    expect(gw.tg.messagesTo(ada.id)).toHaveLength(1)
    expect(gw.tg.callsOf('deleteMessage')).toEqual([])
  })

  it('logs a failed delete of the status and still delivers the answer', async () => {
    gw = await startTelegramGateway({ telegram: { streaming: 'progress' }, config: { streaming: { throttleMs: 100 } }, plugins: [lookupTool()] })
    gw.model.reply({ toolCalls: [{ name: 'lookup', arguments: { q: 'x' } }] }).reply({ text: 'done anyway' })
    gw.tg.failNext('deleteMessage', { status: 400, description: "Bad Request: message can't be deleted" })
    const ada = gw.tg.user()
    gw.tg.sendDm(ada, 'go')
    await until(() => gw!.tg.messagesTo(ada.id).length === 2, 20_000, 'the answer')
    const [draft, answer] = gw.tg.messagesTo(ada.id)
    expect(answer!.plainText).toBe('done anyway')
    expect(draft!.deleted).toBe(false)
    await until(() => gw!.logs.find((l) => l.includes('deleting the status draft failed')), 5_000, 'the warning')
    expect(gw.logs.find((l) => l.includes('deleting the status draft failed'))).toContain("message can't be deleted")
    expect(await gw.gateway.delivery.deadLetters({ channel: 'telegram' })).toEqual([])
  })
})

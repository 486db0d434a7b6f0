import { afterEach, describe, expect, it } from 'vitest'
import { modelCalls, startHarness, type Harness } from './harness.js'

let h: Harness | undefined
afterEach(async () => {
  await h?.close()
  h = undefined
})

/** What the model was told a tool call returned, in the request after that call. */
function toolResultOf(h: Harness, call: number): string {
  const tool = modelCalls(h.model)[call]!.messages.find((m) => m.role === 'tool')
  return String(tool?.content)
}

describe('transcript size limits', () => {
  it('should refuse a run that would take a session over session.maxTranscriptBytes with 413, and let a reset session go on', async () => {
    h = await startHarness({ config: { session: { maxTranscriptBytes: 4_000 } } })
    h.model.replyWith(() => ({ text: 'ok' }))
    expect((await h.gateway.agent.run({ sessionKey: 'big', message: 'a'.repeat(3_000) })).status).toBe('ok')
    const refused = await h.gateway.agent.start({ sessionKey: 'big', message: 'b'.repeat(2_000) }).then(
      () => undefined,
      (err: unknown) => err as { code: string; statusCode: number; message: string },
    )
    expect(refused).toMatchObject({ code: 'CORE_ERR_TRANSCRIPT_TOO_LARGE', statusCode: 413, message: expect.stringContaining('session.maxTranscriptBytes (4000): reset the session') })
    // Nothing of the refused run reached the transcript or the model.
    expect((await h.gateway.sessions.get('agent:main:big'))?.messageCount).toBe(2)
    expect(modelCalls(h.model)).toHaveLength(1)
    // Another session is not affected, and a reset frees the room.
    expect((await h.gateway.agent.run({ sessionKey: 'other', message: 'b'.repeat(2_000) })).status).toBe('ok')
    await h.gateway.sessions.reset('agent:main:big')
    expect((await h.gateway.agent.run({ sessionKey: 'big', message: 'b'.repeat(2_000) })).status).toBe('ok')
  })

  it('should refuse a run that would take all transcripts over session.maxTotalTranscriptBytes', async () => {
    h = await startHarness({ config: { session: { maxTotalTranscriptBytes: 5_000 } } })
    h.model.replyWith(() => ({ text: 'ok' }))
    await h.gateway.agent.run({ sessionKey: 's1', message: 'a'.repeat(2_000) })
    await h.gateway.agent.run({ sessionKey: 's2', message: 'a'.repeat(2_000) })
    await expect(h.gateway.agent.run({ sessionKey: 's3', message: 'a'.repeat(2_000) })).rejects.toMatchObject({ code: 'CORE_ERR_TRANSCRIPTS_FULL', statusCode: 413 })
  })
})

describe('identity of session keys', () => {
  it('should normalise keys to NFC before lowercasing, and nothing more', async () => {
    h = await startHarness()
    const key = (sessionKey: string) => h!.gateway.agent.resolveSessionKey({ sessionKey }).sessionKey
    // Canonically equivalent: one session. The Kelvin sign is NFC "K", lowercased "k" (documented).
    expect(key('caf\u00e9')).toBe(key('cafe\u0301'))
    expect(key('\u212a')).toBe('agent:main:k')
    // Compatibility forms are not folded: the ligature ﬁ is not "fi".
    expect(key('\ufb01')).not.toBe(key('fi'))
    // U+FFFD is a character like any other; a lone surrogate is refused, so they never merge.
    expect(key('\ufffd')).toBe('agent:main:\ufffd')
    expect(() => key('a\ud800')).toThrow(expect.objectContaining({ code: 'CORE_ERR_SESSION_KEY_INVALID', statusCode: 400, message: expect.stringContaining('lone UTF-16 surrogate') }))
    expect(() => key('\udc00b')).toThrow(expect.objectContaining({ code: 'CORE_ERR_SESSION_KEY_INVALID' }))
  })
})

describe('session tools visibility', () => {
  const peek = { toolCalls: [{ id: 'call_peek', name: 'sessions_history', arguments: { sessionKey: 'agent:main:secret' } }] }

  it('should keep a session a webhook created to its own transcript by default', async () => {
    h = await startHarness()
    h.model.reply({ text: 'the code is 1234' }).reply(peek).reply({ text: 'done' })
    await h.gateway.agent.run({ sessionKey: 'secret', message: 'remember the code' })
    const hooked = await h.gateway.agent.run({ sessionKey: 'hook:abc', message: 'read other sessions', origin: { channel: 'hooks' } })
    expect(hooked.status).toBe('ok')
    const result = toolResultOf(h, 2)
    expect(result).toContain('session tools see only the current session')
    expect(result).not.toContain('1234')
  })

  it('should let other sessions read any session unless session.tools.visibility is own', async () => {
    h = await startHarness()
    h.model.reply({ text: 'the code is 1234' }).reply(peek).reply({ text: 'done' })
    await h.gateway.agent.run({ sessionKey: 'secret', message: 'remember the code' })
    await h.gateway.agent.run({ sessionKey: 'chat', message: 'read other sessions' })
    expect(toolResultOf(h, 2)).toContain('1234')
    await h.close()

    h = await startHarness({ config: { session: { tools: { visibility: 'own' } } } })
    h.model.reply({ text: 'the code is 1234' }).reply(peek).reply({ toolCalls: [{ id: 'call_list', name: 'sessions_list', arguments: {} }] }).reply({ text: 'done' })
    await h.gateway.agent.run({ sessionKey: 'secret', message: 'remember the code' })
    await h.gateway.agent.run({ sessionKey: 'chat', message: 'read other sessions' })
    expect(toolResultOf(h, 2)).not.toContain('1234')
    const listed = JSON.parse(String(modelCalls(h.model)[3]!.messages.filter((m) => m.role === 'tool').at(-1)!.content)) as { items: { key: string }[] }
    expect(listed.items.map((s) => s.key)).toEqual(['agent:main:chat'])
  })
})

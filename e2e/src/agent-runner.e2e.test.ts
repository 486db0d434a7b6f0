import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { definePlugin, defineTool, STAGE_GUARD } from '@openclaw/plugin-sdk'
import { createTestGateway, lastUserText } from '@openclaw/plugin-sdk/testing'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { z } from 'zod'
import type { AgentEvent } from '@openclaw/core'
import { modelCalls, startHarness, type Harness } from './harness.js'

let h: Harness | undefined
afterEach(async () => {
  await h?.close()
  h = undefined
})

const weather = defineTool({
  name: 'get_weather',
  description: 'Weather for a city',
  parameters: z.object({ city: z.string() }),
  execute: ({ city }) => ({ city, forecast: 'sunny' }),
})

function toolsPlugin(...tools: ReturnType<typeof defineTool<never, unknown>>[]) {
  return definePlugin({ id: 'tool:test', version: '1.0.0', register: (api) => tools.forEach((t) => api.tools.register(t)) })
}

describe('agent runner', () => {
  it('answers a turn and keeps multi-turn history for the model', async () => {
    h = await startHarness()
    h.model.reply({ text: 'Hello Ada!', usage: { input: 10, output: 3 } }).reply({ text: 'You are Ada.' })
    const first = await h.gateway.agent.run({ sessionKey: 'demo', message: 'I am Ada' })
    expect(first).toMatchObject({ status: 'ok', text: 'Hello Ada!', sessionKey: 'agent:main:demo', agentId: 'main', model: 'openai/scripted-model' })
    expect(first.usage).toEqual({ inputTokens: 10, outputTokens: 3, totalTokens: 13 })
    const second = await h.gateway.agent.run({ sessionKey: 'agent:main:demo', message: 'Who am I?' })
    expect(second.text).toBe('You are Ada.')
    const messages = modelCalls(h.model)[1]!.messages
    expect(messages.map((m) => [m.role, m.content])).toEqual([
      ['system', expect.any(String)],
      ['user', 'I am Ada'],
      ['assistant', 'Hello Ada!'],
      ['user', 'Who am I?'],
    ])
    const history = await h.gateway.sessions.history('agent:main:demo')
    expect(history.items.map((e) => e.role)).toEqual(['user', 'assistant', 'user', 'assistant'])
  })

  it('runs a tool round trip and gives the model the result', async () => {
    h = await startHarness({ plugins: [toolsPlugin(weather as never)] })
    h.model.reply({ toolCalls: [{ id: 'call_1', name: 'get_weather', arguments: { city: 'Oslo' } }] }).reply({ text: 'Sunny in Oslo.' })
    const result = await h.gateway.agent.run({ message: 'weather in Oslo?' })
    expect(result.status).toBe('ok')
    expect(result.text).toBe('Sunny in Oslo.')
    expect(result.toolCalls[0]).toMatchObject({ id: 'call_1', name: 'get_weather', result: { ok: true, output: { city: 'Oslo', forecast: 'sunny' } } })
    const second = modelCalls(h.model)[1]!
    const toolMessage = second.messages.find((m) => m.role === 'tool')!
    expect(toolMessage.tool_call_id).toBe('call_1')
    expect(JSON.parse(toolMessage.content as string)).toEqual({ city: 'Oslo', forecast: 'sunny' })
    expect(modelCalls(h.model)[0]!.tools!.map((t) => t.function.name)).toEqual(expect.arrayContaining(['get_weather', 'sessions_list', 'sessions_history', 'session_status']))
  })

  it('takes client tool results only for calls the session waits for, and answers abandoned calls for the model', async () => {
    h = await startHarness()
    const clientTools = [{ name: 'lookup', description: 'Look a thing up', parameters: { type: 'object', properties: {} } }]
    const session = { sessionKey: 'client-tools', clientTools }
    h.model.reply({ toolCalls: [{ id: 'call_c1', name: 'lookup', arguments: {} }] })
    expect(await h.gateway.agent.run({ ...session, message: 'look it up' })).toMatchObject({ status: 'ok', finishReason: 'tool_calls' })

    // A client tool may not take the name of a gateway tool.
    await expect(h.gateway.agent.run({ ...session, message: 'x', clientTools: [{ ...clientTools[0]!, name: 'sessions_list' }] })).rejects.toMatchObject({
      code: 'CORE_ERR_RUN_INVALID',
      message: expect.stringContaining("client tool 'sessions_list' has the name of a gateway tool"),
    })

    // An unknown call id: refused, and nothing of the run is written.
    const unknown = await h.gateway.agent.run({ ...session, message: '', toolResults: [{ toolCallId: 'call_zz', content: 'x' }] })
    expect(unknown).toMatchObject({ status: 'error', error: { code: 'CORE_ERR_TOOL_RESULT_UNMATCHED', statusCode: 400 } })
    expect(unknown.error!.message).toContain("waiting for: call_c1")
    const roles = async () => (await h!.gateway.sessions.history('agent:main:client-tools')).items.filter((e) => e.role !== 'system').map((e) => e.role)
    expect(await roles()).toEqual(['user', 'assistant'])

    // The answer: the model gets it under the tool's name.
    h.model.reply({ text: 'It is 42.' })
    expect(await h.gateway.agent.run({ ...session, message: '', toolResults: [{ toolCallId: 'call_c1', content: '42' }] })).toMatchObject({ status: 'ok', text: 'It is 42.' })
    expect(modelCalls(h.model).at(-1)!.messages.at(-1)).toMatchObject({ role: 'tool', tool_call_id: 'call_c1', content: '42' })

    // The same answer again (a retried request): the call is answered already.
    const again = await h.gateway.agent.run({ ...session, message: '', toolResults: [{ toolCallId: 'call_c1', content: '42' }] })
    expect(again).toMatchObject({ status: 'error', error: { code: 'CORE_ERR_TOOL_RESULT_UNMATCHED' } })
    expect(again.error!.message).toContain('waiting for: none')

    // A call the client never answers, then a new message: the model is told the call had no result.
    h.model.reply({ toolCalls: [{ id: 'call_c2', name: 'lookup', arguments: {} }] }).reply({ text: 'Fine.' })
    await h.gateway.agent.run({ ...session, message: 'look again' })
    expect(await h.gateway.agent.run({ ...session, message: 'never mind' })).toMatchObject({ status: 'ok', text: 'Fine.' })
    const last = modelCalls(h.model).at(-1)!.messages.slice(-3)
    expect(last).toMatchObject([
      { role: 'assistant', tool_calls: [{ id: 'call_c2' }] },
      { role: 'tool', tool_call_id: 'call_c2', content: expect.stringContaining('No result') },
      { role: 'user', content: 'never mind' },
    ])
  })

  it('turns bad arguments, a throwing tool and a slow tool into error results the model sees', async () => {
    const boom = defineTool({ name: 'boom', description: 'throws', parameters: z.object({}), execute: () => { throw new Error('kaboom') } })
    const slow = defineTool({ name: 'slow', description: 'slow', parameters: z.object({}), timeoutMs: 50, execute: (_a, ctx) => new Promise((r) => ctx.signal.addEventListener('abort', () => r('late'))) })
    h = await startHarness({ plugins: [toolsPlugin(weather as never, boom as never, slow as never)] })
    h.model
      .reply({ toolCalls: [{ id: 'a', name: 'get_weather', arguments: { town: 'Oslo' } }, { id: 'b', name: 'boom', arguments: {} }, { id: 'c', name: 'slow', arguments: {} }, { id: 'd', name: 'nope', arguments: {} }] })
      .reply({ text: 'Sorry.' })
    const result = await h.gateway.agent.run({ message: 'go' })
    expect(result.status).toBe('ok')
    const errors = Object.fromEntries(result.toolCalls.map((c) => [c.id, c.result?.error?.code]))
    expect(errors).toEqual({ a: 'CORE_ERR_TOOL_INVALID_ARGS', b: 'CORE_ERR_TOOL_FAILED', c: 'CORE_ERR_TOOL_TIMEOUT', d: 'CORE_ERR_TOOL_UNKNOWN' })
    const seen = modelCalls(h.model)[1]!.messages.filter((m) => m.role === 'tool').map((m) => JSON.parse(m.content as string).error.message as string)
    expect(seen[0]).toContain('city')
    expect(seen[1]).toContain('kaboom')
  })

  it('retries a 429 honouring Retry-After, then succeeds', async () => {
    h = await startHarness()
    h.model.fail({ status: 429, headers: { 'retry-after-ms': '120' }, body: { error: { message: 'slow down' } } }).reply({ text: 'finally' })
    const t0 = Date.now()
    const result = await h.gateway.agent.run({ message: 'hi' })
    expect(result).toMatchObject({ status: 'ok', text: 'finally' })
    expect(Date.now() - t0).toBeGreaterThanOrEqual(100)
    expect(modelCalls(h.model)).toHaveLength(2)
  })

  it('reports a provider that is down as a failed run, not a crash', async () => {
    h = await startHarness()
    await h.model.close()
    const result = await h.gateway.agent.run({ message: 'hi', timeoutMs: 5000 })
    expect(result.status).toBe('error')
    expect(result.error?.code).toBe('OPENAI_ERR_UNREACHABLE')
    expect(result.error?.statusCode).toBe(503)
  })

  it('passes maxTokens and temperature to the model', async () => {
    h = await startHarness()
    await h.gateway.agent.run({ message: 'hi', maxTokens: 64, temperature: 0.2 })
    const body = modelCalls(h.model)[0] as unknown as Record<string, unknown>
    expect(body.max_tokens ?? body.max_completion_tokens).toBe(64)
    expect(body.temperature).toBe(0.2)
  })

  it('never runs twice for one idempotency key: 10 concurrent duplicates make one model call', async () => {
    h = await startHarness()
    h.model.reply({ text: 'once', delayMs: 100 })
    const results = await Promise.all(Array.from({ length: 10 }, () => h!.gateway.agent.run({ message: 'hi', idempotencyKey: 'k-1' })))
    expect(new Set(results.map((r) => r.runId)).size).toBe(1)
    expect(results.every((r) => r.text === 'once')).toBe(true)
    const later = await h.gateway.agent.run({ message: 'hi', idempotencyKey: 'k-1' })
    expect(later.runId).toBe(results[0]!.runId)
    expect(modelCalls(h.model)).toHaveLength(1)
  })

  it('remembers idempotent results across a restart', async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'oc-idem-'))
    const { createGateway, createSilentLogger } = await import('@openclaw/core')
    const { createScriptedModelServer } = await import('@openclaw/plugin-sdk/testing')
    const providerOpenAi = (await import('@openclaw/plugin-provider-openai')).default
    const model = await createScriptedModelServer({ defaultText: 'stored' })
    const make = () => createGateway({
      stateDir, env: {}, logger: createSilentLogger(), plugins: [providerOpenAi()],
      config: { models: { providers: { openai: { baseUrl: model.baseUrl, apiKey: 'k' } } }, agents: { defaults: { model: 'openai/m' } } },
    })
    const a = await make()
    await a.start()
    const first = await a.agent.run({ message: 'hi', idempotencyKey: 'persist-1' })
    await a.stop()
    const b = await make()
    await b.start()
    const again = await b.agent.run({ message: 'hi', idempotencyKey: 'persist-1' })
    await b.stop()
    await model.close()
    expect(again.runId).toBe(first.runId)
    expect(model.requests.filter((r) => r.format === 'openai')).toHaveLength(1)
  })

  it('leaves nothing behind when a session is deleted while a run is writing to it', async () => {
    h = await startHarness()
    h.model.reply({ text: 'a slow answer', delayMs: 300 })
    const running = h.gateway.agent.run({ sessionKey: 'doomed', message: 'hi' })
    await vi.waitFor(async () => expect(await h!.gateway.sessions.get('agent:main:doomed')).toBeDefined())
    expect(await h.gateway.sessions.delete('agent:main:doomed')).toBe(true)
    expect((await running).status).toBe('ok')
    expect(await h.gateway.sessions.get('agent:main:doomed')).toBeUndefined()
    expect((await h.gateway.sessions.history('agent:main:doomed')).items).toEqual([])
    // The key starts afresh with the next run.
    h.model.reply({ text: 'new' })
    await h.gateway.agent.run({ sessionKey: 'doomed', message: 'again' })
    expect((await h.gateway.sessions.history('agent:main:doomed')).items.map((e) => e.text)).toEqual(['again', 'new'])
  })

  it('serialises runs on one session in arrival order and runs other sessions concurrently', async () => {
    h = await startHarness()
    h.model.replyWith((req) => ({ text: `re:${lastUserText(req)}`, delayMs: 150 }))
    const t0 = Date.now()
    const same = ['a1', 'a2', 'a3'].map((m) => h!.gateway.agent.run({ sessionKey: 'a', message: m }))
    const other = h.gateway.agent.run({ sessionKey: 'b', message: 'b1' })
    const otherDone = await other.then(() => Date.now() - t0)
    const results = await Promise.all(same)
    const allDone = Date.now() - t0
    expect(results.map((r) => r.text)).toEqual(['re:a1', 're:a2', 're:a3'])
    expect(otherDone).toBeLessThan(400)
    expect(allDone).toBeGreaterThanOrEqual(440)
    const order = (await h.gateway.sessions.history('agent:main:a')).items.filter((e) => e.role === 'user').map((e) => (e as { text: string }).text)
    expect(order).toEqual(['a1', 'a2', 'a3'])
  })

  it('refuses more waiting runs than session.maxQueue with a coded busy error', async () => {
    h = await startHarness({ config: { session: { maxQueue: 1 } } })
    h.model.replyWith(() => ({ text: 'x', delayMs: 100 }))
    const running = h.gateway.agent.run({ sessionKey: 's', message: '1' })
    const waiting = h.gateway.agent.run({ sessionKey: 's', message: '2' })
    await expect(h.gateway.agent.run({ sessionKey: 's', message: '3' })).rejects.toMatchObject({ code: 'CORE_ERR_SESSION_BUSY', statusCode: 429 })
    await Promise.all([running, waiting])
  })

  it('aborts a run: the model request is cancelled and the run recorded as aborted', async () => {
    h = await startHarness()
    h.model.hang()
    const controller = new AbortController()
    const pending = h.gateway.agent.run({ message: 'hi', signal: controller.signal })
    await new Promise((r) => setTimeout(r, 100))
    expect(h.model.inFlight).toBe(1)
    controller.abort()
    const result = await pending
    expect(result.status).toBe('aborted')
    expect(result.error?.code).toBe('CORE_ERR_RUN_ABORTED')
    await new Promise((r) => setTimeout(r, 50))
    expect(h.model.inFlight).toBe(0)
    expect((await h.gateway.sessions.history(result.sessionKey)).items.at(-1)).toMatchObject({ role: 'system', text: 'run aborted: CORE_ERR_RUN_ABORTED' })
  })

  it('writes nothing of a run aborted while it waited in the session queue', async () => {
    h = await startHarness()
    h.model.reply({ text: 'first answer', delayMs: 200 })
    const first = h.gateway.agent.run({ sessionKey: 'q', message: 'first' })
    const controller = new AbortController()
    const second = h.gateway.agent.run({ sessionKey: 'q', message: 'second', signal: controller.signal })
    controller.abort()
    expect((await second).status).toBe('aborted')
    expect((await first).text).toBe('first answer')
    expect((await h.gateway.sessions.history('agent:main:q')).items.map((e) => [e.role, e.text])).toEqual([
      ['user', 'first'],
      ['assistant', 'first answer'],
      ['system', 'run aborted: CORE_ERR_RUN_ABORTED'],
    ])
    expect(modelCalls(h.model)).toHaveLength(1)
  })

  it('times out a run, cancelling the model request', async () => {
    h = await startHarness()
    h.model.hang()
    const result = await h.gateway.agent.run({ message: 'hi', timeoutMs: 100 })
    expect(result).toMatchObject({ status: 'timeout', error: { code: 'CORE_ERR_RUN_TIMEOUT' } })
    await new Promise((r) => setTimeout(r, 50))
    expect(h.model.inFlight).toBe(0)
  })

  it('streams lifecycle, text deltas and tool events in order', async () => {
    h = await startHarness({ plugins: [toolsPlugin(weather as never)] })
    h.model.reply({ toolCalls: [{ id: 't1', name: 'get_weather', arguments: { city: 'Rome' } }] }).reply({ text: 'Warm in Rome' })
    const events: AgentEvent[] = []
    for await (const e of h.gateway.agent.stream({ message: 'weather?' })) events.push(e)
    const kinds = events.map((e) => ('phase' in e ? `${e.type}:${e.phase}` : e.type))
    expect(kinds[0]).toBe('lifecycle:start')
    expect(kinds.at(-1)).toBe('lifecycle:end')
    expect(kinds.indexOf('tool:start')).toBeLessThan(kinds.indexOf('tool:result'))
    expect(kinds.indexOf('tool:result')).toBeLessThan(kinds.indexOf('text'))
    expect(events.filter((e) => e.type === 'text').map((e) => (e as { delta: string }).delta).join('')).toBe('Warm in Rome')
  })

  it('lets beforeAgentRun change the prompt and beforeToolCall deny or replace; agentEnd sees the outcome', async () => {
    const seen: string[] = []
    const policy = definePlugin({
      id: 'policy',
      version: '1.0.0',
      register(api) {
        api.hooks.beforeAgentRun.tap('policy', (plan) => ({ ...plan, systemPrompt: `${plan.systemPrompt}\nBe brief.` }))
        api.hooks.beforeToolCall.tap({ name: 'policy', stage: STAGE_GUARD }, (ctx) => (ctx.call.name === 'get_weather' ? { replace: { forecast: 'cached' } } : { deny: 'not today' }))
        api.hooks.agentEnd.tap('policy', ({ result }) => void seen.push(`${result.status}:${result.text}`))
      },
    })
    const other = defineTool({ name: 'other', description: 'x', parameters: z.object({}), execute: () => 'ran' })
    h = await startHarness({ plugins: [toolsPlugin(weather as never, other as never), policy] })
    h.model.reply({ toolCalls: [{ id: '1', name: 'get_weather', arguments: { city: 'X' } }, { id: '2', name: 'other', arguments: {} }] }).reply({ text: 'done' })
    const result = await h.gateway.agent.run({ message: 'go' })
    expect(modelCalls(h.model)[0]!.messages[0]!.content).toMatch(/Be brief\.$/)
    expect(result.toolCalls.map((c) => c.result?.ok ? c.result.output : c.result?.error?.code)).toEqual([{ forecast: 'cached' }, 'CORE_ERR_TOOL_DENIED'])
    expect(seen).toEqual(['ok:done'])
  })

  it('applies the agent tool policy (globs) to what the model is offered', async () => {
    h = await startHarness({ config: { agents: { entries: { ops: { tools: { deny: ['session*'] } } } } }, plugins: [toolsPlugin(weather as never)] })
    await h.gateway.agent.run({ agentId: 'ops', message: 'hi' })
    expect(modelCalls(h.model)[0]!.tools!.map((t) => t.function.name)).toEqual(['get_weather'])
  })

  it('refuses a session key of another agent and an unknown agent with coded errors', async () => {
    h = await startHarness()
    await expect(h.gateway.agent.run({ agentId: 'main', sessionKey: 'agent:ops:x', message: 'hi' })).rejects.toMatchObject({ code: 'CORE_ERR_SESSION_AGENT_MISMATCH' })
    await expect(h.gateway.agent.run({ agentId: 'ghost', message: 'hi' })).rejects.toMatchObject({ code: 'CORE_ERR_AGENT_UNKNOWN' })
    const r = await h.gateway.agent.run({ sessionKey: 'AGENT:MAIN:Mixed', message: 'hi' })
    expect(r.sessionKey).toBe('agent:main:mixed')
  })

  it('starts without any provider; a run then fails saying how to configure one', async () => {
    const gateway = await createTestGateway({ realClock: true })
    const result = await gateway.agent.run({ message: 'hi' })
    await gateway.stop()
    expect(result.status).toBe('error')
    expect(result.error?.code).toBe('CORE_ERR_NO_PROVIDER')
    expect(result.error?.message).toContain('models.providers.openai')
  })

  it('speaks to Anthropic with tool_use and tool_result', async () => {
    h = await startHarness({ format: 'anthropic', plugins: [toolsPlugin(weather as never)] })
    h.model.reply({ toolCalls: [{ id: 'toolu_1', name: 'get_weather', arguments: { city: 'Lima' } }] }).reply({ text: 'Lima: sunny' })
    const result = await h.gateway.agent.run({ message: 'weather?' })
    expect(result).toMatchObject({ status: 'ok', text: 'Lima: sunny', model: 'anthropic/claude-test' })
    const second = h.model.requests.filter((r) => r.format === 'anthropic')[1]!.body as { messages: { role: string; content: { type: string; tool_use_id?: string }[] }[] }
    expect(second.messages.at(-1)!.content[0]).toMatchObject({ type: 'tool_result', tool_use_id: 'toolu_1' })
  })
})

describe('skills', () => {
  function skillsDir(): string {
    const stateDir = mkdtempSync(join(tmpdir(), 'oc-skills-'))
    const dir = join(stateDir, 'skills')
    mkdirSync(join(dir, 'haiku'), { recursive: true })
    writeFileSync(join(dir, 'translate.json'), JSON.stringify({
      slug: 'translate', name: 'Translator', description: 'Translate text', prompt: 'Translate precisely.',
      tools: [{ name: 'lookup_term', description: 'Glossary', parameters: { type: 'object', properties: { term: { type: 'string' } }, required: ['term'] } }],
    }))
    writeFileSync(join(dir, 'broken.json'), JSON.stringify({ slug: 'Bad Slug', name: 'x', prompt: '' }))
    writeFileSync(join(dir, 'haiku', 'SKILL.md'), '---\nname: Haiku\ndescription: Answer in haiku\n---\nAnswer in 5-7-5.\n')
    return stateDir
  }

  it('loads JSON and SKILL.md skills, lists them in the prompt, and reports invalid files by path and field', async () => {
    h = await startHarness({ stateDir: skillsDir() })
    await h.gateway.agent.run({ message: 'hello' })
    const system = modelCalls(h.model)[0]!.messages[0]!.content as string
    expect(system).toContain('@translate (Translate text)')
    expect(system).toContain('@haiku (Answer in haiku)')
    expect(system).not.toContain('Translate precisely.')
    const errors = h.gateway.skillErrors().map((e) => e.message)
    expect(errors).toHaveLength(1)
    expect(errors[0]).toContain('broken.json')
    expect(errors[0]).toMatch(/- slug: .*lowercase slug/)
    expect(errors[0]).toMatch(/- description: /)
    expect(errors[0]).toMatch(/- prompt: /)
  })

  it('runs a turn that mentions @slug with the skill prompt and its tools, handled by a plugin', async () => {
    const handler = defineTool({ name: 'lookup_term', description: 'Glossary handler', parameters: z.object({ term: z.string() }), execute: ({ term }) => `${term} = hei` })
    h = await startHarness({ stateDir: skillsDir(), plugins: [definePlugin({ id: 'glossary', version: '1.0.0', register: (api) => api.tools.register(handler) })] })
    h.model.reply({ toolCalls: [{ id: 'x', name: 'lookup_term', arguments: { term: 'hello' } }] }).reply({ text: 'hei' })
    const result = await h.gateway.agent.run({ message: '@translate hello into Norwegian' })
    expect(result.text).toBe('hei')
    const first = modelCalls(h.model)[0]!
    expect(first.messages[0]!.content).toContain('Translate precisely.')
    expect(result.toolCalls[0]?.result).toMatchObject({ ok: true, output: 'hello = hei' })
  })
})

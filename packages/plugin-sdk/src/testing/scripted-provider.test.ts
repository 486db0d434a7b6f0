import { afterEach, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { definePlugin, defineTool } from '../define.js'
import { createFakeClock } from './fake-clock.js'
import { createTestGateway, type TestGateway } from './create-test-gateway.js'
import { createScriptedProvider } from './scripted-provider.js'

let gateway: TestGateway | undefined

afterEach(async () => {
  await gateway?.stop()
  gateway = undefined
})

const echo = definePlugin({
  id: 'tool:echo',
  version: '1.0.0',
  register(api) {
    api.tools.register(defineTool({ name: 'echo', description: 'echo', parameters: z.object({ text: z.string() }), execute: ({ text }) => ({ echoed: text }) }))
  },
})

describe('createScriptedProvider', () => {
  it('should answer agent runs in process with the queued steps, in order, and record each request', async () => {
    const model = createScriptedProvider()
    model.reply({ toolCalls: [{ name: 'echo', arguments: { text: 'hi' } }] }).reply({ text: 'done' })
    gateway = await createTestGateway({ plugins: [echo, model.plugin] })
    const result = await gateway.agent.run({ message: 'say hi', sessionKey: 'agent:main:test' })
    expect(result.status).toBe('ok')
    expect(result.text).toBe('done')
    expect(model.requests).toHaveLength(2)
    expect(model.requests[0]?.tools.map((t) => t.name)).toContain('echo')
    expect(model.requests[1]?.messages.at(-1)).toMatchObject({ role: 'tool', name: 'echo' })
    expect(model.requests[1]?.messages.at(-1)?.content).toContain('hi')
  })

  it('should answer with the default text when nothing is queued, and fail a run with a queued error', async () => {
    const model = createScriptedProvider({ defaultText: 'fallback' })
    gateway = await createTestGateway({ plugins: [model.plugin] })
    expect((await gateway.agent.run({ message: 'a', sessionKey: 'agent:main:a' })).text).toBe('fallback')
    model.fail(new Error('scripted outage'))
    const failed = await gateway.agent.run({ message: 'b', sessionKey: 'agent:main:b' })
    expect(failed.status).toBe('error')
  })
})

describe('createFakeClock', () => {
  it('should start at the real current time, so deadlines from Date.now() are still ahead', () => {
    const before = Date.now()
    const clock = createFakeClock()
    expect(clock.now()).toBeGreaterThanOrEqual(before)
    expect(clock.now()).toBeLessThanOrEqual(Date.now())
  })

  it('should run a default agent run on the fake clock without timing out', async () => {
    const model = createScriptedProvider()
    gateway = await createTestGateway({ plugins: [model.plugin] })
    expect(gateway.clock).toBeDefined()
    const result = await gateway.agent.run({ message: 'hello', sessionKey: 'agent:main:clock', timeoutMs: 60_000 })
    expect(result.status).toBe('ok')
  })
})

import { afterEach, describe, expect, it } from 'vitest'
import { createScriptedProvider, createTestGateway, type TestGateway } from '@openclaw/plugin-sdk/testing'
import plugin, { PLUGIN_NAME } from './index.js'

let gateway: TestGateway | undefined

afterEach(async () => {
  await gateway?.stop()
  gateway = undefined
})

describe(PLUGIN_NAME, () => {
  it('should register the greet tool, callable like /tools/invoke calls it', async () => {
    gateway = await createTestGateway({ plugins: [plugin()] })
    const result = await gateway.tools.invoke({ name: 'greet', args: { name: 'Ada' }, via: 'http' })
    expect(result).toMatchObject({ ok: true, output: { message: 'Hello, Ada!' } })
  })

  it('should refuse bad arguments with an error result, not a throw', async () => {
    gateway = await createTestGateway({ plugins: [plugin()] })
    const result = await gateway.tools.invoke({ name: 'greet', args: { name: '' }, via: 'http' })
    expect(result.ok).toBe(false)
  })

  it('should give the model the tool and its answer in an agent turn', async () => {
    const model = createScriptedProvider()
    model.reply({ toolCalls: [{ name: 'greet', arguments: { name: 'Grace' } }] }).reply({ text: 'Greeted.' })
    gateway = await createTestGateway({
      plugins: [plugin(), model.plugin],
      config: { plugins: { entries: { [PLUGIN_NAME]: { config: { greeting: 'Hi' } } } } },
    })
    const run = await gateway.agent.run({ message: 'greet Grace', sessionKey: 'agent:main:test' })
    expect(run.text).toBe('Greeted.')
    expect(model.requests[0]?.tools.map((t) => t.name)).toContain('greet')
    expect(model.requests[1]?.messages.at(-1)).toMatchObject({ role: 'tool', name: 'greet' })
    expect(model.requests[1]?.messages.at(-1)?.content).toContain('Hi, Grace!')
  })
})

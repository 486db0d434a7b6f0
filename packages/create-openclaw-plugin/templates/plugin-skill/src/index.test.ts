import { afterEach, describe, expect, it } from 'vitest'
import { createScriptedProvider, createTestGateway, type TestGateway } from '@openclaw/plugin-sdk/testing'
import plugin, { SKILL_SLUG } from './index.js'

let gateway: TestGateway | undefined

afterEach(async () => {
  await gateway?.stop()
  gateway = undefined
})

describe(`skill @${SKILL_SLUG}`, () => {
  it('should be listed to the model, and its tools stay off until a message mentions it', async () => {
    const model = createScriptedProvider()
    gateway = await createTestGateway({ plugins: [plugin(), model.plugin] })
    expect(gateway.registry.skills.keys()).toContain(SKILL_SLUG)
    await gateway.agent.run({ message: 'hello', sessionKey: 'agent:main:test' })
    expect(model.requests[0]?.system).toContain(`@${SKILL_SLUG}`)
    expect(model.requests[0]?.tools.map((t) => t.name)).not.toContain('lookup_word')
  })

  it('should put its prompt and its typed tool in the turn that mentions it, and run the handler', async () => {
    const model = createScriptedProvider()
    model.reply({ toolCalls: [{ name: 'lookup_word', arguments: { word: 'Gateway' } }] }).reply({ text: 'A gateway sits between clients and services.' })
    gateway = await createTestGateway({ plugins: [plugin(), model.plugin] })
    const run = await gateway.agent.run({ message: `@${SKILL_SLUG} what is a gateway?`, sessionKey: 'agent:main:test' })
    expect(run.status).toBe('ok')
    expect(model.requests[0]?.system).toContain('call lookup_word')
    expect(model.requests[0]?.tools.find((t) => t.name === 'lookup_word')?.parameters).toMatchObject({ required: ['word'] })
    const result = model.requests[1]?.messages.at(-1)
    expect(result).toMatchObject({ role: 'tool', name: 'lookup_word' })
    expect(result?.content).toContain('between clients')
  })

  it('should refuse arguments that do not match the JSON Schema before the handler runs', async () => {
    const model = createScriptedProvider()
    model.reply({ toolCalls: [{ name: 'lookup_word', arguments: { language: 'de' } }] }).reply({ text: 'sorry' })
    gateway = await createTestGateway({ plugins: [plugin(), model.plugin] })
    await gateway.agent.run({ message: `@${SKILL_SLUG} ?`, sessionKey: 'agent:main:test' })
    expect(model.requests[1]?.messages.at(-1)).toMatchObject({ role: 'tool', isError: true })
  })
})

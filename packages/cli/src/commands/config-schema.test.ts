import { describe, expect, it } from 'vitest'
import { captureIo } from '../capture-io.js'
import { runCli } from '../run-cli.js'

type Schema = { properties?: Record<string, Schema>; type?: unknown }

describe('openclaw config schema', () => {
  it('should print the core schema with each first-party plugin\'s part at its config key', async () => {
    const { io, stdout } = captureIo()
    expect(await runCli(['node', 'openclaw', 'config', 'schema'], io)).toBe(0)
    const schema = JSON.parse(stdout()) as Schema
    expect(schema.properties?.agents).toBeDefined()
    // core:http owns `gateway`
    expect(schema.properties?.gateway?.properties?.port).toMatchObject({ type: 'integer' })
    // provider plugins own `models.providers.<id>`
    expect(schema.properties?.models?.properties?.providers?.properties?.openai?.properties?.baseUrl).toBeDefined()
    expect(schema.properties?.models?.properties?.providers?.properties?.anthropic).toBeDefined()
  })
})
